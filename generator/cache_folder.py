"""The folders caches are kept in (parses, search entries, link-preview cards): made on first use, kept out of Git.

A site's repository may not list `.cache/` in its .gitignore; a cache folder
holds its own, as pytest's and ruff's do, so megabytes of cache are never
committed by accident.

Parses are kept in the user's own cache folder (`user_cache`), never in the
working tree: they are pickles, and a pickle that came with a commit could run
code on every reporter's machine at the next `copmem check`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

IGNORE_ALL = "# Made by cop-memory: a cache, never to be committed. Delete the folder at any time.\n*\n"


def make(folder: str | os.PathLike[str]) -> Path:
    """Make `folder` (and its parents) if need be, with a .gitignore that ignores everything in it."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    ignore = path / ".gitignore"
    if not ignore.exists():
        try:
            ignore.write_text(IGNORE_ALL, encoding="utf-8")
        except OSError:  # a cache that can be written but not this file still works
            pass
    return path


def write_whole(root: Path, path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write `path`, a file of cache folder `root`, whole or not at all: `write` fills a temporary file beside
    it (this user's alone), which then replaces it, so a reader (a parallel build) never sees half a file.
    Raises what writing raised, and leaves no temporary file behind."""
    make(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def user_cache(name: str) -> Path:
    """`<name>` in cop-memory's folder of the user's cache: $COPMEM_CACHE_DIR, or $XDG_CACHE_HOME/cop-memory,
    or ~/.cache/cop-memory (made on first write, not here)."""
    root = os.environ.get("COPMEM_CACHE_DIR", "").strip()
    if not root:
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "cop-memory")
    return Path(root) / name


def _own(status: os.stat_result) -> bool:
    """Whether a file was written by this user and no one else may write it (a pickle can run code)."""
    if not hasattr(os, "getuid"):
        return True  # Windows: the user's own profile folder
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


class Shelf:
    """A dict kept between runs in one pickle of a user cache folder: read whole on first use, written whole.

    `path`'s name should say what the values depend on besides the key (cop-memory's
    code, a library's version), so a run that would compute them differently never
    reads them; `family` is a glob for the shelf's other versions, removed when this
    one is written. Only what this run used or added is written back, so the shelf
    holds what the site has now, not everything it ever had. A shelf that cannot be
    read or written is left aside: the values are computed as without it. A pickle
    can run code when read: a file someone else could have written is not read.
    """

    def __init__(self, path: Path, family: str, what: str) -> None:
        self.path = path
        self._family = family
        self._what = what
        self._kept: dict | None = None
        self._used: dict = {}
        self._taken: set = set()
        self._added = 0

    def _read(self) -> dict:
        try:
            with open(self.path, "rb") as file:
                if not _own(os.fstat(file.fileno())):
                    log.warning("cop-memory: the %s %s is not yours alone (another user may write it); "
                                "it is not read: delete it", self._what, self.path)
                    return {}
                kept = pickle.load(file)
        except FileNotFoundError:
            return {}
        except Exception as error:  # a torn or foreign file: compute as without it, and write it anew
            log.debug("cop-memory: the %s %s cannot be read (%s)", self._what, self.path, error)
            return {}
        return kept if isinstance(kept, dict) else {}

    def get(self, key):
        """The value kept under `key`, or None; a value taken is written back by `save`."""
        if self._kept is None:
            self._kept = self._read()
        value = self._kept.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def take(self, key):
        """As `get`, but the shelf lets go of the value (a large one need not stay in memory twice).

        A value taken is written back by `save` all the same: read again from the file then.
        """
        if self._kept is None:
            self._kept = self._read()
        value = self._kept.pop(key, None)
        if value is not None:
            self._taken.add(key)
        return value

    def put(self, key, value) -> None:
        """Keep a fresh value (written by `save`)."""
        self._used[key] = value
        self._added += 1

    def save(self) -> None:
        """Write what this run used and added, if anything changed, and remove the shelf's other versions."""
        if not self._added and self._kept is not None:
            # What the file holds that this run did not use (taken values have left _kept already).
            unused = len(self._kept) - (0 if self._taken else len(self._used))
            if unused == 0:
                return  # the file holds exactly what this run used
        if self._taken:
            again = self._read()
            self._used.update((key, again[key]) for key in self._taken if key in again and key not in self._used)
        folder = self.path.parent
        try:
            write_whole(folder, self.path,
                        lambda file: pickle.dump(self._used, file, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception as error:  # a full disk, or a value pickle refuses: compute next time, as without it
            log.debug("cop-memory: the %s %s cannot be written (%s)", self._what, self.path, error)
            return
        for old in folder.glob(self._family):
            if old != self.path:
                with contextlib.suppress(OSError):
                    old.unlink()
