"""stratkit: turn an organisation's strategy into data, and evaluate performance against it.

The public API is listed in ``__all__``. Names are imported on first use, so
``import stratkit`` stays fast (pint and numpy load only when needed).

>>> import stratkit
>>> strategy = stratkit.examples.load("kmpt_2023_26")
>>> strategy.outcome("2.1.1").target.describe()
'at least 6.9 score by 31 Mar 2026'
"""

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from stratkit._version import __version__

if _TYPE_CHECKING:
    from stratkit import errors, examples, units
    from stratkit._api import evaluate
    from stratkit.errors import (
        DimensionalityError,
        InvalidStrategyError,
        MissingExtraError,
        ObservationsError,
        Problem,
        ReportFormatError,
        SaveError,
        SPCInputError,
        StrategyFileError,
        StratkitError,
        UnitError,
        UnknownUnitError,
        UnsafeFileError,
    )
    from stratkit.evaluation import (
        RAG,
        Evaluation,
        Forecast,
        ForecastVerdict,
        Freshness,
        MeasurabilityReport,
        OutcomeResult,
        Policy,
        Rollup,
        Status,
        Trajectory,
        measurability,
    )
    from stratkit.io import (
        dumps,
        load,
        loads,
        observations_to_frame,
        read_observations,
        save,
        strategy_schema,
        write_observations,
    )
    from stratkit.model import (
        Ambiguity,
        Ambition,
        AmbitionKind,
        Approval,
        Baseline,
        Benchmark,
        Bound,
        Direction,
        Forum,
        Frequency,
        Governance,
        Inference,
        InterimTarget,
        Measure,
        Milestone,
        MilestoneStatus,
        Objective,
        Observations,
        Organisation,
        Outcome,
        Period,
        Rebase,
        Series,
        SourceDocument,
        SourceRef,
        Strategy,
        Target,
        TargetKind,
        TrajectoryShape,
        UnitDeclaration,
    )
    from stratkit.reporting import report, write_report
    from stratkit.spc import (
        MIN_POINTS_FOR_ICONS,
        SPCResult,
        SPCTable,
        spc,
        spc_icons_available,
        spc_many,
    )

_LAZY: dict[str, str] = {
    # model
    **dict.fromkeys(
        [
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
            "Rebase",
            "Series",
            "SourceDocument",
            "SourceRef",
            "Strategy",
            "Target",
            "TargetKind",
            "TrajectoryShape",
            "UnitDeclaration",
        ],
        "stratkit.model",
    ),
    # files
    **dict.fromkeys(
        [
            "dumps",
            "load",
            "loads",
            "observations_to_frame",
            "read_observations",
            "save",
            "strategy_schema",
            "write_observations",
        ],
        "stratkit.io",
    ),
    # evaluation and reports
    "evaluate": "stratkit._api",
    **dict.fromkeys(
        [
            "RAG",
            "Evaluation",
            "Forecast",
            "ForecastVerdict",
            "Freshness",
            "MeasurabilityReport",
            "OutcomeResult",
            "Policy",
            "Rollup",
            "Status",
            "Trajectory",
            "measurability",
        ],
        "stratkit.evaluation",
    ),
    **dict.fromkeys(["report", "write_report"], "stratkit.reporting"),
    # SPC
    **dict.fromkeys(
        [
            "MIN_POINTS_FOR_ICONS",
            "SPCResult",
            "SPCTable",
            "spc_icons_available",
            "spc_many",
        ],
        "stratkit.spc",
    ),
    # errors
    **dict.fromkeys(
        [
            "DimensionalityError",
            "InvalidStrategyError",
            "MissingExtraError",
            "ObservationsError",
            "Problem",
            "ReportFormatError",
            "SPCInputError",
            "SaveError",
            "StrategyFileError",
            "StratkitError",
            "UnitError",
            "UnknownUnitError",
            "UnsafeFileError",
        ],
        "stratkit.errors",
    ),
}
# "spc" is the package stratkit.spc, which can be called as the function spc()
_SUBMODULES = {"errors", "examples", "spc", "units"}

__all__ = [
    "MIN_POINTS_FOR_ICONS",
    "RAG",
    "Ambiguity",
    "Ambition",
    "AmbitionKind",
    "Approval",
    "Baseline",
    "Benchmark",
    "Bound",
    "DimensionalityError",
    "Direction",
    "Evaluation",
    "Forecast",
    "ForecastVerdict",
    "Forum",
    "Frequency",
    "Freshness",
    "Governance",
    "Inference",
    "InterimTarget",
    "InvalidStrategyError",
    "MeasurabilityReport",
    "Measure",
    "Milestone",
    "MilestoneStatus",
    "MissingExtraError",
    "Objective",
    "Observations",
    "ObservationsError",
    "Organisation",
    "Outcome",
    "OutcomeResult",
    "Period",
    "Policy",
    "Problem",
    "Rebase",
    "ReportFormatError",
    "Rollup",
    "SPCInputError",
    "SPCResult",
    "SPCTable",
    "SaveError",
    "Series",
    "SourceDocument",
    "SourceRef",
    "Status",
    "Strategy",
    "StrategyFileError",
    "StratkitError",
    "Target",
    "TargetKind",
    "Trajectory",
    "TrajectoryShape",
    "UnitDeclaration",
    "UnitError",
    "UnknownUnitError",
    "UnsafeFileError",
    "__version__",
    "dumps",
    "errors",
    "evaluate",
    "examples",
    "load",
    "loads",
    "measurability",
    "observations_to_frame",
    "read_observations",
    "report",
    "save",
    "spc",
    "spc_icons_available",
    "spc_many",
    "strategy_schema",
    "units",
    "write_observations",
    "write_report",
]


def __getattr__(name: str) -> _Any:
    if name in _SUBMODULES:
        return _importlib.import_module(f"stratkit.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stratkit' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
