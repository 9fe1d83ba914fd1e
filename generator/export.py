"""The matrix export (contract §6): one data shape, written as JSON, CSV or Markdown.

Each format is assembled from per-community parts, so `mkdocs serve` re-encodes
only the community whose entries changed (see memo.Memo).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable

from .model import CYCLE_INFO, CYCLES
from .views import Matrix, NetworkMatrix

CSV_COLUMNS = ("community", "entry", "title", "date", "kind", "cycle", "statement")


def matrix_data(network: NetworkMatrix, audience: str) -> dict:
    """The export's data: every community of the audience, ordered by id, blank ones included."""
    return {
        "audience": audience,
        "cycles": list(CYCLES),
        "communities": [community_data(matrix) for matrix in network.matrices],
    }


def community_data(matrix: Matrix) -> dict:
    """One community's part of the export's data: its counts and rows."""
    return {
        "id": matrix.community.id,
        "title": matrix.community.title,
        "url": "/" + matrix.community.url,
        "counts": dict(matrix.counts),
        "rows": [
            {
                "entry": "/" + row.entry.url,
                "title": row.entry.title,
                "date": row.entry.date.isoformat(),
                "kind": row.entry.kind,
                "cells": {cycle: [s.text for s in statements] for cycle, statements in row.cells.items()},
            }
            for row in matrix.rows
        ],
    }


def _dump(value) -> str:
    # json.dumps with indent= falls back to the pure-Python encoder (10x slower at
    # network scale); values are encoded compactly by the C encoder and laid out here.
    return json.dumps(value, ensure_ascii=False)


def matrix_json(data: dict) -> str:
    """The export as JSON text: stable key order, UTF-8 as is, one matrix row per line."""
    return json_document(data["audience"], [community_json(c) for c in data["communities"]])


def community_json(community: dict) -> str:
    """One community's object in the JSON export, its rows one per line."""
    head = {k: v for k, v in community.items() if k != "rows"}
    lines = ["    {" + _dump(head)[1:-1] + ', "rows": [']
    if community["rows"]:
        lines.append(",\n".join(f"      {_dump(row)}" for row in community["rows"]))
    lines.append("    ]}")
    return "\n".join(lines)


def json_document(audience: str, communities: Iterable[str]) -> str:
    """The JSON export around its communities' parts (from `community_json`)."""
    body = ",\n".join(communities)
    lines = ["{", f'  "audience": {_dump(audience)},', f'  "cycles": {_dump(list(CYCLES))},',
             '  "communities": [', *([body] if body else []), "  ]", "}"]
    return "\n".join(lines) + "\n"


def matrix_csv(data: dict) -> str:
    """The export as CSV: one line per (entry, cycle, statement); a cycle without statements gets one line."""
    return csv_document(community_csv(c) for c in data["communities"])


def community_csv(community: dict) -> str:
    """One community's lines of the CSV export (no header)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in community["rows"]:
        for cycle, statements in row["cells"].items():
            for statement in statements or [""]:
                writer.writerow(map(csv_cell, (community["id"], row["entry"], row["title"], row["date"],
                                               row["kind"], cycle, statement)))
    return out.getvalue()


def csv_document(communities: Iterable[str]) -> str:
    """The CSV export: the header line, then its communities' lines (from `community_csv`)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(CSV_COLUMNS)
    return out.getvalue() + "".join(communities)


def matrix_markdown(data: dict) -> str:
    """The export as Markdown: per community, its counts and a table of cycles × rows."""
    lines = [f"# Value Creation Matrix ({data['audience']})", ""]
    for community in data["communities"]:
        counts = ", ".join(f"{cycle} {community['counts'][cycle]}" for cycle in CYCLES)
        rows = len(community["rows"])
        lines += [f"## {markdown_text(community['title'])}", "", f"{rows} row{'s' * (rows != 1)}: {counts}", ""]
        lines.append("| entry | " + " | ".join(CYCLE_INFO[c].label for c in CYCLES) + " |")
        lines.append("|---" * (len(CYCLES) + 1) + "|")
        for row in community["rows"]:
            cells = [_cell(row["cells"][c]) if c in row["cells"] else "" for c in CYCLES]
            title = f"{row['date']} [{markdown_text(row['title'])}]({row['entry']})"
            lines.append("| " + " | ".join([title, *cells]) + " |")
        if not community["rows"]:
            lines.append("| *(blank: no evidence yet)* |" + " |" * len(CYCLES))
        lines.append("")
    return "\n".join(lines)


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading `'` (OWASP).

    A carriage return becomes a newline, which the writer quotes: alone it would split the row.
    """
    if value[:1] in _FORMULA_STARTS:
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


_FORMULA_STARTS = frozenset("=+-@\t\r")


def _cell(statements: list[str]) -> str:
    return "<br>".join(markdown_text(s) for s in statements) if statements else "✓"


def markdown_text(text: str) -> str:
    """Plain text that Markdown shows as written: its markup characters escaped, kept on one line of a table."""
    text = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)


#: what can start markup inside a table cell: emphasis, links, code, HTML, entities, cell breaks
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]<>|~&]")
