"""What one line says about an entry: the strongest statement, else prose that is not the template's."""

from __future__ import annotations

import datetime as dt

import markdown
import pytest
from conftest import entry

from generator.cli import STORY_QUESTIONS, entry_template
from generator.describe import description, own_words, prose_of_html, strongest_statement
from generator.model import Statement


def prose(body: str) -> str:
    """The prose an entry's page shows, from its Markdown rendered as MkDocs renders it."""
    return prose_of_html(markdown.markdown(body))


def test_the_highest_cycle_wins_over_stronger_evidence_lower_down():
    e = entry(cycles={"realised": (Statement("Evaluated", "evaluation"),),
                      "transformative": (Statement("Said so", "self-report"),)})
    assert strongest_statement(e) == ("transformative", Statement("Said so", "self-report"))


def test_within_a_cycle_stronger_evidence_wins_then_the_order_written():
    e = entry(cycles={"applied": (Statement("First, unsourced"), Statement("Seen", "observation"),
                                  Statement("Audited", "records"), Statement("Audited again", "records"))})
    assert strongest_statement(e)[1].text == "Audited"
    plain = entry(cycles={"applied": ("One", "Two")})
    assert strongest_statement(plain) == ("applied", Statement("One"))


def test_an_unstated_cycle_is_passed_over_for_the_highest_with_a_statement():
    e = entry(cycles={"immediate": ("We met",), "applied": ()})
    assert strongest_statement(e) == ("immediate", Statement("We met"))
    assert strongest_statement(entry(cycles={"applied": ()})) is None
    assert strongest_statement(entry()) is None


def test_description_is_the_strongest_statement_else_the_prose_else_the_fallback():
    assert description(entry(cycles={"applied": ("Policy  changed",)}), "Prose.", "d") == "Policy changed"
    assert description(entry(), "The first paragraph.", "d") == "The first paragraph."
    assert description(entry(), "", "the community's domain") == "the community's domain"


def _template(kind: str) -> str:
    return entry_template(kind, "A title", dt.date(2024, 5, 1)).split("\n---\n", 1)[1]


@pytest.mark.parametrize("kind", ["story", "event", "note"])
def test_an_unfilled_template_says_nothing(kind):
    assert prose(_template(kind)) == ""
    assert description(entry(body=_template(kind)), prose(_template(kind)), "fallback") == "fallback"


def test_the_template_s_cycle_label_is_not_the_writer_s_words():
    assert own_words("Applied value. The trust changed its policy.") == "The trust changed its policy."
    assert own_words("*Applied value.* Your answer here.") == ""
    assert own_words("Applied value is what changed.") == "Applied value is what changed."


def test_a_story_answered_below_the_template_questions_is_described_by_its_answer():
    body = _template("story").replace("*Potential value.* Your answer here.",
                                      "*Potential value.* A shared table of the four pathways.")
    assert prose(body) == "A shared table of the four pathways."


def test_a_guiding_question_written_as_a_paragraph_is_skipped():
    question = STORY_QUESTIONS[0][2]
    assert prose(f"**{question}**\n\nWe compared notes.") == "We compared notes."
    # A question of the writer's own is prose.
    assert prose("Why do mothers miss the test?\n\nBecause...") == "Why do mothers miss the test?"
