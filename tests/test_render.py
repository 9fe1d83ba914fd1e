"""Rendering without MkDocs: relative links, escaping, and a site's template overrides."""

from __future__ import annotations

import pytest
from conftest import community, entry

from generator import views
from generator.render import Renderer, relative_url, template_env


@pytest.mark.parametrize(
    ("page", "target", "link"),
    [
        ("communities/a/matrix/", "communities/a/x/", "../x/"),
        ("", "communities/a/", "communities/a/"),
        ("communities/a/x/", "", "../../../"),
        ("cycles/applied/", "value-creation/#applied", "../../value-creation/#applied"),
        ("timeline/page/2/", "timeline/", "../../"),
        ("communities/a/", "communities/a/", "./"),
        ("matrix/", "matrix.json", "../matrix.json"),
        # MkDocs gives the home page the URL "./": its "." is no folder (contract 9.6).
        ("./", "communities/a/", "communities/a/"),
        ("./", "", "./"),
        ("./", "feed.xml", "feed.xml"),
    ],
)
def test_relative_url(page, target, link):
    assert relative_url(page, target) == link


def test_matrix_html_has_every_statement_once_and_escapes_titles():
    c = community()
    entries = [entry("c", "tom", title="Tom <b>& Jerry", kind="story",
                     cycles={"applied": ("A < B",), "realised": ("R1", "R2")})]
    html = Renderer().community_matrix(views.community_matrix(c, entries), "communities/c/matrix/")
    assert html.count("A &lt; B") == 1 and html.count("R1") == 1 and html.count("R2") == 1
    assert "Tom &lt;b&gt;&amp; Jerry" in html and "<b>&" not in html
    # One blank-column prompt per cycle without evidence: immediate, potential, transformative.
    assert html.count("What would this look like?") == 3


def test_custom_template_overrides_the_packaged_one(tmp_path):
    (tmp_path / "cop-memory").mkdir()
    (tmp_path / "cop-memory" / "cycle.html").write_text("CUSTOM {{ view.info.name }}", encoding="utf-8")
    view = views.cycle_views([], {})["applied"]
    assert Renderer(template_env([str(tmp_path)])).cycle_page(view, "cycles/applied/") == "CUSTOM applied"
    assert "CUSTOM" not in Renderer().cycle_page(view, "cycles/applied/")
