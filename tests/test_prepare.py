"""`copmem prepare`: one audience's site as a prepared docs tree that engines without cop-memory build safely.

The canary fixture of test_public_build is prepared for the public, the tree is
built by plain MkDocs + Material with no cop-memory plugin (and by Zensical
where it is installed), and the same scan runs over the tree and the site: no
internal canary anywhere, every public canary present, no script from content.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml

from generator import host
from generator.cli import main
from generator.prepare import PreparedPage, page_markdown, raw_html_block
from test_public_build import INTERNAL_CANARIES, PUBLIC_CANARIES, all_text, canary_site, find  # noqa: F401

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def prepare(site, out: Path, *args: str) -> int:
    """`copmem prepare` in this process for a conftest Site (its mkdocs.yml already written)."""
    return main(["prepare", *args, "-d", str(out), "-f", str(site.root / "mkdocs.yml")])


def build_with(command: list[str], tree: Path, site_dir: Path | None = None) -> Path:
    """Build a prepared tree with an engine's own command in a fresh process; return the site folder."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("COP_AUDIENCE", None)
    args = [*command, "build", "-f", str(tree / "mkdocs.yml")]
    if site_dir is not None:
        args += ["-d", str(site_dir)]
    result = subprocess.run(args, cwd=tree, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir or tree / "site"


@pytest.fixture(scope="module")
def public_tree(canary_site, tmp_path_factory):
    canary_site.write_config("public")
    out = tmp_path_factory.mktemp("prepared") / "public"
    assert prepare(canary_site, out, "--public") == 0
    return out


@pytest.fixture(scope="module")
def public_tree_site(public_tree, tmp_path_factory):
    """The prepared public tree built by the host's own command: plain MkDocs + Material, no cop-memory."""
    return build_with(host.command(), public_tree, tmp_path_factory.mktemp("prepared-site") / "site")


def test_the_prepared_config_runs_no_cop_memory(public_tree):
    config = yaml.safe_load((public_tree / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"]
    assert config["docs_dir"] == "docs" and config["use_directory_urls"] is True
    assert config["theme"]["name"] == "material" and "custom_dir" not in config["theme"]
    # The plugin's stylesheets, carried as files of the tree.
    assert "cop-memory/cop-memory.css" in config["extra_css"]
    for stylesheet in config["extra_css"]:
        assert (public_tree / "docs" / stylesheet).is_file(), stylesheet


def test_entries_and_views_sit_at_their_contract_urls(public_tree, public_tree_site):
    for url in ("communities/pub-circle/public-story/", "communities/pub-circle/chatham/", "communities/pub-circle/",
                "timeline/", "matrix/", "cycles/applied/", "communities/pub-circle/matrix/", "value-creation/"):
        assert (public_tree / "docs" / url / "index.md").is_file(), url
        assert (public_tree_site / url / "index.html").is_file(), url
    for name in ("matrix.json", "matrix.csv", "feed.xml", "communities/pub-circle/feed.xml",
                 "communities/pub-circle/pub-attachment-logo.svg"):
        assert (public_tree / "docs" / name).read_bytes() == (public_tree_site / name).read_bytes(), name


def test_the_navigation_is_explicit_and_lists_communities_by_title(public_tree):
    nav = yaml.safe_load((public_tree / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    communities = next(item["Communities"] for item in nav if "Communities" in item)
    assert {"PUBcommunitytitle": "communities/pub-circle/index.md"} in communities
    assert {"Timeline": "timeline/index.md"} in nav
    # Entries stay out of the navigation, as in the plugin's own build.
    assert "public-story" not in str(nav)


@pytest.mark.parametrize(("place", "canary"), sorted(INTERNAL_CANARIES.items()))
def test_no_internal_canary_in_the_prepared_tree_or_its_site(public_tree, public_tree_site, place, canary):
    tree, site = all_text(public_tree), all_text(public_tree_site)
    assert len(tree) > 10 and len(site) > 10
    assert find(tree, canary) == [], f"{place} leaked into the prepared tree"
    assert find(site, canary) == [], f"{place} leaked into the site built from it"


@pytest.mark.parametrize(("place", "canary"), sorted(PUBLIC_CANARIES.items()))
def test_every_public_canary_reaches_the_site_built_from_the_tree(public_tree_site, place, canary):
    assert find(all_text(public_tree_site), canary), f"{place} is missing"


def test_no_script_comes_from_content(public_tree, public_tree_site):
    for path in (public_tree / "docs").rglob("*.md"):
        assert "<script" not in path.read_text(encoding="utf-8").lower(), path
    pages = list(public_tree_site.rglob("index.html"))
    assert len(pages) > 10
    for page in pages:
        article = ARTICLE.search(page.read_text(encoding="utf-8"))
        assert article is not None, page
        assert "<script" not in article.group(1).lower(), page


def test_a_link_across_the_line_stays_plain_text(public_tree_site):
    html = (public_tree_site / "communities/pub-circle/public-story/index.html").read_text(encoding="utf-8")
    assert "PUBlinktext" in html
    assert not re.search(r"<a [^>]*>PUBlinktext", html)


def test_the_prepared_site_shows_what_the_plugin_s_build_shows(canary_site, public_tree_site):
    """Every page's article holds the plugin build's body (whitespace aside): pre-rendered, not re-rendered."""
    original = canary_site.build("public").site

    def body(html: str) -> str:
        text = ARTICLE.search(html).group(1)
        text = re.sub(r'<nav class="md-tags"\s*>.*?</nav>', "", text, flags=re.S)  # Material's tags plugin
        text = text.replace('<div class="copmem-prepared">', "").replace("&#10;", "\n")
        return re.sub(r"\s+|</div>", "", text)

    compared = 0
    for page in original.rglob("index.html"):
        relative = page.relative_to(original)
        assert body((public_tree_site / relative).read_text(encoding="utf-8")) == \
            body(page.read_text(encoding="utf-8")), relative
        compared += 1
    assert compared > 10
    # Every other file cop-memory wrote (exports, feeds, attachments, stylesheet) is the same bytes.
    theirs = ("assets/", "search/", "sitemap.xml", "404.html", "tags.json")
    others = [p for p in original.rglob("*") if p.is_file() and p.suffix != ".html"
              and not p.relative_to(original).as_posix().startswith(theirs)]
    assert {"feed.xml", "matrix.json", "matrix.csv"} <= {p.name for p in others}
    for path in others:
        relative = path.relative_to(original)
        assert (public_tree_site / relative).read_bytes() == path.read_bytes(), relative


def test_an_internal_tree_keeps_internal_content_and_still_redacts(canary_site, tmp_path):
    canary_site.write_config("internal")
    out = tmp_path / "internal"
    assert prepare(canary_site, out) == 0
    texts = all_text(out)
    for canary in ("ZQXcommunitytitle", "ZQXentrybody", "ZQXstatement", "zqx-attachment", "PUBentrybody"):
        assert find(texts, canary), canary
    for canary in ("Zelda Quixote", "Quixote Foundation", "Xavier Zed", "zqxscript", "zqxhandler"):
        assert find(texts, canary) == [], canary


@pytest.mark.skipif(importlib.util.find_spec("zensical") is None,
                    reason="Zensical is not installed (pip install zensical==0.0.73 to run this test)")
def test_zensical_builds_the_prepared_public_tree_without_leaking(public_tree, tmp_path):
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(public_tree, tree)
    site = build_with([sys.executable, "-m", "zensical"], tree)
    texts = all_text(site)
    assert (site / "communities/pub-circle/public-story/index.html").is_file()
    for place, canary in INTERNAL_CANARIES.items():
        assert find(texts, canary) == [], f"{place} leaked into Zensical's site"
    for place, canary in PUBLIC_CANARIES.items():
        assert find(texts, canary), f"{place} is missing from Zensical's site"


# ---------------------------------------------------------------------------------------------
# The page format.

HTML = ('<h2 id="x">Notes</h2>\n\n<p>One\nparagraph.</p>\n   \n<pre><code>line 1\n\n    indented after a blank\n'
        '</code></pre>\n\n<p>Last &amp; <em>final</em>.</p>\n')


def test_a_raw_block_has_no_blank_line_and_keeps_pre_text():
    block = raw_html_block(HTML)
    assert block.startswith('<div class="copmem-prepared">\n') and block.endswith("\n</div>\n")
    assert "\n\n" not in block and not re.search(r"\n\s*\n", block)
    assert "<pre><code>line 1&#10;&#10;    indented after a blank&#10;</code></pre>" in block
    assert "<p>One\nparagraph.</p>" in block


def test_python_markdown_passes_the_block_through_untouched():
    block = raw_html_block(HTML)
    assert markdown.markdown(block, extensions=["attr_list", "tables", "toc"]) == block.strip()


def test_front_matter_survives_any_title():
    for title in ('He said: "no" # not a comment', "---", "Line\nbreak", "Café ☕ 🎉", "- a list?", "yes", "@{x}"):
        text = page_markdown(PreparedPage("p/index.md", title, {"description": "d: e", "search": {"exclude": True}},
                                          "<p>x</p>"))
        assert text.startswith("---\n")
        front = yaml.safe_load(text.split("---\n", 2)[1])
        assert front == {"title": title, "description": "d: e", "search": {"exclude": True}}, title


# ---------------------------------------------------------------------------------------------
# The command.


@pytest.fixture
def small(site):
    site.community("gd")
    site.community("hidden", visibility="internal")
    site.entry("gd", "2020-01-02-open.md", title="Open", visibility="public")
    site.write_config("public")
    return site


def test_prepare_refuses_a_folder_it_did_not_write(small, tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert prepare(small, out, "--public") == 1
    assert "not empty and was not written by copmem prepare" in capsys.readouterr().err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_prepare_again_replaces_the_earlier_tree(small, tmp_path):
    out = tmp_path / "tree"
    assert prepare(small, out) == 0
    assert (out / "docs/communities/hidden/index.md").is_file()
    assert prepare(small, out, "--public") == 0
    assert not (out / "docs/communities/hidden").exists()
    assert (out / "docs/communities/gd/open/index.md").is_file()


def test_prepare_needs_the_plugin(small, tmp_path, capsys):
    (small.root / "mkdocs.yml").write_text("site_name: T\ndocs_dir: docs\ntheme: {name: material}\n"
                                           "plugins:\n  - search\n", encoding="utf-8")
    assert prepare(small, tmp_path / "out", "--public") == 1
    assert "the cop-memory plugin is not enabled" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_prepare_strict_fails_on_a_bad_entry(small, tmp_path, capsys):
    small.write("communities/gd/2020-02-02-broken.md", "---\ntitle: Broken\n---\nno date\n")
    assert prepare(small, tmp_path / "lenient", "--public") == 0
    assert prepare(small, tmp_path / "strict", "--public", "--strict") == 1
    assert "copmem: prepare failed: " in capsys.readouterr().err
    assert not (tmp_path / "strict").exists()


def test_markup_in_titles_stays_text_in_the_prepared_site(site, tmp_path):
    """Front matter and nav carry titles as the plugin's build printed them: escaped, never markup."""
    site.community("gd", title='Circle <img src=x onerror="zqxcommunity()">')
    site.entry("gd", "2020-01-02-t.md", title="'\"><script>zqxtitle()</script>'", visibility="public",
               body="Plain words.")
    site.write_config("public")
    out = tmp_path / "tree"
    assert prepare(site, out, "--public") == 0
    built = build_with(host.command(), out, tmp_path / "site")
    pages = {name: text for name, text in all_text(built).items() if name.endswith(".html")}
    assert len(pages) > 5
    for name, text in pages.items():
        assert "<script>zqxtitle" not in text, name
        assert "<img src=x onerror" not in text.replace('"', ""), name
    assert "zqxtitle" in (built / "communities/gd/t/index.html").read_text(encoding="utf-8")
