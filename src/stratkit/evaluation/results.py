"""Per-outcome results: a status with its reason, and every number behind it.

Results are immutable data. ``series``, ``spc``, ``trajectory`` and
``measurability`` are computed on first access from the evaluation's shared
columns, so that evaluating 15,000 outcomes does not build 15,000 series
nobody looks at.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from stratkit.evaluation.forecast import Forecast
from stratkit.evaluation.policy import Policy
from stratkit.evaluation.status import RAG, Status
from stratkit.evaluation.trajectory import Trajectory
from stratkit.model import Outcome, Rebase, Series

if TYPE_CHECKING:
    from stratkit.evaluation.measurability import OutcomeMeasurability

__all__ = ["Freshness", "OutcomeResult"]


@attrs.frozen(kw_only=True)
class Freshness:
    """How old the latest observation is, and whether that is too old.

    ``allowed_days`` is the measure's reporting period in days times
    ``Policy.stale_periods`` (``None`` for ad hoc or unknown frequency, which
    is never stale).
    """

    latest_end: dt.date | None
    age_days: int | None
    allowed_days: int | None
    stale: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "latest_end": None if self.latest_end is None else self.latest_end.isoformat(),
            "age_days": self.age_days,
            "allowed_days": self.allowed_days,
            "stale": self.stale,
        }


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else x + 0.0  # never "-0.0"


@attrs.frozen(kw_only=True)
class OutcomeResult:
    """How one outcome stands, as of the evaluation date, and why.

    ``gap`` is signed so that positive is better, in the measure's unit
    (``unit``): latest minus target when higher is better, target minus
    latest when lower is better, minus the distance from the target (or its
    band) for a towards target. ``progress`` is the fraction of the way from
    baseline to target (below 0: worse than the baseline; above 1: beyond the
    target). ``expected`` is the trajectory's value at the end of the latest
    value's period (a FY2023/24 figure is compared with the line at 31 March
    2024, whatever the evaluation date: ``freshness`` reports the lag) and
    ``deviation`` the latest value's distance from it, positive when ahead.
    ``code`` is a stable finding code (see
    :data:`stratkit.evaluation.status.CODES`). ``spc_conflict`` says, in
    words, where the status and the SPC icons tell different stories (None
    where they agree); the reason names it too. ``rebase`` lists the dates
    the outcome's SPC chart is recalculated from, each with its reason.
    """

    outcome: Outcome = attrs.field(repr=False)
    outcome_id: str
    status: Status
    reason: str
    code: str
    as_of: dt.date
    unit: str
    latest_value: float | None = None
    latest_start: dt.date | None = None
    latest_end: dt.date | None = None
    target_value: float | None = None
    baseline_value: float | None = None
    deadline: dt.date | None = None
    gap: float | None = None
    progress: float | None = None
    expected: float | None = None
    deviation: float | None = None
    tolerance: float | None = None
    """The shortfall from the trajectory still counted as at risk (not off track)."""
    forecast: Forecast | None = None
    freshness: Freshness = attrs.field(
        factory=lambda: Freshness(latest_end=None, age_days=None, allowed_days=None, stale=False)
    )
    n_points: int = 0
    spc_note: str | None = None
    spc_conflict: str | None = None
    policy: Policy = attrs.field(factory=Policy, repr=False)
    trajectory_loader: Callable[[], Trajectory | None] | None = attrs.field(
        default=None, repr=False, eq=False
    )
    measurability_loader: Callable[[], OutcomeMeasurability | None] | None = attrs.field(
        default=None, repr=False, eq=False
    )
    series_loader: Callable[[], Series | None] | None = attrs.field(
        default=None, repr=False, eq=False
    )
    spc_loader: Callable[[], Any] | None = attrs.field(default=None, repr=False, eq=False)
    evaluation_loader: Callable[[], Any] | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def rag(self) -> RAG:
        """The RAG colour of the status."""
        return self.status.rag

    def __repr__(self) -> str:
        """``<OutcomeResult 2.2.1 off_track (SK136): latest 16.2 % (2025-03-31), target 14 %>``."""
        from stratkit._display import value_text
        from stratkit.model._common import cut

        text = f"<OutcomeResult {cut(self.outcome_id, 20)} {self.status.value} ({self.code})"
        facts = []
        if self.latest_value is not None:
            end = f" ({self.latest_end.isoformat()})" if self.latest_end is not None else ""
            facts.append(f"latest {value_text(self.latest_value, self.unit)}{end}")
        if self.target_value is not None:
            facts.append(f"target {value_text(self.target_value, self.unit)}")
        return text + (": " + ", ".join(facts) if facts else "") + ">"

    def _repr_html_(self) -> str:
        """The outcome's card, with its chart, as the HTML report draws it."""
        from stratkit.reporting.notebook import result_html

        return str(result_html(self))

    @property
    def trajectory(self) -> Trajectory | None:
        """The expected value over time (knots and shape), for plotting; ``None`` without one."""
        return None if self.trajectory_loader is None else self.trajectory_loader()

    @property
    def measurability(self) -> OutcomeMeasurability | None:
        """This outcome's entry in the measurability report."""
        return None if self.measurability_loader is None else self.measurability_loader()

    @property
    def series(self) -> Series | None:
        """The observations used, in the measure's unit (``None`` without any)."""
        return None if self.series_loader is None else self.series_loader()

    @property
    def evaluation(self) -> Any:
        """The ``Evaluation`` this result belongs to (``None`` for a result made on its own).

        Its strategy places the outcome under its ambition and objective, for
        displays such as the notebook card.
        """
        return None if self.evaluation_loader is None else self.evaluation_loader()

    @property
    def spc(self) -> Any:
        """The Making Data Count SPC chart (an ``SPCResult``), or ``None`` (see ``spc_note``)."""
        return None if self.spc_loader is None else self.spc_loader()

    @property
    def rebase(self) -> tuple[Rebase, ...]:
        """The outcome's declared SPC rebase dates, each with its reason (for charts)."""
        return self.outcome.rebase

    @property
    def target_text(self) -> str:
        """The target in words (``"at most 14 % by 31 Mar 2026"``), or ``""``."""
        t = self.outcome.target
        return "" if t is None else t.describe()

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready data (dates as ISO text, NaN as ``None``)."""

        def iso(d: dt.date | None) -> str | None:
            return None if d is None else d.isoformat()

        spc = self.spc

        return {
            "outcome_id": self.outcome_id,
            "statement": self.outcome.statement,
            "owner": self.outcome.owner,
            "status": self.status.value,
            "rag": self.rag.value,
            "code": self.code,
            "reason": self.reason,
            "as_of": self.as_of.isoformat(),
            "unit": self.unit,
            "target": self.target_text,
            "latest_value": _num(self.latest_value),
            "latest_start": iso(self.latest_start),
            "latest_end": iso(self.latest_end),
            "target_value": _num(self.target_value),
            "baseline_value": _num(self.baseline_value),
            "deadline": iso(self.deadline),
            "gap": _num(self.gap),
            "progress": _num(self.progress),
            "expected": _num(self.expected),
            "deviation": _num(self.deviation),
            "tolerance": _num(self.tolerance),
            "forecast": None if self.forecast is None else self.forecast.to_dict(),
            "freshness": self.freshness.to_dict(),
            "n_points": self.n_points,
            "spc_note": self.spc_note,
            "spc_conflict": self.spc_conflict,
            "rebase": [{"date": r.date.isoformat(), "reason": r.reason} for r in self.rebase],
            "spc": None if spc is None else spc.to_dict(),
            "trajectory": None if self.trajectory is None else self.trajectory.to_dict(),
        }
