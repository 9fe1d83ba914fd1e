"""Measures: the figures a community tracks (contract 9.1), as series over time, as plain values.

An entry's `measures` are figures as of its date. Here they become one series
per community and measure, from which come the latest value in a period, the
change since the period before, the values per quarter, a small chart's
geometry and the lines of `/measures.csv`. Every function takes entries
already published for the audience: none decides what may be shown.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from .framework import MEASURES, PERCENT_SUFFIX
from .model import Entry
from .periods import Period, quarter_of, quarters_between

Number = int | float
CSV_COLUMNS = ("community", "date", "measure", "value")


def label(name: str) -> str:
    """The label a measure is shown under: the contract's for a known name, else the name itself."""
    return MEASURES.get(name, name)


def is_percent(name: str) -> bool:
    """Whether a measure is a percentage (its name ends in `-percent`)."""
    return name.endswith(PERCENT_SUFFIX)


def measure_order(names: Iterable[str]) -> list[str]:
    """Measure names in the order people read them: the known ones as the contract lists them, then the rest by name."""
    known = list(MEASURES)
    return sorted(set(names), key=lambda n: (0, known.index(n), "") if n in MEASURES else (1, 0, n))


class Reading(NamedTuple):
    """One figure: its value, as of an entry's date."""

    date: dt.date
    value: Number
    entry: Entry


@dataclass(frozen=True, slots=True)
class Series:
    """One measure of one community over time, oldest reading first."""

    community: str
    name: str
    readings: tuple[Reading, ...]
    #: the readings' dates, for finding a period's readings by bisection
    dates: tuple[dt.date, ...] = field(repr=False, default=())

    @property
    def label(self) -> str:
        """What the measure is shown under."""
        return label(self.name)

    @property
    def is_percent(self) -> bool:
        """Whether its values are percentages."""
        return is_percent(self.name)

    def latest_in(self, period: Period) -> Reading | None:
        """The last reading dated in `period`, if any (of two on one day, the later file by path)."""
        index = bisect.bisect_right(self.dates, period.end) - 1
        if index >= 0 and self.dates[index] >= period.start:
            return self.readings[index]
        return None

    @property
    def latest(self) -> Reading:
        """The newest reading."""
        return self.readings[-1]


def series_by_community(entries: Iterable[Entry]) -> dict[str, dict[str, Series]]:
    """Every community's measures as series (communities by id, measures in reading order)."""
    found: dict[str, dict[str, list[Reading]]] = {}
    for entry in entries:
        if entry.measures:
            own = found.setdefault(entry.community, {})
            for name, value in entry.measures.items():
                own.setdefault(name, []).append(Reading(entry.date, value, entry))
    result: dict[str, dict[str, Series]] = {}
    for cid in sorted(found):
        result[cid] = {}
        for name in measure_order(found[cid]):
            readings = tuple(sorted(found[cid][name], key=lambda r: (r.date, r.entry.source)))
            result[cid][name] = Series(cid, name, readings, tuple(r.date for r in readings))
    return result


def change(value: Number, previous: Number | None) -> Number | None:
    """`value - previous`, exact in decimal (58.1 - 49.3 is 8.8), or None without a previous value."""
    if previous is None:
        return None
    if isinstance(value, int) and isinstance(previous, int):
        return value - previous
    difference = Decimal(repr(value)) - Decimal(repr(previous))
    return int(difference) if difference == difference.to_integral_value() else float(difference)


@dataclass(frozen=True, slots=True)
class Figure:
    """A measure's value at the end of a period, and its change since the period before."""

    name: str
    label: str
    percent: bool
    value: Number
    date: dt.date
    #: the period compared against, and its latest value (None: no figure then)
    previous_period: Period
    previous: Number | None
    previous_date: dt.date | None
    change: Number | None


def figure(series: Series, reading: Reading, period: Period) -> Figure:
    """A reading of `period`, compared with the latest reading of the period before."""
    before = series.latest_in(period.previous())
    return Figure(series.name, series.label, series.is_percent, reading.value, reading.date, period.previous(),
                  before.value if before else None, before.date if before else None,
                  change(reading.value, before.value if before else None))


def figures_in(measures: dict[str, Series], period: Period) -> list[Figure]:
    """The latest value of each measure read in `period`, with its change since the period of the same length before."""
    result = []
    for series in measures.values():
        reading = series.latest_in(period)
        if reading is not None:
            result.append(figure(series, reading, period))
    return result


def latest_figures(measures: dict[str, Series]) -> list[Figure]:
    """Each measure's newest value, with its change since the quarter before the newest reading's."""
    return [figure(s, s.latest, quarter_of(s.latest.date)) for s in measures.values()]


def per_quarter(series: Series) -> list[tuple[Period, Reading | None]]:
    """The latest reading of each quarter, from the first reading's quarter to the last's (None: no figure)."""
    quarters = quarters_between(series.readings[0].date, series.latest.date)
    return [(quarter, series.latest_in(quarter)) for quarter in quarters]


# ---------------------------------------------------------------------------------------------
# Numbers as text.


def plain_number(value: Number) -> str:
    """A number as a spreadsheet reads it: digits and a point, never an exponent or a grouping comma."""
    if isinstance(value, bool):  # never a measure, but bool is an int
        raise TypeError("a measure is a number, not a boolean")
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def display_number(value: Number, percent: bool = False) -> str:
    """A number for people: thousands grouped, percentages with %."""
    text = plain_number(value)
    whole, point, fraction = text.partition(".")
    text = f"{int(whole):,}" + point + fraction
    return text + "%" if percent else text


def display_change(difference: Number | None, percent: bool = False) -> str:
    """A change for people: `+8`, `-3`, `+2 points` for a percentage, `no change`, or empty when unknown."""
    if difference is None:
        return ""
    if difference == 0:
        return "no change"
    sign = "+" if difference > 0 else "-"
    text = sign + display_number(abs(difference))
    if percent:
        text += " point" if abs(difference) == 1 else " points"
    return text


# ---------------------------------------------------------------------------------------------
# /measures.csv


def csv_cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP: prefix = + - @ tab CR with ')."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def measures_csv(entries: Iterable[Entry]) -> str:
    """One line per (community, date, measure, value), header first, by community, date and measure."""
    rows = [(entry.community, entry.date, name, value, entry.source)
            for entry in entries for name, value in entry.measures.items()]
    rows.sort(key=lambda row: (row[0], row[1], row[2], row[4]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for community, date, name, value, _ in rows:
        writer.writerow((csv_cell(community), date.isoformat(), csv_cell(name), plain_number(value)))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# A small chart per measure: plain geometry for the template.


class Bar(NamedTuple):
    """One quarter's bar (height 0 and no value when the quarter has no figure)."""

    x: float
    height: float
    quarter: Period
    #: the value as shown, empty when the quarter has no figure
    value: str
    #: the year, under the first bar and under each first quarter
    year: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A bar per quarter, drawn inside its viewBox: value above each bar, quarter and year below."""

    width: int
    height: int
    bar: int
    base: float
    bars: tuple[Bar, ...]
    first: Period
    last: Period

    @property
    def description(self) -> str:
        """What the chart shows, in words (its accessible title)."""
        return f"one bar per quarter from {self.first.label} to {self.last.label}, its value written above it"


#: Room above the tallest bar for its value, and below the axis for the quarter and year.
CHART_TOP, CHART_PLOT, CHART_BOTTOM = 18, 80, 30


def chart(series: Series) -> Chart:
    """The geometry of a measure's bar chart over quarters; percentages are drawn on a 0-100 scale."""
    quarters = per_quarter(series)
    values = [display_number(r.value, series.is_percent) if r else "" for _, r in quarters]
    most = 100 if series.is_percent else max(r.value for _, r in quarters if r)
    # A slot wide enough for its longest value label at the chart's font size (about 6.5 px a character).
    bar = max(26, round(6.5 * max(len(v) for v in values)) + 4)
    slot = bar + 10
    base = CHART_TOP + CHART_PLOT
    bars = []
    for index, ((quarter, reading), value) in enumerate(zip(quarters, values, strict=True)):
        height = round(CHART_PLOT * reading.value / most, 1) if reading and most else 0
        year = str(quarter.year) if index == 0 or quarter.quarter == 1 else ""
        bars.append(Bar(5 + index * slot, height, quarter, value, year))
    return Chart(10 + len(quarters) * slot, CHART_TOP + CHART_PLOT + CHART_BOTTOM, bar, base, tuple(bars),
                 quarters[0][0], quarters[-1][0])


@dataclass(frozen=True, slots=True)
class MeasurePanel:
    """What a community's home shows of one measure: its newest figure and its chart."""

    series: Series
    figure: Figure
    chart: Chart


def community_panels(entries: Sequence[Entry]) -> list[MeasurePanel]:
    """A panel per measure of one community's published entries, in reading order."""
    panels = []
    for measures in series_by_community(entries).values():
        for series, latest in zip(measures.values(), latest_figures(measures), strict=True):
            panels.append(MeasurePanel(series, latest, chart(series)))
    return panels
