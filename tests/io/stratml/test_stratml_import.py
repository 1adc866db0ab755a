"""StratML import: real plans written by others come in whole, without guessing."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from stratml_helpers import SAMPLES, schema_errors

import stratkit
from stratkit.errors import StrategyFileError
from stratkit.evaluation import measurability
from stratkit.io import from_stratml
from stratkit.io.stratml import read_stratml, stratml_text


def _count(doc: Any, name: str) -> int:
    return int(doc.xpath(f"count(//*[local-name()='{name}'])"))


def _notes(strategy: stratkit.Strategy, prefix: str) -> list[str]:
    return [n for o in strategy.outcomes() for n in o.notes if n.startswith(prefix)]


@pytest.mark.parametrize("name", SAMPLES)
def test_real_plans_import_with_every_goal_objective_indicator_and_result(
    name: str, shared: Path
) -> None:
    path = shared / "samples" / name
    # counted independently of stratkit, with lxml
    doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    strategy = from_stratml(path)
    assert len(strategy.ambitions) == _count(doc, "Goal") > 0
    assert len(list(strategy.objectives())) == _count(doc, "Objective") > 0
    assert len(list(strategy.outcomes())) == _count(doc, "PerformanceIndicator")
    assert len(_notes(strategy, "StratML target result: ")) == _count(doc, "TargetResult")
    assert len(_notes(strategy, "StratML actual result: ")) == _count(doc, "ActualResult")
    # names and descriptions kept word for word
    goal_names = [
        t.strip() for t in doc.xpath("//*[local-name()='Goal']/*[local-name()='Name']/text()")
    ]
    assert [a.title for a in strategy.ambitions] == goal_names
    root_name = doc.xpath("string(/*/*[local-name()='Name'])").strip()
    assert strategy.title == root_name


@pytest.mark.parametrize("name", SAMPLES)
def test_real_plans_export_again_as_valid_stratml(
    name: str, shared: Path, schemas: dict[int, Any]
) -> None:
    strategy = from_stratml(shared / "samples" / name)
    for part in (1, 2):
        text = stratml_text(strategy, part=part)
        assert schema_errors(schemas[part], text) == []
        assert read_stratml(text.encode()) == strategy


def test_the_part_1_sample_validates_as_it_is(shared: Path, schemas: dict[int, Any]) -> None:
    assert schema_errors(schemas[1], (shared / "samples" / "PMOAI.xml").read_bytes()) == []


def test_numbers_and_free_text_units_are_kept_not_guessed(shared: Path) -> None:
    doc = etree.parse(str(shared / "samples" / "SMLC2011.xml"))
    strategy = from_stratml(shared / "samples" / "SMLC2011.xml")
    for pi, outcome in zip(
        doc.xpath("//*[local-name()='PerformanceIndicator']"), strategy.outcomes(), strict=True
    ):
        unit = pi.xpath("string(*[local-name()='UnitOfMeasurement'])").strip()
        # no StratML plan has a direction of improvement: never a target, so never judged
        assert outcome.target is None
        if unit:
            assert any(unit in n for n in outcome.notes)
        for number in pi.xpath(".//*[local-name()='NumberOfUnits']/text()"):
            if number.strip():
                assert any(number.strip() in n for n in outcome.notes)
    # lint reports what is missing to measure each one
    report = measurability(strategy)
    for outcome in strategy.outcomes():
        assert {"measure", "unit", "target"} <= set(report[outcome.id].missing)


def test_a_unit_stratkit_knows_gives_a_measure_but_still_no_target() -> None:
    xml = _part2(
        indicator="<MeasurementDimension>Vacancy rate</MeasurementDimension>"
        "<UnitOfMeasurement>%</UnitOfMeasurement>"
    )
    outcome = next(read_stratml(xml.encode()).outcomes())
    assert outcome.measure is not None
    assert outcome.measure.name == "Vacancy rate"
    assert outcome.measure.unit_text == "%"
    assert outcome.target is None


def _part2(indicator: str, prefix: str = "", ns: str | None = None) -> str:
    ns = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport" if ns is None else ns
    p = f"{prefix}:" if prefix else ""
    decl = f' xmlns{":" + prefix if prefix else ""}="{ns}"' if ns else ""
    body = (
        f"<Name>Plan</Name><StrategicPlanCore><Organization><Name>Example NHS Trust</Name>"
        f"</Organization><Goal><Name>Goal</Name><Description/><Objective><Name>Objective</Name>"
        f"<PerformanceIndicator>{indicator}</PerformanceIndicator></Objective></Goal>"
        f"</StrategicPlanCore><AdministrativeInformation><StartDate>2024-04-01</StartDate>"
        f"<EndDate>2027-03-31</EndDate></AdministrativeInformation>"
    )
    if p:
        body = re.sub(r"<(/?)([A-Za-z]+)", rf"<\1{p}\2", body)
    root = f"{p}PerformancePlanOrReport"
    return f'<{root}{decl} Type="Performance_Plan">{body}</{root}>'


@pytest.mark.parametrize(
    ("prefix", "ns"),
    [("", None), ("stratml", None), ("sml", None), ("", "")],
    ids=["default namespace", "stratml: prefix", "other prefix", "no namespace"],
)
def test_namespace_prefixes_do_not_matter(prefix: str, ns: str | None) -> None:
    xml = _part2(
        "<MeasurementDimension>Beds</MeasurementDimension><UnitOfMeasurement>bed"
        "</UnitOfMeasurement>",
        prefix,
        ns,
    )
    strategy = read_stratml(xml.encode())
    assert strategy.organisation.name == "Example NHS Trust"
    assert [o.statement for o in strategy.outcomes()] == ["Beds"]
    assert str(strategy.period.start) == "2024-04-01"


def test_a_stratkit_file_read_with_a_prefix_comes_back_exactly() -> None:
    strategy = stratkit.examples.load("kmpt_2020_23")
    text = stratml_text(strategy, part=2)
    ns = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
    prefixed = re.sub(r"<(/?)([A-Za-z]+)([ >/])", r"<\1stratml:\2\3", text.split("\n", 1)[1])
    prefixed = prefixed.replace(f'xmlns="{ns}"', f'xmlns:stratml="{ns}"')
    assert "<stratml:Goal>" in prefixed
    assert read_stratml(prefixed.encode()) == strategy


def test_ids_are_unique_even_when_the_plan_repeats_them() -> None:
    xml = _part2(
        "<SequenceIndicator>1</SequenceIndicator>"
        "<MeasurementDimension>A</MeasurementDimension><UnitOfMeasurement/>"
    )
    xml = xml.replace(
        "</Objective>",
        "<PerformanceIndicator><SequenceIndicator>1"
        "</SequenceIndicator><MeasurementDimension>B</MeasurementDimension>"
        "<UnitOfMeasurement/></PerformanceIndicator></Objective>",
    )
    ids = [o.id for o in read_stratml(xml.encode()).outcomes()]
    assert len(ids) == len(set(ids)) == 2
    assert ids[0] == "1"


def test_a_file_that_is_not_stratml_is_refused_with_its_name() -> None:
    with pytest.raises(StrategyFileError, match="not a StratML document") as info:
        read_stratml(b"<html><body/></html>", "page.xml")
    assert info.value.file == "page.xml"


def test_a_broken_stratkit_extension_is_reported_where_it_is() -> None:
    strategy = stratkit.examples.load("kmpt_2020_23")
    text = stratml_text(strategy, part=2).replace(
        'stratkit-data: {"format":1,"fields"', "stratkit-data: {oops", 2
    )
    with pytest.raises(StrategyFileError, match="not valid JSON") as info:
        read_stratml(text.encode(), "edited.xml")
    assert all(p.line is not None for p in info.value.problems)


def test_a_plan_with_no_dates_says_so() -> None:
    xml = _part2("<MeasurementDimension>A</MeasurementDimension><UnitOfMeasurement/>")
    xml = re.sub(r"<AdministrativeInformation>.*</AdministrativeInformation>", "", xml)
    with pytest.raises(StrategyFileError, match="gives no dates"):
        read_stratml(xml.encode())


def test_a_missing_file_is_a_strategy_file_error(tmp_path: Path) -> None:
    with pytest.raises(StrategyFileError, match="cannot read file"):
        from_stratml(tmp_path / "nowhere.xml")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
_KEYS = st.sampled_from(
    ["organisation", "notes", "measure", "target", "objectives", "outcomes", "looks_like",
     "kind", "period", "sources", "governance", "id", "statement", "ambitions", "title", "x"]
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 200), _KEYS, _JSON), min_size=1, max_size=4))
def test_tampered_stratkit_data_is_a_file_error_never_a_crash(
    edits: list[tuple[int, str, Any]],
) -> None:
    text = stratml_text(stratkit.examples.load("kmpt_2020_23"), part=2)
    pattern = re.compile(r"stratkit-data: (\{[^<]*\})")
    lines = pattern.findall(text)
    for index, key, value in edits:
        found = lines[index % len(lines)]
        payload = json.loads(html.unescape(found))
        payload["fields"][key] = value
        tampered = html.escape(json.dumps(payload), quote=False)
        text = text.replace(found, tampered, 1)
        lines = pattern.findall(text)
    failure: StrategyFileError | None = None
    try:
        read_stratml(text.encode("utf-8"), "tampered.xml")
    except StrategyFileError as exc:  # any other exception fails the test
        failure = exc
    assert failure is None or failure.file == "tampered.xml"


def test_a_stratkit_report_gives_back_its_observations_and_the_same_verdicts(
    tmp_path: Path,
) -> None:
    import datetime as dt

    import numpy as np

    from stratkit.io import stratml_observations, to_stratml

    strategy = stratkit.examples.load("kmpt_2023_26")
    observations = stratkit.examples.load_observations("kmpt_2023_26")
    as_of = dt.date(2025, 3, 31)
    ev = stratkit.evaluate(strategy, observations, as_of=as_of)
    path = to_stratml(strategy, tmp_path / "report.xml", part=2, evaluation=ev)
    back, observed = stratml_observations(path)
    assert back == strategy
    assert observed.illustrative is ev.illustrative is True
    # every value the evaluation used, in the measure's unit, to 15 significant digits
    used = sum(len(r.series) for r in ev if r.series is not None)
    assert len(observed.value) == used
    for result in ev:
        if result.series is None:
            continue
        mine = observed.series(result.outcome_id)
        assert np.array_equal(mine.end, result.series.end)
        np.testing.assert_allclose(mine.values, result.series.values, rtol=1e-14)
    again = stratkit.evaluate(back, observed, as_of=as_of)
    assert [(r.status, r.reason) for r in again] == [(r.status, r.reason) for r in ev]


def test_other_plans_give_observations_only_in_units_stratkit_knows(shared: Path) -> None:
    from stratkit.io import stratml_observations

    _, observed = stratml_observations(shared / "samples" / "SMLC2011.xml")
    assert len(observed.value) == 0  # "Number" is free text: the values stay in the notes
    xml = _part2(
        "<MeasurementDimension>Vacancy rate</MeasurementDimension>"
        "<UnitOfMeasurement>%</UnitOfMeasurement><MeasurementInstance>"
        "<ActualResult><EndDate>2025-03-31</EndDate><NumberOfUnits>14.5</NumberOfUnits>"
        "<Description>March</Description></ActualResult>"
        "<ActualResult><NumberOfUnits>13</NumberOfUnits></ActualResult>"
        "</MeasurementInstance>"
    )
    from stratkit.io.stratml import read_stratml_observations

    strategy, observed = read_stratml_observations(xml.encode(), "plan.xml")
    outcome = next(strategy.outcomes())
    assert observed.outcome_ids() == (outcome.id,)
    assert observed.value.tolist() == [14.5]
    assert observed.note.tolist() == ["March"]
    assert observed.illustrative is False
    # the undated value is not an observation, but is kept
    assert any("13 %" in n for n in outcome.notes)
