"""When files last changed: from git history, reproducibly, and never from the build clock."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.changes import last_changes

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

UTC = dt.timezone.utc


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """A repository with docs/ in it: a.md committed in 2020, b.md in 2020 and again in 2022."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root, "docs/communities/c/a.md", "a")
    write(root, "docs/communities/c/b.md", "b")
    write(root, "README.md", "outside the docs")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first", when="2020-01-02T03:04:05+00:00")
    write(root, "docs/communities/c/b.md", "b, edited")
    git(root, "commit", "-qam", "edit b", when="2022-06-07T08:09:10+00:00")
    return root


def test_a_committed_file_changed_when_its_last_commit_was_made(repo):
    found = last_changes(str(repo / "docs"), ["communities/c/a.md", "communities/c/b.md", "README.md"])
    assert found == {"communities/c/a.md": dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
                     "communities/c/b.md": dt.datetime(2022, 6, 7, 8, 9, 10, tzinfo=UTC)}


def test_an_uncommitted_edit_counts_from_the_file_time_clamped_by_source_date_epoch(repo, monkeypatch):
    write(repo, "docs/communities/c/a.md", "a, being edited")
    write(repo, "docs/communities/c/new.md", "not yet added")
    os.utime(repo / "docs/communities/c/a.md", (1_800_000_000, 1_800_000_000))
    os.utime(repo / "docs/communities/c/new.md", (1_700_000_000, 1_700_000_000))
    wanted = ["communities/c/a.md", "communities/c/new.md"]
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    found = last_changes(str(repo / "docs"), wanted)
    assert found["communities/c/a.md"] == dt.datetime.fromtimestamp(1_800_000_000, UTC)
    assert found["communities/c/new.md"] == dt.datetime.fromtimestamp(1_700_000_000, UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    clamped = last_changes(str(repo / "docs"), wanted)
    assert clamped["communities/c/a.md"] == dt.datetime.fromtimestamp(1_750_000_000, UTC)
    assert clamped["communities/c/new.md"] == dt.datetime.fromtimestamp(1_700_000_000, UTC)


def test_a_shallow_clone_does_not_claim_that_everything_changed_in_its_one_commit(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True,
                   capture_output=True)
    assert last_changes(str(clone / "docs"), ["communities/c/a.md", "communities/c/b.md"]) == {}


def test_a_deeper_shallow_clone_knows_what_changed_inside_its_history(repo, tmp_path):
    write(repo, "docs/communities/c/b.md", "b, edited again")
    git(repo, "commit", "-qam", "edit b again", when="2023-01-01T00:00:00+00:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(clone)], check=True,
                   capture_output=True)
    found = last_changes(str(clone / "docs"), ["communities/c/a.md", "communities/c/b.md"])
    assert found == {"communities/c/b.md": dt.datetime(2023, 1, 1, tzinfo=UTC)}


def test_outside_a_repository_nothing_is_known(tmp_path):
    write(tmp_path, "docs/communities/c/a.md", "a")
    assert last_changes(str(tmp_path / "docs"), ["communities/c/a.md"]) == {}


def test_a_file_touched_only_by_the_oldest_commit_is_found_among_many(repo):
    for number in range(30):
        write(repo, f"docs/communities/c/n{number}.md", "n")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"n{number}", when=f"2024-01-01T00:00:{number:02d}+00:00")
    found = last_changes(str(repo / "docs"), ["communities/c/a.md", "communities/c/n29.md"])
    assert found["communities/c/a.md"] == dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert found["communities/c/n29.md"] == dt.datetime(2024, 1, 1, 0, 0, 29, tzinfo=UTC)
