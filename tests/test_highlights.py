"""/highlights/: entries chosen with `showcase:`, newest first, each with its reason and strongest statement."""

from __future__ import annotations

import re

import pytest
from conftest import community, entry

from generator.audience import publish
from generator.highlights import highlights
from conftest import memory


def test_highlights_are_the_chosen_entries_newest_first_with_reason_and_strongest_statement():
    c = community("c", title="Circle")
    old = entry("c", "old", date="2019-01-01", showcase="First  chosen", cycles={"applied": ("Changed",)})
    new = entry("c", "new", date="2021-01-01", showcase="Second", cycles={"immediate": ("Met",), "realised": ("Cut",)})
    plain = entry("c", "plain", date="2022-01-01")
    blank = entry("c", "blank", date="2022-01-01", showcase="  ")
    found = highlights([old, plain, new, blank], {"c": c})
    assert [h.entry.slug for h in found] == ["new", "old"]
    assert found[0].community_title == "Circle"
    assert found[0].strongest[0] == "realised" and found[0].strongest[1].text == "Cut"
    assert found[1].reason == "First chosen"


def test_a_chatham_house_reason_is_redacted_and_an_internal_one_left_out():
    c = community("c", attribution="chatham-house")
    said = entry("c", "said", attribution="chatham-house", people=("Ada Lovelace",),
                 showcase="Ada Lovelace changed her mind")
    hidden = entry("c", "hidden", visibility="internal", showcase="Not for outsiders")
    publication = publish(memory(c, said, hidden), "public")
    found = highlights(publication.entries, publication.communities)
    assert [h.reason for h in found] == ["A member changed her mind"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("highlights"))
    site.community("gd", title="Gestational diabetes")
    site.entry("gd", "2019-06-04-gtt.md", title="GTT policy", date="2019-06-04", kind="story", visibility="public",
               cycles={"applied": "Policy changed", "realised": "Wait halved"},
               showcase="One conversation, one changed policy")
    site.entry("gd", "2020-01-10-note.md", title="A later note", date="2020-01-10", visibility="public",
               showcase="Plain words, no statements")
    site.entry("gd", "2020-02-10-secret.md", title="Secret story", date="2020-02-10",
               showcase="ZQXshowcase reason")
    site.entry("gd", "2020-03-10-unchosen.md", title="Unchosen", date="2020-03-10", visibility="public")
    return {"public": site.build("public"), "internal": site.build("internal")}


def test_the_highlights_page_lists_the_audience_s_chosen_entries(built):
    html = built["public"].page("highlights/")
    titles = re.findall(r'<h2 id="[^"]*"><a href="([^"]+)">([^<]+)</a>', html)
    assert titles == [("../communities/gd/note/", "A later note"), ("../communities/gd/gtt/", "GTT policy")]
    assert "One conversation, one changed policy" in html and "Wait halved" in html
    assert "ZQXshowcase" not in html and "Unchosen" not in html
    assert "ZQXshowcase reason" in built["internal"].page("highlights/")


def test_the_home_page_links_to_the_highlights(built):
    home = built["public"].page("")
    assert re.search(r'<a href="highlights/">Highlights</a>: 2 entries', home)
    assert re.search(r'<a href="highlights/">Highlights</a>: 3 entries', built["internal"].page(""))


def test_a_site_without_highlights_says_so(site):
    site.community("gd")
    site.entry("gd", "2020-01-01-a.md", title="A", visibility="public")
    out = site.build("public")
    assert "No entries have been chosen as highlights yet." in out.page("highlights/")
    assert 'href="highlights/"' not in out.page("").split('<div class="copmem-communities">', 1)[1]
