"""Navigation in a reader's order, and a site's own `nav:` that lists the generated pages."""

from __future__ import annotations

import re

import pytest

FOOTER = """\
theme:
  name: material
  features: [navigation.footer, navigation.indexes]
"""


def top_level(html: str) -> list[str]:
    """The titles of the primary navigation's top-level items."""
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1]
    top = nav.split('<ul class="md-nav__list" data-md-scrollfix>', 1)[1]
    titles, depth = [], 0
    for match in re.finditer(r'<(/?)ul\b|<span class="md-ellipsis">\s*([^<]*?)\s*</span>', top):
        if match.group(0).startswith("<ul"):
            depth += 1
        elif match.group(0).startswith("</ul"):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and match.group(2) not in titles:
            titles.append(match.group(2))
    return titles


@pytest.fixture
def network(site):
    site.community("gd", title="Gestational diabetes")
    site.entry("gd", "2020-01-01-a.md", title="A story", visibility="public", showcase="Chosen")
    site.write("tags.md", "# Tags\n\n<!-- material/tags -->\n")
    site.write("about.md", "# About us\n")
    site.write("value-creation.md", "# The Value Creation Framework\n")
    return site


def test_the_top_level_is_in_the_reader_s_order(network):
    out = network.build("public")
    titles = top_level(out.page(""))
    assert titles[:6] == ["Home", "Communities", "The Value Creation Framework", "Value Creation Matrix", "Timeline",
                          "Highlights"]
    # Other generated pages (reports, ...) follow in the plan's order; then the tags and the site's own pages.
    assert titles[-2:] == ["Tags", "About us"]
    assert "Reports" in titles[6:-2]


def test_previous_and_next_follow_the_same_order(network):
    config = network.write_config("public").read_text(encoding="utf-8")
    out_config = network.root / "mkdocs.yml"
    out_config.write_text(config.replace("theme:\n  name: material\n", FOOTER), encoding="utf-8")
    from generator import host

    host.build(host.load_config(str(out_config), site_dir=str(network.root / "out")))
    matrix = (network.root / "out/matrix/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-footer__link md-footer__link--prev" aria-label="Previous: The Value Creation '
                     r'Framework"', matrix)
    assert re.search(r'class="md-footer__link md-footer__link--next" aria-label="Next: Timeline"', matrix)


def test_a_site_with_its_own_nav_lists_the_generated_pages_by_file_name(network):
    own_nav = """
nav:
  - index.md
  - Communities: communities/index.md
  - value-creation.md
  - matrix.md
  - timeline.md
  - highlights.md
  - tags.md
"""
    out = network.build("public", strict=True, extra_yml=own_nav)
    assert top_level(out.page("")) == ["Home", "Communities", "The Value Creation Framework", "Value Creation Matrix",
                                       "Timeline", "Highlights", "Tags"]
