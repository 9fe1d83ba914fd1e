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
import re
from dataclasses import dataclass

from .framework import ATTRIBUTIONS, CAPITALS, CYCLE_ALIASES, CYCLES, KINDS, VISIBILITIES
from .frontmatter import FrontMatter
from .problem import Problem

CHARTER = "charter"
ENTRY = "entry"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    def _statements(reader: Reader, key: str, cycle: str, value, line: int | None) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),) if value.strip() else ()
        if isinstance(value, list) and all(isinstance(s, str) for s in value):
            return tuple(s.strip() for s in value if s.strip())
        reader.error(key, f"the statements of {cycle!r} must be text or a list of text", line=line,
                     expected="applied: What changed", found=describe(value),
                     suggestion="put each statement in quotes")
        return ()


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
    Field("cycles", Cycles(), "dict[str, tuple[str, ...]]", (ENTRY,), default={}, required_doc="yes for a story",
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


def plain(value) -> str:
    """A YAML value as the user would have written it (booleans in lower case)."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
