"""Input in, output out: the golden fixture site builds to the golden copies, and builds reproducibly.

What is compared is cop-memory's own output, not the theme's: every export and
feed as written, and of every HTML page the article's content (without
Material's title and tag list), so a new release of the theme does not fail
the test while any change in what cop-memory writes does. After a deliberate
change, regenerate with `COPMEM_UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import host

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("COPMEM_UPDATE_GOLDEN") == "1"
CONFIG = """\
site_name: Golden network
site_url: https://golden.example.org/
docs_dir: docs
theme: {{name: material}}
plugins:
  - search
  - cop-memory:
      audience: {audience}
"""
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_MATERIAL_PARTS = re.compile(r'<nav class="md-tags"\s*>.*?</nav>|<h1>[^<]*</h1>', re.S)


def build(tmp: Path, audience: str, env: dict | None = None) -> Path:
    """The golden fixture built with the host's real command (`mkdocs build`, or `properdocs build`) in a fresh process."""
    shutil.copytree(GOLDEN / "docs", tmp / "docs")
    (tmp / "mkdocs.yml").write_text(CONFIG.format(audience=audience), encoding="utf-8")
    site = tmp / "site"
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    environment.pop("COP_AUDIENCE", None)
    subprocess.run([*host.command(), "build", "-q", "--strict", "-f", str(tmp / "mkdocs.yml"),
                    "-d", str(site)], check=True, cwd=tmp, env=environment, timeout=300)
    return site


def ours(site: Path) -> dict[str, str]:
    """cop-memory's part of every output file: exports and feeds whole, the article of every page."""
    found = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.suffix in (".json", ".csv", ".xml") and not name.startswith(("search/", "sitemap")):
            found[name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".html" and name != "404.html":
            article = _ARTICLE.search(path.read_text(encoding="utf-8"))
            if article:
                text = _MATERIAL_PARTS.sub("", article.group(1), count=2)
                found[name] = "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"
    return found


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_golden_fixture_builds_to_its_golden_copies(tmp_path, audience):
    produced = ours(build(tmp_path, audience))
    expected_dir = GOLDEN / f"site-{audience}"
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, text in produced.items():
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_text(text, encoding="utf-8")
    expected = {p.relative_to(expected_dir).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(expected_dir.rglob("*")) if p.is_file()}
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], name


def test_two_builds_in_processes_with_different_hash_seeds_are_byte_identical(tmp_path):
    """Nothing in the output may depend on set or dict order that changes with PYTHONHASHSEED."""
    first = build(tmp_path / "one", "internal", {"PYTHONHASHSEED": "1"})
    second = build(tmp_path / "two", "internal", {"PYTHONHASHSEED": "2"})

    def digest(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*")) if p.is_file()}

    assert digest(first) == digest(second)
