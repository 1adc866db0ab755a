"""The direction a league table ranks an outcome in (its chart's improvement direction)."""

from __future__ import annotations

from stratkit.model import Bound, Direction, Outcome

__all__ = ["spc_direction"]


def spc_direction(outcome: Outcome) -> str:
    """``"increase"``, ``"decrease"`` or ``"neutral"``: the chart's improvement direction."""
    t = outcome.target
    if t is None:
        return "neutral"
    if t.bound is Bound.AT_LEAST:
        return "increase"
    if t.bound is Bound.AT_MOST:
        return "decrease"
    return {Direction.INCREASE: "increase", Direction.DECREASE: "decrease"}.get(
        t.direction, "neutral"
    )
