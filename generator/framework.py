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


#: The questions a value detective asks at each cycle to find its indicators (after the framework's
#: "questions to ask at each cycle"), in the project's words; cycle pages and new stories carry them.
CYCLE_QUESTIONS: dict[str, tuple[str, ...]] = {
    "immediate": (
        "What were the significant events, and what happened at them?",
        "How relevant to your work was the activity or the conversation?",
        "What was the quality of the engagement: did people take part, listen, disagree usefully?",
        "Which connections made here have most influenced your development?",
    ),
    "potential": (
        "How has taking part changed you: your skills, your insight, your confidence?",
        "How has it changed your relationships: whom do you now know, trust and call?",
        "What access to resources (documents, tools, information) has it given you?",
        "Do you feel more inspired by the work you do?",
    ),
    "applied": (
        "Where have you used what the community produced?",
        "How was an idea or a suggestion put into practice, and at what level: you, your team, your organisation?",
        "When did you draw on a community contact to get a task done?",
        "Were you able to bring others in to pursue a cause you care about?",
    ),
    "realised": (
        "What effect did putting the idea into practice have?",
        "Did it move any of the figures your performance is judged by?",
        "What has your organisation been able to achieve because you took part?",
        "Are you more successful in your work generally, and how?",
    ),
    "transformative": (
        "Has learning together led you, or others, to reflect on what matters?",
        "Has it changed someone's understanding of what matters?",
        "Has a new understanding turned into institutional change: a structure, a policy, a strategy?",
        "Does it suggest new criteria, or new measures, for judging success?",
    ),
}


@dataclass(frozen=True, slots=True)
class CapitalInfo:
    """One kind of knowledge capital: its name, what it is, an example here, and a paragraph for its page."""

    name: str
    label: str
    short: str
    example: str
    explanation: str


#: The five kinds of knowledge capital (potential value), in the project's words.
CAPITAL_INFO: dict[str, CapitalInfo] = {
    info.name: info
    for info in (
        CapitalInfo(
            "human", "Human capital", "skills, insight, confidence",
            "a nurse who now explains a new test to patients with confidence",
            "What members carry in their heads and hands after taking part: a skill they practised, an "
            "insight that changed how they see a problem, the confidence to try something or to speak up. "
            "It is the most common kind of value a community creates, and the easiest to overlook, because "
            "it leaves with the person; a story that names it says whose capability grew and how anyone can tell.",
        ),
        CapitalInfo(
            "social", "Social capital", "relationships, knowing whom to ask",
            "a hospital pharmacist who knows which community pharmacist to phone about a patient",
            "The relationships a community builds: people who now know each other across wards, "
            "organisations and professions, trust each other enough to share a failure, and know whom to "
            "call when a problem comes up. Much of what a community later achieves travels along these "
            "connections, so a story that names social capital says who is now connected to whom, and what "
            "that connection made possible.",
        ),
        CapitalInfo(
            "tangible", "Tangible capital", "documents, tools, procedures",
            "a checklist, a shared pathway table, a session plan",
            "Things a community makes that others can pick up and use: a checklist, a passport, a "
            "comparison table, a session plan, an audit form, a template policy. Tangible capital is the "
            "easiest to point at and to share outside the community; it is worth most when someone else "
            "uses it, which is why these entries often lead on to applied value.",
        ),
        CapitalInfo(
            "reputational", "Reputational capital", "a collective voice, recognition",
            "a poster at a regional conference; a funder that now listens",
            "The standing a community earns: being recognised as the people who know about a subject, "
            "being invited to speak, a collective voice that managers, commissioners and funders listen to. "
            "It lets members raise an issue with more weight than any one of them would carry alone.",
        ),
        CapitalInfo(
            "learning", "Learning capital", "learning carried over to other contexts",
            "a habit of reviewing what went wrong, carried from one group to every new one",
            "A change in how members learn, not only in what they know: a habit of reviewing what went "
            "wrong, of asking another unit before starting from scratch, or a way of working that members "
            "carry into other teams and other problems. It is what lets a community's lessons outlive the "
            "meeting they came from.",
        ),
    )
}
