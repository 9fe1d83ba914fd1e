"""Old addresses that keep working: a small redirect file for each alias of each published entry.

An entry's `aliases` are its former slugs (contract 9.1). Each becomes a plain
HTML file at `communities/<community>/<alias>/index.html`, as MkDocs' redirect
plugins write them: not a page, so it is in neither the navigation, the
sitemap nor the search index. It sends the reader on with a meta refresh and a
visible link (both relative, so they work under a path) and names the entry
with a canonical link. Only published entries are given, so an internal
entry's old addresses never reach the public build.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from . import urls
from .model import Entry


def redirect_files(entries: Iterable[Entry], taken: set[str], site_url: str | None,
                   language: str = "en") -> dict[str, str]:
    """The path and HTML of each alias's redirect; never one over a URL in `taken` (what the build publishes)."""
    written: dict[str, str] = {}
    # Oldest first, so when two entries claim one alias (an error review reports) the choice is stable.
    for entry in sorted(entries, key=lambda e: (e.date, e.source)):
        for alias in entry.aliases:
            old = f"communities/{entry.community}/{alias}/"
            path = old + "index.html"
            if old in taken or path in written:
                continue
            written[path] = redirect_html(entry, old, site_url, language)
    return written


def redirect_html(entry: Entry, old_url: str, site_url: str | None, language: str = "en") -> str:
    """A page at `old_url` that sends the reader on to the entry, with a canonical link to it."""
    target = escape(urls.relative(old_url, entry.url), quote=True)
    canonical = escape(urls.absolute(site_url, entry.url) or urls.relative(old_url, entry.url), quote=True)
    title = escape(entry.title, quote=True)
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(language, quote=True)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n"
        "<body>\n"
        f'<main><h1>{title}</h1><p>This page has a new address: <a href="{target}">{title}</a>.</p></main>\n'
        "</body>\n"
        "</html>\n"
    )
