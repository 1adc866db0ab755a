"""From the model to columns: each outcome's target as numbers, observations as arrays.

Every outcome is planned (:mod:`stratkit.evaluation._plan`) and the plans laid
out as columns. Every quantity is converted to its outcome's measure unit,
once, with a cached conversion factor per pair of units (pint is called once
per pair, never per value). Observations are grouped by the runs of equal
outcome ids that :class:`~stratkit.model.Observations` guarantees, without a
sort.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import math
from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.evaluation import _core
from stratkit.evaluation._factors import Factors, tidy
from stratkit.evaluation._plan import Plan, plan_all, plan_outcome
from stratkit.evaluation.trajectory import SHAPES, day_number
from stratkit.model import Observations, Strategy

__all__ = [
    "Plan",
    "Planned",
    "Prepared",
    "collector_paused",
    "plan",
    "plan_outcome",
    "prepare",
    "tidy",
]


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
    # what each row says besides its value (the note, the counts behind a rate),
    # for the per-outcome series; None when there are no observations
    row_note: NDArray[np.str_] | None = None
    row_numerator: NDArray[np.float64] | None = None
    row_denominator: NDArray[np.float64] | None = None


@attrs.frozen(kw_only=True, eq=False)
class Planned:
    """A strategy's plans and target columns: everything that does not depend on the data.

    Worked out once by :func:`plan` and shared by every evaluation of the same
    strategy (a portfolio's entities); nothing in it is changed afterwards.
    """

    strategy: Strategy
    plans: tuple[Plan, ...]
    columns: _core.TargetColumns
    outcome_ids: tuple[str, ...]
    index: dict[str, int]
    factors: Factors


def plan(strategy: Strategy) -> Planned:
    """Plan every outcome of ``strategy`` and lay the targets out as columns."""
    with collector_paused():
        return _plan(strategy)


def prepare(
    strategy: Strategy, observations: Observations | None, planned: Planned | None = None
) -> Prepared:
    """Plan every outcome and lay the observations out as columns in measure units.

    ``planned`` is :func:`plan` of ``strategy``, when the caller has it already.
    Python's cyclic garbage collector is paused meanwhile (see
    :func:`collector_paused`): planning allocates a few objects per outcome,
    none in a cycle, and a portfolio's strategy is large enough that the
    collections those allocations trigger would otherwise cost a third of
    the time.
    """
    with collector_paused():
        if planned is None:
            planned = _plan(strategy)
        elif planned.strategy is not strategy:
            raise ValueError("planned is the plan of another strategy")
        return _prepare(planned, observations)


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


def _plan(strategy: Strategy) -> Planned:
    factors = Factors()
    outcomes = list(strategy.outcomes())
    plans = plan_all(outcomes, strategy, factors)
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
    for a in attrs.astuple(columns, recurse=False):
        a.setflags(write=False)  # shared by every evaluation of the strategy
    outcome_ids = tuple([o.id for o in outcomes])
    return Planned(
        strategy=strategy,
        plans=plans,
        columns=columns,
        outcome_ids=outcome_ids,
        index=dict(zip(outcome_ids, range(m), strict=True)),
        factors=factors,
    )


def _prepare(planned: Planned, observations: Observations | None) -> Prepared:
    rows = _rows(observations, planned.plans, planned.index, planned.factors)
    return Prepared(
        plans=planned.plans,
        columns=planned.columns,
        row_outcome=rows[0],
        row_start=rows[1],
        row_end=rows[2],
        row_value=rows[3],
        unknown_ids=rows[4],
        outcome_ids=planned.outcome_ids,
        row_note=rows[5],
        row_numerator=rows[6],
        row_denominator=rows[7],
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
) -> tuple[Any, ...]:
    if obs is None or len(obs) == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, np.zeros(0), (), None, None, None
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
            row_file=obs.row_file,
            row_line=obs.row_line,
            files=obs.files,
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
            factor = factors.text_unit(u, unit, run_ids[r]) if u else 1.0  # "": the measure's
            values[sl][mask] = tidy(obs.value[sl][mask] * factor)
    keep = row_out >= 0
    if keep.all():
        return (
            row_out,
            obs.start.astype(np.int64),
            obs.end.astype(np.int64),
            values,
            tuple(unknown),
            obs.note,
            obs.numerator,
            obs.denominator,
        )
    return (
        row_out[keep],
        obs.start.astype(np.int64)[keep],
        obs.end.astype(np.int64)[keep],
        values[keep],
        tuple(unknown),
        obs.note[keep],
        obs.numerator[keep],
        obs.denominator[keep],
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
    # a run written without a unit ("") is in its measure's unit: factor 1
    todo = np.flatnonzero(single & (code >= 0) & (run_units != ""))
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
