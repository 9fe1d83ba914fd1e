"""URL slugs: the one way text becomes `[a-z0-9-]+`, and how an entry's slug comes from its file name."""

from __future__ import annotations

import posixpath
import re
import unicodedata

#: the shape `slug:` accepts (hyphens anywhere, as sections 3 and 5 of the contract allow)
SLUG_FIELD = re.compile(r"[a-z0-9-]+")
_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_WORDS = re.compile(r"[a-z0-9]+")


def slugify(text: str, length: int | None = None) -> str:
    """A slug from any text: accents folded to ASCII (`José Núñez` -> `jose-nunez`), other characters dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = "-".join(_WORDS.findall(folded.lower()))
    return slug[:length].strip("-") if length else slug


def file_slug(source: str) -> str:
    """The slug a file name gives: the name without a leading `YYYY-MM-DD-` and without its extension."""
    name = posixpath.basename(source)
    stem = name[: name.rindex(".")] if "." in name else name
    return _DATED.sub("", stem)
