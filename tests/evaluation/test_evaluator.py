"""``Evaluator``: one strategy planned once, evaluated against many sets of observations,
with exactly the results of ``evaluate`` on each, whatever was evaluated before."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import stratkit
from stratkit.errors import DimensionalityError
from stratkit.evaluation import Evaluator, evaluate
from stratkit.evaluation._prepare import plan, prepare
from stratkit.model import Observations

FOLDER = stratkit.examples.path("kmpt_2023_26")


@pytest.fixture(scope="module")
def kmpt() -> tuple[stratkit.Strategy, Observations]:
    return (
        stratkit.load(FOLDER / "strategy.yaml"),
        stratkit.read_observations(FOLDER / "observations_illustrative.csv"),
    )


def test_each_call_equals_evaluate_whatever_came_before(kmpt: tuple) -> None:
    strategy, obs = kmpt
    judge = Evaluator(strategy)
    rng = np.random.default_rng(3)
    cases = [
        (obs, "2025-03-31"),
        (obs.take(rng.random(len(obs)) < 0.5), "2024-09-30"),
        (None, "2025-03-31"),
        (obs.take(obs.value > np.nanmedian(obs.value)), None),
        (obs, dt.date(2026, 3, 31)),
    ]
    for observations, as_of in cases:
        got = judge(observations, as_of=as_of).to_dict()
        want = evaluate(strategy, observations, as_of=as_of).to_dict()
        assert got == want


def test_a_bad_unit_is_reported_on_every_call_not_cached(kmpt: tuple) -> None:
    strategy, obs = kmpt
    judge = Evaluator(strategy)
    first = obs.outcome_id[0]
    wrong = obs.take(obs.outcome_id == first)
    wrong = Observations.from_columns(
        outcome_id=wrong.outcome_id,
        start=wrong.start,
        end=wrong.end,
        value=wrong.value,
        unit=np.full(len(wrong), "GBP"),
    )
    for _ in range(2):
        with pytest.raises(DimensionalityError, match=first):
            judge(wrong)
    assert (
        judge(obs, as_of="2025-03-31").to_dict()
        == evaluate(strategy, obs, as_of="2025-03-31").to_dict()
    )


def test_the_shared_target_columns_cannot_be_changed(kmpt: tuple) -> None:
    strategy, _ = kmpt
    planned = plan(strategy)
    with pytest.raises(ValueError, match="read-only"):
        planned.columns.target[0] = 0.0


def test_a_plan_is_not_used_for_another_strategy(kmpt: tuple) -> None:
    strategy, obs = kmpt
    other = stratkit.load(FOLDER / "strategy.yaml")
    with pytest.raises(ValueError, match="another strategy"):
        prepare(other, obs, plan(strategy))


def test_repr_names_the_strategy(kmpt: tuple) -> None:
    strategy, _ = kmpt
    assert repr(Evaluator(strategy)) == (
        f"Evaluator({strategy.title!r}, {len(list(strategy.outcomes()))} outcomes)"
    )
