"""Assembly: timelines, matrices, cycle views and event counts, as plain values.

Every function takes entries already published for the audience (filtered and
redacted by `audience.publish`); none of them decides what may be shown.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import is_not
from dataclasses import dataclass, field
from typing import NamedTuple

from .model import CYCLE_INFO, CYCLES, CycleInfo, Community, Entry, Statement

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
EXCERPT_LENGTH = 160


# Items are NamedTuples, not frozen dataclasses: every timeline and cycle page is
# assembled again when an entry changes, and a tuple is built in C.
class TimelineItem(NamedTuple):
    """One entry on a timeline."""

    entry: Entry
    community_title: str


@dataclass
class MonthGroup:
    """The entries of one month, newest first."""

    year: int
    month: int
    items: list[TimelineItem] = field(default_factory=list)

    @property
    def label(self) -> str:
        """E.g. "June 2019"."""
        return f"{MONTHS[self.month - 1]} {self.year}"


@dataclass
class YearGroup:
    """The months of one year, newest first."""

    year: int
    months: list[MonthGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many entries the year holds."""
        return sum(len(m.items) for m in self.months)


@dataclass
class Timeline:
    """Entries grouped by year and month, newest first."""

    years: list[YearGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many entries the timeline holds."""
        return sum(y.count for y in self.years)

    def items(self) -> list[TimelineItem]:
        """Every item, newest first."""
        return [item for y in self.years for m in y.months for item in m.items]

    def communities(self) -> dict[str, str]:
        """The communities of its items: id -> title."""
        return {item.entry.community: item.community_title for item in self.items()}


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One entry's line of value across the cycles."""

    entry: Entry
    cells: dict[str, tuple[Statement, ...]]


@dataclass
class Matrix:
    """A community's Value Creation Matrix."""

    community: Community
    rows: list[MatrixRow]
    counts: dict[str, int]

    @property
    def empty_cycles(self) -> list[str]:
        """Cycles no row names yet: the blank columns still to fill."""
        return [c for c in CYCLES if not self.counts[c]]


@dataclass
class NetworkMatrix:
    """Every community's matrix, with totals per cycle."""

    matrices: list[Matrix]
    totals: dict[str, int]

    @functools.cached_property  # asked by every cell of the network's matrix
    def most(self) -> int:
        """The largest count in any community's cell (for shading)."""
        return max((m.counts[c] for m in self.matrices for c in CYCLES), default=0)


class CycleItem(NamedTuple):
    """An entry showing a cycle, with its statements for that cycle."""

    entry: Entry
    community_title: str
    statements: tuple[Statement, ...]


@dataclass
class CycleView:
    """One cycle: what it means, and every entry showing it, newest first."""

    info: CycleInfo
    items: list[CycleItem]
    #: all items of the cycle, when this view is one page of them
    total: int | None = None

    @property
    def count(self) -> int:
        """How many entries show the cycle in all."""
        return len(self.items) if self.total is None else self.total


@dataclass(frozen=True, slots=True)
class QuarterStat:
    """Events and attendees in one quarter."""

    year: int
    quarter: int
    events: int
    attendees: int

    @property
    def label(self) -> str:
        """E.g. "2019 Q2"."""
        return f"{self.year} Q{self.quarter}"


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    """Entries by date, newest first; same-day entries by title."""
    return sorted(entries, key=lambda e: (-e.date.toordinal(), e.title.casefold(), e.source))


def oldest_first(entries: Iterable[Entry]) -> list[Entry]:
    """Entries by date then title (the matrix order)."""
    return sorted(entries, key=lambda e: (e.date, e.title.casefold(), e.source))


def timeline(entries: Iterable[Entry], community_titles: dict[str, str] | None = None, *,
             ordered: bool = False) -> Timeline:
    """Entries grouped by year and month, newest first (`ordered`: already newest first)."""
    titles = community_titles or {}
    result = Timeline()
    for entry in (entries if ordered else newest_first(entries)):
        if not result.years or result.years[-1].year != entry.date.year:
            result.years.append(YearGroup(entry.date.year))
        year = result.years[-1]
        if not year.months or year.months[-1].month != entry.date.month:
            year.months.append(MonthGroup(entry.date.year, entry.date.month))
        year.months[-1].items.append(
            TimelineItem(entry, titles.get(entry.community, entry.community))
        )
    return result


def community_timeline(entries: Iterable[Entry]) -> Timeline:
    """A community's timeline."""
    return timeline(entries)


def network_timeline(entries: Iterable[Entry], communities: dict[str, Community], *,
                     ordered: bool = False) -> Timeline:
    """The network's timeline, each item naming its community."""
    return timeline(entries, {cid: c.title for cid, c in communities.items()}, ordered=ordered)


def paginate(full: Timeline, limit: int) -> list[Timeline]:
    """The timeline cut into pages of at most `limit` entries (at least one page)."""
    items = full.items()
    if len(items) <= limit:
        return [full]
    pages = []
    for start in range(0, len(items), limit):
        page = Timeline()
        for item in items[start : start + limit]:
            date = item.entry.date
            if not page.years or page.years[-1].year != date.year:
                page.years.append(YearGroup(date.year))
            year = page.years[-1]
            if not year.months or year.months[-1].month != date.month:
                year.months.append(MonthGroup(date.year, date.month))
            year.months[-1].items.append(item)
        pages.append(page)
    return pages


def paginate_items(items: Sequence, limit: int) -> list[list]:
    """Items cut into pages of at most `limit` (at least one page, maybe empty)."""
    if len(items) <= limit:
        return [list(items)]
    return [list(items[start : start + limit]) for start in range(0, len(items), limit)]


def community_matrix(community: Community, entries: Iterable[Entry]) -> Matrix:
    """A community's matrix: a row per entry naming a cycle, ordered by date then title."""
    rows = [MatrixRow(e, e.cycles) for e in oldest_first(entries) if e.cycles]
    counts = {c: sum(c in row.cells for row in rows) for c in CYCLES}
    return Matrix(community, rows, counts)


def network_matrix(communities: dict[str, Community], entries: Iterable[Entry]) -> NetworkMatrix:
    """Every community's matrix (blank ones included), ordered by id, with totals."""
    by_community: dict[str, list[Entry]] = {cid: [] for cid in communities}
    for entry in entries:
        if entry.community in by_community:
            by_community[entry.community].append(entry)
    return combine_matrices([community_matrix(communities[cid], by_community[cid]) for cid in sorted(communities)])


def combine_matrices(matrices: list[Matrix]) -> NetworkMatrix:
    """The network matrix of its communities' matrices (given in id order), with totals."""
    totals = {c: sum(m.counts[c] for m in matrices) for c in CYCLES}
    return NetworkMatrix(matrices, totals)


def shade(count: int, most: int) -> int:
    """A density level 0-4 for a count, relative to the largest count."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, min(4, round(4 * count / most)))


def cycle_views(entries: Iterable[Entry], communities: dict[str, Community], *,
                ordered: bool = False) -> dict[str, CycleView]:
    """The five cycle views, in one pass over the entries (`ordered`: already newest first)."""
    titles = {cid: c.title for cid, c in communities.items()}
    items: dict[str, list[CycleItem]] = {cycle: [] for cycle in CYCLES}
    for entry in (entries if ordered else newest_first(entries)):
        title = titles.get(entry.community, entry.community)
        for cycle, statements in entry.cycles.items():
            items[cycle].append(CycleItem(entry, title, statements))
    return {cycle: CycleView(CYCLE_INFO[cycle], found) for cycle, found in items.items()}


#: entries edited at once beyond which a serve rebuild computes network-wide views afresh rather than patch them
SWAP_LIMIT = 64


def swapped_entries(before: Sequence, now: Sequence) -> dict[int, Entry] | None:
    """How `now` (a build's inputs: entries, communities, strings) differs from `before` by entries alone.

    id(entry before) -> the entry now, where every other input is the same object (or an equal
    string), and each entry now sits where the one before did in every network-wide list: the same
    file, community, date, title, kind and cycles (its body, excerpt and other fields may differ).
    None where anything else changed: views are then computed afresh.
    """
    if len(before) != len(now):
        return None
    swap: dict[int, Entry] = {}
    for old, new in compress(zip(before, now), map(is_not, before, now)):
        if isinstance(old, str) and old == new:
            continue
        if not (isinstance(old, Entry) and isinstance(new, Entry) and _same_place(old, new)) \
                or len(swap) == SWAP_LIMIT:
            return None
        swap[id(old)] = new
    return swap


def _same_place(old: Entry, new: Entry) -> bool:
    return (old.source == new.source and old.community == new.community and old.date == new.date
            and old.title == new.title and old.kind == new.kind and old.cycles == new.cycles)


def swap_in_order(entries: list[Entry], swap: dict[int, Entry]) -> list[Entry]:
    """An ordered list of entries with the swapped ones in their places (see `swapped_entries`)."""
    return [swap.get(id(entry), entry) for entry in entries]


def swap_in_timeline(timeline: Timeline, swap: dict[int, Entry]) -> Timeline:
    """The timeline with the swapped entries in their places: the same years, months and order."""
    result = Timeline()
    for year in timeline.years:
        copy = YearGroup(year.year)
        for month in year.months:
            items = [TimelineItem(swap[id(item.entry)], item.community_title) if id(item.entry) in swap else item
                     for item in month.items]
            copy.months.append(MonthGroup(month.year, month.month, items))
        result.years.append(copy)
    return result


def swap_in_cycles(views: dict[str, CycleView], swap: dict[int, Entry]) -> dict[str, CycleView]:
    """The cycle views with the swapped entries in their places (their statements are equal: same cycles)."""
    result = {}
    for cycle, view in views.items():
        items = [CycleItem(new, item.community_title, new.cycles[cycle])
                 if (new := swap.get(id(item.entry))) is not None else item for item in view.items]
        result[cycle] = CycleView(view.info, items, view.total)
    return result


def events_per_quarter(entries: Iterable[Entry]) -> list[QuarterStat]:
    """Events and attendees per quarter, from the first event's quarter to the last's, zero-filled."""
    tally: dict[tuple[int, int], list[int]] = {}
    for entry in entries:
        if entry.kind == "event":
            key = (entry.date.year, (entry.date.month - 1) // 3 + 1)
            counts = tally.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += entry.attendees or 0
    if not tally:
        return []
    (year, quarter), last = min(tally), max(tally)
    result = []
    while (year, quarter) <= last:
        events, attendees = tally.get((year, quarter), (0, 0))
        result.append(QuarterStat(year, quarter, events, attendees))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return result


def start_here(entries: Sequence[Entry], recent: int = 3) -> list[Entry]:
    """Recommended reading for newcomers: pinned entries, then the most recent stories."""
    pinned = newest_first(e for e in entries if e.pin)
    stories = [e for e in newest_first(entries) if e.kind == "story" and not e.pin][:recent]
    return pinned + stories


def latest(entries: Iterable[Entry]) -> dt.date | None:
    """The date of the newest entry, if any."""
    return max((e.date for e in entries), default=None)


def clip(text: str, length: int = EXCERPT_LENGTH) -> str:
    """Plain text cut on a word boundary to at most `length` characters, with an ellipsis when cut."""
    plain = " ".join(text.split())
    if len(plain) <= length:
        return plain
    cut = plain[: length - 1].rsplit(" ", 1)[0].rstrip(",;:.-– ")
    return cut + "…"
