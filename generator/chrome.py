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
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

import jinja2

#: where the theme's own templates are reachable by name, past cop-memory's overrides
THEME_PREFIX = "theme/"


class Chrome:
    """Draws a theme partial for a page, reusing it for pages outside the navigation that share a folder."""

    def __init__(self, env: jinja2.Environment, nav_pages: Iterable, *, enabled: bool = True):
        self.env = env
        self.enabled = enabled
        #: the pages in the navigation (by identity): they are never served kept chrome
        self._in_nav = {id(page) for page in nav_pages}
        self._kept: dict[tuple[str, str], str] = {}
        #: partials drawn and partials reused, for tests and the benchmark
        self.drawn = 0
        self.reused = 0

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, name: str) -> str:
        """The theme's partial `name` as this page shows it."""
        page = context.get("page")
        key = self._key(name, page)
        if key is not None:
            kept = self._kept.get(key)
            if kept is not None:
                self.reused += 1
                return kept
        self.drawn += 1
        html = self.env.get_template(THEME_PREFIX + name).render(context.get_all())
        if key is not None:
            self._kept[key] = html
        return html

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
