"""The Value Creation Framework's vocabulary: cycles, knowledge capital, and the words of the contract.

Plain constants, no imports from the project: every other module may use them.
"""

from __future__ import annotations

from dataclasses import dataclass

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

#: The answer `copmem new` leaves under each question of a new entry: left in, it is reported.
PROMPT_PLACEHOLDER = "Your answer here."

#: Neutral labels that stand in for names under the Chatham House rule.
NEUTRAL_PERSON = "a member"
NEUTRAL_ORGANISATION = "an organisation"

#: How strong the evidence behind a statement is, weakest first (contract 9.1), with what each means.
EVIDENCE: dict[str, str] = {
    "self-report": "a member's own account of what happened or changed",
    "observation": "seen by someone else: a convener, a colleague, a visitor",
    "survey": "answers to a survey of members or of the people they serve",
    "records": "audits, attendance lists, activity data or other records kept anyway",
    "evaluation": "a formal evaluation, with a method others could repeat",
}
EVIDENCE_KINDS: tuple[str, ...] = tuple(EVIDENCE)

#: Measures with a fixed meaning (contract 9.1) and the label they are shown under.
MEASURES: dict[str, str] = {
    "members": "Members",
    "mailing-list": "People on the mailing list",
    "organisations-involved": "Organisations involved",
    "emails-sent": "E-mails sent",
    "emails-opened-percent": "E-mails opened (%)",
    "emails-clicked-percent": "E-mails clicked (%)",
    "survey-responses": "Survey responses",
}
#: A measure whose name ends so is a percentage, 0 to 100.
PERCENT_SUFFIX = "-percent"
