"""Per-outcome results: each row of the judged columns as an :class:`OutcomeResult`.

Plain Python, one outcome at a time: the reason in words, the forecast and
freshness objects, and loaders that build the series, the SPC chart, the
trajectory and the measurability entry only when they are read.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from stratkit._display import day_text, diff_text, value_text
from stratkit.evaluation import _core
from stratkit.evaluation._prepare import Plan, Prepared
from stratkit.evaluation._process import Process
from stratkit.evaluation._reasons import (
    conflict_text,
    forecast_phrase,
    period_label,
    tolerance_phrase,
    towards_reason,
    trend_reason,
    value_reason,
)
from stratkit.evaluation._special import Special
from stratkit.evaluation.forecast import Forecast
from stratkit.evaluation.measurability import MeasurabilityReport
from stratkit.evaluation.policy import Policy
from stratkit.evaluation.results import Freshness, OutcomeResult
from stratkit.evaluation.status import CODES, ForecastVerdict
from stratkit.evaluation.trajectory import _EPOCH, day_number
from stratkit.model import Series, Strategy

__all__ = ["Rows", "build_results", "memo"]

_VERDICTS = (ForecastVerdict.LIKELY, ForecastVerdict.UNLIKELY, ForecastVerdict.UNCERTAIN)
_MIN_SPC_POINTS = 15


def _entry(report: Callable[[], MeasurabilityReport], outcome_id: str) -> Any:
    return report()[outcome_id]


def _f(x: float) -> float | None:
    return (x + 0.0) if math.isfinite(x) else None  # + 0.0: no "-0.0" in exports


def _not_measurable(plan: Plan) -> str:
    o, t = plan.outcome, plan.outcome.target
    if plan.code == 301:
        return "No target is set, so this outcome cannot be judged."
    if plan.code == 300:
        return "No measure is defined, so this outcome cannot be judged."
    if plan.code == 303 and t is not None and t.benchmark is not None:
        return (
            f"The target is tied to {t.benchmark.name}, whose value is not recorded, so "
            "it cannot be judged."
        )
    what = t.describe() if t is not None else "the target"
    return (
        f"The target ({what}) is a change from a baseline and no baseline value is "
        f"recorded for {o.id}, so it cannot be judged: record the baseline's value and "
        "date (the target's baseline) to judge it."
    )


class Rows:
    """The rows of each outcome in the prepared columns, for series, SPC and recurring."""

    def __init__(self, prep: Prepared, m: int) -> None:
        self.prep = prep
        out = prep.row_outcome
        new = np.ones(out.size, dtype=bool)
        new[1:] = out[1:] != out[:-1]
        starts = np.flatnonzero(new)
        lengths = np.diff(np.append(starts, out.size))
        self.first = np.full(m, -1, dtype=np.int64)
        self.count = np.zeros(m, dtype=np.int64)
        self.first[out[starts]] = starts
        self.count[out[starts]] = lengths

    def slice(self, i: int, as_of: int) -> slice:
        a = int(self.first[i])
        if a < 0:
            return slice(0, 0)
        b = a + int(self.count[i])
        ends = self.prep.row_end[a:b]
        return slice(a, a + int(np.searchsorted(ends, as_of, side="right")))

    def series(self, i: int, as_of: int) -> Series | None:
        sl = self.slice(i, as_of)
        if sl.stop <= sl.start:
            return None
        p, plan = self.prep, self.prep.plans[i]
        n = sl.stop - sl.start
        from stratkit.units import parse_unit

        nan = np.full(n, np.nan)
        return Series(
            outcome_id=plan.outcome.id,
            unit=plan.unit or parse_unit(""),
            start=p.row_start[sl].astype("datetime64[D]"),
            end=p.row_end[sl].astype("datetime64[D]"),
            values=p.row_value[sl],
            numerator=nan if p.row_numerator is None else p.row_numerator[sl],
            denominator=nan if p.row_denominator is None else p.row_denominator[sl],
            notes=() if p.row_note is None else tuple(str(x) for x in p.row_note[sl]),
        )


def memo(fn: Callable[[], Any]) -> Callable[[], Any]:
    box: list[Any] = []

    def load() -> Any:
        if not box:
            box.append(fn())
        return box[0]

    return load


def build_results(
    prep: Prepared,
    j: _core.Judged,
    rows: Rows,
    specials: dict[int, Special],
    *,
    strategy: Strategy,
    as_of: dt.date,
    policy: Policy,
    report: Any,
    process: Process,
) -> tuple[OutcomeResult, ...]:
    day = day_number(as_of)
    cols = prep.columns
    lists = {
        name: getattr(j, name).tolist()
        for name in (
            "n_points",
            "latest",
            "expected",
            "gap",
            "progress",
            "deviation",
            "tolerance",
            "status",
            "code",
            "forecast",
            "forecast_low",
            "forecast_high",
            "slope",
            "forecast_n",
            "verdict",
            "clipped",
            "probability",
            "met_run",
            "sustain",
            "group_n",
            "conflict",
        )
    }
    for name in ("latest_start", "latest_end"):
        days = getattr(j, name)
        dates = days.astype("datetime64[D]").astype(object)
        dates[days == -1] = None
        lists[name] = dates.tolist()
    sense = cols.sense.tolist()
    results = []
    for i, plan in enumerate(prep.plans):
        results.append(
            _result(
                i,
                plan,
                lists,
                sense=sense[i],
                strategy=strategy,
                as_of=as_of,
                day=day,
                policy=policy,
                rows=rows,
                special=specials.get(i),
                meas=functools.partial(_entry, report, plan.outcome.id),
                process=process,
            )
        )
    return tuple(results)


def _result(
    i: int,
    plan: Plan,
    c: dict[str, list[Any]],
    *,
    sense: float,
    strategy: Strategy,
    as_of: dt.date,
    day: int,
    policy: Policy,
    rows: Rows,
    special: Special | None,
    meas: Any,
    process: Process,
) -> OutcomeResult:
    o, t, m = plan.outcome, plan.outcome.target, plan.outcome.measure
    name = m.name if m is not None else o.statement
    unit = plan.unit_text
    n = int(c["n_points"][i])
    latest = c["latest"][i]
    ls, le = c["latest_start"][i], c["latest_end"][i]
    shown_end = le
    period = period_label(ls, le) if ls is not None and le is not None else ""
    code = int(c["code"][i])
    numbers: dict[str, Any] = {
        "gap": _f(c["gap"][i]),
        "progress": _f(c["progress"][i]),
        "expected": _f(c["expected"][i]),
        "deviation": _f(c["deviation"][i]),
        "tolerance": _f(c["tolerance"][i]),
    }
    v = int(c["verdict"][i])
    fc_text = ""
    # only the verdicts without a trajectory quote the forecast in their reason
    if v >= 0 and plan.mode != _core.OTHER and code in (114, 124, 135, 136):
        fc_text = forecast_phrase(
            value=c["forecast"][i],
            low=c["forecast_low"][i],
            high=c["forecast_high"][i],
            level=policy.interval,
            deadline=plan.deadline or strategy.period.end,
            unit=unit,
            clipped=bool(c["clipped"][i]),
            probability=c["probability"][i],
        )
    freq = m.frequency if m is not None else None
    extra: dict[str, Any] = {
        "tolerance": _tolerance_text(plan, numbers["tolerance"], policy),
        "met_run": int(c["met_run"][i]),
        "sustain": int(c["sustain"][i]),
        "trajectory_from": _trajectory_from(plan, le),
        "frequency": freq.period if freq is not None else "value",
    }
    if plan.mode == _core.OTHER:
        numbers = dict.fromkeys(numbers)
        if plan.code:
            code = plan.code
            reason = _not_measurable(plan)
            if n:
                reason += f" Latest value: {value_text(latest, unit)} ({period})."
        if special is not None:
            code, reason = special.code, special.reason
            numbers["gap"], numbers["progress"] = special.gap, special.progress
            if special.latest is not None:  # the period judged (months combined into a year)
                latest, ls, shown_end = special.latest, special.latest_start, special.latest_end
    elif code == 200:
        reason = f"No observation of {name} on or before {day_text(as_of)}."
    elif plan.mode == _core.TREND:
        reason = trend_reason(
            code=code,
            name=name,
            unit=unit,
            latest=latest,
            period=period,
            slope_per_year=c["slope"][i] * 365.25,
            slope_points=int(c["forecast_n"][i]),
            n=int(c["group_n"][i]),
            sense=sense,
            min_points=policy.min_points_trend,
        )
    elif plan.mode == _core.TOWARDS:
        reason = _towards(
            plan,
            code=code,
            name=name,
            unit=unit,
            latest=latest,
            period=period,
            numbers=numbers,
            policy=policy,
            forecast=fc_text,
            **extra,
        )
    else:
        reason = value_reason(
            code=code,
            name=name,
            unit=unit,
            latest=latest,
            period=period,
            target=plan.target,
            sense=sense,
            expected=math.nan if numbers["expected"] is None else numbers["expected"],
            deadline=plan.deadline or strategy.period.end,
            forecast=fc_text,
            **extra,
        )
    bits = int(c["conflict"][i])
    conflict = conflict_text(bits) if bits else None
    if conflict:
        reason += f" The SPC chart tells a different story: {conflict}."
    status = CODES[f"SK{code}"][0]
    assert status is not None
    forecast = None
    if v >= 0 and plan.mode != _core.OTHER:
        forecast = Forecast(
            deadline=plan.deadline or strategy.period.end,
            value=c["forecast"][i],
            low=c["forecast_low"][i],
            high=c["forecast_high"][i],
            verdict=_VERDICTS[v],
            method=policy.forecast_method,
            n_points=int(c["forecast_n"][i]),
            level=policy.interval,
            slope_per_year=c["slope"][i] * 365.25,
            clipped=bool(c["clipped"][i]),
            probability=_f(c["probability"][i]),
        )
    allowed = (
        None if freq is None or freq.days is None else math.ceil(freq.days * policy.stale_periods)
    )
    age = None if le is None else (as_of - le).days
    fresh = Freshness(
        latest_end=le,
        age_days=age,
        allowed_days=allowed,
        stale=bool(age is not None and allowed is not None and age > allowed),
    )
    spc_note, spc_loader = _spc_plan(
        i, n=n, freq=freq, policy=policy, process=process, name=o.id, unit=unit
    )
    return OutcomeResult(
        outcome=o,
        outcome_id=o.id,
        status=status,
        reason=reason,
        code=f"SK{code}",
        as_of=as_of,
        unit=unit,
        latest_value=_f(latest),
        latest_start=ls,
        latest_end=shown_end,
        target_value=_f(plan.target),
        baseline_value=_f(plan.baseline),
        deadline=plan.deadline if t is not None else None,
        forecast=forecast,
        freshness=fresh,
        n_points=n,
        spc_note=spc_note,
        trajectory_loader=memo(plan.trajectory) if plan.knot_days else None,
        policy=policy,
        measurability_loader=meas,
        series_loader=memo(lambda: rows.series(i, day)) if n else None,
        spc_loader=spc_loader,
        spc_conflict=conflict,
        **numbers,
    )


def _towards(
    plan: Plan,
    *,
    code: int,
    name: str,
    unit: str,
    latest: float,
    period: str,
    numbers: dict[str, Any],
    policy: Policy,
    forecast: str,
    **extra: Any,
) -> str:
    if plan.band is not None:
        region = f"band {value_text(plan.band[0], unit)} to {value_text(plan.band[1], unit)}"
    else:
        half = plan.baseline - plan.target if math.isfinite(plan.baseline) else 0.0
        half = abs(half) * policy.at_risk_tolerance
        region = f"of {value_text(plan.target, unit)}"
        if half > 0:
            region += f" (give or take {diff_text(half, unit, signed=False)})"
    distance = -(numbers["gap"] or 0.0)
    dev = numbers["deviation"]
    expected_distance = distance + dev if dev is not None else math.nan
    return towards_reason(
        code=code,
        name=name,
        unit=unit,
        latest=latest,
        period=period,
        region=region,
        distance=distance,
        expected_distance=expected_distance,
        deadline=plan.deadline
        or plan.outcome.target.deadline  # type: ignore[union-attr]
        or dt.date.max,
        forecast=forecast,
        **extra,
    )


def _tolerance_text(plan: Plan, tolerance: float | None, policy: Policy) -> str:
    """The tolerance in words, in the measure's unit; ``""`` when there is none."""
    from_baseline = math.isfinite(plan.baseline)
    if tolerance is None or (tolerance <= 0 and not from_baseline):
        return ""
    share = policy.at_risk_tolerance if from_baseline else policy.tolerance_sigmas
    return tolerance_phrase(tolerance, plan.unit_text, from_baseline=from_baseline, share=share)


def _trajectory_from(plan: Plan, latest_end: dt.date | None) -> dt.date | None:
    """The trajectory's first date when it starts after the latest value's period."""
    if latest_end is None or not plan.knot_days:
        return None
    first = _EPOCH + dt.timedelta(days=plan.knot_days[0])
    return first if first > latest_end else None


def _spc_plan(
    i: int, *, n: int, freq: Any, policy: Policy, process: Process, name: str, unit: str
) -> tuple[str | None, Callable[[], Any] | None]:
    if not policy.spc:
        return "SPC switched off by the policy.", None
    if freq is not None and freq.value == "annual":
        return "Annual data: SPC charts need frequent (weekly, monthly, quarterly) data.", None
    if bool(process.duplicate[i]):
        return (
            "Two observations end on the same date: an SPC chart needs one value per date.",
            None,
        )
    if n < _MIN_SPC_POINTS:
        if n == 0:
            return "No observations to chart.", None
        note = (
            f"{n} point{'s' if n != 1 else ''}: Making Data Count needs at least "
            f"{_MIN_SPC_POINTS} for SPC icons."
        )
        return note, None

    def load() -> Any:
        chart = process.result(i)
        if chart is None:
            return None
        # name the chart after its outcome, in the measure's unit (for displays and JSON)
        return attrs.evolve(chart, series_id=name, unit=unit or None)

    return None, memo(load)
