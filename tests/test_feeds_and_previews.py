"""Feeds (parsed with feedparser) and link-preview metadata, from real builds."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import feedparser
import pytest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("feeds"))
    site.community("gd", title="Gestational diabetes", domain="Diabetes in pregnancy, from test to clinic")
    site.community("closed", visibility="internal")
    site.entry("gd", "2019-06-04-gtt-policy.md", title="GTT policy", date="2019-06-04", kind="story",
               visibility="public", cycles={"applied": "Policy changed", "realised": "Wait halved"},
               tags=["testing"], body="The trust moved the **glucose test** to 36 weeks.\n\nSecond paragraph.")
    site.entry("gd", "2020-01-10-newer.md", title="Newer public note", date="2020-01-10", visibility="public")
    site.entry("gd", "2020-02-10-secret.md", title="Secret note", date="2020-02-10")
    site.entry("closed", "2020-03-10-closed.md", title="Closed note", date="2020-03-10", visibility="public")
    return {"public": site.build("public"), "internal": site.build("internal")}


def parse(build, name):
    feed = feedparser.parse(build.text(name))
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_network_feed_parses_and_is_newest_first(built):
    feed = parse(built["internal"], "feed.xml")
    assert [e.title for e in feed.entries] == ["Closed note", "Secret note", "Newer public note", "GTT policy"]


def test_public_feeds_hold_public_entries_only(built):
    feed = parse(built["public"], "feed.xml")
    assert [e.title for e in feed.entries] == ["Newer public note", "GTT policy"]
    community = parse(built["public"], "communities/gd/feed.xml")
    assert [e.title for e in community.entries] == ["Newer public note", "GTT policy"]
    assert not (built["public"].site / "communities/closed/feed.xml").exists()


def test_feed_entries_have_absolute_urls_dates_summaries_and_cycles(built):
    entry = parse(built["public"], "feed.xml").entries[1]
    assert entry.link == "https://cop.example.org/communities/gd/gtt-policy/"
    assert entry.published.startswith("2019-06-04")
    # The strongest statement (the highest cycle's) says what the entry showed.
    assert entry.summary == "Wait halved"
    assert [t.term for t in entry.tags] == ["applied", "realised", "testing"]


class Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key and "content" in attrs:
            self.meta.setdefault(key, attrs["content"])


def metadata(html: str) -> dict[str, str]:
    parser = Meta()
    parser.feed(html)
    return parser.meta


def test_entry_link_preview(built):
    meta = metadata(built["public"].page("communities/gd/gtt-policy/"))
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "GTT policy"
    assert meta["og:description"] == "Wait halved"
    assert meta["og:url"] == "https://cop.example.org/communities/gd/gtt-policy/"
    assert meta["og:site_name"] == "Test network"
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:title"] == "GTT policy"


def test_an_entry_without_statements_is_described_by_its_first_paragraph(built):
    meta = metadata(built["public"].page("communities/gd/newer/"))
    assert meta["og:description"] == meta["description"] == "Some words."


def test_the_home_page_preview_is_titled_with_the_site_name(built):
    meta = metadata(built["public"].page(""))
    assert meta["og:title"] == meta["twitter:title"] == "Test network"


@pytest.mark.parametrize("url", ["", "communities/gd/", "matrix/", "timeline/", "cycles/applied/"])
def test_every_page_has_a_link_preview(built, url):
    meta = metadata(built["public"].page(url))
    assert meta["og:type"] == "website"
    assert meta["og:url"] == "https://cop.example.org/" + url
    assert meta["og:title"] and meta["og:description"]


def test_no_internal_information_in_public_metadata(built):
    for path in built["public"].files():
        if path.suffix == ".html":
            heads = re.findall(r"<head>.*?</head>", path.read_text(encoding="utf-8"), re.S)
            for needle in ("Secret note", "Closed note", "closed"):
                assert all(needle not in head for head in heads), (path, needle)
