"""Every entity's SPC charts at once: one :func:`spc_many` pass over the whole portfolio.

Each (entity, outcome) series is charted exactly as the entity's own
evaluation charts it (``Evaluation[outcome_id].spc``): its observations up to
the evaluation date in the measure's unit, the improvement direction and
target of the outcome's target, and no chart for annual data, for fewer
points than Making Data Count needs, or when the policy switches SPC off.
The tests check the two are equal for every provider of the A&E example.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from stratkit.evaluation import Evaluation, Policy
from stratkit.model import Bound, Direction, Outcome, Strategy
from stratkit.portfolio._rates import PortfolioRows, factorise
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
    chunk_rows: int = 1_000_000,
) -> tuple[tuple[Any, ...], dict[tuple[str, str], tuple[int, int]]]:
    """Every charted series as ``SPCTable`` chunks, and ``(code, outcome_id) -> (chunk, k)``.

    ``k`` is the series' position in its chunk. Series ids are integers,
    ``entity position × number of outcomes + outcome position`` (``codes``
    order, then strategy order), ascending through the chunks. A chunk holds
    whole series, about ``chunk_rows`` points: charting millions of points in
    pieces keeps the peak memory down and changes no result (each series is
    charted on its own).
    """
    from stratkit.spc import spc_many

    outcomes = list(strategy.outcomes())
    n_out = len(outcomes)
    series_of: dict[tuple[str, str], tuple[int, int]] = {}
    if not policy.spc or not codes:
        return (), series_of
    day = np.datetime64(as_of, "D")
    position = {c: k for k, c in enumerate(codes)}
    uniq, inverse = factorise(rows.entity)
    ent = np.array([position.get(str(u), -1) for u in uniq.tolist()], dtype=np.int64)[inverse]
    out = rows.positions(strategy)
    keep = (ent >= 0) & (out >= 0) & (rows.end <= day)
    sid = ent * n_out + out
    ways = [spc_direction(o) for o in outcomes]
    charted = np.array(
        [
            o.measure is not None
            and not (o.measure.frequency is not None and o.measure.frequency.value == "annual")
            for o in outcomes
        ],
        dtype=bool,
    )
    # values in the measure's unit: one factor per (outcome, unit) pair, as the evaluation does
    units, unit_idx = factorise(rows.unit)
    pair = np.where(keep, out * len(units) + unit_idx, -1)
    pair_factor = np.ones(max(n_out * len(units), 1))
    for p in np.unique(pair[pair >= 0]).tolist():
        m = outcomes[p // len(units)].measure
        if m is not None:
            pair_factor[p] = convert_magnitudes(
                np.ones(1),
                parse_unit(str(units[p % len(units)])),
                m.unit,
                outcomes[p // len(units)].id,
            )[0]
    factor = np.where(pair >= 0, pair_factor[np.maximum(pair, 0)], 1.0)
    del pair
    values = rows.value * factor
    del factor
    eligible = np.zeros(len(codes) * n_out, dtype=bool)
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
    if np.any(np.diff(sid[chosen]) < 0):  # rows come sorted by entity and outcome
        chosen = chosen[np.argsort(sid[chosen], kind="stable")]  # series ids ascending
    ids = sid[chosen]
    dates, values = rows.end[chosen], values[chosen]
    del sid, keep, chosen, ent, out, inverse
    cuts = sorted(
        {0, len(ids)}
        | {
            int(np.searchsorted(ids, ids[k], side="left"))
            for k in range(chunk_rows, len(ids), chunk_rows)
        }
    )
    tables: list[Any] = []
    for a, b in itertools.pairwise(cuts):
        if a == b:
            continue
        present = np.unique(ids[a:b]).tolist()
        table = spc_many(
            ids[a:b],
            dates[a:b],
            values[a:b],
            improvement_direction={s: direction[s] for s in present},
            target={s: target[s] for s in present if s in target},
            screen_outliers=policy.screen_outliers,
        )
        for k, s in enumerate(table.ids.tolist()):
            series_of[(codes[s // n_out], outcomes[s % n_out].id)] = (len(tables), k)
        tables.append(table)
    return tuple(tables), series_of
