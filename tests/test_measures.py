"""Measures as series: latest value in a period, change since the period before, quarters, chart, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from conftest import entry

from generator import measures
from generator.periods import Period

D = dt.date


def series_of(*entries, cid="c", name="members"):
    return measures.series_by_community(entries)[cid][name]


def test_series_per_community_and_measure_oldest_first():
    found = measures.series_by_community([
        entry("a", "q2", date="2020-05-01", measures={"members": 12, "own-measure": 3}),
        entry("a", "q1", date="2020-02-01", measures={"members": 10}),
        entry("b", "q1", date="2020-02-01", measures={"mailing-list": 40}),
        entry("b", "no-figures", date="2020-03-01"),
    ])
    assert list(found) == ["a", "b"]
    assert list(found["a"]) == ["members", "own-measure"]
    assert [(r.date, r.value) for r in found["a"]["members"].readings] == [(D(2020, 2, 1), 10), (D(2020, 5, 1), 12)]
    assert found["a"]["own-measure"].label == "own-measure"  # an unknown name is shown as written
    assert found["b"]["mailing-list"].label == "People on the mailing list"


def test_known_measures_come_in_the_contract_order_then_others_by_name():
    assert measures.measure_order(["zeta", "emails-sent", "alpha", "members", "mailing-list"]) == [
        "members", "mailing-list", "emails-sent", "alpha", "zeta"]


def test_latest_in_a_period_is_its_last_reading():
    series = series_of(entry(slug="a", date="2020-01-10", measures={"members": 10}),
                       entry(slug="b", date="2020-03-31", measures={"members": 14}),
                       entry(slug="c", date="2020-04-01", measures={"members": 15}))
    assert series.latest_in(Period(2020, 1)).value == 14
    assert series.latest_in(Period(2020, 2)).value == 15
    assert series.latest_in(Period(2020)).value == 15
    assert series.latest_in(Period(2019, 4)) is None
    assert series.latest_in(Period(2020, 3)) is None


def test_two_readings_on_one_day_the_later_file_wins():
    series = series_of(entry(slug="b", date="2020-01-10", measures={"members": 2}),
                       entry(slug="a", date="2020-01-10", measures={"members": 1}))
    # Sources are communities/c/2020/2020-01-10-a.md and -b.md: b sorts last.
    assert series.latest_in(Period(2020, 1)).value == 2


def test_figures_in_a_period_with_change_since_the_period_before():
    found = measures.series_by_community([
        entry(slug="q3", date="2020-09-29", measures={"mailing-list": 76, "emails-opened-percent": 60}),
        entry(slug="q4", date="2020-12-15", measures={"mailing-list": 84, "emails-opened-percent": 57.5,
                                                       "new-one": 3}),
    ])["c"]
    figures = {f.name: f for f in measures.figures_in(found, Period(2020, 4))}
    assert list(figures) == ["mailing-list", "emails-opened-percent", "new-one"]
    assert (figures["mailing-list"].value, figures["mailing-list"].previous, figures["mailing-list"].change) == (84, 76, 8)
    assert figures["mailing-list"].previous_date == D(2020, 9, 29)
    assert figures["emails-opened-percent"].change == -2.5 and figures["emails-opened-percent"].percent
    assert (figures["new-one"].previous, figures["new-one"].change) == (None, None)
    # A year against the year before: 2020 has the December figure, 2019 none.
    assert measures.figures_in(found, Period(2020))[0].change is None
    assert measures.figures_in(found, Period(2021)) == []


def test_change_is_exact_in_decimal():
    assert measures.change(58.1, 49.3) == 8.8
    assert measures.change(0.3, 0.1) == 0.2
    assert measures.change(10, 10.0) == 0 and isinstance(measures.change(10, 10.0), int)
    assert measures.change(7, 9) == -2
    assert measures.change(7, None) is None


def test_latest_figures_compare_with_the_quarter_before_the_newest_reading():
    found = measures.series_by_community([
        entry(slug="a", date="2020-06-30", measures={"members": 10, "mailing-list": 40}),
        entry(slug="b", date="2021-01-15", measures={"members": 13}),
        entry(slug="c", date="2020-12-31", measures={"members": 12}),
    ])["c"]
    members, mailing = measures.latest_figures(found)
    assert (members.value, members.previous_period, members.previous, members.change) == (13, Period(2020, 4), 12, 1)
    assert (mailing.value, mailing.previous_period, mailing.previous) == (40, Period(2020, 1), None)


def test_values_per_quarter_leave_gaps_as_no_figure():
    series = series_of(entry(slug="a", date="2020-02-01", measures={"members": 10}),
                       entry(slug="b", date="2020-08-01", measures={"members": 11}),
                       entry(slug="c", date="2020-09-01", measures={"members": 12}))
    assert [(q.slug, r.value if r else None) for q, r in measures.per_quarter(series)] == [
        ("2020-q1", 10), ("2020-q2", None), ("2020-q3", 12)]


@pytest.mark.parametrize(("value", "plain", "shown"), [
    (118, "118", "118"),
    (12500, "12500", "12,500"),
    (57.5, "57.5", "57.5"),
    (40.0, "40", "40"),
    (1e20, "100000000000000000000", "100,000,000,000,000,000,000"),
    (1e-7, "0.0000001", "0.0000001"),
    (0, "0", "0"),
])
def test_numbers_are_written_plainly(value, plain, shown):
    assert measures.plain_number(value) == plain
    assert measures.display_number(value) == shown
    assert "e" not in plain.lower()


def test_percentages_and_changes_for_people():
    assert measures.display_number(58, percent=True) == "58%"
    assert measures.display_change(8) == "+8"
    assert measures.display_change(-3, percent=True) == "-3 points"
    assert measures.display_change(1, percent=True) == "+1 point"
    assert measures.display_change(0) == "no change"
    assert measures.display_change(None) == ""
    assert measures.display_change(1500) == "+1,500"


@pytest.mark.parametrize(("text", "cell"), [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1", "'+1"), ("-x", "'-x"), ("@SUM(1)", "'@SUM(1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("members", "members"), ("catheter-care", "catheter-care"), ("", ""),
])
def test_csv_cells_cannot_start_a_formula(text, cell):
    assert measures.csv_cell(text) == cell


def test_measures_csv_one_line_per_community_date_measure_sorted():
    text = measures.measures_csv([
        entry("b", "one", date="2020-03-01", measures={"members": 5}),
        entry("a", "two", date="2020-06-01", measures={"mailing-list": 12.5, "emails-sent": 3}),
        entry("a", "one", date="2020-03-01", measures={"members": 1e20}),
        entry("a", "none", date="2020-04-01"),
    ])
    assert text.splitlines() == [
        "community,date,measure,value",
        "a,2020-03-01,members,100000000000000000000",
        "a,2020-06-01,emails-sent,3",
        "a,2020-06-01,mailing-list,12.5",
        "b,2020-03-01,members,5",
    ]


def test_measures_csv_neutralises_a_name_that_would_be_a_formula():
    # Measure names are [a-z0-9-]+, so one may start with a hyphen; a community folder may hold anything.
    text = measures.measures_csv([entry("=HYPERLINK(1)", "e", measures={"-2+3": 4})])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["'=HYPERLINK(1)", "2020-01-01", "'-2+3", "4"]


def test_the_chart_draws_every_label_inside_its_box():
    series = series_of(entry(slug="a", date="2020-02-01", measures={"members": 12000}),
                       entry(slug="b", date="2020-11-01", measures={"members": 95000}))
    chart = measures.chart(series)
    assert [b.quarter.slug for b in chart.bars] == ["2020-q1", "2020-q2", "2020-q3", "2020-q4"]
    assert [b.value for b in chart.bars] == ["12,000", "", "", "95,000"]
    assert [b.year for b in chart.bars] == ["2020", "", "", ""]
    tallest = max(chart.bars, key=lambda b: b.height)
    assert tallest.value == "95,000" and tallest.height == measures.CHART_PLOT
    # The value's baseline sits above the bar and at least a font's height (10 px) below the top.
    assert chart.base - tallest.height - 4 >= 10
    # The year and quarter labels sit below the axis, inside the box.
    assert chart.base + 26 < chart.height
    # Each bar is wide enough for its label and the last one ends inside the box.
    assert chart.bar >= 6.5 * len("95,000")
    assert chart.bars[-1].x + chart.bar <= chart.width


def test_a_percentage_chart_is_drawn_out_of_100():
    series = series_of(entry(slug="a", date="2020-02-01", measures={"emails-opened-percent": 50}),
                       name="emails-opened-percent")
    chart = measures.chart(series)
    assert chart.bars[0].height == measures.CHART_PLOT / 2 and chart.bars[0].value == "50%"


def test_the_year_is_written_under_each_first_quarter():
    series = series_of(entry(slug="a", date="2020-11-01", measures={"members": 1}),
                       entry(slug="b", date="2021-05-01", measures={"members": 2}))
    assert [(b.quarter.slug, b.year) for b in measures.chart(series).bars] == [
        ("2020-q4", "2020"), ("2021-q1", "2021"), ("2021-q2", "")]


def test_community_panels_hold_figure_and_chart_per_measure():
    panels = measures.community_panels([entry(slug="a", date="2020-02-01", measures={"members": 3, "emails-sent": 2})])
    assert [(p.figure.label, p.figure.value, len(p.chart.bars)) for p in panels] == [
        ("Members", 3, 1), ("E-mails sent", 2, 1)]
    assert measures.community_panels([entry(slug="a")]) == []
