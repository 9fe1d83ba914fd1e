"""Timeline filters: the markup the script reads, shipped in the package, listed on every page."""

from __future__ import annotations

import re

from conftest import community, entry

from generator import views
from generator.render import Renderer, packaged_templates


def _network_page() -> str:
    communities = {"a": community("a", title="Alpha"), "b": community("b", title="Beta")}
    entries = [entry("a", "story", kind="story", cycles={"applied": (), "realised": ()}),
               entry("b", "note", date="2021-03-01")]
    return Renderer().network_timeline(views.network_timeline(entries, communities), "timeline/")


def test_items_carry_what_the_filter_reads():
    html = _network_page()
    items = re.findall(r'<li class="copmem-item" data-community="(\w+)" data-kind="(\w+)" data-cycles="([^"]*)">', html)
    assert items == [("b", "note", ""), ("a", "story", "applied realised")]


def test_the_filter_form_is_hidden_until_the_script_shows_it_and_offers_each_choice():
    html = _network_page()
    form = re.search(r"<form class=\"copmem-filter\" data-copmem-filter hidden.*?</form>", html, re.S).group(0)
    assert re.findall(r'<select name="(\w+)">', form) == ["community", "cycle", "kind"]
    assert '<option value="a">Alpha</option><option value="b">Beta</option>' in form
    assert '<option value="none">No cycle named</option>' in form
    assert '<option value="event">event</option>' in form


def test_a_community_timeline_filters_by_cycle_and_kind_only():
    c = community("a")
    entries = [entry("a", "one"), entry("a", "two", date="2021-01-01")]
    html = Renderer().community_timeline(c, views.community_timeline(entries), "communities/a/timeline/")
    assert re.findall(r'<select name="(\w+)">', html) == ["cycle", "kind"]


def test_the_script_ships_in_the_package_and_every_page_loads_it(site):
    from pathlib import Path

    assert (Path(packaged_templates()) / "cop-memory" / "timeline-filter.js").is_file()
    site.community("gd")
    site.entry("gd", "2020-01-01-a.md", title="A", visibility="public")
    out = site.build("public")
    assert '<script src="../cop-memory/timeline-filter.js"></script>' in out.page("timeline/")
    assert (out.site / "cop-memory/timeline-filter.js").is_file()
