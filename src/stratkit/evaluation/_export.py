"""One flat record per outcome result: the typed columns of CSV, Excel and ``to_frame``.

Values are Python numbers (``None`` where there is none, never NaN), dates,
booleans and plain text: what a table cell holds. The words people read
(``"14.9 % (Mar 2025)"``) are added by the reporting formats that want them,
in separate ``*_text`` columns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from stratkit.evaluation.results import OutcomeResult
from stratkit.evaluation.status import WORST_FIRST
from stratkit.model import Strategy

__all__ = ["RECORD_COLUMNS", "STATUS_CATEGORIES", "parents_of", "result_record", "result_records"]

#: The columns of a result record, in order.
RECORD_COLUMNS: tuple[str, ...] = (
    "outcome_id",
    "ambition_id",
    "objective_id",
    "statement",
    "owner",
    "status",
    "rag",
    "code",
    "unit",
    "latest_value",
    "latest_start",
    "latest_end",
    "latest_note",
    "target_value",
    "baseline_value",
    "deadline",
    "gap",
    "progress",
    "expected",
    "deviation",
    "tolerance",
    "forecast",
    "forecast_low",
    "forecast_high",
    "forecast_verdict",
    "spc_mean",
    "spc_lpl",
    "spc_upl",
    "variation_icon",
    "assurance_icon",
    "age_days",
    "allowed_days",
    "stale",
    "n_points",
    "spc_note",
    "reason",
)

#: The statuses from worst to best: the order of ``to_frame()``'s categorical status.
STATUS_CATEGORIES: tuple[str, ...] = tuple(s.value for s in WORST_FIRST)


def parents_of(strategy: Strategy) -> dict[str, tuple[str, str]]:
    """Outcome id -> (ambition id, objective id)."""
    return {
        outcome.id: (ambition.id, objective.id)
        for ambition in strategy.ambitions
        for objective in ambition.objectives
        for outcome in objective.outcomes
    }


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def result_record(result: OutcomeResult, ambition_id: str, objective_id: str) -> dict[str, Any]:
    """The columns :data:`RECORD_COLUMNS` of one result, typed."""
    f = result.forecast
    spc = result.spc
    mean = lpl = upl = None
    variation = assurance = None
    if spc is not None:
        mean, lpl, upl = spc.latest_limits
        if spc.icons_available:
            variation, assurance = spc.variation_icon, spc.assurance_icon
    fresh = result.freshness
    series = result.series
    notes = () if series is None else series.notes
    return {
        "outcome_id": result.outcome_id,
        "ambition_id": ambition_id,
        "objective_id": objective_id,
        "statement": result.outcome.statement,
        "owner": result.outcome.owner,
        "status": result.status.value,
        "rag": result.rag.value,
        "code": result.code,
        "unit": result.unit,
        "latest_value": _num(result.latest_value),
        "latest_start": result.latest_start,
        "latest_end": result.latest_end,
        "latest_note": (notes[-1] or None) if notes else None,
        "target_value": _num(result.target_value),
        "baseline_value": _num(result.baseline_value),
        "deadline": result.deadline,
        "gap": _num(result.gap),
        "progress": _num(result.progress),
        "expected": _num(result.expected),
        "deviation": _num(result.deviation),
        "tolerance": _num(result.tolerance),
        "forecast": None if f is None else _num(f.value),
        "forecast_low": None if f is None else _num(f.low),
        "forecast_high": None if f is None else _num(f.high),
        "forecast_verdict": None if f is None else f.verdict.value,
        "spc_mean": mean,
        "spc_lpl": lpl,
        "spc_upl": upl,
        "variation_icon": variation,
        "assurance_icon": assurance,
        "age_days": fresh.age_days,
        "allowed_days": fresh.allowed_days,
        "stale": fresh.stale,
        "n_points": result.n_points,
        "spc_note": result.spc_note,
        "reason": result.reason,
    }


def result_records(results: Iterable[OutcomeResult], strategy: Strategy) -> list[dict[str, Any]]:
    """One record per result, in the order given."""
    parents = parents_of(strategy)
    return [result_record(r, *parents.get(r.outcome_id, ("", ""))) for r in results]


def results_frame(results: Iterable[OutcomeResult], strategy: Strategy, as_of: Any) -> Any:
    """The records as a pandas DataFrame indexed by ``outcome_id`` (pandas imported here).

    ``status`` is an ordered categorical, worst first (:data:`STATUS_CATEGORIES`),
    so ``frame.sort_values("status")`` lists the outcomes needing attention first
    and ``frame[frame.status < "on_track"]`` selects them; dates are datetimes;
    numbers are floats (NaN where there is none).
    """
    import pandas as pd

    frame = pd.DataFrame(result_records(results, strategy), columns=list(RECORD_COLUMNS))
    frame.insert(frame.columns.get_loc("unit"), "as_of", pd.Timestamp(as_of))
    frame["status"] = pd.Categorical(frame["status"], categories=STATUS_CATEGORIES, ordered=True)
    for col in ("latest_start", "latest_end", "deadline"):
        frame[col] = pd.to_datetime(frame[col])
    for col in RECORD_COLUMNS:
        if col in _FLOATS:
            frame[col] = frame[col].astype("float64")
    for col in ("age_days", "allowed_days"):
        frame[col] = frame[col].astype("Int64")
    frame["stale"] = frame["stale"].astype(bool)
    frame["n_points"] = frame["n_points"].astype("int64")
    return frame.set_index("outcome_id")


_FLOATS = frozenset(
    {
        "latest_value",
        "target_value",
        "baseline_value",
        "gap",
        "progress",
        "expected",
        "deviation",
        "tolerance",
        "forecast",
        "forecast_low",
        "forecast_high",
        "spc_mean",
        "spc_lpl",
        "spc_upl",
    }
)
