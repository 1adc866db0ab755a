"""How each outcome is judged: its :class:`Plan`, worked out from the model in plain Python.

Planning runs once per outcome, so a portfolio of 15,000 outcomes plans
15,000 times: the common case (a level or relative target without interim
values) takes the shortest path, unit conversions are cached look-ups
(:class:`~stratkit.evaluation._factors.Factors`), and a plan is a named
tuple, several times cheaper to build than an attrs object.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, NamedTuple

import numpy as np

from stratkit.evaluation import _core
from stratkit.evaluation._factors import Factors, tidy_one
from stratkit.evaluation.trajectory import Trajectory, compound_knots, day_number
from stratkit.model import Direction, Outcome, Strategy, TargetKind
from stratkit.model._common import Bound, TrajectoryShape

__all__ = ["Plan", "plan_all", "plan_outcome"]


class Plan(NamedTuple):
    """How one outcome is judged: its mode, numbers in the measure's unit, trajectory.

    A named tuple, not an attrs class: plans are made by the thousand, and a
    tuple is several times cheaper to build.
    """

    outcome: Outcome
    unit: Any
    unit_text: str
    mode: int
    code: int = 0
    """For outcomes judged outside the core: the not-measurable code (0 otherwise)."""
    target: float = float("nan")
    baseline: float = float("nan")
    start: dt.date | None = None
    deadline: dt.date | None = None
    knot_days: tuple[int, ...] = ()
    knot_values: tuple[float, ...] = ()
    shape: str = "linear"
    band: tuple[float, float] | None = None
    rate: float = float("nan")
    """For "x % every year" with no baseline: the rate, judged year on year."""
    annual: bool | None = None
    """Whether the measure is annual (``None``: its frequency is not recorded)."""
    rebase_days: tuple[int, ...] = ()
    """The outcome's rebase dates as day numbers, ascending."""
    sense: float = 0.0
    """+1 when higher is better, -1 when lower is, 0 otherwise (no target, "towards")."""
    floor: float = -math.inf
    """The lowest value the measure can take, in its unit."""
    ceiling: float = math.inf
    """The highest value the measure can take, in its unit."""

    def trajectory(self) -> Trajectory | None:
        """The trajectory as an object (built on demand: plans are made by the thousand)."""
        if not self.knot_days:
            return None
        return Trajectory(
            dates=np.array(self.knot_days, dtype="datetime64[D]"),
            values=self.knot_values,
            shape=self.shape,
            unit=self.unit_text,
        )


def _sense(outcome: Outcome) -> float:
    # identity tests, not a dict: an enum member's hash is computed in Python
    t = outcome.target
    if t is None:
        return 0.0
    bound, direction = t.bound, t.direction
    if bound is Bound.AT_LEAST:
        return 1.0
    if bound is Bound.AT_MOST:
        return -1.0
    if direction is Direction.INCREASE:
        return 1.0
    if direction is Direction.DECREASE:
        return -1.0
    return 0.0


def plan_outcome(outcome: Outcome, strategy: Strategy, factors: Factors) -> Plan:
    """Work out how ``outcome`` is judged (pure Python, once per outcome).

    This runs for every outcome of a portfolio, so it stays lean: the unit
    conversions are cached look-ups (:class:`Factors`), the rarer kinds of
    target are planned apart (:func:`_plan_other`), and a level or relative
    target without interim values goes straight to its two-knot trajectory.
    """
    t = outcome.target
    unit, unit_text, annual, floor, ceiling = factors.measure(outcome.measure)
    rebase = outcome.rebase
    rebase_days = tuple(sorted(day_number(r.date) for r in rebase)) if rebase else ()
    kind = t.kind if t is not None else None
    if (
        t is None
        or unit is None
        or kind is TargetKind.MILESTONE
        or kind is TargetKind.DIRECTION_ONLY
        or kind is TargetKind.RECURRING
    ):
        base: dict[str, Any] = {
            "outcome": outcome,
            "unit": unit,
            "unit_text": unit_text,
            "annual": annual,
            "rebase_days": rebase_days,
            "sense": _sense(outcome),
            "floor": floor,
            "ceiling": ceiling,
        }
        return _plan_other(outcome, strategy, factors, base)
    sense = _sense(outcome)
    oid = outcome.id
    deadline = t.deadline or strategy.period.end
    tb = t.baseline
    start = tb.date if tb is not None and tb.date is not None else strategy.period.start
    b_q = tb.value if tb is not None else None
    b = factors.value(b_q, unit, oid) if b_q is not None else math.nan
    target = math.nan
    code = 0
    if kind is TargetKind.LEVEL:
        target = factors.value(t.value, unit, oid)
    elif kind is TargetKind.ZERO:
        target = 0.0
    elif kind is TargetKind.BENCHMARK:
        assert t.benchmark is not None
        if t.benchmark.value is None:
            code = 303
        else:
            target = factors.value(t.benchmark.value, unit, oid)
    elif b_q is None and kind is TargetKind.ANNUAL_RATE:
        # "5 % every year" with no baseline: no trajectory, but each year can
        # still be judged against the year before (judge_year_on_year)
        assert t.rate is not None
        rate = factors.value(t.rate, factors.dimensionless, oid)
        return Plan(
            outcome, unit, unit_text, _core.OTHER, start=start, deadline=deadline, rate=rate,
            annual=annual, rebase_days=rebase_days, sense=sense, floor=floor, ceiling=ceiling,
        )  # fmt: skip
    elif b_q is None:
        code = 302
    elif kind is TargetKind.RELATIVE_CHANGE:
        assert t.change is not None
        change = factors.value(t.change, factors.dimensionless, oid, tidy=False)
        target = tidy_one(b * (1.0 + change))
    elif kind is TargetKind.POINT_CHANGE:
        assert t.change is not None
        if str(t.change.units) == "percentage_point":
            target = b + float(t.change.magnitude) * factors.text_unit("%", unit, oid)
        else:
            target = b + factors.value(t.change, unit, oid)
    if code:
        return Plan(
            outcome, unit, unit_text, _core.OTHER, code, baseline=b, start=start,
            deadline=deadline, annual=annual, rebase_days=rebase_days, sense=sense,
            floor=floor, ceiling=ceiling,
        )  # fmt: skip
    if kind is TargetKind.ANNUAL_RATE:
        assert t.rate is not None
        rate = factors.value(t.rate, factors.dimensionless, oid)
        if start < deadline:
            dates, values = compound_knots(start, b, deadline, rate)
            knots: tuple[tuple[int, ...], tuple[float, ...], str] = (
                tuple(day_number(d) for d in dates),
                tuple(values),
                "compound",
            )
            target = values[-1]
        else:
            knots, target = _NO_KNOTS, b * (1.0 + rate)
    elif not t.interim and t.trajectory is not TrajectoryShape.STEP:
        # a straight line from the baseline to the target, if both are known
        if start < deadline and math.isfinite(b):
            knots = ((day_number(start), day_number(deadline)), (b, target), "linear")
        else:
            knots = _NO_KNOTS
    else:
        knots = _trajectory(
            outcome, strategy, factors, start=start, b=b, deadline=deadline, target=target
        )
    band = None
    if t.band is not None:
        band = (factors.value(t.band[0], unit, oid), factors.value(t.band[1], unit, oid))
    mode = _core.TOWARDS if t.direction is Direction.TOWARDS else _core.VALUE
    # the hot path: the tuple made directly, fields in Plan's order
    return _new_plan(Plan, (
        outcome, unit, unit_text, mode, 0, target, b, start, deadline, knots[0], knots[1],
        knots[2], band, math.nan, annual, rebase_days, sense, floor, ceiling,
    ))  # fmt: skip


_new_plan = tuple.__new__


def plan_all(outcomes: list[Outcome], strategy: Strategy, factors: Factors) -> tuple[Plan, ...]:
    """:func:`plan_outcome` of every outcome, the commonest targets planned inline.

    A portfolio's outcomes are mostly a level or a relative change with a
    baseline, a straight trajectory and nothing else (no interim values, band
    or rebase): those are planned here in one loop, with everything that does
    not change from one outcome to the next looked up once; every other outcome
    goes to :func:`plan_outcome`. Both give equal plans (see the tests).
    """
    measure, value, dimensionless = factors.measure, factors.value, factors.dimensionless
    period_start, period_end = strategy.period.start, strategy.period.end
    level, relative, step = TargetKind.LEVEL, TargetKind.RELATIVE_CHANGE, TrajectoryShape.STEP
    at_least, at_most = Bound.AT_LEAST, Bound.AT_MOST
    increase, decrease, towards = Direction.INCREASE, Direction.DECREASE, Direction.TOWARDS
    days: dict[dt.date, int] = {}
    nan = math.nan
    plans: list[Plan] = []
    append = plans.append
    for o in outcomes:
        t = o.target
        kind = t.kind if t is not None else None
        if (
            t is None
            or (kind is not level and kind is not relative)
            or t.interim
            or t.band is not None
            or t.trajectory is step
            or o.rebase
        ):
            append(plan_outcome(o, strategy, factors))
            continue
        unit, unit_text, annual, floor, ceiling = measure(o.measure)
        tb = t.baseline
        b_q = tb.value if tb is not None else None
        if unit is None or (b_q is None and kind is relative):
            append(plan_outcome(o, strategy, factors))  # not measurable: says why
            continue
        oid = o.id
        b = value(b_q, unit, oid) if b_q is not None else nan
        if kind is level:
            target = value(t.value, unit, oid)
        else:
            change = value(t.change, dimensionless, oid, tidy=False)
            target = tidy_one(b * (1.0 + change))
        start = tb.date if tb is not None and tb.date is not None else period_start
        deadline = t.deadline or period_end
        bound, direction = t.bound, t.direction
        sense = (
            1.0 if bound is at_least
            else -1.0 if bound is at_most
            else 1.0 if direction is increase
            else -1.0 if direction is decrease
            else 0.0
        )  # fmt: skip
        knot_days: tuple[int, ...] = ()
        knot_values: tuple[float, ...] = ()
        if start < deadline and math.isfinite(b):
            d0 = days.get(start)
            if d0 is None:
                d0 = days[start] = day_number(start)
            d1 = days.get(deadline)
            if d1 is None:
                d1 = days[deadline] = day_number(deadline)
            knot_days, knot_values = (d0, d1), (b, target)
        mode = _core.TOWARDS if direction is towards else _core.VALUE
        append(_new_plan(Plan, (
            o, unit, unit_text, mode, 0, target, b, start, deadline, knot_days, knot_values,
            "linear", None, nan, annual, (), sense, floor, ceiling,
        )))  # fmt: skip
    return tuple(plans)


def _plan_other(
    outcome: Outcome, strategy: Strategy, factors: Factors, base: dict[str, Any]
) -> Plan:
    """No target, no unit, a milestone, a direction-only or a recurring target."""
    t, unit = outcome.target, base["unit"]
    if t is None:
        return Plan(mode=_core.OTHER, code=301, **base)
    kind = t.kind
    if kind is TargetKind.MILESTONE:
        return Plan(mode=_core.OTHER, deadline=t.deadline, **base)
    if unit is None:
        return Plan(mode=_core.OTHER, code=300, **base)
    oid = outcome.id
    deadline = t.deadline or strategy.period.end
    tb = t.baseline
    start = tb.date if tb is not None and tb.date is not None else strategy.period.start
    b = factors.value(tb.value, unit, oid) if tb is not None and tb.value is not None else math.nan
    if kind is TargetKind.DIRECTION_ONLY:
        return Plan(mode=_core.TREND, baseline=b, start=start, deadline=deadline, **base)
    assert kind is TargetKind.RECURRING
    assert t.value is not None
    return Plan(
        mode=_core.OTHER,
        target=factors.value(t.value, unit, oid),
        baseline=b,
        start=start,
        deadline=deadline,
        **base,
    )


_NO_KNOTS: tuple[tuple[int, ...], tuple[float, ...], str] = ((), (), "linear")


def _trajectory(
    outcome: Outcome,
    strategy: Strategy,
    factors: Factors,
    *,
    start: dt.date,
    b: float,
    deadline: dt.date,
    target: float,
) -> tuple[tuple[int, ...], tuple[float, ...], str]:
    t = outcome.target
    assert t is not None
    unit = outcome.measure.unit  # type: ignore[union-attr]
    knots: list[tuple[dt.date, float]] = []
    if math.isfinite(b):
        knots.append((start, b))
    knots += [(it.date, factors.value(it.value, unit, outcome.id)) for it in t.interim]
    knots.append((deadline, target))
    clean: list[tuple[dt.date, float]] = []
    for d, v in knots:
        if not clean or d > clean[-1][0]:
            clean.append((d, v))
    if len(clean) < 2:
        return _NO_KNOTS
    shape = "step" if t.trajectory is TrajectoryShape.STEP else "linear"
    if shape == "step" and not t.interim and math.isfinite(b):
        span = (deadline - start).days
        ends = [e for e in strategy.period.year_ends() if start < e < deadline]
        line = [(e, b + (target - b) * (e - start).days / span) for e in ends]
        clean = [(start, b), *line, (deadline, target)]
    return tuple(day_number(d) for d, _ in clean), tuple(v for _, v in clean), shape
