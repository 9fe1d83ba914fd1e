"""Assembly without MkDocs: timelines, matrices, cycle views, event counts, excerpts."""

from __future__ import annotations

import pytest
from conftest import community as make_community
from conftest import entry as make_entry

from generator import views
from generator.model import CYCLES, Community, Entry


def community(cid="c", title=None) -> Community:
    return make_community(cid, title=title or cid.upper())


def entry(title, date, cid="c", kind="story", cycles=None, **fields) -> Entry:
    """A story (by default) whose slug and file name come from its title."""
    slug = title.lower().replace(" ", "-")
    return make_entry(cid, slug, title=title, date=date, kind=kind, cycles=cycles or {},
                      source=f"communities/{cid}/{slug}.md", visibility="internal", **fields)


def test_matrix_rows_ordered_by_date_then_title_and_only_entries_naming_a_cycle():
    entries = [
        entry("Zeta", "2020-03-01", cycles={"applied": ("x",)}),
        entry("alpha", "2020-03-01", cycles={"immediate": ()}),
        entry("Early", "2019-01-01", cycles={"potential": ("p",)}),
        entry("No cycles", "2018-01-01", kind="note"),
    ]
    matrix = views.community_matrix(community(), entries)
    assert [row.entry.title for row in matrix.rows] == ["Early", "alpha", "Zeta"]
    assert matrix.counts == {"immediate": 1, "potential": 1, "applied": 1, "realised": 0, "transformative": 0}
    assert matrix.empty_cycles == ["realised", "transformative"]


def test_blank_matrix_has_every_cycle_empty():
    matrix = views.community_matrix(community(), [])
    assert matrix.rows == [] and matrix.empty_cycles == list(CYCLES)


def test_network_matrix_includes_blank_communities_ordered_by_id_and_totals():
    communities = {"b": community("b"), "a": community("a"), "z": community("z")}
    entries = [entry("One", "2020-01-01", "a", cycles={"applied": ("x",), "realised": ("y",)}),
               entry("Two", "2020-01-02", "b", cycles={"applied": ()})]
    network = views.network_matrix(communities, entries)
    assert [m.community.id for m in network.matrices] == ["a", "b", "z"]
    assert network.totals == {"immediate": 0, "potential": 0, "applied": 2, "realised": 1, "transformative": 0}
    assert network.matrices[2].rows == []
    assert network.most == 1


@pytest.mark.parametrize(("count", "most", "level"), [(0, 5, 0), (1, 5, 1), (3, 5, 2), (5, 5, 4), (2, 0, 0)])
def test_shade(count, most, level):
    assert views.shade(count, most) == level


def test_timeline_groups_by_year_and_month_newest_first():
    entries = [entry("A", "2019-06-04"), entry("B", "2019-06-20"), entry("C", "2020-01-02"),
               entry("D", "2019-03-01")]
    timeline = views.community_timeline(entries)
    shape = [(y.year, [(m.label, [i.entry.title for i in m.items]) for m in y.months]) for y in timeline.years]
    assert shape == [(2020, [("January 2020", ["C"])]),
                     (2019, [("June 2019", ["B", "A"]), ("March 2019", ["D"])])]
    assert timeline.count == 4


def test_paginate_keeps_order_and_size():
    entries = [entry(f"E{i:02d}", f"2020-01-{i:02d}") for i in range(1, 26)]
    pages = views.paginate(views.community_timeline(entries), 10)
    assert [p.count for p in pages] == [10, 10, 5]
    assert [i.entry.title for p in pages for i in p.items()] == [f"E{i:02d}" for i in range(25, 0, -1)]


def test_cycle_view_newest_first_with_statements():
    entries = [entry("Old", "2019-01-01", cycles={"applied": ("a1",)}),
               entry("New", "2021-01-01", cycles={"applied": ("a2", "a3"), "immediate": ()}),
               entry("Other", "2020-01-01", cycles={"immediate": ()})]
    view = views.cycle_views(entries, {"c": community()})["applied"]
    assert [(i.entry.title, tuple(s.text for s in i.statements)) for i in view.items] == [("New", ("a2", "a3")), ("Old", ("a1",))]
    assert view.info.question.startswith("What difference has it made")


def test_cycle_views_in_one_pass_equal_each_cycle_view():
    entries = [entry("Old", "2019-01-01", cycles={"applied": ("a1",), "realised": ("r",)}),
               entry("New", "2021-01-01", cycles={"applied": ("a2",), "immediate": ()}),
               entry("Other", "2020-01-01", cycles={"immediate": ()})]
    every = views.cycle_views(entries, {"c": community()})
    assert list(every) == list(CYCLES)
    assert {cycle: [(i.entry.title, i.community_title, tuple(s.text for s in i.statements)) for i in view.items]
            for cycle, view in every.items()} == {
        "immediate": [("New", "C", ()), ("Other", "C", ())],
        "potential": [],
        "applied": [("New", "C", ("a2",)), ("Old", "C", ("a1",))],
        "realised": [("Old", "C", ("r",))],
        "transformative": [],
    }
    assert [view.info.name for view in every.values()] == list(CYCLES)


def test_events_per_quarter_zero_fills():
    entries = [entry("E1", "2019-02-01", kind="event", attendees=10),
               entry("E2", "2019-03-01", kind="event", attendees=5),
               entry("E3", "2019-10-01", kind="event"),
               entry("S", "2019-05-01")]
    stats = [(q.label, q.events, q.attendees) for q in views.events_per_quarter(entries)]
    assert stats == [("2019 Q1", 2, 15), ("2019 Q2", 0, 0), ("2019 Q3", 0, 0), ("2019 Q4", 1, 0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short   text\n here.", "Short text here."),
        ("word " * 60, ("word " * 31).strip() + "…"),
        ("A sentence, " + "x" * 200, "A sentence…"),
    ],
)
def test_clip_cuts_on_a_word_boundary(text, expected):
    assert views.clip(text) == expected


def test_an_edit_that_moves_no_entry_patches_the_network_lists_into_what_a_fresh_computation_gives():
    """A serve rebuild swaps edited entries into the last build's lists when they keep their places."""
    import dataclasses
    import datetime as dt

    from conftest import community, entry

    from generator import views
    from generator.model import Statement

    communities = {"a": community("a", title="Alpha"), "b": community("b", title="Beta")}
    entries = [entry(cid, f"e{n}", date=f"2020-0{1 + n % 3}-1{n}", title=f"Entry {n}",
                     cycles={"applied": (Statement(f"S{n}"),), **({"realised": ()} if n % 2 else {})})
               for n, cid in enumerate("ababab")]
    before = ("internal", "https://x.example/", *communities.values(), *entries)

    def lists(of: list):
        newest = views.newest_first(of)
        return newest, views.network_timeline(newest, communities, ordered=True), \
            views.cycle_views(newest, communities, ordered=True)

    kept = lists(entries)
    # A body edited (and an equal string made again): swapped in, in place.
    edited = dataclasses.replace(entries[2], body="Other words.")
    now_entries = [*entries[:2], edited, *entries[3:]]
    now = ("internal", "".join(["https://x.example", "/"]), *communities.values(), *now_entries)
    assert now[1] is not before[1]
    swap = views.swapped_entries(before, now)
    assert swap == {id(entries[2]): edited}
    newest, timeline, cycles = lists(now_entries)
    assert views.swap_in_order(kept[0], swap) == newest
    patched = views.swap_in_timeline(kept[1], swap)
    assert patched == timeline and any(item.entry is edited for item in patched.items())
    assert not any(item.entry is entries[2] for item in patched.items())
    assert views.swap_in_cycles(kept[2], swap) == cycles
    # Anything that moves an entry, or changes what else the lists show, is computed afresh.
    for change in ({"title": "Renamed"}, {"date": dt.date(2021, 1, 1)}, {"cycles": {"immediate": ()}},
                   {"community": "b"}, {"kind": "event"}):
        moved = [*entries[:2], dataclasses.replace(entries[2], **change), *entries[3:]]
        assert views.swapped_entries(before, ("internal", "https://x.example/", *communities.values(), *moved)) is None
    renamed = {**communities, "a": community("a", title="Alpha circle")}
    assert views.swapped_entries(before, ("internal", "https://x.example/", *renamed.values(), *entries)) is None
    assert views.swapped_entries(before, before[:-1]) is None
