"""stratkit.dask on a real two-process LocalCluster: identical to the single-machine run.

Every field of every result row and of every SPC point is compared exactly,
on the real A&E example and on a synthetic portfolio with a lookup of regions
and parents (so that every kind of aggregate runs through Dask's group-by).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from portfolio_builders import rows, standard

import stratkit
import stratkit.dask as skd
from stratkit.model import Observations
from stratkit.portfolio import Entity, PortfolioRows, evaluate_portfolio

distributed = pytest.importorskip("dask.distributed")

AE = Path(__file__).resolve().parents[2] / "examples" / "nhs_ae_4h"


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _observations(data: PortfolioRows) -> Observations:
    return Observations.from_columns(
        outcome_id=data.outcome_id,
        start=data.start,
        end=data.end,
        value=data.value,
        unit=data.unit,
        numerator=data.numerator,
        denominator=data.denominator,
        entity=data.entity,
    )


def _same(single: pd.DataFrame, dask: pd.DataFrame, key: list[str]) -> None:
    """Equal on every field, exactly (missing values as None whatever their dtype)."""

    def norm(f: pd.DataFrame) -> pd.DataFrame:
        f = f.sort_values(key).reset_index(drop=True).astype(object)
        return f.where(f.notna(), None)

    assert set(single.columns) == set(dask.columns)
    pd.testing.assert_frame_equal(
        norm(single), norm(dask[single.columns]), check_exact=True, check_dtype=False
    )


def _check(strategy: stratkit.Strategy, obs: Observations, lookup: list[Entity] | None) -> None:
    pe = evaluate_portfolio(strategy, PortfolioRows.from_observations(obs), entities=lookup)
    frame = skd.to_dask(obs, npartitions=3)
    results = skd.evaluate(strategy, frame, entities=lookup).compute()
    _same(pe.to_frame(), results, ["level", "entity", "outcome_id"])
    points = skd.spc_points(strategy, frame, entities=lookup).compute()
    single = pd.DataFrame(pe.spc_points())
    single["date"] = single["date"].astype("datetime64[ns]")
    assert len(points) == len(single) > 0
    _same(single, points, ["entity", "outcome_id", "date"])
    # one pass for both gives the same two frames
    import dask

    both = dask.compute(*skd.portfolio(strategy, frame, entities=lookup))
    _same(pe.to_frame(), both[0], ["level", "entity", "outcome_id"])
    _same(single, both[1], ["entity", "outcome_id", "date"])


@pytest.mark.usefixtures("client")
def test_dask_equals_single_machine_on_the_ae_data() -> None:
    strategy = stratkit.load(AE)
    obs = stratkit.read_observations(AE / "observations.csv")
    _check(strategy, obs, None)


@pytest.mark.usefixtures("client")
def test_dask_equals_single_machine_on_a_synthetic_portfolio() -> None:
    codes = [f"RX{i}" for i in range(12)]
    lookup = [
        Entity(
            code=c,
            name=f"Fictional Trust {i}",
            region="North" if i < 6 else "South",
            parent=f"QX{i % 3}",
        )
        for i, c in enumerate(codes)
    ] + [Entity(code="RZ0", name="Fictional trust with no data", region="South", parent="QX0")]
    _check(standard(), _observations(rows(codes, seed=11)), lookup)


def test_to_dask_keeps_each_entity_in_one_partition() -> None:
    codes = [f"RX{i}" for i in range(8)]
    frame = skd.to_dask(_observations(rows(codes)), npartitions=3)
    seen: dict[str, int] = {}
    for k in range(frame.npartitions):
        part = frame.get_partition(k).compute()
        for code in set(part["org"]):
            assert code not in seen, f"{code} split across partitions"
            seen[code] = k
    assert sorted(seen) == codes
    assert np.isfinite(frame["denominator"].sum().compute())
