"""What search engines read: robots.txt naming the sitemap, and lastmod from each page's content."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("crawlers"))
    site.community("gd")
    site.community("other")
    site.entry("gd", "2019-06-04-old.md", title="Old", date="2019-06-04", visibility="public", kind="story",
               cycles={"applied": "Changed"})
    site.entry("gd", "2020-01-10-new.md", title="New", date="2020-01-10", visibility="public")
    site.entry("other", "2018-03-03-first.md", title="First", date="2018-03-03", visibility="public")
    site.entry("gd", "2021-05-05-secret.md", title="Secret", date="2021-05-05")
    return {"public": site.build("public"), "internal": site.build("internal")}


def lastmods(build) -> dict[str, str | None]:
    found = {}
    for block in re.findall(r"<url>(.*?)</url>", build.text("sitemap.xml"), re.S):
        loc = re.search(r"<loc>https://cop\.example\.org/([^<]*)</loc>", block).group(1)
        date = re.search(r"<lastmod>([^<]+)</lastmod>", block)
        found[loc] = date.group(1) if date else None
    return found


def test_the_public_robots_txt_names_the_sitemap(built):
    assert built["public"].text("robots.txt") == (
        "User-agent: *\nDisallow:\n\nSitemap: https://cop.example.org/sitemap.xml\n")


def test_the_internal_robots_txt_keeps_crawlers_out(built):
    assert built["internal"].text("robots.txt") == "User-agent: *\nDisallow: /\n"


def test_a_site_s_own_robots_txt_stands(site):
    site.write("robots.txt", "User-agent: *\nDisallow: /drafts/\n")
    assert site.build("public").text("robots.txt") == "User-agent: *\nDisallow: /drafts/\n"


def test_lastmod_is_the_date_of_what_each_page_shows(built):
    dates = lastmods(built["public"])
    assert dates["communities/gd/old/"] == "2019-06-04"
    assert dates["communities/gd/new/"] == "2020-01-10"
    # A community, a timeline or a matrix changed when the newest entry it shows did.
    assert dates["communities/gd/"] == "2020-01-10"
    assert dates["communities/gd/timeline/"] == dates["communities/gd/matrix/"] == "2020-01-10"
    assert dates["communities/other/"] == "2018-03-03"
    assert dates["timeline/"] == dates["matrix/"] == "2020-01-10"
    assert dates["cycles/applied/"] == "2019-06-04"
    # The internal entry's date moves nothing in the public build.
    assert "2021-05-05" not in built["public"].text("sitemap.xml")
    assert lastmods(built["internal"])["timeline/"] == "2021-05-05"


def test_a_hand_written_page_without_history_has_no_lastmod_rather_than_the_build_date(built):
    assert lastmods(built["public"])[""] is None
