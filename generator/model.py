"""The content model: communities, entries and problems, as plain values.

A community's and an entry's front-matter attributes are the fields declared
in `fields.py`, added here by `_front_matter`: a field is declared once. Nothing
here imports MkDocs: the CLI, the tests and the plugin all share it.
"""

from __future__ import annotations

import datetime as dt  # noqa: F401 - named by the declared fields' annotations
from dataclasses import dataclass, field

from .fields import CHARTER, ENTRY, Statement, fields_of  # noqa: F401 - Statement re-exported
from .framework import (  # noqa: F401 - the vocabulary, re-exported for the model's users
    ATTRIBUTIONS,
    AUDIENCES,
    CAPITALS,
    CYCLE_ALIASES,
    CYCLE_INFO,
    CYCLES,
    KINDS,
    NEUTRAL_ORGANISATION,
    NEUTRAL_PERSON,
    RESERVED_SLUGS,
    VISIBILITIES,
    CycleInfo,
)
from .problem import Problem  # noqa: F401 - re-exported


def _front_matter(where: str):
    """Class decorator: the declared fields of a charter or an entry as keyword-only attributes, then a frozen dataclass."""

    def decorate(cls):
        own = dict(cls.__dict__.get("__annotations__", {}))
        annotations: dict[str, str] = {}
        for declared in fields_of(where):
            if declared.name in own:  # the model gives it a meaning of its own (e.g. an entry's resolved slug)
                continue
            annotations[declared.name] = declared.annotation
            default = declared.default
            if isinstance(default, (dict, list, set)):
                setattr(cls, declared.name, field(default_factory=type(default), kw_only=True))
            else:
                setattr(cls, declared.name, field(default=default, kw_only=True))
        cls.__annotations__ = {**annotations, **own}
        return dataclass(frozen=True, slots=True, kw_only=True)(cls)

    return decorate


@_front_matter(CHARTER)
class Community:
    """A community of practice, read from `communities/<id>/index.md` (its fields: `fields.fields_of(CHARTER)`)."""

    id: str
    source: str
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


@_front_matter(ENTRY)
class Entry:
    """A story, event report or note below a community's folder (its fields: `fields.fields_of(ENTRY)`)."""

    community: str
    source: str
    #: `slug:` if given, else the file name without a leading date and `.md`
    slug: str
    body: str = ""
    #: 1-based line in the source file where `body` starts
    body_line: int = 1
    #: front-matter key (and `cycles.<cycle>`) -> 1-based line, for checks across files
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    #: site-relative URL of the entry's page (no leading slash), from its community and slug: made once,
    #: as a build asks for it several times per entry
    url: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", f"communities/{self.community}/{self.slug}/")

    @property
    def is_public(self) -> bool:
        """Whether the entry itself is marked public (its community must be too)."""
        return self.visibility == "public"

    @property
    def highest_cycle(self) -> str | None:
        """The furthest cycle the entry reaches, or None if it names none."""
        named = [c for c in CYCLES if c in self.cycles]
        return named[-1] if named else None


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

