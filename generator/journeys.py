"""Journeys: entries linked by `follows`, as "builds on" / "led to" and as chains drawn across the cycles.

Every function takes entries already published for the audience: each
reference in their `follows` names, by `<slug>` or `<community>/<slug>`, an
entry the build publishes (see `audience.publish`), so nothing here decides
what may be shown. A journey is a
chain in the loose sense: every entry linked to another by `follows`, either
way, directly or through others (a connected component), of two entries or
more; a chain may cross communities.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .follows import split_reference
from .framework import CYCLE_INFO, CYCLES
from .model import Entry

#: the longest journey drawn as a picture; a longer one is listed only (its picture would be metres wide)
MOST_DRAWN = 40
#: picture geometry, in px: a column per entry, a row per cycle (immediate at the top)
COLUMN, ROW, LEFT, TOP, BELOW = 180, 64, 116, 12, 56
#: characters per line of an entry's title under its node, and lines at most
LABEL_WIDTH, LABEL_LINES = 24, 2
NODE, DOT = 8, 4
NO_CYCLE = "none"


def _oldest_first_key(entry: Entry) -> tuple:
    return (entry.date, entry.title.casefold(), entry.source)


@dataclass(frozen=True)
class FollowLinks:
    """For each published entry: the entries it builds on (as written) and those it led to (oldest first)."""

    builds_on: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    led_to: dict[str, tuple[Entry, ...]] = field(default_factory=dict)

    def of(self, entry: Entry) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
        """What `entry` builds on, and what it led to."""
        return self.builds_on.get(entry.source, ()), self.led_to.get(entry.source, ())


def follow_links(entries: Iterable[Entry]) -> FollowLinks:
    """Both directions of every `follows` between the given (published) entries."""
    entries = list(entries)
    by_key = {(e.community, e.slug): e for e in entries}
    builds_on: dict[str, tuple[Entry, ...]] = {}
    led_to: dict[str, list[Entry]] = {}
    for entry in entries:
        if not entry.follows:
            continue
        named = (by_key.get(split_reference(reference, entry.community)) for reference in entry.follows)
        earlier = tuple({e.source: e for e in named if e is not None and e is not entry}.values())
        if earlier:
            builds_on[entry.source] = earlier
            for target in earlier:
                led_to.setdefault(target.source, []).append(entry)
    return FollowLinks(builds_on, {source: tuple(sorted(later, key=_oldest_first_key))
                                   for source, later in led_to.items()})


@dataclass
class Journey:
    """Entries linked by `follows`, oldest first, with the links between them."""

    entries: list[Entry]
    #: (earlier entry, the entry that follows it), in the order of the later entry
    links: list[tuple[Entry, Entry]]

    @property
    def first(self) -> Entry:
        """The journey's oldest entry."""
        return self.entries[0]

    @property
    def last(self) -> Entry:
        """The journey's newest entry."""
        return self.entries[-1]

    @property
    def anchor(self) -> str:
        """A stable id for the journey on its page: its first entry's community and slug."""
        return f"journey-{self.first.community}-{self.first.slug}"

    @property
    def communities(self) -> list[str]:
        """The ids of the communities it passes through, in the order it reaches them."""
        return list(dict.fromkeys(e.community for e in self.entries))

    @property
    def cycles(self) -> list[str]:
        """The cycles its entries reach, in cycle order."""
        reached = {cycle for e in self.entries for cycle in e.cycles}
        return [c for c in CYCLES if c in reached]


def journeys(entries: Iterable[Entry], links: FollowLinks) -> list[Journey]:
    """Every journey of two entries or more, the one with the newest entry first."""
    entries = list(entries)
    parent = {e.source: e.source for e in entries}

    def root(source: str) -> str:
        while parent[source] != source:
            parent[source] = parent[parent[source]]
            source = parent[source]
        return source

    for entry in entries:
        for earlier in links.builds_on.get(entry.source, ()):
            a, b = root(entry.source), root(earlier.source)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.source in links.builds_on or entry.source in links.led_to:
            groups.setdefault(root(entry.source), []).append(entry)
    found = []
    for members in groups.values():
        members.sort(key=_oldest_first_key)
        pairs = [(earlier, entry) for entry in members for earlier in links.builds_on.get(entry.source, ())]
        found.append(Journey(members, pairs))
    found.sort(key=lambda j: (-j.last.date.toordinal(), j.last.title.casefold(), j.last.source))
    return found


def journey_picture(journey: Journey, number: int, community_titles: dict[str, str]) -> dict | None:
    """The layout of a journey's picture (a grid: x by time order, y by cycle), or None if too long to draw.

    Each entry is a column, drawn across the cycles it names (a dot on each,
    joined by a bar, its node on the furthest); an arrow runs from each earlier
    entry's furthest cycle to the first cycle of the entry that follows it.
    Every label is text in the picture, readable without hovering.
    """
    if len(journey.entries) > MOST_DRAWN:
        return None
    without_cycle = any(not e.cycles for e in journey.entries)
    # From immediate (where value starts) down to the furthest cycle the journey reaches.
    reached = journey.cycles
    shown = CYCLES[: CYCLES.index(reached[-1]) + 1] if reached else ()
    rows = [*shown, *([NO_CYCLE] if without_cycle else [])]
    row_y = {name: TOP + index * ROW + ROW // 2 for index, name in enumerate(rows)}
    crosses = len(journey.communities) > 1
    nodes = {}
    for column, entry in enumerate(journey.entries):
        x = LEFT + column * COLUMN + COLUMN // 2
        named = list(entry.cycles) or [NO_CYCLE]
        top, bottom = named[0], named[-1]
        lines = textwrap.wrap(entry.title, LABEL_WIDTH, break_long_words=True) or [""]
        if len(lines) > LABEL_LINES:
            lines = lines[:LABEL_LINES]
            lines[-1] = lines[-1][: LABEL_WIDTH - 1].rstrip() + "…"
        facts = [entry.date.isoformat()]
        if crosses:
            facts.append(_clip(community_titles.get(entry.community, entry.community), LABEL_WIDTH + 4))
        nodes[entry.source] = {
            "entry": entry, "x": x, "y": row_y[bottom], "top": row_y[top], "cycle": bottom,
            "dots": [{"y": row_y[c], "cycle": c} for c in named[:-1]],
            "lines": lines, "facts": facts,
        }
    arrows = []
    for earlier, later in journey.links:
        start, end = nodes[earlier.source], nodes[later.source]
        arrows.append(_arrow(start["x"], start["y"], end["x"], end["top"], NODE + 1,
                             (DOT if end["dots"] else NODE) + 3))
    labels = [{"y": row_y[name], "text": CYCLE_INFO[name].label.split(" ")[0] if name != NO_CYCLE else "No cycle"}
              for name in rows]
    return {
        "id": f"{journey.anchor}-picture", "number": number,
        "width": LEFT + len(journey.entries) * COLUMN, "height": TOP + len(rows) * ROW + BELOW + 13 * crosses,
        "rows": labels, "nodes": list(nodes.values()), "arrows": arrows, "left": LEFT,
        "description": describe(journey, community_titles),
    }


def _arrow(x1: float, y1: float, x2: float, y2: float, start_gap: float, end_gap: float) -> dict:
    """A straight arrow between two points, stopped short of the node at each end."""
    dx, dy = x2 - x1, y2 - y1
    length = (dx * dx + dy * dy) ** 0.5 or 1.0
    ux, uy = dx / length, dy / length
    return {"x1": round(x1 + ux * start_gap, 1), "y1": round(y1 + uy * start_gap, 1),
            "x2": round(x2 - ux * end_gap, 1), "y2": round(y2 - uy * end_gap, 1)}


def describe(journey: Journey, community_titles: dict[str, str]) -> str:
    """The journey in words, for its picture's text alternative."""
    cycles = [CYCLE_INFO[c].label.split(" ")[0].lower() for c in journey.cycles]
    reach = (", ".join(cycles[:-1]) + " and " + cycles[-1]) if len(cycles) > 1 else "".join(cycles) or "no cycle"
    where = " and ".join(community_titles.get(c, c) for c in journey.communities)
    steps = []
    builds_on: dict[str, list[Entry]] = {}
    for earlier, later in journey.links:
        builds_on.setdefault(later.source, []).append(earlier)
    for entry in journey.entries:
        named = ", ".join(entry.cycles) or "no cycle"
        step = f"{entry.date.isoformat()}, {entry.title} ({named})"
        if builds_on.get(entry.source):
            step += ", building on " + " and ".join(e.title for e in builds_on[entry.source])
        steps.append(step)
    return (f"{len(journey.entries)} entries of {where}, from {journey.first.date.isoformat()} to "
            f"{journey.last.date.isoformat()}, reaching {reach} value: " + "; ".join(steps) + ".")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def cycle_span(entries: Sequence[Entry]) -> str:
    """The cycles a list of entries reaches, as words (e.g. "immediate to realised")."""
    reached = [c for c in CYCLES if any(c in e.cycles for e in entries)]
    if not reached:
        return "no cycle named"
    return reached[0] if len(reached) == 1 else f"{reached[0]} to {reached[-1]}"


def paginate(found: Sequence[Journey], budget: int) -> list[list[Journey]]:
    """Journeys cut into pages of at most `budget` entries each (a longer journey alone on its page); at least one page."""
    pages: list[list[Journey]] = [[]]
    size = 0
    for journey in found:
        if pages[-1] and size + len(journey.entries) > budget:
            pages.append([])
            size = 0
        pages[-1].append(journey)
        size += len(journey.entries)
    return pages


def page_url(number: int) -> str:
    """The site-relative URL of the n-th journeys page."""
    return "journeys/" if number == 1 else f"journeys/page/{number}/"


def anchors(pages: Sequence[Sequence[Journey]]) -> dict[str, str]:
    """Each entry on a journey, by source, with the site-relative URL of its journey (page and anchor)."""
    return {entry.source: f"{page_url(number)}#{journey.anchor}"
            for number, page in enumerate(pages, start=1) for journey in page for entry in journey.entries}
