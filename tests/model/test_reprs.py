"""Every model and result object has a short, one-line ``repr`` (issue 11 item 9).

``repr(strategy)`` used to print the whole tree (114,679 characters for the
KMPT example); a notebook echoing an object should show a line, not a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings

import stratkit
from strategies import observations, series, strategies
from stratkit.model import Observations, Series, Strategy

LIMIT = 200


def _objects(value: Any) -> Iterator[Any]:
    """``value`` and every attrs object inside it, depth first."""
    if attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            if field.name.startswith("_"):
                continue
            yield from _objects(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _objects(item)


def _check(value: Any) -> str:
    text = repr(value)
    assert len(text) <= LIMIT, f"{type(value).__name__}: {len(text)} characters: {text}"
    assert "\n" not in text, text
    assert text.startswith(f"<{type(value).__name__}"), text
    assert text.endswith(">"), text
    return text


def test_every_object_of_the_kmpt_strategy_has_a_short_repr() -> None:
    strategy = stratkit.examples.load("kmpt_2023_26")
    kinds = set()
    for obj in _objects(strategy):
        _check(obj)
        kinds.add(type(obj).__name__)
    # the walk reached every kind the example uses
    assert {"Strategy", "Ambition", "Objective", "Outcome", "Measure", "Target"} <= kinds


def test_the_strategy_repr_says_what_it_holds() -> None:
    strategy = stratkit.examples.load("kmpt_2023_26")
    text = _check(strategy)
    n_outcomes = len(list(strategy.outcomes()))
    assert f"{n_outcomes} outcomes" in text
    assert strategy.organisation.code is not None
    assert strategy.organisation.code in text
    assert strategy.period.start.isoformat() in text


def test_outcome_repr_names_its_id_and_target() -> None:
    outcome = stratkit.examples.load("kmpt_2023_26").outcome("2.2.1")
    text = _check(outcome)
    assert "2.2.1" in text
    assert outcome.target is not None
    assert outcome.target.describe()[:30] in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies())
def test_any_strategy_has_short_reprs_all_the_way_down(strategy: Strategy) -> None:
    for obj in _objects(strategy):
        _check(obj)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(observations(), series())
def test_observations_and_series_have_short_reprs(obs: Observations, one: Series) -> None:
    assert f"{len(obs)} row" in _check(obs)
    assert f"{len(one)} value" in _check(one)


def test_evaluation_objects_have_short_reprs() -> None:
    strategy = stratkit.examples.load("kmpt_2023_26")
    ev = stratkit.evaluate(strategy, stratkit.examples.load_observations("kmpt_2023_26"))
    assert "72 outcomes" in _check(ev)
    assert "illustrative" in repr(ev)
    _check(ev.overall)
    _check(ev.measurability)
    for rollup in ev.ambitions() + ev.objectives():
        _check(rollup)
    charts = 0
    for result in ev:
        text = _check(result)
        assert result.outcome_id in text
        assert result.status.value in text
        for part in (result.forecast, result.trajectory, result.spc):
            if part is not None:
                _check(part)
        if result.spc is not None:
            charts += 1
            assert result.spc.variation_icon in repr(result.spc)
    assert charts > 0


def test_spc_results_and_tables_have_short_reprs() -> None:
    n = 30
    ids = ["a"] * (n // 2) + ["b"] * (n // 2)
    values = [float(i % 7) for i in range(n)]
    table = stratkit.spc_many(
        ids, [f"{2020 + i // 12}-{i % 12 + 1:02d}-01" for i in range(n)], values
    )
    assert _check(table) == f"<SPCTable 2 series, {n} points>"
    for chart in table:
        text = _check(chart)
        assert chart.variation_icon in text
        assert f"{chart.n_points} points" in text
    single = stratkit.spc(
        values[:20],
        [f"2023-{m + 1:02d}-01" for m in range(12)] + [f"2024-{m + 1:02d}-01" for m in range(8)],
    )
    assert "mean" in _check(single)
