"""From the model to columns: each outcome's target as numbers, observations as arrays.

Every quantity is converted to its outcome's measure unit here, once, with a
cached conversion factor per pair of units (pint is called once per pair,
never per value). Observations are grouped by the runs of equal outcome ids
that :class:`~stratkit.model.Observations` guarantees, without a sort.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.evaluation import _core
from stratkit.evaluation.trajectory import SHAPES, Trajectory, compound_knots, day_number
from stratkit.model import Direction, Observations, Outcome, Strategy, TargetKind
from stratkit.model._common import Bound, Frequency, TrajectoryShape
from stratkit.units import Unit, convert_magnitudes, format_unit, natural_range, parse_unit

__all__ = ["Plan", "Prepared", "prepare", "tidy"]


def _tidy_one(x: float) -> float:
    """One converted value to 13 significant digits (see :func:`tidy`)."""
    return float(f"{x:.13g}") if math.isfinite(x) else x


def tidy(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Converted values rounded to 13 significant digits, in place.

    A unit conversion multiplies by a factor that binary floating point cannot
    always hold exactly: 0.57 as a fraction is 56.99999999999999 %. Thirteen
    significant digits is far beyond any measure's precision and removes that
    noise, so 0.57 becomes 57 % exactly.
    """
    finite = np.isfinite(values) & (values != 0)
    if not finite.any():
        return values
    v = values[finite]
    with np.errstate(all="ignore"):
        scale = 10.0 ** (12 - np.floor(np.log10(np.abs(v))))
        rounded = np.round(v * scale) / scale
    values[finite] = np.where(np.isfinite(rounded), rounded, v)
    return values


class _Factors:
    """Conversion factors between units, each computed once."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, Any], float] = {}
        self._range: dict[Any, tuple[float, float]] = {}
        self._text: dict[Any, str] = {}

    def __call__(self, found: Unit, expected: Unit, context: str) -> float:
        # keyed on pint's UnitsContainer: hashed once, compared fast
        key = (found._units, expected._units)
        f = self._cache.get(key)
        if f is None:
            f = float(convert_magnitudes(np.ones(1), found, expected, context)[0])
            self._cache[key] = f
        return f

    def value(self, q: Any, unit: Unit, context: str, *, tidy: bool = True) -> float:
        """``q`` in ``unit``; tidied (see :func:`tidy`) unless it is a factor
        in further arithmetic, whose result the caller tidies instead (a
        rounded -97.8243416972 % would move ``b * (1 + change)`` by 1e-12)."""
        key = (q._units, unit._units)
        f = self._cache.get(key)
        if f is None:
            f = self(q.units, unit, context)
        if f == 1.0:
            return float(q.magnitude)
        return _tidy_one(float(q.magnitude) * f) if tidy else float(q.magnitude) * f

    def range(self, unit: Unit | None) -> tuple[float, float]:
        """The natural range of a measure in ``unit`` (unbounded without a unit)."""
        if unit is None:
            return (-math.inf, math.inf)
        key = unit._units
        found = self._range.get(key)
        if found is None:
            found = self._range[key] = natural_range(unit)
        return found

    def text(self, unit: Unit) -> str:
        key = unit._units
        found = self._text.get(key)
        if found is None:
            found = self._text[key] = format_unit(unit)
        return found


@attrs.frozen(kw_only=True)
class Plan:
    """How one outcome is judged: its mode, numbers in the measure's unit, trajectory."""

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
    # what each row says besides its value (the note, the counts behind a rate),
    # for the per-outcome series; None when there are no observations
    row_note: NDArray[np.str_] | None = None
    row_numerator: NDArray[np.float64] | None = None
    row_denominator: NDArray[np.float64] | None = None


def _sense(outcome: Outcome) -> float:
    t = outcome.target
    assert t is not None
    if t.bound is Bound.AT_LEAST:
        return 1.0
    if t.bound is Bound.AT_MOST:
        return -1.0
    return {Direction.INCREASE: 1.0, Direction.DECREASE: -1.0}.get(t.direction, 0.0)


def plan_outcome(outcome: Outcome, strategy: Strategy, factors: _Factors) -> Plan:
    """Work out how ``outcome`` is judged (pure Python, once per outcome)."""
    t, m = outcome.target, outcome.measure
    unit = m.unit if m is not None else None
    unit_text = factors.text(unit) if unit is not None else ""
    freq = m.frequency if m is not None else None
    base: dict[str, Any] = {
        "outcome": outcome,
        "unit": unit,
        "unit_text": unit_text,
        "annual": None if freq is None else freq is Frequency.ANNUAL,
        "rebase_days": tuple(sorted(day_number(r.date) for r in outcome.rebase)),
    }
    if t is None:
        return Plan(mode=_core.OTHER, code=301, **base)
    if t.kind is TargetKind.MILESTONE:
        return Plan(mode=_core.OTHER, deadline=t.deadline, **base)
    if unit is None:
        return Plan(mode=_core.OTHER, code=300, **base)
    ctx = f"outcome {outcome.id}"
    deadline = t.deadline or strategy.period.end
    start = (
        t.baseline.date
        if t.baseline is not None and t.baseline.date is not None
        else strategy.period.start
    )
    b_q = t.baseline_value
    b = factors.value(b_q, unit, ctx) if b_q is not None else float("nan")
    kind = t.kind
    if kind is TargetKind.DIRECTION_ONLY:
        return Plan(mode=_core.TREND, baseline=b, start=start, deadline=deadline, **base)
    if kind is TargetKind.RECURRING:
        assert t.value is not None
        return Plan(
            mode=_core.OTHER,
            target=factors.value(t.value, unit, ctx),
            baseline=b,
            start=start,
            deadline=deadline,
            **base,
        )
    target = float("nan")
    code = 0
    if kind is TargetKind.LEVEL:
        target = factors.value(t.value, unit, ctx)
    elif kind is TargetKind.ZERO:
        target = 0.0
    elif kind is TargetKind.BENCHMARK:
        assert t.benchmark is not None
        if t.benchmark.value is None:
            code = 303
        else:
            target = factors.value(t.benchmark.value, unit, ctx)
    elif b_q is None and kind is TargetKind.ANNUAL_RATE:
        # "5 % every year" with no baseline: no trajectory, but each year can
        # still be judged against the year before (judge_year_on_year)
        assert t.rate is not None
        rate = factors.value(t.rate, parse_unit(""), ctx)
        return Plan(mode=_core.OTHER, rate=rate, start=start, deadline=deadline, **base)
    elif b_q is None:
        code = 302
    elif kind is TargetKind.RELATIVE_CHANGE:
        assert t.change is not None
        target = _tidy_one(b * (1.0 + factors.value(t.change, parse_unit(""), ctx, tidy=False)))
    elif kind is TargetKind.POINT_CHANGE:
        assert t.change is not None
        if str(t.change.units) == "percentage_point":
            target = b + float(t.change.magnitude) * factors(parse_unit("%"), unit, ctx)
        else:
            target = b + factors.value(t.change, unit, ctx)
    if code:
        return Plan(
            mode=_core.OTHER, code=code, baseline=b, start=start, deadline=deadline, **base
        )
    if kind is TargetKind.ANNUAL_RATE:
        assert t.rate is not None
        rate = factors.value(t.rate, parse_unit(""), ctx)
        if start < deadline:
            dates, values = compound_knots(start, b, deadline, rate)
            knots: tuple[tuple[int, ...], tuple[float, ...], str] = (
                tuple(day_number(d) for d in dates),
                tuple(values),
                "compound",
            )
            target = values[-1]
        else:
            knots, target = ((), (), "linear"), b * (1.0 + rate)
    else:
        knots = _trajectory(
            outcome,
            strategy,
            factors,
            start=start,
            b=b,
            deadline=deadline,
            target=target,
        )
    band = None
    if t.band is not None:
        band = (factors.value(t.band[0], unit, ctx), factors.value(t.band[1], unit, ctx))
    mode = _core.TOWARDS if t.direction is Direction.TOWARDS else _core.VALUE
    return Plan(
        mode=mode,
        target=target,
        baseline=b,
        start=start,
        deadline=deadline,
        knot_days=knots[0],
        knot_values=knots[1],
        shape=knots[2],
        band=band,
        **base,
    )


def _trajectory(
    outcome: Outcome,
    strategy: Strategy,
    factors: _Factors,
    *,
    start: dt.date,
    b: float,
    deadline: dt.date,
    target: float,
) -> tuple[tuple[int, ...], tuple[float, ...], str]:
    t = outcome.target
    assert t is not None
    ctx = f"outcome {outcome.id}"
    knots: list[tuple[dt.date, float]] = []
    if math.isfinite(b):
        knots.append((start, b))
    knots += [
        (it.date, factors.value(it.value, outcome.measure.unit, ctx))  # type: ignore[union-attr]
        for it in t.interim
    ]
    knots.append((deadline, target))
    clean: list[tuple[dt.date, float]] = []
    for d, v in knots:
        if not clean or d > clean[-1][0]:
            clean.append((d, v))
    if len(clean) < 2:
        return (), (), "linear"
    shape = "step" if t.trajectory is TrajectoryShape.STEP else "linear"
    if shape == "step" and not t.interim and math.isfinite(b):
        span = (deadline - start).days
        ends = [e for e in strategy.period.year_ends() if start < e < deadline]
        line = [(e, b + (target - b) * (e - start).days / span) for e in ends]
        clean = [(start, b), *line, (deadline, target)]
    return tuple(day_number(d) for d, _ in clean), tuple(v for _, v in clean), shape


def prepare(strategy: Strategy, observations: Observations | None) -> Prepared:
    """Plan every outcome and lay the observations out as columns in measure units."""
    factors = _Factors()
    outcomes = list(strategy.outcomes())
    plans = tuple(plan_outcome(o, strategy, factors) for o in outcomes)
    m = len(plans)
    width = max([len(p.knot_days) for p in plans], default=1) or 1
    pad_day = int(np.iinfo(np.int64).max)
    nan = float("nan")
    knot_days = np.array(
        [p.knot_days + (pad_day,) * (width - len(p.knot_days)) for p in plans], dtype=np.int64
    ).reshape(m, width)
    knot_values = np.array(
        [p.knot_values + (nan,) * (width - len(p.knot_values)) for p in plans]
    ).reshape(m, width)
    shape = np.array([SHAPES.index(p.shape) for p in plans], dtype=np.int8)
    ranges = [
        factors.range(p.unit)
        if p.outcome.measure is None or p.outcome.measure.range is None
        else p.outcome.measure.range_in_unit()
        for p in plans
    ]
    columns = _core.TargetColumns(
        mode=np.array([p.mode for p in plans], dtype=np.int8),
        sense=np.array(
            [_sense(p.outcome) if p.outcome.target is not None else 0.0 for p in plans]
        ),
        target=np.array([p.target for p in plans]),
        baseline=np.array([p.baseline for p in plans]),
        band_low=np.array([p.band[0] if p.band else nan for p in plans]),
        band_high=np.array([p.band[1] if p.band else nan for p in plans]),
        deadline=np.array(
            [day_number(p.deadline or strategy.period.end) for p in plans], dtype=np.int64
        ),
        knot_days=knot_days,
        knot_values=knot_values,
        shape=shape,
        floor=np.array([r[0] for r in ranges]),
        ceiling=np.array([r[1] for r in ranges]),
    )
    assert len(SHAPES) == 3
    index = {o.id: i for i, o in enumerate(outcomes)}
    rows = _rows(observations, plans, index, factors)
    return Prepared(
        plans=plans,
        columns=columns,
        row_outcome=rows[0],
        row_start=rows[1],
        row_end=rows[2],
        row_value=rows[3],
        unknown_ids=rows[4],
        row_note=rows[5],
        row_numerator=rows[6],
        row_denominator=rows[7],
    )


def _rows(
    obs: Observations | None, plans: tuple[Plan, ...], index: dict[str, int], factors: _Factors
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
    run_units = units[starts].tolist()
    run_out = np.empty(starts.size, dtype=np.int64)
    run_factor = np.ones(starts.size)
    unknown: list[str] = []
    for r, oid in enumerate(run_ids):
        i = index.get(oid, -1)
        run_out[r] = i
        if i < 0:
            unknown.append(oid)
            continue
        unit = plans[i].unit
        if unit is not None and not mixed[r] and run_units[r]:  # "": the measure's unit
            run_factor[r] = factors(parse_unit(run_units[r]), unit, f"outcome {oid}")
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
            factor = factors(parse_unit(u), unit, f"outcome {run_ids[r]}") if u else 1.0
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
