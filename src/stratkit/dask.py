"""Portfolios beyond one machine: the same evaluation and SPC on a Dask DataFrame.

Needs the optional extra ``dask`` (``pip install "stratkit-nhs[dask]"``:
Dask's DataFrame and its distributed scheduler). The observations are a Dask
DataFrame with one row per entity, outcome and period, in columns
``outcome_id``, the entity column (``org`` by default), ``start`` and ``end``
(dates), ``value``, ``unit``, ``numerator`` and ``denominator``
(:func:`to_dask` makes one from an :class:`~stratkit.model.Observations`).
Every entity is evaluated on the worker that holds its rows, with the very
code of the single-machine :func:`stratkit.portfolio.evaluate_portfolio`;
the aggregates (every entity, each region, each parent) are Dask group-by
sums of the counts, evaluated on the client. So the results are identical to
the single-machine run's, row for row (the counts of a rate are whole
numbers, which float sums add exactly in any order).

Dask does the scheduling: :func:`evaluate` and :func:`spc_points` return lazy
Dask DataFrames; ``.compute()`` runs them on the current scheduler, such as
the :class:`distributed.Client` connected to an existing cluster::

    from dask.distributed import Client
    client = Client("tcp://scheduler.example.org:8786")   # an existing cluster
    frame = stratkit.dask.to_dask(observations, npartitions=64)
    results = stratkit.dask.evaluate(strategy, frame).compute()

:func:`portfolio` gives the results and the SPC points from one pass over
the partitions.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from stratkit.evaluation import Policy
from stratkit.model import Observations, Strategy
from stratkit.portfolio._entities import Entity, read_entities
from stratkit.portfolio._evaluation import (
    PortfolioEvaluation,
    evaluate_portfolio,
    evaluate_split,
    groups_of,
    has_rates,
    sort_rows,
)
from stratkit.portfolio._rates import PortfolioRows, derive_rates

__all__ = ["evaluate", "portfolio", "spc_points", "to_dask"]

_COLUMNS = ("outcome_id", "start", "end", "value", "unit", "numerator", "denominator")


def _dask_dataframe() -> Any:
    """``dask.dataframe`` (untyped to mypy), or a clear error naming the extra."""
    try:
        import dask.dataframe
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        msg = 'stratkit.dask needs the dask extra: pip install "stratkit-nhs[dask]"'
        raise ImportError(msg) from exc
    module: Any = dask.dataframe
    return module


def to_dask(observations: Observations, *, npartitions: int = 8, by: str = "org") -> Any:
    """A Dask DataFrame of a portfolio's observations, each entity's rows in one partition.

    The entity codes become the column ``by``; rows are partitioned by entity
    (Dask's hash shuffle on that column), so each worker holds whole entities.
    """
    import pandas as pd

    dd = _dask_dataframe()
    frame = pd.DataFrame(
        {
            "outcome_id": observations.outcome_id.astype(object),
            by: observations.entity.astype(object),
            "start": observations.start.astype("datetime64[ns]"),
            "end": observations.end.astype("datetime64[ns]"),
            "value": observations.value,
            "unit": observations.unit.astype(object),
            "numerator": observations.numerator,
            "denominator": observations.denominator,
        }
    )
    ddf = dd.from_pandas(frame, npartitions=npartitions, sort=False)
    return ddf.shuffle(on=by, npartitions=npartitions)


def _rows(frame: Any, by: str) -> PortfolioRows:
    """A pandas partition as :class:`PortfolioRows`."""
    return PortfolioRows(
        entity=frame[by].astype(str).to_numpy(),
        outcome_id=frame["outcome_id"].astype(str).to_numpy(),
        start=frame["start"].to_numpy().astype("datetime64[D]"),
        end=frame["end"].to_numpy().astype("datetime64[D]"),
        value=frame["value"].to_numpy(dtype=np.float64),
        unit=frame["unit"].astype(str).to_numpy(),
        numerator=frame["numerator"].to_numpy(dtype=np.float64),
        denominator=frame["denominator"].to_numpy(dtype=np.float64),
    )


def _frame(columns: dict[str, Any], meta: Any) -> Any:
    import pandas as pd

    frame = pd.DataFrame({c: columns.get(c, []) for c in meta.columns})
    return frame.astype(meta.dtypes.to_dict())


def _partition(
    frame: Any,
    *,
    strategy: Strategy,
    by: str,
    lookup: dict[str, Entity],
    as_of: dt.date,
    policy: Policy,
    what: str,
    layout: Any,
) -> Any:
    """Evaluate the whole entities of one partition, exactly as on one machine."""
    rows = _rows(frame, by)
    present = set(rows.entity.tolist())
    named = [e for c, e in lookup.items() if c in present]
    pe = evaluate_portfolio(
        strategy, rows, entities=named, as_of=as_of, policy=policy, by=by, aggregates=False
    )
    return _frame(pe.columns() if what == "results" else pe.spc_points(), layout)


def _both(
    frame: Any,
    *,
    strategy: Strategy,
    by: str,
    lookup: dict[str, Entity],
    as_of: dt.date,
    policy: Policy,
    layouts: tuple[Any, Any],
) -> tuple[Any, Any]:
    """One partition evaluated once: its results and its SPC points."""
    rows = _rows(frame, by)
    present = set(rows.entity.tolist())
    named = [e for c, e in lookup.items() if c in present]
    pe = evaluate_portfolio(
        strategy, rows, entities=named, as_of=as_of, policy=policy, by=by, aggregates=False
    )
    return _frame(pe.columns(), layouts[0]), _frame(pe.spc_points(), layouts[1])


def _meta(strategy: Strategy, what: str, policy: Policy) -> Any:
    """An empty frame with the columns and dtypes of the results (or the SPC points)."""
    import pandas as pd

    probe = evaluate_portfolio(
        strategy,
        PortfolioRows.empty(),
        entities=[Entity(code="x")],
        as_of=dt.date(2000, 1, 1),
        policy=policy,
        aggregates=False,
    )
    if what == "results":
        frame = pd.DataFrame(probe.columns())
        for c in ("variation_icon", "assurance_icon", "status", "forecast_verdict"):
            frame[c] = frame[c].astype(object)
        return frame.iloc[:0]
    points = probe.spc_points()
    kinds: dict[str, Any] = {
        "entity": object,
        "outcome_id": object,
        "date": "datetime64[ns]",
        "value": np.float64,
        "mean": np.float64,
        "lpl": np.float64,
        "upl": np.float64,
        "rebase_group": np.int64,
        "special_cause_type": object,
        "point_type": object,
        "short_group_warning": bool,
        "variation_icon": object,
        "assurance_icon": object,
    }
    return pd.DataFrame({c: pd.Series([], dtype=kinds[c]) for c in points})


class _Plan:
    """What both :func:`evaluate` and :func:`spc_points` work out first."""

    def __init__(
        self,
        strategy: Strategy,
        frame: Any,
        *,
        by: str,
        entities: str | os.PathLike[str] | Iterable[Entity] | None,
        as_of: dt.date | None,
        policy: Policy | None,
    ) -> None:
        import dask
        import pandas as pd

        compute: Any = getattr(dask, "compute")  # noqa: B009 - dask exports it lazily
        self.strategy = strategy
        # the observations are read once: later steps reuse the partitions in memory
        self.frame = frame.persist()
        self.by = by
        self.lookup = read_entities(entities) if entities is not None else {}
        self.policy = policy or strategy.policy or Policy()
        latest, codes = compute(self.frame["end"].max(), self.frame[by].unique())
        self.codes = sorted(str(c) for c in codes.tolist())
        if as_of is None:
            as_of = dt.date.today() if pd.isna(latest) else latest.date()
        self.as_of: dt.date = as_of

    def entities(self, what: str) -> Any:
        meta = _meta(self.strategy, what, self.policy)
        return self.frame.map_partitions(
            _partition,
            strategy=self.strategy,
            by=self.by,
            lookup=self.lookup,
            as_of=self.as_of,
            policy=self.policy,
            what=what,
            layout=meta,
            meta=meta,
            align_dataframes=False,
        )

    def client_side(self) -> PortfolioEvaluation:
        """Entities of the lookup without any data, and the aggregates, as one portfolio."""
        codes = self.codes
        parents = {getattr(e, k) for e in self.lookup.values() for k in ("region", "parent")}
        absent = [
            e for c, e in self.lookup.items() if c not in codes and c != "ALL" and c not in parents
        ]
        base = evaluate_portfolio(
            self.strategy,
            PortfolioRows.empty(),
            entities=absent,
            as_of=self.as_of,
            policy=self.policy,
            by=self.by,
            aggregates=False,
        )
        if not (has_rates(self.strategy) and codes):
            return base
        dd = _dask_dataframe()
        rates = [o.id for o in self.strategy.outcomes() if o.measure and o.measure.from_counts]
        counts = self.frame[self.frame["outcome_id"].isin(rates)]
        parts, groups = [], []
        for group, members in groups_of(codes, self.lookup):
            mapped = counts.assign(_group=counts[self.by].map(members, meta=(self.by, object)))
            parts.append(mapped[mapped["_group"].notnull()])
            groups.append(group)
        # every level's groups in one group-by, computed once
        summed = (
            dd.concat(parts)
            .groupby(["_group", "outcome_id", "start", "end"])[["numerator", "denominator"]]
            .sum()
            .reset_index()
            .compute()
            .rename(columns={"_group": self.by})
        )
        summed["value"] = np.nan
        summed["unit"] = ""
        agg_rows = sort_rows(self.strategy, derive_rates(self.strategy, _rows(summed, self.by)))
        evaluations = dict(base.evaluations) | evaluate_split(
            self.strategy,
            agg_rows,
            [g.code for g in groups],
            as_of=self.as_of,
            policy=self.policy,
        )
        return PortfolioEvaluation(
            strategy=self.strategy,
            as_of=self.as_of,
            policy=self.policy,
            by=self.by,
            entities=base.entities,
            aggregates=tuple(groups),
            evaluations=evaluations,
            row_parts=(agg_rows,),
        )


def _combine(plan: _Plan, what: str) -> Any:
    dd = _dask_dataframe()
    local = plan.client_side()
    meta = _meta(plan.strategy, what, plan.policy)
    extra = _frame(local.columns() if what == "results" else local.spc_points(), meta)
    return dd.concat([plan.entities(what), dd.from_pandas(extra, npartitions=1)])


def portfolio(
    strategy: Strategy,
    frame: Any,
    *,
    by: str = "org",
    entities: str | os.PathLike[str] | Iterable[Entity] | None = None,
    as_of: dt.date | None = None,
    policy: Policy | None = None,
) -> tuple[Any, Any]:
    """The results and every SPC point, as two lazy Dask DataFrames from one pass.

    As :func:`evaluate` and :func:`spc_points`, but each partition is
    evaluated once for both: compute them together,
    ``dask.compute(*stratkit.dask.portfolio(strategy, frame))``.
    """
    import dask

    plan = _Plan(strategy, frame, by=by, entities=entities, as_of=as_of, policy=policy)
    dd = _dask_dataframe()
    delayed: Any = getattr(dask, "delayed")  # noqa: B009 - dask exports it lazily
    layouts = (_meta(strategy, "results", plan.policy), _meta(strategy, "spc", plan.policy))
    both = delayed(_both, nout=2)
    pairs = [
        both(
            part,
            strategy=plan.strategy,
            by=plan.by,
            lookup=plan.lookup,
            as_of=plan.as_of,
            policy=plan.policy,
            layouts=layouts,
        )
        for part in plan.frame.to_delayed()
    ]
    local = plan.client_side()
    extra = (_frame(local.columns(), layouts[0]), _frame(local.spc_points(), layouts[1]))
    return tuple(
        dd.concat(
            [
                dd.from_delayed([p[k] for p in pairs], meta=layouts[k], verify_meta=False),
                dd.from_pandas(extra[k], npartitions=1),
            ]
        )
        for k in (0, 1)
    )


def evaluate(
    strategy: Strategy,
    frame: Any,
    *,
    by: str = "org",
    entities: str | os.PathLike[str] | Iterable[Entity] | None = None,
    as_of: dt.date | None = None,
    policy: Policy | None = None,
) -> Any:
    """The results as a lazy Dask DataFrame, one row per entity (then aggregate) and outcome.

    The columns are those of :meth:`PortfolioEvaluation.columns
    <stratkit.portfolio.PortfolioEvaluation.columns>`, and so are the values:
    ``stratkit.dask.evaluate(...).compute()`` holds the same rows as
    ``evaluate_portfolio(...).to_frame()``, in another order (sort both by
    ``level``, ``entity`` and ``outcome_id`` to compare). ``as_of`` defaults
    to the latest ``end`` in ``frame`` (computed first).
    """
    plan = _Plan(strategy, frame, by=by, entities=entities, as_of=as_of, policy=policy)
    return _combine(plan, "results")


def spc_points(
    strategy: Strategy,
    frame: Any,
    *,
    by: str = "org",
    entities: str | os.PathLike[str] | Iterable[Entity] | None = None,
    as_of: dt.date | None = None,
    policy: Policy | None = None,
) -> Any:
    """Every SPC chart of the portfolio, point by point, as a lazy Dask DataFrame.

    The same rows as :meth:`PortfolioEvaluation.spc_points
    <stratkit.portfolio.PortfolioEvaluation.spc_points>` on one machine.
    """
    plan = _Plan(strategy, frame, by=by, entities=entities, as_of=as_of, policy=policy)
    return _combine(plan, "spc")
