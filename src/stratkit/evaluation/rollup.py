"""Roll-ups: how an objective, an ambition or enabler, or the strategy stands.

A roll-up counts its outcomes by status. It invents no weights: every
outcome counts once. ``share_on_track`` is (achieved + on track) over the
outcomes that could be judged (not no data, not not measurable); ``worst``
follows :data:`stratkit.evaluation.status.WORST_FIRST`; ``attention`` lists the
outcomes off track, then those at risk, each in strategy order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from stratkit.evaluation.status import Status, worst

if TYPE_CHECKING:
    from stratkit.evaluation.results import OutcomeResult

__all__ = ["Rollup", "rollup"]


@attrs.frozen(kw_only=True)
class Rollup:
    """Counts by status, share achieved or on track, the worst status, what needs attention."""

    id: str
    title: str
    level: str
    """``"objective"``, ``"ambition"``, ``"enabler"`` or ``"strategy"``."""
    counts: dict[Status, int]
    """Every status, in :class:`Status` order, with its count (zero included)."""
    share_on_track: float | None
    worst: Status | None
    attention: tuple[str, ...]
    n_outcomes: int

    @property
    def n_judged(self) -> int:
        """Outcomes that could be judged (neither no data nor not measurable)."""
        return sum(n for s, n in self.counts.items() if s.judged)

    def __repr__(self) -> str:
        """``<Rollup 1.1 objective: 4 outcomes, 1 off track, 3 on track>``."""
        from stratkit.model._common import cut

        parts = [f"{n} {s.label.lower()}" for s, n in self.counts.items() if n]
        text = f"<Rollup {cut(self.id, 20)} {self.level}: {self.n_outcomes} outcome"
        text += "" if self.n_outcomes == 1 else "s"
        return text + (", " + ", ".join(parts) if parts else "") + ">"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "counts": {s.value: n for s, n in self.counts.items()},
            "share_on_track": self.share_on_track,
            "worst": None if self.worst is None else self.worst.value,
            "attention": list(self.attention),
            "n_outcomes": self.n_outcomes,
        }


def rollup(id: str, title: str, level: str, results: Sequence[OutcomeResult]) -> Rollup:
    """Summarise ``results`` (in strategy order) as one :class:`Rollup`."""
    counts = dict.fromkeys(Status, 0)
    for r in results:
        counts[r.status] += 1
    judged = sum(n for s, n in counts.items() if s.judged)
    good = counts[Status.ACHIEVED] + counts[Status.ON_TRACK]
    attention = tuple(r.outcome_id for r in results if r.status is Status.OFF_TRACK) + tuple(
        r.outcome_id for r in results if r.status is Status.AT_RISK
    )
    return Rollup(
        id=id,
        title=title,
        level=level,
        counts=counts,
        share_on_track=good / judged if judged else None,
        worst=worst([r.status for r in results]),
        attention=attention,
        n_outcomes=len(results),
    )
