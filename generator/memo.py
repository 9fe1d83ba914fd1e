"""Results kept across `mkdocs serve` rebuilds, reused while their inputs are the very same objects.

Plain Python, no MkDocs import. The loader hands back the same object for a
file that did not change and `audience.publish` keeps it so; every later stage
keys what it keeps on those objects, so after one entry is edited only what
shows it is computed again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import compress
from operator import is_, is_not


_MISSING = object()


class Memo:
    """Named results, each kept with the inputs it was computed from (enabled only for `mkdocs serve`)."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._store: dict[str, tuple[tuple, object]] = {}
        #: names asked for or kept since the last sweep
        self._touched: set[str] = set()

    def forget(self) -> None:
        """Drop every kept result: the next build computes everything again."""
        self._store.clear()
        self._touched.clear()

    def sweep(self) -> None:
        """Drop the results no one asked for since the last sweep: their file was deleted or renamed."""
        # Usually nothing or a few: a set difference finds them without rebuilding the store.
        for name in self._store.keys() - self._touched:
            del self._store[name]
        self._touched = set()

    def __len__(self) -> int:
        return len(self._store)

    def holds(self, name: str, inputs: tuple) -> bool:
        """Whether `name` was last computed from these very inputs."""
        if not self.enabled:
            return False
        self._touched.add(name)
        hit = self._store.get(name)
        return hit is not None and same_objects(hit[0], inputs)

    def get(self, name: str, inputs: tuple, default=None):
        """The result kept under `name` if it was computed from these very inputs, else `default`."""
        return self._store[name][1] if self.holds(name, inputs) else default

    def keep(self, name: str, inputs: tuple, value):
        """Keep `value` as the result of `name` for these inputs, and return it."""
        if self.enabled:
            self._store[name] = (inputs, value)
            self._touched.add(name)
        return value

    def each(self, name: str, items: Iterable, compute: Callable[[object], object],
             by: Callable[[object], object] | None = None) -> list:
        """`[compute(item) for item in items]`, each result kept while its item is the very same object.

        Items (entries, communities) are told apart by their `source`. One name keeps them all
        (a serve rebuild asks this of thousands of entries: one lookup each, no name per entry);
        an item no longer among `items` is let go of. With `by`, `by(item)` is what must stay the
        same object (a matrix row's entry: the row is made of its entry alone).
        """
        if not self.enabled:
            return [compute(item) for item in items]
        self._touched.add(name)
        hit = self._store.get(name)
        before = hit[1] if hit is not None else {}
        now = {}
        results = []
        for item in items:
            same = item if by is None else by(item)
            kept = before.get(same.source)
            if kept is None or kept[0] is not same:
                kept = (same, compute(item))
            now[same.source] = kept
            results.append(kept[1])
        self._store[name] = ((), now)
        return results

    def patched(self, name: str, inputs: tuple, compute: Callable[[], object],
                patch: Callable[[tuple, object], object]):
        """Like calling the memo, but when the inputs changed, `patch(inputs before, result before)` may give
        the result from the last one (None where it cannot: then `compute()`)."""
        if not self.enabled:
            return compute()
        # holds() and keep() in one lookup each: a serve rebuild asks this hundreds of times.
        self._touched.add(name)
        hit = self._store.get(name)
        if hit is not None and same_objects(hit[0], inputs):
            return hit[1]
        value = patch(*hit) if hit is not None else None
        if value is None:
            value = compute()
        self._store[name] = (inputs, value)
        return value

    def __call__(self, name: str, inputs: tuple, compute: Callable[[], object]):
        """`compute()`, or its earlier result if `inputs` are the same objects as then."""
        return self.patched(name, inputs, compute, _no_patch)


def _no_patch(before: tuple, kept: object) -> None:
    return None


def same_objects(kept: tuple, inputs: tuple) -> bool:
    """Whether `inputs` are, one by one, the very objects of `kept` (strings and numbers: equal values)."""
    # Identity first, in C: a view's inputs are thousands of entries. Then only the pairs that are
    # not the same object (a URL or a title made again this build) are compared by value.
    return len(kept) == len(inputs) and (
        all(map(is_, kept, inputs))
        or all(_same(a, b) for a, b in compress(zip(kept, inputs), map(is_not, kept, inputs))))


def _same(a, b) -> bool:
    # Entries and communities by identity; the odd string or number (a URL, a page count) by value.
    return a is b or (isinstance(a, (str, int)) and a == b)
