"""Checks across files: slugs that collide, names in slugs, links across the line, unsafe HTML warnings."""

from __future__ import annotations

import textwrap

from conftest import community, entry, memory

from generator.loader import load
from generator.review import review


def test_chatham_house_name_in_slug_is_an_error_that_leaves_the_entry_out():
    m = memory(community("peer", attribution="chatham-house"),
               entry("peer", "talk-with-jo-bloggs", attribution="chatham-house", people=("Jo Bloggs",)))
    reviewed = review(m)
    assert reviewed.entries == []
    assert reviewed.failed == ["communities/peer/2020/2020-01-01-talk-with-jo-bloggs.md"]
    assert [str(p).split(" (")[0] for p in reviewed.problems] == [
        "docs/communities/peer/2020/2020-01-01-talk-with-jo-bloggs.md:1: slug: "
        "the URL slug spells a name protected by the Chatham House rule"
    ]


def test_unsafe_html_is_reported_at_its_line_in_title_statements_and_body(tmp_path):
    (tmp_path / "communities" / "gd").mkdir(parents=True)
    (tmp_path / "communities" / "gd" / "index.md").write_text("---\ntitle: G\ndomain: D\n---\n", encoding="utf-8")
    (tmp_path / "communities" / "gd" / "e.md").write_text(textwrap.dedent("""\
        ---
        title: A <script>x()</script> title
        date: 2020-01-01
        cycles:
          applied: Changed <iframe src="x"></iframe>
        ---
        Fine.

        <img src="a.png" onerror="x()">
        """), encoding="utf-8")
    assert [str(p) for p in review(load(tmp_path, display_dir="docs")).problems] == [
        f"docs/communities/gd/e.md:{line}: {field}: {what} is not allowed in entries; it is removed from every "
        "build; link to the content instead, or embed an image with ![alt](file) [warning]"
        for line, field, what in [(2, "title", "a <script> element"), (5, "cycles", "a <iframe> element"),
                                  (9, "body", "an event-handler attribute (onerror=)")]
    ]


def test_two_entries_with_one_slug_are_both_left_out_each_naming_the_other():
    a = entry("c", "same", source="communities/c/x/same.md")
    b = entry("c", "same", source="communities/c/y/same.md")
    other = entry("d", "same", source="communities/d/same.md")
    reviewed = review(memory(community("c"), community("d"), a, b, other))
    assert reviewed.entries == [other]
    assert reviewed.failed == ["communities/c/x/same.md", "communities/c/y/same.md"]
    assert [str(p).split("; ")[0] for p in reviewed.problems] == [
        "docs/communities/c/x/same.md:1: slug: two entries share the slug 'same': this one and "
        "docs/communities/c/y/same.md",
        "docs/communities/c/y/same.md:1: slug: two entries share the slug 'same': this one and "
        "docs/communities/c/x/same.md",
    ]


def test_review_scans_an_entry_again_only_when_it_is_a_new_object(monkeypatch):
    """`mkdocs serve` passes unchanged entries as the same objects: their scan is not repeated."""
    from generator import review as module
    from generator.memo import Memo

    scanned = []
    real = module.find_unsafe_html
    monkeypatch.setattr(module, "find_unsafe_html", lambda text, *args: scanned.append(text) or real(text, *args))
    c, e = community("c"), entry("c", "e", body="<script>x()</script>")
    memo = Memo()
    first = review(memory(c, e), memo)
    count = len(scanned)
    second = review(memory(c, e), memo)
    assert len(scanned) == count and [str(p) for p in first.problems] == [str(p) for p in second.problems] != []
    review(memory(c, entry("c", "e", body="<script>x()</script>")), memo)
    assert len(scanned) > count


def test_a_chatham_house_slug_is_checked_word_by_word_with_accents_folded():
    jose = entry("c", "talk-with-jose", attribution="chatham-house", people=("José Núñez",))
    al = entry("c", "clinical-audit", attribution="chatham-house", people=("Al",))
    folder = entry("c", "neutral", attribution="chatham-house", people=("Dana Whitfield",),
                   source="communities/c/dana/2020-01-01-neutral.md")
    reviewed = review(memory(community("c"), jose, al, folder))
    assert [e.slug for e in reviewed.entries] == ["clinical-audit"]
    assert [(p.path.rsplit("/", 1)[1], p.message) for p in reviewed.problems] == [
        ("2020-01-01-talk-with-jose.md", "the URL slug spells a name protected by the Chatham House rule"),
        ("2020-01-01-neutral.md", "the file path spells a name protected by the Chatham House rule"),
    ]


def test_a_chatham_house_entry_linking_an_attachment_named_after_a_person_is_left_out():
    e = entry("c", "photo", attribution="chatham-house", people=("Zuleika Brackenthwaite",),
              body="Intro.\n\n![a photo](img/zuleika-at-the-meeting.png)", body_line=8)
    m = memory(community("c"), e, attachments=["communities/c/img/zuleika-at-the-meeting.png"])
    reviewed = review(m)
    assert reviewed.entries == []
    assert [str(p).split(" (")[0] for p in reviewed.problems] == [
        "docs/communities/c/2020/2020-01-01-photo.md:10: body: the attachment zuleika-at-the-meeting.png has a "
        "name protected by the Chatham House rule in its file name"]


def test_an_unedited_template_is_reported_line_by_line_and_a_story_without_statements_too(tmp_path):
    from generator.cli import main

    (tmp_path / "communities" / "gd").mkdir(parents=True)
    (tmp_path / "communities" / "gd" / "index.md").write_text("---\ntitle: G\ndomain: D\n---\n", encoding="utf-8")
    assert main(["new", "story", "--community", "gd", "--title", "Left as it was", "--dir", str(tmp_path),
                 "--date", "2020-01-01"]) == 0
    problems = review(load(tmp_path, display_dir="docs")).problems
    placeholders = [p for p in problems if p.field == "body" and "placeholder" in p.message]
    assert len(placeholders) == 5 and len({p.line for p in placeholders}) == 5
    assert all(not p.is_error for p in problems)
    assert [p.field for p in problems if "no indicator statement" in p.message] == ["cycles"]
