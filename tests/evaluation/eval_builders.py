"""Small builders shared by the evaluation tests: one-outcome strategies and monthly data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from stratkit.model import (
    Ambition,
    Measure,
    Objective,
    Observations,
    Organisation,
    Outcome,
    Period,
    Strategy,
    Target,
)

PERIOD = Period(start="2023-04-01", end="2026-03-31")
AS_OF = dt.date(2025, 3, 31)


def outcome(
    oid: str,
    target: Target | None,
    *,
    unit: str = "%",
    frequency: str = "monthly",
    name: str = "Vacancy rate",
    owner: str | None = "Chief People Officer",
    data_source: str | None = "ESR",
    range: tuple[str, str] | None = None,
) -> Outcome:
    """An outcome with a measure in ``unit``."""
    return Outcome(
        id=oid,
        statement=f"Outcome {oid}",
        owner=owner,
        measure=Measure(
            name=name, unit=unit, frequency=frequency, data_source=data_source, range=range
        ),
        target=target,
    )


def strategy(*outcomes: Outcome, objectives: int = 1) -> Strategy:
    """A strategy holding ``outcomes``, spread over ``objectives`` objectives of one ambition."""
    groups: list[list[Outcome]] = [[] for _ in range(objectives)]
    for i, o in enumerate(outcomes):
        groups[i % objectives].append(o)
    return Strategy(
        title="Test strategy",
        organisation=Organisation(name="Test Trust", code="TST"),
        period=PERIOD,
        ambitions=[
            Ambition(
                id="1",
                title="People we care for",
                objectives=[
                    Objective(id=f"1.{k + 1}", title=f"Objective {k + 1}", outcomes=g)
                    for k, g in enumerate(groups)
                ],
            )
        ],
    )


def monthly(
    series: dict[str, Sequence[float]],
    *,
    first: str = "2023-04",
    unit: str | dict[str, str] = "%",
    illustrative: bool = False,
) -> Observations:
    """Monthly observations: each id's values for consecutive months from ``first``."""
    ids: list[str] = []
    starts: list[Any] = []
    ends: list[Any] = []
    values: list[float] = []
    units: list[str] = []
    m0 = np.datetime64(first, "M")
    for oid, vals in series.items():
        for k, v in enumerate(vals):
            month = m0 + k
            ids.append(oid)
            starts.append(month.astype("datetime64[D]"))
            ends.append((month + 1).astype("datetime64[D]") - 1)
            values.append(float(v))
            units.append(unit if isinstance(unit, str) else unit[oid])
    return Observations.from_columns(
        outcome_id=ids,
        start=starts,
        end=ends,
        value=values,
        unit=units,
        illustrative=illustrative,
        source="test",
    )


def vacancy_target(**kw: Any) -> Target:
    """'Drive down our vacancy rate to 14 %' from 16 % at 2023-03-31."""
    args: dict[str, Any] = {
        "direction": "decrease",
        "deadline": "2026-03-31",
        "baseline": {"value": "16 %", "date": "2023-03-31"},
    }
    args.update(kw)
    from stratkit.model import Baseline

    if isinstance(args.get("baseline"), dict):
        args["baseline"] = Baseline(**args["baseline"])
    return Target.level(args.pop("value", "14 %"), **args)
