"""The highlights: entries chosen to show outsiders (`showcase:`), newest first, each with its reason.

Takes entries already published for the audience (`audience.publish` drops
internal ones and redacts Chatham House names in the reason), so the page can
show only what the build may.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .describe import strongest_statement
from .model import Community, Entry, Statement
from .views import newest_first


class Highlight(NamedTuple):
    """One chosen entry: why it was chosen, and the strongest thing it shows."""

    entry: Entry
    community_title: str
    reason: str
    #: (cycle, statement), or None when the entry states nothing
    strongest: tuple[str, Statement] | None


def highlights(entries: Iterable[Entry], communities: dict[str, Community]) -> list[Highlight]:
    """Every entry with a `showcase` reason, newest first."""
    chosen = newest_first(e for e in entries if e.showcase and e.showcase.strip())
    return [Highlight(e, communities[e.community].title if e.community in communities else e.community,
                      " ".join(e.showcase.split()), strongest_statement(e)) for e in chosen]
