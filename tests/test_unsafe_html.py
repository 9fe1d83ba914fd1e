"""The unsafe-HTML scan: each construct at its line, code and prose left alone, linear time on any text."""

from __future__ import annotations

import time

import pytest

from generator.sanitize import find_unsafe_html

SCRIPT = "a <script> element"
IFRAME = "a <iframe> element"
OBJECT = "a <object> element"
EMBED = "a <embed> element"
JS = "a javascript: URL"


def found(text: str, first_line: int = 10) -> list[tuple[int, str]]:
    """(line, what) for each problem, checking the parts every problem shares."""
    problems = find_unsafe_html(text, "docs/x.md", first_line)
    for problem in problems:
        assert (problem.path, problem.field, problem.severity) == ("docs/x.md", "body", "warning")
        assert problem.message.endswith(" is not allowed in entries; it is removed from every build")
        assert problem.suggestion == "link to the content instead, or embed an image with ![alt](file)"
    return [(p.line, p.message.split(" is not allowed")[0]) for p in problems]


def test_each_construct_is_reported_at_its_own_line():
    text = "\n".join([
        "Intro.",                                            # 10
        "<script>alert(1)</script>",                         # 11
        "Some <IFRAME src=x></iframe> text",                 # 12
        "<object data=x>",                                   # 13
        "<embed src=x>",                                     # 14
        '<img src="a.png"',                                  # 15: a tag over three lines
        '     alt="fine"',                                   # 16
        '     onerror="alert(1)">',                          # 17
        '<a href="javascript:alert(1)">x</a>',               # 18
        "[link](javascript:alert(1)) and ![img](javascript:x)",  # 19: two on one line
        "<javascript:alert(1)>",                             # 20
        "[ref]: javascript:alert(1)",                        # 21
        "Done.",
    ])
    assert found(text) == [
        (11, SCRIPT), (12, IFRAME), (13, OBJECT), (14, EMBED), (17, "an event-handler attribute (onerror=)"),
        (18, JS), (19, JS), (19, JS), (20, JS), (21, JS),
    ]


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "jav&#x09;ascript:alert(1)", "jav&#9;ascript:alert(1)",
    "&#106;avascript:alert(1)", "javascript&colon;alert(1)", "  javascript:alert(1)", "\tjava\nscript:x",
    "&#x20;&#x01;javascript:x", "jav&Tab;ascript:x", " " * 300 + "javascript:x",
])
def test_javascript_urls_are_found_in_any_attribute_whatever_their_spelling(url):
    assert found(f'<a href="{url}">x</a>') == [(10, JS)]
    assert found(f"<img title='{url}' src=x>") == [(10, JS)]
    if not any(blank in url.strip() for blank in " \t\n"):  # a Markdown target has no blanks
        assert found(f"[x]({url.strip()})") == [(10, JS)]


@pytest.mark.parametrize("markdown", [
    "[x](javascript:alert(1))", "![x](javascript:alert(1))", "[x]( <javascript:alert(1)> )",
    "[x](jav&#x09;ascript:alert(1))", "[x]:   javascript:alert(1)", "[x]:\n  <javascript:alert(1)>",
    "<JavaScript:alert(1)>",
])
def test_javascript_targets_in_markdown_are_found(markdown):
    assert found(markdown) == [(10, JS)]


@pytest.mark.parametrize("text", [
    "We talked about javascript: nobody likes it.",
    "JavaScript: the good parts, and <b>bold</b> claims about it.",
    "Set x = javascript:foo in the config.",
    '<a href="https://example.org/javascript:guide">guide</a> [y](https://x.org/?q=javascript:)',
    "<p class=note>onerror is the name of an attribute</p>",
    "a < b and c > d, 3 <4",
    "<!-- <script>alert(1)</script> -->",
    "<textarea><script>shown as text</script></textarea>",
    "<a onclick>no handler without a value</a>",
])
def test_prose_and_harmless_html_are_not_reported(text):
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "Use `<script>` to run code, or ``<iframe src=x>`` to embed, or `onerror=`.",
    "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
    "~~~~\n<iframe src=x></iframe>\n~~~\nstill code\n~~~~",
    "- a list\n\n    ```\n    <embed src=x>\n    ```",
    "A span over two lines: `<object\ndata=x>` ends here.",
    "``[x](javascript:alert(1))``",
])
def test_code_is_shown_as_text_so_it_is_not_reported(text):
    assert found(text) == []


def test_what_follows_code_is_reported_at_its_line():
    text = "```\n<script>in code</script>\n```\n`<embed>` and <embed src=x>\n\n```\nnever closed\n<object>"
    assert found(text, 1) == [(4, EMBED), (8, OBJECT)]
    # a backtick with no closing run is a backtick, and a span never crosses a blank line
    assert found("a ` b\n\n<script>x</script> ` c", 1) == [(3, SCRIPT)]


def test_an_unclosed_tag_at_the_end_is_not_a_tag():
    assert found("text <img src=x onerror=alert(1)") == []
    assert found('text <a href="javascript:x') == []


@pytest.mark.parametrize("name, text", [
    ("200 KB of <", "<" * 200_000),
    ("200 KB of <a", "<a " * 70_000),
    ("<a on many lines", "<a\n" * 70_000),
    ("unclosed quotes", '<a href="' * 25_000),
    ("many attributes", "<a " + "x=1 " * 50_000),
    ("comments", "<!--" * 50_000),
    ("link openings", "](" * 100_000 + "<"),
    ("reference brackets", "[" * 200_000 + "]:"),
    ("backticks", "` " * 100_000 + "<"),
    ("fences without a close", "```x\n" * 40_000 + "<"),
    ("fences of every length", "".join("`" * (600 - i) + "x\n" for i in range(590)) + "```\n" * 20_000 + "<"),
    ("links to scripts", "[x](javascript:y) <a href=javascript:x>" * 5_000),
])
def test_the_scan_is_linear_on_hostile_text(name, text):
    # The old regular expressions took 10 s on 40 KB of <, and minutes on 120 KB.
    start = time.perf_counter()
    find_unsafe_html(text, "docs/x.md", 1)
    assert time.perf_counter() - start < 2, name
