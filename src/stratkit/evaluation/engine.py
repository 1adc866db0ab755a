"""``evaluate``: a strategy and its observations in, an :class:`Evaluation` out.

The model is laid out as columns (:mod:`stratkit.evaluation._prepare`), every
outcome is charted by one :func:`stratkit.spc.spc_many` call
(:mod:`stratkit.evaluation._process`) and judged at once on the columns and
its chart (:mod:`stratkit.evaluation._core`), the few
milestone and recurring targets in plain Python
(:mod:`stratkit.evaluation._special`), and the verdicts are kept as columns;
the per-outcome results are built from them on first access
(:mod:`stratkit.evaluation._outcome_results`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np

from stratkit.evaluation import _core
from stratkit.evaluation._as_of import checked_as_of
from stratkit.evaluation._evaluation import Evaluation
from stratkit.evaluation._outcome_results import Rows, memo
from stratkit.evaluation._outcome_results import build_results as outcome_results
from stratkit.evaluation._prepare import Planned, Prepared, collector_paused, plan, prepare
from stratkit.evaluation._process import Process, chart_all
from stratkit.evaluation._reasons import conflict_text
from stratkit.evaluation._special import (
    Special,
    judge_milestones,
    judge_recurring,
    judge_year_on_year,
)
from stratkit.evaluation.measurability import measurability
from stratkit.evaluation.policy import Policy
from stratkit.evaluation.results import OutcomeResult
from stratkit.evaluation.status import CODES
from stratkit.evaluation.trajectory import day_number
from stratkit.model import Observations, Strategy, TargetKind

__all__ = ["Evaluator", "evaluate"]


def evaluate(
    strategy: Strategy,
    observations: Observations | None = None,
    *,
    as_of: dt.date | str | None = None,
    policy: Policy | None = None,
) -> Evaluation:
    """Evaluate every outcome of ``strategy`` against ``observations`` as of ``as_of``.

    ``as_of`` defaults to the end of the latest period in ``observations``
    (the date the data speaks for, so a report run on the 5th of the month
    judges last month's position), or to today when there are no
    observations; observations ending after ``as_of`` are ignored. ``as_of`` may be
    ISO text; a date outside :data:`~stratkit.model.EARLIEST_DATE` to
    :data:`~stratkit.model.LATEST_DATE` (or not a date) raises
    :class:`~stratkit.errors.InvalidStrategyError` located at ``as_of``.
    Observations in a unit of another dimension than the outcome's measure
    raise :class:`~stratkit.errors.DimensionalityError` naming the outcome and
    both units; observations for ids not in the strategy are listed in
    ``Evaluation.unknown_outcome_ids``.

    ``policy`` decides every judgement call; without one, the strategy's own
    (its file's ``policy:`` block), else the defaults (:class:`Policy`).
    """
    # a portfolio allocates objects by the thousand (plans, SPC options,
    # results), none in a cycle: the cycle collector waits (see prepare)
    with collector_paused():
        return _evaluate(strategy, observations, as_of=checked_as_of(as_of), policy=policy)


class Evaluator:
    """One strategy, evaluated against many sets of observations: its targets planned once.

    ``Evaluator(strategy)(observations)`` is ``evaluate(strategy, observations)``,
    result for result, but the work that depends only on the strategy (each
    target converted to its measure's unit, each trajectory laid out) is done
    once, when the evaluator is made, not at every call. A portfolio evaluates
    its entities this way; use it for each site, division or scenario:

    >>> import stratkit
    >>> from stratkit.evaluation import Evaluator, evaluate
    >>> folder = stratkit.examples.path("kmpt_2023_26")
    >>> strategy = stratkit.load(folder / "strategy.yaml")
    >>> observations = stratkit.read_observations(folder / "observations_illustrative.csv")
    >>> judge = Evaluator(strategy)
    >>> ev = judge(observations, as_of="2025-03-31")
    >>> ev.to_dict() == evaluate(strategy, observations, as_of="2025-03-31").to_dict()
    True

    The strategy is immutable, so the plans stay true for as long as the
    evaluator lives.
    """

    __slots__ = ("_planned", "strategy")

    def __init__(self, strategy: Strategy) -> None:
        self.strategy = strategy
        self._planned: Planned = plan(strategy)

    def __call__(
        self,
        observations: Observations | None = None,
        *,
        as_of: dt.date | str | None = None,
        policy: Policy | None = None,
    ) -> Evaluation:
        """Evaluate the strategy against ``observations``, as :func:`evaluate` does."""
        with collector_paused():
            return _evaluate(
                self.strategy,
                observations,
                as_of=checked_as_of(as_of),
                policy=policy,
                planned=self._planned,
            )

    def __repr__(self) -> str:
        return f"Evaluator({self.strategy.title!r}, {len(self._planned.plans)} outcomes)"


def _evaluate(
    strategy: Strategy,
    observations: Observations | None,
    *,
    as_of: dt.date | None,
    policy: Policy | None,
    planned: Planned | None = None,
) -> Evaluation:
    if as_of is None:
        latest = observations.latest_end() if observations is not None else None
        as_of = latest or dt.date.today()
    policy = policy or strategy.policy or Policy()
    prep = prepare(strategy, observations, planned)
    day = day_number(as_of)
    cols = prep.columns
    process = chart_all(prep, day=day, screen_outliers=policy.screen_outliers)
    j = _core.judge(
        cols,
        row_outcome=prep.row_outcome,
        row_start=prep.row_start,
        row_end=prep.row_end,
        row_value=prep.row_value,
        as_of=day,
        policy=policy,
        evidence=_evidence(process),
    )
    rows = Rows(prep, len(prep.plans))
    specials = _judge_specials(prep, rows, strategy=strategy, as_of=as_of, policy=policy)
    status, code = j.status.copy(), j.code.copy()
    for i in np.flatnonzero(cols.mode == _core.OTHER).tolist():
        found = prep.plans[i].code or specials[i].code
        verdict = CODES[f"SK{found}"][0]
        assert verdict is not None
        code[i] = found
        status[i] = _core.STATUS_ORDER.index(verdict.value)
    j = attrs.evolve(j, status=status, code=code)
    report = memo(lambda: measurability(strategy, observations))

    def build() -> tuple[OutcomeResult, ...]:
        with collector_paused():
            return outcome_results(
                prep,
                j,
                rows,
                specials,
                strategy=strategy,
                as_of=as_of,
                policy=policy,
                report=report,
                process=process,
            )

    return Evaluation(
        strategy=strategy,
        as_of=as_of,
        policy=policy,
        unknown_outcome_ids=prep.unknown_ids,
        illustrative=bool(observations.illustrative) if observations is not None else False,
        source=observations.source if observations is not None else None,
        build_results=build,
        build_measurability=report,
        columns=_columns(prep, j, process),
    )


def _evidence(process: Process) -> _core.Evidence:
    return _core.Evidence(
        icons=process.icons,
        annual=process.annual,
        variation=process.variation,
        assurance=process.assurance,
        sigma=process.sigma,
        group_from=process.group_from,
    )


def _judge_specials(
    prep: Prepared, rows: Rows, *, strategy: Strategy, as_of: dt.date, policy: Policy
) -> dict[int, Special]:
    """Milestone and recurring targets, judged in plain Python (a few per strategy)."""
    day = day_number(as_of)
    out: dict[int, Special] = {}
    for i in np.flatnonzero(prep.columns.mode == _core.OTHER).tolist():
        plan = prep.plans[i]
        t = plan.outcome.target
        if plan.code or t is None:
            continue
        if t.kind is TargetKind.MILESTONE:
            out[i] = judge_milestones(plan.outcome, as_of, policy)
            continue
        sl = rows.slice(i, day)
        p = rows.prep
        series: dict[str, Any] = {
            "as_of": as_of,
            "sense": float(prep.columns.sense[i]),
            "unit": plan.unit_text,
            "start": p.row_start[sl],
            "end": p.row_end[sl],
            "values": p.row_value[sl],
        }
        if t.kind is TargetKind.ANNUAL_RATE:  # "x % every year" with no baseline
            out[i] = judge_year_on_year(plan.outcome, strategy, rate=plan.rate, **series)
        else:
            out[i] = judge_recurring(
                plan.outcome,
                strategy,
                threshold=plan.target,
                combine=policy.combine_periods,
                **series,
            )
    return out


def _labels(index: Any, labels: tuple[str, ...]) -> Any:
    table = np.array([*labels, None], dtype=object)
    return table[np.where(index >= 0, index, len(labels))]


def _code_labels(code: Any) -> Any:
    """``"SK" + code`` for every outcome, written once per distinct code."""
    distinct, inverse = np.unique(code, return_inverse=True)
    labels = np.array([f"SK{c}" for c in distinct.tolist()], dtype=object)
    return labels[inverse.reshape(-1)]


def _columns(prep: Prepared, j: _core.Judged, process: Process) -> dict[str, Any]:
    cols = _raw_columns(prep, j)
    m = len(prep.plans)
    variation = np.full(m, None, dtype=object)
    assurance = np.full(m, None, dtype=object)
    has = process.series >= 0
    if process.table is not None:
        k = process.series[has]
        variation[has] = process.table.variation_icon[k]
        assurance[has] = process.table.assurance_icon[k]
    cols["variation_icon"] = variation
    cols["assurance_icon"] = assurance
    conflict = np.full(m, None, dtype=object)
    for bits in np.unique(j.conflict[j.conflict > 0]).tolist():
        conflict[j.conflict == bits] = conflict_text(int(bits))
    cols["spc_conflict"] = conflict
    for name, a in cols.items():
        a = np.array(a, copy=True)  # noqa: PLW2901 - a private, read-only copy
        a.setflags(write=False)
        cols[name] = a
    return cols


def _raw_columns(prep: Prepared, j: _core.Judged) -> dict[str, Any]:
    return {
        "outcome_id": np.array(prep.outcome_ids, dtype=object),
        "status": _labels(j.status, _core.STATUS_ORDER),
        "code": _code_labels(j.code),
        "n_points": j.n_points,
        "latest_value": j.latest,
        "target_value": prep.columns.target,
        "baseline_value": prep.columns.baseline,
        "expected": j.expected,
        "gap": j.gap,
        "progress": j.progress,
        "deviation": j.deviation,
        "forecast": j.forecast,
        "forecast_low": j.forecast_low,
        "forecast_high": j.forecast_high,
        "forecast_verdict": _labels(j.verdict, ("likely", "unlikely", "uncertain")),
        "forecast_probability": j.probability,
        "forecast_clipped": j.clipped,
    }
