"""The evaluation's fast paths agree with their general twins.

Planning a portfolio takes shortcuts (a straight two-knot trajectory without
interim values, one unit factor per pair of units, a plan built as a bare
tuple); each is checked here against the general code it stands in for.
"""

from __future__ import annotations

import datetime as dt
import gc
import math

import numpy as np
import pytest
from eval_builders import monthly, outcome, strategy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stratkit.errors import DimensionalityError
from stratkit.evaluation._factors import Factors
from stratkit.evaluation._plan import Plan, _trajectory, plan_outcome
from stratkit.evaluation._prepare import collector_paused, prepare
from stratkit.model import Baseline, Observations, Target

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
