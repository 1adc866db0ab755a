"""Round trips: model -> YAML/JSON -> model gives an equal model, and the same text."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies as sks
import stratkit
from stratkit.model import Outcome, Strategy, TargetKind

ROUND_TRIP = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _strategy_with(outcome: Outcome) -> Strategy:
    from stratkit.model import Ambition, Objective, Organisation, Period

    return Strategy(
        title="T",
        organisation=Organisation(name="Org"),
        period=Period(start="2015-01-01", end="2017-12-31"),
        ambitions=[
            Ambition(
                id="1", title="A", objectives=[Objective(id="1.1", title="O", outcomes=[outcome])]
            )
        ],
    )


@ROUND_TRIP
@given(sks.strategies(), st.sampled_from(["yaml", "json"]))
def test_strategy_round_trips_through_text(strategy: Strategy, fmt: str) -> None:
    text = stratkit.dumps(strategy, format=fmt)
    again = stratkit.loads(text)
    assert again == strategy
    assert stratkit.dumps(again, format=fmt) == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sks.outcomes("1.1.1", min_deadline=sks.DATE_MIN))
def test_every_outcome_round_trips(outcome: Outcome) -> None:
    strategy = _strategy_with(outcome)
    for fmt in ("yaml", "json"):
        text = stratkit.dumps(strategy, format=fmt)
        assert stratkit.loads(text).outcome("1.1.1") == outcome


@pytest.mark.parametrize("kind", list(TargetKind), ids=str)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_target_kind_round_trips(kind: TargetKind, data: st.DataObject) -> None:
    unit = data.draw(sks.units_st)
    target = data.draw(sks.targets(unit, kind=kind, min_deadline=sks.DATE_MIN))
    measure = data.draw(sks.measures(unit))
    outcome = Outcome(id="1.1.1", statement="s", measure=measure, target=target)
    text = stratkit.dumps(_strategy_with(outcome))
    assert stratkit.loads(text).outcome("1.1.1").target == target


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sks.strategies(max_ambitions=2))
def test_json_text_is_json_and_yaml_text_is_safe_yaml(strategy: Strategy) -> None:
    as_json = json.loads(stratkit.dumps(strategy, format="json"))
    as_yaml = yaml.safe_load(stratkit.dumps(strategy, format="yaml"))
    # the two formats hold the same data; only dates differ in type (YAML has dates)
    assert json.loads(json.dumps(as_yaml, default=str)) == as_json
    assert as_json["stratkit_format"] == stratkit.io.FORMAT_VERSION


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sks.strategies(max_ambitions=2))
def test_save_then_load_through_real_files(tmp_path: Path, strategy: Strategy) -> None:
    for name in ("strategy.yaml", "strategy.json"):
        path = stratkit.save(strategy, tmp_path / name)
        assert path == tmp_path / name
        assert stratkit.load(path) == strategy
        first = path.read_bytes()
        stratkit.save(stratkit.load(path), path)
        assert path.read_bytes() == first  # re-saving gives the same bytes
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_save_into_a_folder_writes_strategy_yaml_and_load_finds_it(tmp_path: Path) -> None:
    strategy = _strategy_with(Outcome(id="1.1.1", statement="s"))
    written = stratkit.save(strategy, tmp_path)
    assert written == tmp_path / "strategy.yaml"
    assert stratkit.load(tmp_path) == strategy
    assert written.read_text(encoding="utf-8").startswith("# A stratkit strategy file")


def test_dumps_refuses_an_unknown_format() -> None:
    strategy = _strategy_with(Outcome(id="1.1.1", statement="s"))
    with pytest.raises(ValueError, match="format must be 'yaml' or 'json'"):
        stratkit.dumps(strategy, format="toml")


@pytest.mark.parametrize(
    "text",
    [
        "x\x85y",
        "x\u2028y",
        "x\u2029y",
        "x\x7fy",
        "x\x90y",
        "x\x00y",
        "x\ry",
        "x\r\ny",
        "a\tb",
        "\ufeffx",
        "trailing space ",
        " leading",
        "a\n",
        "a\n\nb\n\n",
        "- dash",
        "# hash",
        "a: b",
        "'single'",
        '"double"',
        "null",
        "~",
        "yes",
        "no",
        "on",
        "0x1F",
        "1_000",
        ".inf",
        "12:30",
        "2023-04-01",
        "\U0001f600 emoji",
        "é",
        "ü" * 100,
    ],
    ids=repr,
)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_awkward_text_survives_a_round_trip(text: str, fmt: str) -> None:
    strategy = attrs.evolve(_strategy_with(Outcome(id="1.1.1", statement="s")), mission=text)
    dumped = stratkit.dumps(strategy, format=fmt)
    again = stratkit.loads(dumped)
    assert again.mission == text
    assert stratkit.dumps(again, format=fmt) == dumped


@pytest.mark.parametrize(
    "magnitude",
    # the largest magnitude accepted is 1e15 (units.MAX_MAGNITUDE; beyond it is refused)
    ["123456789012345", "1e+15", "-0.1", "0.30000000000000004", "5e-324", "1e-05"],
)
def test_extreme_numbers_survive_a_round_trip(magnitude: str) -> None:
    from stratkit.model import Measure, Target

    outcome = Outcome(
        id="1.1.1",
        statement="s",
        measure=Measure(name="m", unit="GBP"),
        target=Target.level(f"{magnitude} GBP", direction="towards"),
    )
    strategy = _strategy_with(outcome)
    for fmt in ("yaml", "json"):
        again = stratkit.loads(stratkit.dumps(strategy, format=fmt))
        assert again == strategy
        assert again.outcome("1.1.1").target.value.magnitude == (  # type: ignore[union-attr]
            outcome.target.value.magnitude
        )  # type: ignore[union-attr]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sks.strategies(max_ambitions=2))
def test_a_strategy_survives_pickling(strategy: Strategy) -> None:
    """A strategy is sent to worker processes (multiprocessing, Dask, Spark)."""
    import pickle

    from stratkit.units import registry

    again = pickle.loads(pickle.dumps(strategy))
    assert again == strategy
    assert stratkit.dumps(again) == stratkit.dumps(strategy)
    for outcome in again.outcomes():
        if outcome.measure is not None:
            assert outcome.measure.unit._REGISTRY is registry()


def test_a_pickled_strategy_loads_in_a_fresh_process(tmp_path: Path) -> None:
    import pickle
    import subprocess
    import sys

    from stratkit.model import Measure, Target

    outcome = Outcome(
        id="1.1.1",
        statement="s",
        measure=Measure(name="m", unit="score"),
        target=Target.level("6.9 score", direction="increase"),
    )
    strategy = _strategy_with(outcome)
    (tmp_path / "s.pickle").write_bytes(pickle.dumps(strategy))
    code = (
        "import pickle, sys, stratkit; s = pickle.load(open(sys.argv[1], 'rb')); "
        "t = s.outcome('1.1.1').target; print(t.value.to('score').magnitude); "
        "sys.stdout.write(stratkit.dumps(s))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "s.pickle")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    first, _, text = out.partition("\n")
    assert first == "6.9"
    assert text == stratkit.dumps(strategy)
