"""The measurability check: what is missing before each outcome can be judged.

Eight criteria, each checked only where it applies:

============ ======= ==========================================================
criterion    code    met when
============ ======= ==========================================================
measure      SK401   the outcome has a measure (what is counted)
unit         SK402   the measure has a unit
target       SK403   the target states a value (a level, a change, a rate, a
                     benchmark with its value, zero, or milestones); a
                     direction-only target has none
baseline     SK404   a baseline value is recorded (level, change, rate, zero,
                     benchmark and towards targets only)
deadline     SK405   a deadline (or, for milestones, a due date on each);
                     not applied to recurring thresholds
owner        SK406   a named owner
data_source  SK407   the measure names its data source
observations SK408   the observations include the outcome (only checked when
                     observations are given)
============ ======= ==========================================================

Milestone targets need no measure, unit, baseline or data source, so those
criteria do not apply to them. An outcome's **score** is the share of the
criteria that apply which are met, each weighted equally. An objective's,
an ambition's and the strategy's score is the mean of their outcomes'
scores (every outcome counts once; no invented weights).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from stratkit.model import Observations, Outcome, Strategy, TargetKind

__all__ = [
    "CRITERIA",
    "Finding",
    "MeasurabilityReport",
    "OutcomeMeasurability",
    "ScoreSummary",
    "measurability",
]

CRITERIA: dict[str, str] = {
    "measure": "SK401",
    "unit": "SK402",
    "target": "SK403",
    "baseline": "SK404",
    "deadline": "SK405",
    "owner": "SK406",
    "data_source": "SK407",
    "observations": "SK408",
}
"""Criterion name -> the stable code of the finding when it is missing."""

_NO_BASELINE_KINDS = (TargetKind.RECURRING, TargetKind.DIRECTION_ONLY, TargetKind.MILESTONE)


@attrs.frozen(kw_only=True)
class Finding:
    """One thing missing, with its stable code and the outcome it concerns."""

    code: str
    outcome_id: str
    criterion: str
    message: str


@attrs.frozen(kw_only=True)
class OutcomeMeasurability:
    """Which criteria apply to one outcome, which are met, and its score."""

    outcome_id: str
    met: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def score(self) -> float:
        """Share of the applicable criteria met (1.0 when none applies)."""
        n = len(self.met) + len(self.missing)
        return 1.0 if n == 0 else len(self.met) / n

    @property
    def findings(self) -> tuple[Finding, ...]:
        """One finding per missing criterion."""
        return tuple(
            Finding(
                code=CRITERIA[c],
                outcome_id=self.outcome_id,
                criterion=c,
                message=f"outcome {self.outcome_id}: no {c.replace('_', ' ')}",
            )
            for c in self.missing
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "outcome_id": self.outcome_id,
            "score": self.score,
            "met": list(self.met),
            "missing": list(self.missing),
        }


@attrs.frozen(kw_only=True)
class ScoreSummary:
    """The measurability score of an objective, an ambition or the strategy."""

    id: str
    title: str
    level: str
    score: float | None
    """Mean of the outcomes' scores; ``None`` with no outcome."""
    n_outcomes: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return attrs.asdict(self)


def _check(outcome: Outcome, observed: frozenset[str] | None) -> OutcomeMeasurability:
    t, m = outcome.target, outcome.measure
    milestone = t is not None and t.kind is TargetKind.MILESTONE
    checks: dict[str, bool] = {}
    if not milestone:
        checks["measure"] = m is not None
        checks["unit"] = m is not None and m.unit is not None
    if t is None:
        checks["target"] = False
    elif t.kind is TargetKind.BENCHMARK:
        checks["target"] = t.benchmark is not None and t.benchmark.value is not None
    else:
        checks["target"] = t.kind is not TargetKind.DIRECTION_ONLY
    if t is None or t.kind not in _NO_BASELINE_KINDS:
        checks["baseline"] = t is not None and t.baseline_value is not None
    if t is None or t.kind is not TargetKind.RECURRING:
        if milestone:
            assert t is not None
            checks["deadline"] = t.deadline is not None or all(
                ms.due is not None for ms in t.milestones
            )
        else:
            checks["deadline"] = t is not None and t.deadline is not None
    checks["owner"] = outcome.owner is not None
    if not milestone:
        checks["data_source"] = m is not None and m.data_source is not None
    if observed is not None and not milestone:
        checks["observations"] = outcome.id in observed
    order = list(CRITERIA)
    return OutcomeMeasurability(
        outcome_id=outcome.id,
        met=tuple(c for c in order if checks.get(c) is True),
        missing=tuple(c for c in order if checks.get(c) is False),
    )


def _mean(scores: list[float]) -> float | None:
    return sum(scores) / len(scores) if scores else None


@attrs.frozen(kw_only=True)
class MeasurabilityReport:
    """Measurability of every outcome, rolled up per objective, ambition and strategy.

    >>> import stratkit
    >>> from stratkit.evaluation import measurability
    >>> report = measurability(stratkit.examples.load("kmpt_2023_26"))
    >>> 0 < report.score <= 1
    True
    """

    outcomes: tuple[OutcomeMeasurability, ...]
    objectives: tuple[ScoreSummary, ...]
    ambitions: tuple[ScoreSummary, ...]
    strategy: ScoreSummary
    observations_checked: bool
    _index: dict[str, OutcomeMeasurability] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {o.outcome_id: o for o in self.outcomes})

    def __repr__(self) -> str:
        """``<MeasurabilityReport: 72 outcomes, score 63%, 130 findings>``."""
        return (
            f"<MeasurabilityReport: {len(self.outcomes)} outcomes, score "
            f"{self.score * 100:.0f}%, {len(self.findings)} findings>"
        )

    @property
    def score(self) -> float:
        """The strategy's score (mean of the outcomes' scores; 0 with no outcome)."""
        return self.strategy.score if self.strategy.score is not None else 0.0

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every missing criterion of every outcome, in strategy order."""
        return tuple(f for o in self.outcomes for f in o.findings)

    def missing_counts(self) -> dict[str, int]:
        """For each criterion, how many outcomes miss it."""
        counts = dict.fromkeys(CRITERIA, 0)
        for o in self.outcomes:
            for c in o.missing:
                counts[c] += 1
        return counts

    def __getitem__(self, outcome_id: str) -> OutcomeMeasurability:
        found = self._index.get(outcome_id)
        if found is not None:
            return found
        raise KeyError(f"no outcome {outcome_id!r} in the measurability report")

    def __iter__(self) -> Iterator[OutcomeMeasurability]:
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "score": self.score,
            "observations_checked": self.observations_checked,
            "missing_counts": self.missing_counts(),
            "strategy": self.strategy.to_dict(),
            "ambitions": [a.to_dict() for a in self.ambitions],
            "objectives": [o.to_dict() for o in self.objectives],
            "outcomes": [o.to_dict() for o in self.outcomes],
        }


def measurability(
    strategy: Strategy, observations: Observations | None = None
) -> MeasurabilityReport:
    """Check what each outcome lacks to be judged; see the module docs for the criteria."""
    observed = None if observations is None else frozenset(observations.outcome_ids())
    per = {o.id: _check(o, observed) for o in strategy.outcomes()}
    objectives: list[ScoreSummary] = []
    ambitions: list[ScoreSummary] = []
    for amb in strategy.ambitions:
        amb_scores: list[float] = []
        for obj in amb.objectives:
            scores = [per[o.id].score for o in obj.outcomes]
            amb_scores += scores
            objectives.append(
                ScoreSummary(
                    id=obj.id,
                    title=obj.title,
                    level="objective",
                    score=_mean(scores),
                    n_outcomes=len(scores),
                )
            )
        ambitions.append(
            ScoreSummary(
                id=amb.id,
                title=amb.title,
                level=amb.kind.value,
                score=_mean(amb_scores),
                n_outcomes=len(amb_scores),
            )
        )
    all_scores = [p.score for p in per.values()]
    whole = ScoreSummary(
        id=strategy.organisation.code or "strategy",
        title=strategy.title,
        level="strategy",
        score=_mean(all_scores),
        n_outcomes=len(all_scores),
    )
    return MeasurabilityReport(
        outcomes=tuple(per.values()),
        objectives=tuple(objectives),
        ambitions=tuple(ambitions),
        strategy=whole,
        observations_checked=observations is not None,
    )
