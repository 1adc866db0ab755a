"""The evaluation's fast paths agree with their general twins.

Planning a portfolio takes shortcuts (a straight two-knot trajectory without
interim values, one unit factor per pair of units, a plan built as a bare
tuple); each is checked here against the general code it stands in for.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from typing import Any

import attrs
import numpy as np
import pytest
from eval_builders import monthly, outcome, strategy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from strategies import strategies
from stratkit.errors import DimensionalityError, StratkitError
from stratkit.evaluation._factors import Factors
from stratkit.evaluation._plan import Plan, _trajectory, plan_all, plan_outcome
from stratkit.evaluation._prepare import collector_paused, prepare
from stratkit.evaluation._process import _group_first_row
from stratkit.model import (
    Baseline,
    InterimTarget,
    Observations,
    Outcome,
    Rebase,
    Strategy,
    Target,
)
from stratkit.spc import spc_many

some = settings(max_examples=40, deadline=None)
level = st.floats(min_value=0.5, max_value=99.5, allow_nan=False)
base_days = st.dates(min_value=dt.date(2019, 4, 1), max_value=dt.date(2026, 3, 31))
deadlines = st.dates(min_value=dt.date(2023, 4, 2), max_value=dt.date(2026, 3, 31))


@some
@given(
    start=level, move=level, base_day=base_days, deadline=deadlines, with_baseline=st.booleans()
)
def test_two_knot_trajectory_equals_the_general_one(
    start: float, move: float, base_day: dt.date, deadline: dt.date, with_baseline: bool
) -> None:
    """A level target without interim values: the shortcut's knots are _trajectory's."""
    assume(base_day < deadline or not with_baseline)  # the model refuses the others
    up = start + move <= 100
    value = start + move if up else start - move / 2
    base = Baseline(value=f"{start!r} %", date=base_day.isoformat()) if with_baseline else None
    target = Target.level(
        f"{value!r} %",
        direction="increase" if value >= start else "decrease",
        deadline=deadline.isoformat(),
        baseline=base,
    )
    o = outcome("A", target)
    s = strategy(o)
    factors = Factors()
    plan = plan_outcome(o, s, factors)
    general = _trajectory(
        o,
        s,
        factors,
        start=plan.start,
        b=plan.baseline,
        deadline=plan.deadline,
        target=plan.target,
    )
    assert (plan.knot_days, plan.knot_values, plan.shape) == general


def _targets() -> list[Target]:
    base = Baseline(value="40 %", date="2023-03-31")
    return [
        Target.level("50 %", direction="increase", deadline="2026-03-31", baseline=base),
        Target.level("50 %", direction="increase", deadline="2026-03-31"),
        Target.level("50 %", direction="towards", deadline="2026-03-31", band=("45 %", "55 %")),
        Target.reduce_by("10 %", deadline="2026-03-31", baseline=base),
        Target.increase_by("10 %", deadline="2026-03-31"),
        Target.level(
            "0.5", direction="increase", deadline="2026-03-31", baseline=Baseline(value="0.4")
        ),
        None,
    ]


def test_a_plan_has_every_field_in_order() -> None:
    """The hot path builds its plan as a bare tuple: it must match the named fields."""
    s = strategy(*(outcome(f"O{i}", t) for i, t in enumerate(_targets())))
    factors = Factors()
    for o in s.outcomes():
        plan = plan_outcome(o, s, factors)
        assert type(plan) is Plan
        assert len(plan) == len(Plan._fields)
        rebuilt = Plan(**plan._asdict())
        assert rebuilt._asdict().keys() == plan._asdict().keys()
        assert plan.outcome is o
        assert isinstance(plan.unit_text, str)
        assert plan.floor <= plan.ceiling
        assert plan.sense in (-1.0, 0.0, 1.0)
        assert math.isnan(plan.rate) or plan.mode == 0


def test_one_factor_per_unit_pair_converts_like_one_per_run() -> None:
    """Runs in %, as fractions, mixed, and for unknown ids: each converted as on its own."""
    s = strategy(
        *(
            outcome(oid, Target.level("50 %", direction="increase", deadline="2026-03-31"))
            for oid in ("A", "B", "C", "D")
        )
    )
    parts = [
        monthly({"A": [40.0, 41.0, 42.0]}, unit="%"),
        monthly({"B": [0.4, 0.41, 0.57]}, unit="fraction"),
        monthly({"C": [0.5, 0.52]}, unit="fraction"),
        monthly({"Z": [1.0]}, unit="%"),
        monthly({"D": [45.0]}, unit="%"),
    ]
    obs = Observations.from_columns(
        outcome_id=np.concatenate([p.outcome_id for p in parts]),
        start=np.concatenate([p.start for p in parts]),
        end=np.concatenate([p.end for p in parts]),
        value=np.concatenate([p.value for p in parts]),
        unit=np.concatenate([p.unit for p in parts]),
    )
    prep = prepare(s, obs)
    assert prep.unknown_ids == ("Z",)
    ids = np.array(prep.outcome_ids)[prep.row_outcome]
    assert prep.row_value[ids == "A"].tolist() == [40.0, 41.0, 42.0]
    # 0.57 as a fraction is 57 % exactly, not 56.99999999999999
    assert prep.row_value[ids == "B"].tolist() == [40.0, 41.0, 57.0]
    assert prep.row_value[ids == "C"].tolist() == [50.0, 52.0]
    assert prep.row_value[ids == "D"].tolist() == [45.0]


def test_a_unit_that_cannot_be_converted_names_the_first_outcome_with_it() -> None:
    s = strategy(
        *(
            outcome(
                oid,
                Target.level("5 day", direction="decrease", deadline="2026-03-31"),
                unit="day",
            )
            for oid in ("A", "B")
        ),
        outcome("C", Target.level("50 %", direction="increase", deadline="2026-03-31")),
    )
    obs = monthly({"A": [3.0], "B": [4.0], "C": [5.0]}, unit="kg")
    with pytest.raises(DimensionalityError, match="outcome A"):
        prepare(s, obs)


def test_the_collector_is_paused_and_resumed() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # re-entrant
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError, match="boom"), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_the_program_disabled_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def _same(a: tuple, b: tuple) -> bool:
    """Equal plans, a NaN equal to a NaN."""
    return len(a) == len(b) and all(
        x is y or x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))
        for x, y in zip(a, b, strict=True)
    )


@st.composite
def _level_or_relative(draw: st.DrawFn, oid: str) -> Outcome | None:
    """The targets plan_all plans inline, and their neighbours that it must hand on.

    ``None`` for a combination the model refuses (a deadline before the baseline, ...).
    """
    unit = draw(st.sampled_from(["%", "day", "fraction"]))
    written = draw(st.sampled_from([unit, "%", "fraction"])) if unit != "day" else "day"
    b = draw(st.floats(min_value=10, max_value=90, allow_nan=False))
    d = draw(st.floats(min_value=0, max_value=9.5, allow_nan=False))
    direction = draw(st.sampled_from(["increase", "decrease", "towards"]))
    with_base = draw(st.booleans())
    base_value = draw(st.sampled_from([None, f"{b!r} {written}"]))
    base_date = draw(st.one_of(st.none(), st.dates(dt.date(2019, 4, 1), dt.date(2023, 3, 31))))
    kw: dict[str, Any] = {"deadline": draw(st.one_of(st.none(), deadlines))}
    relative = draw(st.booleans())
    if draw(st.integers(0, 5)) == 0:
        kw["trajectory"] = "step"
    if draw(st.integers(0, 5)) == 0:
        kw["interim"] = [InterimTarget(date="2024-03-31", value=f"{draw(level)!r} {unit}")]
    if relative:
        amount = f"{draw(st.integers(1, 50))} %"
    else:
        amount = f"{b - d if direction == 'decrease' else b + d!r} {written}"
        if direction == "towards" and draw(st.booleans()):
            kw["band"] = (f"{b - d!r} {written}", f"{b + 2 * d!r} {written}")
        elif draw(st.booleans()):
            kw["bound"] = "at_least" if direction == "increase" else "at_most"
    rebase = draw(st.integers(0, 5)) == 0
    try:
        if with_base:
            kw["baseline"] = Baseline(value=base_value, date=base_date)
        if relative:
            make = Target.reduce_by if direction == "decrease" else Target.increase_by
            target = make(amount, **kw)
        else:
            target = Target.level(amount, direction=direction, **kw)
        o = outcome(oid, target, unit=unit)
        if rebase:
            o = attrs.evolve(o, rebase=[Rebase(date="2024-04-01", reason="new model")])
        strategy(o)  # the strategy's own checks
    except StratkitError:
        return None
    return o


@st.composite
def _hot_strategies(draw: st.DrawFn) -> Strategy:
    made = [draw(_level_or_relative(f"H{k}")) for k in range(draw(st.integers(1, 8)))]
    kept = [o for o in made if o is not None]
    assume(kept)
    return strategy(*kept)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=_hot_strategies())
def test_planning_all_at_once_equals_planning_each(s: Strategy) -> None:
    """plan_all's inline loop plans every outcome as plan_outcome does, field by field."""
    _plans_agree(s)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=strategies())
def test_planning_all_at_once_equals_planning_each_for_any_strategy(s: Strategy) -> None:
    _plans_agree(s)


def _plans_agree(s: Strategy) -> None:
    outcomes = list(s.outcomes())
    inline = plan_all(outcomes, s, Factors())
    each = tuple(plan_outcome(o, s, Factors()) for o in outcomes)
    assert len(inline) == len(each)
    for a, b in zip(inline, each, strict=True):
        assert type(a) is Plan
        assert _same(a, b), (a.outcome.id, a, b)


def test_planning_all_at_once_covers_every_target_shape() -> None:
    """The hand-made targets above (level, band, relative, no baseline, none), as one strategy."""
    s = strategy(*(outcome(f"O{i}", t) for i, t in enumerate(_targets())))
    outcomes = list(s.outcomes())
    inline = plan_all(outcomes, s, Factors())
    each = [plan_outcome(o, s, Factors()) for o in outcomes]
    assert all(_same(a, b) for a, b in zip(inline, each, strict=True))
    assert sum(p.mode == 0 and len(p.knot_days) == 2 for p in inline) >= 2  # the inline path ran


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 30), min_size=1, max_size=6),
    rebase_at=st.lists(st.integers(0, 29), max_size=3),
    data=st.data(),
)
def test_first_row_of_each_rows_rebase_group_as_a_plain_loop(
    lengths: list[int], rebase_at: list[int], data: st.DataObject
) -> None:
    """_group_first_row against a walk back to where the series or its rebase group starts."""
    ids, ends, values = [], [], []
    for k, n in enumerate(lengths):
        ids += [k] * n
        ends += (np.datetime64("2020-01-31") + 31 * np.arange(n)).tolist()
        values += [float(v) for v in range(n)]
    rebase = {
        k: [ends[sum(lengths[:k]) + r] for r in rebase_at if r < n] for k, n in enumerate(lengths)
    }
    table = spc_many(
        np.array(ids),
        np.array(ends, dtype="datetime64[D]"),
        np.array(values),
        rebase={k: np.array(v, dtype="datetime64[D]") for k, v in rebase.items() if v},
    )
    rows = np.array(
        data.draw(st.lists(st.integers(0, len(ids) - 1), min_size=1, max_size=10)), dtype=np.int64
    )
    got = _group_first_row(table, rows).tolist()
    group, series = table.rebase_group, table.series_id
    want = []
    for r in rows.tolist():
        i = r
        while i > 0 and series[i - 1] == series[r] and group[i - 1] == group[r]:
            i -= 1
        want.append(i)
    assert got == want
