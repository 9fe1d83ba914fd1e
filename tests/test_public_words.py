"""The demo's pages for outsiders speak to outsiders: no contributor jargon; the contributors' guide stays inside."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
JARGON = ("copmem", "content/", "front matter", "front-matter", "mkdocs", ".md`", "yaml")


@pytest.mark.parametrize("path", ["content/value-creation.md", "site_templates/value-creation.md"])
def test_the_public_explainer_has_no_contributor_jargon(path):
    text = (ROOT / path).read_text(encoding="utf-8").lower()
    assert [word for word in JARGON if word in text] == []


def test_the_contributors_guide_is_internal():
    head = (ROOT / "content/writing.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert yaml.safe_load(head.removeprefix("---\n"))["visibility"] == "internal"
