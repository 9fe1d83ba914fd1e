"""A community's aims held against its evidence: which aimed cycles have a statement yet.

The rule, the same on every page and in every report: a community's aims are
counted per cycle, and **the aims of a cycle have evidence when at least one
entry of the community that the build publishes gives an indicator statement
for that cycle** (the mapping form of `cycles:`). Naming the cycle without a
statement (the list form, a tick in the matrix) makes no claim that can be held
against an aim, so it does not count. The date does not matter: aims are
written before the evidence, and a statement written before the aim still
shows it. In the public build only public entries count, so a public page may
show fewer aims evidenced than the internal one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .framework import CYCLES
from .model import Community, Statement
from .views import Matrix


@dataclass(frozen=True, slots=True)
class AimStatus:
    """One cycle the community aims at: its aims, and how many statements of its entries show that cycle."""

    cycle: str
    aims: tuple[Statement, ...]
    statements: int

    @property
    def evidenced(self) -> bool:
        """Whether some published entry of the community gives a statement for this cycle."""
        return self.statements > 0


@dataclass(frozen=True, slots=True)
class AimProgress:
    """A community's aims, cycle by cycle, against the statements of its published entries."""

    community: Community
    statuses: tuple[AimStatus, ...]

    @property
    def aimed(self) -> int:
        """How many cycles the community has aims for."""
        return len(self.statuses)

    @property
    def evidenced(self) -> int:
        """How many of those cycles have evidence."""
        return sum(status.evidenced for status in self.statuses)

    @property
    def waiting(self) -> tuple[AimStatus, ...]:
        """The aimed cycles with no statement yet: "aimed, not yet evidenced"."""
        return tuple(status for status in self.statuses if not status.evidenced)

    def status(self, cycle: str) -> AimStatus | None:
        """The status of one cycle, or None if the community has no aim for it."""
        return next((status for status in self.statuses if status.cycle == cycle), None)


def aim_progress(matrix: Matrix) -> AimProgress:
    """A community's aims against the statements in its (published) matrix."""
    community = matrix.community
    if not community.aims:
        return AimProgress(community, ())
    statements = dict.fromkeys(CYCLES, 0)
    for row in matrix.rows:
        for cycle, said in row.cells.items():
            statements[cycle] += len(said)
    return AimProgress(community, tuple(AimStatus(cycle, aims, statements[cycle])
                                        for cycle, aims in community.aims.items() if aims))
