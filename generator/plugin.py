"""The `cop-memory` MkDocs plugin: glue that maps MkDocs events onto the stages.

read (loader) -> review -> publish (audience) -> plan (site) -> render -> emit (here
and in `plugin_files`). All decisions live in those modules; this one only moves
their results into MkDocs' file list and pages.
"""

from __future__ import annotations

import os
from importlib.resources import files as package_files

from . import nav_order, urls
from .audience import Publication, publish
from .changes import last_changes
from .framework import AUDIENCES
from .host import (
    BasePlugin,
    Files,
    HostConfig,
    Navigation,
    Page,
    PluginError,
    Section,
    ValidationError,
    base,
    event_priority,
    get_plugin_logger,
    options,
)
from .links import unlink
from .loader import Loader
from .memo import Memo
from .plugin_files import assemble_files
from .render import SiteRenderer, environment, feed_links
from .review import review
from .site import SitePlan, View, plan_site

log = get_plugin_logger("cop-memory")

#: the environment variable that picks the audience when the site's configuration does not
AUDIENCE_VARIABLE = "COP_AUDIENCE"

STYLESHEET = "cop-memory/cop-memory.css"
#: The timelines' filter (progressive enhancement: pages work without it)
SCRIPT = "cop-memory/timeline-filter.js"
VIEW_PLACEHOLDER = '<div class="copmem-view" data-copmem-view=""></div>'


class AudienceOption(options.Choice):
    """`internal` or `public`; left unset, the environment variable COP_AUDIENCE decides (default internal)."""

    def __init__(self) -> None:
        super().__init__(AUDIENCES)

    def validate(self, value):
        """The audience given, or COP_AUDIENCE's, checked either way."""
        if value is not None:
            return super().validate(value)
        value = os.environ.get(AUDIENCE_VARIABLE) or "internal"
        if value not in AUDIENCES:
            raise ValidationError(f"the environment variable {AUDIENCE_VARIABLE} is {value!r}; "
                                  f"expected one of {', '.join(AUDIENCES)}")
        return value


class AtLeastOne(options.Type):
    """A whole number, 1 or more."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value):
        """The number, if it is a whole number of 1 or more."""
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 1:
            raise ValidationError(f"expected a whole number of 1 or more, found {value!r}")
        return value


class CopMemoryConfig(base.Config):
    """Options of the `cop-memory` plugin."""

    #: Whether the plugin runs at all (as Material's plugins have). A public build needs it.
    enabled = options.Type(bool, default=True)
    #: `internal` (everything) or `public` (public communities and their public entries only);
    #: when not set, the environment variable COP_AUDIENCE, else internal.
    audience = AudienceOption()
    #: Entries per timeline or cycle page before it continues on numbered pages (/timeline/page/2/ ...).
    timeline_limit = AtLeastOne(default=300)


class CopMemoryPlugin(BasePlugin[CopMemoryConfig]):
    """Publishes a community-of-practice shared memory with its timelines, matrices and feeds."""

    #: whether this plugin object serves `mkdocs serve`'s rebuilds (set by on_startup)
    serving = False
    loader: Loader | None = None
    memo: Memo | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is `mkdocs serve`: only it rebuilds, so only it keeps parses and views."""
        # Defining on_startup makes MkDocs keep this plugin object across rebuilds (and across
        # builds of one process): a new session starts with a new loader and memo.
        self.serving = command == "serve"
        self.loader = self.memo = None
        if dirty and self.config.enabled and self.config.audience == "public":
            # --dirty leaves pages of the last build in place: those of now-internal entries too.
            raise PluginError("cop-memory: a public build cannot be --dirty: it would keep pages of entries "
                              "that are internal now; build it clean")

    def on_shutdown(self) -> None:
        """Let go of what the session kept (parses, views) when `mkdocs serve` or a build ends."""
        self.loader = self.memo = None

    def on_config(self, config: HostConfig) -> HostConfig:
        """Check the site suits the plugin and put its templates and stylesheet in place."""
        if not self.config.enabled:
            if self.config.audience == "public":
                raise PluginError("cop-memory: a public build needs the plugin enabled: without it, "
                                  "internal communities and entries would be published")
            return config
        if any(name.startswith("cop-memory #") for name in config.plugins):
            raise PluginError("cop-memory: the plugin is listed more than once under plugins:; list it once, "
                              "so one audience decides what is published")
        if self.config.audience == "public" and urls.is_local(config.site_url):
            # A warning, so `--strict` fails: feeds, link previews and the sitemap would point at a preview.
            log.warning("site_url is %s, an address on this machine: the public site's feeds, link previews "
                        "and sitemap would point there; set site_url (or COP_SITE_URL) to the address it is "
                        "published at", config.site_url)
        if config.theme.name != "material":
            log.warning("the theme is %r; cop-memory's pages are designed for 'material'", config.theme.name)
        if not config.use_directory_urls:
            raise PluginError("cop-memory: use_directory_urls must be true: the contract's URLs end in '/'")
        templates = str(package_files("generator.site_templates"))
        # Our overrides of Material's partials go just ahead of Material's own templates,
        # after a site's custom_dir, so a site can still override them.
        overrides = os.path.join(templates, "overrides")
        if overrides not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        # Our own pages' templates go last, like MkDocs' search plugin's, so custom_dir overrides them.
        if templates not in config.theme.dirs:
            config.theme.dirs.append(templates)
        # The cycle pages' anchors ({#applied}) need attr_list; Material recommends it anyway.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(SCRIPT)
        return config

    def on_pre_build(self, *, config: HostConfig) -> None:
        """Start this build's state; `mkdocs serve` keeps its loader and memo for the whole session."""
        if self.loader is None or not self.serving:
            self.loader = Loader(cache=self.serving)
            self.memo = Memo(enabled=self.serving)
        self.publication: Publication | None = None
        self.plan: SitePlan | None = None
        self.renderer: SiteRenderer | None = None

    # Runs after other plugins add files (default priority 0 and above), so the
    # audience filter sees, and can remove, every file that would be published.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: HostConfig) -> Files:
        """Read, review and publish the shared memory; replace community files with what the audience may see."""
        if not self.config.enabled:
            return files
        display = os.path.relpath(config.docs_dir, os.path.dirname(config.config_file_path or "."))
        memory = review(self.loader.load(config.docs_dir, display_dir=display), self.memo)
        for problem in memory.problems:
            (log.error if problem.is_error else log.warning)("%s", problem)
        publication = self.publication = publish(memory, self.config.audience, self.memo)
        # One walk of the history per build; `mkdocs serve` takes it once for the session.
        changed = self.memo("changes", (), lambda: last_changes(
            config.docs_dir, [f.src_uri for f in files if f.is_documentation_page()]))
        plan = self.plan = plan_site(publication, site_url=config.site_url,
                                     timeline_limit=self.config.timeline_limit, memo=self.memo,
                                     site_name=config.site_name, language=config.theme.get("language") or "en",
                                     changed=changed)
        self.renderer = SiteRenderer(plan, environment(list(config.theme.dirs), self.memo), self.memo)
        log.info(publication.summary())
        return assemble_files(files, config, plan, self.renderer, publication, log)

    # Before other plugins read the Markdown, so links across the line are gone
    # from every page, including hand-written ones.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, *, page: Page, config: HostConfig, files: Files) -> str:
        """Give planned pages their metadata; unlink, on hand-written pages, what this audience may not see."""
        if self.plan is None:
            return markdown
        source = page.file.src_uri
        self._date_for_sitemap(page, source)
        meta = self.plan.meta_of(source)
        if meta is not None:
            # Set here rather than as YAML front matter: no dump and re-parse per page,
            # and before Material's tags and search plugins read page.meta.
            page.meta = meta
            return markdown
        return unlink(markdown, source, self.publication.is_hidden)

    def _date_for_sitemap(self, page: Page, source: str) -> None:
        """The sitemap's lastmod from the page's content (MkDocs would write the build date)."""
        changed = self.plan.lastmod(source)
        if changed is not None:
            page.update_date = changed.isoformat()
        elif self.plan.publication.entries:
            # No date is better than a wrong one. (Only while some page has a date: MkDocs takes
            # the newest page's date for sitemap.xml.gz and needs one.)
            page.update_date = ""

    def on_nav(self, nav: Navigation, *, config: HostConfig, files: Files) -> Navigation:
        """List each community under "Communities" by its title, and the top level in a reader's order."""
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
        # In the reader's order, with previous/next links to match (MkDocs set them by file name).
        nav.items = nav_order.reader_order(nav.items, [
            item.url for item in self.plan.generated.values() if item.in_nav])
        nav.pages = nav_order.pages_in_order(nav.items)
        nav_order.link_neighbours(nav.pages)
        return nav

    # Last, so the sanitiser (inside the entry renderers) sees the final HTML of the body.
    @event_priority(-100)
    def on_page_content(self, html: str, *, page: Page, config: HostConfig, files: Files) -> str:
        """Give generated pages their body; sanitise entry bodies and add their headers."""
        if self.plan is None:
            return html
        if self.plan.view(page.file.src_uri) is not None:
            # A view is rendered straight into the written page (on_post_page), so its
            # HTML, the largest of the site, never waits in memory for the whole build.
            return VIEW_PLACEHOLDER
        rendered = self.renderer.page(page.file.src_uri, html, page.file.url)
        return html if rendered is None else rendered

    def on_post_page(self, output: str, *, page: Page, config: HostConfig) -> str:
        """Add link-preview metadata (Open Graph and Twitter cards) to the page head; draw views."""
        if self.plan is None or "</head>" not in output:
            return output
        source = page.file.src_uri
        fallback = page.meta.get("description") or config.site_description or config.site_name
        tags = self.renderer.link_preview(source, page.url, page.title, config.site_name, str(fallback))
        tags += feed_links(self.plan, page.file.url, config.site_name)
        output = output.replace("</head>", tags + "</head>", 1)
        view: View | None = self.plan.view(source)
        if view is not None and VIEW_PLACEHOLDER in output:
            output = output.replace(VIEW_PLACEHOLDER, self.renderer.view(view, page.file.url), 1)
        return output
