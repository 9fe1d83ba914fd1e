"""A file with several bad fields reports all of them, each at its line, through the real loader."""

from __future__ import annotations

from pathlib import Path

from generator.loader import load


def problems_of(tmp_path: Path, entry: str) -> list[tuple[int, str]]:
    folder = tmp_path / "docs" / "communities" / "c"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text("---\ntitle: C\ndomain: D\n---\n", encoding="utf-8")
    (folder / "2020-01-01-e.md").write_text(entry, encoding="utf-8")
    memory = load(tmp_path / "docs", display_dir="docs")
    assert memory.failed == ["communities/c/2020-01-01-e.md"]
    assert all(str(p).startswith("docs/communities/c/2020-01-01-e.md:") for p in memory.problems)
    return [(p.line, p.field) for p in memory.problems if p.is_error]


def test_three_fields_of_the_wrong_type_are_three_problems(tmp_path):
    entry = "---\ntitle: T\ndate: 2020-01-01\nvisibility: no\nattendees: many\npin: maybe\n---\n"
    assert sorted(problems_of(tmp_path, entry)) == [(4, "visibility"), (5, "attendees"), (6, "pin")]


def test_three_unquoted_colons_are_three_problems(tmp_path):
    entry = "---\ntitle: Notes: spring\ndate: 2020-01-01\ntags: [a]\nkind: story\ncycles:\n  applied: A: b\n" \
            "  realised: C: d\n---\n"
    assert problems_of(tmp_path, entry) == [(2, "title"), (7, "cycles"), (8, "cycles")]
