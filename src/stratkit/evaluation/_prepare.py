"""From the model to columns: each outcome's target as numbers, observations as arrays.

Every quantity is converted to its outcome's measure unit here, once, with a
cached conversion factor per pair of units (pint is called once per pair,
never per value). Observations are grouped by the runs of equal outcome ids
that :class:`~stratkit.model.Observations` guarantees, without a sort.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import math
from collections.abc import Iterator
from typing import Any, NamedTuple

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.evaluation import _core
from stratkit.evaluation._factors import Factors, tidy
from stratkit.evaluation.trajectory import SHAPES, Trajectory, compound_knots, day_number
from stratkit.model import Direction, Observations, Outcome, Strategy, TargetKind
from stratkit.model._common import Bound, TrajectoryShape

__all__ = ["Plan", "Prepared", "prepare", "tidy"]


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


@attrs.frozen(kw_only=True)
class Prepared:
    """Plans and columns for a whole strategy and its observations."""

    plans: tuple[Plan, ...]
    columns: _core.TargetColumns
    row_outcome: NDArray[np.int64]
    row_start: NDArray[np.int64]
    row_end: NDArray[np.int64]
    row_value: NDArray[np.float64]
    unknown_ids: tuple[str, ...]
    outcome_ids: tuple[str, ...]
    """Every outcome's id, in strategy order (one per plan)."""


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
        target = b * (1.0 + factors.value(t.change, factors.dimensionless, oid))
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


def prepare(strategy: Strategy, observations: Observations | None) -> Prepared:
    """Plan every outcome and lay the observations out as columns in measure units.

    Python's cyclic garbage collector is paused meanwhile (see
    :func:`collector_paused`): planning allocates a few objects per outcome,
    none in a cycle, and a portfolio's strategy is large enough that the
    collections those allocations trigger would otherwise cost a third of
    the time.
    """
    with collector_paused():
        return _prepare(strategy, observations)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, if it is running, for the block.

    Reference counting still frees everything at once; only the search for
    reference cycles waits until the block ends. Re-entrant and safe across
    threads: whoever paused it resumes it, and nobody resumes a collector
    that the program itself disabled.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _prepare(strategy: Strategy, observations: Observations | None) -> Prepared:
    factors = Factors()
    outcomes = list(strategy.outcomes())
    plans = tuple(plan_outcome(o, strategy, factors) for o in outcomes)
    m = len(plans)
    nan = math.nan
    # one pass over the plans: a plan is a named tuple, so zip(*) transposes it
    fields = dict(zip(Plan._fields, zip(*plans, strict=True), strict=True)) if m else {}

    def column(name: str, dtype: Any = float) -> NDArray[Any]:
        return np.array(fields.get(name, ()), dtype=dtype)

    knot_days, knot_values = _knots(fields.get("knot_days", ()), fields.get("knot_values", ()))
    shape_code = {name: k for k, name in enumerate(SHAPES)}
    deadlines = fields.get("deadline", ())
    day_of = {d: day_number(d) for d in set(deadlines) if d is not None}
    day_of[None] = day_number(strategy.period.end)
    bands = fields.get("band", ())
    columns = _core.TargetColumns(
        mode=column("mode", np.int8),
        sense=column("sense"),
        target=column("target"),
        baseline=column("baseline"),
        band_low=np.array([nan if band is None else band[0] for band in bands], dtype=float),
        band_high=np.array([nan if band is None else band[1] for band in bands], dtype=float),
        deadline=np.fromiter(map(day_of.__getitem__, deadlines), dtype=np.int64, count=m),
        knot_days=knot_days,
        knot_values=knot_values,
        shape=np.array([shape_code[s] for s in fields.get("shape", ())], dtype=np.int8),
        floor=column("floor"),
        ceiling=column("ceiling"),
    )
    assert len(SHAPES) == 3
    outcome_ids = tuple([o.id for o in outcomes])
    index = dict(zip(outcome_ids, range(m), strict=True))
    rows = _rows(observations, plans, index, factors)
    return Prepared(
        plans=plans,
        columns=columns,
        row_outcome=rows[0],
        row_start=rows[1],
        row_end=rows[2],
        row_value=rows[3],
        unknown_ids=rows[4],
        outcome_ids=outcome_ids,
    )


def _knots(
    days: tuple[tuple[int, ...], ...], values: tuple[tuple[float, ...], ...]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The trajectories as two (outcome x knot) arrays, padded past each one's last knot."""
    m = len(days)
    width = max(map(len, days), default=1) or 1
    knot_days = np.full((m, width), np.iinfo(np.int64).max, dtype=np.int64)
    knot_values = np.full((m, width), np.nan)
    lengths = np.fromiter(map(len, days), dtype=np.int64, count=m)
    total = int(lengths.sum())
    # every knot in one flat array (in C), then scattered to (outcome, position)
    row = np.repeat(np.arange(m), lengths)
    col = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    flat = itertools.chain.from_iterable
    knot_days[row, col] = np.fromiter(flat(days), dtype=np.int64, count=total)
    knot_values[row, col] = np.fromiter(flat(values), dtype=float, count=total)
    return knot_days, knot_values


def _rows(
    obs: Observations | None, plans: tuple[Plan, ...], index: dict[str, int], factors: Factors
) -> tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], tuple[str, ...]
]:
    if obs is None or len(obs) == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, np.zeros(0), ()
    ids = obs.outcome_id
    n = ids.size
    new = np.ones(n, dtype=bool)
    new[1:] = ids[1:] != ids[:-1]
    starts = np.flatnonzero(new)
    lengths = np.diff(np.append(starts, n))
    run_ids = ids[starts].tolist()
    unsorted = (obs.end[1:] < obs.end[:-1]) & ~new[1:]
    if len(set(run_ids)) != len(run_ids) or unsorted.any():
        # rows not grouped by outcome and sorted by period end (an Observations
        # built by hand): group and sort them once, as from_columns does
        obs = Observations.from_columns(
            outcome_id=obs.outcome_id,
            start=obs.start,
            end=obs.end,
            value=obs.value,
            unit=obs.unit,
            numerator=obs.numerator,
            denominator=obs.denominator,
            note=obs.note,
            source=obs.source,
            illustrative=obs.illustrative,
        )
        return _rows(obs, plans, index, factors)
    units = obs.unit
    unit_change = np.zeros(n, dtype=bool)
    unit_change[1:] = (units[1:] != units[:-1]) & ~new[1:]
    mixed = np.add.reduceat(unit_change, starts) > 0
    run_out = np.fromiter(
        map(index.get, run_ids, itertools.repeat(-1)), dtype=np.int64, count=len(run_ids)
    )
    unknown = [run_ids[r] for r in np.flatnonzero(run_out < 0).tolist()]
    run_factor = _run_factors(
        plans, run_out, run_units=units[starts], single=~mixed, run_ids=run_ids, factors=factors
    )
    row_out = np.repeat(run_out, lengths)
    values = obs.value * np.repeat(run_factor, lengths)
    converted = np.repeat(run_factor != 1.0, lengths)
    if converted.any():
        values[converted] = tidy(values[converted])
    for r in np.flatnonzero(mixed & (run_out >= 0)).tolist():
        unit = plans[run_out[r]].unit
        if unit is None:
            continue
        sl = slice(int(starts[r]), int(starts[r] + lengths[r]))
        for u in dict.fromkeys(units[sl].tolist()):
            mask = units[sl] == u
            values[sl][mask] = tidy(obs.value[sl][mask] * factors.text_unit(u, unit, run_ids[r]))
    keep = row_out >= 0
    if keep.all():
        return (
            row_out,
            obs.start.astype(np.int64),
            obs.end.astype(np.int64),
            values,
            tuple(unknown),
        )
    return (
        row_out[keep],
        obs.start.astype(np.int64)[keep],
        obs.end.astype(np.int64)[keep],
        values[keep],
        tuple(unknown),
    )


def _run_factors(
    plans: tuple[Plan, ...],
    run_out: NDArray[np.int64],
    *,
    run_units: NDArray[Any],
    single: NDArray[np.bool_],
    run_ids: list[str],
    factors: Factors,
) -> NDArray[np.float64]:
    """Each run's conversion factor to its outcome's unit (1 for mixed or unknown runs).

    One factor per distinct pair (unit written, measure unit), worked out in the
    order the pairs first occur, so that a unit that cannot be converted is
    reported for the first outcome that has it.
    """
    units = [p.unit for p in plans]
    # each distinct measure unit object gets a code (-1: no unit), in C
    address = np.array([id(u) for u in units], dtype=np.uint64)
    _, first_plan, code_of_plan = np.unique(address, return_index=True, return_inverse=True)
    measure_units = [units[k] for k in first_plan.tolist()]
    plan_code = np.full(len(plans) + 1, -1, dtype=np.int64)  # the last: unknown ids
    plan_code[:-1] = code_of_plan.reshape(-1)
    for k, u in enumerate(measure_units):
        if u is None:
            plan_code[plan_code == k] = -1
    factor = np.ones(run_out.size)
    code = plan_code[run_out]  # run_out -1 picks the last entry: -1
    todo = np.flatnonzero(single & (code >= 0))
    if todo.size == 0:
        return factor
    texts, text_code = np.unique(run_units[todo].astype(str), return_inverse=True)
    pair = text_code.reshape(-1) * len(measure_units) + code[todo]
    _, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    values = np.ones(first.size)
    for k in np.argsort(first, kind="stable").tolist():
        r = int(todo[first[k]])
        text = str(texts[text_code.reshape(-1)[first[k]]])
        values[k] = factors.text_unit(text, measure_units[int(code[r])], run_ids[r])
    factor[todo] = values[inverse.reshape(-1)]
    return factor
