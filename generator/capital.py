"""Knowledge capital: the entries naming each of the five kinds, and how many each community has.

Every function takes entries already published for the audience; none of them
decides what may be shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .framework import CAPITAL_INFO, CAPITALS, CapitalInfo
from .model import Community, Entry


class CapitalItem(NamedTuple):
    """An entry naming a kind of capital, with its community's title."""

    entry: Entry
    community_title: str


@dataclass
class CapitalView:
    """One kind of knowledge capital: what it is, and the entries naming it, newest first."""

    info: CapitalInfo
    items: list[CapitalItem]
    #: all items of the kind, when this view is one page of them
    total: int | None = None

    @property
    def count(self) -> int:
        """How many entries name this kind in all."""
        return len(self.items) if self.total is None else self.total


def capital_views(newest: Iterable[Entry], communities: dict[str, Community]) -> dict[str, CapitalView]:
    """The five capital views in one pass over entries given newest first."""
    titles = {cid: c.title for cid, c in communities.items()}
    items: dict[str, list[CapitalItem]] = {kind: [] for kind in CAPITALS}
    for entry in newest:
        for kind in entry.capital:
            items[kind].append(CapitalItem(entry, titles.get(entry.community, entry.community)))
    return {kind: CapitalView(CAPITAL_INFO[kind], found) for kind, found in items.items()}


def capital_counts(entries: Iterable[Entry]) -> dict[str, int]:
    """How many of the entries name each kind of capital (every kind, zero included)."""
    counts = dict.fromkeys(CAPITALS, 0)
    for entry in entries:
        for kind in entry.capital:
            counts[kind] += 1
    return counts
