"""League tables and roll-ups across the entities of a portfolio."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs

from stratkit.evaluation import Status
from stratkit.portfolio._entities import Entity

__all__ = ["LeagueRow", "PortfolioRollup", "league_table", "portfolio_rollup"]


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


@attrs.frozen(kw_only=True)
class LeagueRow:
    """One entity's standing on one outcome.

    ``rank`` is the position among the entities with a latest value, best
    first by the measure's direction (``None`` without data); ``gap`` is
    signed so that positive is better, in ``unit``.
    """

    rank: int | None
    entity: Entity
    outcome_id: str
    status: Status
    variation_icon: str | None
    assurance_icon: str | None
    latest_value: float | None
    target_value: float | None
    gap: float | None
    n_points: int
    unit: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "rank": self.rank,
            **self.entity.to_dict(),
            "outcome_id": self.outcome_id,
            "status": self.status.value,
            "variation_icon": self.variation_icon,
            "assurance_icon": self.assurance_icon,
            "latest_value": _num(self.latest_value),
            "target_value": _num(self.target_value),
            "gap": _num(self.gap),
            "n_points": self.n_points,
            "unit": self.unit,
        }


def league_table(rows: Sequence[LeagueRow], direction: str) -> tuple[LeagueRow, ...]:
    """``rows`` ranked: best latest value first for the direction, then those without data.

    ``"increase"`` puts the highest first, ``"decrease"`` the lowest, and
    ``"neutral"`` keeps code order. Ties and entities without data are in
    code order, so the table never depends on the order of the input.
    """
    have = [r for r in rows if r.latest_value is not None and math.isfinite(r.latest_value)]
    none = sorted((r for r in rows if r not in have), key=lambda r: r.entity.code)
    sign = {"increase": -1.0, "decrease": 1.0}.get(direction, 0.0)
    have.sort(key=lambda r: (sign * float(r.latest_value or 0.0), r.entity.code))
    ranked = [attrs.evolve(r, rank=k) for k, r in enumerate(have, start=1)]
    return (*ranked, *(attrs.evolve(r, rank=None) for r in none))


@attrs.frozen(kw_only=True)
class PortfolioRollup:
    """How the entities stand on one outcome: counts by status and by SPC icons.

    ``attention`` lists the entities off track, then those at risk, each in
    code order. ``icons`` counts the (variation, assurance) pairs of the
    entities' charts: the Making Data Count matrix (``None`` for no chart or
    no assurance icon).
    """

    outcome_id: str
    statement: str
    counts: dict[Status, int]
    share_on_track: float | None
    attention: tuple[str, ...]
    icons: dict[tuple[str | None, str | None], int]
    n_entities: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "outcome_id": self.outcome_id,
            "statement": self.statement,
            "counts": {s.value: n for s, n in self.counts.items()},
            "share_on_track": self.share_on_track,
            "attention": list(self.attention),
            "icons": [
                {"variation": v, "assurance": a, "n": n}
                for (v, a), n in sorted(
                    self.icons.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))
                )
            ],
            "n_entities": self.n_entities,
        }


def portfolio_rollup(
    outcome_id: str, statement: str, rows: Sequence[LeagueRow]
) -> PortfolioRollup:
    """Summarise one outcome's league rows (entities only) as a :class:`PortfolioRollup`."""
    counts = dict.fromkeys(Status, 0)
    icons: dict[tuple[str | None, str | None], int] = {}
    for r in rows:
        counts[r.status] += 1
        key = (r.variation_icon, r.assurance_icon)
        icons[key] = icons.get(key, 0) + 1
    judged = sum(n for s, n in counts.items() if s.judged)
    good = counts[Status.ACHIEVED] + counts[Status.ON_TRACK]
    by_code = sorted(rows, key=lambda r: r.entity.code)
    attention = tuple(r.entity.code for r in by_code if r.status is Status.OFF_TRACK) + tuple(
        r.entity.code for r in by_code if r.status is Status.AT_RISK
    )
    return PortfolioRollup(
        outcome_id=outcome_id,
        statement=statement,
        counts=counts,
        share_on_track=good / judged if judged else None,
        attention=attention,
        icons=icons,
        n_entities=len(rows),
    )
