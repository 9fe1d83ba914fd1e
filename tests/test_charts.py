"""Charts people can read: labels inside the picture, years under the strip, a full legend, no hover-only facts."""

from __future__ import annotations

import re

from conftest import community, entry

from generator import views
from generator.render import Renderer, events_chart, plural, timeline_strip

FONT = 10  # the bar labels' font size in the SVG (cop-memory.css)


def test_every_value_label_of_the_events_chart_is_inside_its_picture():
    quarters = views.events_per_quarter([
        entry(slug="big", date="2019-02-01", kind="event", attendees=107),
        entry(slug="small", date="2019-08-01", kind="event", attendees=7),
    ])
    chart = events_chart(quarters)
    for bar in chart["bars"]:
        baseline = chart["base"] - bar["h"] - 3
        assert baseline - FONT >= 0, bar
    assert max(bar["h"] for bar in chart["bars"]) > 0


def test_the_strip_labels_each_year_and_its_legend_names_every_colour_it_uses():
    entries = [entry(slug="a", date="2018-03-01", cycles={"applied": ()}), entry(slug="b", date="2019-06-01"),
               entry(slug="c", date="2021-01-05", cycles={"immediate": ()})]
    strip = timeline_strip(entries)
    assert [y["label"] for y in strip["labels"]] == [2018, 2019, 2020, 2021]
    assert strip["labels"][0]["percent"] == 0 and all(0 < y["percent"] < 100 for y in strip["labels"][1:])
    assert strip["legend"] == ["immediate", "applied", "none"]


def test_a_first_year_that_would_crowd_the_next_is_not_labelled():
    strip = timeline_strip([entry(slug="a", date="2018-11-20"), entry(slug="b", date="2020-06-01")])
    assert [y["label"] for y in strip["labels"]] == [2019, 2020]


def test_a_year_label_at_the_right_edge_ends_there():
    strip = timeline_strip([entry(slug="a", date="2018-01-20"), entry(slug="b", date="2021-01-10")])
    assert [(y["label"], y["style"]) for y in strip["labels"]][-1] == (2021, "right: 0")
    assert strip["labels"][0]["style"] == "left: 0%"


def test_counts_are_said_with_the_right_plural():
    assert [plural(1, "event"), plural(2, "event"), plural(0, "event")] == ["1 event", "2 events", "0 events"]
    assert [plural(1, "entry", "entries"), plural(3, "entry", "entries")] == ["1 entry", "3 entries"]


def test_the_community_home_says_its_figures_without_hover():
    c = community()
    entries = [entry(slug="one", date="2019-02-01", kind="event", attendees=12),
               entry(slug="two", date="2019-08-01", kind="event", attendees=1)]
    html = Renderer().community_home(c, entries, "", "communities/c/")
    assert "<title>2019 Q1: 1 event, 12 attendees</title>" in html
    assert "<title>2019 Q3: 1 event, 1 attendee</title>" in html
    assert "hover" not in html
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td></tr>', html)
    assert rows == [("2019 Q1", "1", "12"), ("2019 Q2", "0", "0"), ("2019 Q3", "1", "1")]
    assert "2 entries from 2019-02-01" in html
