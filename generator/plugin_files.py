"""The plugin's adapter to MkDocs' file list: which files a build keeps, replaces and adds.

`assemble_files` turns the site plan into MkDocs' `Files`: ordinary pages and
assets kept, community files replaced by the pages the audience may see (at
their contract URLs), attachments kept only when published, and every
generated view, export and feed added. The File subclasses keep `mkdocs serve
--dirty` honest about which pages changed.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple
from urllib.parse import quote

from .audience import Publication
from .host import File, Files, HostConfig, InclusionLevel
from .model import Entry
from .render import SiteRenderer
from .sanitize import clean_svg
from .site import HOME, Feed, SitePlan, View


def assemble_files(files: Files, config: HostConfig, plan: SitePlan, renderer: SiteRenderer,
                   publication: Publication, log) -> Files:
    """The file list for this audience: ordinary files kept, community files replaced, views added.

    What the build leaves out but a page may still link to (a hidden entry, an
    internal community's attachment) stays in the list as excluded: MkDocs then
    resolves links to it quietly instead of warning, and never writes it; the
    rendered pages' links to it are taken out (see render.SiteRenderer.page).
    """
    kept: list[File] = []
    candidates = set(publication.attachments)
    hidden = publication.hidden
    docs = os.path.realpath(config.docs_dir)
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
        if source.startswith("communities/"):  # where only the loader decides what is published
            if source in plan.pages:
                kept.append(_page_file(plan, renderer, folders, source))
            elif source in publication.pages and source in hidden:
                kept.append(_page_file(plan, renderer, folders, source, publication.pages[source]))
            elif source in candidates:
                kept.append(_clean_svg(file, config, log) if source.lower().endswith(".svg") else file)
            elif source in hidden and not file.is_documentation_page():
                file.inclusion = InclusionLevel.EXCLUDED
                kept.append(file)
            # Anything else below communities/ (a stray file, a symlink, a page of a broken
            # community) was reported by the loader and is never published.
            continue
        if file.abs_src_path and _outside(file.abs_src_path, docs, config.docs_dir):
            log.error("%s: is a link to a file outside the docs folder or into communities/; it is not published",
                      source)
            continue
        if source in publication.hidden_pages:
            file.inclusion = InclusionLevel.EXCLUDED
        if source == HOME:
            # The home page lists the communities (SiteRenderer.page): `--dirty` draws it again every time,
            # as it does a community's home, or a renamed community would keep its old title there.
            file.is_modified = _modified
        kept.append(file)
    for source, generated in plan.generated.items():
        if isinstance(generated, Feed):
            file = _FeedFile.generated(config, source, content="")
            file.feed, file.renderer = generated, renderer
        else:
            file = _GeneratedFile.generated(config, source, content="" if isinstance(generated, View)
                                            else generated.content)
            file.unchanged = isinstance(generated, View) and renderer.is_unchanged(generated)
        file.written = renderer.written_texts
        file.inclusion = InclusionLevel.INCLUDED if generated.in_nav else InclusionLevel.NOT_IN_NAV
        kept.append(file)
    return Files(kept)


def _modified() -> bool:
    return True


def let_go(files: Files | None) -> None:
    """Drop what the build's files hold of the plan and the renderer, once every page and file is written."""
    for file in files or ():
        if isinstance(file, _PreparedFile):
            file._plan = file._renderer = None
        elif isinstance(file, _FeedFile):
            file.feed = file.renderer = None


def _clean_svg(file: File, config: HostConfig, log) -> File:
    """An SVG attachment as the site publishes it: with nothing in it that can run or load (see sanitize.clean_svg)."""
    with open(file.abs_src_path, "rb") as source:
        cleaned = clean_svg(source.read())
    if cleaned is None:
        log.warning("%s: is not a valid SVG image, so it cannot be made safe; it is not published", file.src_uri)
        file.inclusion = InclusionLevel.EXCLUDED
        return file
    clean = File.generated(config, file.src_uri, content=cleaned)
    clean.inclusion = file.inclusion
    return clean


def _outside(path: str, docs: str, docs_dir: str) -> bool:
    """Whether a file of the docs folder is, through a symbolic link, outside it or inside its communities/."""
    if not path.startswith(docs_dir.rstrip(os.sep) + os.sep) and not path.startswith(docs + os.sep):
        return False  # a theme's file, not the docs folder's
    real = os.path.realpath(path)
    if real == os.path.abspath(path):
        return False
    return not real.startswith(docs + os.sep) or real.startswith(os.path.join(docs, "communities") + os.sep)


def _page_file(plan: SitePlan, renderer: SiteRenderer, folders: _Folders, source: str, hidden=None) -> File:
    """A community or entry page at its contract URL whatever folder it sits in (excluded when `hidden` is it)."""
    page = hidden if hidden is not None else plan.pages[source]
    if hidden is not None:
        inclusion = InclusionLevel.EXCLUDED
    else:
        # Entries stay out of the navigation: Material renders it into every page.
        inclusion = InclusionLevel.NOT_IN_NAV if isinstance(page, Entry) else InclusionLevel.UNDEFINED
    return _PreparedFile(
        source, folders, dest_uri=page.url + "index.html", inclusion=inclusion, plan=plan, renderer=renderer,
        # A community's home lists its entries: rebuilt whenever any may have changed.
        always_modified=not isinstance(page, Entry),
    )


#: what urllib's quote() leaves as it is (its own test is slower than this one)
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~/-]*\Z").match


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
    #: a serve session's texts as it last wrote them (dest_uri -> text); None outside `mkdocs serve`
    written: dict[str, str] | None = None

    def copy_file(self, dirty: bool = False) -> None:
        """Write the file, then let go of its text (exports of a large network are megabytes)."""
        if dirty and not self.is_modified():
            return
        self._write(dirty)

    def _write(self, dirty: bool) -> None:
        text = self._content
        if not (dirty and self.written is not None and self.written.get(self.dest_uri) == text
                and os.path.isfile(self.abs_dest_path)):
            # (Else `--dirty`, and the file holds this very text already, an edit having changed none of it:
            # megabytes for a network's feed and exports, not written again.)
            super().copy_file(dirty=False)
        self._content = ""
        if self.written is not None and isinstance(text, str):
            self.written[self.dest_uri] = text

    def is_modified(self) -> bool:
        """Whether `--dirty` must write the file again: unless unchanged and already written."""
        return not (self.unchanged and os.path.isfile(self.abs_dest_path))


class _FeedFile(_GeneratedFile):
    """A feed, drawn when MkDocs copies it: after every entry page is rendered (its summaries come from them)."""

    feed: Feed
    renderer: SiteRenderer

    def copy_file(self, dirty: bool = False) -> None:
        """Draw the feed, then write it as MkDocs writes any generated file."""
        if dirty and not self.is_modified():
            return
        # Drawn only now, and let go of once written (see _GeneratedFile): every feed lists every entry,
        # and MkDocs copies files after it converts the pages (their summaries come from them).
        self._content = self.renderer.feed(self.feed)
        self._write(dirty)

    def is_modified(self) -> bool:
        """Whether `--dirty` must write the feed again: unless it was last drawn from what it would show now."""
        return not (self.renderer.feed_is_current(self.feed) and os.path.isfile(self.abs_dest_path))


class _PreparedFile(File):
    """A page backed by its real source file whose text (front matter read, names redacted) we supply.

    Unlike `File.generated(content=...)`, it keeps MkDocs' mtime check, so
    `mkdocs serve --dirty` rebuilds only the entries that changed, and the
    page keeps its "edit" link.
    """

    def __init__(self, src_uri: str, folders: _Folders, *, dest_uri: str, inclusion: InclusionLevel,
                 plan: SitePlan, renderer: SiteRenderer, always_modified: bool = False):
        # File.__init__'s work, minus re-normalising a path that is already a posix
        # src_uri (a measurable share of a serve rebuild at thousands of entries).
        self.src_uri = src_uri
        self.src_dir = folders.docs_dir
        self.dest_dir = folders.site_dir
        self.use_directory_urls = folders.use_directory_urls
        self.dest_uri = dest_uri
        # File.url's own rule (a directory URL drops index.html), set here rather than
        # computed by a cached_property on first use: thousands of pages.
        url = dest_uri[:-len("index.html")] if folders.use_directory_urls else dest_uri
        self.url = url if _URL_SAFE(url) else quote(url)
        self.inclusion = inclusion
        # The plan itself, not a closure over it: a closure is four more objects per page.
        self._plan = plan
        self._renderer = renderer
        self._always_modified = always_modified
        self._modified: bool | None = None

    def is_modified(self) -> bool:
        """Whether `--dirty` must rebuild the page: its file, or anything else it shows, changed since it was written.

        An entry's page shows its community (title, attribution), the links the
        build keeps and the templates, not only its own file.
        """
        # Asked twice per build (before reading and before writing): the first answer stands,
        # since drawing the page records it as current.
        if self._modified is None:
            self._modified = self._always_modified or super().is_modified() \
                or not self._renderer.page_is_current(self.src_uri)
        return self._modified

    @property
    def content_string(self) -> str:
        """The prepared Markdown, never the raw file."""
        return self._plan.markdown_of(self.src_uri)
