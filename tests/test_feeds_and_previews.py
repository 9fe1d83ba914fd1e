"""Feeds (parsed with feedparser) and link-preview metadata, from real builds."""

from __future__ import annotations

import re

import feedparser
import pytest
from conftest import metadata


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
    assert [t.term for t in entry.tags] == ["gd", "applied", "realised", "testing"]
    assert entry.tags[0].label == "Gestational diabetes"
    assert entry.tags[0].scheme == "https://cop.example.org/communities/"


def test_entry_link_preview(built):
    meta = metadata(built["public"].page("communities/gd/gtt-policy/"))
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "GTT policy"
    assert meta["og:description"] == "Wait halved"
    assert meta["og:url"] == "https://cop.example.org/communities/gd/gtt-policy/"
    assert meta["og:site_name"] == "Test network"
    # A large card: every page has a link-preview image (tests/test_link_cards.py).
    assert meta["twitter:card"] == "summary_large_image"
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


# Feeds a person can read (issue 16, item 5).


def test_feeds_carry_the_network_s_name_and_a_stylesheet_relative_to_them(built):
    network = built["public"].text("feed.xml")
    community = built["public"].text("communities/gd/feed.xml")
    assert '<?xml-stylesheet type="text/xsl" href="cop-memory/feed.xsl"?>' in network
    assert '<?xml-stylesheet type="text/xsl" href="../../cop-memory/feed.xsl"?>' in community
    assert (built["public"].site / "cop-memory/feed.xsl").is_file()
    assert parse(built["public"], "feed.xml").feed.title == "Test network"
    assert parse(built["public"], "communities/gd/feed.xml").feed.title == "Gestational diabetes · Test network"


def alternates(html: str) -> list[tuple[str, str]]:
    head = html.split("</head>", 1)[0]
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', head)


def test_every_page_announces_the_network_feed_and_its_community_s(built):
    out = built["public"]
    assert alternates(out.page("")) == [("Test network", "feed.xml")]
    assert alternates(out.page("matrix/")) == [("Test network", "../feed.xml")]
    community_feed = ("Gestational diabetes · Test network", "../feed.xml")
    assert alternates(out.page("communities/gd/")) == [("Test network", "../../feed.xml"), ("Gestational diabetes · Test network", "feed.xml")]
    assert alternates(out.page("communities/gd/gtt-policy/")) == [("Test network", "../../../feed.xml"), community_feed]
    assert alternates(out.page("communities/gd/timeline/"))[1] == community_feed


def _feed_entry(**fields):
    from conftest import entry

    return entry("c", fields.pop("slug", "e"), **fields)


def test_a_feed_holds_every_entry_of_its_scope():
    from generator.feeds import atom_feed

    entries = [_feed_entry(slug=f"e{n}", date=f"2020-01-{1 + n % 28:02d}") for n in range(120)]
    text = atom_feed(entries, title="t", feed_url="feed.xml", page_url="timeline/", site_url="https://x.example/",
                     summary=lambda e: "", community_titles={})
    feed = feedparser.parse(text)
    assert not feed.bozo and len(feed.entries) == 120
    dates = [e.published for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_one_author_per_reporter_and_the_community_when_none_is_named():
    from generator.feeds import atom_feed

    two = _feed_entry(slug="two", reporters=("Ana Reyes", "Tomasz Nowak"))
    none = _feed_entry(slug="none", date="2019-01-01")
    feed = feedparser.parse(atom_feed([two, none], title="t", feed_url="feed.xml", page_url="timeline/",
                                      site_url="https://x.example/", summary=lambda e: "",
                                      community_titles={"c": "Circle"}))
    assert [a.name for a in feed.entries[0].authors] == ["Ana Reyes", "Tomasz Nowak"]
    assert [a.name for a in feed.entries[1].authors] == ["Circle"]


def test_characters_xml_forbids_are_dropped_and_the_rest_escaped():
    from xml.etree import ElementTree

    from generator.feeds import atom_feed

    odd = _feed_entry(title="Tab\there, form\x0cfeed, <b>& \x00nul\ufffe", tags=("a\x1fb",))
    text = atom_feed([odd], title="t\x0b", feed_url="feed.xml", page_url="timeline/", site_url=None,
                     summary=lambda e: "sum\x08mary", community_titles={})
    root = ElementTree.fromstring(text.encode("utf-8"))
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.find(f"{atom}entry/{atom}title").text == "Tab\there, formfeed, <b>& nul"
    assert root.find(f"{atom}entry/{atom}summary").text == "summary"


def test_without_site_url_feed_links_are_relative_to_the_feed():
    from generator.feeds import atom_feed

    text = atom_feed([_feed_entry(slug="e")], title="t", feed_url="communities/c/feed.xml", page_url="communities/c/",
                     site_url=None, summary=lambda e: "", community_titles={})
    assert '<link rel="alternate" type="text/html" href="e/" />' in text
    assert '<link rel="alternate" type="text/html" href="./" />' in text


def test_updated_is_the_entry_s_date_when_its_history_is_unknown(built):
    entry = parse(built["public"], "feed.xml").entries[1]
    assert entry.updated.startswith("2019-06-04") and entry.published.startswith("2019-06-04")
    assert parse(built["public"], "feed.xml").feed.updated.startswith("2020-01-10")


@pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")
def test_an_edit_moves_the_entry_s_updated_date_and_the_feed_s(site):
    from test_changes import git

    site.community("gd", title="Gestational diabetes")
    story = site.entry("gd", "2019-06-04-gtt.md", title="GTT policy", date="2019-06-04", visibility="public")
    site.entry("gd", "2020-01-10-newer.md", title="Newer", date="2020-01-10", visibility="public")
    git(site.root, "init", "-q")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-qm", "first", when="2021-03-04T05:06:07+00:00")
    first_build = site.build("public")
    first = feedparser.parse(first_build.text("feed.xml"))
    assert "<lastmod>2021-03-04</lastmod>" in first_build.text("sitemap.xml")
    story.write_text(story.read_text(encoding="utf-8").replace("Some words.", "Some better words."), encoding="utf-8")
    git(site.root, "commit", "-qam", "edit", when="2022-08-09T10:11:12+00:00")
    second_build = site.build("public")
    second = feedparser.parse(second_build.text("feed.xml"))
    assert re.search(r"gd/gtt/</loc>\s*<lastmod>2022-08-09</lastmod>", second_build.text("sitemap.xml"))
    by_title = {e.title: e for e in second.entries}
    assert [e.updated for e in first.entries] == ["2021-03-04T05:06:07Z", "2021-03-04T05:06:07Z"]
    assert by_title["GTT policy"].updated == "2022-08-09T10:11:12Z"
    assert by_title["GTT policy"].published == "2019-06-04T00:00:00Z"
    assert by_title["Newer"].updated == "2021-03-04T05:06:07Z"
    assert second.feed.updated == "2022-08-09T10:11:12Z"


def test_a_serve_rebuild_redraws_the_edited_entry_s_part_of_a_feed_and_keeps_the_rest(site):
    """The feeds hold every entry, so a serve session keeps each entry's part and redraws only what changed:
    the rebuilt feed must be exactly what a fresh build writes."""
    from test_build import ServeSession

    site.community("gd", title="Gestational diabetes")
    site.community("pc", title="Peer carers")
    for day in range(1, 8):
        site.entry("gd", f"2020-01-0{day}-note-{day}.md", title=f"Note {day}", date=f"2020-01-0{day}",
                   cycles={"applied": f"Statement {day}"})
    site.entry("pc", "2020-02-01-carers.md", title="Carers meet", date="2020-02-01", reporters=["Ann Lee"])
    serve = ServeSession(site)

    def kept_parts() -> dict:
        plan = serve.plugin.plan
        return serve.plugin.memo.get("entries of feed.xml", (plan.site_url or "", plan.changed))

    kept = kept_parts()
    assert kept is not None and len(kept) == 8
    untouched = kept["communities/gd/2020-01-02-note-2.md"][-1]
    site.entry("gd", "2020-01-03-note-3.md", title="Note 3, edited", date="2020-01-03",
               cycles={"realised": "Fewer admissions"})
    site.community("pc", title="Peer carers' circle")
    (site.docs / "communities/gd/2020-01-07-note-7.md").unlink()
    serve.rebuild()
    kept = kept_parts()
    assert kept["communities/gd/2020-01-02-note-2.md"][-1] is untouched  # not written again
    assert "communities/gd/2020-01-07-note-7.md" not in kept
    fresh = site.build("internal")
    for name in ("feed.xml", "communities/gd/feed.xml", "communities/pc/feed.xml"):
        assert (serve.out / name).read_text(encoding="utf-8") == fresh.text(name), name
    rebuilt = (serve.out / "feed.xml").read_text(encoding="utf-8")
    assert "Note 3, edited" in rebuilt and "Fewer admissions" in rebuilt and "Note 7" not in rebuilt
    assert "Peer carers&apos; circle" in rebuilt or "Peer carers' circle" in rebuilt
