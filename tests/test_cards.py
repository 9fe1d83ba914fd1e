"""Link-preview cards: the PNG's shape and bytes, the key, the cache, and hostile text."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageStat

from generator import cards
from generator.cards import CYCLE_COLOURS, CYCLE_LABELS, Card, CardCache, render_card
from generator.model import CYCLES

ROOT = Path(__file__).resolve().parent.parent

CARD = Card(
    title="Moving the glucose tolerance test to 36 weeks halved the wait",
    community="Gestational diabetes",
    cycles=("applied", "realised"),
    site_name="Diabetes in Pregnancy Network",
)

HOSTILE = [
    "",
    " \t\n ",
    "A" * 10_000,
    "W" * 5_000,
    "word " * 2_000,
    "Café — naïve Zoë’s “quoted” Ærøskøbing Kraków",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u202eevil override\u202c and \u200f marks",
    "漢字のタイトルとかなカナ" * 20,
    "😀 👩‍👩‍👧‍👦 🇬🇧 emoji ❤️",
    "nul\x00 bell\x07 escape\x1b[31m del\x7f c1\x85\x9b",
    "lone \ud800 surrogate \udfff",
    "e\u0301\u0302\u0303" * 400,
    "\u0301" * 5_000,
    "\u200b" * 5_000,
    "\ufeff\ufffe\uffff private \ue000 \U0010fffd",
    "line\u2028separator\u2029paragraph",
    "i" * 300 + " " + "M" * 300,
]


def png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def chunk_types(data: bytes) -> list[bytes]:
    """The PNG's chunk types, in order."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    types, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        types.append(data[at + 4 : at + 8])
        at += 12 + length
    return types


def rgb(card: Card) -> Image.Image:
    return png(render_card(card)).convert("RGB")


# The band between the brand mark at the top and the colour strip at the bottom:
# only the title, the community and the pills draw there.
BODY = (0, 100, cards.WIDTH, cards.HEIGHT - 14)


# --- the image ------------------------------------------------------------------------


def test_a_card_is_a_1200_by_630_palette_png():
    data = render_card(CARD)
    image = png(data)
    assert image.format == "PNG"
    assert image.size == (1200, 630)
    assert image.mode == "P"


def test_a_card_is_small():
    worst = Card("W" * 400, "M" * 200, tuple(CYCLES), "M" * 200)
    assert len(render_card(worst)) < 60 * 1024


def test_the_same_card_gives_the_same_bytes():
    twin = Card(CARD.title, CARD.community, CARD.cycles, CARD.site_name)
    assert render_card(CARD) == render_card(CARD) == render_card(twin)


def test_the_same_card_gives_the_same_bytes_in_another_process():
    script = (
        "import sys; from generator.cards import Card, render_card; "
        f"sys.stdout.buffer.write(render_card(Card({CARD.title!r}, {CARD.community!r}, {CARD.cycles!r}, "
        f"{CARD.site_name!r})))"
    )
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True).stdout
    assert other == render_card(CARD)


def test_a_card_carries_no_time_or_text_chunks():
    assert chunk_types(render_card(CARD)) == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]


def test_the_title_is_actually_drawn():
    blank = rgb(Card("", "", (), "Site")).crop(BODY)
    titled = rgb(Card("A title with ink in it", "", (), "Site")).crop(BODY)
    assert ImageStat.Stat(blank.convert("L")).stddev == [0.0]
    assert ImageStat.Stat(titled.convert("L")).stddev[0] > 20
    # Dark ink: the title colour itself, not only antialiased edges.
    assert titled.convert("L").getextrema()[0] < 40


def test_the_community_and_site_name_are_drawn():
    base = rgb(Card("Title", "", (), ""))
    assert rgb(Card("Title", "Community", (), "")).tobytes() != base.tobytes()
    assert rgb(Card("Title", "", (), "Site")).tobytes() != base.tobytes()


def test_each_set_of_cycles_gives_its_own_image():
    sets = [(), ("immediate",), ("potential",), ("applied",), ("realised",), ("transformative",),
            ("immediate", "potential"), tuple(CYCLES)]
    images = {render_card(Card("Same title", "Same community", s, "Site")) for s in sets}
    assert len(images) == len(sets)


@pytest.mark.parametrize("shown", [(), ("applied",), ("immediate", "realised"), tuple(CYCLES)])
def test_the_pills_are_the_cycles_shown_in_their_colours(shown):
    body = rgb(Card("Title", "Community", shown, "Site")).crop(BODY)
    colours = {colour for _, colour in body.getcolors(maxcolors=4096)}
    for cycle, colour in CYCLE_COLOURS.items():
        assert (colour in colours) == (cycle in shown), cycle


def test_all_five_pills_fit_inside_the_margin():
    body = rgb(Card("", "", tuple(CYCLES), "")).crop(BODY)
    right = body.crop((cards.WIDTH - 80, 0, cards.WIDTH, body.height))
    assert right.getcolors() == [(right.width * right.height, (255, 255, 255))]


def test_cycle_labels_and_colours_follow_the_model():
    assert tuple(CYCLE_LABELS) == CYCLES
    assert tuple(CYCLE_COLOURS) == CYCLES
    assert len(set(CYCLE_COLOURS.values())) == len(CYCLES)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def luminance(colour):
        channels = [c / 255 for c in colour]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_text_colour_passes_wcag_aa():
    for colour in CYCLE_COLOURS.values():
        assert contrast(colour, (255, 255, 255)) >= 4.5
    for colour in (cards._TITLE_COLOUR, cards._COMMUNITY_COLOUR, cards._SITE_COLOUR):
        assert contrast(colour, cards._BACKGROUND) >= 4.5


# --- hostile text ---------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_any_field_never_raises(text):
    for card in (Card(text, "Community", ("applied",), "Site"), Card("Title", text, (), text)):
        image = png(render_card(card))
        assert image.size == (1200, 630)
        assert card.key


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.text(max_size=80))
def test_any_unicode_renders(title, community):
    assert png(render_card(Card(title, community, ("potential",), community))).size == (1200, 630)


def test_the_title_wraps_to_three_lines_with_an_ellipsis():
    font = cards._fonts().title
    lines = cards.wrap(" ".join(["practice"] * 60), font, 1040, 3)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1040 for line in lines)


def test_a_word_wider_than_the_line_is_broken():
    font = cards._fonts().title
    lines = cards.wrap("x" * 5_000, font, 1040, 3)
    assert len(lines) == 3
    assert all(set(line) <= {"x", "…"} and font.getlength(line) <= 1040 for line in lines)
    assert lines[-1].endswith("…")


def test_a_short_title_is_one_line_with_no_ellipsis():
    font = cards._fonts().title
    assert cards.wrap("Short title", font, 1040, 3) == ["Short title"]
    assert cards.wrap("", font, 1040, 3) == []


def test_clean_text_keeps_letters_and_drops_controls():
    assert cards.clean_text("  Caf\u0065\u0301\x00 \t\n au\u200blait  ", 100) == "Café aulait"
    assert cards.clean_text("x" * 50, 10) == "x" * 10 + "…"


# --- the key --------------------------------------------------------------------------


def test_the_key_is_a_sha256_hex_digest_and_stable():
    assert len(CARD.key) == 64 and int(CARD.key, 16) >= 0
    assert Card(CARD.title, CARD.community, CARD.cycles, CARD.site_name).key == CARD.key


@pytest.mark.parametrize(
    "change",
    [
        {"title": CARD.title + "!"},
        {"community": "Another community"},
        {"community": ""},
        {"cycles": ("applied",)},
        {"cycles": ()},
        {"site_name": "Another site"},
    ],
)
def test_the_key_changes_with_each_field(change):
    fields = {"title": CARD.title, "community": CARD.community, "cycles": CARD.cycles, "site_name": CARD.site_name}
    assert Card(**{**fields, **change}).key != CARD.key


def test_fields_do_not_bleed_into_each_other():
    assert Card("a", "b", (), "c").key != Card("a b", "", (), "c").key
    assert Card("", "x", (), "").key != Card("", "", (), "x").key


def test_the_cycles_order_and_repeats_do_not_matter():
    shuffled = Card(CARD.title, CARD.community, ("realised", "applied", "realised"), CARD.site_name)
    assert shuffled.cycles == ("applied", "realised")
    assert shuffled.key == CARD.key
    assert shuffled == CARD


def test_the_key_changes_with_the_drawing_version(monkeypatch):
    before = Card(CARD.title, CARD.community, CARD.cycles, CARD.site_name).key
    monkeypatch.setattr(cards, "CARD_VERSION", cards.CARD_VERSION + "-next")
    assert Card(CARD.title, CARD.community, CARD.cycles, CARD.site_name).key != before


def test_unknown_cycles_and_wrong_types_are_refused():
    with pytest.raises(ValueError, match="unknown cycle"):
        Card("t", "c", ("applied", "reframed"), "s")
    with pytest.raises(TypeError):
        Card("t", "c", "applied", "s")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Card(3, "c", (), "s")  # type: ignore[arg-type]
    assert Card("t", None, [], "s").community == ""  # type: ignore[arg-type]


# --- fonts ----------------------------------------------------------------------------


def test_cards_use_the_lato_that_mkdocs_ships():
    # If MkDocs ever stops shipping it, this fails loudly instead of cards quietly changing font.
    assert cards.font_name() == "lato-2-mkdocs"
    assert cards._fonts().title.getname() == ("Lato", "Bold")


@pytest.fixture
def without_lato(monkeypatch):
    monkeypatch.setattr(cards, "_mkdocs_lato", lambda: None)
    cards._forget_fonts()
    yield
    monkeypatch.undo()
    cards._forget_fonts()


def test_without_lato_cards_fall_back_to_pillows_font(without_lato):
    assert cards.font_name() == "aileron-pillow"
    card = Card(CARD.title, CARD.community, CARD.cycles, CARD.site_name)
    assert card.key != CARD.key  # CARD's key was taken with Lato: a cache never mixes the two
    assert png(render_card(card)).size == (1200, 630)
    assert png(render_card(Card("Café 漢字", "", (), ""))).size == (1200, 630)


# --- the cache ------------------------------------------------------------------------


def test_the_cache_renders_once_then_reads_from_disk(tmp_path, monkeypatch):
    cache = CardCache(tmp_path / "cards")
    first = cache.get_or_render(CARD)
    assert (cache.hits, cache.misses) == (0, 1)
    path = tmp_path / "cards" / CARD.key[:2] / f"{CARD.key}.png"
    assert path.read_bytes() == first == cache.path_for(CARD).read_bytes()

    def no_rendering(card):
        raise AssertionError("rendered again instead of reading the cache")

    monkeypatch.setattr(cards, "render_card", no_rendering)
    assert cache.get_or_render(CARD) == first
    assert (cache.hits, cache.misses) == (1, 1)
    # The next build's cache object, with an equal card, reads the same file.
    again = CardCache(tmp_path / "cards")
    assert again.get_or_render(Card(CARD.title, CARD.community, CARD.cycles, CARD.site_name)) == first
    assert (again.hits, again.misses) == (1, 0)


def test_the_cache_leaves_no_temporary_files(tmp_path):
    cache = CardCache(tmp_path)
    for n in range(5):
        cache.get_or_render(Card(f"Title {n}", "", (), ""))
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p.name != ".gitignore")
    assert len(files) == 5 and all(name.endswith(".png") and not name.startswith(".") for name in files)
    assert (tmp_path / ".gitignore").is_file()  # the cache keeps itself out of Git


def test_a_damaged_cached_file_is_redrawn(tmp_path):
    cache = CardCache(tmp_path)
    good = cache.get_or_render(CARD)
    cache.path_for(CARD).write_bytes(good[: len(good) // 2])
    assert cache.get_or_render(CARD) == good
    assert (cache.hits, cache.misses) == (0, 2)
    assert cache.path_for(CARD).read_bytes() == good


def test_a_disabled_cache_renders_and_touches_no_disk(tmp_path):
    cache = CardCache(tmp_path / "never", enabled=False)
    assert cache.get_or_render(CARD) == cache.get_or_render(CARD) == render_card(CARD)
    assert (cache.hits, cache.misses) == (0, 2)
    assert not (tmp_path / "never").exists()


def test_a_folder_that_cannot_be_created_does_not_raise(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cache = CardCache(blocker / "cards")
    assert cache.get_or_render(CARD) == render_card(CARD)
    assert cache.get_or_render(CARD) == render_card(CARD)
    assert (cache.hits, cache.misses) == (0, 2)


def test_a_failing_write_does_not_raise_and_is_not_retried(tmp_path, monkeypatch):
    calls = []

    def refuse(src, dst):
        calls.append(dst)
        raise PermissionError(13, "read-only file system", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    cache = CardCache(tmp_path)
    assert png(cache.get_or_render(CARD)).size == (1200, 630)
    assert png(cache.get_or_render(Card("Other", "", (), ""))).size == (1200, 630)
    assert len(calls) == 1
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.name != ".gitignore"]  # the temporary file is gone too


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permission bits")
def test_a_read_only_folder_does_not_raise(tmp_path):
    tmp_path.chmod(0o500)
    try:
        cache = CardCache(tmp_path / "cards")
        assert cache.get_or_render(CARD) == render_card(CARD)
    finally:
        tmp_path.chmod(0o700)
