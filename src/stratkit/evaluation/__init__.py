"""Evaluators: plain functions of the model and the data that return typed results.

:func:`evaluate` judges every outcome of a strategy against observations (an
:class:`Evaluator` does so for many sets of observations, planning once);
:func:`measurability` says what each outcome lacks to be judged. Both return
immutable data. This package never imports :mod:`stratkit.io`.
"""

from stratkit.evaluation._evaluation import FORMAT_VERSION, Evaluation
from stratkit.evaluation.engine import Evaluator, evaluate
from stratkit.evaluation.forecast import Forecast
from stratkit.evaluation.measurability import (
    Finding,
    MeasurabilityReport,
    OutcomeMeasurability,
    ScoreSummary,
    measurability,
)
from stratkit.evaluation.policy import Policy
from stratkit.evaluation.results import Freshness, OutcomeResult
from stratkit.evaluation.rollup import Rollup
from stratkit.evaluation.status import CODES, RAG, ForecastVerdict, Status
from stratkit.evaluation.trajectory import Trajectory

__all__ = [
    "CODES",
    "FORMAT_VERSION",
    "RAG",
    "Evaluation",
    "Evaluator",
    "Finding",
    "Forecast",
    "ForecastVerdict",
    "Freshness",
    "MeasurabilityReport",
    "OutcomeMeasurability",
    "OutcomeResult",
    "Policy",
    "Rollup",
    "ScoreSummary",
    "Status",
    "Trajectory",
    "evaluate",
    "measurability",
]
