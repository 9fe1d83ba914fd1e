"""Reporting periods: parsing `YYYY` and `YYYY-qN`, their bounds, the period before, the last full quarter."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.periods import Period, last_full_quarter, periods_between, quarter_of, quarters_between

D = dt.date


@pytest.mark.parametrize(("text", "expected"), [
    ("2025", Period(2025)),
    ("2025-q3", Period(2025, 3)),
    ("2025-Q3", Period(2025, 3)),
    (" 2019-q1 ", Period(2019, 1)),
    ("0999-q4", Period(999, 4)),
])
def test_a_period_is_a_year_or_a_quarter(text, expected):
    assert Period.parse(text) == expected


@pytest.mark.parametrize("text", ["", "25", "2025-q0", "2025-q5", "2025-3", "2025q3", "2025-Q", "q3-2025",
                                  "2025-07", "2025-q3-x", "0000", "２０２５", "2025 q3"])
def test_anything_else_is_refused_with_the_form_expected(text):
    with pytest.raises(ValueError, match=r"YYYY or YYYY-qN \(e\.g\. 2025 or 2025-q3\)"):
        Period.parse(text)


@pytest.mark.parametrize(("period", "start", "end"), [
    (Period(2020), D(2020, 1, 1), D(2020, 12, 31)),
    (Period(2020, 1), D(2020, 1, 1), D(2020, 3, 31)),
    (Period(2020, 2), D(2020, 4, 1), D(2020, 6, 30)),
    (Period(2020, 3), D(2020, 7, 1), D(2020, 9, 30)),
    (Period(2020, 4), D(2020, 10, 1), D(2020, 12, 31)),
    # A leap year changes no bound: quarters end on the 31st of March and the 30th of June either way.
    (Period(2021, 1), D(2021, 1, 1), D(2021, 3, 31)),
])
def test_bounds(period, start, end):
    assert (period.start, period.end) == (start, end)
    assert period.contains(start) and period.contains(end)
    assert not period.contains(start - dt.timedelta(days=1))
    assert not period.contains(end + dt.timedelta(days=1))


@pytest.mark.parametrize(("period", "previous"), [
    (Period(2021, 1), Period(2020, 4)),  # the first quarter's is last year's fourth
    (Period(2021, 2), Period(2021, 1)),
    (Period(2021, 4), Period(2021, 3)),
    (Period(2021), Period(2020)),  # a year is compared with a year, not with a quarter
])
def test_the_previous_period_has_the_same_length(period, previous):
    assert period.previous() == previous
    assert previous.next() == period
    assert period.is_quarter == previous.is_quarter


def test_names_slugs_and_spans():
    assert (Period(2025, 3).slug, Period(2025, 3).label, Period(2025, 3).span) == (
        "2025-q3", "2025 Q3", "July to September 2025")
    assert (Period(2025).slug, Period(2025).label, Period(2025).span) == ("2025", "2025", "January to December 2025")
    assert Period.parse(Period(2025, 3).slug) == Period(2025, 3)


@pytest.mark.parametrize(("today", "expected"), [
    (D(2025, 11, 23), Period(2025, 3)),
    (D(2025, 10, 1), Period(2025, 3)),  # the quarter that began today is not full
    (D(2025, 9, 30), Period(2025, 2)),  # nor is the one that ends today
    (D(2026, 1, 1), Period(2025, 4)),
    (D(2026, 2, 28), Period(2025, 4)),
    (D(2024, 2, 29), Period(2023, 4)),
])
def test_last_full_quarter(today, expected):
    assert last_full_quarter(today) == expected


def test_quarter_of_a_date():
    assert [quarter_of(D(2020, m, 1)).quarter for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]


def test_quarters_and_periods_between_two_dates():
    assert [p.slug for p in quarters_between(D(2019, 11, 5), D(2020, 4, 1))] == [
        "2019-q4", "2020-q1", "2020-q2"]
    assert [p.slug for p in periods_between([D(2020, 4, 1), D(2019, 11, 5), D(2019, 12, 1)])] == [
        "2019", "2019-q4", "2020", "2020-q1", "2020-q2"]
    assert [p.slug for p in periods_between([D(2020, 5, 5)])] == ["2020", "2020-q2"]
    assert periods_between([]) == []
