"""The plugin's adapter to MkDocs' file list: which files a build keeps, replaces and adds.

`assemble_files` turns the site plan into MkDocs' `Files`: ordinary pages and
assets kept, community files replaced by the pages the audience may see (at
their contract URLs), attachments kept only when published, and every
generated view, export and feed added. The File subclasses keep `mkdocs serve
--dirty` honest about which pages changed.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from .audience import Publication
from .host import File, Files, HostConfig, InclusionLevel
from .model import Entry
from .render import SiteRenderer
from .site import SitePlan, View


def assemble_files(files: Files, config: HostConfig, plan: SitePlan, renderer: SiteRenderer,
                   publication: Publication, log) -> Files:
    """The file list for this audience: ordinary files kept, community files replaced, views added."""
    kept: list[File] = []
    attachments = set(publication.attachments)
    # Read once: a config option is a descriptor lookup, and there is a page per entry.
    folders = _Folders(config.docs_dir, config.site_dir, config.use_directory_urls)
    for file in files:
        source = file.src_uri
        generated = plan.generated.get(source)
        if generated is not None and generated.optional:
            # The site's own page stands: it gets no generated body or metadata.
            del plan.generated[source]
            kept.append(file)
            continue
        if generated is not None:
            # A hand-written file where a generated page lives: the generated page wins.
            log.error("%s: collides with the page cop-memory generates at /%s; rename it", source, generated.url)
            continue
        if not _in_community_folder(source):
            kept.append(file)
        elif source in plan.pages:
            kept.append(_page_file(plan, folders, source))
        elif not file.is_documentation_page() and source in attachments:
            kept.append(file)
    for source, generated in plan.generated.items():
        is_view = isinstance(generated, View)
        file = _GeneratedFile.generated(config, source, content="" if is_view else generated.content)
        file.inclusion = InclusionLevel.INCLUDED if generated.in_nav else InclusionLevel.NOT_IN_NAV
        file.unchanged = is_view and renderer.is_unchanged(generated)
        kept.append(file)
    return Files(kept)


def _page_file(plan: SitePlan, folders: _Folders, source: str) -> File:
    """A community or entry page, published at its contract URL whatever folder it sits in."""
    page = plan.pages[source]
    return _PreparedFile(
        source, folders, dest_uri=page.url + "index.html",
        # Entries stay out of the navigation: Material renders it into every page.
        inclusion=InclusionLevel.NOT_IN_NAV if isinstance(page, Entry) else InclusionLevel.UNDEFINED,
        plan=plan,
        # A community's home lists its entries: rebuilt whenever any may have changed.
        always_modified=not isinstance(page, Entry),
    )


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
