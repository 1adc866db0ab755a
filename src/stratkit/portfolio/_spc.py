"""Every entity's SPC charts at once: one :func:`spc_many` pass over the whole portfolio.

Each (entity, outcome) series is charted exactly as the entity's own
evaluation charts it (``Evaluation[outcome_id].spc``): its observations up to
the evaluation date in the measure's unit, the improvement direction and
target of the outcome's target, and no chart for annual data, for fewer
points than Making Data Count needs, or when the policy switches SPC off.
The tests check the two are equal for every provider of the A&E example.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from stratkit.evaluation import Evaluation, Policy
from stratkit.model import Bound, Direction, Outcome, Strategy
from stratkit.portfolio._rates import PortfolioRows
from stratkit.units import convert_magnitudes, parse_unit

__all__ = ["portfolio_spc", "spc_direction"]

_MIN_POINTS = 15  # Making Data Count's minimum for icons (as the evaluation uses)


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


def portfolio_spc(
    strategy: Strategy,
    rows: PortfolioRows,
    codes: Sequence[str],
    evaluations: dict[str, Evaluation],
    *,
    as_of: Any,
    policy: Policy,
) -> tuple[Any, dict[tuple[str, str], int]]:
    """One ``SPCTable`` over every charted series, and ``(code, outcome_id) -> series id``.

    Series ids are integers, ``entity position × number of outcomes + outcome
    position`` (``codes`` order, then strategy order); the table's series are
    in ascending id order.
    """
    from stratkit.evaluation.spc import spc_many

    outcomes = list(strategy.outcomes())
    n_out = len(outcomes)
    series_of: dict[tuple[str, str], int] = {}
    if not policy.spc or not codes:
        return None, series_of
    day = np.datetime64(as_of, "D")
    entity_index = {c: k for k, c in enumerate(codes)}
    outcome_index = {o.id: k for k, o in enumerate(outcomes)}
    ent = np.array([entity_index.get(c, -1) for c in rows.entity.tolist()], dtype=np.int64)
    out = np.array([outcome_index.get(o, -1) for o in rows.outcome_id.tolist()], dtype=np.int64)
    keep = (ent >= 0) & (out >= 0) & (rows.end <= day)
    sid = ent * n_out + out
    values = rows.value.astype(np.float64, copy=True)
    eligible = np.zeros(len(codes) * n_out, dtype=bool)
    charted = np.zeros(n_out, dtype=bool)
    ways = [spc_direction(o) for o in outcomes]
    for k, o in enumerate(outcomes):
        m = o.measure
        if m is None or (m.frequency is not None and m.frequency.value == "annual"):
            continue
        charted[k] = True
        here = keep & (out == k)
        for u in dict.fromkeys(rows.unit[here].tolist()):
            mask = here & (rows.unit == u)
            values[mask] = convert_magnitudes(
                rows.value[mask], parse_unit(u), m.unit, f"outcome {o.id}"
            )
    direction: dict[Hashable, str] = {}
    target: dict[Hashable, float] = {}
    expected_ids = [o.id for o in outcomes]
    for e, c in enumerate(codes):
        cols = evaluations[c].columns
        if cols["outcome_id"].tolist() != expected_ids:  # pragma: no cover - a broken invariant
            raise AssertionError("evaluation columns are not in strategy order")
        ok = charted & (np.asarray(cols["n_points"]) >= _MIN_POINTS)
        eligible[e * n_out : (e + 1) * n_out] = ok
        t = np.asarray(cols["target_value"], dtype=np.float64)
        for k in np.flatnonzero(ok).tolist():
            s = e * n_out + k
            direction[s] = ways[k]
            if math.isfinite(t[k]) and ways[k] != "neutral":
                target[s] = float(t[k])
    keep &= eligible[sid]
    chosen = np.flatnonzero(keep)
    chosen = chosen[np.argsort(sid[chosen], kind="stable")]  # series ids ascending
    ids = sid[chosen]
    table = spc_many(
        ids,
        rows.end[chosen],
        values[chosen],
        improvement_direction=direction,
        target=target,
        screen_outliers=policy.screen_outliers,
    )
    for s in np.unique(ids).tolist():
        series_of[(codes[s // n_out], outcomes[s % n_out].id)] = int(s)
    return table, series_of
