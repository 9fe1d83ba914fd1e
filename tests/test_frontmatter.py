"""Front matter parsing gives exactly what PyYAML's safe loader and a line-by-line split give.

Except for anchors, aliases and merge keys, which front matter refuses.

The parser takes shortcuts for speed (it finds the closing fence without
splitting the body into lines, and builds text, lists and mappings itself);
these tests hold it to the plain versions on tricky and random input.

Every test here runs twice: with libyaml's parser (the default where PyYAML
has it) and with PyYAML's pure-Python one (what COPMEM_PURE_YAML=1 selects),
which differ in their limits and in the wording of their errors. Tests assert
what a user gets (a problem at a line, for a field, never a traceback), not
one parser's message.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import frontmatter
from generator.frontmatter import split

PATH = "docs/communities/c/x.md"

LOADERS = {"pure": yaml.SafeLoader}
if hasattr(yaml, "CSafeLoader"):
    LOADERS["libyaml"] = yaml.CSafeLoader


@pytest.fixture(autouse=True, params=sorted(LOADERS))
def yaml_loader(request, monkeypatch):
    """Run the test with each YAML parser the front matter may be read with."""
    monkeypatch.setattr(frontmatter, "_Loader", LOADERS[request.param])
    return request.param


@pytest.mark.parametrize(("value", "expected"), [("1", "SafeLoader"), ("", "CSafeLoader"), ("0", "CSafeLoader")])
def test_copmem_pure_yaml_selects_the_pure_python_loader(value, expected):
    if expected == "CSafeLoader" and "libyaml" not in LOADERS:
        expected = "SafeLoader"
    env = {**os.environ, "COPMEM_PURE_YAML": value}
    out = subprocess.run([sys.executable, "-c", "from generator import frontmatter; print(frontmatter._Loader.__name__)"],
                         capture_output=True, text=True, env=env, check=True, timeout=60).stdout
    assert out.strip() == expected


def safe_load(source: str):
    """What PyYAML's own safe loader makes of `source`, or the exception it raises."""
    try:
        return yaml.load(source, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ValueError) as error:
        return error


TRICKY = [
    # text that looks like anchors, aliases and merge keys but is not
    "a: R&D\nb: 5*3\nc: '&x'\nd: \"*x\"\ne: a << b\nf: {'<<': x}\ng: [x&y, '*z']\n",
    # keys that are not text, and text keys that look like other things
    "a: {1: one, 2: two}\n",
    "a: {? [x, y] : z}\n",
    "a: {'1': quoted, true: bool, ~: none}\n",
    "a: {'x': 1, \"y\": 2}\n",
    # explicit tags: some valid, some refused
    "a: !!str 2020-01-01\nb: !!int '5'\nc: !!float 1\n",
    "a: !!set {x, y}\nb: !!omap [{x: 1}, {y: 2}]\nc: !!pairs [{x: 1}]\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!python/object:os.system {}\n",
    "a: !custom value\n",
    "a: !!seq text\n",
    "a: !!map [x]\n",
    "a: [!!map {x: 1}, !!seq [y]]\n",
    # scalars of every type, in lists and mappings
    "date: 2020-01-01\nat: 2020-01-01 10:00:00\nn: 5\nf: 1.5\nb: no\nz: ~\ne: ''\nq: '5'\n",
    "date: 2020-13-45\n",
    "cycles:\n  applied:\n    - one\n    - 2\n  realised: [true, null, 2019-06-04]\n",
    "a: |\n  block\n  text\nb: >\n  folded\n  text\n",
    "a: [[[deep]]]\nb: {c: {d: {e: [f]}}}\n",
]


@pytest.mark.parametrize("source", TRICKY)
def test_values_are_what_the_safe_loader_gives(source):
    matter, problems = split(f"---\n{source}---\nbody\n", PATH)
    expected = safe_load(source[:-1])  # the YAML is the lines between the fences, without the last newline
    if isinstance(expected, Exception):
        assert matter is None and problems, f"{source!r}: the safe loader refuses it ({expected})"
        assert all(str(p).startswith(PATH + ":") for p in problems)
    else:
        assert not problems, problems
        # repr compares lists that contain themselves, and tells 1 from True and '1'
        assert repr(matter.data) == repr(expected)


# Front matter needs no anchors, aliases or merge keys, and nested aliases name a value billions
# of times in a few hundred bytes: any of them is refused, at the line of the first, under its field.
ALIASED = [
    ("base: &b {kind: story, tags: [a, b]}\nother:\n  <<: *b\n  kind: note\n", 2, "base", "&b"),
    ("title: T\na: &x [one, two]\nb: *x\nc: [*x, *x]\n", 3, "a", "&x"),
    ("a: &s text\nb: *s\n", 2, "a", "&s"),
    ("title: T\ncycles:\n  - &m {x: 1}\n  - <<: [*m, {y: 2}]\n", 4, "cycles", "&m"),
    ("title: T\ntags: *undefined\n", 3, "tags", "*undefined"),
    ("title: T\na: {<<: {x: 1}, y: 2}\n", 3, "a", "<<"),  # a merge key without any alias
    ("title: T\na:\n  !!merge <<: {x: 1}\n", 4, "a", "<<"),
    ("title: T\n<<: {x: 1}\n", 3, "front matter", "<<"),
    ("&top\ntitle: T\n", 2, "front matter", "&top"),
    ("title: &k T\n", 2, "title", "&k"),
    ('{"a":&x b, "c": *x}\n', 2, "a", "&x"),
    # values that contain themselves
    ("a: &r [1, *r]\n", 2, "a", "&r"),
    ("title: T\na: &r {self: *r}\n", 3, "a", "&r"),
    ("a: [x, &r [*r]]\n", 2, "a", "&r"),
    # a bad value behind an alias
    ("title: fine\na: &d [2020-13-45]\nb: *d\n", 3, "a", "&d"),
]


@pytest.mark.parametrize(("source", "line", "field", "what"), ALIASED)
def test_anchors_aliases_and_merge_keys_are_refused_at_the_first(source, line, field, what):
    matter, problems = split(f"---\n{source}---\nbody\n", PATH)
    assert matter is None
    assert [(p.line, p.field, p.expected) for p in problems] == [(line, field, "plain values")]
    assert what in problems[0].found and what in problems[0].suggestion
    assert problems[0].suggestion.startswith("write the value out instead of")


def billion_laughs(levels: int, width: int = 9) -> str:
    """Each level names the one below `width` times: width**levels strings if aliases were expanded."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels)]
    return "---\ntitle: Laughs\ndate: 2020-01-01\n" + "\n".join(lines) + f"\ntags: *l{levels - 1}\n---\n"


@pytest.mark.parametrize("levels", [6, 9, 12])
def test_a_billion_laughs_is_one_small_problem_fast(levels):
    text = billion_laughs(levels)
    assert len(text) < 2000
    start = time.perf_counter()
    matter, problems = split(text, PATH)
    assert time.perf_counter() - start < 1
    assert matter is None
    assert [(p.line, p.field) for p in problems] == [(4, "l0")]
    assert len(str(problems[0])) < 300


# Random documents: PyYAML writes anchors and aliases for values that are shared.
LEAVES = st.one_of(
    st.text(max_size=12), st.integers(-10, 10**9), st.booleans(), st.none(),
    st.floats(allow_nan=False), st.dates(min_value=dt.date(1900, 1, 1)),
    st.sampled_from(["yes", "no", "~", "null", "1e3", "0x1F", "2019-06-04", "-", "<<", "= x", "!x", "*a"]),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(st.text(min_size=1, max_size=10), VALUES, min_size=1, max_size=6),
       share=st.booleans(), flow=st.sampled_from([None, True, False]))
def test_random_documents_give_what_the_safe_loader_gives(data, share, flow):
    shared = None
    if share:  # the same list or mapping under two keys: PyYAML writes an anchor and an alias
        shared = next((v for v in data.values() if isinstance(v, (list, dict)) and v), None)
        if shared is not None:
            data["shared copy"] = shared
    source = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    if "\n---" in "\n" + source or "\n..." in "\n" + source:
        return  # a line of the dump would close the front matter
    matter, problems = split(f"---\n{source}---\n", PATH)
    if shared is not None:  # refused, at the anchor's line
        anchor = next(i for i, line in enumerate(source.split("\n")) if "&id" in line) + 2
        assert matter is None and [(p.line, p.expected) for p in problems] == [(anchor, "plain values")]
        return
    assert not problems, problems
    assert repr(matter.data) == repr(safe_load(source[:-1]))


def reference_split(text: str):
    """The fence search done line by line, the plain way: (YAML source, body, body's line) or None."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1:]), end + 2


LINES = st.sampled_from(["---", "--- ", "---\t", "...", "... \u00a0", " ---", "----", "-- -", "..", "....",
                         "title: T", "date: 2020-01-01", "tags: [a, b]", "", " ", "# ---", "x: '---'",
                         "\u2028", "---\u0085", "body text"])


@settings(max_examples=500, deadline=None)
@given(st.lists(LINES, max_size=10), st.booleans())
def test_the_closing_fence_is_the_first_line_a_line_by_line_split_finds(lines, trailing_newline):
    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    matter, problems = split(text, PATH)
    expected = reference_split(text) if text.strip() else None
    if expected is None:
        assert matter is None and problems
        return
    source, body, body_line = expected
    if matter is None:  # the fences were found, and what is between them refused
        assert problems and all(p.line < body_line for p in problems), problems
        assert not any("not closed" in p.message or "start on line 1" in p.message for p in problems), problems
        return
    assert (matter.body, matter.body_line) == (body, body_line)
    assert repr(matter.data) == repr(safe_load(source))


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85"])
def test_lines_are_the_files_when_yaml_sees_other_line_breaks(brk):
    # Pasted from a word processor: YAML counts these as line breaks, the file and editors do not.
    text = (f"---\ntitle: \"Before{brk}after{brk}again\"\ntags:\n  - a\n  - 5\ncycles: {{applied: x}}\n"
            f"date: 2020-13-45\n---\nBody\n")
    matter, problems = split(text, PATH)
    assert [(p.line, p.field) for p in problems] == [(7, "date")]
    matter, problems = split(text.replace("2020-13-45", "2020-01-01"), PATH)
    assert not problems
    assert matter.lines == {"title": 2, "tags": 3, "cycles": 6, "date": 7}
    assert matter.item_lines["tags"] == {0: 4, 1: 5} and matter.item_lines["cycles"] == {"applied": 6}
    # unquoted, it breaks the YAML: the report names the character on the right line
    _, problems = split(f"---\ntags: [a]\ntitle: Before{brk}after\ndate: 2020-01-01\n---\n", PATH)
    assert [(p.line, p.field) for p in problems] == [(3, "front matter")]
    assert f"line 3 holds an invisible line break (U+{ord(brk):04X})" in problems[0].suggestion
    _, problems = split(f"---\ntitle: 'a{brk}b'\ntitle: c\n---\n", PATH)
    assert [(p.line, p.message) for p in problems] == [(3, "duplicate key 'title' (first on line 2)")]


@pytest.mark.parametrize("deep", [
    "[" * 3000 + "]" * 3000,  # past libyaml's own limit, and past the pure-Python loader's stack
    "[" * 3000,  # never closed
    "{a: " * 400 + "x" + "}" * 400,
    "[" * 150 + "]" * 150,  # within both parsers' limits, still far too deep for front matter
    "\n  " + "- " * 3000 + "x",  # block lists on one line
])
def test_a_value_nested_too_deeply_is_a_problem_at_its_line_not_a_crash(deep):
    start = time.perf_counter()
    matter, problems = split(f"---\ntitle: Fine\ntags: {deep}\ndate: 2020-01-01\n---\n", PATH)
    assert time.perf_counter() - start < 2
    assert matter is None
    line = 4 if deep.startswith("\n") else 3
    assert [(p.line, p.field) for p in problems] == [(line, "tags")]
    assert "too deeply" in problems[0].message


def test_a_deep_value_is_reported_under_its_own_field():
    deep = "[" * 500 + "]" * 500
    matter, problems = split(f"---\ntitle: Fine\ncycles:\n  applied: {deep}\n---\n", PATH)
    assert [(p.line, p.field) for p in problems] == [(4, "cycles")]


def test_a_few_levels_and_brackets_in_quotes_and_comments_are_fine():
    matter, problems = split("---\ntitle: Fine\ntags: [[[[x]]]]\n---\n", PATH)  # the constructor still works
    assert not problems and matter.data["tags"] == [[[["x"]]]]
    text = (f"---\ntitle: \"{'[' * 200}\"\nnote: '{'{' * 200}'\n# {'[' * 200}\n"
            f"tags: {'[' * 100}x{']' * 100}\n---\n")
    matter, problems = split(text, PATH)
    assert not problems, problems
    assert matter.data["title"] == "[" * 200 and matter.data["note"] == "{" * 200


# YAML stops at its first error, in its own words: the two common mistakes are found on every line.

def test_a_value_with_an_unquoted_colon_gets_the_line_written_in_quotes():
    matter, problems = split("---\ntitle: Notes: the spring meeting\ndate: 2020-01-01\n---\n", PATH)
    assert matter is None
    assert [(p.line, p.field, p.expected) for p in problems] == [(2, "title", "the value in quotes")]
    assert problems[0].suggestion.endswith('title: "Notes: the spring meeting"')
    assert "\n" not in str(problems[0])


def test_every_line_with_an_unquoted_colon_is_reported_at_once():
    text = ("---\ntitle: Notes: the spring meeting\ndate: 2020-01-01\nkind: Spring: x  # a comment\n"
            "cycles:\n  applied: Trust changed: policy\n  realised: fine\nnote: He said \"no\": twice\n---\n")
    matter, problems = split(text, PATH)
    assert matter is None
    assert [(p.line, p.field) for p in problems] == [(2, "title"), (4, "kind"), (6, "cycles"), (8, "note")]
    suggestions = [p.suggestion.split(": ", 1)[1] for p in problems]
    assert suggestions == ['title: "Notes: the spring meeting"', 'kind: "Spring: x"  # a comment',
                           'applied: "Trust changed: policy"', 'note: "He said \\"no\\": twice"']
    # each corrected line is what YAML reads as the value that was meant
    assert yaml.safe_load(suggestions[3]) == {"note": 'He said "no": twice'}
    fixed = text
    for problem, suggestion in zip(problems, suggestions):
        line = fixed.split("\n")[problem.line - 1]
        fixed = fixed.replace(line, line[: len(line) - len(line.lstrip())] + suggestion)
    matter, problems = split(fixed, PATH)
    assert not problems and matter.data["title"] == "Notes: the spring meeting"


def test_every_tab_in_an_indentation_is_reported_where_it_is():
    text = "---\ntitle: T\ncycles:\n\tapplied: x\n  \trealised: y\ndate: 2020-01-01\n---\n"
    matter, problems = split(text, PATH)
    assert matter is None
    assert [(p.line, p.field, p.message, p.suggestion) for p in problems] == [
        (4, "cycles", "a tab in the indentation", "indent with spaces"),
        (5, "cycles", "a tab in the indentation", "indent with spaces")]
    assert [p.found for p in problems] == ["a tab at column 1", "a tab at column 3"]


def test_block_text_is_text_and_other_yaml_errors_are_still_reported():
    matter, problems = split("---\nnote: |\n  Notes: the: spring\ntitle: A: b\n---\n", PATH)
    assert [(p.line, p.field) for p in problems] == [(4, "title")]
    # an unclosed [ is YAML's own error, at its line; the colon on the next line is reported too
    matter, problems = split("---\ntitle: T\ntags: [a, b\ndate: x: y\n---\n", PATH)
    assert [(p.line, p.field) for p in problems] == [(3, "front matter"), (4, "date")]
    assert problems[0].message.startswith("invalid YAML: ")


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\ufffe"])
def test_a_control_character_is_reported_at_its_line_on_one_line(char):
    matter, problems = split(f"---\ntitle: T\ntags: [a]\nnote: \"é€{char}\"\n---\n", PATH)
    assert matter is None
    assert [(p.line, p.field, p.found) for p in problems] == [(4, "note", f"U+{ord(char):04X}")]
    assert "\n" not in str(problems[0])
