"""Properties of the model's helpers and of every generated model object."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies as sks
from stratkit._display import day_text
from stratkit.errors import InvalidStrategyError
from stratkit.model import Outcome, Period, Strategy, Target, TargetKind
from stratkit.model._common import years_between

_dates = st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31))


@given(_dates, _dates)
def test_years_between_is_antisymmetric(a: dt.date, b: dt.date) -> None:
    assert years_between(a, b) == pytest.approx(-years_between(b, a))


@given(_dates, st.integers(0, 30))
def test_years_between_anniversaries_is_whole(a: dt.date, n: int) -> None:
    if (a.month, a.day) == (2, 29):
        a = a.replace(day=28)
    assert years_between(a, a.replace(year=a.year + n)) == n


@given(_dates, st.integers(0, 3000))
def test_years_between_grows_with_the_end(a: dt.date, days: int) -> None:
    b = a + dt.timedelta(days=days)
    assert years_between(a, b) <= years_between(a, b + dt.timedelta(days=1))


@given(sks.periods(), st.integers(0, 2000))
def test_year_of_agrees_with_year_ends(period: Period, days: int) -> None:
    day = period.start + dt.timedelta(days=days)
    if day > period.end:
        return
    ends = period.year_ends()
    assert ends[-1] == period.end
    assert list(ends) == sorted(ends)
    assert period.year_of(day) == 1 + sum(end < day for end in ends)


def test_year_of_before_the_start_is_zero() -> None:
    period = Period(start="2023-04-01", end="2026-03-31")
    assert period.year_of(dt.date(2023, 3, 31)) == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sks.strategies())
def test_a_strategy_indexes_every_outcome_and_objective(strategy: Strategy) -> None:
    outcomes = list(strategy.outcomes())
    assert len({o.id for o in outcomes}) == len(outcomes)
    for outcome in outcomes:
        assert strategy.outcome(outcome.id) is outcome
        ambition, objective = strategy.parents(outcome.id)
        assert outcome in objective.outcomes
        assert objective in ambition.objectives
    for objective in strategy.objectives():
        assert strategy.objective(objective.id) is objective


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_rebuilding_a_model_object_from_its_fields_gives_an_equal_one(data: st.DataObject) -> None:
    obj = data.draw(
        st.one_of(
            sks.strategies(max_ambitions=1),
            sks.outcomes(),
            sks.targets(),
            sks.measures(),
            sks.milestones,
            sks.organisations,
            sks.governances(),
            sks.ambiguities,
        )
    )
    fields = {f.name.lstrip("_"): getattr(obj, f.name) for f in attrs.fields(type(obj)) if f.init}
    assert type(obj)(**fields) == obj


@settings(max_examples=40, deadline=None)
@given(sks.targets("%"))
def test_generated_targets_describe_themselves(target: Target) -> None:
    text = target.describe()
    assert text
    if target.deadline is not None and target.kind not in (
        TargetKind.RECURRING,
        TargetKind.MILESTONE,
    ):
        assert day_text(target.deadline) in text


@settings(max_examples=40, deadline=None)
@given(sks.targets("%", kind=TargetKind.LEVEL))
def test_a_reversed_level_target_is_refused_when_it_moves(target: Target) -> None:
    """Swapping increase and decrease breaks a target whose levels strictly move."""
    if target.direction.value == "towards":
        return
    levels = [q.to("%").magnitude for _, q in target._level_quantities() if not _is_band(_)]
    chain_moves = target.baseline_value is not None and levels[0] != levels[-1]
    flipped = "decrease" if target.direction.value == "increase" else "increase"
    if not chain_moves:
        return
    with pytest.raises(InvalidStrategyError, match="target cannot"):
        attrs.evolve(target, direction=flipped, bound=None)


def _is_band(path: str) -> bool:
    return path.startswith(("band", "benchmark"))


def test_an_outcome_without_measure_or_target_is_allowed() -> None:
    """Qualitative outcomes exist ("our leaders have increased access to data")."""
    outcome = Outcome(id="4.1.2", statement="Our leaders have increased access to data")
    assert outcome.direction is None
    assert outcome.unit is None


def test_describe_writes_quantities_for_people() -> None:
    every_year = Target(
        kind=TargetKind.RECURRING,
        direction="increase",
        value="0 GBPm",
        bound="at_least",
        every="annual",
    )
    assert every_year.describe() == "at least £0m every year"
    monthly = Target(
        kind=TargetKind.RECURRING,
        direction="decrease",
        value="3 placement",
        bound="at_most",
        every="monthly",
    )
    assert monthly.describe() == "at most 3 placements every month"
