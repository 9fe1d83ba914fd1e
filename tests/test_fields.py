"""The front-matter declarations: one per field, and everything derived from them stays in step."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.fields import CHARTER, ENTRY, FIELDS, fields_of, read_fields, reference_table
from generator.frontmatter import split
from generator.model import Community, Entry

WRITING = Path(__file__).resolve().parents[1] / "content" / "writing.md"


@pytest.mark.parametrize("where", [CHARTER, ENTRY])
def test_the_contributors_guide_shows_the_declared_fields(where):
    """content/writing.md holds each table as `reference_table` writes it: regenerate it after adding a field."""
    assert reference_table(where) in WRITING.read_text(encoding="utf-8")


@pytest.mark.parametrize(("cls", "where"), [(Community, CHARTER), (Entry, ENTRY)])
def test_the_model_has_an_attribute_per_declared_field_with_its_default(cls, where):
    attributes = {f.name: f for f in dataclasses.fields(cls)}
    for declared in fields_of(where):
        assert declared.name in attributes, declared.name
        attribute = attributes[declared.name]
        if declared.name == "slug":  # the model's own: the resolved slug, never missing
            continue
        default = attribute.default_factory() if attribute.default_factory is not dataclasses.MISSING \
            else attribute.default
        assert default == declared.default, declared.name


def test_every_field_is_declared_once_and_somewhere():
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names))
    assert all(f.where and set(f.where) <= {CHARTER, ENTRY} for f in FIELDS)


def reader(text: str, where: str = ENTRY):
    matter, problems = split(text, "x.md")
    assert problems == []
    return read_fields(matter, "x.md", where)


def test_a_missing_field_reads_as_its_default_and_a_missing_required_one_is_an_error():
    r = reader("---\nkind:\n---\n")
    declared = {f.name: f for f in fields_of(ENTRY)}
    assert r.read(declared["kind"]) == "note" and r.read(declared["tags"]) == ()
    assert r.read(declared["title"]) is None
    assert [(p.line, p.field, p.message) for p in r.problems] == [(1, "title", "required field is missing")]


def test_an_unknown_field_is_a_warning_with_the_nearest_name():
    r = reader("---\ntitle: T\ntagz: [a]\n---\n")
    assert [str(p) for p in r.problems] == ["x.md:3: tagz: unknown field; it is ignored; did you mean 'tags'? [warning]"]


def test_a_charter_field_in_an_entry_is_unknown_there():
    r = reader("---\ntitle: T\ndomain: D\n---\n")
    assert [(p.field, p.severity) for p in r.problems] == [("domain", "warning")]
