"""Which link-preview card each page gets, drawn ahead in the background and copied into the site.

`cards.py` draws one card; this module is the build's side of it. A card's file name is its key
(a digest of what it shows), so equal cards share one file, an edit gives a new name (no preview
service keeps showing an old picture), and the name says nothing about the page. Drawn cards
are kept in a cache folder across builds, so a build only draws what changed.

A large site has thousands of cards to put in place (and, cold, to draw): the cards of every planned
page (entries, community homes, generated views) are known before any page is rendered, so a second
process copies them from the cache into the site, drawing the missing ones, while this one renders
pages. Hand-written pages' cards, known only once their titles are, are written at the end with
whatever the worker left.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .cards import HEIGHT, WIDTH, Card, CardCache

#: where a build writes its cards, under the site folder
FOLDER = "assets/cards"

#: below this many cards to draw, the worker's start-up (a fresh interpreter) costs more than it saves
_WORKER_THRESHOLD = 200


def write_cards(cache_folder: str, site_folder: str, cards: list[Card]) -> tuple[int, list[str]]:
    """Put each card in the site folder, from the cache or drawn (and kept); how many were drawn, and the keys written.

    Runs in the worker process for the planned pages, and in the build's own for the rest.
    """
    cache = CardCache(cache_folder)
    folder = Path(site_folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for card in cards:
        target = folder / f"{card.key}.png"
        cached = cache.path_for(card)
        try:
            if not target.is_file():  # named by its content: a file of that name is that card
                if cached.is_file():
                    shutil.copyfile(cached, target)
                else:
                    target.write_bytes(cache.get_or_render(card))
        except OSError:
            continue  # left to the build's own process, which reports what it cannot write
        written.append(card.key)
    return cache.misses, written


class LinkCards:
    """One build's cards: which page shows which, written ahead by a second process when there are many."""

    def __init__(self, cache_folder: str | os.PathLike[str], site_name: str) -> None:
        self.cache = CardCache(cache_folder)
        self.site_name = site_name
        #: key -> card, for every card a written page names
        self.needed: dict[str, Card] = {}
        #: page source -> card, for the planned pages whose cards were written ahead
        self.planned: dict[str, Card] = {}
        self._worker: subprocess.Popen | None = None
        self._order: str | None = None

    def card(self, title: str, community: str = "", cycles: Iterable[str] = ()) -> Card:
        """The card of a page that shows `title`, under `community`, with these cycles."""
        return Card(title=title, community=community, cycles=tuple(cycles), site_name=self.site_name)

    def url(self, card: Card) -> str:
        """The card's site-relative URL, remembered as one to write."""
        self.needed[card.key] = card
        return f"{FOLDER}/{card.key}.png"

    def write_ahead(self, planned: dict[str, Card], site_dir: str | os.PathLike[str]) -> None:
        """Start writing the planned pages' cards (by page source) into the site, drawing the missing ones, in a
        second process while pages render; each page then takes its card from `planned`.

        The worker is a fresh interpreter running this module, given its cards in a file: unlike
        multiprocessing's spawn, it never imports the script that started the build (a script without
        a `__main__` guard would build the site again), and unlike fork it copies no threads (`mkdocs serve`).
        """
        self.planned = planned
        unique = list({card.key: card for card in planned.values()}.values())
        if len(unique) < _WORKER_THRESHOLD or (os.cpu_count() or 1) < 2:
            return
        order = {"cache": str(self.cache.folder), "site": str(Path(site_dir, FOLDER)),
                 "cards": [[c.title, c.community, list(c.cycles), c.site_name] for c in unique]}
        try:
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".json", delete=False) as handle:
                json.dump(order, handle, ensure_ascii=True)
            self._order = handle.name
            # Started beside this package, so `-m` finds this very module, not a folder of the same name
            # in the directory the build was started from.
            self._worker = subprocess.Popen([sys.executable, "-m", __name__, self._order],
                                            cwd=Path(__file__).resolve().parents[1],
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                            stdin=subprocess.DEVNULL, text=True)
        except OSError:  # no second process here: the cards are written at the end
            self.close()

    def write(self, site_dir: str | os.PathLike[str]) -> tuple[int, list[str]]:
        """Write every needed card into the site that the worker did not: how many cards this build drew,
        and the site-relative paths of those that could not be written."""
        drawn, written = self._wait()
        rest = [card for key, card in self.needed.items() if key not in written]
        try:
            drawn_here, done = write_cards(str(self.cache.folder), str(Path(site_dir, FOLDER)), rest)
        except OSError:  # the folder itself cannot be made
            drawn_here, done = 0, []
        failed = sorted(set(card.key for card in rest) - set(done))
        return drawn + drawn_here, [f"{FOLDER}/{key}.png" for key in failed]

    def close(self) -> None:
        """Stop the worker (a build that failed half-way must not leave a process behind)."""
        if self._worker is not None:
            self._worker.kill()
            self._worker.communicate()
            self._worker = None
        self._forget_order()

    def _forget_order(self) -> None:
        if self._order is not None:
            try:
                os.unlink(self._order)
            except OSError:
                pass
            self._order = None

    def _wait(self) -> tuple[int, set[str]]:
        """Wait for the worker; how many cards it drew, and which it wrote (none if it failed)."""
        if self._worker is None:
            return 0, set()
        try:
            out, _ = self._worker.communicate()
            if self._worker.returncode != 0:
                return 0, set()
            result = json.loads(out)
            return int(result["drawn"]), set(result["written"])
        except (OSError, ValueError, KeyError, TypeError):  # the build's own process writes them all
            return 0, set()
        finally:
            self._worker = None
            self._forget_order()


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


def _main(order_file: str) -> int:
    """The worker: write the cards of the order file, print what was done as JSON."""
    with open(order_file, encoding="utf-8") as handle:
        order = json.load(handle)
    cards = [Card(title=t, community=c, cycles=tuple(cycles), site_name=s) for t, c, cycles, s in order["cards"]]
    drawn, written = write_cards(order["cache"], order["site"], cards)
    json.dump({"drawn": drawn, "written": written}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1]))
