"""A problem: one thing wrong (or worth a warning) in one file, at one line.

Problems are values, collected for every file and reported together; no
stage raises one from deep inside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

#: what would split a problem's line or hide in it: control characters, line and paragraph separators,
#: and the stand-ins Python uses for bytes of a file name that are not UTF-8
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """`text` with every control character written as a visible escape (`\\n`, `\\x1b`, `\\u2028`)."""
    return UNPRINTABLE.sub(_escape_character, text) if UNPRINTABLE.search(text) else text


def _escape_character(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as Python reads file names
        code -= 0xDC00
    return _ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) in one file, at one line."""

    path: str
    line: int
    field: str
    message: str
    expected: str | None = None
    found: str | None = None
    suggestion: str | None = None
    severity: Literal["error", "warning"] = "error"

    @property
    def is_error(self) -> bool:
        """Whether this problem fails `copmem check` and `mkdocs build --strict`."""
        return self.severity == "error"

    def __str__(self) -> str:
        """Exactly one line, `path:line: field: message (expected X, found Y); suggestion`.

        Every part is made printable: a key or a file name holding a newline
        would otherwise split the line, or forge one that looks like another problem.
        """
        text = f"{one_line(self.path)}:{self.line}: {one_line(self.field)}: {one_line(self.message)}"
        if self.expected is not None or self.found is not None:
            text += f" (expected {one_line(str(self.expected))}, found {one_line(str(self.found))})"
        if self.suggestion:
            text += f"; {one_line(self.suggestion)}"
        if not self.is_error:
            text += " [warning]"
        return text
