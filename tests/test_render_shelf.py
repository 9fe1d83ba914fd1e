"""Markdown conversions kept between builds: the same site, byte for byte, and MkDocs' link checks as without."""

from __future__ import annotations

import functools
import logging
import os

import pytest

from generator import cache_folder, render_shelf
from generator.host import Abort


#: each test reads and writes a store of its own
pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.fixture
def counts(monkeypatch):
    """(pages from the store, pages converted) of each build, as the shelf counted them."""
    seen: list[tuple[int, int]] = []
    save = render_shelf.RenderShelf.save

    def counting(self):
        seen.append((self.reused, self.converted))
        return save(self)

    monkeypatch.setattr(render_shelf.RenderShelf, "save", counting)
    return seen


@pytest.fixture
def network(site):
    site.community("gd", title="Gastro Doctors")
    site.entry("gd", "2021-03-01-clinic.md", title="Clinic day", body="""
        We met at the clinic.

        ## What we tried

        A checklist for **referrals**, tried by three teams. See [the team](../../team.md).
        """, cycles="[immediate]")
    site.entry("gd", "2021-04-01-review.md", title="Review", body="The audit showed fewer delays.",
               cycles="[applied]")
    site.write("team.md", "# The team\n\n## Who we are\n\nClinicians and carers.\n")
    site.write("about.md", "# About\n\nRead about [the team](team.md) and [who we are](team.md#who-we-are).\n")
    return site


def site_files(build) -> dict[str, bytes]:
    """Every page and export of a build, by path (cards are drawn by their own cache)."""
    return {path.relative_to(build.site).as_posix(): path.read_bytes()
            for path in build.site.rglob("*") if path.is_file() and path.suffix != ".png"}


def test_a_second_build_converts_no_page_and_writes_the_same_site(network, counts):
    first = site_files(network.build())
    assert counts[-1][0] == 0 and counts[-1][1] > 0
    assert list(cache_folder.user_cache("render").glob("render-*.pickle"))
    second = site_files(network.build())
    assert counts[-1] == (counts[0][1], 0), "every page from the store, none converted"
    assert second == first
    without = site_files(network.build(extra_plugin_options="      render_cache: false\n"))
    assert len(counts) == 2, "with the store off, no shelf at all"
    assert without == first


def test_an_edited_page_is_converted_again_and_the_others_are_not(network, counts):
    network.build()
    network.entry("gd", "2021-04-01-review.md", title="Review", body="The audit showed fewer cancellations.",
                  cycles="[applied]")
    out = network.build()
    assert counts[-1][1] == 1
    assert "fewer cancellations" in out.page("communities/gd/review/")


def test_a_link_whose_target_is_gone_fails_a_strict_build_as_without_the_store(network, counts):
    assert network.build(strict=True).messages() == []
    (network.docs / "team.md").unlink()
    with pytest.raises(Abort):
        network.build(strict=True)
    out = network.build()
    assert any("about.md" in m and "team.md" in m for m in out.messages()), out.messages()
    assert any("2021-03-01-clinic.md" in m and "team.md" in m for m in out.messages()), out.messages()


def test_a_page_that_warns_warns_in_every_build(network, counts):
    network.write("about.md", "# About\n\nSee [the old page](gone.md).\n")
    for _ in range(3):
        out = network.build()
        assert any("about.md" in m and "gone.md" in m for m in out.messages()), out.messages()


def test_links_to_anchors_are_checked_against_the_pages_of_this_build(network, counts):
    """A page taken from the store still has its links to anchors checked: against today's target."""
    extra = "validation:\n  anchors: warn\n"
    assert network.build(extra_yml=extra).messages() == []
    network.write("team.md", "# The team\n\n## What we do\n\nClinicians and carers.\n")
    out = network.build(extra_yml=extra)
    assert counts[-1][0] > 0, "the other pages came from the store"
    assert any("about.md" in m and "who-we-are" in m for m in out.messages()), out.messages()


def test_a_changed_markdown_setting_converts_every_page_again(network, counts):
    network.build(extra_yml="markdown_extensions:\n  - toc:\n      permalink: true\n")
    out = network.build(extra_yml="markdown_extensions:\n  - toc:\n      permalink: false\n")
    assert counts[-1][0] == 0
    assert 'class="headerlink"' not in out.page("team/")


def test_an_extension_that_reads_files_turns_the_store_off(network, counts):
    extra = "markdown_extensions:\n  - pymdownx.snippets\n"
    network.build(extra_yml=extra)
    network.build(extra_yml=extra)
    assert counts == []
    assert not list(cache_folder.user_cache("render").glob("render-*.pickle"))


def test_a_damaged_value_in_the_store_is_converted_again_not_a_failed_build(network, counts):
    import pickle

    first = site_files(network.build())
    (store,) = cache_folder.user_cache("render").glob("render-*.pickle")
    kept = pickle.loads(store.read_bytes())
    store.write_bytes(pickle.dumps({key: b"not zlib" for key in kept}))
    assert site_files(network.build()) == first
    assert counts[-1] == (0, len(kept))


@pytest.mark.parametrize(("name", "pure"), [
    ("toc", True), ("markdown.extensions.tables", True), ("pymdownx.superfences", True),
    ("pymdownx.blocks.admonition", True), ("material.extensions.emoji", True),
    ("pymdownx.snippets", False), ("pymdownx.b64", False), ("markdown_include.include", False),
])
def test_which_extensions_are_known_to_read_only_the_page(name, pure):
    assert render_shelf.known_pure(name) is pure


def test_settings_have_the_same_text_in_every_run_and_tell_functions_apart():
    slugs = pytest.importorskip("pymdownx.slugs")
    lower = slugs.slugify(case="lower")
    assert render_shelf.canonical({"toc": {"slugify": lower}}) == \
        render_shelf.canonical({"toc": {"slugify": slugs.slugify(case="lower")}})
    assert render_shelf.canonical(lower) != render_shelf.canonical(slugs.slugify(case="fold"))
    assert render_shelf.canonical(lower) != render_shelf.canonical(slugs.slugify(case="lower", percent_encode=True))
    with pytest.raises(render_shelf.Unstable):
        render_shelf.canonical({"x": object()})


def _site_fence(source, language, css_class, options, md, **kwargs):
    return f"<pre>{source}</pre>"


def test_a_function_of_the_sites_own_code_turns_the_store_off():
    """Its code can change between builds with no version to say so: every page is converted."""
    with pytest.raises(render_shelf.Unstable):
        render_shelf.canonical({"custom_fences": [{"name": "x", "format": _site_fence}]})
    with pytest.raises(render_shelf.Unstable):
        render_shelf.canonical(functools.partial(_site_fence, css_class="x"))


def test_a_custom_fence_of_the_site_converts_every_page(network, counts, monkeypatch):
    (network.root / "site_fences.py").write_text(
        "def fence(source, language, css_class, options, md, **kwargs):\n    return '<pre>' + source + '</pre>'\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(network.root))
    extra = ("markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
             "        - name: demo\n          class: demo\n          format: !!python/name:site_fences.fence\n")
    network.build(extra_yml=extra)
    network.build(extra_yml=extra)
    assert counts == [], "no store: every page converted in every build"


@pytest.mark.parametrize("dirty", [False, True])
def test_a_serve_session_converts_only_what_changed(network, counts, dirty, request):
    """Without --dirty every rebuild draws every page, and takes unchanged ones from the store; with --dirty
    MkDocs converts only the pages it redraws, and only the session's first build uses the store."""
    from generator.host import build, load_config, root_logger

    network.build()  # writes mkdocs.yml and fills the store
    # At the level the fixture's builds log at: the level is part of a page's key (what it may log).
    logger = root_logger()
    previous = logger.level
    logger.setLevel(logging.INFO)
    request.addfinalizer(lambda: logger.setLevel(previous))
    config_file = str(network.root / "mkdocs.yml")
    out = network.root / "serve"
    config = load_config(config_file, site_dir=str(out))
    config.plugins.on_startup(command="serve", dirty=dirty)
    build(config, dirty=dirty)
    assert counts[-1][1] == 0, "the session's first build takes every page from the store"
    page = network.entry("gd", "2021-04-01-review.md", title="Review", body="The audit showed fewer cancellations.",
                         cycles="[applied]")
    later = page.stat().st_mtime + 2
    os.utime(page, (later, later))
    build(load_config(config_file, site_dir=str(out)), dirty=dirty)
    assert "fewer cancellations" in (out / "communities/gd/review/index.html").read_text(encoding="utf-8")
    if dirty:
        assert len(counts) == 2, "a --dirty rebuild uses no store"
    else:
        assert len(counts) == 3 and counts[-1] == (counts[1][0] - 1, 1), "only the edited page is converted"
