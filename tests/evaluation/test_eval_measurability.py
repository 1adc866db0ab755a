"""The measurability check: criteria, scores and roll-ups."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval_builders import AS_OF, monthly, outcome, strategy, vacancy_target

from stratkit.evaluation import evaluate, measurability
from stratkit.evaluation.measurability import CRITERIA
from stratkit.model import Baseline, Outcome, Target

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_a_fully_specified_outcome_scores_one() -> None:
    report = measurability(strategy(outcome("a", vacancy_target())))
    assert report["a"].score == 1.0
    assert report["a"].missing == ()
    assert report.score == 1.0
    assert report.findings == ()


def test_each_missing_criterion_is_a_finding_with_its_code() -> None:
    bare = Outcome(id="q", statement="Our leaders have increased access to reliable data")
    report = measurability(strategy(bare))
    q = report["q"]
    # measure, unit, target, baseline, deadline, owner, data source: all missing
    assert q.missing == (
        "measure",
        "unit",
        "target",
        "baseline",
        "deadline",
        "owner",
        "data_source",
    )
    assert q.score == 0.0
    assert [f.code for f in report.findings] == [CRITERIA[c] for c in q.missing]
    assert report.findings[0].code == "SK401"


def test_scoring_is_the_share_of_applicable_criteria_met() -> None:
    # relative target, no baseline, no owner: 7 criteria apply, 5 met -> 5/7
    t = Target.reduce_by("15 %", deadline="2026-03-31")
    o = outcome("v", t, unit="incident", owner=None)
    report = measurability(strategy(o))
    assert set(report["v"].missing) == {"baseline", "owner"}
    assert report["v"].score == pytest.approx(5 / 7)


def test_direction_only_targets_have_no_target_value_and_need_no_baseline() -> None:
    o = outcome("d", Target(kind="direction_only", direction="increase"), unit="patient")
    m = measurability(strategy(o))["d"]
    assert "target" in m.missing
    assert "baseline" not in m.missing + m.met


def test_milestones_need_no_measure() -> None:
    o = Outcome(
        id="m",
        statement="Ruby ward",
        owner="COO",
        target=Target.with_milestones([{"name": "build", "due": "2025-12-31"}]),
    )
    m = measurability(strategy(o))["m"]
    assert m.missing == ()
    assert m.met == ("target", "deadline", "owner")


def test_observations_are_checked_only_when_given() -> None:
    s = strategy(outcome("a", vacancy_target()), outcome("b", vacancy_target()))
    without = measurability(s)
    assert "observations" not in without["a"].met + without["a"].missing
    with_obs = measurability(s, monthly({"a": [15.0]}))
    assert "observations" in with_obs["a"].met
    assert "observations" in with_obs["b"].missing
    assert with_obs["b"].score == pytest.approx(7 / 8)
    assert with_obs.observations_checked


def test_rollups_are_means_of_outcome_scores() -> None:
    full = outcome("a", vacancy_target())
    half = outcome("b", Target.level("14 %", direction="decrease"), owner=None)  # 4 of 7
    bare = Outcome(id="c", statement="words only")
    report = measurability(strategy(full, half, bare, objectives=2))
    # objectives: 1.1 has a and c, 1.2 has b
    by_id = {o.id: o for o in report.objectives}
    assert by_id["1.1"].score == pytest.approx((1 + 0) / 2)
    assert by_id["1.2"].score == pytest.approx(4 / 7)
    assert report.ambitions[0].score == pytest.approx((1 + 4 / 7 + 0) / 3)
    assert report.score == pytest.approx((1 + 4 / 7 + 0) / 3)
    assert report.missing_counts()["owner"] == 2
    assert report.to_dict()["strategy"]["n_outcomes"] == 3


def test_evaluation_carries_the_measurability_report() -> None:
    s = strategy(outcome("a", vacancy_target(baseline=Baseline(value="16 %"))))
    ev = evaluate(s, monthly({"a": [15.0]}), as_of=AS_OF)
    assert ev.measurability.observations_checked
    assert ev["a"].measurability is not None
    assert ev["a"].measurability.score == 1.0


@pytest.mark.skipif(
    not (EXAMPLES / "kmpt_2020_23" / "strategy.yaml").is_file()
    or not (EXAMPLES / "kmpt_2023_26" / "strategy.yaml").is_file(),
    reason="both KMPT examples are needed",
)
def test_2023_26_is_more_measurable_than_2020_23() -> None:
    from stratkit.io import load

    new = measurability(load(EXAMPLES / "kmpt_2023_26" / "strategy.yaml"))
    old = measurability(load(EXAMPLES / "kmpt_2020_23" / "strategy.yaml"))
    assert new.score > old.score
    # per criterion, the newer strategy misses a smaller share of its outcomes
    share_new = new.missing_counts()["target"] / len(new)
    share_old = old.missing_counts()["target"] / len(old)
    assert share_new < share_old
