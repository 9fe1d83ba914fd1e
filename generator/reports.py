"""Reports for sponsors (contract 9.3 and 9.5): one period, one audience, as plain values, then Markdown and JSON.

A report covers a year or a quarter: for the network and each community, the
entries dated in it (stories, events, attendees), the matrix of those entries
with per-cycle counts and the change from the period of the same length
before, the latest value of each measure with its change, the aims still
without evidence, and the highlights. It is assembled from a `Publication`'s
communities and entries only, so the public report holds only what the public
build may show. HTML is drawn by `render.Renderer` from the same values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import measures as measures_
from . import views
from .framework import CYCLE_INFO, CYCLES
from .model import Community, Entry, Statement
from .periods import Period, periods_between, quarter_of

# ---------------------------------------------------------------------------------------------
# Two definitions other pages may share: what counts as evidence for an aim by a date, and what a
# highlight is. The aims rule is aims.py's (an aim of a cycle has evidence once a published entry of the
# community gives a statement for that cycle; naming the cycle alone makes no claim), held at a date:
# a report says what was still without evidence at its period's end.


def first_evidence(entries: Iterable[Entry]) -> dict[str, dict[str, dt.date]]:
    """For each community, the date on which one of its entries first gives a statement for each cycle."""
    first: dict[str, dict[str, dt.date]] = {}
    for entry in entries:
        own = first.setdefault(entry.community, {})
        for cycle, statements in entry.cycles.items():
            if statements and (cycle not in own or entry.date < own[cycle]):
                own[cycle] = entry.date
    return first


def aims_without_evidence(community: Community, evidence: dict[str, dt.date],
                          until: dt.date) -> dict[str, tuple[Statement, ...]]:
    """The community's aims with no statement for their cycle on or before `until` (`evidence`: its first_evidence)."""
    return {cycle: aims for cycle, aims in community.aims.items()
            if cycle not in evidence or evidence[cycle] > until}


def highlights(entries: Iterable[Entry]) -> list[Entry]:
    """The entries chosen to show outsiders (with a `showcase` reason), newest first."""
    return views.newest_first(e for e in entries if e.showcase)


# ---------------------------------------------------------------------------------------------
# The report's values.


@dataclass(frozen=True, slots=True)
class CycleCounts:
    """How many entries of a period name each cycle, against the period before."""

    counts: dict[str, int]
    previous: dict[str, int]

    @property
    def change(self) -> dict[str, int]:
        """This period's count minus the previous period's, per cycle."""
        return {c: self.counts[c] - self.previous[c] for c in CYCLES}


def count_cycles(entries: Iterable[Entry]) -> dict[str, int]:
    """How many of the entries name each cycle."""
    counts = dict.fromkeys(CYCLES, 0)
    for entry in entries:
        for cycle in entry.cycles:
            counts[cycle] += 1
    return counts


@dataclass(frozen=True, slots=True)
class Tally:
    """What a period holds: entries, stories, events and their attendees."""

    entries: int
    stories: int
    events: int
    attendees: int


def tally(entries: Sequence[Entry]) -> Tally:
    """How many entries, stories and events, and how many attended the events."""
    events = [e for e in entries if e.kind == "event"]
    return Tally(len(entries), sum(e.kind == "story" for e in entries), len(events),
                 sum(e.attendees or 0 for e in events))


@dataclass(frozen=True, slots=True)
class CommunityReport:
    """One community's part of a report."""

    community: Community
    #: its entries dated in the period, in the matrix's order (date, then title)
    entries: tuple[Entry, ...]
    tally: Tally
    #: the matrix of those entries: a row per entry naming a cycle
    matrix: views.Matrix
    counts: CycleCounts
    figures: tuple[measures_.Figure, ...]
    #: aims still without evidence at the period's end (empty when every aim has some, or there are none)
    open_aims: dict[str, tuple[Statement, ...]]
    highlights: tuple[Entry, ...]

    @property
    def is_empty(self) -> bool:
        """Whether nothing was recorded in the period: no entry, no figure."""
        return not self.entries and not self.figures


@dataclass(frozen=True, slots=True)
class Report:
    """The report for one period and one audience (one community's, when `scope` names it)."""

    period: Period
    audience: str
    scope: str | None
    tally: Tally
    counts: CycleCounts
    communities: tuple[CommunityReport, ...]
    #: the network's highlights, newest first
    highlights: tuple[Entry, ...]

    @property
    def previous(self) -> Period:
        """The period it is compared with."""
        return self.period.previous()

    @property
    def is_empty(self) -> bool:
        """Whether nothing was recorded in the period by any community it covers."""
        return all(c.is_empty for c in self.communities)

    @property
    def title(self) -> str:
        """E.g. `Report for 2020 Q4` or `Catheter care: report for 2020 Q4`."""
        head = f"Report for {self.period.label}"
        if self.scope is not None and len(self.communities) == 1:
            return f"{self.communities[0].community.title}: report for {self.period.label}"
        return head


class CommunityIndex:
    """One community's published entries sorted once by period, with its measures and its first evidence per cycle.

    Kept per community, so that a `mkdocs serve` rebuild after one edit sorts only that community again.
    """

    def __init__(self, entries: Sequence[Entry]):
        buckets: dict[Period, list[Entry]] = {}
        ordered = views.oldest_first(entries)
        for entry in ordered:
            quarter = quarter_of(entry.date)
            buckets.setdefault(quarter, []).append(entry)
            buckets.setdefault(Period(quarter.year), []).append(entry)
        self.by_period: dict[Period, tuple[Entry, ...]] = {period: tuple(own) for period, own in buckets.items()}
        # Each period's counts, once: a report reads them for its period and for the one after.
        self.counts: dict[Period, dict[str, int]] = {period: count_cycles(own) for period, own in buckets.items()}
        self.first: dt.date | None = ordered[0].date if ordered else None
        self.last: dt.date | None = ordered[-1].date if ordered else None
        self.measures: dict[str, measures_.Series] = next(iter(measures_.series_by_community(ordered).values()), {})
        self.evidence: dict[str, dt.date] = next(iter(first_evidence(ordered).values()), {})

    def stamp(self) -> str:
        """What a report reads from all of the community's entries (first entry, first evidence per cycle), as text."""
        first = self.first.isoformat() if self.first else ""
        return first + "".join(f" {cycle}:{date.isoformat()}" for cycle, date in sorted(self.evidence.items()))


class ReportIndex:
    """The published memory sorted once by community and period, so each report reads only its own entries."""

    def __init__(self, communities: dict[str, Community], entries: Sequence[Entry], audience: str,
                 parts: dict[str, CommunityIndex] | None = None):
        self.communities = communities
        self.audience = audience
        if parts is None:
            own: dict[str, list[Entry]] = {cid: [] for cid in communities}
            for entry in entries:
                own[entry.community].append(entry)
            parts = {cid: CommunityIndex(found) for cid, found in own.items()}
        self.parts = parts
        self.periods: list[Period] = periods_between(
            d for part in parts.values() for d in (part.first, part.last) if d is not None)

    @classmethod
    def of(cls, communities: dict[str, Community], parts: dict[str, CommunityIndex], audience: str) -> ReportIndex:
        """The index of communities whose `CommunityIndex` is already made (one per community of `communities`)."""
        return cls(communities, (), audience, parts)

    def entries_in(self, period: Period, community: str | None = None) -> tuple[Entry, ...]:
        """The entries dated in `period` (of one community, or of all), by date then title."""
        if community is not None:
            return self.parts[community].by_period.get(period, ())
        return tuple(views.oldest_first(e for part in self.parts.values() for e in part.by_period.get(period, ())))

    def count(self, period: Period) -> int:
        """How many entries are dated in `period`."""
        return sum(len(part.by_period.get(period, ())) for part in self.parts.values())

    def shown_in(self, period: Period) -> tuple[Entry, ...]:
        """Every entry a report of `period` reads (its period's and the previous one's), in no particular order."""
        return tuple(e for p in (period, period.previous()) for part in self.parts.values()
                     for e in part.by_period.get(p, ()))

    def stamp(self) -> str:
        """What every report reads from all entries (each community's first entry and first evidence), as text."""
        return ";".join(f"{cid} {part.stamp()}" for cid, part in sorted(self.parts.items()))

    def is_active(self, community: Community, period: Period) -> bool:
        """Whether the community existed in the period: begun (first meeting or first entry) by its end, not ended before its start."""
        begun = [d for d in (community.started, self.parts[community.id].first) if d is not None]
        if begun and min(begun) > period.end:
            return False
        return community.ended is None or community.ended >= period.start

    def report(self, period: Period, community: str | None = None) -> Report:
        """The report for `period`: every community active in it, or only `community` (a KeyError if unknown).

        The network's figures are the sum of the communities the report covers, in this period and the one before.
        """
        if community is not None:
            chosen = [self.communities[community]]
        else:
            chosen = [self.communities[cid] for cid in sorted(self.communities)
                      if period in self.parts[cid].by_period or self.is_active(self.communities[cid], period)]
        parts = tuple(self._community_report(c, period) for c in chosen)
        counts = CycleCounts({c: sum(p.counts.counts[c] for p in parts) for c in CYCLES},
                             {c: sum(p.counts.previous[c] for p in parts) for c in CYCLES})
        found = Tally(*(sum(getattr(p.tally, name) for p in parts) for name in Tally.__slots__))
        chosen_highlights = views.newest_first(e for p in parts for e in p.highlights)
        return Report(period, self.audience, community, found, counts, parts, tuple(chosen_highlights))

    def _community_report(self, community: Community, period: Period) -> CommunityReport:
        index = self.parts[community.id]
        own = index.by_period.get(period, ())
        none = dict.fromkeys(CYCLES, 0)
        counts = CycleCounts(index.counts.get(period, none), index.counts.get(period.previous(), none))
        # The matrix of the period's entries: they are in its order already, and counted above.
        matrix = views.Matrix(community, [views.MatrixRow(e, e.cycles) for e in own if e.cycles], counts.counts)
        figures = measures_.figures_in(index.measures, period)
        open_aims = aims_without_evidence(community, index.evidence, period.end)
        return CommunityReport(community, own, tally(own), matrix, counts, tuple(figures), open_aims,
                               tuple(highlights(own)))


# ---------------------------------------------------------------------------------------------
# JSON (its schema: generator/schema/report.schema.json)


def report_data(report: Report) -> dict:
    """The report as JSON-ready data: site-relative URLs, ISO dates, numbers as written."""
    return {
        "period": report.period.slug,
        "label": report.period.label,
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "previous": report.previous.slug,
        "audience": report.audience,
        "community": report.scope,
        "cycles": list(CYCLES),
        "network": {
            **_tally_data(report.tally),
            **_counts_data(report.counts),
            "highlights": [_highlight_data(e) for e in report.highlights],
        },
        "communities": [_community_data(part) for part in report.communities],
    }


def _tally_data(found: Tally) -> dict:
    return {"entries": found.entries, "stories": found.stories, "events": found.events,
            "attendees": found.attendees}


def _counts_data(counts: CycleCounts) -> dict:
    return {"counts": dict(counts.counts), "previous_counts": dict(counts.previous), "change": counts.change}


def _highlight_data(entry: Entry) -> dict:
    return {"entry": "/" + entry.url, "community": entry.community, "title": entry.title,
            "date": entry.date.isoformat(), "reason": entry.showcase}


def _community_data(part: CommunityReport) -> dict:
    return {
        "id": part.community.id,
        "title": part.community.title,
        "url": "/" + part.community.url,
        **_tally_data(part.tally),
        "entries": [
            {"entry": "/" + e.url, "title": e.title, "date": e.date.isoformat(), "kind": e.kind,
             "attendees": e.attendees if e.kind == "event" else None,
             "cells": {cycle: [s.text for s in statements] for cycle, statements in e.cycles.items()}}
            for e in part.entries
        ],
        **_counts_data(part.counts),
        "measures": [
            {"name": f.name, "label": f.label, "percent": f.percent, "value": f.value, "date": f.date.isoformat(),
             "previous": f.previous, "previous_date": f.previous_date.isoformat() if f.previous_date else None,
             "change": f.change}
            for f in part.figures
        ],
        "aims_without_evidence": {cycle: [s.text for s in part.open_aims[cycle]] for cycle in CYCLES
                                  if cycle in part.open_aims},
        "aims": {cycle: [s.text for s in part.community.aims[cycle]] for cycle in CYCLES if cycle in part.community.aims},
        "highlights": [_highlight_data(e) for e in part.highlights],
    }


def report_json(report: Report) -> str:
    """The report as JSON text (UTF-8 as is, two-space indent)."""
    return json.dumps(report_data(report), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Markdown: for an e-mail or a funder's form. Tables and lists only, no HTML; user text escaped.

# The marks that mean something inside a line of Markdown (emphasis, code, links, HTML, GFM tables and
# strikethrough). Others (#, +, -, digits and a dot) mean something only at a line's start, where user
# text never stands here; leaving them alone keeps the text clean when a form does not render Markdown.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(text: str) -> str:
    """Text as literal Markdown: special characters backslash-escaped, lines joined."""
    # User text never starts a line here (it follows a table pipe, a list marker or a heading's #),
    # so only inline syntax needs escaping.
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def tally_sentence(found: Tally) -> str:
    """E.g. `3 entries: 1 story, 2 events with 45 attendees`."""
    return (f"{_plural(found.entries, 'entry', 'entries')}: {_plural(found.stories, 'story', 'stories')}, "
            f"{_plural(found.events, 'event')} with {_plural(found.attendees, 'attendee')}")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines + [""]


def _counts_table(counts: CycleCounts, previous: Period) -> list[str]:
    change = counts.change
    return _table(["cycle", "this period", previous.label, "change"],
                  [[CYCLE_INFO[c].label, str(counts.counts[c]), str(counts.previous[c]),
                    measures_.display_change(change[c])] for c in CYCLES])


def _highlight_lines(found: Sequence[Entry], titles: dict[str, str] | None = None) -> list[str]:
    if not found:
        return ["None in this period.", ""]
    lines = []
    for entry in found:
        where = f", {md_escape(titles[entry.community])}" if titles else ""
        lines.append(f"- **{md_escape(entry.title)}** ({entry.date.isoformat()}{where}): {md_escape(entry.showcase)}")
    return lines + [""]


def report_markdown(report: Report) -> str:
    """The report as Markdown: headings, tables and lists only (no HTML), every user text escaped."""
    period = report.period
    lines = [f"# {md_escape(report.title)}", "",
             f"{period.span}, compared with {report.previous.label}. {report.audience.capitalize()} version.", ""]
    if report.is_empty:
        lines += ["Nothing was recorded in this period.", ""]
    if report.scope is None:
        titles = {part.community.id: part.community.title for part in report.communities}
        lines += ["## The network", "", f"In this period: {tally_sentence(report.tally)}.", ""]
        if report.communities:
            lines += _table(["community", "entries", "stories", "events", "attendees"],
                            [[md_escape(part.community.title), str(part.tally.entries), str(part.tally.stories),
                              str(part.tally.events), str(part.tally.attendees)] for part in report.communities])
        lines += ["### Entries naming each cycle", ""] + _counts_table(report.counts, report.previous)
        lines += ["### Highlights", ""] + _highlight_lines(report.highlights, titles)
    for part in report.communities:
        lines += _community_markdown(part, report, heading="##" if report.scope is None else "")
    return "\n".join(lines).rstrip("\n") + "\n"


def _community_markdown(part: CommunityReport, report: Report, heading: str) -> list[str]:
    """One community's sections; `heading` is its title's level, or empty when the report is its own."""
    lines = [f"{heading} {md_escape(part.community.title)}", ""] if heading else []
    sub = heading + "#" if heading else "##"
    if part.is_empty:
        lines += ["Nothing recorded in this period.", ""]
    else:
        lines += [f"In this period: {tally_sentence(part.tally)}.", ""]
    if part.entries:
        lines += [f"{sub} Entries", ""]
        lines += _table(["date", "title", "kind", "cycles", "attendees"],
                        [[e.date.isoformat(), md_escape(e.title), e.kind,
                          ", ".join(c for c in CYCLES if c in e.cycles),
                          str(e.attendees) if e.kind == "event" and e.attendees is not None else ""]
                         for e in part.entries])
    lines += [f"{sub} Value creation matrix", ""] + _counts_table(part.counts, report.previous)
    statements = [(row.entry, cycle, s.text) for row in part.matrix.rows for cycle in CYCLES
                  for s in row.cells.get(cycle, ())]
    if statements:
        lines += _table(["entry", "cycle", "statement"],
                        [[md_escape(e.title), CYCLE_INFO[c].label, md_escape(text)] for e, c, text in statements])
    lines += [f"{sub} Measures", ""]
    if part.figures:
        lines += _table(["measure", "value", "as of", report.previous.label, "change"],
                        [[md_escape(f.label), measures_.display_number(f.value, f.percent), f.date.isoformat(),
                          measures_.display_number(f.previous, f.percent) if f.previous is not None else "no figure",
                          measures_.display_change(f.change, f.percent)] for f in part.figures])
    else:
        lines += ["No figures recorded in this period.", ""]
    lines += [f"{sub} Aims still without evidence", ""]
    if part.open_aims:
        lines += [f"- {CYCLE_INFO[cycle].label}: {md_escape(aim.text)}"
                  for cycle in CYCLES for aim in part.open_aims.get(cycle, ())] + [""]
    elif part.community.aims:
        lines += [f"Every aim has evidence by {report.period.end.isoformat()}.", ""]
    else:
        lines += ["The charter names no aims yet.", ""]
    lines += [f"{sub} Highlights", ""] + _highlight_lines(part.highlights)
    return lines
