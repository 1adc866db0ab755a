"""Every validation rule of measures, outcomes, objectives, ambitions and strategies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from stratkit.errors import InvalidStrategyError, Problem
from stratkit.model import (
    Ambiguity,
    Ambition,
    AmbitionKind,
    Baseline,
    Forum,
    Governance,
    Measure,
    Objective,
    Organisation,
    Outcome,
    Period,
    SourceDocument,
    SourceRef,
    Strategy,
    Target,
)


def problems(make: Callable[[], Any]) -> list[Problem]:
    with pytest.raises(InvalidStrategyError) as info:
        make()
    return list(info.value.problems)


def only(make: Callable[[], Any]) -> Problem:
    found = problems(make)
    assert len(found) == 1, found
    return found[0]


PCT = Measure(name="vacancy rate", unit="%")
LEVEL = Target.level("14 %", direction="decrease", deadline="2026-03-31")


def strategy(*ambitions: Ambition, **kw: Any) -> Strategy:
    return Strategy(
        title="T",
        organisation=Organisation(name="Org"),
        period=Period(start="2023-04-01", end="2026-03-31"),
        ambitions=ambitions,
        **kw,
    )


def amb(aid: str, *objectives: Objective) -> Ambition:
    return Ambition(id=aid, title="A", objectives=objectives)


def obj(oid: str, *outcomes: Outcome) -> Objective:
    return Objective(id=oid, title="O", outcomes=outcomes)


def out(oid: str, **kw: Any) -> Outcome:
    return Outcome(id=oid, statement="s", **kw)


# --- text, type, enum and date validators ------------------------------------------


def test_required_text_must_not_be_empty() -> None:
    p = only(lambda: Outcome(id="1", statement="   "))
    assert (p.path, p.message) == ("statement", "must not be empty")


def test_required_text_must_be_text() -> None:
    p = only(lambda: Organisation(name=42))
    assert (p.path, p.message, p.found) == ("name", "must be text", "int")


def test_instance_of_names_the_field() -> None:
    p = only(lambda: out("1", measure="vacancy rate"))
    assert (p.path, p.message, p.found) == ("measure", "must be Measure", "str")


def test_tuple_of_names_the_item() -> None:
    p = only(lambda: Objective(id="1", title="O", looks_like=["fine", 3]))
    assert (p.path, p.message, p.found) == ("looks_like[1]", "must be str", "int")


def test_unknown_enum_value_lists_the_allowed_ones() -> None:
    p = only(lambda: Ambition(id="1", title="A", kind="enabeler"))
    assert (p.path, p.message) == ("kind", "unknown AmbitionKind")
    assert p.expected == "one of 'ambition', 'enabler'"
    assert p.found == "'enabeler'"


def test_unknown_frequency() -> None:
    p = only(lambda: Forum(name="SDG", frequency="fortnightly"))
    assert (p.path, p.message) == ("frequency", "unknown Frequency")
    p = only(lambda: Governance(reporting_frequency="daily"))
    assert p.path == "reporting_frequency"


def test_period_dates_must_be_dates() -> None:
    p = only(lambda: Period(start="1 April 2023", end="2026-03-31"))
    assert (p.path, p.message, p.found) == ("start", "not a date", "'1 April 2023'")


def test_period_must_end_after_it_starts() -> None:
    p = only(lambda: Period(start="2026-03-31", end="2023-04-01"))
    assert (p.path, p.message) == ("end", "the period must end after it starts")
    assert p.found == "2026-03-31 to 2023-04-01"


def test_ambiguity_needs_its_words() -> None:
    p = only(lambda: Ambiguity(about="target.change", question="pp or %?", chosen=""))
    assert (p.path, p.message) == ("chosen", "must not be empty")


def test_source_ref_needs_a_document() -> None:
    p = only(lambda: SourceRef(document=" "))
    assert p.path == "document"


# --- measures -----------------------------------------------------------------------


def test_measure_unit_must_be_known() -> None:
    p = only(lambda: Measure(name="m", unit="precent"))
    assert p.path == "unit"
    assert p.message.startswith("unknown unit 'precent' (did you mean 'percent'")


def test_measure_unit_must_be_text() -> None:
    p = only(lambda: Measure(name="m", unit=95))
    assert (p.path, p.message, p.found) == ("unit", "must be a unit", "95")


def test_measure_threshold_is_a_quantity() -> None:
    p = only(lambda: Measure(name="m", unit="%", threshold="1 hourz"))
    assert p.path == "threshold"
    assert "unknown unit 'hourz'" in p.message


def test_measure_range_is_two_quantities_in_the_measure_dimension() -> None:
    m = Measure(name="m", unit="%", range=("0 %", "1 fraction"))
    assert m.range_in_unit() == (0.0, 100.0)
    assert Measure(name="m", unit="%").range_in_unit() == (float("-inf"), float("inf"))
    p = only(lambda: Measure(name="m", unit="%", range=("0 %", "10 score")))
    assert (p.path, p.message) == ("range[1]", "unit does not match the measure's unit")
    assert (p.expected, p.found) == ("a unit like '%'", "10 score")
    p = only(lambda: Measure(name="m", unit="%", range=("100 %", "0 %")))
    assert (p.path, p.message, p.found) == ("range", "low must be below high", "(100 %, 0 %)")
    p = only(lambda: Measure(name="m", unit="%", range=("0 %",)))
    assert (p.path, p.message) == ("range", "must be two values, low and high")
    p = only(lambda: Measure(name="m", unit="%", range=("0 %", "1 hourz")))
    assert p.path == "range"
    assert "unknown unit 'hourz'" in p.message


# --- outcomes -----------------------------------------------------------------------


@pytest.mark.parametrize("year", [0, -1, True, "2", 1.5])
def test_delivery_year_is_a_strategy_year(year: Any) -> None:
    p = only(lambda: out("1", delivery_year=year))
    assert (p.path, p.message, p.expected) == (
        "delivery_year",
        "must be a strategy year",
        "1, 2 or 3",
    )
    assert p.found == repr(year)


def test_target_unit_must_have_the_measure_dimension() -> None:
    p = only(lambda: out("1", measure=Measure(name="score", unit="score"), target=LEVEL))
    assert (p.path, p.message) == ("target.value", "unit does not match the measure's unit")
    assert p.expected == "a unit like 'score'"
    assert p.found == "%"


def test_the_first_mismatching_level_is_named() -> None:
    target = Target.level("6.9 score", direction="increase", baseline=Baseline(value="6.6 score"))
    p = only(lambda: out("1", measure=PCT, target=target))
    assert p.path == "target.value"


def test_a_percent_measure_accepts_other_ratios() -> None:
    o = out("1", measure=PCT, target=Target.level("0.14", direction="decrease"))
    assert o.target is not None


def test_point_change_of_a_percent_is_in_percentage_points() -> None:
    target = Target(kind="point_change", direction="increase", change="2 %")
    p = only(lambda: out("1", measure=PCT, target=target))
    assert (p.path, p.message) == (
        "target.change",
        "a change in a percentage is written in percentage points",
    )
    assert p.expected == "'pp', as in '+2 pp'"
    assert p.found == "2 %"


def test_point_change_in_pp_is_accepted_for_a_percent() -> None:
    target = Target.change_by_points("+2 pp")
    assert out("1", measure=PCT, target=target).target == target


def test_point_change_of_a_count_is_in_the_count_unit() -> None:
    target = Target(kind="point_change", direction="increase", change="2 hour")
    p = only(lambda: out("1", measure=Measure(name="n", unit="patient"), target=target))
    assert (p.path, p.message) == ("target.change", "unit does not match the measure")
    assert p.expected == "a unit like 'patient'"


def test_a_target_with_a_value_needs_a_measure() -> None:
    p = only(lambda: out("1", target=LEVEL))
    assert (p.path, p.message) == ("measure", "a level target needs a measure with a unit")


def test_milestone_and_direction_only_targets_need_no_measure() -> None:
    assert out("1", target=Target(kind="direction_only", direction="increase")).measure is None
    assert out("2", target=Target.with_milestones([{"name": "Ruby Ward"}])).measure is None


def test_outcome_problems_are_reported_together() -> None:
    found = problems(lambda: out("1", delivery_year=0, target=LEVEL))
    assert {p.path for p in found} == {"delivery_year", "measure"}


# --- objectives, ambitions, strategies: ids and references --------------------------


def test_duplicate_outcome_id_in_an_objective() -> None:
    p = only(lambda: obj("1.1", out("1.1.1"), out("1.1.2"), out("1.1.1")))
    assert (p.path, p.message) == ("outcomes[2].id", "duplicate outcome id '1.1.1'")
    assert p.hint == "first used at outcomes[0]"


def test_duplicate_objective_id_in_an_ambition() -> None:
    p = only(lambda: amb("1", obj("1.1"), obj("1.1")))
    assert (p.path, p.message) == ("objectives[1].id", "duplicate objective id '1.1'")


def test_duplicate_ambition_id() -> None:
    p = only(lambda: strategy(amb("1"), amb("2"), amb("1")))
    assert (p.path, p.message) == ("ambitions[2].id", "duplicate ambition id '1'")
    assert p.hint == "first used at ambitions[0]"


def test_duplicate_source_id() -> None:
    docs = [SourceDocument(id="s", title="a"), SourceDocument(id="s", title="b")]
    p = only(lambda: strategy(sources=docs))
    assert (p.path, p.message) == ("sources[1].id", "duplicate source id 's'")


def test_duplicate_outcome_id_across_objectives() -> None:
    p = only(lambda: strategy(amb("1", obj("1.1", out("x"))), amb("2", obj("2.1", out("x")))))
    assert (p.path, p.message) == ("ambitions[1].objectives[0].outcomes[0].id", "duplicate id 'x'")
    assert p.hint == "also ambitions[0].objectives[0].outcomes[0]"


def test_duplicate_objective_id_across_ambitions() -> None:
    p = only(lambda: strategy(amb("1", obj("1.1")), amb("2", obj("1.1"))))
    assert (p.path, p.message) == ("ambitions[1].objectives[0].id", "duplicate id '1.1'")


def test_outcome_id_may_not_repeat_an_objective_id() -> None:
    p = only(lambda: strategy(amb("1", obj("1.1", out("1.1")))))
    assert p.path == "ambitions[0].objectives[0].outcomes[0].id"


def test_outcome_source_must_name_a_source_document() -> None:
    docs = [SourceDocument(id="strategy", title="Our strategy")]
    o = out("1.1.1", source=SourceRef(document="stratgy"))
    p = only(lambda: strategy(amb("1", obj("1.1", o)), sources=docs))
    assert (p.path, p.message) == (
        "ambitions[0].objectives[0].outcomes[0].source.document",
        "unknown source 'stratgy'",
    )
    assert p.expected == "one of ['strategy']"


def test_delivery_year_beyond_the_period() -> None:
    o = out("1.1.1", delivery_year=4, measure=PCT, target=LEVEL)
    p = only(lambda: strategy(amb("1", obj("1.1", o))))
    assert (p.path, p.message) == (
        "ambitions[0].objectives[0].outcomes[0].delivery_year",
        "beyond the strategy's period",
    )
    assert (p.expected, p.found) == ("1 to 3", "4")


def test_deadline_before_the_strategy_starts() -> None:
    o = out(
        "1.1.1",
        measure=PCT,
        target=Target.level("14 %", direction="decrease", deadline="2022-03-31"),
    )
    p = only(lambda: strategy(amb("1", obj("1.1", o))))
    assert (p.path, p.message) == (
        "ambitions[0].objectives[0].outcomes[0].target.deadline",
        "deadline before the strategy starts",
    )
    assert p.found == "2022-03-31"


def test_all_strategy_problems_are_reported_together() -> None:
    o = out(
        "1.1.1",
        delivery_year=9,
        measure=PCT,
        target=Target.level("14 %", direction="decrease", deadline="2020-03-31"),
    )
    found = problems(lambda: strategy(amb("1", obj("1.1", o, out("1.1"))), amb("1")))
    assert len(found) == 4, found


# --- look-ups ------------------------------------------------------------------------


def test_lookups_by_id_and_helpful_key_errors() -> None:
    enabler = Ambition(
        id="2", title="E", kind=AmbitionKind.ENABLER, objectives=[obj("2.1", out("2.1.1"))]
    )
    s = strategy(amb("1", obj("1.1", out("1.1.1"), out("1.1.2"))), enabler)
    assert [o.id for o in s.outcomes()] == ["1.1.1", "1.1.2", "2.1.1"]
    assert [o.id for o in s.objectives()] == ["1.1", "2.1"]
    assert s.outcome("2.1.1").id == "2.1.1"
    assert s.objective("1.1").id == "1.1"
    assert s.ambition("2").id == "2"
    assert [x.id for x in s.parents("1.1.2")] == ["1", "1.1"]
    with pytest.raises(KeyError, match=r"no outcome '2\.1\.2'; did you mean '2\.1\.1'"):
        s.outcome("2.1.2")
    with pytest.raises(KeyError, match=r"no objective '1\.1\.1'"):
        s.objective("1.1.1")  # an outcome is not an objective
    with pytest.raises(KeyError, match="no ambition '3'"):
        s.ambition("3")
    with pytest.raises(KeyError, match="no outcome 'zzz'"):
        s.parents("zzz")


def test_year_ends_of_an_nhs_strategy() -> None:
    import datetime as dt

    p = Period(start="2023-04-01", end="2026-03-31")
    assert p.year_ends() == (dt.date(2024, 3, 31), dt.date(2025, 3, 31), dt.date(2026, 3, 31))
    assert [p.year_of(dt.date(*d)) for d in [(2023, 3, 31), (2023, 4, 1), (2025, 4, 1)]] == [
        0,
        1,
        3,
    ]
