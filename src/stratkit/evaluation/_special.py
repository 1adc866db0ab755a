"""Targets judged outside the vectorised core: milestones and recurring thresholds.

Both are few per strategy and judged from a handful of values, so plain
Python is the clearest code.

**Milestones**: all done is achieved (SK101); any not done after its due
date, or after the target's deadline, is off track (SK133); one not started
and due within ``Policy.milestone_warning_days`` is at risk (SK122);
otherwise on track (SK112). ``progress`` is the share done.

**Recurring thresholds** ("break-even every year"): the periods are built from
the target's ``every`` and the strategy's year (financial years for annual
targets); each period the data covers (one observation spanning it, or shorter
ones combined by ``Policy.combine_periods``) is compared to the threshold.
The latest missed is off track (SK134); the latest met but an earlier one
missed is at risk (SK123); all met is on track (SK113), achieved (SK102) once
a period ending within a month of the deadline has been met. No covered period is no data (SK202).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit._display import day_text, number_text, value_text
from stratkit.evaluation._reasons import distinct, period_label
from stratkit.evaluation.policy import Policy
from stratkit.evaluation.trajectory import _EPOCH
from stratkit.model import MilestoneStatus, Outcome, Strategy
from stratkit.model._common import Frequency

__all__ = ["Special", "judge_milestones", "judge_recurring", "judge_year_on_year", "periods"]


@attrs.frozen(kw_only=True)
class Special:
    """A verdict made outside the core."""

    code: int
    reason: str
    gap: float | None = None
    progress: float | None = None
    latest: float | None = None
    latest_start: dt.date | None = None
    latest_end: dt.date | None = None


def judge_milestones(outcome: Outcome, as_of: dt.date, policy: Policy) -> Special:
    """Judge a milestone target from its milestones' statuses and due dates."""
    t = outcome.target
    assert t is not None
    ms = t.milestones
    done = [m for m in ms if m.status is MilestoneStatus.DONE]
    progress = len(done) / len(ms)
    head = f"{len(done)} of {len(ms)} milestone{'s' if len(ms) != 1 else ''} done"
    if len(done) == len(ms):
        return Special(code=101, reason=f"{head}.", progress=progress)
    # A milestone whose progress is not reported is never judged overdue or
    # late: it makes the outcome "no data" unless a reported one is worse.
    unknown = [m for m in ms if m.status is MilestoneStatus.UNKNOWN]
    open_ = [
        m for m in ms if m.status in (MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS)
    ]
    overdue = [m for m in open_ if m.due is not None and m.due < as_of]
    if overdue:
        m = overdue[0]
        state = m.status.value.replace("_", " ")
        assert m.due is not None
        return Special(
            code=133,
            progress=progress,
            reason=f"{head}; {m.name!r} was due {day_text(m.due)} and is {state}.",
        )
    if t.deadline is not None and t.deadline < as_of and open_:
        return Special(
            code=133,
            progress=progress,
            reason=f"{head}, and the deadline ({day_text(t.deadline)}) has passed.",
        )
    soon = as_of + dt.timedelta(days=policy.milestone_warning_days)
    late_start = [
        m
        for m in open_
        if m.status is MilestoneStatus.NOT_STARTED and m.due is not None and m.due <= soon
    ]
    if late_start:
        m = late_start[0]
        assert m.due is not None
        return Special(
            code=122,
            progress=progress,
            reason=f"{head}; {m.name!r} is due {day_text(m.due)} and has not started.",
        )
    if unknown:
        m = unknown[0]
        due = f" (due {day_text(m.due)})" if m.due is not None else ""
        which = (
            f"{m.name!r}{due}"
            if len(unknown) == 1
            else f"{len(unknown)} milestones (the first is {m.name!r}{due})"
        )
        return Special(
            code=203,
            progress=progress,
            reason=f"{head}; progress on {which} is not reported.",
        )
    return Special(code=112, reason=f"{head}; none is overdue.", progress=progress)


def _date(day: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(day))


def periods(every: Frequency, strategy: Strategy, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The periods of a recurring target, from the strategy's start up to ``until``.

    Annual periods are the strategy's years (financial years for an NHS
    strategy starting 1 April); quarters and months are counted from the
    strategy's start (Q1 is April to June for a financial year); weeks are
    seven days from the start.

    >>> import stratkit
    >>> s = stratkit.examples.load("kmpt_2023_26")
    >>> [(a.isoformat(), b.isoformat()) for a, b in periods(Frequency.QUARTERLY, s,
    ...                                                      dt.date(2023, 12, 31))]
    [('2023-04-01', '2023-06-30'), ('2023-07-01', '2023-09-30'), ('2023-10-01', '2023-12-31')]
    """
    start, out = strategy.period.start, []
    if every is Frequency.ANNUAL:
        for end in strategy.period.year_ends():
            out.append((start, end))
            start = end + dt.timedelta(days=1)
    elif every in (Frequency.MONTHLY, Frequency.QUARTERLY):
        step = 1 if every is Frequency.MONTHLY else 3
        while start <= strategy.period.end:
            month = start.month - 1 + step
            nxt = dt.date(start.year + month // 12, month % 12 + 1, 1)
            out.append((start, min(nxt - dt.timedelta(days=1), strategy.period.end)))
            start = nxt
    elif every is Frequency.WEEKLY:
        while start <= strategy.period.end:
            out.append((start, start + dt.timedelta(days=6)))
            start += dt.timedelta(days=7)
    return [(a, b) for a, b in out if b <= until]


_FUZZ = 3  # days: a "month" ending on the 30th, a week reported from a Monday


def _period_value(
    ps: int,
    pe: int,
    *,
    start: NDArray[np.int64],
    end: NDArray[np.int64],
    values: NDArray[np.float64],
    combine: str,
) -> tuple[float, bool]:
    """The value of period ``[ps, pe]`` (day numbers) and whether the data covers it."""
    whole = (np.abs(start - ps) <= _FUZZ) & (np.abs(end - pe) <= _FUZZ)
    if whole.any():
        return float(values[np.flatnonzero(whole)[-1]]), True
    if combine == "none":
        return math.nan, False
    inside = (start >= ps - _FUZZ) & (end <= pe + _FUZZ)
    if not inside.any():
        return math.nan, False
    s, e, v = start[inside], end[inside], values[inside]
    order = np.argsort(s, kind="stable")
    s, e, v = s[order], e[order], v[order]
    reach = np.maximum.accumulate(e)
    gaps = s[1:] > reach[:-1] + 1
    covered = abs(int(s[0]) - ps) <= _FUZZ and abs(int(reach[-1]) - pe) <= _FUZZ and not gaps.any()
    if not covered:
        return math.nan, False
    return (float(v.mean()) if combine == "mean" else float(v.sum())), True


def judge_recurring(
    outcome: Outcome,
    strategy: Strategy,
    *,
    as_of: dt.date,
    threshold: float,
    sense: float,
    unit: str,
    start: NDArray[np.int64],
    end: NDArray[np.int64],
    values: NDArray[np.float64],
    combine: str = "none",
) -> Special:
    """Judge "at least/at most ``threshold`` every period" from the outcome's rows.

    The periods come from the target's ``every`` and the strategy's year
    (:func:`periods`); a period counts once its data covers it: one
    observation spanning it, or, with ``combine`` ``"mean"`` or ``"sum"``
    (``Policy.combine_periods``), shorter observations that together cover it.
    """
    t, m = outcome.target, outcome.measure
    assert t is not None
    assert t.every is not None
    every = t.every
    name = m.name if m is not None else outcome.statement
    as_of_day = (as_of - _EPOCH).days
    keep = (end <= as_of_day) & ~np.isnan(values)
    start, end, values = start[keep], end[keep], values[keep]
    word = "at least" if sense > 0 else "at most"
    rule = f"{word} {value_text(threshold, unit)} every {every.period}"
    until = min(as_of, t.deadline or strategy.period.end, strategy.period.end)
    if every is Frequency.AD_HOC:
        spans = [(_date(int(a)), _date(int(b))) for a, b in zip(start, end, strict=True)]
    else:
        spans = periods(every, strategy, until)
    judged: list[tuple[dt.date, dt.date, float]] = []
    for ps, pe in spans:
        value, covered = _period_value(
            (ps - _EPOCH).days,
            (pe - _EPOCH).days,
            start=start,
            end=end,
            values=values,
            combine=combine,
        )
        if covered:
            judged.append((ps, pe, value))
    plural = f"{every.period}s"
    if not judged:
        partial = ""
        if end.size:
            last = period_label(_date(int(start[-1])), _date(int(end[-1])))
            many = f"{end.size} value{'s' if end.size != 1 else ''}"
            verb = "covers" if end.size == 1 else "each cover"
            partial = f"; its {many} (the latest for {last}) {verb} less than a "
            partial += every.period
        combine_hint = (
            ""
            if combine != "none"
            else ", or let the evaluation's policy say how shorter values combine into one"
        )
        return Special(
            code=202,
            reason=f"No whole {every.period} of {name} within the strategy is covered by its "
            f"data up to {day_text(as_of)} (target: {rule}){partial}. Record a value for each "
            f"{every.period}{combine_hint}.",
        )
    met = _meets(np.array([x[2] for x in judged]), threshold, sense)
    ls, le, latest = judged[-1]
    gap = sense * (latest - threshold)
    label = period_label(ls, le)
    count = (
        f"met in {int(met.sum())} of {met.size} {plural if met.size != 1 else every.period} judged"
    )
    shown, needed = distinct(latest, threshold, unit)  # -£0.004m is not "£0m"
    rule = f"{word} {needed} every {every.period}"
    now = f"{name}: {shown} ({label})"
    common: dict[str, Any] = {
        "gap": gap,
        "latest": latest,
        "latest_start": ls,
        "latest_end": le,
        "progress": float(met.mean()),
    }
    code = _period_verdict(
        met, last_end=le, deadline=t.deadline or strategy.period.end, as_of=as_of
    )
    reason = {
        134: f"{now} misses the target of {rule}; {count}.",
        123: f"{now} meets the target of {rule}, but it was missed before: {count}.",
        102: f"{now} meets the target of {rule}; {count}.",
        113: f"{now} meets the target of {rule}; {count} so far.",
    }[code]
    return Special(code=code, reason=reason, **common)


def _meets(values: NDArray[np.float64], needed: Any, sense: float) -> NDArray[np.bool_]:
    """Which values meet what was needed, in the direction ``sense`` (ties, to rounding, meet)."""
    met: NDArray[np.bool_] = sense * (values - needed) >= -1e-9 * (np.abs(needed) + np.abs(values))
    return met


def _period_verdict(
    met: NDArray[np.bool_], *, last_end: dt.date, deadline: dt.date, as_of: dt.date
) -> int:
    """The code for a target judged period by period (recurring, or year on year).

    The latest period missed: off track (134); met, but an earlier one missed:
    at risk (123); all met, up to the deadline: achieved (102); so far: on track (113).
    """
    if not met[-1]:
        return 134
    if not met.all():
        return 123
    if as_of >= deadline and last_end >= deadline - dt.timedelta(days=31):
        return 102
    return 113


def judge_year_on_year(
    outcome: Outcome,
    strategy: Strategy,
    *,
    as_of: dt.date,
    rate: float,
    sense: float,
    unit: str,
    start: NDArray[np.int64],
    end: NDArray[np.int64],
    values: NDArray[np.float64],
) -> Special:
    """Judge "``rate`` every year" with no baseline: each period against the one a year before.

    A period is compared with the observation of the same length that ended
    a year earlier (365 or 366 days, give or take 3); only comparisons whose
    later period ends within the strategy count. "Reduce by 5 % every year"
    is met in a year when the value is at most 95 % of the year before.
    """
    t, m = outcome.target, outcome.measure
    assert t is not None
    name = m.name if m is not None else outcome.statement
    as_of_day = (as_of - _EPOCH).days
    period_start = (strategy.period.start - _EPOCH).days
    keep = (end <= as_of_day) & ~np.isnan(values)
    s, e, v = start[keep], end[keep], values[keep]
    verb = "more" if rate > 0 else "less"
    rule = f"{number_text(abs(rate) * 100)} % {verb} every year"
    later, earlier = _year_apart(s, e)
    counted = e[later] >= period_start
    later, earlier = later[counted], earlier[counted]
    if later.size == 0:
        return Special(
            code=204,
            reason=f"The target is {rule} and no baseline is recorded, so each year is "
            f"compared with the year before; {name} has no two periods a year apart "
            f"up to {day_text(as_of)}.",
        )
    needed = v[earlier] * (1.0 + rate)
    met = _meets(v[later], needed, sense)
    k, j = int(later[-1]), int(earlier[-1])
    latest, before, need = float(v[k]), float(v[j]), float(needed[-1])
    ls, le = _date(int(s[k])), _date(int(e[k]))
    label, before_label = period_label(ls, le), period_label(_date(int(s[j])), _date(int(e[j])))
    change = (latest / before - 1.0) * 100 if before else math.nan
    moved = "up" if change > 0 else "down" if change < 0 else "unchanged"
    by = f" {number_text(abs(change))} %" if moved != "unchanged" else ""
    now = (
        f"{name}: {value_text(latest, unit)} ({label}) is {moved}{by} on "
        f"{value_text(before, unit)} a year before ({before_label})"
    )
    word = "at most" if sense < 0 else "at least"
    pairs = met.size
    count = f"met in {int(met.sum())} of {pairs} year-on-year comparison{'s' * (pairs != 1)}"
    need_text = f"{word} {value_text(need, unit)}"
    common: dict[str, Any] = {
        "gap": sense * (latest - need),
        "latest": latest,
        "latest_start": ls,
        "latest_end": le,
        "progress": float(met.mean()),
    }
    meeting = f"{now}, meeting the target of {rule} ({need_text} was needed)"
    code = _period_verdict(
        met, last_end=le, deadline=t.deadline or strategy.period.end, as_of=as_of
    )
    reason = {
        134: f"{now}; the target of {rule} needed {need_text}: {count}.",
        123: f"{meeting}, but an earlier year missed it: {count}.",
        102: f"{meeting}; {count}.",
        113: f"{meeting}; {count} so far.",
    }[code]
    return Special(code=code, reason=reason, **common)


def _year_apart(
    start: NDArray[np.int64], end: NDArray[np.int64]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Index pairs ``(later, earlier)`` of periods of the same length a year apart."""
    later: list[int] = []
    earlier: list[int] = []
    length = end - start
    for k in range(end.size):
        gap = end[k] - end[:k]
        ok = (np.abs(gap - 365.25) <= 3.75) & (np.abs(length[:k] - length[k]) <= 3)
        hits = np.flatnonzero(ok)
        if hits.size:
            later.append(k)
            earlier.append(int(hits[-1]))
    return np.array(later, dtype=np.intp), np.array(earlier, dtype=np.intp)
