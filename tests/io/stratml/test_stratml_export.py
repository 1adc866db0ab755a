"""StratML export: the KMPT examples validate against the standard's schemas and come back
exactly; so does any strategy Hypothesis can build."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from stratml_helpers import schema_errors

import strategies as sks
import stratkit
from stratkit.errors import InvalidStrategyError, SaveError
from stratkit.io import from_stratml, to_stratml
from stratkit.io.stratml import read_stratml, stratml_text
from stratkit.io.stratml._mapping import EXTENSION_PREFIX
from stratkit.model import Strategy

EXAMPLES = ("kmpt_2023_26", "kmpt_2020_23")
AS_OF = dt.date(2025, 3, 31)


def _local(doc: Any, name: str) -> list[Any]:
    return list(doc.xpath(f"//*[local-name()='{name}']"))


@pytest.mark.parametrize("part", [1, 2])
@pytest.mark.parametrize("name", EXAMPLES)
def test_kmpt_exports_validate_and_come_back_field_for_field(
    name: str, part: int, schemas: dict[int, Any], tmp_path: Path
) -> None:
    strategy = stratkit.examples.load(name)
    path = to_stratml(strategy, tmp_path / f"{name}.xml", part=part)
    assert schema_errors(schemas[part], path.read_bytes()) == []
    back = from_stratml(path)
    assert stratkit.dumps(back) == stratkit.dumps(strategy)  # a readable diff if not
    assert back == strategy


def test_kmpt_performance_report_validates_and_carries_results(schemas: dict[int, Any]) -> None:
    strategy = stratkit.examples.load("kmpt_2023_26")
    observations = stratkit.examples.load_observations("kmpt_2023_26")
    ev = stratkit.evaluate(strategy, observations, as_of=AS_OF)
    text = stratml_text(strategy, part=2, evaluation=ev)
    assert schema_errors(schemas[2], text) == []
    doc = etree.fromstring(text.encode())
    assert doc.get("Type") == "Performance_Report"
    by_id = {
        pi.xpath("string(*[local-name()='SequenceIndicator'])"): pi
        for pi in _local(doc, "PerformanceIndicator")
    }
    assert list(by_id) == [o.id for o in strategy.outcomes()]
    for result in ev:
        pi = by_id[result.outcome_id]
        actual = pi.xpath(".//*[local-name()='ActualResult']")
        series = result.series
        n_points = 0 if series is None else len(series)
        # one actual result per observed period, then the status and its reason
        assert len(actual) == n_points + 1
        if series is not None:
            numbers = [
                float(a.xpath("string(*[local-name()='NumberOfUnits'])")) for a in actual[:-1]
            ]
            assert numbers == pytest.approx(series.values.tolist())
            ends = [a.xpath("string(*[local-name()='EndDate'])") for a in actual[:-1]]
            assert ends == [str(d) for d in series.end.tolist()]
        last = actual[-1]
        assert last.xpath("string(.//*[local-name()='DescriptorValue'])") == result.status.label
        description = last.xpath("string(*[local-name()='Description'])")
        assert result.reason in description
        assert result.code in description
    # the observations are invented: the report says so
    assert "ILLUSTRATIVE" in doc.xpath("string(*[local-name()='OtherInformation'])")
    assert read_stratml(text.encode()) == strategy


def test_target_results_carry_interim_and_final_values(schemas: dict[int, Any]) -> None:
    strategy = stratkit.examples.load("kmpt_2023_26")
    doc = etree.fromstring(stratml_text(strategy, part=2).encode())
    for outcome in strategy.outcomes():
        t = outcome.target
        pi = next(
            p
            for p in _local(doc, "PerformanceIndicator")
            if p.xpath("string(*[local-name()='SequenceIndicator'])") == outcome.id
        )
        targets = pi.xpath(".//*[local-name()='TargetResult']")
        if t is None:
            assert targets == []
            continue
        if t.kind.value == "milestone":
            assert len(targets) == len(t.interim) + len(t.milestones)
            continue
        assert len(targets) == len(t.interim) + 1
        for element, interim in zip(targets, t.interim, strict=False):
            assert element.xpath("string(*[local-name()='EndDate'])") == interim.date.isoformat()
            number = float(element.xpath("string(*[local-name()='NumberOfUnits'])"))
            assert outcome.measure is not None
            assert number == pytest.approx(interim.value.to(outcome.measure.unit).magnitude)
        final = targets[-1]
        assert t.describe() in final.xpath("string(*[local-name()='Description'])")
        level = t.target_level()
        written = final.xpath("string(*[local-name()='NumberOfUnits'])")
        if level is None:
            assert written == ""
        else:
            assert outcome.measure is not None
            assert float(written) == pytest.approx(level.to(outcome.measure.unit).magnitude)


def test_the_file_says_stratkit_wrote_it_and_maps_the_model_natively() -> None:
    strategy = stratkit.examples.load("kmpt_2023_26")
    doc = etree.fromstring(stratml_text(strategy, part=2).encode())
    other = doc.xpath("string(*[local-name()='OtherInformation'])")
    assert other.startswith(f"Generated by stratkit {stratkit.__version__}")
    goals = _local(doc, "Goal")
    assert [g.xpath("string(*[local-name()='Name'])") for g in goals] == [
        a.title for a in strategy.ambitions
    ]
    objectives = _local(doc, "Objective")
    assert [o.xpath("string(*[local-name()='SequenceIndicator'])") for o in objectives] == [
        o.id for o in strategy.objectives()
    ]
    indicators = _local(doc, "PerformanceIndicator")
    assert {p.get("ValueChainStage") for p in indicators} == {"Outcome"}
    kinds = [p.get("PerformanceIndicatorType") for p in indicators]
    assert kinds == [
        "Quantitative" if o.measure is not None else "Qualitative" for o in strategy.outcomes()
    ]
    assert doc.xpath("string(//*[local-name()='Mission']/*[local-name()='Description'])") == (
        strategy.mission
    )
    values = [v.xpath("string(*[local-name()='Name'])") for v in _local(doc, "Value")]
    assert values == list(strategy.values)
    # every owner is a stakeholder of the objective that holds the outcomes it owns
    for objective in strategy.objectives():
        element = next(
            o
            for o in objectives
            if o.xpath("string(*[local-name()='SequenceIndicator'])") == objective.id
        )
        names = element.xpath("*[local-name()='Stakeholder']/*[local-name()='Name']/text()")
        assert names == list(dict.fromkeys(o.owner for o in objective.outcomes if o.owner))


def test_stratml_edits_win_over_the_extension() -> None:
    strategy = stratkit.examples.load("kmpt_2020_23")
    text = stratml_text(strategy, part=2)
    first = strategy.ambitions[0]
    edited = text.replace(f"<Name>{first.title}</Name>", "<Name>Renamed in another tool</Name>", 1)
    assert edited != text
    back = read_stratml(edited.encode())
    assert back.ambitions[0].title == "Renamed in another tool"
    assert back.ambitions[1:] == strategy.ambitions[1:]


def test_an_edited_objective_description_becomes_its_statements() -> None:
    strategy = stratkit.examples.load("kmpt_2023_26")
    objective = next(o for o in strategy.objectives() if len(o.looks_like) > 1)
    text = stratml_text(strategy, part=1)
    written = "\n".join(objective.looks_like)
    assert written in text
    edited = text.replace(written, "First, edited\nSecond, edited", 1)
    back = read_stratml(edited.encode())
    assert back.objective(objective.id).looks_like == ("First, edited", "Second, edited")
    assert read_stratml(text.encode()).objective(objective.id) == objective


def test_results_need_part_2_and_the_same_strategy() -> None:
    strategy = stratkit.examples.load("kmpt_2020_23")
    ev = stratkit.evaluate(strategy, as_of=AS_OF)
    with pytest.raises(ValueError, match="Part 2"):
        stratml_text(strategy, part=1, evaluation=ev)
    other = stratkit.examples.load("kmpt_2023_26")
    with pytest.raises(ValueError, match="another strategy"):
        stratml_text(other, part=2, evaluation=ev)
    with pytest.raises(ValueError, match="part must be 1"):
        stratml_text(strategy, part=3)


def test_a_strategy_without_goals_cannot_be_a_stratml_plan() -> None:
    import attrs

    empty = attrs.evolve(stratkit.examples.load("kmpt_2020_23"), ambitions=())
    with pytest.raises(InvalidStrategyError, match="at least one goal"):
        stratml_text(empty)


def test_unwritable_destination_is_a_save_error_and_leaves_nothing(tmp_path: Path) -> None:
    strategy = stratkit.examples.load("kmpt_2020_23")
    with pytest.raises(SaveError, match="cannot write StratML"):
        to_stratml(strategy, tmp_path / "missing" / "plan.xml")
    assert not (tmp_path / "missing").exists()


ROUND_TRIP = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@ROUND_TRIP
@given(sks.strategies(), st.sampled_from([1, 2]))
def test_any_strategy_round_trips_through_stratml(strategy: Strategy, part: int) -> None:
    text = stratml_text(strategy, part=part)
    assert read_stratml(text.encode("utf-8")) == strategy
    assert stratml_text(read_stratml(text.encode("utf-8")), part=part) == text


@ROUND_TRIP
@given(sks.strategies(), st.sampled_from([1, 2]))
def test_any_strategy_exports_what_the_schema_accepts(
    schemas: dict[int, Any], strategy: Strategy, part: int
) -> None:
    assert schema_errors(schemas[part], stratml_text(strategy, part=part)) == []


@ROUND_TRIP
@given(sks.strategies(), st.sampled_from([1, 2]))
def test_without_its_extension_a_plan_still_keeps_every_element(
    strategy: Strategy, part: int
) -> None:
    """Another tool may drop stratkit's data: every goal, objective and indicator stays."""
    text = stratml_text(strategy, part=part)
    stripped = re.sub(r"\n?stratkit-data: [^<]*", "", text)
    assert EXTENSION_PREFIX not in stripped
    back = read_stratml(stripped.encode("utf-8"))
    assert len(back.ambitions) == len(strategy.ambitions)
    assert len(list(back.objectives())) == len(list(strategy.objectives()))
    n_outcomes = len(list(back.outcomes()))
    assert n_outcomes == (len(list(strategy.outcomes())) if part == 2 else 0)
    for outcome in back.outcomes():
        assert outcome.target is None  # StratML alone has no direction: never guessed


def test_text_xml_cannot_hold_comes_back_exactly_from_the_extension() -> None:
    import attrs

    strategy = stratkit.examples.load("kmpt_2020_23")
    odd = "Line one\r\nline two\x01 with a control character"
    changed = attrs.evolve(strategy, title=odd)
    text = stratml_text(changed, part=1)
    assert "\x01" not in text
    assert EXTENSION_PREFIX in text
    assert read_stratml(text.encode()).title == odd
