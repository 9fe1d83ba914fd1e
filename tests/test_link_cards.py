"""Link-preview cards in real builds: every page names its card, the card shows that page, and nothing else goes out.

`tests/test_cards.py` tests the drawing; these build sites with real MkDocs and read the pages and files.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import metadata
from PIL import Image

from generator import link_cards
from generator.cards import Card

SITE_URL = "https://cop.example.org/"
SITE_NAME = "Test network"


def fill(site) -> None:
    site.community("gd", title="Gestational diabetes", domain="Diabetes in pregnancy")
    site.community("closed", title="Closed circle", visibility="internal")
    site.entry("gd", "2019-06-04-gtt-policy.md", title="GTT <policy> & wait", date="2019-06-04", kind="story",
               visibility="public", cycles={"applied": "Policy changed", "realised": "Wait halved"})
    site.entry("gd", "2020-02-10-secret.md", title="Secret note", date="2020-02-10",
               cycles={"potential": "A private idea"})
    site.entry("closed", "2020-03-10-closed.md", title="Closed note", date="2020-03-10", visibility="public")


def card_file(build, url: str) -> Path:
    """The card file a page names, checked to lie in the site's card folder under its site_url."""
    image = metadata(build.page(url))["og:image"]
    assert image.startswith(SITE_URL + link_cards.FOLDER + "/"), image
    return build.site / image.removeprefix(SITE_URL)


def html_pages(build) -> list[Path]:
    return [p for p in build.files() if p.name == "index.html" and "<head>" in p.read_text(encoding="utf-8")
            and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("cards"))
    fill(site)
    return {"public": site.build("public"), "internal": site.build("internal"), "site": site}


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_every_page_names_a_1200_by_630_card_that_the_site_holds(built, audience):
    build = built[audience]
    pages = html_pages(build)
    assert len(pages) > 10
    for path in pages:
        url = str(path.parent.relative_to(build.site)).replace(".", "") + "/"
        meta = metadata(path.read_text(encoding="utf-8"))
        assert meta["twitter:card"] == "summary_large_image", path
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        assert meta["og:image:type"] == "image/png"
        assert meta["twitter:image"] == meta["og:image"]
        assert meta["og:image:alt"] == meta["og:title"]
        with Image.open(card_file(build, url.lstrip("/"))) as image:
            assert image.format == "PNG" and image.size == (1200, 630)


def test_an_entry_s_card_shows_its_title_community_and_cycles(built):
    expected = Card(title="GTT <policy> & wait", community="Gestational diabetes", cycles=("applied", "realised"),
                    site_name=SITE_NAME)
    assert card_file(built["public"], "communities/gd/gtt-policy/").name == f"{expected.key}.png"
    # The title is markup-free text in the page head.
    assert 'content="GTT &lt;policy&gt; &amp; wait"' in built["public"].page("communities/gd/gtt-policy/")


def test_a_community_s_pages_carry_its_name_and_the_home_page_says_what_the_site_is(built):
    community = Card(title="Gestational diabetes", community="Diabetes in pregnancy", cycles=(), site_name=SITE_NAME)
    assert card_file(built["public"], "communities/gd/").name == f"{community.key}.png"
    og_title = metadata(built["public"].page("communities/gd/timeline/"))["og:title"]
    view = Card(title=og_title, community="Gestational diabetes", cycles=(), site_name=SITE_NAME)
    assert card_file(built["public"], "communities/gd/timeline/").name == f"{view.key}.png"
    # With no site_description, the home page's card carries the site's name alone.
    site_home = Card(title=SITE_NAME, community="", cycles=(), site_name=SITE_NAME)
    assert card_file(built["public"], "").name == f"{site_home.key}.png"


def test_the_home_page_card_says_what_the_site_is(site):
    fill(site)
    build = site.build("public", extra_yml="site_description: Learning together about diabetes in pregnancy\n")
    home = Card(title="Learning together about diabetes in pregnancy", community="", cycles=(), site_name=SITE_NAME)
    assert card_file(build, "").name == f"{home.key}.png"


def test_the_public_site_holds_the_cards_of_its_pages_and_no_other(built):
    build = built["public"]
    named = {card_file(build, str(p.parent.relative_to(build.site)).replace(".", "")).name for p in html_pages(build)}
    held = {p.name for p in (build.site / link_cards.FOLDER).iterdir()}
    assert held == named
    for title, community, cycles in (("Secret note", "Gestational diabetes", ("potential",)),
                                      ("Closed note", "Closed circle", ()),
                                      ("Closed circle", "A shared domain", ())):
        hidden = Card(title=title, community=community, cycles=cycles, site_name=SITE_NAME)
        assert f"{hidden.key}.png" not in held
    # ... while the internal site has the internal entry's card.
    secret = Card(title="Secret note", community="Gestational diabetes", cycles=("potential",), site_name=SITE_NAME)
    assert (built["internal"].site / link_cards.FOLDER / f"{secret.key}.png").is_file()


def test_cards_are_kept_next_to_mkdocs_yml_and_a_second_build_draws_none(built):
    site = built["site"]
    cached = list((site.root / ".cache/cop-memory/cards").rglob("*.png"))
    assert len(cached) >= len(list((built["internal"].site / link_cards.FOLDER).iterdir()))
    again = site.build("internal")
    assert not [m for m in again.messages(20) if "link-preview card" in m]
    assert sorted(p.name for p in (again.site / link_cards.FOLDER).iterdir()) == sorted(
        p.name for p in (built["internal"].site / link_cards.FOLDER).iterdir())


def test_an_edited_title_gets_a_new_card_and_the_first_build_says_how_many_it_drew(site):
    fill(site)
    first = site.build("public")
    assert any(re.search(r"drew \d+ link-preview cards", m) for m in first.messages(20))
    before = card_file(first, "communities/gd/gtt-policy/").name
    site.entry("gd", "2019-06-04-gtt-policy.md", title="GTT policy, revised", date="2019-06-04", kind="story",
               visibility="public", cycles={"applied": "Policy changed", "realised": "Wait halved"})
    second = site.build("public")
    after = card_file(second, "communities/gd/gtt-policy/")
    assert after.name != before and after.is_file()
    said = [m for m in second.messages(20) if "link-preview card" in m]
    assert len(said) == 1 and said[0].endswith("drew 1 link-preview card (kept in .cache/cop-memory/cards for the "
                                               "next build)"), said


def test_cards_drawn_ahead_by_a_second_process_are_the_same_bytes(site, monkeypatch):
    fill(site)
    monkeypatch.setattr(link_cards, "_WORKER_THRESHOLD", 1)
    ahead = site.build("internal")
    path = card_file(ahead, "communities/gd/gtt-policy/")
    expected = Card(title="GTT <policy> & wait", community="Gestational diabetes", cycles=("applied", "realised"),
                    site_name=SITE_NAME)
    from generator.cards import render_card

    assert path.read_bytes() == render_card(expected)
    with Image.open(io.BytesIO(path.read_bytes())) as image:
        assert image.size == (1200, 630)


def test_cards_can_be_turned_off(site):
    fill(site)
    build = site.build("internal", extra_plugin_options="      cards: false\n")
    meta = metadata(build.page("communities/gd/gtt-policy/"))
    assert "og:image" not in meta and meta["twitter:card"] == "summary"
    assert not (build.site / link_cards.FOLDER).exists()
    assert not (site.root / ".cache" / "cop-memory" / "cards").exists()


def test_without_site_url_the_card_is_linked_relative_to_the_page(site):
    from generator import host

    fill(site)
    config_file = site.write_config("internal")
    config_file.write_text(config_file.read_text(encoding="utf-8").replace(f"site_url: {SITE_URL}\n", ""),
                           encoding="utf-8")
    site_dir = site.root / "site-no-url"
    config = host.load_config(str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    host.build(config)
    page = (site_dir / "communities/gd/gtt-policy/index.html").read_text(encoding="utf-8")
    image = metadata(page)["og:image"]
    assert image.startswith("../../../" + link_cards.FOLDER + "/")
    assert (site_dir / "communities/gd/gtt-policy" / image).resolve().is_file()


def test_a_site_s_own_page_in_place_of_a_generated_one_leaves_no_stray_card(site, monkeypatch):
    monkeypatch.setattr(link_cards, "_WORKER_THRESHOLD", 1)  # the worker writes the planned pages' cards
    fill(site)
    site.write("value-creation.md", "# How we think about value\n\nOur own words.\n")
    build = site.build("public")
    named = {card_file(build, str(p.parent.relative_to(build.site)).replace(".", "")).name for p in html_pages(build)}
    assert {p.name for p in (build.site / link_cards.FOLDER).iterdir()} == named
    own = Card(title="How we think about value", community="", cycles=(), site_name=SITE_NAME)
    assert card_file(build, "value-creation/").name == f"{own.key}.png"
