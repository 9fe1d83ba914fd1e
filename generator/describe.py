"""What one line says about an entry: its strongest statement, else its first paragraph of prose.

Link previews, the meta description, feeds and the highlights page all say the
same thing about an entry, decided here once. The strongest statement is the
statement of the highest cycle the entry reaches; among that cycle's
statements, the one with the strongest evidence (framework.EVIDENCE, weakest
first; a statement without a kind counts below self-report), then the first
written. Prose skips what `copmem new` wrote and the writer never replaced.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from .framework import CYCLE_INFO, CYCLES, EVIDENCE_KINDS
from .html_pass import first_paragraph
from .model import Entry, Statement
from .views import clip

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# The template's answer lines start with the cycle's label, in emphasis in the Markdown
# ("*Applied value.* ..."), as plain text on the rendered page ("Applied value. ...").
_CYCLE_LABEL = re.compile(
    r"^\s*(?P<mark>[*_]{0,2})(?:%s)(?P=mark)(?:\s+|$)" % "|".join(re.escape(CYCLE_INFO[c].label + ".") for c in CYCLES),
    re.IGNORECASE)
_MARKUP = re.compile(r"^\s*#{1,6}\s+|[*_`]")


def strongest_statement(entry: Entry) -> tuple[str, Statement] | None:
    """The entry's strongest statement and its cycle, or None when it states nothing."""
    for cycle in reversed(CYCLES):
        statements = [s for s in entry.cycles.get(cycle, ()) if s.text.strip()]
        if statements:
            # max() keeps the first of equals: the order written breaks the last tie.
            return cycle, max(statements, key=_strength)
    return None


def _strength(statement: Statement) -> int:
    return EVIDENCE_KINDS.index(statement.evidence) if statement.evidence in EVIDENCE_KINDS else -1


def description(entry: Entry, excerpt: str = "", fallback: str = "") -> str:
    """One line about the entry: its strongest statement, else `excerpt` (its prose), else `fallback`."""
    return statement_line(entry) or excerpt or fallback


def statement_line(entry: Entry) -> str:
    """The entry's strongest statement on one line, or "" when it states nothing."""
    strongest = strongest_statement(entry)
    return "" if strongest is None else " ".join(strongest[1].text.split())


def own_words(paragraph: str) -> str:
    """A paragraph of plain text as the writer's own words: "" for what `copmem new` wrote and was kept.

    The label a story's template puts before each answer ("Applied value.") is taken off.
    """
    own = _CYCLE_LABEL.sub("", paragraph.strip(), count=1)
    return "" if _normal(own) in _template_paragraphs() else own


def prose_of_html(html: str) -> str:
    """The first paragraph of prose a rendered body shows, in the writer's own words, cut short."""
    return clip(first_paragraph(html, own_words))


def _normal(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split()).casefold()


@functools.cache
def _template_paragraphs() -> frozenset[str]:
    """Every paragraph `copmem new` writes into a body, and every guiding question and prompt it asks."""
    # Read from the templates themselves, so a reworded template is still recognised.
    from .cli import STORY_QUESTIONS, entry_template

    found = set()
    for kind in ("story", "event", "note"):
        body = entry_template(kind, "title", dt.date(2000, 1, 1)).split("\n---\n", 1)[1]
        for paragraph in _PARAGRAPH_BREAK.split(body):
            found.add(_normal(_CYCLE_LABEL.sub("", paragraph.strip(), count=1)))
    for _, question, prompt in STORY_QUESTIONS:
        found |= {_normal(question), _normal(prompt)}
    found.discard("")
    return frozenset(found)
