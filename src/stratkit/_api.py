"""The public verbs that accept paths and DataFrames as well as model objects.

:func:`evaluate` reads a strategy path with :func:`stratkit.io.load` and
observations (a CSV path, a pandas DataFrame, or an
:class:`~stratkit.model.Observations`) with :func:`stratkit.io.read_observations`,
then calls :func:`stratkit.evaluation.evaluate`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, overload

from stratkit.evaluation import Evaluation, Policy
from stratkit.evaluation import evaluate as _evaluate
from stratkit.evaluation._as_of import checked_as_of
from stratkit.model import Observations, Strategy

if TYPE_CHECKING:
    from stratkit.portfolio import Entity, PortfolioEvaluation

__all__ = ["evaluate"]


@overload
def evaluate(
    strategy: Strategy | str | os.PathLike[str],
    observations: Observations | str | os.PathLike[str] | Any | None = None,
    *,
    as_of: dt.date | str | None = None,
    policy: Policy | None = None,
    duplicates: str = "error",
    by: None = None,
    entities: None = None,
) -> Evaluation: ...


@overload
def evaluate(
    strategy: Strategy | str | os.PathLike[str],
    observations: Observations | str | os.PathLike[str] | Any | None = None,
    *,
    as_of: dt.date | str | None = None,
    policy: Policy | None = None,
    duplicates: str = "error",
    by: str,
    entities: str | os.PathLike[str] | Iterable[Entity] | None = None,
) -> PortfolioEvaluation: ...


def evaluate(
    strategy: Strategy | str | os.PathLike[str],
    observations: Observations | str | os.PathLike[str] | Any | None = None,
    *,
    as_of: dt.date | str | None = None,
    policy: Policy | None = None,
    duplicates: str = "error",
    by: str | None = None,
    entities: str | os.PathLike[str] | Iterable[Entity] | None = None,
) -> Evaluation | PortfolioEvaluation:
    """Evaluate ``strategy`` against ``observations`` as of ``as_of``.

    ``strategy`` is a :class:`~stratkit.model.Strategy` or the path of a
    strategy file; ``observations`` an :class:`~stratkit.model.Observations`
    or anything :func:`~stratkit.io.read_observations` reads (a CSV or
    ``.xlsx`` path, a folder, a DataFrame), or ``None`` to judge without data
    (every measurable outcome then has no data). The observations are
    checked against the strategy: rows with problems are set aside, with an
    :class:`~stratkit.errors.ObservationsWarning` listing them. ``as_of`` may be ISO text; it
    defaults to the end of the latest period observed, or today when there
    are no observations.

    Two values for the same outcome and period (and entity) are a problem
    naming every row, and those rows are set aside, unless ``duplicates``
    chooses a rule: ``"first"`` or ``"last"`` keeps that row, in the order
    the rows were read; ``"mean"`` or ``"sum"`` combines the values (and the
    counts, when every row gives them: see
    :func:`~stratkit.io.read_observations`). Any other value raises
    :class:`ValueError`, before anything is read.

    With ``by`` (the name of the entity column, ``"org"`` for the
    observations file's default), the observations are a portfolio's: the
    result is a :class:`~stratkit.portfolio.PortfolioEvaluation`, with one
    evaluation per entity and per aggregate (see
    :func:`stratkit.portfolio.evaluate_portfolio`; ``entities`` is its
    lookup file of names, regions and parents).

    Values of measures that are rates of counts (``Measure.from_counts``) are
    derived from each row's numerator and denominator.

    >>> import datetime as dt, stratkit
    >>> ev = stratkit.evaluate(stratkit.examples.load("kmpt_2023_26"), as_of=dt.date(2025, 3, 31))
    >>> len(ev) == len(list(ev.strategy.outcomes()))
    True
    """
    from stratkit import io
    from stratkit.io.observations._duplicates import check_rule

    check_rule(duplicates)
    if not isinstance(strategy, Strategy):
        strategy = io.load(strategy)
    when = checked_as_of(as_of)  # the engine's own check, before any reading
    if by is not None:
        from stratkit.portfolio import PortfolioRows, evaluate_portfolio

        if observations is None:
            rows = PortfolioRows.empty()
        else:
            data = io.read_observations(
                observations, strategy=strategy, entity=by, duplicates=duplicates
            )
            rows = PortfolioRows.from_observations(data)
        return evaluate_portfolio(
            strategy, rows, entities=entities, as_of=when, policy=policy, by=by
        )
    # read and checked against the strategy: units, datetime periods, duplicates...
    obs = (
        None
        if observations is None
        else io.read_observations(observations, strategy=strategy, duplicates=duplicates)
    )
    if obs is not None and any(
        o.measure is not None and o.measure.from_counts for o in strategy.outcomes()
    ):
        from stratkit.portfolio import derive_values

        obs = derive_values(strategy, obs)  # rates of counts: value = numerator / denominator
    return _evaluate(strategy, obs, as_of=when, policy=policy)
