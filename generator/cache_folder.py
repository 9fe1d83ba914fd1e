"""The folders caches are kept in (parses, link-preview cards): made on first use, and kept out of Git.

A site's repository may not list `.cache/` in its .gitignore; a cache folder
holds its own, as pytest's and ruff's do, so megabytes of cache are never
committed by accident.

Parses are kept in the user's own cache folder (`user_cache`), never in the
working tree: they are pickles, and a pickle that came with a commit could run
code on every reporter's machine at the next `copmem check`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

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
