"""Reporting periods: a year (`2025`) or a quarter (`2025-q3`), and the arithmetic reports need.

Plain values, no imports from the project. A period knows its first and last
day, the period of the same length before it, and its name in a URL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import NamedTuple

_PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-[qQ](?P<quarter>[1-4]))?")
QUARTER_MONTHS = ("January to March", "April to June", "July to September", "October to December")


# A NamedTuple, not a dataclass: reports look entries up by period thousands of times, and a
# tuple hashes and compares in C.
class Period(NamedTuple):
    """A calendar year (`quarter` None) or one of its quarters (1-4)."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period written `YYYY` or `YYYY-qN` (the q in any case); ValueError with the expected form otherwise."""
        match = _PERIOD.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None or int(match["year"]) < 1:
            raise ValueError(f"expected a year or a quarter, YYYY or YYYY-qN (e.g. 2025 or 2025-q3), found {text!r}")
        quarter = match["quarter"]
        return cls(int(match["year"]), int(quarter) if quarter else None)

    @property
    def is_quarter(self) -> bool:
        """Whether the period is a quarter (not a whole year)."""
        return self.quarter is not None

    @property
    def start(self) -> dt.date:
        """Its first day."""
        return dt.date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        """Its last day."""
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def slug(self) -> str:
        """Its name in a URL and on the command line: `2025` or `2025-q3`."""
        return str(self.year) if self.quarter is None else f"{self.year}-q{self.quarter}"

    @property
    def label(self) -> str:
        """Its short name for people: `2025` or `2025 Q3`."""
        return str(self.year) if self.quarter is None else f"{self.year} Q{self.quarter}"

    @property
    def span(self) -> str:
        """The months it covers, e.g. `July to September 2025` or `January to December 2025`."""
        months = "January to December" if self.quarter is None else QUARTER_MONTHS[self.quarter - 1]
        return f"{months} {self.year}"

    def contains(self, date: dt.date) -> bool:
        """Whether `date` falls in the period."""
        return date.year == self.year and (self.quarter is None or quarter_number(date) == self.quarter)

    def previous(self) -> Period:
        """The period of the same length just before (the first quarter's is last year's fourth)."""
        if self.quarter is None:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def next(self) -> Period:
        """The period of the same length just after."""
        if self.quarter is None:
            return Period(self.year + 1)
        if self.quarter == 4:
            return Period(self.year + 1, 1)
        return Period(self.year, self.quarter + 1)

    @property
    def order(self) -> tuple[int, int]:
        """A sort key: by start, a year before its first quarter."""
        return (self.year, self.quarter or 0)


def quarter_number(date: dt.date) -> int:
    """The quarter (1-4) a date falls in."""
    return (date.month - 1) // 3 + 1


def quarter_of(date: dt.date) -> Period:
    """The quarter a date falls in."""
    return Period(date.year, quarter_number(date))


def last_full_quarter(today: dt.date) -> Period:
    """The last quarter that has ended before `today` (the one before today's quarter)."""
    return quarter_of(today).previous()


def quarters_between(first: dt.date, last: dt.date) -> list[Period]:
    """Every quarter from the one holding `first` to the one holding `last`, oldest first."""
    result: list[Period] = []
    quarter, end = quarter_of(first), quarter_of(last)
    while quarter.order <= end.order:
        result.append(quarter)
        quarter = quarter.next()
    return result


def periods_between(dates: Iterable[dt.date]) -> list[Period]:
    """Every year and quarter from the earliest of `dates` to the latest, each year before its quarters."""
    dates = list(dates)
    if not dates:
        return []
    quarters = quarters_between(min(dates), max(dates))
    years = [Period(year) for year in range(quarters[0].year, quarters[-1].year + 1)]
    return sorted(years + quarters, key=lambda p: p.order)
