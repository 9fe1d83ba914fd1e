"""The loader, rule by rule, without MkDocs: values read, and every problem at its path:line."""

from __future__ import annotations

import datetime as dt
import os
import textwrap

import pytest

from generator.loader import Loader, load
from generator.model import Statement

COMMUNITY = "---\ntitle: Gestational diabetes\ndomain: Diabetes in pregnancy\nvisibility: public\n" \
            "attribution: chatham-house\nstarted: 2018-09-20\nconveners: [Dana, Tomasz]\n---\nCharter.\n"


@pytest.fixture
def docs(tmp_path):
    (tmp_path / "communities" / "gd").mkdir(parents=True)
    (tmp_path / "communities" / "gd" / "index.md").write_text(COMMUNITY, encoding="utf-8")
    return tmp_path


def write(docs, relative: str, text: str | bytes) -> None:
    path = docs / "communities" / "gd" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def problems(docs) -> list[str]:
    return [str(p) for p in load(docs, display_dir="docs").problems]


def test_a_valid_story_loads_with_aliases_order_and_defaults(docs):
    write(docs, "2019/events/2019-06-04-gtt-policy.md", """\
        ---
        title: GTT policy
        date: 2019-06-04
        kind: story
        cycles:
          Realized: [Cut to a week, Fewer missed tests]
          1: We met
          REFRAMING:
          applied: Policy changed
        capital: [Tangible, social]
        people: [Dana Whitfield]
        attendees: 0
        pin: true
        ---
        Body text.
        """)
    memory = load(docs, display_dir="docs")
    assert memory.problems == []
    community = memory.communities["gd"]
    assert (community.title, community.started, community.conveners, community.visibility) == (
        "Gestational diabetes", dt.date(2018, 9, 20), ("Dana", "Tomasz"), "public")
    [entry] = memory.entries
    assert entry.source == "communities/gd/2019/events/2019-06-04-gtt-policy.md"
    assert entry.slug == "gtt-policy" and entry.url == "communities/gd/gtt-policy/"
    assert {cycle: tuple(s.text for s in statements) for cycle, statements in entry.cycles.items()} == {
        "immediate": ("We met",), "applied": ("Policy changed",),
        "realised": ("Cut to a week", "Fewer missed tests"), "transformative": ()}
    assert list(entry.cycles) == ["immediate", "applied", "realised", "transformative"]
    assert entry.capital == ("tangible", "social")
    assert (entry.visibility, entry.attribution, entry.attendees, entry.pin) == ("internal", "chatham-house", 0, True)
    assert (entry.body, entry.body_line) == ("Body text.\n", 15)


@pytest.mark.parametrize(
    ("name", "front", "slug"),
    [
        ("2020-01-01-plain-name.md", "", "plain-name"),
        ("no-date.md", "", "no-date"),
        ("2020-01-01-x.md", "slug: chosen-one\n", "chosen-one"),
    ],
)
def test_slugs(docs, name, front, slug):
    write(docs, name, f"---\ntitle: T\ndate: 2020-01-01\n{front}---\n")
    [entry] = load(docs).entries
    assert entry.slug == slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ndate: 2020-01-01\n---\n", "docs/communities/gd/e.md:1: title: required field is missing "
         "(expected title: <text>, found nothing)"),
        ("---\ntitle: T\n---\n", "docs/communities/gd/e.md:1: date: required field is missing "
         "(expected date: YYYY-MM-DD, found nothing)"),
        ("---\ntitle: 2019\ndate: 2020-01-01\n---\n", "docs/communities/gd/e.md:2: title: must be text "
         "(expected text, found the number 2019); put it in quotes: title: \"2019\""),
        ("---\ntitle: T\ndate: 2020-01-01\nvisibility: no\n---\n", "docs/communities/gd/e.md:4: visibility: "
         "is not one of public, internal (expected public or internal, found the boolean false); write public "
         "or internal (a bare yes/no/true/false is read as a boolean)"),
        ("---\ntitle: T\ndate: 2020-01-01\nkind: sotry\n---\n", "docs/communities/gd/e.md:4: kind: is not one of "
         "story, event, note (expected story or event or note, found 'sotry'); did you mean 'story'?"),
        ("---\ntitle: T\ndate: 2020-01-01 10:00:00\n---\n", "docs/communities/gd/e.md:3: date: must be a date "
         "without a time (expected YYYY-MM-DD, found 2020-01-01 10:00:00); date: 2020-01-01"),
        ("---\ntitle: T\ndate: 2020-6-4\n---\n", "docs/communities/gd/e.md:3: date: is not a valid date "
         "(expected a date YYYY-MM-DD, e.g. 2019-06-04, found '2020-6-4')"),
        ("---\ntitle: T\ndate: 2020-01-01\ntags: solo\n---\n", "docs/communities/gd/e.md:4: tags: must be a list "
         "(expected a list, e.g. [a, b], found 'solo'); write tags: [solo]"),
        ("---\ntitle: T\ndate: 2020-01-01\ntags: [ok, 3]\n---\n", "docs/communities/gd/e.md:4: tags: item 2 must "
         "be text (expected text, found the number 3); put it in quotes: \"3\""),
        ("---\ntitle: T\ndate: 2020-01-01\nattendees: -3\n---\n", "docs/communities/gd/e.md:4: attendees: must be "
         "a whole number, 0 or more (expected e.g. 55, found the number -3)"),
        ("---\ntitle: T\ndate: 2020-01-01\npin: yes please\n---\n", "docs/communities/gd/e.md:4: pin: must be "
         "true or false (expected true or false, found 'yes please')"),
        ("---\ntitle: T\ndate: 2020-01-01\nslug: Not A Slug\n---\n", "docs/communities/gd/e.md:4: slug: must be "
         "lower-case letters, digits and hyphens (expected [a-z0-9-]+, found 'Not A Slug'); slug: not-a-slug"),
        ("---\ntitle: T\ndate: 2020-01-01\ncapital: [human, money]\n---\n", "docs/communities/gd/e.md:4: capital: "
         "'money' is not one of human, social, tangible, reputational, learning (expected human or social or "
         "tangible or reputational or learning, found 'money'); use one of human, social, tangible, "
         "reputational, learning"),
        ("---\ntitle: T\ndate: 2020-01-01\ncycles:\n  realised: a\n  realized: b\n---\n",
         "docs/communities/gd/e.md:6: cycles: the cycle 'realised' is named twice; merge the statements under "
         "one name"),
        ("---\ntitle: T\ndate: 2020-01-01\ncycles: [imediate]\n---\n", "docs/communities/gd/e.md:4: cycles: "
         "unknown cycle 'imediate' (expected immediate, potential, applied, realised, transformative, found "
         "'imediate'); did you mean 'immediate'?"),
        ("---\ntitle: T\ndate: 2020-01-01\ncycles: [6]\n---\n", "docs/communities/gd/e.md:4: cycles: unknown cycle "
         "'6' (expected immediate, potential, applied, realised, transformative, found '6'); use one of "
         "immediate, potential, applied, realised, transformative"),
        ("---\ntitle: T\ndate: 2020-01-01\ncycles:\n  applied: [[a, b]]\n---\n", "docs/communities/gd/e.md:5: "
         "cycles: the statements of 'applied' must be text or a list of text (expected applied: What changed, "
         "found a list); put each statement in quotes"),
        ("---\ntitle: T\ndate: 2020-01-01\ncycles:\n  applied: {a: b}\n---\n", "docs/communities/gd/e.md:5: "
         "cycles: a statement of 'applied' written as a mapping needs its text (expected text: What changed, "
         "found nothing); add text: with the statement, in quotes if it holds ': '"),
        ("---\ntitle: T\ndate: 2020-01-01\ncycles:\n  applied: x\n  applied: y\n---\n", "docs/communities/gd/e.md:6: "
         "applied: duplicate key 'applied' (first on line 5); keep one of them"),
        ("---\ntitle: T\ndate: 2020-01-01\ncycle: [applied]\n---\n", "docs/communities/gd/e.md:4: cycle: unknown "
         "field; it is ignored; did you mean 'cycles'? [warning]"),
        ("---\ntitle: T\ndate: 2020-01-01\nslug: feed\n---\n", "docs/communities/gd/e.md:4: slug: the slug 'feed' "
         "is reserved for the community's own page (expected any slug but feed, matrix, timeline, found "
         "'feed'); slug: feed-notes"),
        ("text first\n---\ntitle: T\n---\n", "docs/communities/gd/e.md:1: front matter: front matter must start on "
         "line 1 (expected ---, found 'text first'); begin the file with --- then title: and date: lines, then ---"),
        ("---\n---\nbody\n", "docs/communities/gd/e.md:1: front matter: the front matter is empty (expected "
         "fields such as title: and date:, found nothing)"),
    ],
)
def test_each_rule_reports_path_line_field(docs, text, expected):
    write(docs, "e.md", text)
    memory = load(docs, display_dir="docs")
    assert expected in [str(p) for p in memory.problems]
    if "[warning]" not in expected:
        assert memory.failed == ["communities/gd/e.md"] and memory.entries == []


def test_crlf_keeps_line_numbers(docs):
    write(docs, "e.md", b"---\r\ntitle: T\r\ndate: 2020-01-01\r\n\r\nkind: sotry\r\n---\r\nBody\r\n")
    assert problems(docs)[0].startswith("docs/communities/gd/e.md:5: kind:")


def test_every_problem_of_every_file_is_collected(docs):
    write(docs, "a.md", "---\ntitle: A\ndate: nope\nkind: sotry\n---\n")
    write(docs, "sub/b.md", "---\ntitle: [B]\ndate: 2020-01-01\n---\n")
    write(docs, "c.md", "---\ntitle: C\ndate: 2020-01-01\n---\n")
    memory = load(docs, display_dir="docs")
    assert [(p.path, p.line, p.field) for p in memory.problems] == [
        ("docs/communities/gd/a.md", 3, "date"), ("docs/communities/gd/a.md", 4, "kind"),
        ("docs/communities/gd/sub/b.md", 2, "title")]
    assert [e.slug for e in memory.entries] == ["c"]
    assert memory.failed == ["communities/gd/a.md", "communities/gd/sub/b.md"]


def test_every_entry_file_is_published_or_failed(docs):
    write(docs, "good.md", "---\ntitle: Good\ndate: 2020-01-01\n---\n")
    write(docs, "bad.md", "---\ntitle: Bad\n---\n")
    write(docs, "x/same.md", "---\ntitle: One\ndate: 2020-01-01\n---\n")
    write(docs, "y/same.md", "---\ntitle: Two\ndate: 2020-01-01\n---\n")
    write(docs, "notes.pdf", b"%PDF")
    memory = load(docs)
    markdown = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")} - {"communities/gd/index.md"}
    assert {e.source for e in memory.entries} | set(memory.failed) == markdown
    assert not {e.source for e in memory.entries} & set(memory.failed)
    assert memory.attachments == ["communities/gd/notes.pdf"]


def test_broken_community_takes_its_entries_out_and_says_so(docs):
    (docs / "communities" / "gd" / "index.md").write_text("---\ntitle: GD\n---\n", encoding="utf-8")
    write(docs, "e.md", "---\ntitle: T\ndate: 2020-01-01\n---\n")
    assert problems(docs) == [
        "docs/communities/gd/index.md:1: domain: required field is missing (expected domain: <text>, found nothing)",
        "docs/communities/gd/index.md:1: community: the community has errors; its 1 entries are left out; "
        "fix the errors above",
    ]


def test_a_community_folder_name_outside_a_z_is_a_warning(tmp_path):
    (tmp_path / "communities" / "Big Group").mkdir(parents=True)
    (tmp_path / "communities" / "Big Group" / "index.md").write_text("---\ntitle: B\ndomain: D\n---\n")
    memory = load(tmp_path, display_dir="docs")
    assert [str(p) for p in memory.problems] == [
        "docs/communities/Big Group/index.md:1: community: the folder name 'Big Group' is used in URLs (expected "
        "lower-case letters, digits and hyphens, found Big Group); rename the folder to 'big-group' [warning]"]
    assert "Big Group" in memory.communities


def test_the_cache_rereads_only_changed_files(docs):
    for n in range(3):
        write(docs, f"e{n}.md", f"---\ntitle: E{n}\ndate: 2020-01-0{n + 1}\n---\n")
    loader = Loader()
    first = loader.load(docs)
    assert loader.parses == 4
    write(docs, "e1.md", "---\ntitle: E1 edited\ndate: 2020-01-02\n---\nlonger now\n")
    second = loader.load(docs)
    assert loader.parses == 5
    assert [e.title for e in second.entries] == ["E0", "E1 edited", "E2"]
    # Unchanged files give the very same objects (the serve-time memo relies on it).
    assert second.entries[0] is first.entries[0] and second.entries[1] is not first.entries[1]
    assert Loader(cache=False).load(docs).entries[0] is not first.entries[0]


def test_an_unchanged_community_is_reused_and_still_reports_its_problems(docs):
    write(docs, "good.md", "---\ntitle: Good\ndate: 2020-01-01\n---\n")
    write(docs, "bad.md", "---\ntitle: Bad\ndate: 2020-13-01\n---\n")
    loader = Loader()
    first = loader.load(docs, display_dir="docs")
    second = loader.load(docs, display_dir="docs")
    assert loader.parses == 3
    assert second.entries[0] is first.entries[0]
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems] != []
    assert second.failed == first.failed == ["communities/gd/bad.md"]


def test_a_changed_community_attribution_reaches_entries_that_inherit_it(docs):
    write(docs, "inherits.md", "---\ntitle: Inherits\ndate: 2020-01-01\n---\n")
    write(docs, "named.md", "---\ntitle: Named\ndate: 2020-01-02\nattribution: named\n---\n")
    loader = Loader()
    first = {e.title: e for e in loader.load(docs).entries}
    assert first["Inherits"].attribution == "chatham-house" and first["Named"].attribution == "named"
    (docs / "communities" / "gd" / "index.md").write_text(COMMUNITY.replace("chatham-house", "named") + "\n",
                                                         encoding="utf-8")
    second = {e.title: e for e in loader.load(docs).entries}
    assert second["Inherits"].attribution == "named" and second["Named"] is first["Named"]


def test_an_unreadable_folder_is_reported_not_skipped(docs, monkeypatch):
    write(docs, "locked/e.md", "---\ntitle: E\ndate: 2020-01-01\n---\n")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    # Tests may run as root, which chmod cannot lock out.
    monkeypatch.setattr(os, "scandir", scandir)
    assert problems(docs) == [
        "docs/communities/gd/locked:1: folder: the folder cannot be read; its files are left out; "
        "check its permissions"]


SECTION_9_RULES = [
    # (file, text, expected problem)
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nfollows: gtt-policy\n---\n",
     "docs/communities/gd/e.md:4: follows: must be a list (expected a list, e.g. [a, b], found 'gtt-policy'); "
     "write follows: [gtt-policy]"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nfollows: [The GTT policy]\n---\n",
     "docs/communities/gd/e.md:4: follows: 'The GTT policy' is not a reference to an entry (expected <slug> or "
     "<community>/<slug>, found 'The GTT policy'); write the entry's slug (its URL's last part), e.g. gtt-policy"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nshowcase: 3\n---\n",
     "docs/communities/gd/e.md:4: showcase: must be text (expected text, found the number 3); put it in quotes: "
     "showcase: \"3\""),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\naliases: [Old Name]\n---\n",
     "docs/communities/gd/e.md:4: aliases: 'Old Name' is not a slug (expected [a-z0-9-]+, found 'Old Name'); "
     "write the old slug as it was in the URL, e.g. old-name"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\naliases: [matrix]\n---\n",
     "docs/communities/gd/e.md:4: aliases: the slug 'matrix' is reserved for the community's own page (expected "
     "any slug but feed, matrix, timeline, found 'matrix'); remove it: no entry ever had this address"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nmeasures: [members]\n---\n",
     "docs/communities/gd/e.md:4: measures: must be a mapping measure: number (expected e.g. members: 118, found "
     "a list); write one line per measure, e.g. measures: {members: 40}"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nmeasures:\n  Mailing List: 3\n---\n",
     "docs/communities/gd/e.md:5: measures: the measure name 'Mailing List' is not lower-case letters, digits and "
     "hyphens (expected [a-z0-9-]+, found 'Mailing List'); write it as 'mailing-list'"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nmeasures:\n  members: -4\n---\n",
     "docs/communities/gd/e.md:5: measures: the measure 'members' must be a number, 0 or more (expected e.g. 118 "
     "or 57.5, found the number -4); write the figure alone, without units or commas"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nmeasures:\n  members: 1,200\n---\n",
     "docs/communities/gd/e.md:5: measures: the measure 'members' must be a number, 0 or more (expected e.g. 118 "
     "or 57.5, found '1,200'); write the figure alone, without units or commas"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nmeasures:\n  emails-opened-percent: 140\n---\n",
     "docs/communities/gd/e.md:5: measures: the measure 'emails-opened-percent' is a percentage, 0 to 100 "
     "(expected 0 to 100, found the number 140); write the percentage, not the count"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nmeasures:\n  member: 40\n---\n",
     "docs/communities/gd/e.md:5: measures: the measure 'member' is not one with a fixed meaning; it is shown "
     "under its own name (expected members, mailing-list, organisations-involved, emails-sent, "
     "emails-opened-percent, emails-clicked-percent, survey-responses, found 'member'); did you mean 'members'? "
     "[warning]"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\nmeasures:\n  mailinglist: 40\n---\n",
     "docs/communities/gd/e.md:5: measures: the measure 'mailinglist' is not one with a fixed meaning; it is "
     "shown under its own name (expected members, mailing-list, organisations-involved, emails-sent, "
     "emails-opened-percent, emails-clicked-percent, survey-responses, found 'mailinglist'); did you mean "
     "'mailing-list'? [warning]"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\ncycles:\n  applied:\n    text: Changed\n    evidence: anecdote\n---\n",
     "docs/communities/gd/e.md:5: cycles: the evidence of a statement of 'applied' is not one of self-report, "
     "observation, survey, records, evaluation (expected self-report or observation or survey or records or "
     "evaluation, found 'anecdote'); use one of self-report, observation, survey, records, evaluation"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\ncycles:\n  applied:\n    text: Changed\n    evidence: survy\n---\n",
     "docs/communities/gd/e.md:5: cycles: the evidence of a statement of 'applied' is not one of self-report, "
     "observation, survey, records, evaluation (expected self-report or observation or survey or records or "
     "evaluation, found 'survy'); did you mean 'survey'?"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\ncycles:\n  applied:\n    text: Changed\n    sauce: x\n---\n",
     "docs/communities/gd/e.md:5: cycles: a statement of 'applied' has an unknown key 'sauce'; it is ignored "
     "(expected text, evidence, source, found 'sauce'); did you mean 'source'? [warning]"),
    ("e.md", "---\ntitle: T\ndate: 2020-01-01\ncycles:\n  applied:\n    text: Changed\n    source: 2020\n---\n",
     "docs/communities/gd/e.md:5: cycles: the source of a statement of 'applied' must be text or a link (expected "
     "source: Clinic audit, March 2020, found the number 2020); put the source in quotes"),
    ("index.md", "---\ntitle: G\ndomain: D\naims: [applied]\n---\n",
     "docs/communities/gd/index.md:4: aims: must be a mapping cycle: what the community hopes to see (expected "
     "e.g. applied: Every ward uses the new checklist, found a list); write one line per cycle, e.g. aims: "
     "{applied: ...}"),
    ("index.md", "---\ntitle: G\ndomain: D\naims:\n  aplied: More of it\n---\n",
     "docs/communities/gd/index.md:5: aims: unknown cycle 'aplied' (expected immediate, potential, applied, "
     "realised, transformative, found 'aplied'); did you mean 'applied'?"),
    ("index.md", "---\ntitle: G\ndomain: D\nstarted: 2020-05-01\nended: 2019-05-01\n---\n",
     "docs/communities/gd/index.md:5: ended: the community cannot end before it started (expected a date on or "
     "after 2020-05-01 (started:), found 2019-05-01); check the year of ended: and started:"),
]


@pytest.mark.parametrize(("name", "text", "expected"), SECTION_9_RULES)
def test_each_section_9_rule_reports_path_line_field(docs, name, text, expected):
    (docs / "communities" / "gd" / name).write_text(text, encoding="utf-8")
    memory = load(docs, display_dir="docs")
    assert expected in [str(p) for p in memory.problems]


def test_section_9_fields_load_with_their_values(docs):
    (docs / "communities" / "gd" / "index.md").write_text(textwrap.dedent("""\
        ---
        title: G
        domain: D
        started: 2019-01-01
        ended: 2021-12-31
        aims:
          applied: Every ward uses the checklist
          realised:
            - text: Fewer admissions
              evidence: records
        ---
        """), encoding="utf-8")
    write(docs, "2020-02-02-e.md", """\
        ---
        title: T
        date: 2020-02-02
        kind: story
        cycles:
          applied:
            - Ward A uses it
            - text: Ward B uses it
              evidence: observation
              source: "[Visit notes](notes.pdf)"
        follows: [first, other-community/start]
        showcase: Shows a change we can see
        aliases: [old-t, older-t]
        measures:
          members: 40
          emails-opened-percent: 57.5
          own-measure: 3
        ---
        """)
    memory = load(docs, display_dir="docs")
    assert [p for p in memory.problems if p.is_error] == []
    community = memory.communities["gd"]
    assert community.ended == dt.date(2021, 12, 31)
    assert community.aims == {"applied": (Statement("Every ward uses the checklist"),),
                              "realised": (Statement("Fewer admissions", "records"),)}
    [entry] = memory.entries
    assert entry.cycles["applied"] == (Statement("Ward A uses it"),
                                       Statement("Ward B uses it", "observation", "[Visit notes](notes.pdf)"))
    assert entry.follows == ("first", "other-community/start")
    assert entry.showcase == "Shows a change we can see"
    assert entry.aliases == ("old-t", "older-t")
    assert entry.measures == {"members": 40, "emails-opened-percent": 57.5, "own-measure": 3}
