"""The chrome cache: the theme's navigation, tabs, footer, header and page-independent blocks drawn once per folder, with not one byte changed."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from generator.chrome import Chrome

ROOT = Path(__file__).resolve().parents[1]


def digest(site: Path) -> dict[str, str]:
    """Every file's hash; the sitemap is left out, as MkDocs stamps the build date into it."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file() and not p.name.startswith("sitemap.xml")}


def build(config_text: str, folder: Path, chrome_cache: bool):
    """A real in-process build with the chrome cache on or off; the site folder and the plugin object."""
    from generator import host

    config_file = folder / f"mkdocs-{chrome_cache}.yml"
    config_file.write_text(config_text.replace("CHROME_CACHE", str(chrome_cache).lower()), encoding="utf-8")
    site = folder / f"site-{chrome_cache}"
    config = host.load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    host.build(config)
    return site, config.plugins["cop-memory"]


def assert_identical(config_text: str, folder: Path) -> None:
    cached, plugin = build(config_text, folder, True)
    # Read now: MkDocs keeps one plugin object per process, which the next build reuses.
    drawn, reused = plugin.chrome.drawn, plugin.chrome.reused
    uncached, _ = build(config_text, folder, False)
    assert reused > drawn > 0
    assert digest(cached) == digest(uncached)


def test_the_demo_builds_byte_identical_with_and_without_the_chrome_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COP_SITE_URL", "https://net.example.org/")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: content", f"docs_dir: {ROOT / 'content'}")
    text = text.replace("audience: !ENV [COP_AUDIENCE, internal]",
                        "audience: !ENV [COP_AUDIENCE, internal]\n      chrome_cache: CHROME_CACHE")
    assert "chrome_cache: CHROME_CACHE" in text
    assert_identical(text, tmp_path)


def test_a_synthetic_network_with_tabs_and_a_repository_builds_byte_identical(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run
    finally:
        sys.path.remove(str(ROOT / "bench"))
    run.generate(tmp_path, 300, 6)
    text = """\
site_name: Synthetic network
site_url: https://bench.example.org/network/
repo_url: https://example.org/network/memory
docs_dir: docs
theme:
  name: material
  features: [navigation.tabs, navigation.indexes, navigation.footer, toc.integrate]
plugins:
  - search
  - tags
  - cop-memory:
      chrome_cache: CHROME_CACHE
"""
    assert_identical(text, tmp_path)


class _Page(SimpleNamespace):
    pass


def test_a_page_in_the_navigation_or_with_neighbours_is_always_drawn_for_itself():
    env = jinja2.Environment(loader=jinja2.DictLoader({"theme/partials/nav.html": "{{ page.title }}"}))
    in_nav = _Page(url="communities/a/", title="A", previous_page=None, next_page=None)
    other_in_nav = _Page(url="communities/b/", title="B", previous_page=None, next_page=None)
    with_neighbour = _Page(url="guide/x/", title="X", previous_page=in_nav, next_page=None)
    entry_one = _Page(url="communities/a/one/", title="One", previous_page=None, next_page=None)
    entry_two = _Page(url="communities/a/two/", title="Two", previous_page=None, next_page=None)
    chrome = Chrome(env, [in_nav, other_in_nav])
    template = env.from_string('{{ chrome("partials/nav.html") }}')
    drawn = [template.render(chrome=chrome, page=page)
             for page in (in_nav, other_in_nav, with_neighbour, with_neighbour, entry_one, entry_two)]
    # Pages in the navigation (same folder), and a page with a neighbour, get their own drawing;
    # two entries of one folder share one (the partial here shows the title, so sharing is visible).
    assert drawn == ["A", "B", "X", "X", "One", "One"]
    assert (chrome.drawn, chrome.reused) == (5, 1)
    off = Chrome(env, [], enabled=False)
    assert [env.from_string('{{ c("partials/nav.html") }}').render(c=off, page=p) for p in (entry_one, entry_two)] \
        == ["One", "Two"]


@pytest.mark.parametrize("value", ["yes", 1])
def test_the_chrome_cache_option_is_a_boolean(value):
    from generator.plugin import CopMemoryPlugin

    errors, _ = CopMemoryPlugin().load_config({"chrome_cache": value})
    assert [name for name, _ in errors] == ["chrome_cache"]


def test_a_header_is_kept_with_a_hole_for_the_title_and_each_page_gets_its_own_title():
    header = "<h>{% if page.meta and page.meta.title %}{{ page.meta.title }}{% else %}{{ page.title }}{% endif %}</h>"
    env = jinja2.Environment(loader=jinja2.DictLoader({"theme/partials/header.html": header}))
    pages = [_Page(url=f"communities/a/{n}/", title=title, meta=meta, previous_page=None, next_page=None)
             for n, (title, meta) in enumerate([("One", {}), ("Tom & <Jerry>", {}), ("Two", {"title": "Front <b>"}),
                                                ("x</h><script>", None)])]
    chrome = Chrome(env, [])
    template = env.from_string('{{ chrome("partials/header.html", titled=true) }}')
    drawn = [template.render(chrome=chrome, page=page) for page in pages]
    assert drawn == ["<h>One</h>", "<h>Tom & <Jerry></h>", "<h>Front <b></h>", "<h>x</h><script></h>"]
    # The first page is drawn twice (for itself, and for a stand-in to find the title); the rest reuse it.
    assert (chrome.drawn, chrome.reused) == (2, 3)


@pytest.mark.parametrize("shown", ["{{ page.title | e }}", "{{ page.title | truncate(8) }}", "{{ page.title | upper }}",
                                   "{{ page.title | striptags }}"])
def test_a_header_that_changes_the_title_is_drawn_for_every_page(shown):
    # What a titled partial shows besides the title is the caller's promise (Material's header shows
    # nothing else of the page; the build tests compare every byte); how it shows the title is checked.
    env = jinja2.Environment(loader=jinja2.DictLoader({"theme/partials/header.html": f"<h>{shown}</h>"}))
    pages = [_Page(url=f"communities/a/{n}/", title=title, meta={}, previous_page=None, next_page=None)
             for n, title in enumerate(["One", "Tom & <Jerry> and a long title"])]
    template = env.from_string('{{ chrome("partials/header.html", titled=true) }}')
    chrome = Chrome(env, [])
    cached = [template.render(chrome=chrome, page=page) for page in pages]
    fresh = [env.get_template("theme/partials/header.html").render(page=page) for page in pages]
    assert cached == fresh
    assert chrome.reused == 0


def test_a_block_is_drawn_once_per_folder_for_pages_outside_the_navigation():
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "base.html": "<b>{% block config %}{{ page.title }}{% endblock %}</b>",
        "main.html": '{% extends "base.html" %}{% block config %}{% call chrome.block("config") %}{{ super() }}'
                     '{% endcall %}{% endblock %}'}))
    in_nav = _Page(url="communities/a/", title="A", previous_page=None, next_page=None)
    entries = [_Page(url=f"communities/a/{n}/", title=n, previous_page=None, next_page=None) for n in ("one", "two")]
    chrome = Chrome(env, [in_nav])
    drawn = [env.get_template("main.html").render(chrome=chrome, page=page) for page in (in_nav, *entries)]
    # The block here shows the title, so sharing is visible: the two entries share the first one's drawing.
    assert drawn == ["<b>A</b>", "<b>one</b>", "<b>one</b>"]
    assert (chrome.drawn, chrome.reused) == (1, 1)
