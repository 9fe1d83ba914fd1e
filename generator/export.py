"""The matrix export (contract §6): one data shape, written as JSON, CSV or Markdown."""

from __future__ import annotations

import csv
import io
import json

from .model import CYCLE_INFO, CYCLES
from .views import NetworkMatrix

CSV_COLUMNS = ("community", "entry", "title", "date", "kind", "cycle", "statement")


def matrix_data(network: NetworkMatrix, audience: str) -> dict:
    """The export's data: every community of the audience, ordered by id, blank ones included."""
    return {
        "audience": audience,
        "cycles": list(CYCLES),
        "communities": [
            {
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
                        "cells": {cycle: list(statements) for cycle, statements in row.cells.items()},
                    }
                    for row in matrix.rows
                ],
            }
            for matrix in network.matrices
        ],
    }


def matrix_json(data: dict) -> str:
    """The export as JSON text: stable key order, UTF-8 as is, one matrix row per line."""
    # json.dumps with indent= falls back to the pure-Python encoder (10x slower at
    # network scale); rows are encoded compactly by the C encoder and laid out here.
    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f'  "audience": {dump(data["audience"])},', f'  "cycles": {dump(data["cycles"])},',
             '  "communities": [']
    for index, community in enumerate(data["communities"]):
        head = {k: v for k, v in community.items() if k != "rows"}
        lines.append("    {" + dump(head)[1:-1] + ', "rows": [')
        rows = community["rows"]
        lines += [f"      {dump(row)}{',' if i < len(rows) - 1 else ''}" for i, row in enumerate(rows)]
        lines.append("    ]}" + ("," if index < len(data["communities"]) - 1 else ""))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def matrix_csv(data: dict) -> str:
    """The export as CSV: one line per (entry, cycle, statement); a cycle without statements gets one line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for community in data["communities"]:
        for row in community["rows"]:
            for cycle, statements in row["cells"].items():
                for statement in statements or [""]:
                    writer.writerow((community["id"], row["entry"], row["title"], row["date"], row["kind"],
                                     cycle, statement))
    return out.getvalue()


def matrix_markdown(data: dict) -> str:
    """The export as Markdown: per community, its counts and a table of cycles × rows."""
    lines = [f"# Value Creation Matrix ({data['audience']})", ""]
    for community in data["communities"]:
        counts = ", ".join(f"{cycle} {community['counts'][cycle]}" for cycle in CYCLES)
        lines += [f"## {community['title']}", "", f"{len(community['rows'])} rows: {counts}", ""]
        lines.append("| entry | " + " | ".join(CYCLE_INFO[c].label for c in CYCLES) + " |")
        lines.append("|---" * (len(CYCLES) + 1) + "|")
        for row in community["rows"]:
            cells = [_cell(row["cells"][c]) if c in row["cells"] else "" for c in CYCLES]
            title = f"{row['date']} [{_escape(row['title'])}]({row['entry']})"
            lines.append("| " + " | ".join([title, *cells]) + " |")
        if not community["rows"]:
            lines.append("| *(blank: no evidence yet)* |" + " |" * len(CYCLES))
        lines.append("")
    return "\n".join(lines)


def _cell(statements: list[str]) -> str:
    return "<br>".join(_escape(s) for s in statements) if statements else "✓"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
