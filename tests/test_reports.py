"""Reports (contract 9.3): the model from published entries, its JSON and schema, its Markdown, and one
report of the demo network checked number by number against figures computed by hand."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from conftest import community, entry, memory

from generator.audience import publish
from generator.loader import load
from generator.model import Statement
from generator.periods import Period
from generator.reports import (
    ReportIndex,
    aims_without_evidence,
    first_evidence,
    highlights,
    md_escape,
    report_data,
    report_json,
    report_markdown,
)
from generator.review import review

SCHEMA = json.loads((files("generator") / "schema" / "report.schema.json").read_text("utf-8"))
CONTENT = Path(__file__).resolve().parents[1] / "content"
D = dt.date


def index_of(*items, audience="internal") -> ReportIndex:
    publication = publish(memory(*items), audience)
    return ReportIndex(publication.communities, publication.entries, audience)


# ---------------------------------------------------------------------------------------------
# The two shared definitions.


def test_an_aim_is_evidenced_by_a_statement_of_its_cycle_on_or_before_the_date():
    aims = {"applied": (Statement("Every ward uses it"),), "realised": (Statement("Fewer admissions"),)}
    c = community("c", aims=aims)
    evidence = first_evidence([entry(slug="a", date="2020-05-01", cycles={"applied": ["x"]}),
                               entry(slug="b", date="2020-02-01", cycles={"applied": ["y"]}),
                               # Naming a cycle without a statement makes no claim (aims.py's rule).
                               entry(slug="tick", date="2019-06-01", cycles={"applied": [], "realised": []}),
                               entry("other", "z", date="2019-01-01", cycles={"realised": ["z"]})])
    assert evidence == {"c": {"applied": D(2020, 2, 1)}, "other": {"realised": D(2019, 1, 1)}}
    assert list(aims_without_evidence(c, evidence["c"], D(2020, 1, 31))) == ["applied", "realised"]
    assert list(aims_without_evidence(c, evidence["c"], D(2020, 2, 1))) == ["realised"]
    # Another community's evidence does not count.
    assert aims_without_evidence(c, evidence["c"], D(2030, 1, 1)) == {"realised": aims["realised"]}
    assert aims_without_evidence(community("none"), {}, D(2030, 1, 1)) == {}


def test_highlights_are_showcased_entries_newest_first():
    found = highlights([entry(slug="old", date="2020-01-01", showcase="First"),
                        entry(slug="plain", date="2021-01-01"),
                        entry(slug="new", date="2020-06-01", showcase="Second")])
    assert [(e.slug, e.showcase) for e in found] == [("new", "Second"), ("old", "First")]


# ---------------------------------------------------------------------------------------------
# The model.


def small_network(audience="internal") -> ReportIndex:
    return index_of(
        community("a", aims={"transformative": (Statement("A new measure of success"),)}),
        community("b", started=D(2021, 1, 1)),
        community("closed", ended=D(2019, 12, 31)),
        entry("a", "event-q2", date="2020-05-01", kind="event", cycles={"immediate": []}, attendees=30),
        entry("a", "story-q3", date="2020-08-01", kind="story", cycles={"immediate": ["met"], "applied": ["did"]},
              showcase="Why"),
        entry("a", "event-q3", date="2020-09-01", kind="event", attendees=12, visibility="internal"),
        entry("a", "note-q3", date="2020-09-30", measures={"members": 40}),
        entry("a", "note-q2", date="2020-06-30", measures={"members": 31}),
        entry("b", "later", date="2021-02-01", kind="story", cycles={"transformative": ["new"]}),
        entry("closed", "old", date="2019-06-01"),
        audience=audience)


def test_a_quarter_counts_its_entries_cycles_and_changes():
    report = small_network().report(Period(2020, 3))
    assert [c.community.id for c in report.communities] == ["a"]  # b had not begun, closed had ended
    a = report.communities[0]
    assert [e.slug for e in a.entries] == ["story-q3", "event-q3", "note-q3"]
    assert (a.tally.entries, a.tally.stories, a.tally.events, a.tally.attendees) == (3, 1, 1, 12)
    assert a.counts.counts == {"immediate": 1, "potential": 0, "applied": 1, "realised": 0, "transformative": 0}
    assert a.counts.previous == {"immediate": 1, "potential": 0, "applied": 0, "realised": 0, "transformative": 0}
    assert a.counts.change == {"immediate": 0, "potential": 0, "applied": 1, "realised": 0, "transformative": 0}
    assert [row.entry.slug for row in a.matrix.rows] == ["story-q3"]
    assert [(f.name, f.value, f.previous, f.change) for f in a.figures] == [("members", 40, 31, 9)]
    assert list(a.open_aims) == ["transformative"]
    assert [e.slug for e in a.highlights] == ["story-q3"]
    assert report.tally == a.tally and report.counts == a.counts


def test_the_public_report_counts_only_public_entries():
    a = small_network("public").report(Period(2020, 3)).communities[0]
    assert [e.slug for e in a.entries] == ["story-q3", "note-q3"]
    assert (a.tally.events, a.tally.attendees) == (0, 0)


def test_a_year_is_compared_with_the_year_before():
    report = small_network().report(Period(2020))
    assert report.previous == Period(2019)
    assert report.tally.entries == 5 and report.tally.attendees == 42
    assert report.counts.previous == dict.fromkeys(report.counts.previous, 0)


def test_a_period_with_nothing_in_it_says_so():
    report = small_network().report(Period(2020, 4))
    assert report.is_empty and report.tally.entries == 0
    assert "Nothing was recorded in this period." in report_markdown(report)


def test_one_community_even_outside_its_active_years():
    report = small_network().report(Period(2020, 3), "b")
    assert [c.community.id for c in report.communities] == ["b"] and report.is_empty
    assert report.title == "B: report for 2020 Q3"
    with pytest.raises(KeyError):
        small_network().report(Period(2020, 3), "nope")


def test_periods_run_from_the_first_dated_entry_to_the_last():
    assert [p.slug for p in small_network().periods][:3] == ["2019", "2019-q2", "2019-q3"]
    assert small_network().periods[-1] == Period(2021, 1)
    assert small_network("public").periods[0] == Period(2019)


def test_json_validates_and_rejects_what_it_should():
    data = report_data(small_network().report(Period(2020, 3)))
    jsonschema.validate(data, SCHEMA)
    assert json.loads(report_json(small_network().report(Period(2020, 3)))) == data
    broken = json.loads(json.dumps(data))
    broken["communities"][0]["measures"][0]["value"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)
    broken = json.loads(json.dumps(data))
    broken["period"] = "2020-q5"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


@pytest.mark.parametrize(("text", "escaped"), [
    ("A | B", r"A \| B"),
    ("*bold* and _it_", r"\*bold\* and \_it\_"),
    ("[link](https://x.example)", r"\[link\](https://x.example)"),
    ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
    ("`code` ~~gone~~ back\\slash", r"\`code\` \~\~gone\~\~ back\\slash"),
    ("two\nlines", "two lines"),
    ("Plain words, 58% (of 124).", "Plain words, 58% (of 124)."),
])
def test_markdown_escapes_user_text(text, escaped):
    assert md_escape(text) == escaped


def test_markdown_holds_no_html_and_every_table_row_has_its_cells():
    index = index_of(community("a", title="A | <b>B</b>"),
                     entry("a", "s", date="2020-08-01", kind="story", title="T | *x* 1 < 2",
                           cycles={"applied": ["did | that"]}, showcase="<script>z</script>"))
    text = report_markdown(index.report(Period(2020, 3)))
    assert not re.search(r"(?<!\\)<[a-z/]", text)
    tables = re.findall(r"(?:^\|.*\n)+", text, re.M)
    assert len(tables) == 5
    for table in tables:
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines()}
        assert len(widths) == 1, table
    assert r"T \| \*x\* 1 \< 2" in text
    assert r"\<script\>z\</script\>" in text
    assert r"did \| that" in text


# ---------------------------------------------------------------------------------------------
# One report of the demo network, every number computed by hand from content/.
#
# Peer support, 2020 Q3 (July to September 2020), compared with 2020 Q2:
#   in 2020 Q3: 2020-09-09 funder-conversation (story, public: immediate, applied, transformative)
#               2020-09-23 measures-2020-q3 (note, internal: members 55, mailing-list 96,
#                          organisations-involved 45, emails-sent 5, opened 58%, clicked 22%)
#   in 2020 Q2: 2020-05-20 online-exchange (event, public, 44 attendees: immediate)
#               2020-06-17 online-group-went-quiet (story, internal: immediate, applied)
#               2020-06-24 measures-2020-q2 (note, internal: members 52, mailing-list 89,
#                          organisations-involved 41, emails-sent 8, opened 70%, clicked 33%)
#   aims (charter): immediate, applied, realised, transformative; by 2020-09-30 its entries had named
#   immediate (2019-05-10), potential, applied (2019-10-02) and transformative (2020-09-09), not realised
#   (first named on 2021-07-07).


@pytest.fixture(scope="module")
def demo():
    return review(load(str(CONTENT), display_dir="content"))


def demo_report(demo, audience: str, period: str, community: str | None = None) -> dict:
    publication = publish(demo, audience)
    data = report_data(ReportIndex(publication.communities, publication.entries, audience)
                       .report(Period.parse(period), community))
    jsonschema.validate(data, SCHEMA)
    return data


def test_the_demo_content_is_clean(demo):
    assert [str(p) for p in demo.problems] == []


def test_peer_support_2020_q3_internal_by_hand(demo):
    data = demo_report(demo, "internal", "2020-q3", "peer-support")
    assert (data["period"], data["start"], data["end"], data["previous"], data["community"]) == (
        "2020-q3", "2020-07-01", "2020-09-30", "2020-q2", "peer-support")
    [part] = data["communities"]
    assert [(e["date"], e["kind"]) for e in part["entries"]] == [("2020-09-09", "story"), ("2020-09-23", "note")]
    assert (part["entries"][0]["title"], part["entries"][0]["attendees"]) == ("A funder changes what it asks for", None)
    assert (part["stories"], part["events"], part["attendees"]) == (1, 0, 0)
    assert part["counts"] == {"immediate": 1, "potential": 0, "applied": 1, "realised": 0, "transformative": 1}
    assert part["previous_counts"] == {"immediate": 2, "potential": 0, "applied": 1, "realised": 0,
                                       "transformative": 0}
    assert part["change"] == {"immediate": -1, "potential": 0, "applied": 0, "realised": 0, "transformative": 1}
    assert [(m["name"], m["value"], m["previous"], m["change"], m["date"], m["previous_date"])
            for m in part["measures"]] == [
        ("members", 55, 52, 3, "2020-09-23", "2020-06-24"),
        ("mailing-list", 96, 89, 7, "2020-09-23", "2020-06-24"),
        ("organisations-involved", 45, 41, 4, "2020-09-23", "2020-06-24"),
        ("emails-sent", 5, 8, -3, "2020-09-23", "2020-06-24"),
        ("emails-opened-percent", 58, 70, -12, "2020-09-23", "2020-06-24"),
        ("emails-clicked-percent", 22, 33, -11, "2020-09-23", "2020-06-24"),
    ]
    assert list(part["aims_without_evidence"]) == ["realised"]
    assert [(h["date"], h["title"]) for h in part["highlights"]] == [("2020-09-09", "A funder changes what it asks for")]
    # The community follows the Chatham House rule: the funder it names is redacted in the reason too.
    assert "Coastal Community Fund" not in json.dumps(data)
    assert "an organisation now asks its groups" in part["highlights"][0]["reason"].lower()
    network = data["network"]
    assert (network["entries"], network["stories"], network["events"], network["attendees"]) == (2, 1, 0, 0)
    assert network["change"] == part["change"]


def test_peer_support_2020_q3_public_by_hand(demo):
    [part] = demo_report(demo, "public", "2020-q3", "peer-support")["communities"]
    # Only the funder story is public; of 2020 Q2, only the online exchange.
    assert [e["entry"] for e in part["entries"]] == ["/communities/peer-support/funder-conversation/"]
    assert (part["stories"], part["events"], part["attendees"]) == (1, 0, 0)
    assert part["previous_counts"] == {"immediate": 1, "potential": 0, "applied": 0, "realised": 0,
                                       "transformative": 0}
    assert part["change"] == {"immediate": 0, "potential": 0, "applied": 1, "realised": 0, "transformative": 1}
    assert part["measures"] == []  # every quarterly note of peer support is internal
    assert list(part["aims_without_evidence"]) == ["realised"]
    assert len(part["highlights"]) == 1


def test_the_network_in_2020_q4_by_hand(demo):
    # catheter-care: infection-measure (story), figures-2020-q4 (note); gestational-diabetes: none;
    # medicines-adherence: gp-practice-pharmacists (event, 22), steering-group-figures-2020 (note);
    # peer-support: exchange-of-practice (story), measures-2020-q4 (note);
    # vaccine-confidence (first met 2020-12-10): first-call (event, 23). Falls prevention began in 2021.
    data = demo_report(demo, "internal", "2020-q4")
    network = data["network"]
    assert (network["entries"], network["stories"], network["events"], network["attendees"]) == (7, 2, 2, 45)
    assert [(c["id"], len(c["entries"])) for c in data["communities"]] == [
        ("catheter-care", 2), ("gestational-diabetes", 0), ("medicines-adherence", 2), ("peer-support", 2),
        ("vaccine-confidence", 1)]
    assert [h["entry"] for h in network["highlights"]] == ["/communities/catheter-care/infection-measure/"]
    # Public: medicines adherence is internal, and so is peer support's quarterly note.
    public = demo_report(demo, "public", "2020-q4")
    assert [c["id"] for c in public["communities"]] == [
        "catheter-care", "gestational-diabetes", "peer-support", "vaccine-confidence"]
    assert (public["network"]["entries"], public["network"]["events"], public["network"]["attendees"]) == (4, 1, 23)
