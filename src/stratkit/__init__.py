"""stratkit: turn an organisation's strategy into data, and evaluate performance against it.

The public API is listed in ``__all__``. Names are imported on first use, so
``import stratkit`` stays fast (pint and numpy load only when needed).

>>> import stratkit
>>> strategy = stratkit.examples.load("kmpt_2023_26")
>>> strategy.outcome("2.1.1").target.describe()
'at least 6.9 score by 2026-03-31'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stratkit._version import __version__

if TYPE_CHECKING:
    from stratkit import errors, examples, units
    from stratkit.errors import (
        DimensionalityError,
        InvalidStrategyError,
        ObservationsError,
        Problem,
        SaveError,
        SPCInputError,
        StrategyFileError,
        StratkitError,
        UnitError,
        UnknownUnitError,
        UnsafeFileError,
    )
    from stratkit.evaluation.spc import (
        MIN_POINTS_FOR_ICONS,
        SPCResult,
        SPCTable,
        spc,
        spc_icons_available,
        spc_many,
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
        Baseline,
        Benchmark,
        Bound,
        Direction,
        Forum,
        Frequency,
        Governance,
        InterimTarget,
        Measure,
        Milestone,
        MilestoneStatus,
        Objective,
        Observations,
        Organisation,
        Outcome,
        Period,
        Series,
        SourceDocument,
        SourceRef,
        Strategy,
        Target,
        TargetKind,
        TrajectoryShape,
    )

_LAZY: dict[str, str] = {
    # model
    **dict.fromkeys(
        [
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
    # SPC
    **dict.fromkeys(
        [
            "MIN_POINTS_FOR_ICONS",
            "SPCResult",
            "SPCTable",
            "spc",
            "spc_icons_available",
            "spc_many",
        ],
        "stratkit.evaluation.spc",
    ),
    # errors
    **dict.fromkeys(
        [
            "DimensionalityError",
            "InvalidStrategyError",
            "ObservationsError",
            "Problem",
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
_SUBMODULES = {"errors", "examples", "units"}

__all__ = [
    "MIN_POINTS_FOR_ICONS",
    "Ambiguity",
    "Ambition",
    "AmbitionKind",
    "Baseline",
    "Benchmark",
    "Bound",
    "DimensionalityError",
    "Direction",
    "Forum",
    "Frequency",
    "Governance",
    "InterimTarget",
    "InvalidStrategyError",
    "Measure",
    "Milestone",
    "MilestoneStatus",
    "Objective",
    "Observations",
    "ObservationsError",
    "Organisation",
    "Outcome",
    "Period",
    "Problem",
    "SPCInputError",
    "SPCResult",
    "SPCTable",
    "SaveError",
    "Series",
    "SourceDocument",
    "SourceRef",
    "Strategy",
    "StrategyFileError",
    "StratkitError",
    "Target",
    "TargetKind",
    "TrajectoryShape",
    "UnitError",
    "UnknownUnitError",
    "UnsafeFileError",
    "__version__",
    "dumps",
    "errors",
    "examples",
    "load",
    "loads",
    "observations_to_frame",
    "read_observations",
    "save",
    "spc",
    "spc_icons_available",
    "spc_many",
    "strategy_schema",
    "units",
    "write_observations",
]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"stratkit.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stratkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
