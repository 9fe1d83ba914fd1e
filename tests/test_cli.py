"""The `copmem` command line, run through its real console entry point."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

COPMEM = Path(sys.executable).with_name("copmem")


def copmem(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `copmem` script (stdin is a pipe, never a terminal)."""
    env = {k: v for k, v in os.environ.items() if k != "COP_AUDIENCE"}
    return subprocess.run([str(COPMEM), *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          input=stdin or "", env=env)


@pytest.fixture
def project(site):
    site.community("gd", title="Gestational diabetes")
    site.community("hidden", visibility="internal")
    site.entry("gd", "2019-06-04-gtt-policy.md", title="GTT policy", date="2019-06-04", kind="story",
               visibility="public",
               cycles={"immediate": "We met", "realized": "[Wait cut to a week, Fewer missed tests]"})
    site.entry("gd", "2019-03-12-spring.md", title="Spring convening", date="2019-03-12", kind="event",
               cycles=["1", "2"], attendees=55)
    site.entry("hidden", "2020-01-01-private.md", title="Private", kind="story", cycles={"applied": "Changed"},
               visibility="public")
    (site.root / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: docs\ntheme: {name: material}\nplugins:\n  - search\n  - cop-memory\n",
        encoding="utf-8")
    return site


def test_entry_point_is_installed():
    assert COPMEM.is_file(), f"copmem is not installed next to {sys.executable}"


def test_check_clean_content_exits_0(project):
    result = copmem("check", "docs", cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "3 communities" not in result.stderr
    assert "2 communities, 3 entries read, 0 errors, 0 warnings" in result.stderr


def test_check_names_every_broken_file(project):
    project.write("communities/gd/2020-01-01-a.md", "---\ntitle: A\ndate: 2020-01-01\nvisibility: no\n---\n")
    project.write("communities/gd/sub/2020-01-02-b.md", "---\ntitle: B\ndate: 2020-13-01\n---\n")
    project.write("communities/hidden/2020-01-03-c.md", "---\ntitle: C\ndate: 2020-01-03\ncycle: [applied]\n---\n")
    result = copmem("check", "docs", cwd=project.root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    prefixes = [line.split(": ", 2)[0] + ": " + line.split(": ", 2)[1] for line in lines]
    assert prefixes == [
        "docs/communities/gd/2020-01-01-a.md:4: visibility",
        "docs/communities/gd/sub/2020-01-02-b.md:3: date",
        "docs/communities/hidden/2020-01-03-c.md:4: cycle",
    ]
    assert lines[2].endswith("[warning]") and "cycles" in lines[2]
    assert "2 errors, 1 warning" in result.stderr


def test_check_missing_folder_is_a_usage_error(tmp_path):
    result = copmem("check", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("copmem: nowhere: no such folder")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["story", "event", "note"])
def test_new_writes_a_valid_entry(project, kind):
    result = copmem("new", kind, "--community", "gd", "--title", "Clinic letters: rewritten!", "--dir", "docs",
                    "--date", "2021-05-06", cwd=project.root)
    assert result.returncode == 0, result.stderr
    path = project.root / result.stdout.strip()
    assert path == project.docs / "communities/gd/2021-05-06-clinic-letters-rewritten.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Clinic letters: rewritten!"\ndate: 2021-05-06\nkind: ' + kind)
    if kind == "story":
        for question in ("What specific insights did you gain?", "How did this influence your practice?",
                         "What difference did it make to your performance?",
                         "How did this contribute to the goal of your organisation",
                         "understanding of what matters?"):
            assert question in text
    check = copmem("check", "docs", cwd=project.root)
    assert check.returncode == 0, check.stdout


def test_new_refuses_an_unknown_community(project):
    result = copmem("new", "story", "--community", "gdm", "--title", "X", "--dir", "docs", cwd=project.root)
    assert result.returncode == 2
    assert "unknown community 'gdm' (known communities: gd, hidden)" in result.stderr


def test_new_never_prompts_without_a_terminal(project):
    result = copmem("new", "--dir", "docs", cwd=project.root, stdin="story\ngd\nTitle\n")
    assert result.returncode == 2
    assert "missing KIND, --community, --title" in result.stderr


def test_new_refuses_to_overwrite(project):
    args = ("new", "note", "--community", "gd", "--title", "Same", "--dir", "docs", "--date", "2021-01-01")
    assert copmem(*args, cwd=project.root).returncode == 0
    again = copmem(*args, cwd=project.root)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_matrix_json_matches_the_contract(project):
    result = copmem("matrix", "--format", "json", "--dir", "docs", cwd=project.root)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    gd = next(c for c in data["communities"] if c["id"] == "gd")
    assert gd["rows"] == [
        {"entry": "/communities/gd/spring/", "title": "Spring convening", "date": "2019-03-12", "kind": "event",
         "cells": {"immediate": [], "potential": []}},
        {"entry": "/communities/gd/gtt-policy/", "title": "GTT policy", "date": "2019-06-04", "kind": "story",
         "cells": {"immediate": ["We met"], "realised": ["Wait cut to a week", "Fewer missed tests"]}},
    ]
    assert gd["counts"] == {"immediate": 2, "potential": 1, "applied": 0, "realised": 1, "transformative": 0}


def test_matrix_public_and_community_filters(project):
    public = json.loads(copmem("matrix", "--format", "json", "--public", "--dir", "docs", cwd=project.root).stdout)
    assert [c["id"] for c in public["communities"]] == ["gd"]
    assert [r["title"] for r in public["communities"][0]["rows"]] == ["GTT policy"]
    one = copmem("matrix", "--community", "hidden", "--format", "csv", "--dir", "docs", cwd=project.root)
    rows = list(csv.DictReader(io.StringIO(one.stdout)))
    assert [(r["title"], r["cycle"]) for r in rows] == [("Private", "applied")]


def test_matrix_markdown_is_the_default(project):
    result = copmem("matrix", "--dir", "docs", cwd=project.root)
    assert result.returncode == 0
    assert "| " in result.stdout and "Wait cut to a week" in result.stdout


def test_build_public_writes_only_public_pages(project):
    result = copmem("build", "--public", "-d", "out", cwd=project.root)
    assert result.returncode == 0, result.stderr
    out = project.root / "out"
    assert (out / "communities/gd/gtt-policy/index.html").is_file()
    assert not (out / "communities/gd/spring").exists()
    assert not (out / "communities/hidden").exists()
    # MkDocs wraps its log lines to the terminal's width: compare the words.
    assert "cop-memory: public build: 1 communities, 3 entries read, 1 published, 2 internal, 0 with errors" \
        in " ".join(result.stderr.split())


def test_new_prompts_for_what_is_missing_in_a_terminal(project):
    """With a terminal on stdin, `copmem new` asks for kind, community and title."""
    import pty

    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([str(COPMEM), "new", "--dir", "docs", "--date", "2021-02-03"], cwd=project.root,
                                   stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        os.write(controller, b"event\ngdx\ngd\nA typed title\n")
        out, _ = process.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert process.returncode == 0
    assert out.strip().endswith("docs/communities/gd/2021-02-03-a-typed-title.md")
    text = (project.docs / "communities/gd/2021-02-03-a-typed-title.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "A typed title"\ndate: 2021-02-03\nkind: event\n')


def test_check_refuses_a_billion_laughs_in_one_short_line(project):
    # Nested aliases: 9**9 strings if expanded; a 347-byte file once printed 25 MB.
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    project.write("communities/gd/2020-01-01-laughs.md",
                  "---\ntitle: Laughs\ndate: 2020-01-01\n" + "\n".join(lines) + "\ntags: *l8\n---\n")
    result = copmem("check", "docs", cwd=project.root)
    assert result.returncode == 1
    assert len(result.stdout) < 1000
    assert result.stdout.splitlines() == [
        "docs/communities/gd/2020-01-01-laughs.md:4: l0: YAML anchors, aliases and merge keys are not allowed in "
        "front matter (expected plain values, found the anchor &l0); write the value out instead of &l0 / *l0; "
        "a text that starts with & or * goes in quotes"]


def test_every_problem_is_exactly_one_line_whatever_keys_and_file_names_hold(project):
    # A newline in a key, a carriage return in a file name, an escape sequence: each could split a
    # problem's line, or forge one that looks like another file's problem.
    project.write("communities/gd/2020-01-01-a.md",
                  '---\ntitle: A\ndate: 2020-01-01\n"x\\ndocs/fake.md:1: title: forged": 1\n"\\e[2J": 2\n---\n')
    project.write("communities/gd/2020-01-02-b\rdocs/fake.md:9: title: forged.md",
                  "---\ntitle: B\ndate: 2020-01-02\nvisibility: no\n---\n")
    result = copmem("check", "docs", cwd=project.root)
    assert result.returncode == 1
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == 4, result.stdout
    assert all(line.startswith("docs/communities/gd/2020-01-0") for line in lines[:-1]), lines
    assert not any(char in result.stdout for char in "\r\x1b\u2028")
    assert "x\\ndocs/fake.md:1: title: forged" in result.stdout and "\\x1b[2J" in result.stdout
    assert "2020-01-02-b\\rdocs/fake.md:9: title: forged.md:4: visibility:" in result.stdout


def test_check_a_folder_without_communities_says_so_and_exits_2(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    result = copmem("check", "docs", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("copmem check: docs has no communities/ folder; nothing to check "
                             "(give the docs folder, e.g. copmem check content)\n")


def test_check_counts_in_the_singular_too(site):
    site.community("gd")
    site.entry("gd", "2020-01-01-a.md", title="A", date="2020-01-01")
    site.write("communities/gd/2020-01-02-b.md", "---\ntitle: B\ndate: 2020-13-01\n---\n")
    site.write("communities/gd/2020-01-03-c.md", "---\ntitle: C\ndate: 2020-01-03\ncycle: [applied]\n---\n")
    result = copmem("check", "docs", cwd=site.root)
    assert result.stderr.splitlines()[-1] == "copmem check: 1 community, 3 entries read, 1 error, 1 warning"
    (site.docs / "communities/gd/2020-01-02-b.md").unlink()
    (site.docs / "communities/gd/2020-01-03-c.md").unlink()
    result = copmem("check", "docs", cwd=site.root)
    assert result.stderr.splitlines()[-1] == "copmem check: 1 community, 1 entry read, 0 errors, 0 warnings"


@pytest.mark.parametrize("title", ["Line\x01one", "Tab\there", "Two\nlines", "Escape \x1b[31m", "NEL\x85",
                                   "Para\u2029graph", "DEL\x7f", b"Not UTF-8 \x85"])
def test_new_refuses_a_title_with_a_control_character(project, title):
    before = sorted(project.docs.rglob("*.md"))
    result = subprocess.run([str(COPMEM), "new", "note", "--community", "gd", "--title", title, "--dir", "docs"],
                            cwd=project.root, capture_output=True, timeout=120)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert stderr.startswith("copmem: the title ") and "holds a control character" in stderr
    assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr
    assert sorted(project.docs.rglob("*.md")) == before


def test_new_refuses_a_slug_another_entry_has_and_suggests_a_free_one(project):
    # gtt-policy is taken by a file name, spring-2 by a slug: field in a sub-folder
    project.write("communities/gd/2020/2020-05-05-other.md", "---\ntitle: O\ndate: 2020-05-05\nslug: spring-2\n---\n")
    before = sorted(project.docs.rglob("*.md"))
    result = copmem("new", "note", "--community", "gd", "--title", "GTT policy!", "--dir", "docs",
                    "--date", "2024-01-01", cwd=project.root)
    assert result.returncode == 2
    assert result.stderr == ("copmem: the slug 'gtt-policy' is taken by docs/communities/gd/2019-06-04-gtt-policy.md; "
                             "try another --title, or use slug 'gtt-policy-2' (--slug gtt-policy-2)\n")
    result = copmem("new", "note", "--community", "gd", "--title", "Spring", "--dir", "docs", cwd=project.root)
    assert result.returncode == 2
    assert "the slug 'spring' is taken by docs/communities/gd/2019-03-12-spring.md" in result.stderr
    assert "use slug 'spring-3'" in result.stderr  # spring-2 is taken too
    result = copmem("new", "note", "--community", "gd", "--title", "Another", "--slug", "spring-2", "--dir", "docs",
                    cwd=project.root)
    assert result.returncode == 2
    assert "the slug 'spring-2' is taken by docs/communities/gd/2020/2020-05-05-other.md" in result.stderr
    assert sorted(project.docs.rglob("*.md")) == before
    # the suggestion works, and check agrees
    result = copmem("new", "note", "--community", "gd", "--title", "GTT policy!", "--slug", "gtt-policy-2",
                    "--dir", "docs", "--date", "2024-01-01", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "docs/communities/gd/2024-01-01-gtt-policy-2.md"
    assert copmem("check", "docs", cwd=project.root).returncode == 0


@pytest.mark.parametrize("title", ["Timeline", "Matrix", "Feed"])
def test_new_refuses_a_reserved_slug(project, title):
    result = copmem("new", "note", "--community", "gd", "--title", title, "--dir", "docs", cwd=project.root)
    assert result.returncode == 2
    slug = title.lower()
    assert result.stderr == (f"copmem: the slug '{slug}' is reserved for the community's own page; try another "
                             f"--title, or use slug '{slug}-2' (--slug {slug}-2)\n")


def test_new_refuses_a_slug_that_is_not_a_slug(project):
    result = copmem("new", "note", "--community", "gd", "--title", "X", "--slug", "Not a slug", "--dir", "docs",
                    cwd=project.root)
    assert result.returncode == 2
    assert "the slug 'Not a slug' must be lower-case letters, digits and hyphens; e.g. --slug not-a-slug" \
        in result.stderr
