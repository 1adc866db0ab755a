"""The vectorised core: status arithmetic for many outcomes at once.

Inputs are columns: one array per target parameter (one row per outcome) and
one array per observation field (one row per observation, contiguous per
outcome, sorted by period end). Nothing here loops over outcomes in Python;
the per-outcome API (:class:`~stratkit.evaluation.results.OutcomeResult`) is
a view on the :class:`Judged` columns this module returns.

Modes (``TargetColumns.mode``):

* ``VALUE``: reach a level in a direction (level, relative, point change,
  annual rate, zero, benchmark). ``sense`` is +1 (higher is better) or -1.
* ``TOWARDS``: get close to a value or inside a band (parity, bands).
* ``TREND``: direction only, judged by the sign of the fitted slope.
* ``OTHER``: judged outside the core (milestones, recurring thresholds,
  outcomes that cannot be measured); the core only fills the data columns.
"""

from __future__ import annotations

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.evaluation.forecast import fit_many
from stratkit.evaluation.policy import Policy
from stratkit.evaluation.trajectory import values_at

__all__ = [
    "OTHER",
    "STATUS_ORDER",
    "TOWARDS",
    "TREND",
    "VALUE",
    "Judged",
    "TargetColumns",
    "judge",
]

VALUE, TOWARDS, TREND, OTHER = 0, 1, 2, 3

STATUS_ORDER = ("achieved", "on_track", "at_risk", "off_track", "no_data", "not_measurable")
"""Status values by the integer codes of ``Judged.status`` (-1: judged outside the core)."""
_ACH, _ON, _RISK, _OFF, _NODATA = 0, 1, 2, 3, 4
_VERDICTS = ("likely", "unlikely", "uncertain")

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741


@attrs.frozen(kw_only=True)
class TargetColumns:
    """One row per outcome: what each outcome is judged against, in its measure's unit."""

    mode: NDArray[np.int8]
    sense: F
    """+1 when higher is better, -1 when lower is better, 0 for towards/other."""
    target: F
    baseline: F
    band_low: F
    band_high: F
    deadline: I
    """Deadline as a day number (days since 1970-01-01)."""
    knot_days: I
    knot_values: F
    shape: NDArray[np.int8]
    floor: F | None = None
    ceiling: F | None = None
    """The values each measure can take (:func:`stratkit.units.natural_range`);
    forecasts and their intervals are clipped to them. ``None``: unbounded."""


@attrs.frozen(kw_only=True)
class Judged:
    """One row per outcome: the numbers behind each verdict (NaN where unknown)."""

    n_points: I
    latest: F
    latest_start: I
    latest_end: I
    """Day numbers; -1 where there is no observation."""
    expected: F
    gap: F
    progress: F
    deviation: F
    tolerance: F
    status: NDArray[np.int8]
    code: NDArray[np.int16]
    forecast: F
    forecast_low: F
    forecast_high: F
    slope: F
    """Fitted change per day."""
    forecast_n: I
    verdict: NDArray[np.int8]
    """Index into ``("likely", "unlikely", "uncertain")``, -1 for no forecast."""


def judge(
    cols: TargetColumns,
    *,
    row_outcome: I,
    row_start: I,
    row_end: I,
    row_value: F,
    as_of: int,
    policy: Policy,
) -> Judged:
    """Judge every outcome in ``cols`` from the observation rows, as of day ``as_of``.

    ``row_outcome`` gives each row's outcome (its row in ``cols``); rows of
    one outcome are contiguous and sorted by ``row_end``. Rows ending after
    ``as_of`` are ignored, as are NaN values.
    """
    m = cols.mode.shape[0]
    every_row = row_end.size == 0 or (
        int(row_end.max()) <= as_of and not np.isnan(row_value.sum())  # one pass each
    )
    if every_row:  # the usual case: no mask, no copy
        out_idx, start, end, y = row_outcome, row_start, row_end, row_value
    else:
        keep = (row_end <= as_of) & ~np.isnan(row_value)
        out_idx, start, end = row_outcome[keep], row_start[keep], row_end[keep]
        y = row_value[keep]
    new_run = np.ones(out_idx.size, dtype=bool)
    new_run[1:] = out_idx[1:] != out_idx[:-1]
    run_start = np.flatnonzero(new_run)
    run_out = out_idx[run_start]
    counts = np.diff(np.append(run_start, out_idx.size))
    last = run_start + counts - 1

    n_points = np.zeros(m, dtype=np.int64)
    latest = np.full(m, np.nan)
    latest_start = np.full(m, -1, dtype=np.int64)
    latest_end = np.full(m, -1, dtype=np.int64)
    n_points[run_out] = counts
    latest[run_out] = y[last]
    latest_start[run_out] = start[last]
    latest_end[run_out] = end[last]

    fit = fit_many(
        counts,
        end,
        y,
        x0=(cols.deadline[run_out] - as_of).astype(np.float64),
        x_offset=as_of,
        window=policy.forecast_window,
        min_points=policy.min_points_forecast,
        method=policy.forecast_method,
        level=policy.interval,
    )
    forecast, low, high, slope = (np.full(m, np.nan) for _ in range(4))
    forecast_n = np.zeros(m, dtype=np.int64)
    forecast[run_out], low[run_out], high[run_out] = fit.value, fit.low, fit.high
    slope[run_out], forecast_n[run_out] = fit.slope, fit.n_points
    future = cols.deadline > latest_end
    for a in (forecast, low, high):
        a[~future & (cols.mode != TREND)] = np.nan
        # a forecast of 114 % of staff trained or -3 placements is a straight
        # line run past what the measure can be: clip to its natural range
        if cols.floor is not None:
            np.maximum(a, cols.floor, out=a, where=np.isfinite(a))
        if cols.ceiling is not None:
            np.minimum(a, cols.ceiling, out=a, where=np.isfinite(a))

    expected = values_at(cols.knot_days, cols.knot_values, cols.shape, as_of)
    return _decide(
        cols,
        as_of=as_of,
        policy=policy,
        n_points=n_points,
        latest=latest,
        latest_start=latest_start,
        latest_end=latest_end,
        expected=expected,
        forecast=forecast,
        low=low,
        high=high,
        slope=slope,
        forecast_n=forecast_n,
    )


def _decide(
    cols: TargetColumns,
    *,
    as_of: int,
    policy: Policy,
    n_points: I,
    latest: F,
    latest_start: I,
    latest_end: I,
    expected: F,
    forecast: F,
    low: F,
    high: F,
    slope: F,
    forecast_n: I,
) -> Judged:
    m = cols.mode.shape[0]
    s, t, b, mode = cols.sense, cols.target, cols.baseline, cols.mode
    status = np.full(m, -1, dtype=np.int8)
    code = np.zeros(m, dtype=np.int16)
    verdict = np.full(m, -1, dtype=np.int8)
    passed = as_of > cols.deadline
    has_b = np.isfinite(b)
    base0 = np.where(has_b, b, 0.0)
    eps = 1e-9 * (
        np.abs(np.nan_to_num(t)) + np.abs(base0) + np.abs(np.nan_to_num(latest)) + 1e-300
    )

    # --- towards: distance outside the target region -------------------------------
    band = np.isfinite(cols.band_low)
    half = np.where(has_b, policy.at_risk_tolerance * np.abs(base0 - t), 0.0)
    lo = np.where(band, cols.band_low, t - half)
    hi = np.where(band, cols.band_high, t + half)

    def dist(v: F) -> F:
        return np.maximum(np.maximum(lo - v, v - hi), 0.0)

    with np.errstate(all="ignore"):
        dist_b = dist(b)
        is_tow = mode == TOWARDS
        gap = np.where(is_tow, -dist(latest), s * (latest - t))
        deviation = np.where(is_tow, dist(expected) - dist(latest), s * (latest - expected))
        scale = np.where(
            is_tow, np.where(has_b, dist_b, 0.0), np.where(has_b, np.abs(t - base0), np.abs(t))
        )
        tolerance = policy.at_risk_tolerance * scale
        progress = np.where(is_tow, (dist_b - dist(latest)) / dist_b, (latest - b) / (t - b))
        progress[~np.isfinite(progress)] = np.nan

    # a slope that changes the level by less than a billionth a year is rounding: flat
    flat = np.abs(slope) * 365.25 <= 1e-9 * (np.abs(np.nan_to_num(latest)) + 1e-300)
    slope = np.where(flat, 0.0, slope)
    # --- forecast verdicts (before the status: with no trajectory, they inform it) ---
    ref = np.where(mode == TREND, np.where(has_b, b, latest), t)
    sense = s
    good_low = np.where(sense > 0, low - ref, ref - high)  # worst end of the interval
    good_high = np.where(sense > 0, high - ref, ref - low)  # best end
    tow_likely = (low >= lo) & (high <= hi)
    tow_unlikely = (high < lo) | (low > hi)
    likely = np.where(is_tow, tow_likely, good_low >= 0)
    unlikely = np.where(is_tow, tow_unlikely, good_high < 0)
    has_f = np.isfinite(low) & (mode != OTHER) & (np.isfinite(ref) | is_tow)
    verdict[has_f] = 2
    verdict[has_f & likely] = 0
    verdict[has_f & unlikely] = 1
    judged = (mode == VALUE) | is_tow
    have = n_points > 0
    achieved = gap >= -eps
    has_e = np.isfinite(expected)
    rules = (
        (judged & ~have, _NODATA, 200),
        (judged & achieved, _ACH, 100),
        (judged & passed, _OFF, 131),
        (judged & has_e & (deviation >= -eps), _ON, 110),
        (judged & has_e & (deviation >= -tolerance - eps), _RISK, 120),
        (judged & has_e, _OFF, 130),
        # no trajectory (no baseline): the forecast to the deadline decides when it
        # is clear either way; otherwise the distance from the target itself
        (judged & (verdict == 0), _ON, 114),
        (judged & (verdict == 1), _OFF, 136),
        (judged & (gap >= -tolerance - eps), _RISK, 124),
        (judged, _OFF, 135),
        # direction only: the sign of the fitted slope
        ((mode == TREND) & ~have, _NODATA, 200),
        ((mode == TREND) & ~np.isfinite(slope), _NODATA, 201),
        ((mode == TREND) & (s * slope > 0), _ON, 111),
        ((mode == TREND) & (s * slope == 0), _RISK, 121),
        ((mode == TREND), _OFF, 132),
    )
    undecided = np.ones(m, dtype=bool)
    for mask, st, cd in rules:
        hit = mask & undecided
        status[hit] = st
        code[hit] = cd
        undecided &= ~hit
    status[mode == OTHER] = -1

    return Judged(
        n_points=n_points,
        latest=latest,
        latest_start=latest_start,
        latest_end=latest_end,
        expected=expected,
        gap=gap,
        progress=progress,
        deviation=deviation,
        tolerance=tolerance,
        status=status,
        code=code,
        forecast=forecast,
        forecast_low=low,
        forecast_high=high,
        slope=slope,
        forecast_n=forecast_n,
        verdict=verdict,
    )
