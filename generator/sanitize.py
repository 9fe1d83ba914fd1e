"""Raw HTML in entries: report what is unsafe (with lines) and strip it from output.

Reporting scans the Markdown source, because only the source knows line
numbers; the guarantee comes from running the rendered HTML through nh3 (the
ammonia sanitiser), which does not depend on our scan catching everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from py_svg_hush import filter_svg

from .problem import Problem
from .targets import URL_ATTRIBUTES, srcset_urls

_UNSAFE = [
    (re.compile(r"<\s*(script|iframe|object|embed)\b", re.IGNORECASE), "a <{0}> element"),
    (re.compile(r"<[^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE), "an event-handler attribute ({0}=)"),
    # Only in a URL position (attribute value or Markdown link target), so
    # prose about JavaScript is not reported.
    (re.compile(r"(?:=\s*[\"']?|\]\(\s*<?)\s*(javascript)\s*:", re.IGNORECASE), "a {0}: URL"),
]

# Markdown and Material produce these beyond nh3's defaults; ids and classes
# carry anchors, admonitions and code highlighting.
_TAGS = set(nh3.ALLOWED_TAGS) | {"input", "label", "tfoot", "section"}
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"class", "id", "title", "lang", "dir"}
_ATTRIBUTES["a"] = _ATTRIBUTES.get("a", set()) | {"title", "name"}
_ATTRIBUTES["img"] = _ATTRIBUTES.get("img", set()) | {"title", "loading"}
_ATTRIBUTES["input"] = {"type", "checked", "disabled"}
_ATTRIBUTES["label"] = {"for"}
_ATTRIBUTES["code"] = {"class"}
_ATTRIBUTES["td"] = _ATTRIBUTES.get("td", set()) | {"style"}
_ATTRIBUTES["th"] = _ATTRIBUTES.get("th", set()) | {"style"}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def find_unsafe_html(text: str, path: str, first_line: int, field: str = "body") -> list[Problem]:
    """Warnings for every unsafe construct in `text`, one per construct, with its line."""
    problems = []
    if "<" not in text and ":" not in text:
        return problems
    for offset, line in enumerate(text.splitlines()):
        for pattern, what in _UNSAFE:
            for match in pattern.finditer(line):
                problems.append(
                    Problem(
                        path,
                        first_line + offset,
                        field,
                        f"{what.format(match.group(1).lower())} is not allowed in entries; "
                        "it is removed from every build",
                        suggestion="link to the content instead, or embed an image with ![alt](file)",
                        severity="warning",
                    )
                )
    return problems


def clean_svg(data: bytes) -> bytes | None:
    """An SVG image with everything that can run or load removed (scripts, handlers, foreign objects, external
    references), rebuilt by Cloudflare's svg-hush; None if it is not valid SVG."""
    try:
        return filter_svg(data, {"image": ["png", "jpeg", "gif", "webp"]})
    except (ValueError, TypeError):
        return None


def clean_html(html: str, keep_url: Callable[[str], bool] | None = None) -> str:
    """The HTML with scripts, embeds, event handlers and javascript: URLs removed.

    With `keep_url`, every URL attribute (href, src, srcset, ...) whose URL it
    refuses is dropped: a link becomes its text, an embed loses its source.
    """
    attribute_filter = None
    if keep_url is not None:
        def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
            if attribute not in URL_ATTRIBUTES:
                return value
            urls = srcset_urls(value) if attribute == "srcset" else [value]
            return value if all(keep_url(url) for url in urls) else None

    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        # Keep Material/pymdownx inline styles on table alignment only.
        filter_style_properties={"text-align"},
        attribute_filter=attribute_filter,
    )
