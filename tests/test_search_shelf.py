"""Search entries kept between builds: the same index, byte for byte, and an edited page indexed anew."""

from __future__ import annotations

import json
import os

import pytest

from generator import cache_folder

material_search = pytest.importorskip("material.plugins.search.plugin")


#: each test reads and writes a store of its own
pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.fixture
def parsed(monkeypatch):
    """The HTML of the pages Material's search plugin parses, build by build."""
    pages: list[str] = []
    feed = material_search.Parser.feed

    def counting(self, data):
        pages.append(data)
        return feed(self, data)

    monkeypatch.setattr(material_search.Parser, "feed", counting)
    return pages


@pytest.fixture
def network(site):
    site.community("gd", title="Gastro Doctors")
    site.entry("gd", "2021-03-01-clinic.md", title="Clinic day", body="""
        We met at the clinic.

        ## What we tried

        A checklist for **referrals**, tried by three teams.
        """, cycles="[immediate]")
    site.entry("gd", "2021-04-01-review.md", title="Review", body="The audit showed fewer delays.",
               cycles="[applied]")
    return site


def index(build) -> str:
    return build.text("search/search_index.json")


def locations(build) -> dict[str, dict]:
    return {doc["location"]: doc for doc in json.loads(index(build))["docs"]}


def test_a_second_build_takes_every_page_from_the_store_and_writes_the_same_index(network, parsed):
    first = index(network.build())
    assert parsed, "the first build parses every page"
    assert list(cache_folder.user_cache("search").glob("search-*.pickle"))
    parsed.clear()
    second = index(network.build())
    assert parsed == []
    assert second == first
    without = index(network.build(extra_plugin_options="      search_cache: false\n"))
    assert without == first and parsed, "with the store off, every page is parsed, to the same index"


def test_an_edited_page_is_parsed_again_and_only_it_changes(network, parsed):
    before = locations(network.build())
    parsed.clear()
    network.entry("gd", "2021-04-01-review.md", title="Review", body="The audit showed fewer cancellations.",
                  cycles="[applied]")
    after = locations(network.build())
    assert any("cancellations" in page for page in parsed)
    assert len(parsed) < len(before)
    review = "communities/gd/review/"
    assert "cancellations" in after[review]["text"] and "delays" not in after[review]["text"]
    # Every other page's entries are as they were.
    assert {k: v for k, v in after.items() if not k.startswith(review)} == \
        {k: v for k, v in before.items() if not k.startswith(review)}


def test_a_new_title_alone_gives_new_entries(network, parsed):
    """The title is read from page metadata, not only from the HTML: it is part of what names the entries."""
    network.build()
    network.write("about.md", "Nothing but text here.\n")
    first = locations(network.build())
    network.write("about.md", "---\ntitle: About the network\n---\nNothing but text here.\n")
    second = locations(network.build())
    assert first["about/"]["title"] != "About the network"
    assert second["about/"]["title"] == "About the network"


def test_a_store_someone_else_may_write_is_not_read(network, parsed, caplog):
    first = index(network.build())
    (store,) = cache_folder.user_cache("search").glob("search-*.pickle")
    os.chmod(store, 0o666)
    parsed.clear()
    assert index(network.build()) == first
    assert parsed, "the store was not read: every page is parsed"
    assert "is not yours alone" in caplog.text


def test_the_internal_and_the_public_build_each_keep_their_own_entries(network, parsed):
    """A site built for both audiences (as CI does) finds each build's entries warm, not the other's left."""
    network.build()
    network.build("public")
    parsed.clear()
    network.build()
    network.build("public")
    assert parsed == []


def test_a_damaged_value_in_the_store_is_parsed_again_not_a_failed_build(network, parsed):
    import pickle

    first = index(network.build())
    (store,) = cache_folder.user_cache("search").glob("search-*.pickle")
    kept = pickle.loads(store.read_bytes())
    store.write_bytes(pickle.dumps({key: b"not zlib" for key in kept}))
    parsed.clear()
    assert index(network.build()) == first
    assert len(parsed) == len(kept)


def test_a_dirty_serve_session_keeps_every_page_in_its_index_across_rebuilds(network, parsed):
    """`serve --dirty` merges each rebuild's entries into the last index's: the first build's come from the
    store, and must be entries Material can merge, not texts."""
    from generator.host import build, load_config

    built = locations(network.build())
    config_file = str(network.root / "mkdocs.yml")
    out = network.root / "serve"
    config = load_config(config_file, site_dir=str(out))
    config.plugins.on_startup(command="serve", dirty=True)
    parsed.clear()
    build(config, dirty=True)
    assert parsed == [], "the session's first build takes every page from the store"
    first = {doc["location"]: doc for doc in json.loads((out / "search/search_index.json").read_text())["docs"]}
    assert first == built
    search = next(plugin for plugin in config.plugins.values() if hasattr(plugin, "search_index_prev"))
    kept = search.search_index_prev.entries
    assert len(kept) == len(first) and all(isinstance(entry, dict) for entry in kept), \
        "what Material merges the next rebuild into"
    network.entry("gd", "2021-04-01-review.md", title="Review", body="The audit showed fewer cancellations.",
                  cycles="[applied]")
    later = os.path.getmtime(network.docs / "communities/gd/2021-04-01-review.md") + 2
    os.utime(network.docs / "communities/gd/2021-04-01-review.md", (later, later))
    build(load_config(config_file, site_dir=str(out)), dirty=True)
    after = {doc["location"]: doc for doc in json.loads((out / "search/search_index.json").read_text())["docs"]}
    review = "communities/gd/review/"
    # Material merged the rebuild's entries into the first build's (dicts from the store, not texts).
    # What its merge keeps of the other pages is its own rule, with or without the store.
    assert "cancellations" in after[review]["text"]
    assert "delays" not in after[review]["text"]
