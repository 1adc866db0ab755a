"""Units a trust declares: checked like built-in ones, and safe with many strategies.

The registry is one per process, so each test declares names of its own
(``complaint_t1``...) unless it is about two strategies sharing one name.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap

import pytest

import stratkit
from cli_runner import cli_runner
from stratkit.cli import main
from stratkit.errors import DimensionalityError, StrategyFileError, UnitError, UnknownUnitError
from stratkit.units import convert_magnitudes, declare_unit, format_quantity, parse_unit


def strategy_text(units: str, unit: str, target: str = "") -> str:
    return textwrap.dedent(
        f"""\
        stratkit_format: 1
        title: Example NHS Trust Strategy (illustrative)
        organisation: {{name: Example NHS Trust}}
        period: {{start: 2024-04-01, end: 2027-03-31}}
        units: {units}
        ambitions:
          - id: "1"
            title: Experience
            objectives:
              - id: "1.1"
                title: Listening
                outcomes:
                  - id: "1.1.1"
                    statement: Fewer complaints
                    measure: {{name: complaints received, unit: "{unit}"}}
                    {target}
        """
    )


def test_a_declared_unit_is_a_countable_unit_of_its_own_dimension() -> None:
    text = strategy_text(
        "[{name: complaint_t1, aliases: [grievance_t1], description: a formal complaint}]",
        "complaint_t1s",
        "target: {kind: level, direction: decrease, value: 40 grievance_t1}",
    )
    s = stratkit.loads(text)
    measure = s.outcome("1.1.1").measure
    assert measure is not None
    assert measure.unit_text == "complaint_t1"
    assert format_quantity(s.outcome("1.1.1").target.value) == "40 complaint_t1"  # type: ignore[union-attr]
    with pytest.raises(DimensionalityError):
        convert_magnitudes([1.0], parse_unit("complaint_t1"), parse_unit("patient"))
    assert stratkit.loads(stratkit.dumps(s)) == s  # idempotent: declared again, no conflict


def test_an_undeclared_unit_is_refused_with_its_line() -> None:
    text = strategy_text("[]", "attendance_t2")
    with pytest.raises(StrategyFileError) as info:
        stratkit.loads(text)
    (problem,) = info.value.problems
    assert problem.path.endswith("measure.unit")
    assert "unknown unit 'attendance_t2'" in problem.message
    assert problem.line == 1 + next(
        i for i, line in enumerate(text.splitlines()) if "measure:" in line
    )


def test_another_strategys_unit_is_not_visible_while_a_file_is_read() -> None:
    stratkit.loads(strategy_text("[{name: contact_t3}]", "contact_t3"))
    with pytest.raises(StrategyFileError) as info:
        stratkit.loads(strategy_text("[]", "contact_t3"))
    message = info.value.problems[0].message
    assert "declared by another strategy in this process, not by this one" in message
    # outside a file, the process knows it (for observations read afterwards)
    assert str(parse_unit("contact_t3s")) == "contact_t3"


def test_two_strategies_declaring_one_unit_share_it() -> None:
    a = stratkit.loads(strategy_text("[{name: attendance_t4}]", "attendance_t4"))
    b = stratkit.loads(strategy_text("[{name: attendance_t4, aliases: [visit_t4]}]", "visit_t4"))
    assert a.outcome("1.1.1").unit == b.outcome("1.1.1").unit


def test_a_second_meaning_for_a_declared_name_is_refused_and_nothing_changes() -> None:
    stratkit.loads(strategy_text("[{name: call_t5}]", "call_t5"))
    with pytest.raises(StrategyFileError) as info:
        stratkit.loads(strategy_text("[{name: call_t5, same_as: patient}]", "patient"))
    problem = info.value.problems[0]
    assert problem.path == "units[0]"
    assert "it already means 'call_t5'" in problem.message
    assert "declared by another strategy" in problem.message
    assert parse_unit("call_t5").dimensionality != parse_unit("patient").dimensionality


def test_a_built_in_name_cannot_be_declared() -> None:
    with pytest.raises(UnitError, match="already a built-in unit"):
        declare_unit("patient")
    with pytest.raises(UnitError, match="already means 'patient'"):
        declare_unit("case_t6", aliases=["patients"])
    with pytest.raises(UnitError, match="letters, digits and _"):
        declare_unit("two words")


def test_an_alias_of_a_built_in_unit() -> None:
    s = stratkit.loads(strategy_text("[{name: bed_night_t7, same_as: bed_day}]", "bed_night_t7"))
    measure = s.outcome("1.1.1").measure
    assert measure is not None
    assert measure.unit_text == "bed_day"


def test_unit_suggestions_stay_within_one_dimension() -> None:
    with pytest.raises(UnknownUnitError) as info:
        parse_unit("precent")
    assert info.value.suggestions == ("percent",)
    with pytest.raises(UnknownUnitError) as info:
        parse_unit("incidnet")
    assert info.value.suggestions == ("incident",)


def test_a_pickled_strategy_brings_its_units_to_a_fresh_process() -> None:
    s = stratkit.loads(strategy_text("[{name: referral_call_t8}]", "referral_call_t8"))
    code = (
        "import pickle, sys; s = pickle.loads(sys.stdin.buffer.read()); "
        "print(s.outcome('1.1.1').measure.unit_text)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps(s), capture_output=True, check=True
    )
    assert done.stdout.decode().strip() == "referral_call_t8"


def test_stratkit_units_lists_built_in_and_declared_units(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "strategy.yaml").write_text(
        strategy_text("[{name: complaint_t9, aliases: [concern_t9]}]", "complaint_t9"),
        encoding="utf-8",
    )
    runner = cli_runner()
    result = runner.invoke(main, ["units", str(tmp_path)])
    assert result.exit_code == 0, result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("complaint_t9"))
    assert "declared" in line
    assert "concern_t9" in line
    assert "[complaint_t9]" in line
    assert any(x.startswith("percent ") for x in result.stdout.splitlines())
    as_json = json.loads(runner.invoke(main, ["units", "--format", "json"]).stdout)
    assert {"name": "patient", "symbol": None, "also": ["patients"]}.items() <= next(
        u for u in as_json if u["name"] == "patient"
    ).items()
    assert not any(u["name"] == "complaint_t9" for u in as_json)  # not asked for this strategy


def test_a_strategy_built_in_python_must_declare_the_units_it_uses() -> None:
    from stratkit.errors import InvalidStrategyError
    from stratkit.model import (
        Ambition,
        Measure,
        Objective,
        Organisation,
        Outcome,
        Period,
        Strategy,
        UnitDeclaration,
    )

    declaration = UnitDeclaration(name="contact_t10")
    declaration.declare()
    outcome = Outcome(
        id="1.1.1", statement="More contacts", measure=Measure(name="c", unit="contact_t10")
    )
    parts = {
        "title": "Example NHS Trust Strategy (illustrative)",
        "organisation": Organisation(name="Example NHS Trust"),
        "period": Period(start="2024-04-01", end="2027-03-31"),
        "ambitions": [
            Ambition(
                id="1", title="A", objectives=[Objective(id="1.1", title="O", outcomes=[outcome])]
            )
        ],
    }
    assert Strategy(**parts, units=[declaration]).outcome("1.1.1").unit == parse_unit(
        "contact_t10"
    )
    with pytest.raises(
        InvalidStrategyError, match="'contact_t10' is not declared in this strategy"
    ):
        Strategy(**parts)
    with pytest.raises(InvalidStrategyError, match="it already means 'contact_t10'"):
        Strategy(**parts, units=[UnitDeclaration(name="contact_t10", same_as="patient")])
