"""Portfolios on the command line: ``evaluate --by`` and ``report --by/--entity``.

The observations name each row's entity in a column (``org`` by default).
``--by`` names that column; without it, observations that have an ``org``
column are evaluated as a portfolio too. A lookup of names, regions and
parents is read from ``entities.csv`` beside the strategy when there is one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from stratkit.cli._app import _load, _observations_source, read_observations_then_warn

DEFAULT_BY = "org"

BY = click.option(
    "--by",
    metavar="COLUMN",
    default=None,
    help=(
        "Evaluate a portfolio: one evaluation per entity named in this observations "
        "column (e.g. org), plus their aggregates. Default: org, when the data has it."
    ),
)


def portfolio_or_none(
    path: Path,
    observations: Path | None,
    as_of: dt.date | None,
    by: str | None,
    *,
    policy: Path | None = None,
    strict: bool = False,
    duplicates: str = "error",
) -> Any:
    """A ``PortfolioEvaluation`` when asked for (``by``) or when the data names entities."""
    source = _observations_source(path, observations)
    if source is None:
        if by is None:
            return None
        raise click.UsageError(f"--by {by}: no observations to evaluate by entity")
    strategy = _load(path)
    obs, warn = read_observations_then_warn(
        strategy, source, strict=strict, entity=by or DEFAULT_BY, duplicates=duplicates
    )
    if by is None and not obs.entities():
        return None  # one organisation's data: the ordinary evaluation reads it again, aloud
    warn()  # the rows set aside, as the ordinary evaluation says them
    from stratkit.io import load_policy
    from stratkit.portfolio import PortfolioRows, evaluate_portfolio

    folder = path if path.is_dir() else path.parent
    lookup = folder / "entities.csv"
    return evaluate_portfolio(
        strategy,
        PortfolioRows.from_observations(obs),
        entities=lookup if lookup.is_file() else None,
        as_of=as_of,
        policy=load_policy(policy) if policy is not None else None,
        by=by or DEFAULT_BY,
    )
