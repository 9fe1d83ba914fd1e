"""Parses kept on disk between runs: found by content, never stale, never in the way."""

from __future__ import annotations

import os
import pickle

import pytest

from generator import loader as loader_module
from generator import parse_cache
from generator.loader import Loader, load

COMMUNITY = "---\ntitle: GD\ndomain: D\nattribution: {attribution}\n---\nCharter.\n"


@pytest.fixture
def docs(tmp_path):
    (tmp_path / "docs" / "communities" / "gd").mkdir(parents=True)
    write(tmp_path / "docs", "index.md", COMMUNITY.format(attribution="named"))
    write(tmp_path / "docs", "e0.md", "---\ntitle: E0\ndate: 2020-01-01\n---\nBody 0.\n")
    write(tmp_path / "docs", "e1.md", "---\ntitle: E1\ndate: 2020-01-02\nattribution: named\n---\nBody 1.\n")
    write(tmp_path / "docs", "bad.md", "---\ntitle: Bad\ndate: 2020-13-01\n---\n")
    return tmp_path / "docs"


def write(docs, name: str, text: str) -> None:
    (docs / "communities" / "gd" / name).write_text(text, encoding="utf-8")


def loaded(docs, store):
    """A fresh loader's load (as a new process does) and how many files it parsed."""
    fresh = Loader(cache=False)
    memory = fresh.load(docs, display_dir="docs", store=store)
    return memory, fresh.parses


def shown(memory) -> tuple:
    return (memory.communities, memory.entries, [str(p) for p in memory.problems], memory.failed)


def test_a_second_run_reads_the_store_and_gets_the_same_memory(docs, tmp_path):
    store = tmp_path / "store"
    first, parses = loaded(docs, store)
    assert parses == 4 and len(first.entries) == 2 and first.failed == ["communities/gd/bad.md"]
    second, parses = loaded(docs, store)
    assert parses == 0
    # The same communities, entries (every field), problems (with their lines) and failures.
    assert shown(second) == shown(first) == shown(load(docs, display_dir="docs"))


def test_an_edit_that_keeps_the_size_and_the_time_is_parsed_again(docs, tmp_path):
    store = tmp_path / "store"
    loaded(docs, store)
    path = docs / "communities" / "gd" / "e0.md"
    before = os.stat(path)
    path.write_text(path.read_text(encoding="utf-8").replace("E0", "F0"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    memory, parses = loaded(docs, store)
    assert parses == 1
    assert [e.title for e in memory.entries] == ["F0", "E1"]


def test_an_entry_takes_its_community_s_attribution_now_not_when_it_was_stored(docs, tmp_path):
    store = tmp_path / "store"
    loaded(docs, store)
    write(docs, "index.md", COMMUNITY.format(attribution="chatham-house"))
    memory, parses = loaded(docs, store)
    assert parses == 1  # the charter alone
    # e0 leaves attribution to its community; e1 names its own.
    assert [(e.title, e.attribution) for e in memory.entries] == [("E0", "chatham-house"), ("E1", "named")]


def test_a_removed_file_leaves_the_store(docs, tmp_path):
    store = tmp_path / "store"
    loaded(docs, store)
    (docs / "communities" / "gd" / "e1.md").unlink()
    loaded(docs, store)
    [path] = store.glob("parses-*")
    with open(path, "rb") as file:
        assert sorted(pickle.load(file)) == ["communities/gd/bad.md", "communities/gd/e0.md",
                                             "communities/gd/index.md"]


@pytest.mark.parametrize("torn", [b"", b"not a pickle", pickle.dumps(["a", "list"]),
                                  pickle.dumps({"communities/gd/e0.md": "not a parse"})[:-5]])
def test_a_torn_store_is_parsed_as_without_it_and_written_anew(docs, tmp_path, torn):
    store = tmp_path / "store"
    loaded(docs, store)
    [path] = store.glob("parses-*")
    path.write_bytes(torn)
    memory, parses = loaded(docs, store)
    assert parses == 4 and shown(memory) == shown(load(docs, display_dir="docs"))
    assert loaded(docs, store)[1] == 0


def test_a_store_that_cannot_be_written_is_left_aside(docs, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    memory, parses = loaded(docs, blocked / "store")
    assert parses == 4 and shown(memory) == shown(load(docs, display_dir="docs"))
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_another_version_of_the_code_reads_no_store_and_removes_the_old_one(docs, tmp_path, monkeypatch):
    store = tmp_path / "store"
    loaded(docs, store)
    [old] = store.glob("parses-*")
    monkeypatch.setattr(parse_cache, "code_version", lambda: "another-version")
    assert loaded(docs, store)[1] == 4
    [new] = store.glob("parses-*")
    assert new != old and "another-version" in new.name


def test_each_docs_folder_and_display_has_its_own_store(docs, tmp_path):
    store = tmp_path / "store"
    loaded(docs, store)
    other = Loader(cache=False)
    memory = other.load(docs, display_dir="elsewhere", store=store)
    # Problems name the file as this run shows it, so another display parses again.
    assert other.parses == 4 and str(memory.problems[0]).startswith("elsewhere/communities/gd/bad.md:")
    assert len(list(store.glob("parses-*"))) == 2


def test_a_build_keeps_parses_in_the_user_s_cache_and_the_next_build_reads_them(site, monkeypatch, tmp_path):
    monkeypatch.setenv("COPMEM_CACHE_DIR", str(tmp_path / "user-cache"))
    site.community("gd")
    site.entry("gd", "2020-01-15-note.md", title="A note", kind="note")
    site.entry("gd", "2020-02-15-story.md", title="A story", kind="story", cycles={"applied": "We changed"})
    calls = []
    parse = loader_module.parse_file
    monkeypatch.setattr(loader_module, "parse_file", lambda *a, **k: calls.append(a[1]) or parse(*a, **k))
    first = site.build()
    assert sorted(calls) == ["communities/gd/2020-01-15-note.md", "communities/gd/2020-02-15-story.md",
                             "communities/gd/index.md"]
    assert list((tmp_path / "user-cache" / "parse").glob("parses-*.pickle")) != []
    # Never in the working tree, where a commit could bring one.
    assert not (site.root / ".cache" / "cop-memory" / "parse").exists()
    pages = {p.relative_to(first.site): p.read_bytes() for p in first.files() if p.name != "sitemap.xml.gz"}
    calls.clear()
    second = site.build()
    assert calls == []
    assert {p.relative_to(second.site): p.read_bytes() for p in second.files() if p.name != "sitemap.xml.gz"} \
        == pages


def test_a_build_with_parse_cache_false_keeps_no_parses(site, monkeypatch, tmp_path):
    monkeypatch.setenv("COPMEM_CACHE_DIR", str(tmp_path / "user-cache"))
    site.community("gd")
    site.entry("gd", "2020-01-15-note.md", title="A note", kind="note")
    site.build(extra_plugin_options="      parse_cache: false\n")
    assert not (tmp_path / "user-cache" / "parse").exists()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_store_someone_else_could_have_written_is_not_read(docs, tmp_path, caplog):
    store = tmp_path / "store"
    loaded(docs, store)
    [path] = store.glob("parses-*")
    path.chmod(0o666)
    memory, parses = loaded(docs, store)
    assert parses == 4 and shown(memory) == shown(load(docs, display_dir="docs"))
    assert "is not yours alone" in caplog.text
    # Written again by this user, for this user alone: read the next time.
    assert loaded(docs, store)[1] == 0 and not os.stat(next(store.glob("parses-*"))).st_mode & 0o077


def _copmem(*args: str, cwd, **env: str):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("copmem")
    environ = {k: v for k, v in os.environ.items() if k != "COPMEM_NO_CACHE"} | env
    return subprocess.run([str(script), *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=environ)


def test_copmem_check_keeps_parses_in_the_user_s_cache_and_says_the_same_the_next_time(docs, tmp_path):
    cache = str(tmp_path / "user-cache")
    first = _copmem("check", "docs", cwd=tmp_path, COPMEM_CACHE_DIR=cache)
    assert first.returncode == 1 and "docs/communities/gd/bad.md:3: date:" in first.stdout
    assert list((tmp_path / "user-cache" / "parse").glob("parses-*.pickle")) != []
    assert not (tmp_path / ".cache").exists()
    second = _copmem("check", "docs", cwd=tmp_path, COPMEM_CACHE_DIR=cache)
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)


def test_copmem_no_cache_keeps_nothing(docs, tmp_path):
    result = _copmem("check", "docs", cwd=tmp_path, COPMEM_NO_CACHE="1", COPMEM_CACHE_DIR=str(tmp_path / "c"))
    assert result.returncode == 1 and "bad.md" in result.stdout
    assert not (tmp_path / "c").exists() and not (tmp_path / ".cache").exists()


def test_cache_folders_keep_themselves_out_of_git(site, monkeypatch, tmp_path):
    monkeypatch.setenv("COPMEM_CACHE_DIR", str(tmp_path / "user-cache"))
    site.community("gd")
    site.entry("gd", "2020-01-15-note.md", title="A note", kind="note")
    site.build()
    for folder in (tmp_path / "user-cache" / "parse", site.root / ".cache" / "cop-memory" / "cards"):
        ignore = folder / ".gitignore"
        assert ignore.read_text(encoding="utf-8").splitlines()[-1] == "*", folder
