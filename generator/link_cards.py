"""Which link-preview card each page gets, drawn ahead in the background and copied into the site.

`cards.py` draws one card; this module is the build's side of it. A card's file name is its key
(a digest of what it shows), so equal cards share one file, an edit gives a new name (no preview
service keeps showing an old picture), and the name says nothing about the page. Drawn cards
are kept in a cache folder across builds, so a build only draws what changed.

A cold build of a large site would spend seconds drawing: the cards of every planned page (entries,
community homes, generated views) are known before any page is rendered, so a second process draws
the missing ones while this one renders pages. Hand-written pages' cards, known only once their
titles are, are drawn at the end with whatever the worker left.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from .cards import HEIGHT, WIDTH, Card, CardCache

#: where a build writes its cards, under the site folder
FOLDER = "assets/cards"

#: below this many cards to draw, the worker's start-up (a fresh interpreter) costs more than it saves
_WORKER_THRESHOLD = 200


def draw_into(folder: str, cards: list[Card]) -> int:
    """Draw `cards` into the cache at `folder` (in the worker process); how many were drawn."""
    cache = CardCache(folder)
    for card in cards:
        cache.get_or_render(card)
    return cache.misses


class LinkCards:
    """One build's cards: which page shows which, drawn ahead when many are missing, then written out."""

    def __init__(self, cache_folder: str | os.PathLike[str], site_name: str) -> None:
        self.cache = CardCache(cache_folder)
        self.site_name = site_name
        #: key -> card, for every card a written page names
        self.needed: dict[str, Card] = {}
        self._worker: ProcessPoolExecutor | None = None
        self._drawing: Future | None = None

    def card(self, title: str, community: str = "", cycles: Iterable[str] = ()) -> Card:
        """The card of a page that shows `title`, under `community`, with these cycles."""
        return Card(title=title, community=community, cycles=tuple(cycles), site_name=self.site_name)

    def url(self, card: Card) -> str:
        """The card's site-relative URL, remembered as one to write."""
        self.needed[card.key] = card
        return f"{FOLDER}/{card.key}.png"

    def draw_ahead(self, cards: Iterable[Card]) -> None:
        """Start drawing, in a second process, those of `cards` the cache does not hold yet."""
        missing = {card.key: card for card in cards if not self.cache.path_for(card).is_file()}
        if len(missing) < _WORKER_THRESHOLD or (os.cpu_count() or 1) < 2:
            return
        # spawn, not fork: `mkdocs serve` runs threads, and a forked copy of a threaded process may hang.
        try:
            self._worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            self._drawing = self._worker.submit(draw_into, str(self.cache.folder), list(missing.values()))
        except (OSError, RuntimeError):  # no second process here: the cards are drawn at the end
            self.close()

    def write(self, site_dir: str | os.PathLike[str]) -> int:
        """Write every needed card into the site (drawing what is still missing); how many this build drew."""
        drawn_ahead = self._wait()
        folder = Path(site_dir, FOLDER)
        folder.mkdir(parents=True, exist_ok=True)
        drawn = self.cache.misses
        for key, card in self.needed.items():
            target = folder / f"{key}.png"
            if target.is_file():  # named by its content: a file of that name is that card
                continue
            cached = self.cache.path_for(card)
            if cached.is_file():
                try:
                    shutil.copyfile(cached, target)
                    continue
                except OSError:
                    pass
            target.write_bytes(self.cache.get_or_render(card))
        return drawn_ahead + self.cache.misses - drawn

    def close(self) -> None:
        """Stop the worker (a build that failed half-way must not leave a process behind)."""
        if self._worker is not None:
            self._worker.shutdown(wait=False, cancel_futures=True)
            self._worker = self._drawing = None

    def _wait(self) -> int:
        """Wait for the worker; how many cards it drew."""
        if self._drawing is None:
            return 0
        try:
            return self._drawing.result()
        except Exception:  # noqa: BLE001 - a worker that died leaves its cards to be drawn here
            return 0
        finally:
            self._worker.shutdown(wait=True)
            self._worker = self._drawing = None


def meta_tags(image_url: str, alt: str) -> list[tuple[str, str, str]]:
    """The Open Graph and Twitter tags of a page's card: where it is, its size and what it shows."""
    return [
        ("property", "og:image", image_url),
        ("property", "og:image:type", "image/png"),
        ("property", "og:image:width", str(WIDTH)),
        ("property", "og:image:height", str(HEIGHT)),
        ("property", "og:image:alt", alt),
        ("name", "twitter:image", image_url),
        ("name", "twitter:image:alt", alt),
    ]
