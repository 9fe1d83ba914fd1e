"""One pass over a rendered HTML fragment: what a reader sees (text, URLs) read and rewritten by a tokenizer.

Used where the sanitiser does not run: hand-written pages (their links to left-out
targets are taken out in the public build), and Chatham House pages (names are
redacted on the text a reader sees, after entities are decoded and markup
removed, not only on the Markdown source). Also gives an entry's excerpt: the
first paragraph of prose a reader sees. Linear: Python's HTML tokenizer, no
backtracking regex.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable
from html.parser import HTMLParser

from .targets import URL_ATTRIBUTES, srcset_urls

#: elements whose text is code or script, not prose a name could be read in as text
_RAW = frozenset({"script", "style"})
#: attributes a reader sees as text (tooltips, alternative text, labels)
_TEXT_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "aria-description", "placeholder", "summary"})
#: elements that end without an end tag
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})


def urls_in(html: str) -> list[str]:
    """Every URL a reader could follow or load in the fragment (href, src, srcset, ...)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.urls


def rewrite(html: str, *, keep_url: Callable[[str], bool] | None = None,
            redact: Callable[[str], str] | None = None) -> str:
    """The fragment with refused URLs dropped (a link keeps its text) and, with `redact`, its text redacted.

    Unchanged input comes back as the very same string: pages with nothing to do are not re-serialised.
    """
    if keep_url is not None and redact is None and all(keep_url(url) for url in urls_in(html)):
        return html
    writer = _Writer(keep_url, redact)
    writer.feed(html)
    writer.close()
    return "".join(writer.out)


def first_paragraph(html: str) -> str:
    """The text of the first top-level paragraph of prose, entities decoded and spaces collapsed."""
    finder = _FirstParagraph()
    try:
        finder.feed(html)
        finder.close()
    except _Found:
        pass
    return " ".join("".join(finder.text).split())


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                self.urls += srcset_urls(value) if name == "srcset" else [value]


class _Writer(HTMLParser):
    def __init__(self, keep_url, redact) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_url = keep_url
        self.redact = redact
        self.out: list[str] = []
        self.raw = 0

    def _attributes(self, attrs) -> str:
        parts = []
        for name, value in attrs:
            if value is None:
                parts.append(f" {name}")
                continue
            if name in URL_ATTRIBUTES and self.keep_url is not None:
                urls = srcset_urls(value) if name == "srcset" else [value]
                if not all(self.keep_url(url) for url in urls):
                    continue
            if self.redact is not None and (name in _TEXT_ATTRIBUTES or name in URL_ATTRIBUTES):
                value = self.redact(value)
            parts.append(f' {name}="{html_lib.escape(value, quote=True)}"')
        return "".join(parts)

    def handle_starttag(self, tag, attrs):
        if tag in _RAW:
            self.raw += 1
        self.out.append(f"<{tag}{self._attributes(attrs)}>")

    def handle_startendtag(self, tag, attrs):
        self.out.append(f"<{tag}{self._attributes(attrs)}>")

    def handle_endtag(self, tag):
        if tag in _RAW and self.raw:
            self.raw -= 1
        if tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.raw:
            self.out.append(data)
            return
        if self.redact is not None:
            data = self.redact(data)
        self.out.append(html_lib.escape(data, quote=False))

    def handle_comment(self, data):
        # A comment is not shown, but it is in the page's source: keep it only where nothing is redacted.
        if self.redact is None:
            self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


class _Found(Exception):
    """The first paragraph is complete: stop tokenizing."""


class _FirstParagraph(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.inside = 0
        self.skip = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        if tag == "p" and self.depth == 0 and not self.inside:
            self.inside = 1
        elif self.inside:
            self.inside += 1
            if tag in _RAW or tag in ("sup", "a") and dict(attrs).get("class") == "headerlink":
                self.skip += 1
        self.depth += 1

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        if self.inside:
            self.inside -= 1
            if self.skip and tag in (*_RAW, "sup", "a"):
                self.skip -= 1
            if self.inside == 0:
                if "".join(self.text).strip():
                    raise _Found
                self.text = []

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.text.append(data)
