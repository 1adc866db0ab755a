"""Every validation rule of targets, baselines, milestones: its message and its path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from stratkit.errors import InvalidStrategyError, Problem
from stratkit.model import (
    Baseline,
    Benchmark,
    Bound,
    Direction,
    InterimTarget,
    Milestone,
    MilestoneStatus,
    Target,
    TargetKind,
)
from stratkit.units import parse_quantity


def problems(make: Callable[[], Any]) -> list[Problem]:
    with pytest.raises(InvalidStrategyError) as info:
        make()
    return list(info.value.problems)


def paths(make: Callable[[], Any]) -> dict[str, str]:
    return {p.path: str(p) for p in problems(make)}


BASE = {"deadline": "2026-03-31"}
MS = [Milestone(name="Ruby Ward built")]

# (target keyword arguments, expected path, fragment of the message)
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "field of another kind",
        {"kind": "zero", "direction": "decrease", "rate": "-5 %"},
        "rate",
        "not used by a zero target",
    ),
    (
        "milestones on a level",
        {"kind": "level", "direction": "increase", "value": "5 %", "milestones": MS},
        "milestones",
        "not used by a level target",
    ),
    (
        "level without value",
        {"kind": "level", "direction": "increase"},
        "value",
        "a level target needs a value",
    ),
    (
        "relative without change",
        {"kind": "relative_change", "direction": "decrease"},
        "change",
        "a relative_change target needs a change",
    ),
    (
        "point without change",
        {"kind": "point_change", "direction": "increase"},
        "change",
        "a point_change target needs a change",
    ),
    (
        "annual without rate",
        {"kind": "annual_rate", "direction": "decrease"},
        "rate",
        "a annual_rate target needs a rate",
    ),
    (
        "benchmark without benchmark",
        {"kind": "benchmark", "direction": "decrease"},
        "benchmark",
        "a benchmark target needs a benchmark",
    ),
    (
        "recurring without every",
        {"kind": "recurring", "direction": "increase", "value": "0 GBP"},
        "every",
        "a recurring target needs the period it recurs over",
    ),
    (
        "milestone without milestones",
        {"kind": "milestone", "direction": "milestone"},
        "milestones",
        "a milestone target needs at least one milestone",
    ),
    (
        "milestone with a direction",
        {"kind": "milestone", "direction": "increase", "milestones": MS},
        "direction",
        "a milestone target has direction 'milestone'",
    ),
    (
        "direction milestone on a level",
        {"kind": "level", "direction": "milestone", "value": "1 %"},
        "direction",
        "direction 'milestone' belongs to a milestone target",
    ),
    (
        "zero that increases",
        {"kind": "zero", "direction": "increase"},
        "direction",
        "eliminating something is a decrease",
    ),
    (
        "relative towards",
        {"kind": "relative_change", "direction": "towards", "change": "5 %"},
        "direction",
        "a relative_change target goes up or down",
    ),
    (
        "direction_only towards",
        {"kind": "direction_only", "direction": "towards"},
        "direction",
        "a direction_only target goes up or down",
    ),
    (
        "band without towards",
        {"kind": "level", "direction": "increase", "value": "5 %", "band": ("1 %", "9 %")},
        "band",
        "a band belongs to a target with direction 'towards'",
    ),
    (
        "interim on direction_only",
        dict(
            kind="direction_only",
            direction="increase",
            interim=[InterimTarget(date="2024-03-31", value="1 %")],
            **BASE,
        ),
        "interim",
        "a direction_only target has no interim values",
    ),
    (
        "relative change in points",
        {"kind": "relative_change", "direction": "decrease", "change": "-15 pp"},
        "change",
        "a relative change is a share of the baseline",
    ),
    (
        "annual rate in incidents",
        {"kind": "annual_rate", "direction": "decrease", "rate": "-5 incident"},
        "rate",
        "a relative change is a share of the baseline",
    ),
    (
        "baseline in another unit",
        {
            "kind": "level",
            "direction": "decrease",
            "value": "14 %",
            "baseline": Baseline(value="6.6 score"),
        },
        "baseline.value",
        "unit does not match the target's other values",
    ),
    (
        "interim in another unit",
        dict(
            kind="level",
            direction="decrease",
            value="14 %",
            interim=[InterimTarget(date="2024-03-31", value="3 hour")],
            **BASE,
        ),
        "interim[0].value",
        "unit does not match the target's other values",
    ),
    (
        "decrease with a positive change",
        {"kind": "relative_change", "direction": "decrease", "change": "15 %"},
        "change",
        "a decrease target's change must be negative",
    ),
    (
        "increase with a negative rate",
        {"kind": "annual_rate", "direction": "increase", "rate": "-5 %"},
        "rate",
        "an increase target's rate must be positive",
    ),
    (
        "reduce target above baseline",
        {
            "kind": "level",
            "direction": "decrease",
            "value": "20 %",
            "baseline": Baseline(value="14 %"),
        },
        "value",
        "a decrease target cannot rise above its baseline",
    ),
    (
        "increase target below baseline",
        {
            "kind": "level",
            "direction": "increase",
            "value": "6.5 score",
            "baseline": Baseline(value="6.6 score"),
        },
        "value",
        "an increase target cannot fall below its baseline",
    ),
    (
        "interim above baseline",
        dict(
            kind="zero",
            direction="decrease",
            baseline=Baseline(value="10 placement"),
            interim=[InterimTarget(date="2024-03-31", value="12 placement")],
            **BASE,
        ),
        "interim[0].value",
        "a decrease target cannot rise above its baseline",
    ),
    (
        "interim below interim",
        dict(
            kind="level",
            direction="increase",
            value="95 %",
            interim=[
                InterimTarget(date="2024-03-31", value="90 %"),
                InterimTarget(date="2025-03-31", value="85 %"),
            ],
            **BASE,
        ),
        "interim[1].value",
        "an increase target cannot fall below its interim",
    ),
    (
        "interim dates out of order",
        dict(
            kind="level",
            direction="increase",
            value="95 %",
            interim=[
                InterimTarget(date="2025-03-31", value="90 %"),
                InterimTarget(date="2024-03-31", value="92 %"),
            ],
            **BASE,
        ),
        "interim[1].date",
        "dates must increase: interim[1].date must come after interim[0].date",
    ),
    (
        "deadline before baseline",
        dict(
            kind="level",
            direction="increase",
            value="95 %",
            baseline=Baseline(value="90 %", date="2027-03-31"),
            **BASE,
        ),
        "deadline",
        "dates must increase: deadline must come after baseline.date",
    ),
    (
        "interim without deadline",
        {
            "kind": "level",
            "direction": "increase",
            "value": "95 %",
            "interim": [InterimTarget(date="2025-03-31", value="90 %")],
        },
        "deadline",
        "interim targets need a final deadline",
    ),
    (
        "unknown unit",
        {"kind": "level", "direction": "increase", "value": "95 precent"},
        "value",
        "unknown unit 'precent' (did you mean 'percent'",
    ),
    (
        "quantity not text",
        {"kind": "level", "direction": "increase", "value": 95},
        "value",
        "must be a quantity",
    ),
    ("unknown kind", {"kind": "levle", "direction": "increase"}, "kind", "unknown TargetKind"),
    (
        "unknown direction",
        {"kind": "level", "direction": "up", "value": "1 %"},
        "direction",
        "unknown Direction",
    ),
    (
        "deadline not a date",
        {"kind": "zero", "direction": "decrease", "deadline": "March 2026"},
        "deadline",
        "not a date; expected a date as YYYY-MM-DD, found 'March 2026'",
    ),
    (
        "deadline a datetime",
        {"kind": "zero", "direction": "decrease", "deadline": dt.datetime(2026, 3, 31, 12, 0)},
        "deadline",
        "not a date",
    ),
    (
        "milestones not milestones",
        {"kind": "milestone", "direction": "milestone", "milestones": ["Ruby Ward"]},
        "milestones[0]",
        "must be Milestone, found str",
    ),
    (
        "interim not interim targets",
        dict(
            kind="level",
            direction="increase",
            value="1 %",
            interim=[("2024-03-31", "1 %")],
            **BASE,
        ),
        "interim[0]",
        "must be InterimTarget, found tuple",
    ),
]


@pytest.mark.parametrize(
    ("kwargs", "path", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_target_rule(kwargs: dict[str, Any], path: str, fragment: str) -> None:
    found = paths(lambda: Target(**kwargs))
    assert path in found, found
    assert fragment in found[path]


def test_band_out_of_order_is_reported() -> None:
    found = paths(
        lambda: Target(kind="level", direction="towards", value="0 %", band=("5 %", "-5 %"))
    )
    assert "band" in found, found
    assert "band is (low, high)" in found["band"]


def test_band_in_another_unit_is_reported() -> None:
    found = paths(
        lambda: Target(kind="level", direction="towards", value="0 %", band=("-5 %", "5 score"))
    )
    assert "unit does not match" in found["band[1]"]


def test_band_item_must_be_a_quantity() -> None:
    found = paths(lambda: Target(kind="level", direction="towards", value="0 %", band=("-5 %", 5)))
    assert "must be a quantity" in found["band"]


def test_every_problem_of_a_target_is_reported_together() -> None:
    found = paths(
        lambda: Target(
            kind="milestone",
            direction="increase",
            rate="-5 %",
            interim=[InterimTarget(date="2025-03-31", value="1 %")],
        )
    )
    assert {"rate", "milestones", "direction", "interim", "deadline"} <= set(found)


def test_fields_named_in_the_hint_of_a_misplaced_field() -> None:
    (p,) = problems(
        lambda: Target(kind="relative_change", direction="decrease", change="-5 %", value="1 %")
    )
    assert p.path == "value"
    assert p.hint == "a relative_change target takes: change"


def test_milestone_completed_needs_done() -> None:
    (p,) = problems(
        lambda: Milestone(name="Ruby Ward", status="in_progress", completed="2024-06-30")
    )
    assert (p.path, p.message) == ("completed", "a completion date needs status 'done'")
    assert p.found == "status 'in_progress'"
    done = Milestone(name="Ruby Ward", status="done", completed="2024-06-30")
    assert done.status is MilestoneStatus.DONE


def test_milestone_status_must_be_known() -> None:
    (p,) = problems(lambda: Milestone(name="x", status="finished"))
    assert p.path == "status"
    assert p.message == "unknown MilestoneStatus"
    assert "'done'" in (p.expected or "")


@pytest.mark.parametrize("field", ["period", "source"])
def test_baseline_text_fields_must_not_be_blank(field: str) -> None:
    (p,) = problems(lambda: Baseline(value="1 %", **{field: "  "}))
    assert (p.path, p.message) == (field, "must not be empty")


def test_baseline_text_fields_must_be_text() -> None:
    (p,) = problems(lambda: Baseline(value="1 %", source=3))
    assert (p.path, p.message, p.found) == ("source", "must be text", "int")


def test_benchmark_value_is_checked_against_the_target_levels() -> None:
    found = paths(
        lambda: Target(
            kind="benchmark",
            direction="decrease",
            baseline=Baseline(value="20 %"),
            benchmark=Benchmark(name="national average", value="15 incident"),
        )
    )
    assert "unit does not match" in found["benchmark.value"]


def test_equal_values_are_allowed_along_a_trajectory() -> None:
    t = Target(
        kind="level",
        direction="increase",
        value="95 %",
        baseline=Baseline(value="95 %", date="2023-03-31"),
        deadline="2026-03-31",
    )
    assert t.value == t.baseline_value


def test_values_in_other_units_of_the_dimension_are_compared_after_conversion() -> None:
    # 0.9 (a fraction) is 90 %: below a 95 % baseline, so a decrease is fine ...
    Target(kind="level", direction="decrease", value="0.9", baseline=Baseline(value="95 %"))
    # ... and 0.99 is 99 %: above it, an error
    found = paths(
        lambda: Target(
            kind="level", direction="decrease", value="0.99", baseline=Baseline(value="95 %")
        )
    )
    assert "cannot rise above" in found["value"]


def test_default_bound_follows_the_direction() -> None:
    assert Target.level("14 %", direction="decrease").bound is Bound.AT_MOST
    assert Target.level("95 %", direction="increase").bound is Bound.AT_LEAST
    assert Target.level("0 %", direction="towards").bound is None
    assert Target.recurring("0 GBP", every="annual", direction="increase").bound is Bound.AT_LEAST


def test_named_constructors_build_the_kinds() -> None:
    assert Target.reduce_by("15 %").change == parse_quantity("-15 %")
    assert Target.increase_by("-10 %").change == parse_quantity("10 %")
    assert Target.change_by_points("+2 pp").direction is Direction.INCREASE
    assert Target.every_year("-5 %").direction is Direction.DECREASE
    assert Target.eliminate().kind is TargetKind.ZERO
    t = Target.with_milestones([{"name": "Ruby Ward", "status": "done"}])
    assert t.milestones[0].status is MilestoneStatus.DONE


@pytest.mark.parametrize("magnitude", [float("nan"), float("inf"), float("-inf")])
@pytest.mark.parametrize("field", ["value", "baseline", "interim", "benchmark"])
def test_quantities_must_be_finite(magnitude: float, field: str) -> None:
    q = magnitude * parse_quantity("1 %")
    makers: dict[str, Callable[[], Any]] = {
        "value": lambda: Target.level(q, direction="increase"),
        "baseline": lambda: Baseline(value=q),
        "interim": lambda: InterimTarget(date="2024-03-31", value=q),
        "benchmark": lambda: Benchmark(name="national average", value=q),
    }
    (p,) = problems(makers[field])
    assert (p.path, p.message, p.found) == ("value", "must be a finite number", repr(magnitude))


def test_text_too_large_for_a_number_is_refused() -> None:
    (p,) = problems(lambda: Target.level("1e400 %", direction="increase"))
    assert p.path == "value"
    assert p.message.startswith("cannot read '1e400 %' as a quantity; the number is too large")
