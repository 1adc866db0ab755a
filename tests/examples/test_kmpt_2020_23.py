"""The KMPT 2020-23 example: faithful, and the test case for the measurability check.

The trust's own briefing says this strategy "lacked some measurable outcomes";
encoded without invention, most of its outcomes have no measure and no target.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import stratkit
from stratkit.evaluation import measurability
from stratkit.model import Outcome, Strategy

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "kmpt_2020_23"
SOURCE = FOLDER / "source" / "kmpt-organisational-strategy-2020-23.txt"
BRIEFING = FOLDER.parent / "kmpt_2023_26" / "source" / "kmpt-strategy-briefing-2023-10-17.txt"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def strategy() -> Strategy:
    return stratkit.load(FOLDER)


@pytest.fixture(scope="module")
def source_text() -> str:
    return _norm(SOURCE.read_text(encoding="utf-8"))


def _outcomes() -> list[Outcome]:
    return list(stratkit.load(FOLDER).outcomes())


def test_three_aims_of_which_only_quality_is_in_the_text(strategy: Strategy) -> None:
    assert [(a.id, a.title) for a in strategy.ambitions] == [
        ("1", "Quality"),
        ("2", "Integration"),
        ("3", "Using our expertise to lead"),
    ]
    assert [len(a.objectives) for a in strategy.ambitions] == [6, 0, 0]
    briefing = _norm(BRIEFING.read_text(encoding="utf-8"))
    assert "3 main aims, quality, integration and using our expertise to lead" in briefing


def test_outcomes_per_objective(strategy: Strategy) -> None:
    assert [len(o.outcomes) for o in strategy.objectives()] == [3, 1, 6, 2, 5, 5]
    for objective in strategy.objectives():
        expected = [f"{objective.id}.{i}" for i in range(1, len(objective.outcomes) + 1)]
        assert [o.id for o in objective.outcomes] == expected


@pytest.mark.parametrize("outcome", _outcomes(), ids=lambda o: o.id)
def test_outcome_statement_is_verbatim(outcome: Outcome, source_text: str) -> None:
    assert _norm(outcome.statement) in source_text
    assert outcome.source is not None
    assert outcome.source.document == "kmpt-2020-23"


def test_titles_looks_like_and_rationale_are_verbatim(
    strategy: Strategy, source_text: str
) -> None:
    for objective in strategy.objectives():
        assert _norm(objective.title) in source_text
        for item in objective.looks_like:
            assert _norm(item) in source_text
    quality = strategy.ambitions[0]
    assert quality.statement is not None
    assert quality.rationale is not None
    assert _norm(quality.statement) in source_text
    for paragraph in quality.rationale.split("\n\n"):
        assert _norm(paragraph) in source_text
    for value in strategy.values:
        assert value in source_text


def _bullets_after(raw: str, start: str, stop: str) -> list[str]:
    block = raw.split(start, 1)[1].split(stop, 1)[0]
    return [_norm(line[2:]) for line in block.splitlines() if line.startswith("- ")]


def test_listed_priorities_are_all_kept(strategy: Strategy) -> None:
    # Nothing lost: each list the mapping puts in looks_like is kept whole.
    raw = SOURCE.read_text(encoding="utf-8")
    done_through = _bullets_after(raw, "This is done through:", "The key clinical principles")
    assert len(done_through) == 8
    assert [_norm(s) for s in strategy.objective("1.3").looks_like] == done_through
    priorities = _bullets_after(raw, "reducing any wasting of money:", "We will maintain")
    assert [_norm(s) for s in strategy.objective("1.1").looks_like] == priorities
    qi = _bullets_after(raw, "Quality improvement strategy:", "By successfully embedding")
    kept = [_norm(s) for s in strategy.objective("1.5").looks_like]
    kept.append(_norm(strategy.outcome("1.5.1").statement))
    assert sorted(kept) == sorted(qi)


def test_mostly_unmeasurable_as_the_briefing_says(strategy: Strategy) -> None:
    kinds = Counter(
        "none" if o.target is None else o.target.kind.value for o in strategy.outcomes()
    )
    assert kinds == {"none": 12, "milestone": 5, "direction_only": 4, "level": 1}
    for outcome in strategy.outcomes():
        if outcome.target is None:
            assert outcome.measure is None
            assert any("measurable" in n.lower() for n in outcome.notes), outcome.id


def test_the_one_figure_is_encoded(strategy: Strategy) -> None:
    outcome = strategy.outcome("1.6.2")
    assert outcome.target is not None
    assert outcome.measure is not None
    assert (outcome.target.kind.value, outcome.target.direction.value) == ("level", "increase")
    assert str(outcome.target.value) == "100 percent"
    assert "all research activity" in outcome.statement


def test_progress_only_where_the_text_reports_it(strategy: Strategy) -> None:
    statuses = {
        (o.id, m.name): m.status.value
        for o in strategy.outcomes()
        if o.target is not None
        for m in o.target.milestones
    }
    pathways = {k: v for k, v in statuses.items() if k[0] == "1.3.2"}
    assert len(pathways) == 5
    assert set(pathways.values()) == {"in_progress"}  # "Work has begun across all programmes"
    assert statuses[("1.4.1", "Development of the clinical strategy begun")] == "done"
    assert statuses[("1.4.1", "Clinical strategy published")] == "unknown"
    rest = {k: v for k, v in statuses.items() if k[0] not in ("1.3.2", "1.4.1")}
    assert set(rest.values()) == {"unknown"}
    for outcome in strategy.outcomes():
        assert outcome.owner is None
        assert outcome.delivery_year is None
        assert outcome.target is None or outcome.target.baseline is None


def test_measurability_check_scores_it_far_below_its_successor(strategy: Strategy) -> None:
    old = measurability(strategy)
    new = measurability(stratkit.examples.load("kmpt_2023_26"))
    assert old.score < 0.3
    assert old.score < new.score - 0.25
    missing = old.missing_counts()
    assert missing["target"] == 16  # 12 with no target, 4 with a direction only
    assert missing["measure"] == 13
    for oid in ("1.1.1", "1.1.2", "1.2.1", "1.5.1"):
        assert set(old[oid].missing) >= {"measure", "target", "deadline"}


def test_loads_through_stratkit_examples(strategy: Strategy) -> None:
    assert stratkit.examples.load("kmpt_2020_23") == strategy
