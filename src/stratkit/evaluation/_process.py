"""Every outcome's SPC chart, from one :func:`stratkit.spc.spc_many` call on the prepared rows.

The charts are evidence for the statuses (sustained achievement, assurance,
direction-only targets, the tolerance without a baseline), so they are
computed for every outcome with data, all at once, before the verdicts. An
outcome's chart uses its observations up to the evaluation date, its
improvement direction and target, and its declared rebase dates
(:class:`~stratkit.model.Rebase`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.evaluation._prepare import Prepared
from stratkit.spc import MIN_POINTS_FOR_ICONS, SPCResult, SPCTable, spc_many

__all__ = ["NO_GROUP", "Process", "chart_all"]

NO_GROUP = int(np.iinfo(np.int64).min)
"""``group_from`` of an outcome without data: every row is in its (empty) group."""
_ANNUAL_DAYS = 360
_ASSURANCE = {None: 0, "pass": 1, "fail": 2, "inconsistent": 3}


@attrs.frozen(kw_only=True, eq=False)
class Process:
    """Per-outcome SPC evidence (one row per outcome, in strategy order)."""

    table: SPCTable | None
    series: NDArray[np.int64]
    """The outcome's series in ``table``; -1 for none."""
    icons: NDArray[np.bool_]
    """Making Data Count would show the icons: at least 15 points, not annual data."""
    annual: NDArray[np.bool_]
    variation: NDArray[np.int8]
    """+1 special-cause improvement, -1 special-cause concern, 0 otherwise."""
    assurance: NDArray[np.int8]
    """0 none, 1 pass, 2 fail, 3 inconsistent."""
    sigma: NDArray[np.float64]
    """The process's standard deviation in the current rebase group (mean moving
    range / 1.128); NaN with fewer than two points."""
    group_from: NDArray[np.int64]
    """Day number the current rebase group starts; :data:`NO_GROUP` for none."""
    duplicate: NDArray[np.bool_]
    """Two observations end on the same date: no chart."""

    def result(self, i: int) -> SPCResult | None:
        """Outcome ``i``'s chart, or None."""
        k = int(self.series[i])
        if self.table is None or k < 0:
            return None
        return self.table.at(k)


def _direction(sense: float) -> Literal["increase", "decrease", "neutral"]:
    return "increase" if sense > 0 else "decrease" if sense < 0 else "neutral"


def chart_all(prep: Prepared, *, day: int, screen_outliers: bool) -> Process:
    """Chart every outcome with observations on or before day number ``day``."""
    m = len(prep.plans)
    keep = prep.row_end <= day
    out, end, start, y = prep.row_outcome, prep.row_end, prep.row_start, prep.row_value
    if not keep.all():  # usually every row is on or before the day: no copies
        out, end, start, y = out[keep], end[keep], start[keep], y[keep]
    kept_out, kept_end = out, end  # every row up to the day, duplicates included
    series = np.full(m, -1, dtype=np.int64)
    variation = np.zeros(m, dtype=np.int8)
    assurance = np.zeros(m, dtype=np.int8)
    sigma = np.full(m, np.nan)
    group_from = np.full(m, NO_GROUP, dtype=np.int64)
    annual_or_unknown = [p.annual for p in prep.plans]
    annual = np.array([a is True for a in annual_or_unknown], dtype=bool)
    icons = np.zeros(m, dtype=bool)
    duplicate = np.zeros(m, dtype=bool)
    if out.size:
        same = (out[1:] == out[:-1]) & (end[1:] == end[:-1])
        duplicate[out[1:][same]] = True
        new = np.ones(out.size, dtype=bool)
        new[1:] = out[1:] != out[:-1]
        last = np.append(np.flatnonzero(new)[1:], out.size) - 1
        unknown = np.array([a is None for a in annual_or_unknown], dtype=bool)
        long = (end[last] - start[last] + 1) >= _ANNUAL_DAYS
        annual[out[last]] |= unknown[out[last]] & long
        ok = ~duplicate[out]
        if not ok.all():
            out, end, y = out[ok], end[ok], y[ok]
    table = None
    if out.size:
        table = _chart(prep, out, end, y, screen_outliers=screen_outliers)
        ids = table.ids.astype(np.int64)
        series[ids] = np.arange(ids.size)
        variation[ids] = _coded(table.variation_icon, _variation_code)
        assurance[ids] = _coded(table.assurance_icon, _ASSURANCE.__getitem__)
        n_present = table.n_points - table.n_missing
        icons[ids] = (n_present >= MIN_POINTS_FOR_ICONS) & ~annual[ids]
        last_present = _last_present(table)
        has = last_present >= 0
        lp = last_present[has]
        sigma[ids[has]] = (table.upl[lp] - table.mean[lp]) / 3.0
        group_from[ids[has]] = table.dates[_group_first_row(table, lp)].astype(np.int64)
    for i in np.flatnonzero(duplicate).tolist():
        days = prep.plans[i].rebase_days
        latest = int(kept_end[kept_out == i].max())
        before = [d for d in days if d <= latest]
        group_from[i] = before[-1] if before else NO_GROUP
    return Process(
        table=table,
        series=series,
        icons=icons,
        annual=annual,
        variation=variation,
        assurance=assurance,
        sigma=sigma,
        group_from=group_from,
        duplicate=duplicate,
    )


def _chart(
    prep: Prepared,
    out: NDArray[np.int64],
    end: NDArray[np.int64],
    y: NDArray[np.float64],
    *,
    screen_outliers: bool,
) -> SPCTable:
    # each outcome's rows are one run (prepare groups them): unique run heads
    head = np.ones(out.size, dtype=bool)
    head[1:] = out[1:] != out[:-1]
    charted = np.unique(out[head]).tolist()
    sense = prep.columns.sense.tolist()
    target = prep.columns.target.tolist()
    plans = prep.plans
    directions: dict[Any, str] = {i: _direction(sense[i]) for i in charted}
    targets: dict[Any, float] = {
        i: target[i] for i in charted if sense[i] != 0 and math.isfinite(target[i])
    }
    rebase: dict[Any, Any] = {
        i: np.array(plans[i].rebase_days, dtype="datetime64[D]")
        for i in charted
        if plans[i].rebase_days
    }
    return spc_many(
        out,
        end.astype("datetime64[D]"),
        y,
        improvement_direction=directions,
        target=targets,
        rebase=rebase,
        screen_outliers=screen_outliers,
    )


def _variation_code(icon: str | None) -> int:
    text = str(icon)
    return 1 if text.startswith("improvement") else -1 if text.startswith("concern") else 0


def _coded(labels: NDArray[Any], code: Callable[[Any], int]) -> NDArray[np.int8]:
    """``code`` of each label, worked out once per distinct label (there are a few)."""
    known: dict[Any, int] = {}
    out = [known[x] if x in known else known.setdefault(x, code(x)) for x in labels.tolist()]
    return np.array(out, dtype=np.int8)


def _last_present(table: SPCTable) -> NDArray[np.int64]:
    """Per series, the row of its last non-missing point (-1 for none)."""
    idx = np.where(np.isnan(table.values), -1, np.arange(table.values.size))
    starts = table.starts[:-1]
    if idx.size == 0:
        return np.full(starts.size, -1, dtype=np.int64)
    found = np.maximum.reduceat(idx, starts).astype(np.int64)
    found[found < starts] = -1
    return found


def _group_first_row(table: SPCTable, rows: NDArray[np.int64]) -> NDArray[np.int64]:
    """For each of ``rows``, the first row of its rebase group (in its series).

    A group starts where the series starts or its rebase group changes; only
    those starts are found (a few per series), then each row's is looked up.
    """
    group = table.rebase_group
    changes = np.flatnonzero(group[1:] != group[:-1]) + 1
    starts = np.union1d(table.starts[:-1], changes)
    found: NDArray[np.int64] = starts[np.searchsorted(starts, rows, side="right") - 1]
    return found.astype(np.int64, copy=False)
