"""`copmem new community` (contract 9.5) and the framework's questions in a new story, run through the real script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.framework import CYCLE_INFO, CYCLE_QUESTIONS, CYCLES
from generator.loader import load

COPMEM = Path(sys.executable).with_name("copmem")


def copmem(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed `copmem` script (stdin is a pipe, never a terminal)."""
    env = {k: v for k, v in os.environ.items() if k != "COP_AUDIENCE"}
    return subprocess.run([str(COPMEM), *args], cwd=cwd, capture_output=True, text=True, timeout=120, input="",
                          env=env)


@pytest.fixture
def network(tmp_path):
    (tmp_path / "content").mkdir()
    return tmp_path


def test_new_community_writes_a_charter_with_a_blank_matrix_and_an_aims_prompt_per_cycle(network):
    result = copmem("new", "community", "--id", "falls-prevention", "--title", 'Falls "prevention"',
                    "--domain", "Fewer falls: at home and in care homes", cwd=network)
    assert result.returncode == 0, result.stderr
    path = network / result.stdout.strip()
    assert path == network / "content" / "communities" / "falls-prevention" / "index.md"
    text = path.read_text(encoding="utf-8")
    for cycle in CYCLES:  # each prompt is the cycle's guiding question, commented out
        assert f"  # {cycle}: ...    ({CYCLE_INFO[cycle].question}" in text
    check = copmem("check", "content", cwd=network)
    assert check.returncode == 0 and check.stdout == "", check.stdout + check.stderr
    memory = load(network / "content")
    community = memory.communities["falls-prevention"]
    assert (community.title, community.domain) == ('Falls "prevention"', "Fewer falls: at home and in care homes")
    # Nothing invented is published: no aims until the community writes its own, and a blank matrix.
    assert community.aims == {} and community.visibility == "internal" and memory.entries == []
    matrix = json.loads(copmem("matrix", "--dir", "content", "--format", "json", cwd=network).stdout)
    assert matrix["communities"][0]["rows"] == [] and "aims" not in matrix["communities"][0]


def test_aims_written_over_the_prompts_are_read(network):
    copmem("new", "community", "--id", "falls", "--title", "Falls", "--domain", "D", cwd=network)
    path = network / "content" / "communities" / "falls" / "index.md"
    path.write_text(path.read_text(encoding="utf-8").replace("  # applied: ...", "  applied: Every home reviews falls"
                                                                               "\n  # was:"), encoding="utf-8")
    assert [s.text for s in load(network / "content").communities["falls"].aims["applied"]] == \
        ["Every home reviews falls"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id", "Falls_Team", "--title", "T", "--domain", "D"],
         "the id 'Falls_Team' must be lower-case letters, digits and hyphens"),
        (["--id", "ok", "--title", "Two\nlines: x", "--domain", "D"], "the title holds a control character (\\n)"),
        (["--id", "ok", "--title", "T", "--domain", "A\x1b[31m red"], "the domain holds a control character"),
        (["--id", "ok", "--title", "T"], "missing --domain"),
    ],
)
def test_new_community_refuses_bad_input_and_writes_nothing(network, args, message):
    result = copmem("new", "community", *args, cwd=network)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (network / "content" / "communities").exists()


def test_new_community_refuses_an_existing_id(network):
    assert copmem("new", "community", "--id", "gd", "--title", "T", "--domain", "D", cwd=network).returncode == 0
    charter = network / "content" / "communities" / "gd" / "index.md"
    before = charter.read_text(encoding="utf-8")
    result = copmem("new", "community", "--id", "gd", "--title", "Other", "--domain", "D", cwd=network)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert charter.read_text(encoding="utf-8") == before


def test_a_new_story_carries_every_indicator_question_of_each_cycle_out_of_the_published_page(network):
    copmem("new", "community", "--id", "gd", "--title", "T", "--domain", "D", cwd=network)
    result = copmem("new", "story", "--community", "gd", "--title", "A story", "--date", "2021-01-01",
                    "--dir", "content", cwd=network)
    text = (network / result.stdout.strip()).read_text(encoding="utf-8")
    for cycle in CYCLES:
        for question in CYCLE_QUESTIONS[cycle]:
            assert f"     - {question}" in text
    # The questions sit in HTML comments: a guide while writing, dropped from the page if left in.
    outside = text
    while "<!--" in outside:
        start = outside.index("<!--")
        outside = outside[:start] + outside[outside.index("-->", start) + 3:]
    assert not any(question in outside for questions in CYCLE_QUESTIONS.values() for question in questions)
