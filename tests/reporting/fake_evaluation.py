"""A stand-in evaluation with the public shape of ``stratkit.evaluate``'s result.

Used to test the renderers on their own (every status, with and without SPC,
forecast and trajectory), independently of the evaluators' judgements.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import numpy as np

from stratkit.evaluation.spc import spc
from stratkit.evaluation.status import ForecastVerdict, Status, worst

_CYCLE = (Status.ON_TRACK, Status.NO_DATA, Status.NOT_MEASURABLE, Status.OFF_TRACK)


def fake_evaluate(strategy: Any, observations: Any, as_of: dt.date) -> Any:
    results = []
    known = {o.id for o in strategy.outcomes()}
    present = set(observations.outcome_ids()) if observations is not None else set()
    for i, outcome in enumerate(strategy.outcomes()):
        status = _CYCLE[i % len(_CYCLE)]
        series = None
        chart = None
        unit = outcome.measure.unit_text if outcome.measure else ""
        latest = latest_end = latest_start = None
        traj = None
        forecast = None
        freshness = None
        target_value = None
        if outcome.target is not None and outcome.target.target_level() is not None:
            target_value = float(outcome.target.target_level().magnitude)
        if outcome.id in present and outcome.measure is not None:
            series = observations.series(outcome.id, outcome.measure.unit)
            direction = str(outcome.target.direction) if outcome.target else "neutral"
            chart = spc(series.values, series.end,
                        improvement_direction=direction if direction in (
                            "increase", "decrease") else "neutral",
                        target=target_value, rebase=[np.datetime64("2024-10-01")])
            latest = float(series.values[-1])
            latest_start, latest_end = series.start[-1], series.end[-1]
            traj = SimpleNamespace(
                dates=np.array(["2023-03-31", "2026-03-31"], dtype="datetime64[D]"),
                values=np.array([float(outcome.target.baseline.value.magnitude),
                                 target_value]))
            forecast = SimpleNamespace(value=target_value, low=target_value - 2,
                                       high=target_value + 2,
                                       verdict=ForecastVerdict.UNCERTAIN, method="ols",
                                       deadline=dt.date(2026, 3, 31))
            freshness = SimpleNamespace(latest_end=latest_end, age_days=31, allowed_days=62,
                                        stale=False)
        results.append(SimpleNamespace(
            outcome=outcome, outcome_id=outcome.id, status=status, rag=status.rag,
            reason=f"Reason for {outcome.id}.", code="SK110", unit=unit,
            latest_value=latest, latest_start=latest_start, latest_end=latest_end,
            target_value=target_value,
            deadline=outcome.target.deadline if outcome.target else None,
            gap=None if latest is None or target_value is None else target_value - latest,
            progress=None, expected=target_value, deviation=0.5 if latest else None,
            forecast=forecast, freshness=freshness,
            n_points=0 if series is None else len(series), spc=chart,
            spc_note="", series=series, trajectory=traj))

    def rollup(ident: str, title: str, level: str, ids: set[str]) -> Any:
        rs = [r for r in results if r.outcome_id in ids]
        counts = {s: sum(r.status is s for r in rs) for s in Status}
        return SimpleNamespace(
            id=ident, title=title, level=level, counts=counts, n_outcomes=len(rs),
            share_on_track=None, worst=worst([r.status for r in rs]),
            attention=tuple(r.outcome_id for r in rs if r.status is Status.OFF_TRACK))

    ambitions = tuple(rollup(a.id, a.title, "ambition", {o.id for o in a.outcomes()})
                      for a in strategy.ambitions)
    objectives = tuple(rollup(o.id, o.title, "objective", {x.id for x in o.outcomes})
                       for o in strategy.objectives())
    overall = rollup("", strategy.title, "strategy", known)
    return SimpleNamespace(
        strategy=strategy, as_of=as_of, policy=None, results=tuple(results),
        ambitions=lambda: ambitions, objectives=lambda: objectives, overall=overall,
        unknown_outcome_ids=tuple(sorted(present - known)),
        illustrative=bool(observations is not None and observations.illustrative),
        source=None if observations is None else observations.source)
