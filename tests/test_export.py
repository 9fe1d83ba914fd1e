"""The matrix export (contract section 6): JSON against the golden file and the schema, CSV, Markdown."""

from __future__ import annotations

import csv
import io
import json
import os
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from generator import views
from generator.audience import publish
from generator.export import (
    CSV_COLUMNS,
    community_csv,
    community_json,
    csv_document,
    json_document,
    matrix_csv,
    matrix_data,
    matrix_json,
    matrix_markdown,
)
from generator.framework import CYCLES
from generator.loader import load
from generator.review import review

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = json.loads((files("generator") / "schema" / "matrix.schema.json").read_text("utf-8"))


def golden_data(audience: str = "internal") -> dict:
    memory = review(load(GOLDEN / "docs", display_dir="docs"))
    assert memory.problems == []
    publication = publish(memory, audience)
    return matrix_data(views.network_matrix(publication.communities, publication.entries), audience)


def test_golden_matrix_json():
    text = matrix_json(golden_data())
    expected = GOLDEN / "matrix.json"
    if os.environ.get("COPMEM_UPDATE_GOLDEN") == "1":
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_export_validates_against_the_schema(audience):
    jsonschema.validate(golden_data(audience), SCHEMA)


def test_schema_rejects_a_wrong_cycle():
    data = golden_data()
    data["communities"][0]["rows"][0]["cells"]["reframing"] = ["x"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_csv_has_one_line_per_entry_cycle_statement():
    data = golden_data()
    rows = list(csv.DictReader(io.StringIO(matrix_csv(data))))
    expected = [
        (c["id"], r["entry"], cycle, statement)
        for c in data["communities"] for r in c["rows"] for cycle, statements in r["cells"].items()
        for statement in (statements or [""])
    ]
    assert [(r["community"], r["entry"], r["cycle"], r["statement"]) for r in rows] == expected
    assert ('beta', '/communities/beta/applied/', 'applied', 'Policy changed, with a comma') in \
        [(r["community"], r["entry"], r["cycle"], r["statement"]) for r in rows]


def test_exports_assembled_from_community_parts_equal_the_whole():
    """`mkdocs serve` re-encodes only the edited community's part; the document must not change shape."""
    data = golden_data()
    json_parts = [community_json(c) for c in data["communities"]]
    assert json_document(data["audience"], json_parts) == matrix_json(data)
    assert csv_document(community_csv(c) for c in data["communities"]) == matrix_csv(data)
    assert json.loads(json_document("public", [])) == {"audience": "public", "cycles": list(CYCLES),
                                                      "communities": []}
    assert csv_document([]) == ",".join(CSV_COLUMNS) + "\n"


def test_markdown_table_has_every_statement():
    data = golden_data()
    text = matrix_markdown(data)
    for c in data["communities"]:
        for r in c["rows"]:
            for statements in r["cells"].values():
                for statement in statements:
                    assert statement in text
    assert "| *(blank: no evidence yet)* |" in text


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(value):
    data = golden_data()
    row = data["communities"][0]["rows"][0]
    row["title"] = value
    row["cells"] = {"applied": [value]}
    lines = list(csv.reader(io.StringIO(matrix_csv(data), newline="")))
    expected = "'" + value.replace("\r", "\n")
    assert (lines[1][2], lines[1][6]) == (expected, expected)


def test_the_markdown_matrix_shows_titles_and_statements_as_text():
    data = golden_data()
    row = data["communities"][0]["rows"][0]
    row["title"] = "A *b* [c](javascript:x) | <img src=x onerror=y> &lt;"
    row["cells"] = {"applied": ["`code` _em_ ~strike~"]}
    text = matrix_markdown(data)
    assert "A \\*b\\* \\[c\\](javascript:x) \\| \\<img src=x onerror=y\\> \\&lt;" in text
    assert "\\`code\\` \\_em\\_ \\~strike\\~" in text
    assert "<img" not in text.replace("\\<", "") and "[c](" not in text


def test_feed_text_holds_no_character_xml_forbids():
    import xml.dom.minidom

    from generator.feeds import atom_feed
    from conftest import entry

    bad = entry("c", "e", title="A\x00B\x1bC\ufffe", tags=("t\x01",))
    text = atom_feed([bad], title="T\x02", feed_url="feed.xml", page_url="timeline/", site_url=None,
                     summary=lambda e: "S\x0c", community_titles={"c": "C"})
    xml.dom.minidom.parseString(text.encode("utf-8"))  # a strict XML parser accepts it
    assert "<title>ABC</title>" in text


def test_a_community_s_export_parts_drawn_row_by_row_are_what_the_whole_export_writes():
    """A serve session keeps each row's part of the exports: put together, they must be the export itself."""
    import datetime as dt

    from conftest import community, entry

    from generator.export import community_csv, community_data, community_json, community_parts, row_parts
    from generator.export import statement_sources
    from generator.model import Statement
    from generator.views import community_matrix

    group = community("gd", title="Gestational diabetes")
    entries = [
        entry("gd", "a", date=dt.date(2020, 1, 2), title="=Formula title",
              cycles={"applied": (Statement("Changed", evidence="observed", source="https://x.example/"),
                                  Statement("Also changed"))}),
        entry("gd", "b", date=dt.date(2020, 1, 3), title="Ticks only", cycles={"immediate": ()}),
        entry("gd", "c", date=dt.date(2020, 1, 4), title="Quote \"and\" comma, here",
              cycles={"realised": (Statement("@risk\r\nline", source="../x.pdf"),)}),
    ]
    matrix = community_matrix(group, entries)
    data = community_data(matrix)
    whole = community_json(data), community_csv(data, statement_sources(matrix))
    assert community_parts(matrix) == whole
    assert community_parts(matrix, [row_parts("gd", row) for row in matrix.rows]) == whole
    assert "'=Formula title" in whole[1] and "https://x.example/" in whole[1]
    assert community_parts(community_matrix(group, [])) == (community_json(community_data(community_matrix(group, []))), "")
