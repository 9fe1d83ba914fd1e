"""Search results that read well: labels and values apart in the index's text; tag pages count their entries."""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("search-text"))
    site.write("tags.md", "# Tags\n\n<!-- material/tags -->\n")
    site.community("gd")
    site.entry("gd", "2019-06-04-gtt.md", title="GTT policy", date="2019-06-04", kind="story", visibility="public",
               cycles={"applied": "Policy changed", "realised": "Wait halved"}, capital=["tangible", "social"],
               tags=["passport", "testing"], people=["Dana Whitfield"], reporters=["Tomasz Nowak"])
    site.entry("gd", "2020-01-10-note.md", title="A <note> & more", date="2020-01-10", visibility="public",
               tags=["passport"])
    return site.build("public")


def test_the_entry_header_reads_as_labelled_values_in_the_search_index(built):
    docs = json.loads(built.text("search/search_index.json"))["docs"]
    text = next(d["text"] for d in docs if d["location"] == "communities/gd/gtt/")
    assert "Applied: Policy changed" in text and "Realised: Wait halved" in text
    assert ("Knowledge capital: tangible, social. Tags: passport, testing. People: Dana Whitfield. "
            "Reported by: Tomasz Nowak.") in text


def test_each_tag_says_how_many_entries_carry_it(built):
    html = built.page("tags/")
    counts = dict(re.findall(r'id="tag:([^"]+)".*?<p class="copmem-tag-count">([^<]+)</p>', html, re.S))
    assert counts == {"passport": "2 entries", "testing": "1 entry"}
    # Titles are escaped once in the listing.
    assert re.search(r">\s*A &lt;note&gt; &amp; more\s*</a>", html)
