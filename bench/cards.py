"""Time link-preview cards: ms and bytes per card for N random cards, cold and through the cache.

    .venv/bin/python bench/cards.py               # 2,000 cards
    .venv/bin/python bench/cards.py -n 500 --samples /tmp/cards-samples

Prints the first card separately (it loads the fonts and draws the fixed pieces),
then the steady state: mean, median and 95th percentile ms per card for
render_card (wall clock, and this process's CPU time, which a busy machine
disturbs less), bytes per card, and CardCache's cost per card when cold (render
and write) and warm (read back). Run it on an idle machine; it asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.cards import CYCLE_LABELS, Card, CardCache, font_name, render_card  # noqa: E402

WORDS = (
    "community practice clinic patient nurse midwife glucose catheter pharmacy audit pathway referral "
    "learning convening fishbowl webinar trust policy waiting outcome measure story quality safety carers "
    "volunteers discharge review session group peer support training evidence dashboard network "
    "pledge quick wins member convener reporter dietitian therapist charity service hospital "
    "threshold passport infection admission adherence medicine follow-up improvement "
    "café naïve Zoë São Paulo Kraków Ærøskøbing — “quoted” 36 weeks 2019"
).split()
COMMUNITIES = [f"{a} {b}".capitalize() for a, b in zip(WORDS[::3], WORDS[1::3], strict=False)][:20]


def random_card(rng: random.Random) -> Card:
    """A card like an entry page's: 3–20 word title, one of 20 communities, 0–5 cycles."""
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 20)))
    cycles = tuple(c for c in CYCLE_LABELS if rng.random() < 0.4)
    return Card(title[0].upper() + title[1:], rng.choice(COMMUNITIES + [""]), cycles, "Benchmark network")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="cards to render (default 2,000)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--samples", type=Path, help="also write the first three cards here as PNGs")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    cards = [random_card(rng) for _ in range(args.n)]

    start = time.perf_counter()
    first = render_card(cards[0])
    first_ms = (time.perf_counter() - start) * 1000

    times, sizes = [], []
    cpu_start = time.process_time()
    for card in cards:
        start = time.perf_counter()
        data = render_card(card)
        times.append((time.perf_counter() - start) * 1000)
        sizes.append(len(data))
    cpu = (time.process_time() - cpu_start) * 1000 / len(cards)
    times.sort()

    with tempfile.TemporaryDirectory() as folder:
        cache = CardCache(folder)
        start = time.perf_counter()
        for card in cards:
            cache.get_or_render(card)
        cold = (time.perf_counter() - start) * 1000 / len(cards)
        # A new cache object, as the next build has: keys are computed afresh too.
        cache = CardCache(folder)
        fresh = [Card(c.title, c.community, c.cycles, c.site_name) for c in cards]
        start = time.perf_counter()
        for card in fresh:
            cache.get_or_render(card)
        warm = (time.perf_counter() - start) * 1000 / len(cards)
        assert cache.hits == len(set(fresh)), (cache.hits, cache.misses)

    if args.samples:
        args.samples.mkdir(parents=True, exist_ok=True)
        for n, card in enumerate(cards[:3], start=1):
            (args.samples / f"bench-{n}.png").write_bytes(render_card(card))

    p95 = times[int(len(times) * 0.95) - 1]
    print(f"font: {font_name()}; {len(cards):,} cards; first card {first_ms:.0f} ms ({len(first):,} bytes)")
    print(
        f"render_card: {statistics.fmean(times):.2f} ms/card mean, {statistics.median(times):.2f} median, "
        f"{p95:.2f} p95, {times[-1]:.2f} max; {cpu:.2f} ms/card CPU"
    )
    print(f"size: {statistics.fmean(sizes) / 1024:.1f} KiB/card mean, {max(sizes) / 1024:.1f} KiB max")
    print(f"CardCache: {cold:.2f} ms/card cold (render + write), {warm:.2f} ms/card warm (read)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
