"""Material's search entries kept between builds, for pages whose HTML did not change.

Material's search plugin parses every page's HTML with Python's `html.parser` on
every build: at thousands of entries, a sixth of the build. What it adds to the
index for a page depends only on the page's HTML, its URL, its title, its table
of contents, its `title`, `tags` and `search` metadata, and Material's own code.
`SearchShelf` keeps each page's entries in the user's cache under a BLAKE2
digest of all of those, and hands them back when a later build asks again: the
index is the same, byte for byte, and an edited page is parsed again.

It wraps one method of the search plugin's index, `add_entry_from_context`, for
one build, and only where it finds the index it knows: Material's, with its
`entries` list, and without jieba (whose dictionaries would be one more input).
Any other search plugin is left as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
import zlib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from . import cache_folder
from .parse_cache import code_version

log = logging.getLogger(__name__)

#: the module of the search plugin whose index this knows
MATERIAL_SEARCH = "material.plugins.search.plugin"


class SearchShelf:
    """Each page's search entries, kept between builds of one site by everything they are made from."""

    def __init__(self, folder: str | os.PathLike, docs: str, audience: str = "") -> None:
        # One store per docs folder and audience: a store keeps only what its last build used, and a
        # site built for both audiences (as CI does) would otherwise find the other build's entries there.
        site = hashlib.blake2b(f"{os.path.realpath(docs)}\0{audience}".encode(), digest_size=8).hexdigest()
        version = hashlib.blake2b(f"{code_version()} {_material_version()}".encode(), digest_size=8).hexdigest()
        self._shelf = cache_folder.Shelf(Path(folder) / f"search-{site}-{version}.pickle",
                                         f"search-{site}-*.pickle", "search store")
        self.path = self._shelf.path
        #: pages whose entries came from the shelf, and pages parsed, since this shelf was made
        self.reused = self.parsed = 0
        self._attached: list = []

    def attach(self, plugins: Iterable[object]) -> bool:
        """Serve the search indexes of `plugins` that this knows from the shelf; whether there was one."""
        attached = False
        for plugin in plugins:
            index = getattr(plugin, "search_index", None)
            if type(plugin).__module__ != MATERIAL_SEARCH or index is None:
                continue
            if getattr(sys.modules.get(MATERIAL_SEARCH), "jieba", None) is not None:
                continue
            original = getattr(index, "add_entry_from_context", None)
            if not isinstance(getattr(index, "entries", None), list) or not callable(original):
                continue
            # On the instance: this build's index only (the plugin makes a new one for each build).
            index.add_entry_from_context = self._serving(index, original)
            self._attached.append(index)
            attached = True
        return attached

    def _serving(self, index, original: Callable[[object], None]) -> Callable[[object], None]:
        def add_entry_from_context(page) -> None:
            search = (page.meta or {}).get("search")
            if isinstance(search, dict) and search.get("exclude"):
                return original(page)  # left out of the index: nothing to parse, nothing to keep
            key = _key(page)
            if key is not None:
                kept = self._shelf.take(key)
                if kept is not None:
                    try:
                        # Fresh objects from bytes every time: nothing the index does to them reaches the shelf.
                        entries = pickle.loads(zlib.decompress(kept))
                    except Exception as error:  # noqa: BLE001 - a damaged value: parse the page as without it
                        log.debug("cop-memory: the kept search entries of %s cannot be read (%s)", page.url, error)
                    else:
                        index.entries.extend(entries)
                        self.reused += 1
                        return
            start = len(index.entries)
            original(page)
            self.parsed += 1
            if key is not None:
                added = index.entries[start:]
                try:
                    self._shelf.put(key, zlib.compress(pickle.dumps(added, protocol=pickle.HIGHEST_PROTOCOL), 1))
                except Exception as error:  # noqa: BLE001 - a value pickle refuses: that page is parsed next time
                    log.debug("cop-memory: the search entries of %s cannot be kept (%s)", page.url, error)

        return add_entry_from_context

    def save(self) -> None:
        """Write the entries this build used and added (see cache_folder.Shelf.save), and let go of the index:
        it lives on until the search plugin has written it, the build's peak of memory, and must not hold
        the shelf there."""
        for index in self._attached:
            with contextlib.suppress(AttributeError):
                del index.add_entry_from_context  # the class's own method again
        self._attached = []
        self._shelf.save()


def _key(page) -> bytes | None:
    """The digest of everything Material's index reads of `page`; None for a page it could not index anyway."""
    content = getattr(page, "content", None)
    if not isinstance(content, str):
        return None
    meta = page.meta or {}
    # repr() of YAML's values (strings, numbers, dates, lists, mappings) tells each apart.
    what = repr((page.url, page.title, meta.get("title"), meta.get("tags"), meta.get("search"), _toc(page.toc)))
    digest = hashlib.blake2b(what.encode("utf-8", "surrogatepass"), digest_size=20)
    digest.update(b"\0")
    digest.update(content.encode("utf-8", "surrogatepass"))
    return digest.digest()


def _toc(items) -> tuple:
    """What the index reads of a table of contents: each anchor's id and URL, nested."""
    return tuple((getattr(item, "id", None), getattr(item, "url", None), _toc(getattr(item, "children", ())))
                 for item in items or ())


def _material_version() -> str:
    try:
        return metadata.version("mkdocs-material")
    except metadata.PackageNotFoundError:
        return "unknown"
