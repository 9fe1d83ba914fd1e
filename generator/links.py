"""Links in entry bodies' Markdown, found with their lines, for reporting links across the line.

Only reports use this scan: what a build keeps as a link is decided on the
rendered page (targets.py), which does not depend on this scan finding every
link. Resolution is relative to the source file (as MkDocs does), so a link
keeps working when entries move between sub-folders.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

# [text](target "title") and ![alt](target); the text may hold one level of brackets.
_INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\]\n]*\])*)\]"
    r"\(\s*<?(?P<target>[^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
# [ref]: target "title"
_REFDEF = re.compile(r"^ {0,3}\[(?P<text>[^\]\n]+)\]:[ \t]*<?(?P<target>[^\s>]+)>?.*$", re.MULTILINE)
# <a href="target">text</a> and <img src="target">
_HTML_A = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*[\"'](?P<target>[^\"']*)[\"'][^>]*>(?P<text>.*?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
_HTML_SRC = re.compile(r"<(?:img|source|video|audio)\b[^>]*?\bsrc\s*=\s*[\"'](?P<target>[^\"']*)[\"'][^>]*>", re.IGNORECASE)
_PATTERNS = ((_INLINE, "inline"), (_REFDEF, "refdef"), (_HTML_A, "html"), (_HTML_SRC, "embed"))
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Link:
    """One link or embed in a Markdown body."""

    start: int
    end: int
    line: int
    text: str
    target: str
    resolved: str | None
    #: "inline" ([t](x)), "embed" (![a](x), <img src>), "refdef" ([r]: x) or "html" (<a href>)
    kind: str


def resolve(target: str, source: str) -> str | None:
    """The docs-relative path a link target points at, or None if it leaves the site."""
    if not target or target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(source), path)
    normal = posixpath.normpath(joined)
    if normal == ".." or normal.startswith("../"):
        return None
    return "" if normal == "." else normal


def find_links(body: str, source: str, first_line: int = 1) -> list[Link]:
    """Every link and embed in `body`, in order, with the file line it starts on."""
    if "](" not in body and "]:" not in body and "<" not in body:
        return []
    found = []
    for pattern, kind in _PATTERNS:
        for match in pattern.finditer(body):
            if kind == "inline" and match.group("bang"):
                this_kind = "embed"
            else:
                this_kind = kind
            text = "" if kind == "embed" else match.group("text")
            found.append((match.start(), match.end(), text, match.group("target"), this_kind))
    found.sort()
    newlines = [i for i, ch in enumerate(body) if ch == "\n"]
    return [
        Link(start, end, first_line + bisect.bisect_left(newlines, start), text, target,
             resolve(target, source), kind)
        for start, end, text, target, kind in found
    ]


def page_for(resolved: str, pages: dict):
    """The page (community or entry) a resolved link target names in `pages` (keyed by source and URL), if any."""
    for key in candidate_keys(resolved):
        if key in pages:
            return pages[key]
    return None


def candidate_keys(resolved: str) -> Iterator[str]:
    """The keys under which a resolved link target may name a page: its path, or its URL."""
    yield resolved
    stripped = resolved.rstrip("/")
    if stripped != resolved or not stripped.endswith(".md"):
        yield stripped + "/"
        yield posixpath.join(stripped, "index.md")
