"""Shared pieces of the benchmarks' invented national portfolios (load tests, not data
about anyone): one ambition per trust, and each series' run of calendar months."""

from __future__ import annotations

from typing import Any

import numpy as np

from stratkit.model import Ambition, Objective, Organisation, Outcome, Period, Strategy

__all__ = ["FIRST_MONTH", "monthly_periods", "trust_strategy"]

FIRST_MONTH = np.datetime64("2020-04", "M")


def trust_strategy(trusts: list[list[Outcome]], title: str) -> Strategy:
    """A strategy of one ambition (with one objective) per trust's outcomes, 2020-26."""
    ambitions = [
        Ambition(
            id=f"T{trust:03d}",
            title=f"Trust {trust}",
            objectives=[Objective(id=f"T{trust:03d}.O", title="All outcomes", outcomes=outcomes)],
        )
        for trust, outcomes in enumerate(trusts)
    ]
    return Strategy(
        title=title,
        organisation=Organisation(name="England"),
        period=Period(start="2020-04-01", end="2026-03-31"),
        ambitions=ambitions,
    )


def monthly_periods(n_series: int, n_months: int) -> tuple[Any, Any]:
    """The start and end days of ``n_months`` months from April 2020, once per series."""
    months = FIRST_MONTH + np.arange(n_months)
    start = np.tile(months.astype("datetime64[D]"), n_series)
    end = np.tile((months + 1).astype("datetime64[D]") - 1, n_series)
    return start, end
