"""What a URL in a rendered page points at, resolved as a browser would, and whether a build may keep it.

Links and embeds are judged on the rendered HTML, not on the Markdown source:
every `href`/`src` a reader could follow is resolved against the page's URL and
the site's URL, then looked up among what the build publishes and what it
hides. All hidden targets (pages and files) are known before any page is
rendered, so nothing is unlinked on a guess.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from urllib.parse import unquote, urljoin, urlsplit

#: where a page is resolved when the site has no site_url (a host no one can own)
_PLACEHOLDER = "https://cop-memory.invalid/"
#: attributes that hold a URL a browser follows or fetches
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "poster", "action", "formaction", "data", "cite",
                            "longdesc", "background", "xlink:href", "ping"})
#: what MkDocs accepts as a Markdown source (lower-cased extensions)
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


class Targets:
    """One build's published and hidden targets, as site-relative paths, and the judge of a page's URLs."""

    def __init__(self, site_url: str | None, *, published: Iterable[str], hidden: Iterable[str],
                 hidden_sources: Iterable[str] = (), guard_prefix: str = "communities/"):
        base = site_url if site_url else _PLACEHOLDER
        self.base = base if base.endswith("/") else base + "/"
        split = urlsplit(self.base)
        self._origin = (split.scheme.lower(), split.netloc.lower())
        self._root = split.path
        #: site paths a reader can reach: page URLs ("communities/x/slug/") and files ("matrix.json")
        self.published = set(published)
        #: site paths of pages and files this build leaves out, and the source files they come from
        self.hidden = set(hidden) | set(hidden_sources)
        #: an unknown target below this prefix is treated as hidden: it can only name left-out content
        self.guard_prefix = guard_prefix
        #: published files a kept link or embed pointed at (for attachments: published only if referenced)
        self.referenced: set[str] = set()

    def site_path(self, value: str, page_url: str) -> str | None:
        """The site-relative path a URL in the page at `page_url` reaches, or None if it leaves the site."""
        value = value.strip()
        if not value or value.startswith("#"):
            return None
        absolute = urljoin(urljoin(self.base, page_url), value)
        split = urlsplit(absolute)
        if (split.scheme.lower(), split.netloc.lower()) != self._origin or not split.path.startswith(self._root):
            return None
        return _normal(unquote(split.path[len(self._root):]))

    def source_path(self, value: str, source: str) -> str | None:
        """For a link to a Markdown source left as written, the docs path it names relative to `source`."""
        path = unquote(value.split("#", 1)[0].split("?", 1)[0])
        if not path.lower().endswith(MARKDOWN_EXTENSIONS) or "://" in path or path.startswith("//"):
            return None
        joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(source), path)
        normal = posixpath.normpath(joined)
        return None if normal.startswith("../") or normal == ".." else normal

    def hides(self, value: str, page_url: str, source: str = "") -> bool:
        """Whether a URL in a page must not stay a link or embed: it names something left out."""
        path = self.site_path(value, page_url)
        named = [p for p in (path, self.source_path(value, source) if source else None) if p is not None]
        for candidate in named:
            if candidate in self.hidden or _as_page(candidate) in self.hidden:
                return True
        if path is None:
            return False
        if path in self.published or _as_page(path) in self.published:
            self.referenced.add(path)
            return False
        # Unknown below communities/: a broken link there can only spell out left-out ids and file names.
        return path.startswith(self.guard_prefix) or any(p.startswith(self.guard_prefix) for p in named[1:])


def _normal(path: str) -> str:
    """A site path without `.`/`..` segments and without a trailing `index.html`."""
    keep_slash = path.endswith("/") or path == ""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    if parts and parts[-1] == "index.html":
        parts.pop()
        keep_slash = True
    joined = "/".join(parts)
    return joined + "/" if keep_slash and joined else joined


def _as_page(path: str) -> str:
    """The directory URL form of a path (`a/b` -> `a/b/`), for pages written without their slash."""
    return path if path.endswith("/") or not path else path + "/"


def page_url(source: str) -> str:
    """The directory URL MkDocs gives a Markdown source (`a/b.md` -> `a/b/`, `a/index.md` -> `a/`)."""
    stem, _ = posixpath.splitext(source)
    if stem == "index" or stem.endswith("/index") or stem.lower().endswith("/readme") or stem.lower() == "readme":
        stem = posixpath.dirname(stem)
        return stem + "/" if stem else ""
    return stem + "/"


def srcset_urls(value: str) -> list[str]:
    """The URLs of a `srcset` value (`a.png 1x, b.png 2x`)."""
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]
