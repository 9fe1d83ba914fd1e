"""Parses kept between `mkdocs serve` rebuilds, and the stamp that says whether a file changed.

Stamp policy (as Pelican's file-stamp cache): a file's stamp is its
modification time in nanoseconds and its size, read by the loader's one
directory walk; a kept parse is used only while the file's stamp is the same.
A community folder's whole contribution is kept too, while the stamps of all
its files are the same. Entries that leave the walk (deleted or renamed) are
forgotten at the next load, so nothing stale outlives its file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .problem import Problem

if TYPE_CHECKING:
    from .model import Community, Entry, Memory

#: (mtime_ns, size) of a file; (0, 0) for one that could not be stat-ed
Stamp = tuple[int, int]
#: (docs folder, docs-relative path, how problems show the docs folder)
Key = tuple[str, str, str]


@dataclass(slots=True)
class Parsed:
    """One file's parse, independent of every other file (what the cache keeps).

    Slotted and flat: `mkdocs serve` keeps one per file, and every object it keeps
    is walked by each full garbage collection of every rebuild.
    """

    stamp: Stamp
    #: the community, or the entry, or None when the file has errors. An unchanged
    #: file yields the very same object on every load (see memo.Memo).
    value: Community | Entry | None
    problems: tuple[Problem, ...]
    #: whether the entry's attribution is its community's default (filled in at load)
    inherits_attribution: bool = False


class ParseCache:
    """Each file's parse and each community folder's part, kept while their stamps are unchanged."""

    def __init__(self, enabled: bool = True) -> None:
        #: whether anything is kept (for `mkdocs serve`; a one-off build does not need it)
        self.enabled = enabled
        self._files: dict[Key, Parsed] = {}
        self._folders: dict[Key, tuple[dict[str, Stamp], Memory]] = {}

    def parse(self, key: Key, stamp: Stamp) -> Parsed | None:
        """The kept parse of a file, if the file has not changed since."""
        kept = self._files.get(key)
        return kept if kept is not None and kept.stamp == stamp else None

    def keep_parse(self, key: Key, parsed: Parsed) -> None:
        """Keep a file's parse."""
        if self.enabled:
            self._files[key] = parsed

    def folder(self, key: Key, stamps: dict[str, Stamp]) -> Memory | None:
        """A community folder's part of the memory, if none of its files changed, none came and none went."""
        kept = self._folders.get(key)
        return kept[1] if kept is not None and kept[0] == stamps else None

    def keep_folder(self, key: Key, stamps: dict[str, Stamp], part: Memory) -> None:
        """Keep a community folder's part of the memory with the stamps of its files."""
        if self.enabled:
            self._folders[key] = (stamps, part)

    def keep_only(self, docs: str, display: str, sources: set[str], folders: set[str]) -> None:
        """Forget the parses of files and folders of `docs` that the last walk no longer found."""
        self._files = {k: v for k, v in self._files.items()
                       if (k[0], k[2]) != (docs, display) or k[1] in sources}
        self._folders = {k: v for k, v in self._folders.items()
                         if (k[0], k[2]) != (docs, display) or k[1] in folders}

    def forget(self) -> None:
        """Drop everything kept: the next load reads every file again."""
        self._files.clear()
        self._folders.clear()

    def __len__(self) -> int:
        return len(self._files)
