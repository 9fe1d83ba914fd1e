"""The theme's chrome (navigation, tabs, footer), drawn once per folder for the pages outside the navigation.

Material draws its navigation into every page, and it is most of a page's
rendering time. For a page outside the navigation (an entry, a timeline's
second page) no item of it is active and there is no previous or next page,
so what the navigation, tabs and footer show depends only on the page's
folder: every link in them is relative to it. `Chrome` draws each of those
partials once per folder and gives the same HTML to every page there; pages in
the navigation are always drawn afresh. cop-memory's copies of those partials
(site_templates/overrides/partials/) call it, and render the theme's own
partial through the `theme/` prefix, so the output is byte for byte the same
(a test builds sites with and without it and compares every file).

The blocks at the end of the page template (the theme's settings and
scripts) and its styles show nothing of the page: cop-memory's main.html has
them drawn once per folder the same way.

The header shows one thing of the page: its title. `Chrome` keeps it per folder
with a hole where the title goes, found by drawing it once for a stand-in page
whose title is a marker no filter leaves unchanged; the first page of each
folder is also drawn for real and must match, or the header is drawn for every
page of that folder.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable

import jinja2

#: where the theme's own templates are reachable by name, past cop-memory's overrides
THEME_PREFIX = "theme/"
#: a stand-in page's title: any filter (escaping, stripping tags, truncating, changing case) changes it
TITLE_MARKER = "\x00copmem-title <&\"'> Title\x00"
#: kept for a titled partial that must be drawn for each page of its folder
_UNKEPT = object()


class Chrome:
    """Draws a theme partial for a page, reusing it for pages outside the navigation that share a folder."""

    def __init__(self, env: jinja2.Environment, nav_pages: Iterable, *, enabled: bool = True):
        self.env = env
        self.enabled = enabled
        #: the pages in the navigation (by identity): they are never served kept chrome
        self._in_nav = {id(page) for page in nav_pages}
        #: a partial's HTML, or a titled partial's parts around its title, or _UNKEPT
        self._kept: dict[tuple[str, str], object] = {}
        #: partials drawn and partials reused, for tests and the benchmark
        self.drawn = 0
        self.reused = 0

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, name: str, titled: bool = False) -> str:
        """The theme's partial `name` as this page shows it; `titled`: it shows the page's title, and nothing else of it."""
        page = context.get("page")
        key = self._key(name, page)
        if key is None:
            return self._draw(name, context.get_all())
        kept = self._kept.get(key)
        if kept is None:
            html = self._draw(name, context.get_all())
            self._kept[key] = self._with_hole(name, context, html) if titled else html
            return html
        if isinstance(kept, str):
            self.reused += 1
            return kept
        if kept is _UNKEPT:
            return self._draw(name, context.get_all())
        self.reused += 1
        return _title(page).join(kept)

    @jinja2.pass_context
    def block(self, context: jinja2.runtime.Context, name: str, caller: Callable[[], str]) -> str:
        """A block of the theme's page template that shows nothing of the page (`caller` draws it)."""
        key = self._key(f"block {name}", context.get("page"))
        if key is None:
            return caller()
        kept = self._kept.get(key)
        if kept is None:
            kept = self._kept[key] = caller()
            self.drawn += 1
        else:
            self.reused += 1
        return kept

    def _draw(self, name: str, variables: dict) -> str:
        self.drawn += 1
        return self.env.get_template(THEME_PREFIX + name).render(variables)

    def _with_hole(self, name: str, context: jinja2.runtime.Context, html: str) -> object:
        """The partial cut where the title goes, if drawing it for a stand-in page shows the title as it is, and only it."""
        page = context.get("page")
        probe = self._draw(name, {**context.get_all(), "page": _StandIn(page)})
        parts = tuple(probe.split(TITLE_MARKER))
        if len(parts) < 2 or _title(page).join(parts) != html:
            return _UNKEPT
        return parts

    def _key(self, name: str, page) -> tuple[str, str] | None:
        """What the partial depends on for this page, or None when it must be drawn for this page alone."""
        if not self.enabled or page is None or id(page) in self._in_nav:
            return None
        if getattr(page, "previous_page", None) is not None or getattr(page, "next_page", None) is not None:
            return None
        url = getattr(page, "url", None)
        if url is None:
            return None
        # Links in the chrome are relative to the page's folder: "communities/x/a/" and
        # "communities/x/b/" share every one of them.
        return name, posixpath.dirname(url.rstrip("/"))


def theme_loader(env: jinja2.Environment, theme_folders: list[str]) -> None:
    """Make the theme's own templates reachable as `theme/<name>` beside the environment's loader."""
    prefixed = jinja2.PrefixLoader({THEME_PREFIX.rstrip("/"): jinja2.FileSystemLoader(theme_folders)})
    env.loader = jinja2.ChoiceLoader([env.loader, prefixed])


def _title(page) -> str:
    """The title a page's header shows: its front matter's title, or the title MkDocs gave it."""
    meta = getattr(page, "meta", None)
    return str(meta.get("title") if meta and meta.get("title") else page.title)


class _StandIn:
    """A page whose title (and front-matter title, where it has one) is the marker; the rest is the page's own."""

    def __init__(self, page):
        self._page = page
        meta = getattr(page, "meta", None)
        self.meta = {**meta, "title": TITLE_MARKER} if meta and meta.get("title") else meta
        self.title = TITLE_MARKER

    def __getattr__(self, name: str):
        return getattr(self._page, name)
