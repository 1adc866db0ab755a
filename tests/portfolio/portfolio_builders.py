"""A small synthetic portfolio for the portfolio tests (invented: fictional organisations)."""

from __future__ import annotations

import numpy as np

from stratkit.model import (
    Ambition,
    Measure,
    Objective,
    Organisation,
    Outcome,
    Period,
    Strategy,
    Target,
)
from stratkit.portfolio import PortfolioRows

MONTHS = 24


def standard() -> Strategy:
    """Two outcomes: a rate of counts (higher is better) and a waiting time (lower is better)."""
    return Strategy(
        title="Illustrative standard for fictional trusts",
        organisation=Organisation(name="Example NHS Trust"),
        period=Period(start="2023-04-01", end="2025-03-31"),
        ambitions=[
            Ambition(
                id="1",
                title="Timely care",
                objectives=[
                    Objective(
                        id="1.1",
                        title="Seen in time",
                        outcomes=[
                            Outcome(
                                id="seen",
                                statement="95% seen within 4 hours",
                                measure=Measure(
                                    name="Seen within 4 hours",
                                    unit="%",
                                    frequency="monthly",
                                    from_counts=True,
                                ),
                                target=Target.level(
                                    "95 %", direction="increase", deadline="2025-03-31"
                                ),
                            ),
                            Outcome(
                                id="wait",
                                statement="Median wait at most 30 minutes",
                                measure=Measure(
                                    name="Median wait", unit="minute", frequency="monthly"
                                ),
                                target=Target.level(
                                    "30 minute", direction="decrease", deadline="2025-03-31"
                                ),
                            ),
                        ],
                    )
                ],
            )
        ],
    )


def rows(codes: list[str], seed: int = 7, months: int = MONTHS) -> PortfolioRows:
    """Monthly rows of both outcomes for each code (invented numbers)."""
    rng = np.random.default_rng(seed)
    ent, oid, start, value, unit, num, den = [], [], [], [], [], [], []
    first = np.datetime64("2023-04", "M")
    for c in codes:
        level = rng.uniform(80, 97)
        for m in range(months):
            d = int(rng.integers(200, 3000))
            ent += [c, c]
            oid += ["seen", "wait"]
            start += [first + m, first + m]
            value += [np.nan, float(np.round(rng.normal(35, 4), 1))]
            unit += ["%", "minute"]
            num += [float(min(d, round(d * rng.normal(level, 2) / 100))), np.nan]
            den += [float(d), np.nan]
    s = np.array(start, dtype="datetime64[M]")
    return PortfolioRows(
        entity=ent,
        outcome_id=oid,
        start=s.astype("datetime64[D]"),
        end=(s + 1).astype("datetime64[D]") - 1,
        value=value,
        unit=unit,
        numerator=num,
        denominator=den,
    )
