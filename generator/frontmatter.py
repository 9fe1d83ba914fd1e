"""Strict front matter: YAML between `---` lines at the top of a file, with a line for every key.

MkDocs' own reader swallows YAML errors and keeps the last of duplicated keys;
here every problem becomes a `Problem` with its line, and values keep their
YAML types (no coercion), so the loader can refuse `visibility: no`. Anchors,
aliases and merge keys are refused (front matter needs none, and nested aliases
expand a few hundred bytes into gigabytes), and so is a value nested more than
MAX_DEPTH deep.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problem import Problem

#: COPMEM_PURE_YAML=1 (read once, at import) forces PyYAML's pure-Python loader. By default
#: libyaml's parser is used when PyYAML was built with it: the same values, several times faster,
#: but its own limits and wording; CI runs the parsing tests with both.
PURE_YAML = os.environ.get("COPMEM_PURE_YAML", "").strip() not in ("", "0")
_Loader = yaml.SafeLoader if PURE_YAML or not hasattr(yaml, "CSafeLoader") else yaml.CSafeLoader

#: How deeply lists and mappings may nest. Front matter needs two or three levels; far more is an
#: unclosed [ or { or a hostile file, and the pure-Python loader would run out of stack on it.
MAX_DEPTH = 100

#: what YAML also counts as a line break, unlike the file's lines: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")

#: where an anchor (&a), an alias (*a) or a merge key (<<) may be: an indicator where a node may
#: start (the line's start, after blanks, a flow indicator or a JSON-like key's colon). Most front
#: matter has none, and is not read twice.
_MAY_ALIAS = re.compile(r"(?:^|(?<=[\s\[{,:]))[&*][^\s\[\]{},]|<<", re.MULTILINE)
_MERGE = "tag:yaml.org,2002:merge"

#: a line that closes the front matter: --- or ..., maybe followed by blanks (what str.rstrip strips)
_CLOSING = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


@dataclass
class FrontMatter:
    """The parsed front matter of one file and the body after it."""

    data: dict
    #: top-level key -> 1-based line in the file
    lines: dict[str, int] = field(default_factory=dict)
    #: top-level key -> {nested key or index -> 1-based line}, for mappings and lists
    item_lines: dict[str, dict] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1


def read(path: str | os.PathLike, display_path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Read a file's bytes and split its front matter; any problem is returned, never raised."""
    raw = read_bytes(path)
    if isinstance(raw, OSError):
        return None, [Problem(display_path, 1, "file", f"cannot read the file: {raw.strerror}")]
    return parse_bytes(raw, display_path)


def read_bytes(path: str | os.PathLike) -> bytes | OSError:
    """A file's bytes, or why they cannot be read."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        return error


def parse_bytes(raw: bytes, display_path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Decode UTF-8 (a BOM and CRLF are fine) and split the front matter."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                display_path, line, "encoding",
                f"the file is not UTF-8 (byte 0x{raw[error.start]:02x} cannot be decoded)",
                expected="UTF-8", found="another encoding (Latin-1 or Windows-1252?)",
                suggestion="re-save the file as UTF-8 in your editor",
            )
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return split(text, display_path)


def split(text: str, display_path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Split `text` into front matter and body, checking the fences and the YAML."""
    if not text or text.isspace():
        return None, [Problem(display_path, 1, "front matter", "the file is empty",
                              expected="front matter between --- lines, then the text", found="nothing")]
    first_line, _, rest = text.partition("\n")
    if first_line.rstrip() != "---":
        lines = text.split("\n")
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        if lines[first].rstrip() == "---":
            what = "a blank line" if first == 1 else f"{first} blank lines"
            return None, [Problem(display_path, 1, "front matter",
                                  f"front matter must start on line 1; found {what} before ---",
                                  suggestion="delete the blank lines above ---")]
        return None, [Problem(display_path, 1, "front matter", "front matter must start on line 1",
                              expected="---", found=_clip(lines[0]),
                              suggestion="begin the file with --- then title: and date: lines, then ---")]
    # Only the front matter is looked at line by line: the body is most of the file.
    fence = _CLOSING.search(rest)
    if fence is None:
        return None, [Problem(display_path, 1, "front matter", "front matter is not closed",
                              expected="a line --- after the fields", found="end of file",
                              suggestion="add a line with --- after the last field")]
    source = rest[: max(fence.start() - 1, 0)]
    body = rest[fence.end() + 1:]
    end = rest.count("\n", 0, fence.start()) + 1  # the closing line's 0-based index in the file
    problems: list[Problem] = []
    line_of = _line_finder(source)
    if source.count("[") + source.count("{") > MAX_DEPTH:
        # Before YAML sees it: libyaml refuses a thousand levels in its own words, and
        # PyYAML's pure-Python scanner takes seconds to run out of stack on them.
        deep = _flow_too_deep(source, display_path)
        if deep is not None:
            return None, [deep]
    if ("&" in source or "*" in source or "<<" in source) and _MAY_ALIAS.search(source):
        # Refused on the events, before anything is composed: nested aliases name a value
        # billions of times in a few hundred bytes, and front matter needs none of them.
        alias = _first_structure_problem(yaml.parse(source, Loader=_Loader), display_path, line_of,
                                         aliases=True)
        if alias is not None:
            return None, [alias]
    try:
        node = yaml.compose(source, Loader=_Loader)
    except (yaml.YAMLError, RecursionError) as error:
        return None, _yaml_error_problems(error, source, display_path, line_of, end)
    if node is None:
        return None, [Problem(display_path, 1, "front matter", "the front matter is empty",
                              expected="fields such as title: and date:", found="nothing")]
    if not isinstance(node, MappingNode):
        kind = "a list" if isinstance(node, SequenceNode) else "a single value"
        return None, [Problem(display_path, line_of(node.start_mark), "front matter",
                              "front matter must be a mapping of fields", expected="key: value lines",
                              found=kind)]
    problems += _walk(node, display_path, line_of)
    if problems:
        return None, problems
    construct = _Constructor()
    data: dict = {}
    key_lines: dict[str, int] = {}
    item_lines: dict[str, dict] = {}
    for key_node, value_node in node.value:
        line = line_of(key_node.start_mark)
        try:
            key = construct(key_node)
            value = construct(value_node)
        except ConstructorError as error:
            mark = error.problem_mark
            problems.append(Problem(display_path, line_of(mark) if mark else line, "front matter",
                                    f"invalid YAML value: {error.problem}"))
            continue
        except RecursionError:  # only when called from very deep: _walk refused deeper values
            name = key_node.value if isinstance(key_node, ScalarNode) else "front matter"
            problems.append(_too_deep(display_path, line, name))
            continue
        except ValueError as error:
            # e.g. `date: 2020-13-01` matches YAML's date pattern but is no date.
            name = key_node.value if isinstance(key_node, ScalarNode) else "front matter"
            problems.append(Problem(display_path, line, name, f"invalid value: {error}",
                                    expected="a real date YYYY-MM-DD" if "month" in str(error) or "day" in str(error)
                                    else "a valid value", found=_clip(str(getattr(value_node, "value", "")))))
            continue
        if not isinstance(key, str):
            problems.append(Problem(display_path, line, str(key), "field names must be text",
                                    expected="a name such as title", found=type(key).__name__))
            continue
        data[key] = value
        key_lines[key] = line
        item_lines[key] = _item_lines(value_node, line_of)
    if problems:
        return None, problems
    return FrontMatter(data, key_lines, item_lines, body, end + 2), []


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Constructor:
    """SafeConstructor's values, built without its per-node bookkeeping for text, lists and mappings.

    Front matter is mostly text in lists and mappings; PyYAML's constructor
    spends more on its generic bookkeeping than on the values. Those three kinds
    are built here; any other node (numbers, dates, booleans, merge keys, tags,
    keys that are not text, a list that contains itself) goes to SafeConstructor,
    which raises the same errors as before. Front matter with an anchor or an
    alias is refused before it is composed; should a node still be reached twice,
    it gives the same object, as with SafeConstructor, so nested aliases cost no
    more than their nodes.
    """

    __slots__ = ("_safe", "_built")

    def __init__(self) -> None:
        self._safe = SafeConstructor()
        #: id(node) -> its value; None while the node is being built
        self._built: dict[int, object] = {}

    def __call__(self, node: Node):
        try:
            return self._build(node)
        except Exception as error:
            # Forget the half-built values, here and in SafeConstructor (which would call a
            # bad node reached again through an alias recursive): the same error comes again.
            self._built = {k: v for k, v in self._built.items() if v is not None}
            self._safe = SafeConstructor()
            if not isinstance(error, _Recursive):
                raise
            return self._safe.construct_object(node, deep=True)

    def _build(self, node: Node):
        tag = node.tag
        if tag == _STR and type(node) is ScalarNode:
            return node.value
        if tag != _SEQ and tag != _MAP:
            return self._safe.construct_object(node, deep=True)
        built = self._built
        key = id(node)
        if key in built:
            value = built[key]
            if value is None:
                raise _Recursive
            return value
        if tag == _SEQ and type(node) is SequenceNode:
            built[key] = None
            value = [self._build(item) for item in node.value]
        elif tag == _MAP and type(node) is MappingNode and all(
                type(k) is ScalarNode and k.tag == _STR for k, _ in node.value):
            built[key] = None
            value = {k.value: self._build(v) for k, v in node.value}
        else:
            return self._safe.construct_object(node, deep=True)
        built[key] = value
        return value


class _Recursive(Exception):
    """A list or mapping that contains itself."""


def _line_finder(source: str):
    """A function from a YAML mark in `source` to its 1-based line in the file (source starts on line 2).

    YAML also breaks lines at NEL, U+2028 and U+2029 (pasted from a word
    processor, say); the file's lines, which editors and reports count, break
    only at newlines. Only a source that has such a character needs counting.
    """
    if _OTHER_BREAKS.search(source) is None:
        return lambda mark: mark.line + 2
    return lambda mark: source.count("\n", 0, mark.index) + 2


def _walk(node: Node, display_path: str, line_of) -> list[Problem]:
    """Duplicated keys at any depth (an error, not 'last one wins'), and values nested too deeply.

    Run on every file, so it looks only at lists and mappings, and finds a
    key's line only when it has a duplicate. Each node is looked at once,
    however many aliases name it: nested aliases would otherwise make the walk
    exponential.
    """
    problems = []
    # (node, its depth, the top-level key it is under)
    stack: list[tuple[Node, int, str | None]] = [(node, 0, None)]
    seen_nodes: set[int] = set()
    too_deep: set[str | None] = set()
    while stack:
        current, depth, top = stack.pop()
        if id(current) in seen_nodes or top in too_deep:
            continue
        seen_nodes.add(id(current))
        if depth > MAX_DEPTH:
            too_deep.add(top)
            problems.append(_too_deep(display_path, line_of(current.start_mark), top or "front matter"))
            continue
        if isinstance(current, MappingNode):
            first: dict[str, Node] = {}
            for key_node, value_node in current.value:
                if isinstance(key_node, ScalarNode):
                    name = key_node.value
                    if name in first:
                        problems.append(Problem(display_path, line_of(key_node.start_mark), name,
                                                f"duplicate key '{name}' (first on line "
                                                f"{line_of(first[name].start_mark)})",
                                                suggestion="keep one of them"))
                    else:
                        first[name] = key_node
                if type(value_node) is not ScalarNode:
                    under = top if depth else key_node.value if isinstance(key_node, ScalarNode) else None
                    stack.append((value_node, depth + 1, under))
                if type(key_node) is not ScalarNode:
                    stack.append((key_node, depth + 1, top))
        elif isinstance(current, SequenceNode):
            stack.extend((item, depth + 1, top) for item in current.value if type(item) is not ScalarNode)
    return sorted(problems, key=lambda p: p.line)


def _too_deep(display_path: str, line: int, name: str) -> Problem:
    return Problem(display_path, line, name, "the value nests lists or mappings too deeply to read",
                   expected="a few levels of [ ] or { } at most", found=f"more than {MAX_DEPTH} levels",
                   suggestion="check that every [ and { is closed once")


#: what the flow-depth scan looks at: brackets, and the quoted text and comments they may hide in
_FLOW_TOKENS = re.compile(r"""[\[{\]}]|(?:^|(?<=[\s\[{,]))(?:"(?:[^"\\]++|\\.)*+"?|'(?:[^']++|'')*+'?)|(?:^|(?<=\s))#[^\n]*+""",
                          re.MULTILINE)
#: a line that starts a field of the front matter: its key
_TOP_KEY = re.compile(r"^([^\s#'\"\[\]{}&*!|>%@`-][^:\n]*?)[ \t]*:(?:[ \t]|$)", re.MULTILINE)


def _field_at(source: str, index: int) -> str:
    """The field of the front matter that the text at `index` belongs to (the last key line before it)."""
    last = None
    for last in _TOP_KEY.finditer(source, 0, index):
        pass
    return last.group(1) if last else "front matter"


def _flow_too_deep(source: str, display_path: str) -> Problem | None:
    """A value whose [ and { nest more than MAX_DEPTH deep, found in the text in one pass, or None."""
    depth = 0
    for token in _FLOW_TOKENS.finditer(source):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                start = token.start()
                return _too_deep(display_path, source.count("\n", 0, start) + 2, _field_at(source, start))
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


def _yaml_error_problems(error: Exception, source: str, display_path: str, line_of, end: int) -> list[Problem]:
    """What to report when YAML refuses the front matter (or the loader runs out of stack on it).

    libyaml stops at a nesting depth of its own and the pure-Python loader
    runs out of stack, each with its own wording: the front matter's events are
    read again with the pure-Python parser (no recursion, no limit) to find a
    value nested too deeply, so both loaders report it the same way.
    """
    deep = _first_structure_problem(yaml.parse(source, Loader=yaml.SafeLoader), display_path, line_of)
    if deep is not None:
        return [deep]
    if isinstance(error, yaml.reader.ReaderError) and isinstance(error.character, int):
        # libyaml gives the byte's offset, the pure-Python reader the character's: find the character
        index = source.find(chr(error.character))
        index = index if index >= 0 else min(error.position, len(source))
        code = f"U+{error.character:04X}"
        return [Problem(display_path, source.count("\n", 0, index) + 2, _field_at(source, index),
                        f"an invisible control character ({code}) is not allowed in front matter",
                        expected="printable text", found=code,
                        suggestion="delete it: it is often pasted in from another program")]
    if not isinstance(error, yaml.MarkedYAMLError):  # RecursionError when called from very deep, or unmarked
        if isinstance(error, RecursionError):
            return [_too_deep(display_path, 2, "front matter")]
        return [Problem(display_path, 2, "front matter", "invalid YAML: " + " ".join(str(error).split()))]
    # The context mark is where the broken construct began: the line to look at.
    lines = [line_of(m) for m in (error.context_mark, error.problem_mark) if m is not None] or [2]
    line = lines[0]
    message = " ".join(filter(None, [error.context, error.problem]))
    suggestion = "check indentation, and quote values that contain ': ' or start with [ { * & ! | > ' \" % @ `"
    odd = _OTHER_BREAKS.search(source.split("\n")[line - 2] if 2 <= line <= end else "")
    if odd:
        suggestion = (f"line {line} holds an invisible line break (U+{ord(odd.group()):04X}), often pasted "
                      "from a word processor: delete it, or put the value in quotes")
    problem = Problem(display_path, line, "front matter", f"invalid YAML: {message}", suggestion=suggestion)
    # YAML stops at its first error: the common mistakes are looked for on every line, in plain words.
    mistakes = _common_mistakes(source, display_path)
    if any(p.line == lines[-1] and (p.expected == "spaces" or len(set(lines)) == 1) for p in mistakes):
        return mistakes  # one of them is where YAML stopped, and says why in plain words
    return sorted([problem, *mistakes], key=lambda p: p.line)


#: a line of a block mapping: indent, key, what follows `key:` (a key may hold blanks, not a colon)
_KEY_LINE = re.compile(r"^([ ]*)([^\s#'\"\[\]{}&*!|>%@`?:-][^:#\n]*?)[ \t]*:(?:[ \t]+(.*))?$")
#: the start of a plain value YAML reads as something else: quotes, flow and block indicators, properties
_NOT_PLAIN = tuple("\"'[{|>&*!%@`#") + ("- ", "? ", ": ")
_COMMENT = re.compile(r"[ \t]#")
_VALUE_COLON = re.compile(r":(?:[ \t]|$)")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _common_mistakes(source: str, display_path: str) -> list[Problem]:
    """The two common mistakes behind YAML errors, on every line they are on, in plain words.

    A tab in a line's indentation (YAML indents with spaces only), and a value
    not in quotes that holds ': ' (YAML reads a new key there), with the line
    written out as it should be. Lines inside a block text (`|` or `>`) are
    text, and are left alone.
    """
    problems = []
    top = "front matter"
    block_indent = None  # the indent of the key whose block text the next lines are
    for number, line in enumerate(source.split("\n"), start=2):
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        if not stripped:
            continue
        if block_indent is not None:
            if len(line) - len(line.lstrip(" ")) > block_indent:
                continue
            block_indent = None
        if "\t" in indent:
            problems.append(Problem(display_path, number, top,
                                    "a tab in the indentation", expected="spaces",
                                    found=f"a tab at column {indent.index(chr(9)) + 1}",
                                    suggestion="indent with spaces"))
            continue
        key_line = _KEY_LINE.match(line)
        if key_line is None:
            continue
        spaces, key, value = key_line.groups()
        if not spaces:
            top = key
        if not value:
            continue
        if _BLOCK_SCALAR.match(value):
            block_indent = len(spaces)
            continue
        if value.startswith(_NOT_PLAIN):
            continue
        comment = _COMMENT.search(value)
        text = value[: comment.start()].rstrip() if comment else value.rstrip()
        if _VALUE_COLON.search(text):
            fixed = f"{spaces}{key}: {_quoted(text)}" + (f"  {value[comment.start():].strip()}" if comment else "")
            problems.append(Problem(display_path, number, top,
                                    "a value with ': ' in it must be in quotes (YAML reads a new field there)",
                                    expected="the value in quotes", found=_clip(text),
                                    suggestion=f"put the value in quotes: {fixed.strip()}"))
    return problems


def _quoted(text: str) -> str:
    """`text` as a double-quoted YAML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _first_structure_problem(events, display_path: str, line_of, *, aliases: bool = False) -> Problem | None:
    """The first value nested more than MAX_DEPTH deep in a stream of YAML events, or None.

    With `aliases`, also the first anchor, alias or merge key. Events come one
    at a time, so this needs neither recursion nor the whole document, and an
    alias is never followed; a YAML error in the events ends the search (the
    caller reports it).
    """
    #: the open lists and mappings: for a mapping, whether its next node is a key
    stack: list[list[bool]] = []
    top: str | None = None
    try:
        for event in events:
            if isinstance(event, CollectionEndEvent):
                stack.pop()
                _node_done(stack)
                continue
            if not isinstance(event, NodeEvent):
                continue
            is_key = bool(stack) and stack[-1][0] and stack[-1][1]
            if is_key and len(stack) == 1:  # a key of the front matter itself
                top = event.value if isinstance(event, ScalarEvent) and event.value != "<<" else None
            if aliases:
                found = _alias_problem(event, is_key, display_path, line_of, top or "front matter")
                if found is not None:
                    return found
            if isinstance(event, CollectionStartEvent):
                stack.append([isinstance(event, MappingStartEvent), True])
                if len(stack) > MAX_DEPTH + 1:  # the front matter's own mapping is depth 0
                    return _too_deep(display_path, line_of(event.start_mark), top or "front matter")
            else:
                _node_done(stack)
    except (yaml.YAMLError, RecursionError):
        pass
    return None


def _alias_problem(event: NodeEvent, is_key: bool, display_path: str, line_of, name: str) -> Problem | None:
    """The problem with an anchor, an alias or a merge key, or None for any other node."""
    if isinstance(event, AliasEvent):
        found, suggestion = f"the alias *{event.anchor}", f"&{event.anchor} / *{event.anchor}"
    elif event.anchor is not None:
        found, suggestion = f"the anchor &{event.anchor}", f"&{event.anchor} / *{event.anchor}"
    elif is_key and isinstance(event, ScalarEvent) and (
            event.tag == _MERGE or (event.tag is None and event.implicit[0] and event.value == "<<")):
        found, suggestion = "the merge key <<", "<<"
    else:
        return None
    return Problem(display_path, line_of(event.start_mark), name,
                   "YAML anchors, aliases and merge keys are not allowed in front matter",
                   expected="plain values", found=found,
                   suggestion=f"write the value out instead of {suggestion}"
                   + ("" if suggestion == "<<" else "; a text that starts with & or * goes in quotes"))


def _node_done(stack: list[list[bool]]) -> None:
    """A node of the innermost open collection is complete: in a mapping, keys and values alternate."""
    if stack and stack[-1][0]:
        stack[-1][1] = not stack[-1][1]


def _item_lines(node: Node, line_of) -> dict:
    """Lines of a value's items: mapping keys, or list indices."""
    if isinstance(node, MappingNode):
        return {k.value if isinstance(k, ScalarNode) else i: line_of(k.start_mark)
                for i, (k, _) in enumerate(node.value)}
    if isinstance(node, SequenceNode):
        return {i: line_of(item.start_mark) for i, item in enumerate(node.value)}
    return {}


def _clip(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")
