"""Portfolio evaluation: per-entity results, aggregates, league tables, names, invariances."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from portfolio_builders import rows, standard

from stratkit.evaluation import Status, evaluate
from stratkit.model import Observations
from stratkit.portfolio import (
    Entity,
    PortfolioEvaluation,
    aggregate_entities,
    derive_rates,
    evaluate_portfolio,
    read_entities,
)
from stratkit.portfolio.pack import render_pack
from stratkit.portfolio.tabular import render_portfolio
from stratkit.spc import spc

CODES = ["RX1", "RX2", "RX3", "RX4"]
LOOKUP = [
    Entity(code="RX1", name="Example NHS Trust", region="North", parent="QX1"),
    Entity(code="RX2", name="Sample Hospitals NHS Trust", region="North", parent="QX1"),
    Entity(code="RX3", name="Fictional Care NHS Trust", region="South", parent="QX2"),
    Entity(code="RX4", name="Imaginary Health NHS Trust", region="South", parent="QX2"),
    Entity(code="RX9", name="Quiet NHS Trust", region="South", parent="QX2"),  # no data
    Entity(code="QX1", name="Example ICB"),
    Entity(code="ALL", name="All fictional trusts"),
]


@pytest.fixture(scope="module")
def portfolio() -> PortfolioEvaluation:
    return evaluate_portfolio(standard(), rows(CODES), entities=LOOKUP)


def _columns(pe: PortfolioEvaluation) -> dict[str, list[object]]:
    return pe.columns()


def test_each_entity_is_an_ordinary_evaluation(portfolio: PortfolioEvaluation) -> None:
    assert list(portfolio) == ["RX1", "RX2", "RX3", "RX4", "RX9"]
    strategy = standard()
    data = rows(CODES)
    for code in CODES:
        mine = data.take(np.flatnonzero(data.entity == code))
        alone = evaluate(
            strategy, derive_rates(strategy, mine).observations(), as_of=portfolio.as_of
        )
        for k in ("status", "latest_value", "gap", "n_points"):
            assert portfolio[code].columns[k].tolist() == alone.columns[k].tolist()


def test_an_entity_without_data_is_no_data_never_dropped(portfolio: PortfolioEvaluation) -> None:
    assert "RX9" in portfolio
    assert {r.status for r in portfolio["RX9"]} == {Status.NO_DATA}
    for oid in ("seen", "wait"):
        last = portfolio.league(oid)[-1]
        assert last.entity.code == "RX9"
        assert last.rank is None
    assert portfolio.rollup("seen").counts[Status.NO_DATA] == 1


def test_aggregates_total_region_and_parent_named_from_the_lookup(
    portfolio: PortfolioEvaluation,
) -> None:
    levels = [(a.code, a.level, a.label) for a in portfolio.aggregates]
    assert levels == [
        ("ALL", "total", "All fictional trusts"),
        ("North", "region", "North"),
        ("South", "region", "South"),
        ("QX1", "parent", "Example ICB"),
        ("QX2", "parent", "QX2"),
    ]
    # the ICB's code names no entity: it is not an organisation without data
    assert "QX1" not in portfolio.codes


def test_aggregate_then_evaluate_equals_evaluating_the_aggregate_series(
    portfolio: PortfolioEvaluation,
) -> None:
    data = rows(CODES)
    north = aggregate_entities(standard(), data, {"RX1": "N", "RX2": "N"})
    by_hand = data.take(np.flatnonzero(np.isin(data.entity, ["RX1", "RX2"])))
    months = sorted(set(by_hand.start.tolist()))
    seen = by_hand.outcome_id == "seen"
    num = [by_hand.numerator[seen & (by_hand.start == m)].sum() for m in months]
    den = [by_hand.denominator[seen & (by_hand.start == m)].sum() for m in months]
    series = Observations.from_columns(
        outcome_id=["seen"] * len(months),
        start=months,
        end=north.end,
        value=100 * np.array(num) / np.array(den),
        unit="%",
    )
    alone = evaluate(standard(), series, as_of=portfolio.as_of)
    got = portfolio["North"]
    for k in ("status", "latest_value", "gap", "n_points", "forecast"):
        a, b = got.columns[k][:1].tolist(), alone.columns[k][:1].tolist()
        assert a == pytest.approx(b, rel=1e-12, nan_ok=True) if k != "status" else a == b
    assert got["wait"].status is Status.NO_DATA  # a median wait has no aggregate
    mine = portfolio.spc("North", "seen")
    ref = spc(alone["seen"].series.values, alone["seen"].series.end, target=95.0)
    np.testing.assert_allclose(mine.values, ref.values, rtol=1e-12)
    np.testing.assert_allclose(mine.upl, ref.upl, rtol=1e-12)


def test_every_entitys_chart_is_spc_on_its_series_alone(portfolio: PortfolioEvaluation) -> None:
    n = 0
    for code in (*portfolio.codes, *(a.code for a in portfolio.aggregates)):
        for oid, way, target in (("seen", "increase", 95.0), ("wait", "decrease", 30.0)):
            mine = portfolio.spc(code, oid)
            result = portfolio[code][oid]
            assert (mine is None) == (result.spc is None)
            if mine is None:
                continue
            alone = spc(
                result.series.values,
                result.series.end,
                improvement_direction=way,
                target=target,
            )
            for field in ("values", "mean", "lpl", "upl"):
                np.testing.assert_array_equal(getattr(mine, field), getattr(alone, field))
            assert list(mine.point_type) == list(alone.point_type)
            assert (mine.variation_icon, mine.assurance_icon) == (
                alone.variation_icon,
                alone.assurance_icon,
            )
            n += 1
    assert n == 4 * 2 + 5  # every trust's two charts, the aggregates' rate charts


def test_league_tables_follow_the_measures_direction(portfolio: PortfolioEvaluation) -> None:
    seen = [r.latest_value for r in portfolio.league("seen") if r.rank is not None]
    wait = [r.latest_value for r in portfolio.league("wait") if r.rank is not None]
    assert seen == sorted(seen, reverse=True)
    assert wait == sorted(wait)
    assert [r.rank for r in portfolio.league("wait")] == [1, 2, 3, 4, None]


def test_names_appear_in_every_output(portfolio: PortfolioEvaluation, tmp_path: Path) -> None:
    name = "Sample Hospitals NHS Trust"
    assert name in json.dumps(portfolio.to_dict())
    assert name in portfolio.columns()["name"]
    assert name in render_portfolio(portfolio, format="table")
    assert name in render_portfolio(portfolio, format="csv")
    assert name in render_pack(portfolio)
    assert "Example ICB" in render_pack(portfolio)


def test_lookup_file_is_read_and_its_problems_located(tmp_path: Path) -> None:
    good = tmp_path / "entities.csv"
    good.write_text("code,name,region,parent\nRX1,Example NHS Trust,North,QX1\n", "utf-8")
    assert read_entities(good)["RX1"].parent == "QX1"
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\nRX1,A\nRX1,B\n,C\n", "utf-8")
    with pytest.raises(Exception, match=r"bad.csv") as info:
        read_entities(bad)
    text = str(info.value)
    assert "given twice" in text
    assert "empty code" in text
    assert ":3" in text


def test_json_and_csv_are_deterministic(portfolio: PortfolioEvaluation) -> None:
    again = evaluate_portfolio(standard(), rows(CODES), entities=LOOKUP)
    assert portfolio.to_json() == again.to_json()
    assert render_portfolio(portfolio, format="csv") == render_portfolio(again, format="csv")


def test_csv_cells_that_look_like_formulas_are_guarded() -> None:
    pe = evaluate_portfolio(
        standard(), rows(["=HYPERLINK(1)"]), entities=[Entity(code="=HYPERLINK(1)", name="+x")]
    )
    text = render_portfolio(pe, format="csv")
    assert "\n=" not in text
    assert ",=" not in text
    assert ",+x" not in text


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), names=st.permutations(CODES))
def test_permuting_entities_or_rows_changes_nothing(seed: int, names: list[str]) -> None:
    base = evaluate_portfolio(standard(), rows(CODES), entities=LOOKUP)
    data = rows(CODES)
    # the same data under the entities listed in another order, rows shuffled
    order = np.random.default_rng(seed).permutation(len(data))
    lookup = [next(e for e in LOOKUP if e.code == c) for c in names] + LOOKUP[4:]
    shuffled = evaluate_portfolio(standard(), data.take(order), entities=lookup)
    a, b = base.columns(), shuffled.columns()
    assert a.keys() == b.keys()
    for k in a:
        assert a[k] == pytest.approx(b[k], nan_ok=True) if k not in ("status",) else a[k] == b[k]
    assert base.to_json() == shuffled.to_json()


def test_rows_without_an_entity_are_refused() -> None:
    data = rows(["RX1"])
    blank = data.take(np.arange(len(data)))
    blank = type(blank)(
        entity=[""] * len(blank),
        outcome_id=blank.outcome_id,
        start=blank.start,
        end=blank.end,
        value=blank.value,
        unit=blank.unit,
        numerator=blank.numerator,
        denominator=blank.denominator,
    )
    with pytest.raises(ValueError, match="names its entity"):
        evaluate_portfolio(standard(), blank)


def test_rows_are_the_entities_rows_then_each_aggregates(portfolio: PortfolioEvaluation) -> None:
    parts = portfolio.row_parts
    assert len(parts) == 1 + len(portfolio.aggregates)
    joined = portfolio.rows
    assert len(joined) == sum(len(p) for p in parts)
    assert joined is portfolio.rows  # joined once
    assert set(parts[0].entity.tolist()) == set(CODES)
    offset = len(parts[0])
    for group, part in zip(portfolio.aggregates, parts[1:], strict=True):
        assert set(part.entity.tolist()) == {group.code}
        sl = slice(offset, offset + len(part))
        np.testing.assert_array_equal(joined.entity[sl], part.entity)
        np.testing.assert_array_equal(joined.value[sl], part.value)
        offset += len(part)
    # each aggregate's rows are what its evaluation judged
    codes = [g.code for g in portfolio.aggregates]
    north = parts[1 + codes.index("North")]
    judged = portfolio["North"]["seen"].series.values.tolist()
    assert judged == north.value[north.outcome_id == "seen"].tolist()
