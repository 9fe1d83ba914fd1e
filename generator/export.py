"""The matrix export (contract §6 and §9.4): one data shape, written as JSON, CSV or Markdown.

Each format is assembled from per-community parts, so `mkdocs serve` re-encodes
only the community whose entries changed (see memo.Memo).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable

from .follows import split_reference
from .model import CYCLE_INFO, CYCLES, Entry
from .sources import source_text
from .views import Matrix, MatrixRow, NetworkMatrix

CSV_COLUMNS = ("community", "entry", "title", "date", "kind", "cycle", "statement", "evidence", "source")


def matrix_data(network: NetworkMatrix, audience: str) -> dict:
    """The export's data: every community of the audience, ordered by id, blank ones included."""
    return {
        "audience": audience,
        "cycles": list(CYCLES),
        "communities": [community_data(matrix) for matrix in network.matrices],
    }


def community_data(matrix: Matrix) -> dict:
    """One community's part of the export's data: its counts and rows (with `aims` where it has some)."""
    data = _community_head(matrix)
    data["rows"] = [row_data(row) for row in matrix.rows]
    return data


def _community_head(matrix: Matrix) -> dict:
    """A community's part of the export's data but its rows."""
    community = matrix.community
    data = {
        "id": community.id,
        "title": community.title,
        "url": "/" + community.url,
        "counts": dict(matrix.counts),
    }
    if community.aims:
        data["aims"] = {cycle: [s.text for s in aims] for cycle, aims in community.aims.items()}
    return data


def community_parts(matrix: Matrix, rows: list[tuple[str, str]] | None = None) -> tuple[str, str]:
    """A community's part of the JSON export and of the CSV export, as `community_json` and `community_csv`
    write them; `rows`: each row's `row_parts`, where they are known already."""
    if rows is None:
        rows = [row_parts(matrix.community.id, row) for row in matrix.rows]
    return _json_part(_community_head(matrix), [line for line, _ in rows]), "".join(text for _, text in rows)


def row_parts(community_id: str, row: MatrixRow) -> tuple[str, str]:
    """One row's line of the JSON export and its lines of the CSV export."""
    data = row_data(row)
    sources = {cycle: [s.source for s in statements] for cycle, statements in row.cells.items()}
    out = io.StringIO()
    _write_rows(csv.writer(out, lineterminator="\n"), community_id, data, sources)
    return _json_row(data), out.getvalue()


def row_data(row: MatrixRow) -> dict:
    """One row of the export: section 6's fields, then section 9.4's, each only where the entry has it.

    `evidence` appears when at least one statement of the row names its
    evidence; it then has exactly the keys of `cells`, each list as long as
    that cycle's statements, with null where a statement names none. Each
    statement's `source` is not in the JSON (contract 9.4); the CSV has it.
    """
    entry: Entry = row.entry
    data = {
        "entry": "/" + entry.url,
        "title": entry.title,
        "date": entry.date.isoformat(),
        "kind": entry.kind,
        "cells": {cycle: [s.text for s in statements] for cycle, statements in row.cells.items()},
    }
    if entry.follows:
        # Published follows name only entries this build publishes, by <slug> or <community>/<slug>.
        data["follows"] = ["/communities/{}/{}/".format(*split_reference(name, entry.community))
                           for name in entry.follows]
    if entry.capital:
        data["capital"] = list(entry.capital)
    if any(s.evidence for statements in row.cells.values() for s in statements):
        data["evidence"] = {cycle: [s.evidence for s in statements] for cycle, statements in row.cells.items()}
    if entry.showcase:
        data["showcase"] = entry.showcase
    return data


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
    return _json_part(head, [_json_row(row) for row in community["rows"]])


def _json_part(head: dict, rows: list[str]) -> str:
    """A community's object in the JSON export from its head and its rows' lines (`_json_row`)."""
    lines = ["    {" + _dump(head)[1:-1] + ', "rows": [']
    if rows:
        lines.append(",\n".join(rows))
    lines.append("    ]}")
    return "\n".join(lines)


def _json_row(row: dict) -> str:
    return f"      {_dump(row)}"


def json_document(audience: str, communities: Iterable[str]) -> str:
    """The JSON export around its communities' parts (from `community_json`)."""
    body = ",\n".join(communities)
    lines = ["{", f'  "audience": {_dump(audience)},', f'  "cycles": {_dump(list(CYCLES))},',
             '  "communities": [', *([body] if body else []), "  ]", "}"]
    return "\n".join(lines) + "\n"


def matrix_csv(data: dict, sources: dict[str, dict[str, list[str | None]]] | None = None) -> str:
    """The export as CSV: one line per (entry, cycle, statement); a cycle without statements gets one line.

    `sources` (from `network_sources`) fills the `source` column.
    """
    return csv_document(community_csv(c, sources) for c in data["communities"])


def network_sources(network: NetworkMatrix) -> dict[str, dict[str, list[str | None]]]:
    """Entry URL -> cycle -> each statement's published source, for every community's matrix."""
    return {url: cycles for matrix in network.matrices for url, cycles in statement_sources(matrix).items()}


def community_csv(community: dict, sources: dict[str, dict[str, list[str | None]]] | None = None) -> str:
    """One community's lines of the CSV export (no header); `sources`: entry URL -> cycle -> each statement's source.

    Every text cell a spreadsheet could read as a formula is neutralised (see `csv_cell`).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    sources = sources or {}
    for row in community["rows"]:
        _write_rows(writer, community["id"], row, sources.get(row["entry"], {}))
    return out.getvalue()


def _write_rows(writer, community_id: str, row: dict, sources: dict[str, list[str | None]]) -> None:
    """A row's lines of the CSV export (`sources`: cycle -> each statement's published source)."""
    evidence = row.get("evidence", {})
    for cycle, statements in row["cells"].items():
        kinds = evidence.get(cycle, [])
        said = sources.get(cycle, [])
        for index, statement in enumerate(statements or [""]):
            kind = kinds[index] if index < len(kinds) else None
            source = said[index] if index < len(said) else None
            writer.writerow(tuple(csv_cell(value) for value in (
                community_id, row["entry"], row["title"], row["date"], row["kind"], cycle, statement,
                kind or "", source_text(source))))


def statement_sources(matrix: Matrix) -> dict[str, dict[str, list[str | None]]]:
    """Entry URL -> cycle -> the (published) source of each statement, for the CSV export."""
    return {"/" + row.entry.url: {cycle: [s.source for s in statements] for cycle, statements in row.cells.items()}
            for row in matrix.rows if any(s.source for st in row.cells.values() for s in st)}




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
