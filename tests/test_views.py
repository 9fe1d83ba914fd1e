"""Assembly and exports without MkDocs: timelines, matrices, cycle views, the JSON/CSV/Markdown exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from generator import views
from generator.audience import publish, review
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
from generator.loader import load
from generator.model import CYCLES, Community, Entry
from generator.render import Renderer, relative_url, template_env

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = json.loads((files("generator") / "schema" / "matrix.schema.json").read_text("utf-8"))


def community(cid="c", title=None) -> Community:
    return Community(id=cid, source=f"communities/{cid}/index.md", title=title or cid.upper(), domain="d",
                     visibility="public")


def entry(title, date, cid="c", kind="story", cycles=None, **fields) -> Entry:
    slug = title.lower().replace(" ", "-")
    return Entry(community=cid, source=f"communities/{cid}/{slug}.md", slug=slug, title=title,
                 date=dt.date.fromisoformat(date), kind=kind, cycles=cycles or {}, **fields)


def test_matrix_rows_ordered_by_date_then_title_and_only_entries_naming_a_cycle():
    entries = [
        entry("Zeta", "2020-03-01", cycles={"applied": ("x",)}),
        entry("alpha", "2020-03-01", cycles={"immediate": ()}),
        entry("Early", "2019-01-01", cycles={"potential": ("p",)}),
        entry("No cycles", "2018-01-01", kind="note"),
    ]
    matrix = views.community_matrix(community(), entries)
    assert [row.entry.title for row in matrix.rows] == ["Early", "alpha", "Zeta"]
    assert matrix.counts == {"immediate": 1, "potential": 1, "applied": 1, "realised": 0, "transformative": 0}
    assert matrix.empty_cycles == ["realised", "transformative"]


def test_blank_matrix_has_every_cycle_empty():
    matrix = views.community_matrix(community(), [])
    assert matrix.rows == [] and matrix.empty_cycles == list(CYCLES)


def test_network_matrix_includes_blank_communities_ordered_by_id_and_totals():
    communities = {"b": community("b"), "a": community("a"), "z": community("z")}
    entries = [entry("One", "2020-01-01", "a", cycles={"applied": ("x",), "realised": ("y",)}),
               entry("Two", "2020-01-02", "b", cycles={"applied": ()})]
    network = views.network_matrix(communities, entries)
    assert [m.community.id for m in network.matrices] == ["a", "b", "z"]
    assert network.totals == {"immediate": 0, "potential": 0, "applied": 2, "realised": 1, "transformative": 0}
    assert network.matrices[2].rows == []
    assert network.most == 1


@pytest.mark.parametrize(("count", "most", "level"), [(0, 5, 0), (1, 5, 1), (3, 5, 2), (5, 5, 4), (2, 0, 0)])
def test_shade(count, most, level):
    assert views.shade(count, most) == level


def test_timeline_groups_by_year_and_month_newest_first():
    entries = [entry("A", "2019-06-04"), entry("B", "2019-06-20"), entry("C", "2020-01-02"),
               entry("D", "2019-03-01")]
    timeline = views.community_timeline(entries)
    shape = [(y.year, [(m.label, [i.entry.title for i in m.items]) for m in y.months]) for y in timeline.years]
    assert shape == [(2020, [("January 2020", ["C"])]),
                     (2019, [("June 2019", ["B", "A"]), ("March 2019", ["D"])])]
    assert timeline.count == 4


def test_paginate_keeps_order_and_size():
    entries = [entry(f"E{i:02d}", f"2020-01-{i:02d}") for i in range(1, 26)]
    pages = views.paginate(views.community_timeline(entries), 10)
    assert [p.count for p in pages] == [10, 10, 5]
    assert [i.entry.title for p in pages for i in p.items()] == [f"E{i:02d}" for i in range(25, 0, -1)]


def test_cycle_view_newest_first_with_statements():
    entries = [entry("Old", "2019-01-01", cycles={"applied": ("a1",)}),
               entry("New", "2021-01-01", cycles={"applied": ("a2", "a3"), "immediate": ()}),
               entry("Other", "2020-01-01", cycles={"immediate": ()})]
    view = views.cycle_view("applied", entries, {"c": community()})
    assert [(i.entry.title, i.statements) for i in view.items] == [("New", ("a2", "a3")), ("Old", ("a1",))]
    assert view.info.question.startswith("What difference has it made")


def test_cycle_views_in_one_pass_equal_each_cycle_view():
    entries = [entry("Old", "2019-01-01", cycles={"applied": ("a1",), "realised": ("r",)}),
               entry("New", "2021-01-01", cycles={"applied": ("a2",), "immediate": ()}),
               entry("Other", "2020-01-01", cycles={"immediate": ()})]
    every = views.cycle_views(entries, {"c": community()})
    assert list(every) == list(CYCLES)
    assert {cycle: [(i.entry.title, i.community_title, i.statements) for i in view.items]
            for cycle, view in every.items()} == {
        "immediate": [("New", "C", ()), ("Other", "C", ())],
        "potential": [],
        "applied": [("New", "C", ("a2",)), ("Old", "C", ("a1",))],
        "realised": [("Old", "C", ("r",))],
        "transformative": [],
    }
    assert [view.info.name for view in every.values()] == list(CYCLES)


def test_events_per_quarter_zero_fills():
    entries = [entry("E1", "2019-02-01", kind="event", attendees=10),
               entry("E2", "2019-03-01", kind="event", attendees=5),
               entry("E3", "2019-10-01", kind="event"),
               entry("S", "2019-05-01")]
    stats = [(q.label, q.events, q.attendees) for q in views.events_per_quarter(entries)]
    assert stats == [("2019 Q1", 2, 15), ("2019 Q2", 0, 0), ("2019 Q3", 0, 0), ("2019 Q4", 1, 0)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("# Heading\n\nFirst **bold** [link](x.md) and ![img](a.png) `code`.\n\nSecond.", "First bold link and code."),
        ("<script>evil()</script>Visible <b>text</b>", "Visible text"),
        ("```\ncode\n```\n\nAfter code.", "After code."),
        ("word " * 60, ("word " * 31).strip() + "…"),
    ],
)
def test_excerpt_is_plain_text(body, expected):
    assert views.excerpt(body) == expected


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


@pytest.mark.parametrize(
    ("page", "target", "link"),
    [
        ("communities/a/matrix/", "communities/a/x/", "../x/"),
        ("", "communities/a/", "communities/a/"),
        ("communities/a/x/", "", "../../../"),
        ("cycles/applied/", "value-creation/#applied", "../../value-creation/#applied"),
        ("timeline/page/2/", "timeline/", "../../"),
        ("communities/a/", "communities/a/", "./"),
        ("matrix/", "matrix.json", "../matrix.json"),
    ],
)
def test_relative_url(page, target, link):
    assert relative_url(page, target) == link


def test_matrix_html_has_every_statement_once_and_escapes_titles():
    c = community()
    entries = [entry("Tom <b>& Jerry", "2020-01-01", cycles={"applied": ("A < B",), "realised": ("R1", "R2")})]
    html = Renderer().community_matrix(views.community_matrix(c, entries), "communities/c/matrix/")
    assert html.count("A &lt; B") == 1 and html.count("R1") == 1 and html.count("R2") == 1
    assert "Tom &lt;b&gt;&amp; Jerry" in html and "<b>&" not in html
    # One blank-column prompt per cycle without evidence: immediate, potential, transformative.
    assert html.count("What would this look like?") == 3


def test_custom_template_overrides_the_packaged_one(tmp_path):
    (tmp_path / "cop-memory").mkdir()
    (tmp_path / "cop-memory" / "cycle.html").write_text("CUSTOM {{ view.info.name }}", encoding="utf-8")
    view = views.cycle_view("applied", [], {})
    assert Renderer(template_env([str(tmp_path)])).cycle_page(view, "cycles/applied/") == "CUSTOM applied"
    assert "CUSTOM" not in Renderer().cycle_page(view, "cycles/applied/")


def test_memo_reuses_a_result_while_its_inputs_are_the_same_objects():
    from generator.memo import Memo

    calls = []
    memo = Memo()
    one, two = entry("One", "2020-01-01"), entry("Two", "2020-01-02")
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert memo("view", ("u/", one, two), compute) == 1
    assert memo("view", ("u/", one, two), compute) == 1
    # An equal but new object (the file was read again) is a change.
    assert memo("view", ("u/", one, entry("Two", "2020-01-02")), compute) == 2
    assert Memo(enabled=False)("view", ("u/",), compute) == 3


def test_memo_holds_get_keep_and_forget():
    from generator.memo import Memo

    memo = Memo()
    one = entry("One", "2020-01-01")
    assert not memo.holds("x", (one,)) and memo.get("x", (one,), "none") == "none"
    assert memo.keep("x", (one, "u/", 2), "kept") == "kept"
    assert memo.holds("x", (one, "u/", 2)) and memo.get("x", (one, "u/", 2)) == "kept"
    # Strings and numbers by value, everything else by identity, and the length must match.
    assert not memo.holds("x", (one, "u/", 3)) and not memo.holds("x", (one, "u/"))
    assert not memo.holds("x", (entry("One", "2020-01-01"), "u/", 2))
    memo.forget()
    assert not memo.holds("x", (one, "u/", 2))
    off = Memo(enabled=False)
    off.keep("x", (one,), "kept")
    assert not off.holds("x", (one,))
