"""The memo kept across serve rebuilds: results reused while their inputs are the very same objects."""

from __future__ import annotations

from conftest import entry

from generator.memo import Memo


def test_memo_reuses_a_result_while_its_inputs_are_the_same_objects():
    calls = []
    memo = Memo()
    one, two = entry("c", "one"), entry("c", "two", date="2020-01-02")
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert memo("view", ("u/", one, two), compute) == 1
    assert memo("view", ("u/", one, two), compute) == 1
    # An equal but new object (the file was read again) is a change.
    assert memo("view", ("u/", one, entry("c", "two", date="2020-01-02")), compute) == 2
    assert Memo(enabled=False)("view", ("u/",), compute) == 3


def test_memo_holds_get_keep_and_forget():
    memo = Memo()
    one = entry("c", "one")
    assert not memo.holds("x", (one,)) and memo.get("x", (one,), "none") == "none"
    assert memo.keep("x", (one, "u/", 2), "kept") == "kept"
    assert memo.holds("x", (one, "u/", 2)) and memo.get("x", (one, "u/", 2)) == "kept"
    # Strings and numbers by value, everything else by identity, and the length must match.
    assert not memo.holds("x", (one, "u/", 3)) and not memo.holds("x", (one, "u/"))
    assert not memo.holds("x", (entry("c", "one"), "u/", 2))
    memo.forget()
    assert not memo.holds("x", (one, "u/", 2))
    off = Memo(enabled=False)
    off.keep("x", (one,), "kept")
    assert not off.holds("x", (one,))


def test_each_keeps_a_result_per_item_while_the_item_is_the_same_object_and_lets_go_of_items_gone():
    calls = []
    memo = Memo()
    one, two = entry("c", "one"), entry("c", "two", date="2020-01-02")

    def compute(item):
        calls.append(item.source)
        return item.title

    assert memo.each("titles", [one, two], compute) == [one.title, two.title] and len(calls) == 2
    # In the order asked; the same objects are not computed again.
    assert memo.each("titles", [two, one], compute) == [two.title, one.title] and len(calls) == 2
    # An equal but new object (the file was read again) is computed again; an item gone is let go of.
    again = entry("c", "two", date="2020-01-02")
    assert memo.each("titles", [again], compute) == [again.title] and calls[-1] == again.source
    assert len(calls) == 3 and set(memo.get("titles", ())) == {again.source}
    assert Memo(enabled=False).each("titles", [one], compute) == [one.title] and len(calls) == 4
