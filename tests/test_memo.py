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
