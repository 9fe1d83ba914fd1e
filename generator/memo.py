"""Results kept across `mkdocs serve` rebuilds, reused while their inputs are the very same objects.

Plain Python, no MkDocs import. The loader hands back the same object for a
file that did not change and `audience.publish` keeps it so; every later stage
keys what it keeps on those objects, so after one entry is edited only what
shows it is computed again.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import is_


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
        return hit is not None and _all_same(hit[0], inputs)

    def get(self, name: str, inputs: tuple, default=None):
        """The result kept under `name` if it was computed from these very inputs, else `default`."""
        return self._store[name][1] if self.holds(name, inputs) else default

    def keep(self, name: str, inputs: tuple, value):
        """Keep `value` as the result of `name` for these inputs, and return it."""
        if self.enabled:
            self._store[name] = (inputs, value)
            self._touched.add(name)
        return value

    def __call__(self, name: str, inputs: tuple, compute: Callable[[], object]):
        """`compute()`, or its earlier result if `inputs` are the same objects as then."""
        if not self.enabled:
            return compute()
        # holds() and keep() in one lookup each: a serve rebuild asks this thousands of times.
        self._touched.add(name)
        hit = self._store.get(name)
        if hit is not None and _all_same(hit[0], inputs):
            return hit[1]
        value = compute()
        self._store[name] = (inputs, value)
        return value


def _all_same(kept: tuple, inputs: tuple) -> bool:
    # Identity first, in C: a view's inputs are thousands of entries.
    return len(kept) == len(inputs) and (all(map(is_, kept, inputs)) or all(map(_same, kept, inputs)))


def _same(a, b) -> bool:
    # Entries and communities by identity; the odd string or number (a URL, a page count) by value.
    return a is b or (isinstance(a, (str, int)) and a == b)
