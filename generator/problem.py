"""A problem: one thing wrong (or worth a warning) in one file, at one line.

Problems are values, collected for every file and reported together; no
stage raises one from deep inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


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
        text = f"{self.path}:{self.line}: {self.field}: {self.message}"
        if self.expected is not None or self.found is not None:
            text += f" (expected {self.expected}, found {self.found})"
        if self.suggestion:
            text += f"; {self.suggestion}"
        if not self.is_error:
            text += " [warning]"
        return text
