"""The pre-commit hook, run as a user runs it: the real `pre-commit try-repo` against this checkout.

Slow on purpose, and needs the network: pre-commit clones this checkout's HEAD
commit (with any uncommitted changes to tracked files), then builds the hook's
own virtualenv and pip-installs the project into it from PyPI, about a minute
the first time. The two tests share one PRE_COMMIT_HOME, so they install once.
A checkout that is not a git repository (an unpacked sdist) skips them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
#: installing the hook's environment downloads and builds the project and its dependencies
INSTALL_TIMEOUT = 1200

CHARTER = "---\ntitle: Gestational diabetes\ndomain: Care in pregnancy\n---\nWe meet monthly.\n"


def _is_git_checkout() -> bool:
    try:
        result = subprocess.run(["git", "-C", str(CHECKOUT), "rev-parse", "--verify", "HEAD"],
                                capture_output=True, timeout=60)
    except OSError:
        return False
    return result.returncode == 0 and (CHECKOUT / ".pre-commit-hooks.yaml").is_file()


pytestmark = pytest.mark.skipif(not _is_git_checkout(), reason="pre-commit try-repo needs this project as a git "
                                "checkout (it clones its HEAD commit)")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    """One cache of hook environments for the module: the first run installs, the second reuses."""
    return tmp_path_factory.mktemp("pre-commit-home")


def user_repository(root: Path, entry: str) -> Path:
    """A social reporters' repository: a content/ tree with one community and one entry, staged in git."""
    folder = root / "content" / "communities" / "gestational-diabetes"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(CHARTER, encoding="utf-8")
    (folder / "2020-01-01-story.md").write_text(entry, encoding="utf-8")
    (root / "content" / "index.md").write_text("# Our shared memory\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True, timeout=60)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, timeout=60)
    return root


def try_repo(repository: Path, home: Path) -> subprocess.CompletedProcess:
    """`pre-commit try-repo <this checkout> copmem-check --all-files`, in the user's repository."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("COP_AUDIENCE", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(CHECKOUT), "copmem-check", "--all-files",
         "--color", "never"],
        cwd=repository, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)


def test_the_hook_passes_a_good_entry(tmp_path, pre_commit_home):
    repository = user_repository(tmp_path / "memory", (
        "---\ntitle: Clinic letters rewritten with patients\ndate: 2020-01-01\nkind: story\n"
        "cycles:\n  applied: Every clinic now sends the rewritten letter\n---\nWhat happened.\n"))
    result = try_repo(repository, pre_commit_home)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "InvalidManifestError" not in output
    assert "copmem check" in output and "Passed" in output


def test_the_hook_blocks_a_misspelt_cycle_with_its_path_and_line(tmp_path, pre_commit_home):
    repository = user_repository(tmp_path / "memory", (
        "---\ntitle: Clinic letters rewritten with patients\ndate: 2020-01-01\nkind: story\n"
        "cycles: [aplied]\n---\nWhat happened.\n"))
    result = try_repo(repository, pre_commit_home)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Failed" in output
    lines = [line for line in output.splitlines() if line.startswith("content/communities/")]
    assert len(lines) == 1, output
    assert lines[0].startswith(
        "content/communities/gestational-diabetes/2020-01-01-story.md:5: cycles: unknown cycle 'aplied'")
    assert "did you mean 'applied'?" in lines[0]
