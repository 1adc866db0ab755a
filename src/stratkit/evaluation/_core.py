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
* ``TREND``: direction only, judged from the SPC chart (special-cause
  improvement, concern, or common cause).
* ``OTHER``: judged outside the core (milestones, recurring thresholds,
  outcomes that cannot be measured); the core only fills the data columns.
"""

from __future__ import annotations

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.evaluation.forecast import fit_many, t_cdf
from stratkit.evaluation.policy import Policy
from stratkit.evaluation.trajectory import values_at

__all__ = [
    "OTHER",
    "STATUS_ORDER",
    "TOWARDS",
    "TREND",
    "VALUE",
    "Evidence",
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
class Evidence:
    """One row per outcome: what its SPC chart says (:mod:`stratkit.evaluation._process`)."""

    icons: NDArray[np.bool_]
    """The icons count (Making Data Count shows them: 15 points or more, not annual)."""
    annual: NDArray[np.bool_]
    variation: NDArray[np.int8]
    """+1 special-cause improvement, -1 concern, 0 otherwise."""
    assurance: NDArray[np.int8]
    """0 none, 1 pass, 2 fail, 3 inconsistent."""
    sigma: F
    group_from: I
    """Day number the current rebase group starts (int64 min: no rebase)."""

    @classmethod
    def none(cls, m: int) -> Evidence:
        """No SPC evidence for any of ``m`` outcomes."""
        return cls(
            icons=np.zeros(m, dtype=bool),
            annual=np.zeros(m, dtype=bool),
            variation=np.zeros(m, dtype=np.int8),
            assurance=np.zeros(m, dtype=np.int8),
            sigma=np.full(m, np.nan),
            group_from=np.full(m, np.iinfo(np.int64).min, dtype=np.int64),
        )


ASSURANCE_PASS, ASSURANCE_FAIL = 1, 2
CONFLICT_FAIL, CONFLICT_CONCERN, CONFLICT_PASS, CONFLICT_IMPROVEMENT = 1, 2, 4, 8
"""Bits of ``Judged.conflict``: a green status beside assurance "fail" or
special-cause concern; a red status beside assurance "pass" or special-cause
improvement."""


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
    clipped: NDArray[np.bool_]
    """The forecast was held at the measure's natural range."""
    probability: F
    """Probability that the value at the deadline meets the target (NaN: none)."""
    met_run: I
    """The most recent values of the current rebase group meeting the target, in a row."""
    sustain: I
    """Values in a row needed for "achieved" (the policy's, by frequency)."""
    group_n: I
    """Values in the current rebase group."""
    conflict: NDArray[np.int8]
    """Bits (``CONFLICT_*``): where the status and the SPC icons disagree."""
    evidence: Evidence


def judge(
    cols: TargetColumns,
    *,
    row_outcome: I,
    row_start: I,
    row_end: I,
    row_value: F,
    as_of: int,
    policy: Policy,
    evidence: Evidence | None = None,
) -> Judged:
    """Judge every outcome in ``cols`` from the observation rows, as of day ``as_of``.

    ``row_outcome`` gives each row's outcome (its row in ``cols``); rows of
    one outcome are contiguous and sorted by ``row_end``. Rows ending after
    ``as_of`` are ignored, as are NaN values. ``evidence`` is what each
    outcome's SPC chart says (none: no chart).
    """
    m = cols.mode.shape[0]
    ev = evidence if evidence is not None else Evidence.none(m)
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
    se = np.full(m, np.nan)
    if fit.se is not None:
        se[run_out] = fit.se
    future = cols.deadline > latest_end
    clipped = np.zeros(m, dtype=bool)
    probability = _probability(cols, forecast, se, forecast_n)
    for a in (forecast, low, high):
        a[~future & (cols.mode != TREND)] = np.nan
        # a forecast of 114 % of staff trained or -3 placements is a straight
        # line run past what the measure can be: clip to its natural range
        before = a.copy()
        if cols.floor is not None:
            np.maximum(a, cols.floor, out=a, where=np.isfinite(a))
        if cols.ceiling is not None:
            np.minimum(a, cols.ceiling, out=a, where=np.isfinite(a))
        clipped |= np.isfinite(a) & (a != before)
    probability[~np.isfinite(forecast)] = np.nan

    # each value is compared with the trajectory at the end of the period it
    # describes (a FY2023/24 figure with the line at 31 March 2024), not at as_of
    expected = values_at(cols.knot_days, cols.knot_values, cols.shape, latest_end)
    expected[latest_end < 0] = np.nan
    run = _runs(
        cols,
        ev,
        out_idx=out_idx,
        end=end,
        y=y,
        run_out=run_out,
        run_start=run_start,
        last=last,
        policy=policy,
        m=m,
    )
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
        clipped=clipped,
        probability=probability,
        run=run,
        ev=ev,
    )


def _probability(cols: TargetColumns, value: F, se: F, n: I) -> F:
    """P(value at the deadline meets the target) under the Student t prediction."""
    out = np.full(value.size, np.nan)
    ok = np.isfinite(value) & np.isfinite(se) & (se > 0) & (n >= 3)
    if not ok.any():
        return out
    df = np.maximum(n[ok] - 2, 1)
    v, s = value[ok], se[ok]
    sense, t = cols.sense[ok], cols.target[ok]
    band = np.isfinite(cols.band_low[ok])
    inside = np.full(v.size, np.nan)
    with np.errstate(all="ignore"):
        below = t_cdf((t - v) / s, df)  # t_cdf works element by element
        above = 1.0 - below
        if band.any():
            b, vb, sb = band, v[band], s[band]
            inside[b] = t_cdf((cols.band_high[ok][b] - vb) / sb, df[b]) - t_cdf(
                (cols.band_low[ok][b] - vb) / sb, df[b]
            )
    p = np.where(sense > 0, above, np.where(sense < 0, below, np.where(band, inside, np.nan)))
    p[~np.isfinite(t) & ~band] = np.nan
    out[ok] = p
    return out


@attrs.frozen(kw_only=True)
class _Runs:
    met_latest: NDArray[np.bool_]
    met_run: I
    sustain: I
    group_n: I


def _runs(
    cols: TargetColumns,
    ev: Evidence,
    *,
    out_idx: I,
    end: I,
    y: F,
    run_out: I,
    run_start: I,
    last: I,
    policy: Policy,
    m: int,
) -> _Runs:
    """Per outcome: values in the current rebase group, and the trailing run meeting the target."""
    n = out_idx.size
    met_run = np.zeros(m, dtype=np.int64)
    group_n = np.zeros(m, dtype=np.int64)
    sustain = np.where(ev.annual, policy.sustain_annual, policy.sustain).astype(np.int64)
    met_latest = np.zeros(m, dtype=bool)
    if n == 0:
        return _Runs(met_latest=met_latest, met_run=met_run, sustain=sustain, group_n=group_n)
    # per outcome first (m values), then one gather per row: the same
    # arithmetic, element by element, as working on the rows throughout
    target = cols.target
    with np.errstate(all="ignore"):
        band = np.isfinite(cols.band_low)
        half = np.where(
            np.isfinite(cols.baseline),
            policy.at_risk_tolerance * np.abs(cols.baseline - target),
            0.0,
        )
        low = np.where(band, cols.band_low, target - half)
        high = np.where(band, cols.band_high, target + half)
        towards = cols.mode == TOWARDS
        t = target[out_idx]
        eps = 1e-9 * (np.abs(np.nan_to_num(target))[out_idx] + np.abs(y))
        tw = towards[out_idx]
        met = cols.sense[out_idx] * (y - t) >= -eps
        if tw.any():  # "towards": within the band or tolerance around the target
            k = out_idx[tw]
            met[tw] = (y[tw] >= low[k] - eps[tw]) & (y[tw] <= high[k] + eps[tw])
        met &= np.isfinite(t)
    in_group = end >= ev.group_from[out_idx]
    group_n[run_out] = np.add.reduceat(in_group.astype(np.int64), run_start)
    idx = np.arange(n)
    # the last row (per outcome, up to each row) that breaks the run: not met, or
    # before the current rebase group
    breaks = np.where(~met | ~in_group, idx, -1)
    last_break = np.maximum.accumulate(breaks)[last]
    met_run[run_out] = last - np.maximum(last_break, run_start - 1)
    met_latest[run_out] = met[last]
    return _Runs(met_latest=met_latest, met_run=met_run, sustain=sustain, group_n=group_n)


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
    clipped: NDArray[np.bool_],
    probability: F,
    run: _Runs,
    ev: Evidence,
) -> Judged:
    m = cols.mode.shape[0]
    s, t, b, mode = cols.sense, cols.target, cols.baseline, cols.mode
    status = np.full(m, -1, dtype=np.int8)
    code = np.zeros(m, dtype=np.int16)
    verdict = np.full(m, -1, dtype=np.int8)
    # the deadline has passed for the data once the latest value's period reaches it
    passed = (latest_end >= cols.deadline) & (as_of >= cols.deadline)
    has_b = np.isfinite(b)
    base0 = np.where(has_b, b, 0.0)
    eps = 1e-9 * (np.abs(np.nan_to_num(t)) + np.abs(base0) + np.abs(np.nan_to_num(latest)))
    # without a baseline, the tolerance is the process's own noise (policy.tolerance_sigmas
    # standard deviations); NaN, so nothing is within it, with under two values
    # (with two or more, limits are undefined only when every value is the same: no noise)
    sigma = np.where(np.isnan(ev.sigma) & (run.group_n >= 2), 0.0, ev.sigma)
    noise = policy.tolerance_sigmas * sigma

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
        scale = np.where(is_tow, np.where(has_b, dist_b, np.nan), np.abs(t - b))
        tolerance = np.where(
            np.isfinite(scale), policy.at_risk_tolerance * np.nan_to_num(scale), noise
        )
        progress = np.where(is_tow, (dist_b - dist(latest)) / dist_b, (latest - b) / (t - b))
        progress[~np.isfinite(progress)] = np.nan

    # a slope that changes the level by less than a billionth a year is rounding: flat
    flat = np.abs(slope) * 365.25 <= 1e-9 * np.abs(np.nan_to_num(latest))
    slope = np.where(flat, 0.0, slope)
    # --- forecast verdicts (before the status: with no trajectory, they inform it) ---
    ref = np.where(mode == TREND, np.where(has_b, b, latest), t)
    good_low = np.where(s > 0, low - ref, ref - high)  # worst end of the interval
    good_high = np.where(s > 0, high - ref, ref - low)  # best end
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
    met = gap >= -eps
    has_e = np.isfinite(expected)
    fail = ev.icons & (ev.assurance == ASSURANCE_FAIL)
    reliable = ev.icons & (ev.assurance == ASSURANCE_PASS)
    if policy.achievement == "latest":
        achieved = met
    else:
        achieved = met & ((run.met_run >= run.sustain) | reliable)
    trend = mode == TREND
    rules = (
        (judged & ~have, _NODATA, 200),
        # a met value beside a process whose limits all miss the target (assurance
        # "fail") is never achieved or on track
        (judged & met & fail & (policy.achievement == "sustained"), _RISK, 125),
        (judged & achieved & ~reliable & (policy.achievement == "sustained"), _ACH, 103),
        (judged & achieved & reliable & (policy.achievement == "sustained"), _ACH, 104),
        (judged & achieved, _ACH, 100),
        (judged & met, _ON, 115),  # met, not yet sustained
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
        # direction only: the SPC chart of the current rebase group
        (trend & ~have, _NODATA, 200),
        (trend & (run.group_n < policy.min_points_trend), _NODATA, 201),
        (trend & (ev.variation > 0), _ON, 111),
        (trend & (ev.variation < 0), _OFF, 132),
        (trend, _RISK, 121),
    )
    undecided = np.ones(m, dtype=bool)
    for mask, st, cd in rules:
        hit = mask & undecided
        status[hit] = st
        code[hit] = cd
        undecided &= ~hit
    status[mode == OTHER] = -1

    green = (status == _ACH) | (status == _ON)
    red = status == _OFF
    icons = ev.icons & judged
    conflict = (
        np.where(green & icons & (ev.assurance == ASSURANCE_FAIL), CONFLICT_FAIL, 0)
        | np.where(green & icons & (ev.variation < 0), CONFLICT_CONCERN, 0)
        | np.where(red & icons & (ev.assurance == ASSURANCE_PASS), CONFLICT_PASS, 0)
        | np.where(red & icons & (ev.variation > 0), CONFLICT_IMPROVEMENT, 0)
    ).astype(np.int8)

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
        clipped=clipped,
        probability=probability,
        met_run=run.met_run,
        sustain=run.sustain,
        group_n=run.group_n,
        conflict=conflict,
        evidence=ev,
    )
