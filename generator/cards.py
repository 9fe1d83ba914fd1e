"""Link-preview cards: one 1200×630 PNG per page for og:image, drawn offline with Pillow.

Nothing here imports MkDocs: the plugin, the CLI, the tests and bench/cards.py share it.

Speed is the design constraint (a cold build draws one card per page, 5,000–20,000
of them), so a card is drawn straight into palette indices: the canvas is an "L"
image whose values are indices into one fixed palette, every piece of text is
rasterised once as coverage (0–255) and mapped onto a ramp of palette colours
running from the colour under the text to the text's colour, and the result is
written as an 8-bit palette PNG with light compression. Everything that does
not change from card to card (background, brand mark, colour strip, the five
pills, and the few site and community names) is drawn once per process.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from . import cache_folder

#: Bump whenever the drawing changes: it is part of every card's key, so caches refresh.
CARD_VERSION = "1"

WIDTH, HEIGHT = 1200, 630

#: The value-creation cycles in canonical order (generator.model.CYCLES, kept here so
#: this module stands alone; a test checks the two agree) with each pill's label.
CYCLE_LABELS: dict[str, str] = {
    "immediate": "Immediate",
    "potential": "Potential",
    "applied": "Applied",
    "realised": "Realised",
    "transformative": "Transformative",
}

# The site's own badge colours (site_templates/cop-memory/cop-memory.css), so a card's
# pills match the badges on its page; white text passes WCAG AA on each.
CYCLE_COLOURS: dict[str, tuple[int, int, int]] = {
    "immediate": (0x15, 0x65, 0xC0),
    "potential": (0x6A, 0x1B, 0x9A),
    "applied": (0x2E, 0x7D, 0x32),
    "realised": (0xB2, 0x3C, 0x00),
    "transformative": (0xAD, 0x14, 0x57),
}

_WHITE = (255, 255, 255)
_BACKGROUND = _WHITE
_TITLE_COLOUR = (0x11, 0x18, 0x27)  # 17:1 on white
_COMMUNITY_COLOUR = (0x00, 0x69, 0x5C)  # the site's teal, darkened to 6.6:1 on white
_SITE_COLOUR = (0x4B, 0x55, 0x63)  # 7.6:1 on white

_MARGIN = 80
_TEXT_WIDTH = WIDTH - 2 * _MARGIN
_TITLE_SIZE, _TITLE_LINE, _TITLE_LINES = 64, 78, 3
_COMMUNITY_SIZE, _COMMUNITY_GAP = 34, 22
_SITE_SIZE, _SITE_TOP = 28, 56
_PILL_SIZE, _PILL_HEIGHT, _PILL_PAD, _PILL_GAP = 25, 50, 24, 14
_STRIP_HEIGHT = 12
_PILLS_TOP = HEIGHT - _STRIP_HEIGHT - 60 - _PILL_HEIGHT
_BLOCK_TOP = 132  # below the site name
_MARK_BAR, _MARK_GAP, _MARK_HEIGHT = 6, 4, 30

# Coverage levels per text colour. 16 reads as smooth as 256 at these sizes and keeps
# the whole card inside one 8-bit palette.
_LEVELS = 16

_ELLIPSIS = "…"
# Bounds the work for hostile input: three lines of the narrowest glyphs hold fewer.
_TITLE_MAX_CHARS = 400
_LINE_MAX_CHARS = 200
_PAD = 8  # room around a text layer for glyphs that overhang their advance

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"


# --- palette --------------------------------------------------------------------------


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


class _Palette:
    """The card's fixed palette, built from ramps: index base+k is k/(LEVELS-1) of the way to fg."""

    def __init__(self) -> None:
        self.colours: list[tuple[int, int, int]] = [_BACKGROUND]
        self.title = self._ramp(_BACKGROUND, _TITLE_COLOUR)
        self.community = self._ramp(_BACKGROUND, _COMMUNITY_COLOUR)
        self.site = self._ramp(_BACKGROUND, _SITE_COLOUR)
        self.pill = {c: self._ramp(_BACKGROUND, rgb) for c, rgb in CYCLE_COLOURS.items()}
        self.label = {c: self._ramp(rgb, _WHITE) for c, rgb in CYCLE_COLOURS.items()}
        assert len(self.colours) <= 256
        self.data = bytes(v for rgb in self.colours for v in rgb)

    def _ramp(self, bg: tuple[int, int, int], fg: tuple[int, int, int]) -> int:
        base = len(self.colours)
        self.colours.extend(_mix(bg, fg, k / (_LEVELS - 1)) for k in range(_LEVELS))
        return base


_PALETTE = _Palette()


# Coverage -> palette index. No ink maps to the background's own index, so a text
# layer is pasted as a plain rectangle, no mask: every layer lies on bare background
# and no two overlap (the layout keeps them apart by more than _PAD).
@cache
def _ramp_lut(base: int) -> list[int]:
    return [0] + [base + (v * (_LEVELS - 1) + 127) // 255 for v in range(1, 256)]


_INK_LUT = [0] + [255] * 255


def _indices(coverage: Image.Image, base: int) -> Image.Image:
    """Coverage as palette indices on the ramp at `base`, background where there is no ink."""
    return coverage.point(_ramp_lut(base))


# --- fonts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fonts:
    name: str
    title: ImageFont.FreeTypeFont
    community: ImageFont.FreeTypeFont
    site: ImageFont.FreeTypeFont
    pill: ImageFont.FreeTypeFont


#: where the readthedocs theme's Lato lies: in MkDocs, or (the same files) in ProperDocs' theme package
_LATO_FOLDERS = (("mkdocs", ("themes", "readthedocs", "css", "fonts")),
                 ("properdocs_theme_readthedocs", ("css", "fonts")))


def _mkdocs_lato() -> tuple[Path, Path] | None:
    """MkDocs' own copy of Lato (bold, regular), found without importing MkDocs."""
    for package, parts in _LATO_FOLDERS:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(next(iter(spec.submodule_search_locations)), *parts)
        bold, regular = folder / "lato-bold.woff", folder / "lato-normal.woff"
        if bold.is_file() and regular.is_file():
            return bold, regular
    return None


@lru_cache(maxsize=1)
def _fonts() -> _Fonts:
    """The card's fonts, loaded once per process: Lato from MkDocs, else Pillow's Aileron."""
    if not features.check("freetype2"):
        raise RuntimeError("link-preview cards need Pillow built with FreeType (PyPI's wheels are)")
    # BASIC layout on purpose: it is in every Pillow build, so the same card gives the
    # same bytes everywhere, while Raqm's presence varies from machine to machine.
    basic = ImageFont.Layout.BASIC
    lato = _mkdocs_lato()
    if lato is not None:
        bold, regular = lato
        try:
            return _Fonts(
                "lato-2-mkdocs",
                ImageFont.truetype(str(bold), _TITLE_SIZE, layout_engine=basic),
                ImageFont.truetype(str(regular), _COMMUNITY_SIZE, layout_engine=basic),
                ImageFont.truetype(str(bold), _SITE_SIZE, layout_engine=basic),
                ImageFont.truetype(str(bold), _PILL_SIZE, layout_engine=basic),
            )
        except OSError:
            pass  # an unreadable copy: fall through to the font inside Pillow
    default = ImageFont.load_default
    return _Fonts(
        "aileron-pillow",
        default(_TITLE_SIZE),  # type: ignore[arg-type]
        default(_COMMUNITY_SIZE),  # type: ignore[arg-type]
        default(_SITE_SIZE),  # type: ignore[arg-type]
        default(_PILL_SIZE),  # type: ignore[arg-type]
    )


def _forget_fonts() -> None:
    """Drop the loaded fonts and everything drawn with them (for tests that swap the font)."""
    for cached in (_fonts, _one_line, _pill):
        cached.cache_clear()


def font_name() -> str:
    """Which font the cards are drawn in here: "lato-2-mkdocs" or the fallback "aileron-pillow"."""
    return _fonts().name


# --- text -----------------------------------------------------------------------------

# Variation selectors only pick an emoji's style; alone they draw as boxes.
_DROP = set(range(0xFE00, 0xFE10)) | set(range(0xE0100, 0xE01F0))


def clean_text(text: str, limit: int) -> str:
    """`text` made drawable: NFC, no control or format characters, single spaces, `limit` characters at most."""
    # Cut before normalising so a megabyte title costs no more than a short one.
    raw_cut = len(text) > limit * 4
    text = unicodedata.normalize("NFC", text[: limit * 4])
    out = []
    for ch in text:
        cp = ord(ch)
        if cp in _DROP:
            continue
        category = unicodedata.category(ch)
        if category[0] == "Z" or ch in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85":
            out.append(" ")
        elif category[0] != "C":  # control, format, surrogate, private use, unassigned
            out.append(ch)
    text = " ".join("".join(out).split())
    if raw_cut or len(text) > limit:
        text = text[:limit].rstrip() + _ELLIPSIS
    return text


def _fit(text: str, font: ImageFont.FreeTypeFont, width: float) -> int:
    """The length of the longest prefix of `text` no wider than `width` (at least 1)."""
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.getlength(text[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _ellipsize(line: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """`line` shortened until it and a trailing "…" fit in `width`."""
    line = line.rstrip().removesuffix(_ELLIPSIS).rstrip()
    room = width - font.getlength(_ELLIPSIS)
    if font.getlength(line) > room:
        cut = _fit(line, font, room)
        # Cut at a word when that keeps most of the line; else mid-word.
        space = line.rfind(" ", 0, cut + 1)
        line = line[:space] if space > cut * 0.6 else line[:cut]
    # A line that ends in punctuation reads badly before an ellipsis.
    line = line.rstrip(" ,;:-–—")
    while line and font.getlength(line + _ELLIPSIS) > width:  # kerning against "…"
        line = line[:-1]
    return line + _ELLIPSIS


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, max_lines: int) -> list[str]:
    """`text` in at most `max_lines` lines no wider than `width`: long words split, "…" if cut short."""
    if not text:
        return []
    words = text.split(" ")
    lines: list[str] = []
    current = ""
    i = 0
    while i < len(words):
        word = words[i]
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current, i = candidate, i + 1
            continue
        if current:
            lines.append(current)
            current = ""
        else:
            cut = _fit(word, font, width)
            lines.append(word[:cut])
            words[i] = word[cut:]
            if not words[i]:
                i += 1
        if len(lines) == max_lines:
            break
    else:
        if current:
            lines.append(current)
        current = ""
    if len(lines) == max_lines and (current or i < len(words)):
        lines[-1] = _ellipsize(lines[-1], font, width)
    return lines


def _text_coverage(lines: list[str], font: ImageFont.FreeTypeFont, line_height: int) -> Image.Image:
    """The lines' ink as an "L" image, with _PAD pixels around the text box."""
    ascent, descent = font.getmetrics()
    width = max(int(font.getlength(line)) for line in lines) + 2 * _PAD
    height = (len(lines) - 1) * line_height + ascent + descent + 2 * _PAD
    layer = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(layer)
    for n, line in enumerate(lines):
        draw.text((_PAD, _PAD + n * line_height), line, font=font, fill=255)
    return layer


def _text_block_height(lines: int, font: ImageFont.FreeTypeFont, line_height: int) -> int:
    ascent, descent = font.getmetrics()
    return (lines - 1) * line_height + ascent + descent if lines else 0


@lru_cache(maxsize=64)
def _one_line(text: str, kind: str) -> tuple[Image.Image, int] | None:
    """A site or community name drawn once: (indices, height), or None when empty."""
    fonts = _fonts()
    font, base, width = {
        "site": (fonts.site, _PALETTE.site, _TEXT_WIDTH - _mark_width() - 18),
        "community": (fonts.community, _PALETTE.community, _TEXT_WIDTH),
    }[kind]
    lines = wrap(clean_text(text, _LINE_MAX_CHARS), font, width, 1)
    if not lines:
        return None
    return _indices(_text_coverage(lines, font, 0), base), _text_block_height(1, font, 0)


# --- fixed pieces ---------------------------------------------------------------------


def _mark_width() -> int:
    return len(CYCLE_COLOURS) * _MARK_BAR + (len(CYCLE_COLOURS) - 1) * _MARK_GAP


@lru_cache(maxsize=1)
def _background() -> Image.Image:
    """White canvas with the brand mark (five cycle bars) and the five-colour bottom strip."""
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(canvas)
    solid = {c: _PALETTE.pill[c] + _LEVELS - 1 for c in CYCLE_COLOURS}
    segment = WIDTH / len(CYCLE_COLOURS)
    for n, cycle in enumerate(CYCLE_COLOURS):
        draw.rectangle(
            (round(n * segment), HEIGHT - _STRIP_HEIGHT, round((n + 1) * segment) - 1, HEIGHT - 1), fill=solid[cycle]
        )
        left = _MARGIN + n * (_MARK_BAR + _MARK_GAP)
        # The bars rise like the cycles do: each a little taller than the one before.
        top = _SITE_TOP + _MARK_HEIGHT - round(_MARK_HEIGHT * (0.5 + 0.125 * n))
        draw.rectangle((left, top, left + _MARK_BAR - 1, _SITE_TOP + _MARK_HEIGHT - 1), fill=solid[cycle])
    return canvas


@cache
def _pill(cycle: str) -> Image.Image:
    """One cycle's pill as palette indices, drawn once: antialiased round ends and label."""
    font = _fonts().pill
    label = CYCLE_LABELS[cycle]
    width = round(font.getlength(label)) + 2 * _PILL_PAD
    scale = 4  # draw the round ends 4× larger and shrink, for smooth edges
    shape = Image.new("L", (width * scale, _PILL_HEIGHT * scale), 0)
    ImageDraw.Draw(shape).rounded_rectangle(
        (0, 0, width * scale - 1, _PILL_HEIGHT * scale - 1), radius=_PILL_HEIGHT * scale // 2, fill=255
    )
    shape = shape.resize((width, _PILL_HEIGHT), Image.Resampling.BOX)
    indices = _indices(shape, _PALETTE.pill[cycle])
    ink = Image.new("L", (width, _PILL_HEIGHT), 0)
    # Centre on the cap height, not the font box, so the label sits visually centred.
    _, top, _, bottom = font.getbbox("H")
    ImageDraw.Draw(ink).text((_PILL_PAD, round((_PILL_HEIGHT - (bottom - top)) / 2 - top)), label, font=font, fill=255)
    # The label lies on the pill, not on background: paste it through its ink.
    indices.paste(_indices(ink, _PALETTE.label[cycle]), (0, 0), ink.point(_INK_LUT))
    return indices


# --- the card -------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """What one page's link-preview card shows; equal cards draw the same PNG."""

    title: str
    community: str
    cycles: tuple[str, ...]
    site_name: str

    def __post_init__(self) -> None:
        for name in ("title", "community", "site_name"):
            value = getattr(self, name)
            if value is None:
                object.__setattr__(self, name, "")
            elif not isinstance(value, str):
                raise TypeError(f"Card.{name} must be a string, not {type(value).__name__}")
        if isinstance(self.cycles, str):
            raise TypeError("Card.cycles must be a sequence of cycle names, not one string")
        named = set(self.cycles or ())
        unknown = named - CYCLE_LABELS.keys()
        if unknown:
            raise ValueError(f"unknown cycle(s) {sorted(map(str, unknown))}; expected some of {list(CYCLE_LABELS)}")
        # Canonical order and no repeats, so equal content gives one key and one image.
        object.__setattr__(self, "cycles", tuple(c for c in CYCLE_LABELS if c in named))

    @cached_property
    def key(self) -> str:
        """A stable hex digest of the fields, the drawing's version and the font: the card's cache name."""
        canonical = json.dumps(
            {
                "version": CARD_VERSION,
                "font": font_name(),
                "title": self.title,
                "community": self.community,
                "cycles": list(self.cycles),
                "site_name": self.site_name,
            },
            ensure_ascii=True,  # lone surrogates become escapes, never an encoding error
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()


# Fonts and cached layers are shared module state; Pillow's FreeType faces are not
# documented as safe to use from two threads at once.
_LOCK = threading.Lock()


def render_card(card: Card) -> bytes:
    """The card as PNG bytes: 1200×630, 8-bit palette, the same bytes for the same card."""
    with _LOCK:
        canvas = _draw(card)
    image = canvas.convert("P")  # keeps the values as they are: they already are indices
    image.putpalette(_PALETTE.data)
    out = io.BytesIO()
    # Level 1 is several times faster than the default 6 and only slightly larger on a
    # card that is mostly flat colour; Pillow writes no time or text chunks unasked.
    image.save(out, format="PNG", optimize=False, compress_level=1)
    return out.getvalue()


def _draw(card: Card) -> Image.Image:
    fonts = _fonts()
    canvas = _background().copy()

    site = _one_line(card.site_name, "site")
    if site is not None:
        indices, _ = site
        # Align the name's ink with the brand mark's baseline-ish bottom edge.
        x = _MARGIN + _mark_width() + 18 - _PAD
        y = _SITE_TOP + _MARK_HEIGHT - fonts.site.getmetrics()[0] - _PAD + 2
        canvas.paste(indices, (x, y))

    title_lines = wrap(clean_text(card.title, _TITLE_MAX_CHARS), fonts.title, _TEXT_WIDTH, _TITLE_LINES)
    community = _one_line(card.community, "community")

    # Centre the title and community as one block in the space between the site name
    # and the pills (or the strip, when the page shows no cycle).
    block_bottom = (_PILLS_TOP - 36) if card.cycles else (HEIGHT - _STRIP_HEIGHT - 48)
    title_height = _text_block_height(len(title_lines), fonts.title, _TITLE_LINE)
    community_height = community[1] if community else 0
    gap = _COMMUNITY_GAP if title_lines and community else 0
    y = _BLOCK_TOP + max(0, (block_bottom - _BLOCK_TOP - title_height - gap - community_height) // 2)

    if title_lines:
        indices = _indices(_text_coverage(title_lines, fonts.title, _TITLE_LINE), _PALETTE.title)
        canvas.paste(indices, (_MARGIN - _PAD, y - _PAD))
        y += title_height + gap
    if community is not None:
        canvas.paste(community[0], (_MARGIN - _PAD, y - _PAD))

    x = _MARGIN
    for cycle in card.cycles:
        indices = _pill(cycle)
        canvas.paste(indices, (x, _PILLS_TOP))
        x += indices.width + _PILL_GAP
    return canvas


# --- the cache ------------------------------------------------------------------------


class CardCache:
    """Rendered cards on disk, one PNG per key under `<folder>/<key[:2]>/<key>.png`, kept across builds."""

    def __init__(self, folder: str | os.PathLike[str], *, enabled: bool = True) -> None:
        self.folder = Path(folder)
        self.enabled = enabled
        #: Cards read from disk, and cards rendered (every card when disabled).
        self.hits = 0
        self.misses = 0
        # Turned off at the first failed write: a read-only or full disk would fail the
        # same way for each of thousands of pages, and the build must go on regardless.
        self._writable = True

    def path_for(self, card: Card) -> Path:
        """Where `card` is (or would be) kept."""
        key = card.key
        return self.folder / key[:2] / f"{key}.png"

    def get_or_render(self, card: Card) -> bytes:
        """The card's PNG bytes, read from the cache when there, else rendered and stored."""
        if not self.enabled:
            self.misses += 1
            return render_card(card)
        path = self.path_for(card)
        try:
            data = path.read_bytes()
        except OSError:
            pass
        else:
            # A file cut short (a crash mid-copy, a full disk elsewhere) is redrawn, not served.
            if data.startswith(_PNG_SIGNATURE) and data.endswith(_PNG_END):
                self.hits += 1
                return data
        self.misses += 1
        data = render_card(card)
        if self._writable:
            self._store(path, data)
        return data

    def _store(self, path: Path, data: bytes) -> None:
        try:
            cache_folder.write_whole(self.folder, path, lambda handle: handle.write(data))
        except OSError:
            self._writable = False
