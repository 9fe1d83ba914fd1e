"""Raw HTML in entries: report what is unsafe (with lines) and strip it from output.

Reporting scans the Markdown source, because only the source knows line
numbers; the guarantee comes from running the rendered HTML through nh3 (the
ammonia sanitiser), which does not depend on our scan catching everything.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable

import nh3
from py_svg_hush import filter_svg

from .problem import Problem
from .targets import URL_ATTRIBUTES, srcset_urls

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
    """Warnings for every unsafe construct in `text`, one per construct, with its line.

    Raw `<script>`, `<iframe>`, `<object>` and `<embed>` elements, event-handler
    attributes (`on...=`), and `javascript:` URLs in an attribute value (after
    entities are decoded and blanks and control characters dropped), in a
    Markdown link or image target, a reference definition or an autolink. Code
    (fenced blocks and inline code spans) is shown as text, so it is not
    reported, nor is prose that mentions JavaScript. One pass over the text:
    the time is linear in its length, whatever it holds.
    """
    if "<" not in text and "]" not in text:  # one character: the quickest test, and most text has neither
        return []
    if "`" in text or "~~~" in text:
        text = _mask_code(text)
    found: list[tuple[int, str]] = []
    targets: set[int] = set()  # where a Markdown target starts: a <javascript: there is not an autolink too
    for pattern in (_LINK_TARGET, _REFERENCE) if "]" in text else ():
        for match in pattern.finditer(text):
            targets.add(match.start(1) - 1)
            if _is_javascript(match.group(1)):
                found.append((match.start(), _JAVASCRIPT_URL))
    if "<" in text:
        found += _unsafe_tags(text)
        found += [(m.start(), _JAVASCRIPT_URL) for m in _AUTOLINK.finditer(text) if m.start() not in targets]
    problems = []
    line, counted = first_line, 0
    for position, what in sorted(found):
        line += text.count("\n", counted, position)
        counted = position
        problems.append(Problem(path, line, field,
                                f"{what} is not allowed in entries; it is removed from every build",
                                suggestion="link to the content instead, or embed an image with ![alt](file)",
                                severity="warning"))
    return problems


_UNSAFE_ELEMENTS = frozenset({"script", "iframe", "object", "embed"})
_JAVASCRIPT_URL = "a javascript: URL"
#: elements whose content is text up to their end tag (HTML's raw text and RCDATA elements)
_TEXT_ELEMENTS = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"})
_HANDLER = re.compile(r"on[a-z]+")
#: HTML's blanks: a tag's name and attributes end at these (not at other Unicode spaces)
_BLANK = "\t\n\f\r "
_TAG_NAME = re.compile(rf"[A-Za-z][^{_BLANK}/>]*+")
#: blanks and slashes, then maybe one attribute: its name, and its value if it has one.
#: Possessive throughout: nothing is read twice, an unclosed quote runs to the end of the text.
_ATTRIBUTE = re.compile(
    rf"[{_BLANK}/]*+(?:([^{_BLANK}/>][^{_BLANK}/>=]*+)"
    rf"(?:[{_BLANK}]*+=[{_BLANK}]*+(?:\"([^\"]*+)\"?|'([^']*+)'?|([^{_BLANK}>]*+)))?)?"
)
#: what a browser ignores in a URL's scheme (and more: this only reports)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
#: Markdown targets: [x](target), ![x](target), [x]: target, <javascript:...>; bounded, no backtracking
_LINK_TARGET = re.compile(r"\]\(\s*+<?+([^\s)>]{1,2000}+)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]{1,999}+\]:[ \t]*+\n?[ \t]*+<?+([^\s>]{1,2000}+)", re.MULTILINE)
_AUTOLINK = re.compile(r"<javascript:", re.IGNORECASE)
_end_tags: dict[str, re.Pattern] = {}


def _unsafe_tags(text: str) -> list[tuple[int, str]]:
    """(offset, what) for the unsafe elements and attributes of the HTML in `text`.

    A tokenizer after HTML's own (the WHATWG tokenizer, simplified): it never
    goes back, so its time is linear. html.parser.HTMLParser goes back to the
    start of an unclosed tag at every `<`, which is quadratic on `<a <a <a ...`.
    """
    found = []
    end = len(text)
    position = 0
    while (start := text.find("<", position)) >= 0 and start + 1 < end:
        after = text[start + 1]
        if _is_letter(after) or after == "/" and _is_letter(text[start + 2: start + 3]):
            closing = after == "/"
            name_match = _TAG_NAME.match(text, start + 2 if closing else start + 1)
            name = name_match.group().lower()
            attributes, position = _attributes(text, name_match.end())
            if position < 0:
                break  # the text ends inside the tag: a browser drops the tag, and nothing follows
            if closing:
                continue
            if name in _UNSAFE_ELEMENTS:
                found.append((start, f"a <{name}> element"))
            for attribute, value, offset in attributes:
                if value is None:
                    continue
                if _HANDLER.fullmatch(attribute):
                    found.append((offset, f"an event-handler attribute ({attribute}=)"))
                elif _is_javascript(value):
                    found.append((offset, _JAVASCRIPT_URL))
            if name in _TEXT_ELEMENTS:
                pattern = _end_tags.get(name) or _end_tags.setdefault(
                    name, re.compile(rf"</{name}[{_BLANK}/>]", re.IGNORECASE))
                closed = pattern.search(text, position)
                if closed is None:
                    break  # text to the end
                position = closed.start()
            elif name == "plaintext":
                break
        elif text.startswith("<!--", start):
            if text.startswith(("<!-->", "<!--->"), start):
                position = text.index(">", start + 4) + 1
                continue
            closed = _COMMENT_END.search(text, start + 4)
            if closed is None:
                break
            position = closed.end()
        elif after in "!?/":  # a bogus comment, up to the next >
            closed = text.find(">", start + 2)
            if closed < 0:
                break
            position = closed + 1
        else:  # a < in text
            position = start + 1
    return found


_COMMENT_END = re.compile(r"--!?>")


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _attributes(text: str, position: int) -> tuple[list[tuple[str, str | None, int]], int]:
    """A tag's attributes from `position` on: (name, value or None, offset), and the offset after
    its `>`, or -1 if the text ends first."""
    attributes = []
    end = len(text)
    while True:
        match = _ATTRIBUTE.match(text, position)
        name = match.group(1)
        if name is not None:
            value = next((v for v in match.group(2, 3, 4) if v is not None), None)
            attributes.append((name.lower(), value, match.start(1)))
        following = match.end()
        if following >= end:
            return attributes, -1
        if text[following] == ">":
            return attributes, following + 1
        position = max(following, position + 1)


def _is_javascript(url: str) -> bool:
    """Whether a URL (an attribute value, a link target) runs script when followed."""
    if "&" in url:
        url = html.unescape(url)
    if ":" not in url:
        return False
    return _IGNORED_IN_URL.sub("", url)[:11].lower() == "javascript:"


#: a fence line: its indent, the fence (``` or ~~~, or longer) and what follows it
_FENCE = re.compile(r"^[ \t]*+(`{3,}+|~{3,}+)(.*)$")
_INLINE_CODE = re.compile(r"`++")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NOT_NEWLINE = re.compile(r"[^\n]")


def _mask_code(text: str) -> str:
    """`text` with fenced code blocks and inline code spans blanked out (newlines kept, so lines stay).

    A fence is closed by a line of at least as many of the same character and
    nothing else; an unclosed fence is no code block (as in Python-Markdown).
    An inline code span is a run of backticks up to the next run of exactly as
    many, within one paragraph.
    """
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    masked: list[tuple[int, int]] = []  # (start, end) offsets to blank out
    if "```" in text or "~~~" in text:
        masked = _fenced_blocks(lines, starts)
    pieces = []
    done = 0
    for block_start, block_end in [*masked, (len(text), len(text))]:
        pieces.append(_mask_inline_code(text, done, block_start))
        pieces.append(_NOT_NEWLINE.sub(" ", text[block_start:block_end]))
        done = block_end
    return "".join(pieces)


def _fenced_blocks(lines: list[str], starts: list[int]) -> list[tuple[int, int]]:
    """The (start, end) offsets of the fenced code blocks, each from its opening to its closing fence."""
    fences = [(i, m.group(1), m.group(2)) for i, line in enumerate(lines)
              if ("```" in line or "~~~" in line) and (m := _FENCE.match(line))]
    # The lines that can close a fence, per character: their indices and lengths, and the longest from each on.
    closers: dict[str, tuple[list[int], list[int], list[int]]] = {"`": ([], [], []), "~": ([], [], [])}
    for i, fence, rest in fences:
        if not rest.strip():
            indices, lengths, _ = closers[fence[0]]
            indices.append(i)
            lengths.append(len(fence))
    for indices, lengths, longest in closers.values():
        longest.extend(lengths)
        for k in range(len(longest) - 2, -1, -1):
            longest[k] = max(longest[k], longest[k + 1])
    blocks = []
    after = 0  # the first line not yet in a block
    for i, fence, rest in fences:
        if i < after or fence[0] == "`" and "`" in rest:
            continue
        indices, lengths, longest = closers[fence[0]]
        k = bisect.bisect_right(indices, i)
        if k == len(indices) or longest[k] < len(fence):
            continue  # never closed: not a code block
        while lengths[k] < len(fence):  # passes only over lines inside this block
            k += 1
        blocks.append((starts[i], starts[indices[k]] + len(lines[indices[k]])))
        after = indices[k] + 1
    return blocks


def _mask_inline_code(text: str, start: int, end: int) -> str:
    """text[start:end] with its inline code spans blanked out."""
    if "`" not in text[start:end]:
        return text[start:end]
    pieces = []
    done = start
    for paragraph in _paragraphs(text, start, end):
        runs = [(m.start(), m.end()) for m in _INLINE_CODE.finditer(text, *paragraph)]
        # For each run length, the runs of that length, in order: a span ends at the next one.
        by_length: dict[int, list[int]] = {}
        for k, (a, b) in enumerate(runs):
            by_length.setdefault(b - a, []).append(k)
        seen = dict.fromkeys(by_length, 0)  # how far each list has been passed
        k = 0
        while k < len(runs):
            length = runs[k][1] - runs[k][0]
            same = by_length[length]
            while same[seen[length]] <= k and seen[length] < len(same) - 1:
                seen[length] += 1
            closing = same[seen[length]]
            if closing <= k:
                k += 1  # no closing run: literal backticks
                continue
            pieces.append(text[done:runs[k][0]])
            pieces.append(_NOT_NEWLINE.sub(" ", text[runs[k][0]:runs[closing][1]]))
            done = runs[closing][1]
            k = closing + 1
    pieces.append(text[done:end])
    return "".join(pieces)


def _paragraphs(text: str, start: int, end: int):
    """(start, end) of each run of lines between blank lines in text[start:end]."""
    for blank in _BLANK_LINE.finditer(text, start, end):
        yield start, blank.start()
        start = blank.end()
    yield start, end


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
