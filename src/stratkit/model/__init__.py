"""The strategy model: immutable attrs types that know nothing about files.

``model`` imports nothing from stratkit but ``units`` and ``errors``.
"""

from stratkit.model._common import (
    EARLIEST_DATE,
    ID_PATTERN,
    LATEST_DATE,
    AmbitionKind,
    Bound,
    Direction,
    Frequency,
    MilestoneStatus,
    TargetKind,
    TrajectoryShape,
)
from stratkit.model.observations import Observations, Series
from stratkit.model.outcome import Ambiguity, Measure, Outcome, SourceRef
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
    "EARLIEST_DATE",
    "ID_PATTERN",
    "LATEST_DATE",
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
    "Series",
    "SourceDocument",
    "SourceRef",
    "Strategy",
    "Target",
    "TargetKind",
    "TrajectoryShape",
]
