"""Every front-matter field, declared once: its name, kind, default, whether it is required, and where it may appear.

The declarations drive everything a field needs: reading and checking a
file's front matter (`read_fields`), the attributes of `model.Community` and
`model.Entry`, and the reference tables of the contributors' guide
(`reference_table`, kept in step with `content/writing.md` by a test). Adding a
field is one declaration here. A field's kind decides how a value is read; a
bad value becomes a `Problem` with its line, and reading goes on, so a file
with several bad fields reports all of them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from .framework import (
    ATTRIBUTIONS,
    CAPITALS,
    CYCLE_ALIASES,
    CYCLES,
    EVIDENCE_KINDS,
    KINDS,
    MEASURES,
    PERCENT_SUFFIX,
    RESERVED_SLUGS,
    VISIBILITIES,
)
from .frontmatter import FrontMatter
from .problem import Problem
from .slugs import slugify

CHARTER = "charter"
ENTRY = "entry"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG = re.compile(r"[a-z0-9-]+")
_MEASURE_NAME = re.compile(r"[a-z0-9-]+")
#: a reference in `follows`: `<slug>` or `<community>/<slug>`
_REFERENCE = re.compile(r"(?:(?P<community>[^/\s]+)/)?(?P<slug>[a-z0-9-]+)")


class Statement(NamedTuple):
    """One indicator statement of a cycle (or an aim): its text, and how strong its evidence is."""

    text: str
    #: one of framework.EVIDENCE_KINDS, or None when not said
    evidence: str | None = None
    #: where the evidence is: free text, or a Markdown link to a page or attachment
    source: str | None = None


class Reader:
    """One file's front matter, read field by field; every bad value is recorded as a problem."""

    def __init__(self, matter: FrontMatter, shown: str, fields: tuple[Field, ...]):
        self.data = matter.data
        self.lines = matter.lines
        self.items = matter.item_lines
        self.shown = shown
        self.problems: list[Problem] = []
        #: canonical cycle -> the line where the file names it
        self.cycle_lines: dict[str, int] = {}
        known = tuple(f.name for f in fields)
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"valid fields: {', '.join(known)}"
                self.problems.append(Problem(shown, self.lines[key], key, "unknown field; it is ignored",
                                             suggestion=hint, severity="warning"))

    def given(self, key: str) -> bool:
        """Whether the file gives the field a value (a key with nothing after it counts as not given)."""
        return self.data.get(key) is not None

    def line(self, key: str) -> int:
        """The line of a top-level key, or 1 when the file does not have it."""
        return self.lines.get(key, 1)

    def item_line(self, key: str, item) -> int | None:
        """The line of an item (a list index or a mapping key) of a field's value, if known."""
        return self.items.get(key, {}).get(item)

    def error(self, key: str, message: str, *, line: int | None = None, **details) -> None:
        """Record an error on `key` (at its line unless `line` is given)."""
        self.problems.append(Problem(self.shown, line or self.line(key), key, message, **details))

    def warn(self, key: str, message: str, *, line: int | None = None, **details) -> None:
        """Record a warning on `key`."""
        self.problems.append(Problem(self.shown, line or self.line(key), key, message, severity="warning",
                                     **details))

    def failed(self, key: str) -> bool:
        """Whether `key` already has an error."""
        return any(p.field == key and p.is_error for p in self.problems)

    @property
    def ok(self) -> bool:
        """Whether no field has an error."""
        return not any(p.is_error for p in self.problems)

    def read(self, field: Field):
        """The field's value: its default when not given (an error first if it is required)."""
        if not self.given(field.name):
            if field.required:
                self.error(field.name, "required field is missing",
                           expected=f"{field.name}: {field.kind.placeholder}", found="nothing")
            return field.default
        return field.kind.read(self, field.name, self.data[field.name], field.default)


# ---------------------------------------------------------------------------------------------
# Kinds: how a value is read. Each `read` returns the value, or the default after recording an error.


class Kind:
    """How one field's value is read and documented."""

    #: what the reference table says the type is
    doc = ""
    #: what `key: ...` a missing required field asks for
    placeholder = "<value>"

    def read(self, reader: Reader, key: str, value, default):
        """The value read from the YAML value, or `default` after recording a problem."""
        raise NotImplementedError


class Text(Kind):
    """One line of text."""

    doc = "text"
    placeholder = "<text>"

    def read(self, reader, key, value, default):
        if not isinstance(value, str):
            reader.error(key, "must be text", expected="text", found=describe(value),
                         suggestion=f'put it in quotes: {key}: "{plain(value)}"')
            return default
        if not value.strip():
            reader.error(key, "must not be empty", expected="text", found="an empty value")
            return default
        return value.strip()


class Date(Kind):
    """A calendar date, YYYY-MM-DD."""

    doc = "date `YYYY-MM-DD`"
    placeholder = "YYYY-MM-DD"

    def read(self, reader, key, value, default):
        if isinstance(value, dt.datetime):
            reader.error(key, "must be a date without a time", expected="YYYY-MM-DD", found=str(value),
                         suggestion=f"{key}: {value.date().isoformat()}")
            return default
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        reader.error(key, "is not a valid date", expected="a date YYYY-MM-DD, e.g. 2019-06-04",
                     found=describe(value))
        return default


@dataclass(frozen=True)
class Choice(Kind):
    """One word of a fixed set, any case."""

    options: tuple[str, ...]

    @property
    def doc(self) -> str:
        return " or ".join(f"`{o}`" for o in self.options) if len(self.options) < 3 else \
            ", ".join(f"`{o}`" for o in self.options[:-1]) + f" or `{self.options[-1]}`"

    def read(self, reader, key, value, default):
        if isinstance(value, str) and value.strip().lower() in self.options:
            return value.strip().lower()
        suggestion = nearest(str(value), self.options)
        if isinstance(value, bool):
            suggestion = f"write {' or '.join(self.options)} (a bare yes/no/true/false is read as a boolean)"
        reader.error(key, f"is not one of {', '.join(self.options)}", expected=" or ".join(self.options),
                     found=describe(value), suggestion=suggestion)
        return default


@dataclass(frozen=True)
class Strings(Kind):
    """A list of text items."""

    noun: str = "names"

    @property
    def doc(self) -> str:
        return f"list of {self.noun}"

    def read(self, reader, key, value, default):
        if not isinstance(value, list):
            reader.error(key, "must be a list", expected="a list, e.g. [a, b]", found=describe(value),
                         suggestion=f"write {key}: [{plain(value)}]")
            return default
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                reader.error(key, f"item {index + 1} must be text", line=reader.item_line(key, index),
                             expected="text", found=describe(item),
                             suggestion=f'put it in quotes: "{plain(item)}"' if item is not None else None)
                continue
            result.append(item.strip())
        return tuple(result)


@dataclass(frozen=True)
class Choices(Kind):
    """A list of words of a fixed set, any case, each kept once."""

    options: tuple[str, ...]

    @property
    def doc(self) -> str:
        return "list of " + ", ".join(f"`{o}`" for o in self.options)

    def read(self, reader, key, value, default):
        result = []
        for index, item in enumerate(Strings().read(reader, key, value, ())):
            if item.lower() in self.options:
                result.append(item.lower())
            else:
                reader.error(key, f"{item!r} is not one of {', '.join(self.options)}",
                             line=reader.item_line(key, index), expected=" or ".join(self.options),
                             found=repr(item), suggestion=nearest(item, self.options))
        return tuple(dict.fromkeys(result))


class Boolean(Kind):
    """true or false."""

    doc = "`true` or `false`"

    def read(self, reader, key, value, default):
        if isinstance(value, bool):
            return value
        reader.error(key, "must be true or false", expected="true or false", found=describe(value))
        return default


class Count(Kind):
    """A whole number, 0 or more."""

    doc = "whole number, 0 or more"

    def read(self, reader, key, value, default):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        reader.error(key, "must be a whole number, 0 or more", expected="e.g. 55", found=describe(value))
        return default


class Slug(Kind):
    """An entry's URL slug, `[a-z0-9-]+` (checked with the file name by `entry_slug`)."""

    doc = "`a-z`, `0-9` and `-`"

    def read(self, reader, key, value, default):
        return value


class Cycles(Kind):
    """Cycles in list or mapping form: canonical names in cycle order, statements as written."""

    doc = "a list of cycles, or cycle → statement(s)"

    def read(self, reader, key, value, default):
        lines = reader.items.get(key, {})
        named: dict[str, tuple[str, ...]] = {}
        if isinstance(value, list):
            pairs = [(item, None, lines.get(i)) for i, item in enumerate(value)]
        elif isinstance(value, dict):
            pairs = [(k, v, lines.get(str(k))) for k, v in value.items()]
        else:
            reader.error(key, "must be a list of cycles or a mapping cycle: statement",
                         expected="e.g. [immediate, applied] or applied: What changed", found=describe(value))
            return default
        for name, statements, line in pairs:
            cycle = canonical_cycle(name)
            if cycle is None:
                reader.error(key, f"unknown cycle {plain(name)!r}", line=line,
                             expected=", ".join(CYCLES), found=repr(plain(name)),
                             suggestion=nearest(str(name), CYCLES))
                continue
            if cycle in named:
                reader.error(key, f"the cycle {cycle!r} is named twice", line=line,
                             suggestion="merge the statements under one name")
                continue
            named[cycle] = self._statements(reader, key, cycle, statements, line)
            if line is not None:
                reader.cycle_lines[cycle] = line
        return {c: named[c] for c in CYCLES if c in named}

    @staticmethod
    def _statements(reader: Reader, key: str, cycle: str, value, line: int | None) -> tuple[Statement, ...]:
        """A cycle's statements: text, a mapping with text/evidence/source, or a list of either."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        statements = []
        for item in items:
            if isinstance(item, str):
                if item.strip():
                    statements.append(Statement(item.strip()))
            elif isinstance(item, dict):
                statement = _statement_mapping(reader, key, cycle, item, line)
                if statement is not None:
                    statements.append(statement)
            else:
                reader.error(key, f"the statements of {cycle!r} must be text or a list of text", line=line,
                             expected="applied: What changed", found=describe(value),
                             suggestion="put each statement in quotes")
                return ()
        return tuple(statements)


def _statement_mapping(reader: Reader, key: str, cycle: str, item: dict, line: int | None) -> Statement | None:
    """A statement written as a mapping: `text` (required), `evidence` (a kind), `source` (text or a link)."""
    known = ("text", "evidence", "source")
    for name in item:
        if name not in known:
            close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
            reader.warn(key, f"a statement of {cycle!r} has an unknown key {plain(name)!r}; it is ignored",
                        line=line, expected=", ".join(known), found=repr(plain(name)),
                        suggestion=f"did you mean '{close[0]}'?" if close else "use text, evidence and source")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        reader.error(key, f"a statement of {cycle!r} written as a mapping needs its text", line=line,
                     expected="text: What changed", found=describe(text),
                     suggestion="add text: with the statement, in quotes if it holds ': '")
        return None
    evidence = item.get("evidence")
    if evidence is not None:
        if isinstance(evidence, str) and evidence.strip().lower() in EVIDENCE_KINDS:
            evidence = evidence.strip().lower()
        else:
            reader.error(key, f"the evidence of a statement of {cycle!r} is not one of {', '.join(EVIDENCE_KINDS)}",
                         line=line, expected=" or ".join(EVIDENCE_KINDS), found=describe(evidence),
                         suggestion=nearest(str(evidence), EVIDENCE_KINDS))
            return None
    source = item.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        reader.error(key, f"the source of a statement of {cycle!r} must be text or a link", line=line,
                     expected="source: Clinic audit, March 2020", found=describe(source),
                     suggestion="put the source in quotes")
        return None
    return Statement(text.strip(), evidence, source.strip() if source else None)


class Aims(Cycles):
    """A charter's aims: cycle -> statement(s), in the mapping form only."""

    doc = "cycle → statement(s)"

    def read(self, reader, key, value, default):
        if not isinstance(value, dict):
            reader.error(key, "must be a mapping cycle: what the community hopes to see",
                         expected="e.g. applied: Every ward uses the new checklist", found=describe(value),
                         suggestion="write one line per cycle, e.g. aims: {applied: ...}")
            return default
        return super().read(reader, key, value, default)


class References(Kind):
    """Earlier entries this one builds on: `<slug>` (same community) or `<community>/<slug>`."""

    doc = "list of `<slug>` or `<community>/<slug>`"

    def read(self, reader, key, value, default):
        written = Strings().read(reader, key, value, None)
        if written is None:
            return default
        result = []
        for index, item in enumerate(written):
            match = _REFERENCE.fullmatch(item)
            if match is None:
                reader.error(key, f"{item!r} is not a reference to an entry", line=reader.item_line(key, index),
                             expected="<slug> or <community>/<slug>", found=repr(item),
                             suggestion="write the entry's slug (its URL's last part), e.g. gtt-policy")
                continue
            result.append(item)
        return tuple(dict.fromkeys(result))


class Slugs(Kind):
    """A list of former URL slugs."""

    doc = "list of slugs"

    def read(self, reader, key, value, default):
        written = Strings("slugs").read(reader, key, value, None)
        if written is None:
            return default
        result = []
        for index, item in enumerate(written):
            line = reader.item_line(key, index)
            if not _SLUG.fullmatch(item):
                reader.error(key, f"{item!r} is not a slug", line=line, expected="[a-z0-9-]+", found=repr(item),
                             suggestion=f"write the old slug as it was in the URL, e.g. {slug_suggestion(item)}")
            elif item in RESERVED_SLUGS:
                reader.error(key, f"the slug {item!r} is reserved for the community's own page", line=line,
                             expected=f"any slug but {', '.join(sorted(RESERVED_SLUGS))}", found=repr(item),
                             suggestion="remove it: no entry ever had this address")
            else:
                result.append(item)
        return tuple(dict.fromkeys(result))


class Measures(Kind):
    """Figures the community tracks: name -> number, 0 or more (0 to 100 for a `-percent` name)."""

    doc = "measure → number"

    def read(self, reader, key, value, default):
        if not isinstance(value, dict):
            reader.error(key, "must be a mapping measure: number", expected="e.g. members: 118",
                         found=describe(value), suggestion="write one line per measure, e.g. measures: {members: 40}")
            return default
        result: dict[str, int | float] = {}
        for name, number in value.items():
            line = reader.item_line(key, name)
            label = plain(name)
            if not isinstance(name, str) or not _MEASURE_NAME.fullmatch(name):
                reader.error(key, f"the measure name {label!r} is not lower-case letters, digits and hyphens",
                             line=line, expected="[a-z0-9-]+", found=repr(label),
                             suggestion=f"write it as {slug_suggestion(label)!r}")
                continue
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number) \
                    or number < 0:
                reader.error(key, f"the measure {name!r} must be a number, 0 or more", line=line,
                             expected="e.g. 118 or 57.5", found=describe(number),
                             suggestion="write the figure alone, without units or commas")
                continue
            if name.endswith(PERCENT_SUFFIX) and number > 100:
                reader.error(key, f"the measure {name!r} is a percentage, 0 to 100", line=line,
                             expected="0 to 100", found=describe(number),
                             suggestion="write the percentage, not the count")
                continue
            if name not in MEASURES:
                close = difflib.get_close_matches(name, tuple(MEASURES), n=1, cutoff=0.75)
                if close:
                    reader.warn(key, f"the measure {name!r} is not one with a fixed meaning; it is shown under its own name",
                                line=line, expected=", ".join(MEASURES), found=repr(name),
                                suggestion=f"did you mean '{close[0]}'?")
            result[name] = number
        return result


# ---------------------------------------------------------------------------------------------
# The declarations.


@dataclass(frozen=True)
class Field:
    """One front-matter field: how it is read, its default, and what the reference table says of it."""

    name: str
    kind: Kind
    #: the attribute's type in the model
    annotation: str
    #: charter, entry, or both
    where: tuple[str, ...]
    default: object = None
    required: bool = False
    #: the reference table's "required" column when it is not plain yes/no
    required_doc: str | None = None
    meaning: str = ""

    @property
    def default_doc(self) -> str:
        """What the reference table says when the field is left out."""
        if self.required_doc is not None:
            return self.required_doc
        if self.required:
            return "yes"
        if isinstance(self.default, str):
            return f"no (default `{self.default}`)"
        return "no"


_BOTH = (CHARTER, ENTRY)

FIELDS: tuple[Field, ...] = (
    Field("title", Text(), "str", _BOTH, required=True, meaning="the community's name | "),
    Field("domain", Text(), "str", (CHARTER,), required=True, meaning="the shared domain, in one line"),
    Field("date", Date(), "dt.date", (ENTRY,), required=True, meaning="when it happened"),
    Field("started", Date(), "dt.date | None", (CHARTER,), meaning="when it first met"),
    Field("conveners", Strings(), "tuple[str, ...]", (CHARTER,), default=(), meaning="who convenes it"),
    Field("kind", Choice(KINDS), "str", (ENTRY,), default="note",
          meaning="a value-creation story, an event report, or any other note"),
    Field("cycles", Cycles(), "dict[str, tuple[Statement, ...]]", (ENTRY,), default={}, required_doc="yes for a story",
          meaning="which value cycles the entry shows and, in the second form, the indicator statements"),
    Field("capital", Choices(CAPITALS), "tuple[str, ...]", (ENTRY,), default=(),
          meaning="kinds of knowledge capital (potential value)"),
    Field("visibility", Choice(VISIBILITIES), "str", _BOTH, default="internal",
          meaning="whether the community appears in the public site at all | "),
    Field("attribution", Choice(ATTRIBUTIONS), "str", _BOTH, default="named",
          meaning="the default for its entries | "),
    Field("people", Strings(), "tuple[str, ...]", (ENTRY,), default=(), meaning="people quoted or named"),
    Field("organisations", Strings(), "tuple[str, ...]", (ENTRY,), default=(), meaning="organisations named"),
    Field("reporters", Strings(), "tuple[str, ...]", (ENTRY,), default=(), meaning="who wrote it up"),
    Field("attendees", Count(), "int | None", (ENTRY,), meaning="for events: how many took part"),
    Field("tags", Strings("words"), "tuple[str, ...]", (ENTRY,), default=(), meaning="free tags"),
    Field("slug", Slug(), "str", (ENTRY,), meaning="overrides the address"),
    Field("pin", Boolean(), "bool", (ENTRY,), default=False, meaning="recommended reading for newcomers"),
    Field("aims", Aims(), "dict[str, tuple[Statement, ...]]", (CHARTER,), default={},
          meaning="what the community hopes to see in each cycle, written before the evidence exists"),
    Field("ended", Date(), "dt.date | None", (CHARTER,),
          meaning="the community has closed (not before `started`); its memory stays"),
    Field("follows", References(), "tuple[str, ...]", (ENTRY,), default=(),
          meaning="earlier entries this one builds on"),
    Field("showcase", Text(), "str | None", (ENTRY,),
          meaning="why this entry was chosen to show outsiders; it appears on the highlights page"),
    Field("aliases", Slugs(), "tuple[str, ...]", (ENTRY,), default=(),
          meaning="former slugs: their old addresses keep working"),
    Field("measures", Measures(), "dict[str, int | float]", (ENTRY,), default={},
          meaning="figures the community tracks, as of the entry's date"),
)


def fields_of(where: str) -> tuple[Field, ...]:
    """The fields a charter or an entry may have, in declaration order."""
    return tuple(f for f in FIELDS if where in f.where)


def meaning(field: Field, where: str) -> str:
    """The field's meaning in a charter or an entry (`charter meaning | entry meaning` when they differ)."""
    if " | " not in field.meaning:
        return field.meaning
    charter, entry = field.meaning.split(" | ", 1)
    return charter if where == CHARTER else entry


def reference_table(where: str) -> str:
    """The Markdown reference table of a charter's or an entry's fields, for the contributors' guide."""
    rows = ["| field | type | required | meaning |", "|---|---|---|---|"]
    for field in fields_of(where):
        required = field.default_doc
        if field.name == "attribution" and where == ENTRY:
            required = "no (default: the community's)"
        rows.append(f"| `{field.name}` | {field.kind.doc} | {required} | {meaning(field, where)} |".replace("|  |", "| |"))
    return "\n".join(rows) + "\n"


def read_fields(matter: FrontMatter, shown: str, where: str) -> Reader:
    """A reader over one file's front matter with its unknown fields already reported."""
    return Reader(matter, shown, fields_of(where))


# ---------------------------------------------------------------------------------------------
# Small helpers for messages.


def canonical_cycle(name) -> str | None:
    """The canonical cycle a spelling names (any case, `realized`, `reframing`, 1-5), or None."""
    if isinstance(name, bool):
        return None
    if isinstance(name, (str, int)):
        return CYCLE_ALIASES.get(str(name).strip().lower())
    return None


def nearest(value: str, choices: tuple[str, ...]) -> str:
    """A suggestion: the nearest valid choice, or the list of them."""
    close = difflib.get_close_matches(value.strip().lower(), choices, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"use one of {', '.join(choices)}"


def describe(value) -> str:
    """How a problem names a YAML value it found."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def slug_suggestion(text: str) -> str:
    """A valid slug for a suggestion (the text folded to `[a-z0-9-]+`)."""
    return slugify(text) or "my-slug"


def plain(value) -> str:
    """A YAML value as the user would have written it (booleans in lower case)."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
