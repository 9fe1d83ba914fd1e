"""References between entries (`follows:`): which entry each names, and the circles they may make.

A reference is `<slug>` (an entry of the same community) or `<community>/<slug>`.
The review checks them against the whole memory; the audience stage keeps only
the references to entries its build publishes; the journeys are drawn from what
it kept. Plain Python: no MkDocs, no templates.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Entry

#: (community id, slug): what a reference names
Key = tuple[str, str]


def split_reference(reference: str, community: str) -> Key:
    """The (community, slug) that a reference written in an entry of `community` names."""
    cid, slash, slug = reference.rpartition("/")
    return (cid, slug) if slash else (community, reference)


def canonical(entry: Entry) -> str:
    """How an entry is named in a published `follows`: always `<community>/<slug>`."""
    return f"{entry.community}/{entry.slug}"


class EntryIndex:
    """Entries by (community, slug), and by a former slug (`aliases`) for entries that were renamed."""

    def __init__(self, entries: Iterable[Entry]):
        self.by_slug: dict[Key, Entry] = {}
        self.by_alias: dict[Key, Entry] = {}
        for entry in entries:
            self.by_slug.setdefault((entry.community, entry.slug), entry)
            for alias in entry.aliases:
                self.by_alias.setdefault((entry.community, alias), entry)

    def find(self, key: Key) -> Entry | None:
        """The entry a (community, slug) names: by its slug, else by a former slug."""
        return self.by_slug.get(key) or self.by_alias.get(key)

    def targets(self, entry: Entry) -> list[Entry]:
        """The entries `entry` follows that this index holds, in the order written, each once."""
        found: dict[str, Entry] = {}
        for reference in entry.follows:
            target = self.find(split_reference(reference, entry.community))
            if target is not None and target is not entry:
                found.setdefault(target.source, target)
        return list(found.values())


def circles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Every group of nodes whose edges lead round in a circle (a strongly connected component of two or
    more nodes, or one node with an edge to itself), each sorted, in the order of their first node.

    Tarjan's algorithm without recursion: a memory may hold chains of thousands of entries.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            advanced = False
            for target in edges:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph.get(target, ()))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    found.append(sorted(component))
    return sorted(found)
