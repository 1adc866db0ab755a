"""Portfolios: one strategy or standard evaluated across many organisations.

:func:`evaluate_portfolio` evaluates a strategy for every entity (an
organisation, a site, a team) of a portfolio's observations, and for the
aggregates they roll up into (every entity, each region, each parent such as
an Integrated Care Board). Each entity's result is an ordinary
:class:`~stratkit.evaluation.Evaluation`; the portfolio adds league tables,
roll-ups across entities and every SPC chart at once. Rates of two counts
(``Measure.from_counts``) aggregate as Σ numerator ÷ Σ denominator
(:func:`aggregate_entities`, :func:`to_quarters`). :func:`write_pack` writes
the portfolio pack (HTML).
"""

from stratkit.portfolio._entities import TOTAL, Entity, EntityLevel, read_entities
from stratkit.portfolio._evaluation import PortfolioEvaluation, evaluate_portfolio
from stratkit.portfolio._rates import (
    PortfolioRows,
    aggregate_entities,
    derive_rates,
    derive_values,
    to_quarters,
)
from stratkit.portfolio._tables import LeagueRow, PortfolioRollup

__all__ = [
    "TOTAL",
    "Entity",
    "EntityLevel",
    "LeagueRow",
    "PortfolioEvaluation",
    "PortfolioRollup",
    "PortfolioRows",
    "aggregate_entities",
    "derive_rates",
    "derive_values",
    "evaluate_portfolio",
    "read_entities",
    "to_quarters",
]
