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
from stratkit.model.governance import (
    Approval,
    Forum,
    Governance,
    GovernanceFinding,
    governance_findings,
)
from stratkit.model.observations import Observations, Series
from stratkit.model.outcome import Ambiguity, Inference, Measure, Outcome, Rebase, SourceRef
from stratkit.model.policy import Policy
from stratkit.model.strategy import (
    Ambition,
    Objective,
    Organisation,
    Period,
    SourceDocument,
    Strategy,
)
from stratkit.model.target import Baseline, Benchmark, InterimTarget, Milestone, Target
from stratkit.model.unit_declaration import UnitDeclaration

__all__ = [
    "EARLIEST_DATE",
    "ID_PATTERN",
    "LATEST_DATE",
    "Ambiguity",
    "Ambition",
    "AmbitionKind",
    "Approval",
    "Baseline",
    "Benchmark",
    "Bound",
    "Direction",
    "Forum",
    "Frequency",
    "Governance",
    "GovernanceFinding",
    "Inference",
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
    "UnitDeclaration",
    "governance_findings",
]
