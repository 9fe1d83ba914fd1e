"""Names protected by the Chatham House rule: how they are found in text and in slugs, and replaced.

A name is matched as a reader would recognise it: the whole name or any part of
a person's name on its own (given or family name), in any case, with or
without accents, in NFC or NFD, with a title before it (Dr, Ms, ...), and as a
whole word only (`Al` is not found in `clinical`). The same matcher serves the
audience stage (one-line fields and Markdown bodies), the rendered HTML pass,
and the review's slug and file-name checks.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from .framework import NEUTRAL_ORGANISATION, NEUTRAL_PERSON
from .slugs import slugify

#: titles that go with a name: "Dr Reyes" is the name too
TITLES = ("dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sister", "nurse", "sir",
          "dame", "rev", "revd", "cllr", "councillor", "lord", "lady")
_SPACE = r"(?:\s|&nbsp;|&#160;|&#xa0;)+"


#: letters with no Unicode decomposition that readers (and slugs) still spell with plain letters
_PLAIN = {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}


def _variants(char: str) -> set[str]:
    """The spellings of one character a reader would read as the same letter (case, accents, İ and i, ı and i)."""
    found = {char, char.lower(), char.upper(), char.casefold()}
    found |= {v.lower() for v in found} | {v.upper() for v in found}
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    plain = _PLAIN.get(char.lower(), base)
    for letter in (base, plain):
        if letter:
            found |= {letter, letter.lower(), letter.upper()}
    return {v for v in found if v}


def _word_pattern(word: str) -> str:
    """A regex for one word matching its case and accent variants, character by character."""
    pieces = []
    for char in unicodedata.normalize("NFC", word):
        variants = sorted(_variants(char), key=lambda v: (-len(v), v))
        singles = [v for v in variants if len(v) == 1]
        multis = [re.escape(v) for v in variants if len(v) > 1]
        klass = "[" + "".join(re.escape(v) for v in singles) + "]" if singles else ""
        pieces.append("(?:" + "|".join(multis + ([klass] if klass else [])) + ")")
    return "".join(pieces)


class ProtectedNames:
    """The people and organisations one entry protects, and the matcher that finds them."""

    def __init__(self, people: Iterable[str], organisations: Iterable[str]):
        self.people = tuple(dict.fromkeys(n.strip() for n in people if n and n.strip()))
        self.organisations = tuple(dict.fromkeys(n.strip() for n in organisations if n and n.strip()))
        self._pattern, self._labels = _compile(self.people, self.organisations)

    def __bool__(self) -> bool:
        return bool(self.people or self.organisations)

    def redact(self, text: str) -> str:
        """`text` with every protected name replaced by "a member" or "an organisation"."""
        if not self or not text:
            return text
        text = unicodedata.normalize("NFC", text)
        labels = self._labels

        def label(match: re.Match) -> str:
            group = next(name for name, value in match.groupdict().items() if value and name != "article")
            neutral = labels[group]
            before = text[max(0, match.start() - 8): match.start()].rstrip(" *_")
            article = match.group("article")
            # Capitalise at the start of a sentence, or where a capitalised article stood.
            if match.start() == 0 or (before and before[-1] in ".!?\n:") or (article and article[0].isupper()):
                neutral = neutral[0].upper() + neutral[1:]
            return neutral

        return self._pattern.sub(label, text)

    def in_words(self, text: str) -> str | None:
        """The protected name (or part of one) that `text` spells as whole slug words, e.g. in a URL or file name."""
        words = slugify(text).split("-")
        joined = "-" + "-".join(words) + "-"
        for name in (*self.people, *self.organisations):
            for form in _slug_forms(name, name in self.people):
                if f"-{form}-" in joined:
                    return name
        return None


@functools.lru_cache(maxsize=4096)
def _compile(people: tuple[str, ...], organisations: tuple[str, ...]) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern for all names: whole names first (longest first), then a person's single name parts."""
    alternatives: list[tuple[str, str]] = []
    for names, label in ((people, NEUTRAL_PERSON), (organisations, NEUTRAL_ORGANISATION)):
        for name in names:
            words = name.split()
            alternatives.append((_SPACE.join(_word_pattern(w) for w in words), label))
    for name in people:
        for part in _parts(name):
            alternatives.append((_word_pattern(part), NEUTRAL_PERSON))
    # Longest source first, so "Dana Whitfield" goes before a bare "Dana".
    alternatives.sort(key=lambda pair: -len(pair[0]))
    labels: dict[str, str] = {}
    groups = []
    for index, (pattern, label) in enumerate(dict.fromkeys(alternatives)):
        labels[f"n{index}"] = label
        groups.append(f"(?P<n{index}>{pattern})")
    titles = "|".join(_word_pattern(t) for t in TITLES)
    # An article or a title before a name goes with it: "the Harbour Trust" -> "an organisation".
    articles = f"{_word_pattern('the')}|{_word_pattern('an')}|{_word_pattern('a')}"
    prefix = rf"(?:(?:(?P<article>{articles})|(?:{titles})\.?){_SPACE})?"
    pattern = re.compile(rf"(?<!\w){prefix}(?:{'|'.join(groups)})(?!\w)") if groups else re.compile(r"(?!x)x")
    return pattern, labels


def _parts(name: str) -> list[str]:
    """The parts of a person's name that identify them alone (given and family names, two letters or more)."""
    parts = []
    for word in name.split():
        for piece in {word, *word.split("-")}:
            piece = piece.strip(".,'’")
            if len(piece) >= 2 and piece.casefold() not in TITLES:
                parts.append(piece)
    return parts


def _slug_forms(name: str, is_person: bool) -> list[str]:
    """How a name shows in a slug: the whole name, and for a person each part."""
    forms = [slugify(name)]
    if is_person:
        forms += [slugify(part) for part in _parts(name)]
    return [f for f in dict.fromkeys(forms) if f]
