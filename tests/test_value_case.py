"""The value case without MkDocs: what publish keeps of follows and sources, the views (aims, capital,
journeys), the sources' HTML and text, and the export's additions (contract 9.2 and 9.4)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from importlib.resources import files

import jsonschema
import pytest
from conftest import community, entry, memory

from generator import aims, capital, journeys, sources, views
from generator.audience import publish, redact
from generator.export import matrix_csv, matrix_data, matrix_markdown, network_sources, row_data
from generator.model import Statement
from generator.review import review

SCHEMA = json.loads((files("generator") / "schema" / "matrix.schema.json").read_text("utf-8"))


def published(audience: str, *items, attachments=()):
    return publish(review(memory(*items, attachments=attachments)), audience)


def by_slug(publication):
    return {e.slug: e for e in publication.entries}


# ---------------------------------------------------------------------------------------------
# Publish: follows and sources as the audience may see them.


def test_follows_name_only_published_entries():
    items = (community("gd"), community("med", visibility="internal"),
             entry("gd", "first", date="2019-01-01"),
             entry("gd", "hidden", date="2019-02-01", visibility="internal"),
             entry("med", "launch", date="2019-03-01", visibility="internal"),
             entry("gd", "later", date="2020-01-01", follows=("first", "hidden", "med/launch")))
    assert by_slug(published("public", *items))["later"].follows == ("gd/first",)
    # Nothing hidden: the references stay as written (the same entry object passes through).
    assert by_slug(published("internal", *items))["later"].follows == ("first", "hidden", "med/launch")


def test_a_follows_through_a_former_slug_is_published_under_the_current_one():
    items = (community("gd"), entry("gd", "new", date="2019-01-01", aliases=("old",)),
             entry("gd", "later", date="2020-01-01", follows=("old",)))
    assert by_slug(published("public", *items))["later"].follows == ("gd/new",)


def statement_with(source: str) -> dict:
    return {"applied": (Statement("Changed", "records", source),)}


def test_a_source_link_is_kept_only_to_the_web_or_to_what_the_build_publishes():
    source = ("[audit](files/audit.pdf), [notes](../hidden.md), [site](https://example.org/a?b=1), "
              "[mail](mailto:x@example.org), [bad](javascript:alert(1)), [ftp](ftp://example.org/x), "
              "[there](<../first.md>) <a href='../hidden.md'>raw</a>")
    items = (community("gd"), entry("gd", "first", source="communities/gd/first.md"),
             entry("gd", "hidden", source="communities/gd/hidden.md", visibility="internal"),
             entry("gd", "e", source="communities/gd/2020/e.md", cycles=statement_with(source)))
    attachments = ["communities/gd/2020/files/audit.pdf"]
    public = by_slug(published("public", *items, attachments=attachments))["e"].cycles["applied"][0].source
    assert public == ('<a href="/communities/gd/2020/files/audit.pdf">audit</a>, notes, '
                      '<a href="https://example.org/a?b=1">site</a>, <a href="mailto:x@example.org">mail</a>, bad, '
                      'ftp, <a href="/communities/gd/first/">there</a> raw')
    internal = by_slug(published("internal", *items, attachments=attachments))["e"].cycles["applied"][0].source
    assert '<a href="/communities/gd/hidden/">notes</a>' in internal and "bad" in internal


def test_a_source_that_a_link_scan_would_miss_still_cannot_link_a_hidden_file():
    # A space inside <...> is not found by links.find_links; the rendered link is judged anyway.
    items = (community("gd"), community("med", visibility="internal"),
             entry("gd", "e", source="communities/gd/e.md",
                   cycles=statement_with("[x](<../med/secret plan.pdf>) [y][1]")))
    source = by_slug(published("public", *items, attachments=["communities/med/secret plan.pdf"]))["e"]
    assert "secret" not in source.cycles["applied"][0].source


def test_chatham_house_covers_showcase_and_statement_sources():
    e = entry("p", "e", attribution="chatham-house", people=("Zelda Quixote",), organisations=("Quixote Trust",),
              showcase="Zelda Quixote's account convinced the panel",
              cycles={"applied": (Statement("Changed", "self-report", "Interview with the Quixote Trust"),)})
    redacted = redact(e)
    assert redacted.showcase == "A member's account convinced the panel"
    assert redacted.cycles["applied"][0].source == "Interview with an organisation"


def test_source_html_makes_site_paths_relative_to_the_page_and_source_text_keeps_addresses():
    text = 'Audit &amp; notes: <a href="/communities/gd/files/a.pdf">audit</a>, <a href="https://x.org/">web</a>'
    assert str(sources.source_html(text, lambda to: "../../" + to)) == (
        'Audit &amp; notes: <a href="../../communities/gd/files/a.pdf">audit</a>, <a href="https://x.org/">web</a>')
    assert sources.source_text(text) == "Audit & notes: audit (/communities/gd/files/a.pdf), web (https://x.org/)"
    assert sources.source_text(None) == "" and str(sources.source_html(None, str)) == ""


def test_a_source_is_inline_text_never_a_heading_a_list_or_a_script():
    source = sources.published_source("# Audit *2020* <script>x()</script>\n- item", "communities/gd/e.md",
                                      lambda _: False, str)
    assert source == "# Audit <em>2020</em> - item"


# ---------------------------------------------------------------------------------------------
# Views: aims, capital, journeys.


def test_an_aim_has_evidence_only_when_an_entry_gives_a_statement_for_its_cycle():
    c = community("gd", aims={"immediate": (Statement("We meet"),), "applied": (Statement("Wards use it"),),
                              "realised": (Statement("Fewer admissions"), Statement("Shorter waits"))})
    matrix = views.community_matrix(c, [
        entry("gd", "event", kind="event", cycles={"immediate": (), "applied": ()}),
        entry("gd", "story", cycles={"realised": ("Admissions fell", "Waits fell")})])
    progress = aims.aim_progress(matrix)
    assert [(s.cycle, s.statements, s.evidenced) for s in progress.statuses] == [
        ("immediate", 0, False), ("applied", 0, False), ("realised", 2, True)]
    assert (progress.aimed, progress.evidenced) == (3, 1)
    assert [s.cycle for s in progress.waiting] == ["immediate", "applied"]
    assert progress.status("potential") is None
    assert aims.aim_progress(views.community_matrix(community("x"), [])).aimed == 0


def test_capital_views_list_entries_newest_first_and_counts_cover_every_kind():
    entries = [entry("gd", "old", date="2019-01-01", capital=("human", "social")),
               entry("gd", "new", date="2021-01-01", capital=("human",)), entry("gd", "none")]
    found = capital.capital_views(views.newest_first(entries), {"gd": community("gd", title="GD")})
    assert [i.entry.slug for i in found["human"].items] == ["new", "old"]
    assert found["human"].items[0].community_title == "GD"
    assert found["tangible"].items == [] and found["tangible"].info.label == "Tangible capital"
    assert capital.capital_counts(entries) == {"human": 2, "social": 1, "tangible": 0, "reputational": 0,
                                              "learning": 0}


def chain():
    """A published chain across two communities (follows already canonical), plus an entry on its own."""
    a = entry("gd", "a", date="2019-01-01", cycles={"immediate": (), "potential": ()})
    b = entry("gd", "b", date="2019-06-01", cycles={"applied": ("x",)}, follows=("gd/a",))
    c = entry("cc", "c", date="2020-01-01", cycles={"realised": ("y",)}, follows=("gd/b", "gd/a"))
    d = entry("gd", "d", date="2021-01-01", follows=("gd/b",))
    alone = entry("gd", "alone", date="2022-01-01", follows=("gd/gone",))
    return a, b, c, d, alone


def test_follow_links_give_builds_on_as_written_and_led_to_oldest_first():
    a, b, c, d, alone = chain()
    links = journeys.follow_links([d, c, b, a, alone])
    assert links.of(c) == ((b, a), ())
    assert links.of(b) == ((a,), (c, d))
    assert links.of(alone) == ((), ())


def test_journeys_are_connected_chains_of_two_or_more_crossing_communities():
    a, b, c, d, alone = chain()
    e1, e2 = entry("x", "e1", date="2018-01-01"), entry("x", "e2", date="2018-02-01", follows=("x/e1",))
    entries = [a, b, c, d, alone, e1, e2]
    found = journeys.journeys(entries, journeys.follow_links(entries))
    assert [[e.slug for e in j.entries] for j in found] == [["a", "b", "c", "d"], ["e1", "e2"]]
    first = found[0]
    assert first.communities == ["gd", "cc"] and first.cycles == ["immediate", "potential", "applied", "realised"]
    assert [(x.slug, y.slug) for x, y in first.links] == [("a", "b"), ("b", "c"), ("a", "c"), ("b", "d")]
    assert first.anchor == "journey-gd-a"
    assert journeys.anchors([found])["communities/cc/2020/2020-01-01-c.md"] == "journeys/#journey-gd-a"
    assert journeys.anchors([[found[0]], [found[1]]])["communities/x/2020/2018-02-01-e2.md"] == \
        "journeys/page/2/#journey-x-e1"


def test_journeys_are_paginated_by_entries_with_a_long_journey_alone_on_its_page():
    sizes = [3, 2, 6, 1, 1]
    found = [journeys.Journey([entry("gd", f"j{i}e{k}") for k in range(size)], []) for i, size in enumerate(sizes)]
    pages = journeys.paginate(found, 4)
    assert [[len(j.entries) for j in page] for page in pages] == [[3], [2], [6], [1, 1]]
    assert journeys.paginate([], 4) == [[]]


def test_a_journey_picture_puts_time_across_and_cycles_down_with_every_label_as_text():
    a, b, c, d, _ = chain()
    journey = journeys.journeys([a, b, c, d], journeys.follow_links([a, b, c, d]))[0]
    picture = journeys.journey_picture(journey, 1, {"gd": "Gestational diabetes", "cc": "Catheter care"})
    nodes = picture["nodes"]
    assert [n["x"] for n in nodes] == sorted(n["x"] for n in nodes)  # oldest on the left
    rows = {row["text"]: row["y"] for row in picture["rows"]}
    # Immediate down to the furthest cycle reached (realised), then a row for an entry naming none.
    assert list(rows) == ["Immediate", "Potential", "Applied", "Realised", "No cycle"]
    assert [(n["cycle"], n["y"]) for n in nodes] == [("potential", rows["Potential"]), ("applied", rows["Applied"]),
                                                    ("realised", rows["Realised"]), ("none", rows["No cycle"])]
    assert nodes[0]["top"] == rows["Immediate"]  # entry a drawn across immediate and potential
    assert len(picture["arrows"]) == 4
    assert nodes[2]["facts"] == ["2020-01-01", "Catheter care"]  # a journey across communities names them
    assert picture["description"].startswith("4 entries of Gestational diabetes and Catheter care, from 2019-01-01 "
                                             "to 2021-01-01, reaching immediate, potential, applied and realised value")
    assert "c (realised), building on b and a" in picture["description"]


def test_a_journey_too_long_to_draw_has_no_picture():
    start = dt.date(2020, 1, 1)
    entries = [entry("gd", f"e{i}", date=start + dt.timedelta(days=i), follows=(f"gd/e{i - 1}",) if i else ())
               for i in range(journeys.MOST_DRAWN + 1)]
    [journey] = journeys.journeys(entries, journeys.follow_links(entries))
    assert journeys.journey_picture(journey, 1, {}) is None


def test_long_titles_are_wrapped_on_at_most_two_lines():
    long = entry("gd", "long", title="A very long title that goes on and on about the passport and its results")
    other = entry("gd", "next", date="2020-02-01", follows=("gd/long",))
    [journey] = journeys.journeys([long, other], journeys.follow_links([long, other]))
    lines = journeys.journey_picture(journey, 1, {})["nodes"][0]["lines"]
    assert len(lines) == 2 and lines[-1].endswith("…") and all(len(line) <= journeys.LABEL_WIDTH for line in lines)


# ---------------------------------------------------------------------------------------------
# Exports (9.4).


def value_case_publication(audience: str = "internal"):
    return published(
        audience,
        community("gd", aims={"applied": (Statement("Wards use it"),)}),
        entry("gd", "first", date="2019-01-01", cycles={"immediate": ()}),
        entry("gd", "hidden", date="2019-02-01", visibility="internal", cycles={"immediate": ()}),
        entry("gd", "story", date="2020-01-01", follows=("first", "hidden"), capital=("tangible",),
              showcase="Chosen for its figures",
              cycles={"applied": (Statement("Wards use it", "observation", "=cmd|' /C calc'!A0"),
                                  Statement("Second")),
                      "realised": ()}))


def test_row_additions_appear_only_where_present_and_evidence_aligns_with_cells():
    publication = value_case_publication()
    matrix = views.community_matrix(publication.communities["gd"], publication.entries)
    rows = {row.entry.slug: row_data(row) for row in matrix.rows}
    assert set(rows["first"]) == {"entry", "title", "date", "kind", "cells"}
    story = rows["story"]
    assert story["follows"] == ["/communities/gd/first/", "/communities/gd/hidden/"]
    assert story["capital"] == ["tangible"] and story["showcase"] == "Chosen for its figures"
    assert story["evidence"] == {"applied": ["observation", None], "realised": []}
    assert {cycle: len(s) for cycle, s in story["evidence"].items()} == {c: len(s) for c, s in story["cells"].items()}
    public = value_case_publication("public")
    public_rows = {r.entry.slug: row_data(r) for r in
                   views.community_matrix(public.communities["gd"], public.entries).rows}
    assert public_rows["story"]["follows"] == ["/communities/gd/first/"]


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_value_case_export_validates_and_old_fields_keep_their_shape(audience):
    publication = value_case_publication(audience)
    data = matrix_data(views.network_matrix(publication.communities, publication.entries), audience)
    jsonschema.validate(data, SCHEMA)
    [gd] = data["communities"]
    assert gd["aims"] == {"applied": ["Wards use it"]}
    assert list(gd) == ["id", "title", "url", "counts", "aims", "rows"]


def test_the_schema_rejects_an_unknown_evidence_kind_and_a_follows_outside_the_site():
    publication = value_case_publication()
    data = matrix_data(views.network_matrix(publication.communities, publication.entries), "internal")
    row = data["communities"][0]["rows"][-1]
    row["evidence"]["applied"][0] = "anecdote"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    row["evidence"]["applied"][0] = None
    row["follows"] = ["https://example.org/x/"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_csv_has_evidence_and_source_after_statement_and_no_formula_cells():
    publication = value_case_publication()
    network = views.network_matrix(publication.communities, publication.entries)
    rows = list(csv.reader(io.StringIO(matrix_csv(matrix_data(network, "internal"), network_sources(network)))))
    assert rows[0][-3:] == ["statement", "evidence", "source"]
    assert ["applied", "Wards use it", "observation", "'=cmd|' /C calc'!A0"] in [r[5:] for r in rows]
    assert ["applied", "Second", "", ""] in [r[5:] for r in rows]


def test_markdown_matrix_escapes_users_text():
    publication = published("internal", community("gd"),
                            entry("gd", "e", title="A | *bold* [link](x) 2 < 3", cycles={"applied": ("_x_ | y",)}))
    text = matrix_markdown(matrix_data(views.network_matrix(publication.communities, publication.entries),
                                       "internal"))
    assert r"[A \| \*bold\* \[link\](x) 2 \< 3](/communities/gd/e/)" in text
    assert r"\_x\_ \| y" in text


def test_the_sources_of_aims_follow_the_audience_rules_too():
    c = community("gd", aims={"applied": (Statement("Wards use it", None,
                                                    "[plan](../med/plan.md) <script>x()</script>"),)})
    publication = published("public", c, community("med", visibility="internal"),
                            entry("med", "plan", source="communities/med/plan.md", visibility="internal"))
    assert publication.communities["gd"].aims["applied"][0].source == "plan"


def test_source_html_never_marks_unpublished_markup_safe():
    html = str(sources.source_html('<script>x()</script><a href="javascript:y()" onclick="z()">a</a> <b>b</b>',
                                   str))
    assert "script" not in html and "javascript" not in html and "onclick" not in html and "<b>b</b>" in html
