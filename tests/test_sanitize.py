"""Raw HTML: unsafe constructs reported with their line, and removed from the rendered HTML."""

from __future__ import annotations

import pytest

from generator.sanitize import clean_html, find_unsafe_html


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("<script>alert(1)</script>", "a <script> element"),
        ("<IFRAME src=x>", "a <iframe> element"),
        ("<object data=x>", "a <object> element"),
        ("<embed src=x>", "a <embed> element"),
        ('<img src=x onerror="alert(1)">', "an event-handler attribute (onerror=)"),
        ('<a href="javascript:alert(1)">x</a>', "a javascript: URL"),
        ("[x](javascript:alert(1))", "a javascript: URL"),
    ],
)
def test_unsafe_html_is_reported_with_its_line(line, expected):
    problems = find_unsafe_html(f"fine\n{line}\n", "docs/x.md", 5)
    assert [str(p) for p in problems] == [
        f"docs/x.md:6: body: {expected} is not allowed in entries; it is removed from every build; "
        "link to the content instead, or embed an image with ![alt](file) [warning]"
    ]


def test_prose_about_javascript_is_not_reported():
    assert find_unsafe_html("We talked about javascript: nobody likes it.", "x.md", 1) == []


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<iframe src="https://evil.example"></iframe>',
        '<object data="x.swf"></object>',
        '<embed src="x.swf">',
        '<img src="a.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="steal()">x</p>',
    ],
)
def test_clean_html_removes_unsafe_constructs(html):
    cleaned = clean_html(f"<p>before</p>{html}<p>after</p>").lower()
    for needle in ("<script", "<iframe", "<object", "<embed", "onerror", "onclick", "javascript:"):
        assert needle not in cleaned
    assert cleaned.startswith("<p>before</p>") and cleaned.endswith("<p>after</p>")


def test_clean_html_keeps_markdown_output():
    html = ('<h2 id="what-changed">What changed<a class="headerlink" href="#what-changed">¶</a></h2>'
            '<p><a href="../other/">x</a> <img alt="a" src="../img/a.png"></p>'
            '<div class="admonition note"><p class="admonition-title">Note</p></div>')
    assert clean_html(html) == html
