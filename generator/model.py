"""The content model: communities, entries and problems, as plain values.

Nothing here imports MkDocs: the CLI, the tests and the plugin all share it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal

#: The five value-creation cycles, in the order a story usually travels.
CYCLES: tuple[str, ...] = ("immediate", "potential", "applied", "realised", "transformative")

#: Accepted spellings (lower-cased) mapped to the canonical cycle name.
CYCLE_ALIASES: dict[str, str] = {
    **{name: name for name in CYCLES},
    "realized": "realised",
    "reframing": "transformative",
    **{str(number): name for number, name in enumerate(CYCLES, start=1)},
}


@dataclass(frozen=True, slots=True)
class CycleInfo:
    """What a newcomer needs to read one cycle: its number, names and question."""

    name: str
    number: int
    label: str
    also_called: str
    meaning: str
    question: str
    prompt: str


CYCLE_INFO: dict[str, CycleInfo] = {
    info.name: info
    for info in (
        CycleInfo(
            "immediate", 1, "Immediate value", "activities and interactions",
            "What happened: the meeting, the conversation, the help given, and how it felt.",
            "What happened and what was my experience of it?",
            "A gathering, a conversation or a piece of help, and what people got out of it on the day.",
        ),
        CycleInfo(
            "potential", 2, "Potential value", "knowledge capital",
            "What the activity produced that may be used later: skills, relationships, "
            "documents, reputation, new ways of learning.",
            "What has all this activity produced?",
            "A skill, a contact, a document or a tool that members can draw on later.",
        ),
        CycleInfo(
            "applied", 3, "Applied value", "changes in practice",
            "A practice, procedure or policy that actually changed because of it.",
            "What difference has it made to my practice, life or context?",
            "A procedure, a policy or a way of working that changed because of the community.",
        ),
        CycleInfo(
            "realised", 4, "Realised value", "performance improvement",
            "A measurable effect on what matters: time, money, outcomes, waiting times.",
            "What difference has it made to my ability to achieve what matters to me "
            "or other stakeholders?",
            "A figure that moved: time saved, waiting times cut, outcomes improved.",
        ),
        CycleInfo(
            "transformative", 5, "Transformative value", "reframing value; redefining success",
            "Success itself redefined: new criteria, metrics, structures or strategies.",
            "Has it changed my or other stakeholders' understanding and definition of what matters?",
            "A new measure of success, a new structure or a strategy that now counts "
            "what the community taught.",
        ),
    )
}

KINDS: tuple[str, ...] = ("story", "event", "note")
CAPITALS: tuple[str, ...] = ("human", "social", "tangible", "reputational", "learning")
VISIBILITIES: tuple[str, ...] = ("public", "internal")
ATTRIBUTIONS: tuple[str, ...] = ("named", "chatham-house")
AUDIENCES: tuple[str, ...] = ("internal", "public")

#: Slugs an entry may not take: the community's generated pages live there.
RESERVED_SLUGS: frozenset[str] = frozenset({"timeline", "matrix", "feed"})

#: Neutral labels that stand in for names under the Chatham House rule.
NEUTRAL_PERSON = "a member"
NEUTRAL_ORGANISATION = "an organisation"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) in one file, at one line."""

    path: str
    line: int
    field: str
    message: str
    expected: str | None = None
    found: str | None = None
    suggestion: str | None = None
    severity: Literal["error", "warning"] = "error"

    @property
    def is_error(self) -> bool:
        """Whether this problem fails `copmem check` and `mkdocs build --strict`."""
        return self.severity == "error"

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field}: {self.message}"
        if self.expected is not None or self.found is not None:
            text += f" (expected {self.expected}, found {self.found})"
        if self.suggestion:
            text += f"; {self.suggestion}"
        if not self.is_error:
            text += " [warning]"
        return text


@dataclass(frozen=True, slots=True)
class Community:
    """A community of practice, read from `communities/<id>/index.md`."""

    id: str
    source: str
    title: str
    domain: str
    started: dt.date | None = None
    conveners: tuple[str, ...] = ()
    visibility: str = "internal"
    attribution: str = "named"
    body: str = ""
    body_line: int = 1

    @property
    def url(self) -> str:
        """Site-relative URL of the community's home page (no leading slash)."""
        return f"communities/{self.id}/"

    @property
    def is_public(self) -> bool:
        """Whether the community appears in the public build at all."""
        return self.visibility == "public"


@dataclass(frozen=True, slots=True)
class Entry:
    """A story, event report or note below a community's folder."""

    community: str
    source: str
    slug: str
    title: str
    date: dt.date
    kind: str = "note"
    #: canonical cycle -> indicator statements, in canonical cycle order
    cycles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    capital: tuple[str, ...] = ()
    visibility: str = "internal"
    attribution: str = "named"
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    reporters: tuple[str, ...] = ()
    attendees: int | None = None
    tags: tuple[str, ...] = ()
    pin: bool = False
    body: str = ""
    #: 1-based line in the source file where `body` starts
    body_line: int = 1
    #: front-matter key -> 1-based line, for reporting
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def url(self) -> str:
        """Site-relative URL of the entry's page (no leading slash)."""
        return f"communities/{self.community}/{self.slug}/"

    @property
    def is_public(self) -> bool:
        """Whether the entry itself is marked public (its community must be too)."""
        return self.visibility == "public"

    @property
    def highest_cycle(self) -> str | None:
        """The furthest cycle the entry reaches, or None if it names none."""
        named = [c for c in CYCLES if c in self.cycles]
        return named[-1] if named else None

    def with_changes(self, **changes) -> Entry:
        """A copy with some fields replaced."""
        return replace(self, **changes)


@dataclass
class Memory:
    """Everything read from one docs folder: the shared memory and its problems."""

    communities: dict[str, Community] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: docs-relative paths of non-Markdown files below `communities/`
    attachments: list[str] = field(default_factory=list)
    #: docs-relative paths of entry files left out because of errors
    failed: list[str] = field(default_factory=list)
    #: docs-relative paths of community `index.md` files left out because of errors
    failed_communities: list[str] = field(default_factory=list)
    #: how problems show the docs folder (e.g. "content")
    display_dir: str = ""

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.is_error]

    def entries_of(self, community: str) -> list[Entry]:
        """The entries of one community, in read order."""
        return [e for e in self.entries if e.community == community]
