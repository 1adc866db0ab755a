"""The strategy model: immutable attrs types that know nothing about files.

``model`` imports nothing from stratkit but ``units`` and ``errors``.
"""

from stratkit.model._common import (
    AmbitionKind,
    Bound,
    Direction,
    Frequency,
    MilestoneStatus,
    TargetKind,
    TrajectoryShape,
)
from stratkit.model.observations import Observations, Series
from stratkit.model.outcome import Ambiguity, Measure, Outcome, Rebase, SourceRef
from stratkit.model.policy import Policy
from stratkit.model.strategy import (
    Ambition,
    Forum,
    Governance,
    Objective,
    Organisation,
    Period,
    SourceDocument,
    Strategy,
)
from stratkit.model.target import Baseline, Benchmark, InterimTarget, Milestone, Target

__all__ = [
    "Ambiguity",
    "Ambition",
    "AmbitionKind",
    "Baseline",
    "Benchmark",
    "Bound",
    "Direction",
    "Forum",
    "Frequency",
    "Governance",
    "InterimTarget",
    "Measure",
    "Milestone",
    "MilestoneStatus",
    "Objective",
    "Observations",
    "Organisation",
    "Outcome",
    "Period",
    "Policy",
    "Rebase",
    "Series",
    "SourceDocument",
    "SourceRef",
    "Strategy",
    "Target",
    "TargetKind",
    "TrajectoryShape",
]
