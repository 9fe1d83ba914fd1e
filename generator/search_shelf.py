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

Each page's entries are kept as the JSON text Material writes for them. In a
build that is not `serve --dirty`, the index keeps them as those texts too, and
its `generate_search_index` puts them into Material's own JSON of the index
without entries: the same bytes, without a dict per entry and the JSON encoder's
pieces sitting on top of everything else at the build's peak of memory (-20 MB
at 5,000 entries). `serve --dirty` merges each rebuild's entries into the last
index's, as dicts: there the index holds dicts, as Material's own.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from . import cache_folder
from .parse_cache import code_version, package_version

log = logging.getLogger(__name__)

#: the module of the search plugin whose index this knows
MATERIAL_SEARCH = "material.plugins.search.plugin"


class SearchShelf:
    """Each page's search entries, kept between builds of one site by everything they are made from."""

    def __init__(self, folder: str | os.PathLike, docs: str, audience: str = "") -> None:
        # One store per docs folder and audience: a store keeps only what its last build used, and a
        # site built for both audiences (as CI does) would otherwise find the other build's entries there.
        site = hashlib.blake2b(f"{os.path.realpath(docs)}\0{audience}".encode(), digest_size=8).hexdigest()
        version = hashlib.blake2b(f"{code_version()} {package_version('mkdocs-material')}".encode(),
                                  digest_size=8).hexdigest()
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
            generate = getattr(index, "generate_search_index", None)
            if not isinstance(getattr(index, "entries", None), list) or not callable(original):
                continue
            # A build that is not `serve --dirty` (whose next rebuild merges this index's entries as dicts)
            # keeps each page's entries as their JSON text, and writes the index from the texts.
            texts = [] if getattr(plugin, "is_dirty", True) is False and callable(generate) else None
            # On the instance: this build's index only (the plugin makes a new one for each build).
            index.add_entry_from_context = self._serving(index, original, texts)
            if texts is not None:
                index.generate_search_index = _writing(index, generate, texts)
            self._attached.append(index)
            attached = True
        return attached

    def _serving(self, index, original: Callable[[object], None],
                 texts: list[str] | None) -> Callable[[object], None]:
        def add_entry_from_context(page) -> None:
            if texts is not None and index.entries:
                _flush(index, texts)  # entries something else added: kept in their place
            search = (page.meta or {}).get("search")
            if isinstance(search, dict) and search.get("exclude"):
                return original(page)  # left out of the index: nothing to parse, nothing to keep
            key = _key(page)
            if key is not None:
                kept = self._shelf.take(key)
                if kept is not None:
                    try:
                        text = zlib.decompress(kept).decode("utf-8")
                        entries = None if texts is not None else json.loads(f"[{text}]")
                    except Exception as error:  # noqa: BLE001 - a damaged value: parse the page as without it
                        log.debug("cop-memory: the kept search entries of %s cannot be read (%s)", page.url, error)
                    else:
                        if texts is None:
                            index.entries.extend(entries)
                        elif text:
                            texts.append(text)
                        self.reused += 1
                        return
            start = len(index.entries)
            original(page)
            self.parsed += 1
            text = _json(index.entries[start:])
            if texts is not None:
                del index.entries[start:]
                if text:
                    texts.append(text)
            if key is not None:
                self._shelf.put(key, zlib.compress(text.encode("utf-8"), 1))

        return add_entry_from_context

    def save(self) -> None:
        """Write the entries this build used and added (see cache_folder.Shelf.save), and let go of the index:
        it lives on until the search plugin has written it, the build's peak of memory, and must not hold
        the shelf there."""
        for index in self._attached:
            with contextlib.suppress(AttributeError):
                del index.add_entry_from_context  # the class's own method again (the writer stays, for the index)
        self._attached = []
        self._shelf.save()


def _json(entries: list) -> str:
    """Entries as Material writes them in its index (compact, non-JSON values as text), comma-separated."""
    return ",".join(json.dumps(entry, separators=(",", ":"), default=str) for entry in entries)


def _flush(index, texts: list[str]) -> None:
    text = _json(index.entries)
    index.entries.clear()
    if text:
        texts.append(text)


def _writing(index, generate: Callable, texts: list[str]) -> Callable:
    """Material's `generate_search_index` for an index whose entries are kept as JSON texts.

    Material's own JSON of the index less its entries, with the texts put in: the same
    bytes, without a dict per entry and the encoder's chunks on top of the build's peak.
    """
    def generate_search_index(prev) -> str:
        _flush(index, texts)
        empty = generate(prev) if not prev else None
        if empty is None or not empty.endswith(EMPTY_DOCS):
            # Not the index this knows: hand Material its entries back as dicts.
            index.entries = json.loads("[" + ",".join(texts) + "]")
            texts.clear()
            return generate(prev)
        parts = [empty[:-len(EMPTY_DOCS)], ',"docs":[']
        for number, text in enumerate(texts):
            if number:
                parts.append(",")
            parts.append(text)
        parts.append("]}")
        texts.clear()
        return "".join(parts)

    return generate_search_index


#: how Material's index ends when it has no entries
EMPTY_DOCS = ',"docs":[]}'


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
