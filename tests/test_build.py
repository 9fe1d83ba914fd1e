"""Build tests: real MkDocs builds of small sites in tmp_path, asserting on the produced files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.host import Abort

STORY = {"kind": "story", "cycles": {"immediate": "We met", "applied": "Policy changed"}, "visibility": "public"}


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def nav_links(html: str) -> list[str]:
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    return hrefs(nav)


@pytest.fixture
def small(site):
    site.community("gd", title="Gestational diabetes")
    site.entry("gd", "2019/2019-06-04-gtt-policy.md", title="GTT policy", date="2019-06-04", **STORY,
               body="We moved the test. See [the spring meeting](../events/2019-03-12-spring.md).")
    site.entry("gd", "events/2019-03-12-spring.md", title="Spring convening", date="2019-03-12", kind="event",
               cycles=["immediate", "potential"], attendees=55, visibility="public")
    site.entry("gd", "2020-01-15-later-note.md", title="A later note", date="2020-01-15", visibility="public")
    return site


def test_entries_are_published_at_their_contract_urls(small):
    out = small.build()
    assert "GTT policy" in out.page("communities/gd/gtt-policy/")
    assert "Spring convening" in out.page("communities/gd/spring/")
    assert "A later note" in out.page("communities/gd/later-note/")
    # The sub-folders do not appear in the URLs.
    assert not (out.site / "communities/gd/2019").exists()
    assert not (out.site / "communities/gd/events").exists()


def test_moving_an_entry_between_sub_folders_keeps_its_url(small):
    first = small.build().page("communities/gd/gtt-policy/")
    (small.docs / "communities/gd/stories").mkdir()
    shutil.move(small.docs / "communities/gd/2019/2019-06-04-gtt-policy.md",
                small.docs / "communities/gd/stories/2019-06-04-gtt-policy.md")
    second = small.build().page("communities/gd/gtt-policy/")
    assert "GTT policy" in first and "GTT policy" in second


def test_links_between_entries_in_sub_folders_resolve_to_contract_urls(small):
    html = small.build().page("communities/gd/gtt-policy/")
    assert '<a href="../spring/">the spring meeting</a>' in html


def test_slug_field_overrides_the_file_name(site):
    site.community("gd")
    site.entry("gd", "2019-06-04-long-file-name.md", title="Short", slug="short")
    assert "Short" in site.build().page("communities/gd/short/")


def test_entry_page_shows_its_metadata_above_the_body(small):
    html = small.build().page("communities/gd/gtt-policy/")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1]
    header, body = article.split("We moved the test", 1)
    assert "2019-06-04" in header or "4 June 2019" in header
    assert "story" in header.lower()
    assert 'href="../"' in header  # the community, linked
    assert "copmem-cycle-immediate" in header and "copmem-cycle-applied" in header
    assert "Policy changed" in header


def test_community_page_lists_its_entries_newest_first(small):
    html = small.build().page("communities/gd/")
    assert "A shared domain" in html
    assert "How to join" in html
    listing = html.split('id="entries"', 1)[1]
    positions = [listing.index(f'href="{slug}/"') for slug in ("later-note", "gtt-policy", "spring")]
    assert positions == sorted(positions)


def test_navigation_lists_communities_not_entries(small):
    html = small.build().page("")
    links = nav_links(html)
    assert any(link.rstrip("/").endswith("communities/gd") for link in links), links
    assert not any("gtt-policy" in link or "spring" in link for link in links), links


def test_bad_entry_is_left_out_and_the_rest_is_published(small):
    small.write("communities/gd/2020-02-02-broken.md", "---\ntitle: Broken\ndate: 2020-02-02\nkind: sotry\n---\nx\n")
    out = small.build()
    assert not (out.site / "communities/gd/broken").exists()
    assert "GTT policy" in out.page("communities/gd/gtt-policy/")
    errors = out.messages()
    assert any("docs/communities/gd/2020-02-02-broken.md:4: kind:" in m for m in errors), errors
    assert out.summary() == ("cop-memory: internal build: 1 communities, 4 entries read, 3 published, "
                             "0 internal, 1 with errors")


def test_strict_build_fails_on_a_bad_entry(small):
    small.write("communities/gd/2020-02-02-broken.md", "---\ntitle: Broken\n---\nno date\n")
    with pytest.raises(Abort):
        small.build(strict=True)


def test_strict_build_of_good_content_passes(small):
    out = small.build(strict=True)
    assert out.messages() == []


def test_summary_line_public_build_adds_up(small):
    small.entry("gd", "2020-03-03-internal.md", title="Internal only", date="2020-03-03")
    small.write("communities/gd/2020-04-04-bad.md", "---\ntitle: [not, a, string]\ndate: 2020-04-04\n---\n")
    line = small.build("public").summary()
    numbers = [int(n) for n in re.findall(r"(\d+) (?:entries read|published|internal|with errors)", line)]
    read, published, internal, errors = numbers
    assert (read, published, internal, errors) == (5, 3, 1, 1)
    assert read == published + internal + errors


def test_generated_views_and_exports_exist(small):
    out = small.build()
    for url in ("communities/gd/timeline/", "communities/gd/matrix/", "timeline/", "matrix/",
                *(f"cycles/{c}/" for c in ("immediate", "potential", "applied", "realised", "transformative"))):
        out.page(url)
    data = json.loads(out.text("matrix.json"))
    assert data["audience"] == "internal"
    rows = data["communities"][0]["rows"]
    assert [r["entry"] for r in rows] == ["/communities/gd/spring/", "/communities/gd/gtt-policy/"]
    assert out.text("matrix.csv").splitlines()[0]
    assert "<feed" in out.text("feed.xml") and "<feed" in out.text("communities/gd/feed.xml")


def test_a_hand_written_page_where_a_generated_page_lives_is_reported(small):
    small.write("timeline.md", "# My own timeline\n")
    out = small.build()
    assert any("timeline.md: collides with the page cop-memory generates at /timeline/" in m
               for m in out.messages()), out.messages()
    assert "My own timeline" not in out.page("timeline/")


def test_custom_dir_overrides_a_packaged_template(small):
    from importlib.resources import files

    shipped = (files("generator.site_templates") / "cop-memory" / "community_matrix.html").read_text("utf-8")
    override = small.root / "overrides" / "cop-memory" / "community_matrix.html"
    override.parent.mkdir(parents=True)
    override.write_text("<p>OVERRIDDEN MATRIX</p>\n" + shipped, encoding="utf-8")
    assert "OVERRIDDEN MATRIX" not in small.build().page("communities/gd/matrix/")
    assert "OVERRIDDEN MATRIX" in small.build(custom_dir="overrides").page("communities/gd/matrix/")


def test_stylesheet_ships_with_the_package(small):
    out = small.build()
    assert (out.site / "cop-memory/cop-memory.css").is_file()
    assert "cop-memory/cop-memory.css" in out.page("")


class ServeSession:
    """`mkdocs serve --dirty` in-process: a new config per rebuild, the plugin kept across them."""

    KEPT = "<!-- written by an earlier build -->"

    def __init__(self, site, custom_dir: str | None = None):
        from generator.host import load_config

        site.build(custom_dir=custom_dir)  # writes mkdocs.yml
        self.config_file = str(site.root / "mkdocs.yml")
        self.out = site.root / "serve"
        first = load_config(self.config_file, site_dir=str(self.out))
        first.plugins.on_startup(command="serve", dirty=True)
        self.plugin = first.plugins["cop-memory"]
        self._build(first)

    def _build(self, config) -> None:
        from generator.host import build

        build(config, dirty=True)

    def mark(self) -> None:
        """Mark every page written so far (before the edit, so edited sources stay newer than their pages)."""
        for page in self.out.rglob("index.html"):
            page.write_text(page.read_text(encoding="utf-8") + self.KEPT, encoding="utf-8")

    def rebuild(self) -> None:
        """Rebuild as serve does after an edit."""
        from generator.host import load_config

        config = load_config(self.config_file, site_dir=str(self.out))
        assert config.plugins["cop-memory"] is self.plugin
        self._build(config)

    def page(self, url: str) -> str:
        return (self.out / url / "index.html").read_text(encoding="utf-8")

    def kept(self, url: str) -> bool:
        """Whether the rebuild left the page as the earlier build wrote it."""
        return self.page(url).endswith(self.KEPT)


def test_serve_style_rebuild_rereads_only_the_changed_entry(small):
    """MkDocs keeps plugins with on_startup across `mkdocs serve` rebuilds; the loader's cache lives there."""
    serve = ServeSession(small)
    parses = serve.plugin.loader.parses
    entry = small.docs / "communities/gd/2020-01-15-later-note.md"
    text = entry.read_text(encoding="utf-8").replace("Some words.", "Edited words.")
    entry.write_text(text.replace("title: A later note", "title: A renamed note"), encoding="utf-8")
    serve.rebuild()
    assert serve.plugin.loader.parses == parses + 1
    assert "Edited words." in serve.page("communities/gd/later-note")
    # Views kept between rebuilds are rendered again when an entry they show changes.
    for view in ("timeline", "communities/gd/timeline", "communities/gd"):
        page = serve.page(view)
        assert "A renamed note" in page and "A later note" not in page, view


def test_serve_dirty_rebuild_rewrites_only_the_views_that_show_the_edited_entry(small):
    small.community("cc", title="Catheter care")
    small.entry("cc", "2020-02-02-huddle.md", title="First huddle", date="2020-02-02", **STORY)
    serve = ServeSession(small)
    serve.mark()
    entry = small.docs / "communities/gd/2020-01-15-later-note.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("A later note", "A renamed note"), encoding="utf-8")
    serve.rebuild()
    for url in ("communities/gd/timeline", "communities/gd/matrix", "communities/gd", "communities/gd/later-note"):
        assert not serve.kept(url), url
    assert "A renamed note" in serve.page("communities/gd/timeline")
    # Views the edited entry is not in keep what the earlier build wrote.
    for url in ("communities/cc/timeline", "communities/cc/matrix", "cycles/applied", "cycles/transformative"):
        assert serve.kept(url), url
    # Pages in the navigation are always rebuilt: a skipped one would have no title in it.
    for url in ("timeline", "matrix", "communities"):
        assert not serve.kept(url), url
    assert "A renamed note" in serve.page("timeline")


def _contents_and_feeds(folder: Path) -> dict[str, str]:
    """Each page's content, each feed and each export (--dirty leaves the titles of the pages it skips out of
    the navigation, and their dates out of the sitemap: MkDocs' own limits)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.name == "index.html":
            html = path.read_text(encoding="utf-8")
            found[str(path.relative_to(folder))] = html[html.index("<article"):html.index("</article>")]
        elif path.name.endswith("feed.xml") or path.name in ("matrix.json", "matrix.csv", "measures.csv"):
            found[str(path.relative_to(folder))] = path.read_text(encoding="utf-8")
    return found


def _fresh_build(site, folder: Path) -> Path:
    """A build in another process: in this one, MkDocs would hand the serve session's plugin object to it."""
    script = ("import sys; from generator import host; config = host.load_config(sys.argv[1], site_dir=sys.argv[2]); "
              "config.plugins.on_startup(command='build', dirty=False); host.build(config)")
    subprocess.run([sys.executable, "-c", script, str(site.root / "mkdocs.yml"), str(folder)], check=True,
                   capture_output=True)
    return folder


def test_a_serve_session_writes_what_a_fresh_build_writes_after_each_kind_of_edit(small, monkeypatch):
    """Lists, matrices and feeds keep each entry's part across rebuilds: every page and feed a rebuild
    leaves must be byte for byte what a fresh build writes."""
    from generator import views

    small.community("cc", title="Catheter care")
    for day in range(1, 8):
        small.entry("cc", f"2020-02-0{day}-huddle-{day}.md", title=f"Huddle {day}", date=f"2020-02-0{day}",
                    kind="story", cycles={"applied": f"Statement {day}"}, body=f"What we did on day {day}.")
    patched = []
    swap_in_timeline = views.swap_in_timeline
    monkeypatch.setattr(views, "swap_in_timeline", lambda *args: patched.append(1) or swap_in_timeline(*args))
    serve = ServeSession(small)
    items = serve.plugin.renderer.fragments.items
    key = ("timeline/", "entry_item", "communities/cc/2020-02-02-huddle-2.md")
    untouched = items[key]

    def edit_body():
        # an excerpt only (timelines and feeds show it): the network's lists are patched, not made again
        small.entry("cc", "2020-02-04-huddle-4.md", title="Huddle 4", date="2020-02-04", kind="story",
                    cycles={"applied": "Statement 4"}, body="Other words on day 4.")

    def edit_entries():
        # a title and a statement (every list and the matrix show both), and a body
        small.entry("cc", "2020-02-03-huddle-3.md", title="Huddle 3, renamed", date="2020-02-03", kind="story",
                    cycles={"realised": "Fewer infections"}, body="What we did on day 3.")
        small.entry("cc", "2020-02-06-huddle-6.md", title="Huddle 6", date="2020-02-06", kind="story",
                    cycles={"applied": "Statement 6"}, body="Other words on day 6.")

    def add_and_delete():
        (small.docs / "communities/cc/2020-02-05-huddle-5.md").unlink()
        small.entry("gd", "2020-03-01-new.md", title="A new note", date="2020-03-01", **STORY)

    def rename():
        # A community's title: every item of the network's lists names it, and the home page lists it.
        small.community("cc", title="Catheter care circle")

    def stamps() -> dict[str, int]:
        return {name: (serve.out / name).stat().st_mtime_ns for name in ("matrix.json", "matrix.csv", "feed.xml")}

    for number, edit in enumerate((edit_body, edit_entries, rename, add_and_delete)):
        before = stamps()
        edit()
        serve.rebuild()
        fresh = _fresh_build(small, small.root / f"fresh-{number}")
        rebuilt, expected = _contents_and_feeds(serve.out), _contents_and_feeds(fresh)
        assert rebuilt.keys() >= expected.keys()
        different = [name for name in expected if rebuilt[name] != expected[name]]
        assert not different, (number, different)
        if edit is edit_body:
            # The network's timeline was patched, not made again, and shows the new excerpt; the exports and
            # the feed (which says the entry's statement, not its excerpt), whose text the edit did not change,
            # were not written again.
            assert patched == [1] and "Other words on day 4." in serve.page("timeline")
            assert stamps() == before
        if edit is edit_entries:
            # The network's timeline was drawn again, its other entries' items taken from the store; the
            # exports and the feed show the new title, and were written again.
            assert "Huddle 3, renamed" in serve.page("timeline") and items[key] is untouched
            assert all(stamps()[name] != before[name] for name in before)
    assert "Huddle 3, renamed" in serve.page("timeline") and "Catheter care circle" in serve.page("cycles/applied")
    assert "Catheter care circle" in serve.page("")
    # The same store all session, and an item whose entry and community stayed the same was drawn once.
    assert serve.plugin.renderer.fragments.items is items
    assert items[key] is not untouched and "Catheter care circle" in items[key][2]  # it names the community


def test_serve_rebuild_renders_kept_views_again_when_a_template_override_changes(small):
    (small.root / "overrides").mkdir()
    serve = ServeSession(small, custom_dir="overrides")
    assert "OVERRIDDEN MATRIX" not in serve.page("communities/gd/matrix")
    shipped = (Path(__file__).parents[1] / "site_templates/cop-memory/community_matrix.html").read_text(encoding="utf-8")
    serve.mark()
    override = small.root / "overrides" / "cop-memory" / "community_matrix.html"
    override.parent.mkdir()
    override.write_text("<p>OVERRIDDEN MATRIX</p>\n" + shipped, encoding="utf-8")
    serve.rebuild()
    assert "OVERRIDDEN MATRIX" in serve.page("communities/gd/matrix")


def test_cycle_badges_link_to_the_value_creation_page_which_exists(small):
    out = small.build(strict=True)
    html = out.page("communities/gd/gtt-policy/")
    assert 'class="copmem-badge copmem-cycle-applied" href="../../../value-creation/#applied"' in html
    page = out.page("value-creation/")
    for anchor in ("immediate", "potential", "applied", "realised", "transformative", "capital", "matrix"):
        assert f'id="{anchor}"' in page


def test_communities_page_lists_every_community_and_a_site_may_replace_it(small):
    small.community("cc", title="Catheter care")
    html = small.build().page("communities/")
    assert 'href="gd/"' in html and 'href="cc/"' in html
    small.write("communities/index.md", "# Our own list\n\nHand-written.\n")
    html = small.build(strict=True).page("communities/")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    assert "Hand-written." in article and "copmem-cards" not in article


def test_built_matrix_json_equals_the_golden_file(site):
    golden = Path(__file__).parent / "golden"
    shutil.rmtree(site.docs)
    shutil.copytree(golden / "docs", site.docs)
    out = site.build(strict=True)
    assert out.text("matrix.json") == (golden / "matrix.json").read_text(encoding="utf-8")


def test_long_timelines_are_paginated(site):
    site.community("gd")
    for day in range(1, 8):
        site.entry("gd", f"2020-01-0{day}-e{day}.md", title=f"Entry {day}", date=f"2020-01-0{day}")
    out = site.build(strict=True, extra_yml="")
    # timeline_limit is 300 by default; a site may lower it.
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      audience: internal\n", "      audience: internal\n      timeline_limit: 3\n")
    (site.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    from generator.host import build
    from generator.host import load_config

    build(load_config(str(site.root / "mkdocs.yml"), site_dir=str(site.root / "paged")))
    paged = site.root / "paged"
    for base in ("timeline", "communities/gd/timeline"):
        pages = [paged / base / "index.html", paged / base / "page/2/index.html", paged / base / "page/3/index.html"]
        texts = [p.read_text(encoding="utf-8") for p in pages]
        assert [sum(f">Entry {d}</a>" in t for d in range(1, 8)) for t in texts] == [3, 3, 1], base
        assert ">Entry 7</a>" in texts[0] and ">Entry 1</a>" in texts[2]
        assert '<a href="../../">1</a><strong>2</strong><a href="../3/">3</a>' in texts[1]
    assert "Entry 1" in out.page("communities/gd/timeline/")


def test_copmem_build_runs_the_plugin_lifecycle_that_mkdocs_build_runs(small, monkeypatch):
    from generator.cli import main
    from generator.plugin import CopMemoryPlugin

    calls = []
    real_startup = CopMemoryPlugin.on_startup

    def on_startup(self, *, command, dirty):
        calls.append(("startup", command, dirty))
        real_startup(self, command=command, dirty=dirty)

    monkeypatch.setattr(CopMemoryPlugin, "on_startup", on_startup)
    monkeypatch.setattr(CopMemoryPlugin, "on_shutdown", lambda self: calls.append(("shutdown",)))
    config = small.write_config()
    assert main(["build", "-f", str(config), "-d", str(small.root / "out")]) == 0
    assert calls == [("startup", "build", False), ("shutdown",)]
    assert (small.root / "out" / "matrix.json").is_file()


@pytest.fixture
def serving(small):
    small.entry("gd", "2020-02-02-talk.md", title="A talk", date="2020-02-02", visibility="public",
                people=["Jo Bloggs"], body="Jo Bloggs said it. See [the later note](2020-01-15-later-note.md).")
    serve = ServeSession(small)
    serve.mark()
    return small, serve


def test_serve_dirty_redraws_entry_pages_when_their_community_turns_to_the_chatham_house_rule(serving):
    small, serve = serving
    assert "Jo Bloggs" in serve.page("communities/gd/talk")
    charter = small.docs / "communities/gd/index.md"
    charter.write_text(charter.read_text(encoding="utf-8").replace("attribution: named",
                                                                  "attribution: chatham-house"), encoding="utf-8")
    serve.rebuild()
    assert not serve.kept("communities/gd/talk") and "Jo Bloggs" not in serve.page("communities/gd/talk")
    assert "A member said it." in serve.page("communities/gd/talk")


def test_serve_dirty_redraws_entry_pages_when_their_community_is_renamed(serving):
    small, serve = serving
    charter = small.docs / "communities/gd/index.md"
    charter.write_text(charter.read_text(encoding="utf-8").replace("Gestational diabetes", "Diabetes in pregnancy"),
                       encoding="utf-8")
    serve.rebuild()
    for url in ("communities/gd/talk", "communities/gd/gtt-policy"):
        assert "Diabetes in pregnancy" in serve.page(url) and "Gestational diabetes" not in serve.page(url), url


def test_serve_dirty_takes_out_a_link_when_its_target_leaves_the_build(serving):
    small, serve = serving
    assert 'href="../later-note/"' in serve.page("communities/gd/talk")
    (small.docs / "communities/gd/2020-01-15-later-note.md").write_text("---\ntitle: broken\n---\n", encoding="utf-8")
    serve.rebuild()
    page = serve.page("communities/gd/talk")
    assert "the later note" in page and 'href="../later-note/"' not in page


def test_serve_dirty_keeps_unchanged_entry_pages_and_forgets_deleted_files(serving):
    small, serve = serving
    note = small.docs / "communities/gd/2020-01-15-later-note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    serve.rebuild()
    assert serve.kept("communities/gd/gtt-policy") and not serve.kept("communities/gd/later-note")
    talk = "communities/gd/2020-02-02-talk.md"
    assert talk in serve.plugin.renderer.written and talk in serve.plugin.memo.get("review", ())
    assert any(key[2] == talk for key in serve.plugin.renderer.fragments.items)
    (small.docs / talk).unlink()
    serve.rebuild()
    assert talk not in serve.plugin.renderer.written and talk not in serve.plugin.memo.get("review", ())
    assert not any(key[2] == talk for key in serve.plugin.renderer.fragments.items)


def test_a_build_lets_go_of_its_plan_once_every_page_is_written_and_a_serve_session_keeps_it(small):
    """The search plugin writes its index after ours: the build's data must not sit under it (the peak)."""
    import weakref

    from generator.host import build, load_config

    small.write_config()
    plans = {}
    for command in ("build", "serve"):
        config = load_config(str(small.root / "mkdocs.yml"), site_dir=str(small.root / f"out-{command}"))
        config.plugins.on_startup(command=command, dirty=False)
        plugin = config.plugins["cop-memory"]
        config.plugins.events["env"].append(
            lambda env, _c=command, _p=plugin, **kw: plans.setdefault(_c, weakref.ref(_p.plan)) and env)
        build(config)
        assert "GTT policy" in (small.root / f"out-{command}/communities/gd/gtt-policy/index.html").read_text("utf-8")
        assert (plugin.plan is None) == (command == "build")
    # Freed, not only dropped by the plugin: nothing else (files, pages, the theme) held on to it.
    assert plans["build"]() is None
    assert plans["serve"]() is not None
