"""The `cop-memory` MkDocs plugin: glue that maps MkDocs events onto the stages.

read (loader) -> review -> publish (audience) -> assemble (views) -> render -> emit (here).
All decisions live in those modules; this one only moves their results into
MkDocs' file list and pages.
"""

from __future__ import annotations

import logging
import os
from typing import NamedTuple
from importlib.resources import files as package_files

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from . import links
from .audience import Publication, publish, review
from .loader import Loader
from .model import AUDIENCES, Entry
from .memo import Memo
from .site import SitePlan, plan_site

log = logging.getLogger("mkdocs.plugins.cop_memory")

STYLESHEET = "cop-memory/cop-memory.css"
VIEW_PLACEHOLDER = '<div class="copmem-view" data-copmem-view=""></div>'


class CopMemoryConfig(base.Config):
    """Options of the `cop-memory` plugin."""

    #: `internal` (everything) or `public` (public communities and their public entries only).
    audience = c.Choice(AUDIENCES, default="internal")
    #: Entries per timeline or cycle page before it continues on numbered pages (/timeline/page/2/ ...).
    timeline_limit = c.Type(int, default=300)


class CopMemoryPlugin(BasePlugin[CopMemoryConfig]):
    """Publishes a community-of-practice shared memory with its timelines, matrices and feeds."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep one loader for the whole `mkdocs serve` session, so rebuilds re-read only changed files."""
        # Defining on_startup makes MkDocs keep this plugin object across rebuilds;
        # only `serve` rebuilds, so only it pays for keeping parses in memory.
        self.loader = Loader(cache=command == "serve")
        self.memo = Memo(enabled=command == "serve")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check the site suits the plugin and put its templates and stylesheet in place."""
        if not hasattr(self, "loader"):
            self.loader = Loader(cache=False)
            self.memo = Memo(enabled=False)
        if config.theme.name != "material":
            log.warning("cop-memory: the theme is %r; cop-memory's pages are designed for 'material'",
                        config.theme.name)
        if not config.use_directory_urls:
            raise PluginError("cop-memory: use_directory_urls must be true: the contract's URLs end in '/'")
        # Appended last, like MkDocs' own search plugin, so a site's custom_dir overrides ours.
        templates = str(package_files("generator.site_templates"))
        if templates not in config.theme.dirs:
            config.theme.dirs.append(templates)
        # The cycle pages' anchors ({#applied}) need attr_list; Material recommends it anyway.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        self.publication: Publication | None = None
        self.plan: SitePlan | None = None
        return config

    # Runs after other plugins add files (default priority 0 and above), so the
    # audience filter sees, and can remove, every file that would be published.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Read, review and publish the shared memory; replace community files with what the audience may see."""
        display = os.path.relpath(config.docs_dir, os.path.dirname(config.config_file_path or "."))
        memory = review(self.loader.load(config.docs_dir, display_dir=display))
        for problem in memory.problems:
            (log.error if problem.is_error else log.warning)("cop-memory: %s", problem)
        publication = publish(memory, self.config.audience, self.memo)
        self.publication = publication
        self.plan = plan_site(publication, site_url=config.site_url, timeline_limit=self.config.timeline_limit,
                              search_path=list(config.theme.dirs), memo=self.memo)
        log.info(publication.summary())
        return self._emit(files, config)

    def _emit(self, files: Files, config: MkDocsConfig) -> Files:
        """The file list for this audience: ordinary files kept, community files replaced, views added."""
        plan = self.plan
        assert plan is not None and self.publication is not None
        kept: list[File] = []
        replaced: set[str] = set()
        attachments = set(self.publication.attachments)
        # Read once: a config option is a descriptor lookup, and there is a page per entry.
        folders = _Folders(config.docs_dir, config.site_dir, config.use_directory_urls)
        for file in files:
            source = file.src_uri
            if source in plan.generated and plan.generated[source].optional:
                replaced.add(source)
                kept.append(file)
                continue
            if source in plan.generated:
                # A hand-written file where a generated page lives: the generated page wins.
                log.error("cop-memory: %s: collides with the page cop-memory generates at /%s; rename it",
                          source, plan.generated[source].url)
                continue
            if not _in_community_folder(source):
                kept.append(file)
            elif source in plan.pages:
                kept.append(self._page_file(folders, source))
            elif not file.is_documentation_page() and source in attachments:
                kept.append(file)
        for source in replaced:
            # The site's own page stands: it gets no generated body or metadata.
            del plan.generated[source]
            plan.renderers.pop(source, None)
        for source, generated in plan.generated.items():
            file = _GeneratedFile.generated(config, source, content=generated.content)
            file.inclusion = InclusionLevel.INCLUDED if generated.in_nav else InclusionLevel.NOT_IN_NAV
            file.unchanged = generated.unchanged
            kept.append(file)
        return Files(kept)

    def _page_file(self, folders: _Folders, source: str) -> File:
        """A community or entry page, published at its contract URL whatever folder it sits in."""
        plan = self.plan
        assert plan is not None
        page = plan.pages[source]
        file = _PreparedFile(
            source, folders, dest_uri=page.url + "index.html",
            # Entries stay out of the navigation: Material renders it into every page.
            inclusion=InclusionLevel.NOT_IN_NAV if isinstance(page, Entry) else InclusionLevel.UNDEFINED,
            plan=plan,
            # A community's home lists its entries: rebuilt whenever any may have changed.
            always_modified=not isinstance(page, Entry),
        )
        return file

    # Before other plugins read the Markdown, so links across the line are gone
    # from every page, including hand-written ones.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Give planned pages their metadata; unlink, on hand-written pages, what this audience may not see."""
        if self.plan is None or self.publication is None:
            return markdown
        source = page.file.src_uri
        meta = self.plan.meta_of(source)
        if meta is not None:
            # Set here rather than as YAML front matter: no dump and re-parse per page,
            # and before Material's tags and search plugins read page.meta.
            page.meta = meta
            return markdown
        return links.unlink(markdown, source, self.publication.is_hidden)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """List each community under "Communities" by its title (not as a folder named after its id)."""
        if self.plan is None or config.nav is not None:
            return nav
        homes = {c.source for c in self.plan.publication.communities.values()}
        for item in nav.items:
            if isinstance(item, Section) and item.title == "Communities":
                flattened = []
                for child in item.children:
                    pages = [p for p in getattr(child, "children", None) or [] if isinstance(p, Page)]
                    if isinstance(child, Section) and len(child.children) == 1 and pages \
                            and pages[0].file.src_uri in homes:
                        pages[0].parent = item
                        flattened.append(pages[0])
                    else:
                        flattened.append(child)
                item.children = flattened
        return nav

    # Last, so the sanitiser (inside the entry renderers) sees the final HTML of the body.
    @event_priority(-100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Give generated pages their body; sanitise entry bodies and add their headers."""
        if self.plan is None:
            return html
        source = page.file.src_uri
        if source in self.plan.generated and source in self.plan.renderers:
            # A view is rendered straight into the written page (on_post_page), so its
            # HTML, the largest of the site, never waits in memory for the whole build.
            return VIEW_PLACEHOLDER
        rendered = self.plan.render(source, html, page.file.url)
        return html if rendered is None else rendered

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Add link-preview metadata (Open Graph and Twitter cards) to the page head."""
        if self.plan is None or "</head>" not in output:
            return output
        fallback = page.meta.get("description") or config.site_description or config.site_name
        tags = self.plan.link_preview(page.file.src_uri, page.url, page.title, config.site_name, str(fallback))
        output = output.replace("</head>", tags + "</head>", 1)
        # Material's search dialog has no accessible name (axe: aria-dialog-name); give it one.
        output = output.replace('class="md-search" data-md-component="search" role="dialog"',
                                'class="md-search" data-md-component="search" role="dialog" aria-label="Search"', 1)
        if page.file.src_uri in self.plan.generated and VIEW_PLACEHOLDER in output:
            output = output.replace(VIEW_PLACEHOLDER, self.plan.renderers[page.file.src_uri]("", page.file.url), 1)
        return output


class _Folders(NamedTuple):
    """The config values every page file needs."""

    docs_dir: str
    site_dir: str
    use_directory_urls: bool


class _GeneratedFile(File):
    """A page or file with no source; a view whose inputs did not change may keep its written page.

    MkDocs treats in-memory files as always modified, so `mkdocs serve --dirty`
    would render every view of the site again after any edit.
    """

    unchanged = False

    def is_modified(self) -> bool:
        """Whether `--dirty` must write the file again: unless unchanged and already written."""
        return not (self.unchanged and os.path.isfile(self.abs_dest_path))


class _PreparedFile(File):
    """A page backed by its real source file whose text (front matter read, names redacted) we supply.

    Unlike `File.generated(content=...)`, it keeps MkDocs' mtime check, so
    `mkdocs serve --dirty` rebuilds only the entries that changed, and the
    page keeps its "edit" link.
    """

    def __init__(self, src_uri: str, folders: _Folders, *, dest_uri: str, inclusion: InclusionLevel,
                 plan: SitePlan, always_modified: bool = False):
        # File.__init__'s work, minus re-normalising a path that is already a posix
        # src_uri (a measurable share of a serve rebuild at thousands of entries).
        self.src_uri = src_uri
        self.src_dir = folders.docs_dir
        self.dest_dir = folders.site_dir
        self.use_directory_urls = folders.use_directory_urls
        self.dest_uri = dest_uri
        self.inclusion = inclusion
        # The plan itself, not a closure over it: a closure is four more objects per page.
        self._plan = plan
        self._always_modified = always_modified

    def is_modified(self) -> bool:
        """Whether `--dirty` must rebuild the page: its source changed (or it shows others that may have)."""
        return self._always_modified or super().is_modified()

    @property
    def content_string(self) -> str:
        """The prepared Markdown, never the raw file."""
        return self._plan.markdown_of(self.src_uri)


def _in_community_folder(source: str) -> bool:
    """Whether a docs-relative path lies inside `communities/<id>/`."""
    return source.startswith("communities/") and source.count("/") >= 2

