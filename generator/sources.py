"""A statement's `source`: free text, or Markdown with links, shown only as far as the audience may see it.

`published_source` is the audience stage's part (`audience.publish` calls it):
the source is rendered once as inline Markdown, sanitised to a few inline
tags, and every link Python-Markdown made is then judged on its target: kept if
it leaves the site for an http(s) or mailto address, or if it names a page or
file the build publishes (its target becomes the `/`-rooted site path of what it
names); reduced to its text otherwise. Deciding on the rendered links, not on a
scan of the Markdown, means no link syntax the scan might miss can slip a
hidden target through. After publish a statement's `source` is that small piece
of safe HTML: `source_html` draws it on a page (targets made relative to the
page) and `source_text` writes it as plain text for the CSV export.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup

from . import links

#: link targets that leave the site and may stay links
EXTERNAL = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
#: the only markup a source keeps: emphasis, code and links
_INLINE_TAGS = {"a", "em", "strong", "b", "i", "code", "sub", "sup"}
_ANCHOR = re.compile(r'<a href="(?P<href>[^"]*)">(?P<inner>.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
#: a source without any of these is plain text: no Markdown, no HTML, no entity to read
_MARKUP = re.compile(r"[\[\]<>*_`&\\!]")


def published_source(text: str, entry_source: str, is_hidden: Callable[[str], bool],
                     url_of: Callable[[str], str]) -> str:
    """The source as a build may show it: inline HTML whose links leave the site or name what the build publishes.

    `is_hidden(resolved)` says whether the build leaves out what a link names
    (a docs path, resolved relative to `entry_source`); `url_of(resolved)` gives
    the site-relative URL of what it publishes.
    """

    text = _SPACE.sub(" ", text).strip()
    if not _MARKUP.search(text):
        # Most sources are plain words ("Members' survey, June 2021"): no need to render them.
        return html.escape(text, quote=False)

    def judged(match: re.Match) -> str:
        href = html.unescape(match.group("href")).strip()
        inner = match.group("inner")
        if EXTERNAL.match(href):
            return f'<a href="{html.escape(href, quote=True)}">{inner}</a>'
        resolved = links.resolve(href, entry_source)
        if resolved is None or is_hidden(resolved):
            return inner
        fragment = "#" + href.split("#", 1)[1] if "#" in href else ""
        target = "/" + quote(url_of(resolved), safe="/-._~") + quote(fragment, safe="#-._~")
        return f'<a href="{html.escape(target, quote=True)}">{inner}</a>'

    return _SPACE.sub(" ", _ANCHOR.sub(judged, _inline_html(text))).strip()


def link_targets(entry) -> tuple[tuple[str, str, str], ...]:
    """(cycle, target as written, resolved docs path) of each link inside the site in the entry's statement sources.

    A scan of the Markdown, for reporting and for keeping results across serve
    rebuilds; what a build shows is decided on the rendered links (`published_source`).
    """
    found = []
    for cycle, statements in entry.cycles.items():
        for statement in statements:
            if statement.source and ("](" in statement.source or "<" in statement.source):
                found += [(cycle, link.target, link.resolved)
                          for link in links.find_links(statement.source, entry.source) if link.resolved]
    return tuple(found)


def site_url_of(resolved: str, pages: dict) -> str:
    """The site-relative URL of a resolved docs path: a page's own URL, a Markdown page's folder, or the file itself."""
    page = links.page_for(resolved, pages)
    if page is not None:
        return page.url
    if resolved.endswith(".md"):
        stem = resolved[: -len(".md")]
        if posixpath.basename(stem) == "index":
            return stem[: -len("index")]
        return stem + "/"
    return resolved


def source_html(text: str | None, url: Callable[[str], str]) -> Markup:
    """A published source as HTML for the page whose `url(site_path)` makes a site path relative to it."""
    if not text:
        return Markup("")
    # Only their site-rooted targets change per page. Cleaned once more, so that a source that did not
    # pass through publish (a template drawing some other statement) can never bring markup with it.
    return Markup(re.sub(r'<a href="/([^"]*)">',
                         lambda m: f'<a href="{html.escape(url(html.unescape(m.group(1))), quote=True)}">',
                         _clean_inline(text)))


@functools.lru_cache(maxsize=4096)
def source_text(text: str | None) -> str:
    """A published source as plain text, each link written `text (address)` (for the CSV export)."""
    if not text:
        return ""
    flat = _ANCHOR.sub(lambda m: f"{m.group('inner')} ({m.group('href')})", text)
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", flat))).strip()


@functools.lru_cache(maxsize=4096)
def _inline_html(text: str) -> str:
    """Inline Markdown (links, emphasis, code) as HTML with only those tags, no paragraph or block around it."""
    converter = _converter()
    converter.reset()
    rendered = converter.convert(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return _clean_inline(rendered)


@functools.lru_cache(maxsize=4096)
def _clean_inline(rendered: str) -> str:
    """HTML reduced to emphasis, code and links with an http(s), mailto or relative href, nothing else."""
    cleaned = nh3.clean(rendered, tags=_INLINE_TAGS, attributes={"a": {"href"}},
                        url_schemes={"http", "https", "mailto"}, link_rel=None, strip_comments=True)
    # One form of anchor for the judging above: href only, double quotes (nh3 writes them so).
    return re.sub(r"<a(?: [^>]*)?>", lambda m: _href_only(m.group(0)), cleaned)


def _href_only(tag: str) -> str:
    """An `<a ...>` tag with its href alone (an anchor without one is written without it)."""
    found = re.search(r'href="([^"]*)"', tag)
    return f'<a href="{found.group(1)}">' if found else '<a href="">'


@functools.cache
def _converter() -> markdown.Markdown:
    """One Python-Markdown converter that knows paragraphs only: a source is one line, never a heading or a list."""
    converter = markdown.Markdown()
    for name in [item.name for item in converter.parser.blockprocessors._priority]:
        if name != "paragraph":
            converter.parser.blockprocessors.deregister(name)
    return converter
