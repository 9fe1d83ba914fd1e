"""The value case's checks across files, rule by rule: follows, aliases, statement sources (path:line: field: message)."""

from __future__ import annotations

import textwrap

import pytest

from generator.loader import load
from generator.review import review

CHARTER = "---\ntitle: {title}\ndomain: D\nvisibility: {visibility}\n---\nCharter.\n"


@pytest.fixture
def docs(tmp_path):
    """A docs folder with a public community `gd` and an internal community `med`."""
    for cid, visibility in (("gd", "public"), ("med", "internal")):
        (tmp_path / "communities" / cid).mkdir(parents=True)
        (tmp_path / "communities" / cid / "index.md").write_text(
            CHARTER.format(title=cid.upper(), visibility=visibility), encoding="utf-8")
    return tmp_path


def write(docs, relative: str, text: str) -> None:
    path = docs / "communities" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def entry_text(date: str, *lines: str, visibility: str = "public") -> str:
    return "\n".join(["---", "title: T", f"date: {date}", f"visibility: {visibility}", *lines, "---", "Body.", ""])


def reviewed(docs):
    return review(load(docs, display_dir="docs"))


def problems(docs) -> list[str]:
    return [str(p) for p in reviewed(docs).problems]


def test_an_unknown_reference_is_an_error_at_its_item_line_naming_the_nearest_slug(docs):
    write(docs, "gd/2019-06-04-gtt-policy.md", entry_text("2019-06-04"))
    write(docs, "gd/2020-01-01-later.md", entry_text("2020-01-01", "follows:", "  - gtt-policy", "  - gtt-polcy"))
    memory = reviewed(docs)
    assert [str(p) for p in memory.problems] == [
        "docs/communities/gd/2020-01-01-later.md:7: follows: 'gtt-polcy' names no entry of the memory "
        "(expected the slug of an entry of gd, found 'gtt-polcy'); did you mean 'gtt-policy'?"]
    assert memory.failed == ["communities/gd/2020-01-01-later.md"]
    assert [e.slug for e in memory.entries] == ["gtt-policy"]


def test_an_unknown_community_names_the_nearest_community(docs):
    write(docs, "gd/2020-01-01-e.md", entry_text("2020-01-01", "follows: [meds/launch]"))
    assert problems(docs) == [
        "docs/communities/gd/2020-01-01-e.md:5: follows: 'meds/launch' names no community of the memory "
        "(expected <slug>, or <community>/<slug> with a community's folder name, found 'meds'); "
        "did you mean 'med/launch'?"]


def test_an_unknown_slug_of_another_community_suggests_it_with_its_community(docs):
    write(docs, "med/2019-03-05-launch-meeting.md", entry_text("2019-03-05", visibility="internal"))
    write(docs, "gd/2020-01-01-e.md", entry_text("2020-01-01", "follows: [med/launch-meting]", visibility="internal"))
    assert problems(docs) == [
        "docs/communities/gd/2020-01-01-e.md:5: follows: 'med/launch-meting' names no entry of the memory "
        "(expected the slug of an entry of med, found 'med/launch-meting'); did you mean 'med/launch-meeting'?"]


def test_a_reference_to_a_later_entry_is_a_warning_and_the_entry_stays(docs):
    write(docs, "gd/2021-01-01-later.md", entry_text("2021-01-01"))
    write(docs, "gd/2020-01-01-earlier.md", entry_text("2020-01-01", "follows: [later]"))
    memory = reviewed(docs)
    assert [str(p) for p in memory.problems] == [
        "docs/communities/gd/2020-01-01-earlier.md:5: follows: 'later' is dated 2021-01-01, after this entry "
        "(expected an entry dated on or before 2020-01-01, found docs/communities/gd/2021-01-01-later.md, dated "
        "2021-01-01); an entry builds on earlier ones: check both dates, or move the reference to the later entry "
        "[warning]"]
    assert len(memory.entries) == 2 and memory.failed == []


def test_a_circle_of_references_is_an_error_naming_the_files_and_each_is_left_out(docs):
    write(docs, "gd/a.md", entry_text("2020-01-01", "follows: [c]"))
    write(docs, "gd/b.md", entry_text("2020-01-01", "follows: [a]"))
    write(docs, "gd/c.md", entry_text("2020-01-01", "follows: [b]"))
    write(docs, "gd/d.md", entry_text("2020-01-02", "follows: [c]"))
    memory = reviewed(docs)
    names = "docs/communities/gd/a.md, docs/communities/gd/b.md, docs/communities/gd/c.md"
    assert [str(p) for p in memory.problems] == [
        f"docs/communities/gd/{name}.md:5: follows: these entries follow each other in a circle: {names}; each of "
        "them is left out (expected references to earlier entries only, found a circle); remove the reference that "
        "points back to a later entry" for name in "abc"]
    # The entry that follows the circle stays: only the circle is left out, and the counts still add up.
    assert [e.slug for e in memory.entries] == ["d"]
    assert memory.failed == [f"communities/gd/{name}.md" for name in "abc"]


def test_an_entry_that_follows_itself_is_a_circle_of_one(docs):
    write(docs, "gd/2020-01-01-self.md", entry_text("2020-01-01", "follows: [self]"))
    memory = reviewed(docs)
    assert [p.message for p in memory.problems] == [
        "these entries follow each other in a circle: docs/communities/gd/2020-01-01-self.md; each of them is left out"]
    assert memory.entries == []


def test_a_public_entry_following_an_internal_one_is_a_warning(docs):
    write(docs, "med/2019-03-05-launch.md", entry_text("2019-03-05", visibility="internal"))
    write(docs, "gd/2019-01-01-early.md", entry_text("2019-01-01", visibility="internal"))
    write(docs, "gd/2020-01-01-e.md", entry_text("2020-01-01", "follows: [med/launch, early]"))
    assert problems(docs) == [
        f"docs/communities/gd/2020-01-01-e.md:5: follows: public entry follows internal entry {target}; the public "
        "build shows neither its title nor its address; make the earlier entry public, or remove the reference "
        "[warning]" for target in ("communities/med/2019-03-05-launch.md", "communities/gd/2019-01-01-early.md")]


def test_a_former_slug_still_resolves_with_a_warning_naming_the_current_one(docs):
    write(docs, "gd/2019-01-01-new-name.md", entry_text("2019-01-01", "aliases: [old-name]"))
    write(docs, "gd/2020-01-01-e.md", entry_text("2020-01-01", "follows: [old-name]"))
    memory = reviewed(docs)
    assert [str(p) for p in memory.problems] == [
        "docs/communities/gd/2020-01-01-e.md:5: follows: 'old-name' is a former slug of "
        "docs/communities/gd/2019-01-01-new-name.md (expected the entry's slug, found 'old-name'); write new-name "
        "[warning]"]
    assert len(memory.entries) == 2


def test_a_reference_to_an_entry_with_errors_is_a_warning_not_a_second_error(docs):
    write(docs, "gd/2019-01-01-broken.md", "---\ntitle: T\n---\nNo date.\n")
    write(docs, "gd/2020-01-01-e.md", entry_text("2020-01-01", "follows: [broken]"))
    memory = reviewed(docs)
    assert "docs/communities/gd/2020-01-01-e.md:5: follows: 'broken' names an entry left out because of errors " \
           "(docs/communities/gd/2019-01-01-broken.md); fix the errors reported for that file [warning]" \
           in [str(p) for p in memory.problems]
    assert [e.slug for e in memory.entries] == ["e"]


def test_an_alias_that_is_another_entrys_slug_is_an_error_naming_both_files(docs):
    write(docs, "gd/2019-01-01-passport.md", entry_text("2019-01-01"))
    write(docs, "gd/2020-01-01-new.md", entry_text("2020-01-01", "aliases:", "  - older", "  - passport"))
    memory = reviewed(docs)
    assert [str(p) for p in memory.problems] == [
        "docs/communities/gd/2020-01-01-new.md:7: aliases: the alias 'passport' is also the slug of "
        "docs/communities/gd/2019-01-01-passport.md: its old address would lead to two entries (expected a former "
        "slug no other entry of the community uses, found 'passport'); remove the alias from one of them"]
    # The entry whose slug it is did nothing wrong and stays.
    assert [e.slug for e in memory.entries] == ["passport"]


def test_two_entries_with_one_alias_are_both_left_out_each_naming_the_other(docs):
    write(docs, "gd/2019-01-01-a.md", entry_text("2019-01-01", "aliases: [old]"))
    write(docs, "gd/2020-01-01-b.md", entry_text("2020-01-01", "aliases: [old]"))
    write(docs, "med/2020-01-01-c.md", entry_text("2020-01-01", "aliases: [old]", visibility="internal"))
    memory = reviewed(docs)
    assert [str(p).split(":", 3)[:3] + [p.message] for p in memory.problems] == [
        ["docs/communities/gd/2019-01-01-a.md", "5", " aliases",
         "the alias 'old' is also the alias of docs/communities/gd/2020-01-01-b.md: its old address would lead to "
         "two entries"],
        ["docs/communities/gd/2020-01-01-b.md", "5", " aliases",
         "the alias 'old' is also the alias of docs/communities/gd/2019-01-01-a.md: its old address would lead to "
         "two entries"]]
    assert [e.slug for e in memory.entries] == ["c"]  # another community's alias is its own


def test_an_alias_equal_to_the_entrys_own_slug_is_dropped_with_a_warning(docs):
    write(docs, "gd/2020-01-01-same.md", entry_text("2020-01-01", "aliases: [older, same]"))
    memory = reviewed(docs)
    assert [str(p) for p in memory.problems] == [
        "docs/communities/gd/2020-01-01-same.md:5: aliases: the alias 'same' is the entry's own slug; it is ignored "
        "(expected former slugs only, found 'same'); remove it from aliases: [warning]"]
    assert memory.entries[0].aliases == ("older",)


def test_a_source_linking_to_a_missing_file_or_across_the_line_is_a_warning(docs):
    write(docs, "med/2019-03-05-launch.md", entry_text("2019-03-05", visibility="internal"))
    write(docs, "gd/2020-01-01-e.md", entry_text(
        "2020-01-01", "cycles:", "  realised:",
        "    - text: Fewer admissions",
        "      source: \"[audit](files/audit.pdf)\"",
        "    - text: Fewer visits",
        "      source: \"[notes](../med/2019-03-05-launch.md), [the web](https://example.org/)\""))
    assert problems(docs) == [
        "docs/communities/gd/2020-01-01-e.md:6: cycles: the source of a statement of 'realised' links to "
        "communities/gd/files/audit.pdf, which is not in the memory; it is shown as text (expected a page or a file of the memory, found "
        "'files/audit.pdf'); "
        "check the path: it is relative to this file [warning]",
        "docs/communities/gd/2020-01-01-e.md:6: cycles: the source of a statement of 'realised' in a public entry "
        "links to internal page communities/med/2019-03-05-launch.md; the public build shows the link text only; "
        "make the target public, or remove the link [warning]"]


def test_unsafe_html_in_a_source_or_a_showcase_is_reported_at_its_line(docs):
    write(docs, "gd/2020-01-01-e.md", entry_text(
        "2020-01-01", "cycles:", "  applied:", "    text: Changed", "    source: <script>x()</script>",
        "showcase: Look <img src=x onerror=alert(1)>"))
    assert [str(p).split(" is not allowed")[0] for p in reviewed(docs).problems] == [
        "docs/communities/gd/2020-01-01-e.md:6: cycles: a <script> element",
        "docs/communities/gd/2020-01-01-e.md:9: showcase: an event-handler attribute (onerror=)"]


def test_follows_checks_find_a_circle_in_a_long_chain_without_recursion():
    """A memory may hold a chain of thousands of entries: the circle search must not hit the recursion limit."""
    from generator.follows import circles

    chain = {f"e{i}": [f"e{i - 1}"] if i else [] for i in range(20_000)}
    assert circles(chain) == []
    chain["e0"] = ["e19999"]
    assert [len(found) for found in circles(chain)] == [20_000]
