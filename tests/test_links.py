"""Links in entry bodies: found with their lines and kinds, resolved relative to the source file."""

from __future__ import annotations

import pytest

from generator import links


def test_find_links_reports_lines_and_kinds():
    body = "x\n[a](b.md) ![i](i.png)\n[r]: ref.md\n<a href='h.md'>h</a>"
    found = [(link.line, link.kind, link.resolved) for link in links.find_links(body, "c/d/e.md", 10)]
    assert found == [(11, "inline", "c/d/b.md"), (11, "embed", "c/d/i.png"), (12, "refdef", "c/d/ref.md"),
                     (13, "html", "c/d/h.md")]


@pytest.mark.parametrize(
    ("target", "resolved"),
    [
        ("../x.md", "c/x.md"),
        ("x.md#part", "c/d/x.md"),
        ("/communities/a/", "communities/a"),
        ("https://example.org/x.md", None),
        ("mailto:someone@example.org", None),
        ("#anchor", None),
        ("../../../outside.md", None),
        ("my%20file.pdf", "c/d/my file.pdf"),
    ],
)
def test_resolve(target, resolved):
    assert links.resolve(target, "c/d/e.md") == resolved
