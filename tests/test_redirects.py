"""Aliases: an entry's old addresses redirect to it, in both builds, outside the sitemap and search."""

from __future__ import annotations

import json
import re

import pytest
from conftest import entry

from generator.redirects import redirect_files


def test_each_alias_gets_a_redirect_with_a_relative_target_and_a_canonical_link():
    e = entry("c", "new-name", title="A <b> title", aliases=("old-name", "older-name"))
    files = redirect_files([e], set(), "https://org.example/network/")
    assert sorted(files) == ["communities/c/old-name/index.html", "communities/c/older-name/index.html"]
    html = files["communities/c/old-name/index.html"]
    assert '<meta http-equiv="refresh" content="0; url=../new-name/">' in html
    assert '<link rel="canonical" href="https://org.example/network/communities/c/new-name/">' in html
    assert '<a href="../new-name/">A &lt;b&gt; title</a>' in html
    assert '<html lang="en">' in html and '<meta name="robots" content="noindex">' in html


def test_without_site_url_the_canonical_link_is_relative():
    html = redirect_files([entry("c", "new", aliases=("old",))], set(), None)["communities/c/old/index.html"]
    assert '<link rel="canonical" href="../new/">' in html


def test_no_redirect_stands_where_a_page_is_published_or_another_redirect_is():
    first = entry("c", "first", date="2020-01-01", aliases=("shared", "first", "taken"))
    second = entry("c", "second", date="2021-01-01", aliases=("shared",))
    files = redirect_files([second, first], {"communities/c/first/", "communities/c/taken/"}, None)
    assert list(files) == ["communities/c/shared/index.html"]
    assert "../first/" in files["communities/c/shared/index.html"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("aliases"))
    site.community("gd", title="Gestational diabetes")
    site.entry("gd", "2019-06-04-gtt.md", title="GTT policy", date="2019-06-04", visibility="public",
               slug="gtt-policy", aliases=["gtt", "glucose-test-policy"])
    site.entry("gd", "2020-02-10-secret.md", title="Secret story", date="2020-02-10", aliases=["zqx-old-secret"])
    site.entry("gd", "2020-03-10-other.md", title="Other", date="2020-03-10", visibility="public",
               aliases=["timeline", "matrix"])
    return {"public": site.build("public"), "internal": site.build("internal")}


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_old_addresses_redirect_in_both_builds(built, audience):
    out = built[audience]
    for old in ("gtt", "glucose-test-policy"):
        html = out.page(f"communities/gd/{old}/")
        assert '<meta http-equiv="refresh" content="0; url=../gtt-policy/">' in html
        assert '<link rel="canonical" href="https://cop.example.org/communities/gd/gtt-policy/">' in html


def test_an_internal_entry_s_old_address_is_only_in_the_internal_build(built):
    assert "../secret/" in built["internal"].page("communities/gd/zqx-old-secret/")
    public = built["public"]
    assert not (public.site / "communities/gd/zqx-old-secret").exists()
    assert not any("zqx-old-secret" in p.read_text(encoding="utf-8", errors="replace") for p in public.files()
                   if p.suffix in (".html", ".xml", ".json", ".csv", ".txt"))


def test_an_alias_never_replaces_a_generated_page(built):
    assert "copmem-timeline" in built["public"].page("communities/gd/timeline/")
    assert "copmem-matrix" in built["public"].page("communities/gd/matrix/")


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_old_addresses_are_in_neither_the_sitemap_nor_the_search_index(built, audience):
    out = built[audience]
    sitemap = out.text("sitemap.xml")
    assert "communities/gd/gtt-policy/" in sitemap
    assert "communities/gd/gtt/" not in sitemap and "glucose-test-policy" not in sitemap
    locations = {doc["location"] for doc in json.loads(out.text("search/search_index.json"))["docs"]}
    assert not any(re.match(r"communities/gd/(gtt|glucose-test-policy)/", loc) for loc in locations)


def test_a_chatham_house_name_in_an_alias_is_an_error(site):
    site.community("ps", attribution="chatham-house")
    site.entry("ps", "2020-01-01-talk.md", title="A talk", visibility="public", people=["Ada Lovelace"],
               aliases=["what-ada-lovelace-said"])
    out = site.build("public")
    assert not (out.site / "communities/ps/what-ada-lovelace-said").exists()
    assert any("aliases: an old address spells a name protected by the Chatham House rule" in m
               for m in out.messages())
