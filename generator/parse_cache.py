"""Parses kept between `mkdocs serve` rebuilds, and between runs on disk.

Stamp policy (as Pelican's file-stamp cache): a file's stamp is its
modification time in nanoseconds and its size, read by the loader's one
directory walk; a kept parse is used only while the file's stamp is the same.
A community folder's whole contribution is kept too, while the stamps of all
its files are the same. Entries that leave the walk (deleted or renamed) are
forgotten at the next load, so nothing stale outlives its file.

Between runs (a build, `copmem check`), `ParseStore` keeps each file's parse on
disk by its content, not its time stamp: see there.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache_folder
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


#: what a stored parse holds: the file's digest, then Parsed's value, problems and inherits_attribution
Stored = tuple[bytes, object, tuple[Problem, ...], bool]


def digest(raw: bytes) -> bytes:
    """What names a file's content in the store."""
    return hashlib.blake2b(raw, digest_size=20).digest()


@functools.cache
def code_version() -> str:
    """A digest of cop-memory's own code and the YAML loader in use: a parse depends on nothing else but the file."""
    from . import frontmatter

    h = hashlib.blake2b(digest_size=12)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(f"{sys.version_info[:2]} {frontmatter.PURE_YAML} {frontmatter.yaml.__version__}".encode())
    return h.hexdigest()


def package_version(name: str) -> str:
    """The installed version of distribution `name` ("-" if it is not installed): what a kept value that
    another library computed depends on, besides cop-memory's code."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


class ParseStore:
    """Each file's parse kept on disk between runs, found by the file's path and content.

    The loader reads each file anyway; the BLAKE2 digest of its bytes names the
    parse, so an edited file is parsed again whatever its time stamp says (a
    checkout or a copy that keeps times cannot fool it). A parse depends only on
    the file, its path and how problems show the docs folder: one store per docs
    folder and display, in one pickle named by those and by `code_version()`, so
    another cop-memory or YAML loader never reads it. A store that cannot be
    read or written is left aside: the files are parsed as without it. A pickle
    can run code when read: the store lives in the user's own cache folder, never
    in a working tree a commit could add to, and a file someone else could have
    written is not read.
    Only the parses of this load are written back, so removed files leave it.
    """

    def __init__(self, folder: str | os.PathLike, docs: str, display: str) -> None:
        name = hashlib.blake2b(f"{os.path.realpath(docs)}\0{display}".encode(), digest_size=8).hexdigest()
        self._shelf = cache_folder.Shelf(Path(folder) / f"parses-{name}-{code_version()}.pickle",
                                         f"parses-{name}-*.pickle", "parse store")
        self.path = self._shelf.path

    def get(self, source: str, content: bytes) -> Stored | None:
        """The stored parse of `source`, if its content is the same as when it was stored."""
        kept = self._shelf.get(source)
        return kept if kept is not None and kept[0] == content else None

    def put(self, source: str, stored: Stored) -> None:
        """Store a fresh parse (written by `save`)."""
        self._shelf.put(source, stored)

    def save(self) -> None:
        """Write this load's parses, if anything changed, and remove the stores older code wrote for this folder."""
        self._shelf.save()
