"""The NHS A&E 4-hour example: real data, every figure in its README checked against it.

The README's figures are recomputed here straight from NHS England's file
(``data/ae_attendances.csv``) with the standard library, independently of
stratkit: England's performance is Σ(attendances − breaches) / Σ attendances
over every provider in the data. stratkit's own results (the aggregate's
values, every provider's SPC chart) are then checked against the same
independent sums and against :func:`stratkit.spc.spc` on each series alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
import statistics
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

import stratkit
from stratkit.portfolio import PortfolioEvaluation
from stratkit.spc import spc

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "nhs_ae_4h"
DATA = FOLDER / "data" / "ae_attendances.csv"
README = (FOLDER / "README.md").read_text(encoding="utf-8")


def _source_rows() -> list[dict[str, str]]:
    with DATA.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _fy(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    first = year if month >= 4 else year - 1
    return f"FY{first}/{(first + 1) % 100:02d}"


def _pct(within: int, total: int) -> str:
    return f"{100 * within / total:.1f} %"


@pytest.fixture(scope="module")
def sums() -> dict[tuple[str, str], list[int]]:
    """(department type or 'all', financial year or month) -> [within 4 hours, attendances]."""
    out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in _source_rows():
        att, breaches = int(r["attendances"]), int(r["breaches"])
        for kind in (r["type"], "all"):
            for when in (_fy(r["period"]), r["period"][:7]):
                out[kind, when][0] += att - breaches
                out[kind, when][1] += att
    return out


@pytest.fixture(scope="module")
def portfolio() -> PortfolioEvaluation:
    return stratkit.evaluate(
        FOLDER, FOLDER / "observations.csv", by="org", entities=FOLDER / "entities.csv"
    )


def test_source_file_is_the_published_cut_and_small_enough_for_the_repository() -> None:
    rows = _source_rows()
    assert len(rows) == 12_765
    assert len({r["org_code"] for r in rows}) == 274
    assert {r["period"] for r in rows} == {
        f"{y}-{m:02d}-01"
        for y in (2016, 2017, 2018, 2019)
        for m in range(1, 13)
        if dt.date(2016, 4, 1) <= dt.date(y, m, 1) <= dt.date(2019, 3, 1)
    }
    size = sum(p.stat().st_size for p in FOLDER.rglob("*") if p.is_file())
    assert size < 1_500_000  # the whole example, data included, stays well under 1.5 MB


def test_attribution_travels_with_the_data() -> None:
    text = (FOLDER / "data" / "README.md").read_text(encoding="utf-8")
    assert "Open Government Licence" in text
    assert "NHSRdatasets" in text


def test_observations_csv_is_up_to_date_with_the_source() -> None:
    spec = importlib.util.spec_from_file_location("prepare_ae", FOLDER / "prepare_observations.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (FOLDER / "observations.csv").read_text(encoding="utf-8") == module.render()


def test_readme_yearly_table_equals_the_data(sums: dict[tuple[str, str], list[int]]) -> None:
    for fy in ("FY2016/17", "FY2017/18", "FY2018/19"):
        t1, every = sums["1", fy], sums["all", fy]
        line = f"| {fy} | {_pct(*t1)} | {_pct(*every)} | {t1[1]:,} | {every[1]:,} |"
        assert line in README, line
    years = [sums["1", fy] for fy in ("FY2016/17", "FY2017/18", "FY2018/19")]
    rates = [w / t for w, t in years]
    assert rates[0] > rates[1] > rates[2]  # "fell in each year"
    assert years[0][1] < years[1][1] < years[2][1]  # "while type 1 attendances rose"


def test_readme_monthly_figures_equal_the_data(sums: dict[tuple[str, str], list[int]]) -> None:
    months = sorted(k[1] for k in sums if k[0] == "1" and len(k[1]) == 7)
    assert len(months) == 36
    rate = {m: sums["1", m][0] / sums["1", m][1] for m in months}
    met = sum(1 for m in months if rate[m] >= 0.95)
    best = max(months, key=rate.__getitem__)
    worst = min(months, key=rate.__getitem__)

    def month_name(m: str) -> str:
        return dt.date(int(m[:4]), int(m[5:]), 1).strftime("%B %Y")

    flat = " ".join(README.split())
    assert f"met 95 % in {met} of the 36 months" in flat
    assert f"best month was {month_name(best)} ({100 * rate[best]:.1f} %)" in flat
    assert f"worst {month_name(worst)} ({100 * rate[worst]:.1f} %)" in flat


def test_readme_march_2019_figures_equal_the_data(sums: dict[tuple[str, str], list[int]]) -> None:
    march = [
        1 - int(r["breaches"]) / int(r["attendances"])
        for r in _source_rows()
        if r["type"] == "1" and r["period"] == "2019-03-01"
    ]
    flat = " ".join(README.split())
    meeting = sum(1 for v in march if v >= 0.95)
    assert f"In March 2019, {len(march)} providers reported type 1 attendances; " in flat
    assert f"{meeting} of them met 95 %" in flat
    mean = 100 * statistics.mean(march)
    pooled = 100 * sums["1", "2019-03"][0] / sums["1", "2019-03"][1]
    assert f"providers' percentages in March 2019 is {mean:.1f} %" in flat
    assert f"attendances, is {pooled:.1f} %" in flat
    assert f"{mean:.1f}" != f"{pooled:.1f}"  # the point the README makes


def test_england_is_the_sum_of_the_counts(
    portfolio: PortfolioEvaluation, sums: dict[tuple[str, str], list[int]]
) -> None:
    assert portfolio.total is not None
    assert portfolio.total.name == "England"
    for oid, kind in (("1.1.1", "1"), ("1.1.2", "all")):
        series = portfolio["ALL"][oid].series
        assert series is not None
        months = [str(d)[:7] for d in series.end.astype("datetime64[M]")]
        expected = [100 * sums[kind, m][0] / sums[kind, m][1] for m in months]
        assert len(months) == 36
        np.testing.assert_allclose(series.values, expected, rtol=0, atol=1e-9)


def test_readme_spc_sentence_equals_stratkits_chart(portfolio: PortfolioEvaluation) -> None:
    chart = portfolio.spc("ALL", "1.1.1")
    assert chart is not None
    flat = " ".join(README.split())
    assert f"mean {chart.mean[-1]:.1f} %" in flat
    assert f"process limits {chart.lpl[-1]:.1f} % to {chart.upl[-1]:.1f} %" in flat
    assert chart.variation_icon == "common_cause"
    assert "common cause variation" in flat
    assert chart.assurance_icon == "fail"
    assert "(assurance icon: fail)" in flat
    assert chart.upl[-1] < 95


def test_every_providers_chart_is_spc_on_its_series_alone(portfolio: PortfolioEvaluation) -> None:
    charted = 0
    for code in (*portfolio.codes, "ALL"):
        for oid in ("1.1.1", "1.1.2"):
            result = portfolio[code][oid]
            mine = portfolio.spc(code, oid)
            theirs = result.spc
            assert (mine is None) == (theirs is None), (code, oid)
            if mine is None:
                continue
            series = result.series
            assert series is not None
            alone = spc(
                series.values,
                series.end,
                improvement_direction="increase",
                target=95.0,
            )
            for chart in (theirs, alone):
                for field in ("dates", "values", "mean", "lpl", "upl", "point_type"):
                    a, b = np.asarray(getattr(mine, field)), np.asarray(getattr(chart, field))
                    if a.dtype.kind == "f":
                        np.testing.assert_array_equal(a, b)
                    else:
                        assert a.tolist() == b.tolist()
                assert mine.variation_icon == chart.variation_icon
                assert mine.assurance_icon == chart.assurance_icon
            charted += 1
    assert charted > 300


def test_every_provider_is_in_the_league_table(portfolio: PortfolioEvaluation) -> None:
    assert len(portfolio) == 274
    for oid in ("1.1.1", "1.1.2"):
        league = portfolio.league(oid)
        assert sorted(r.entity.code for r in league) == sorted(portfolio.codes)
        ranked = [r.latest_value for r in league if r.rank is not None]
        assert ranked == sorted(ranked, reverse=True)  # increase: best first
    # providers with no type 1 department are "no data" for 1.1.1, never dropped
    type1 = {r["org_code"] for r in _source_rows() if r["type"] == "1"}
    no_data = {r.entity.code for r in portfolio.league("1.1.1") if r.rank is None}
    assert no_data == set(portfolio.codes) - type1


def test_the_pack_has_the_england_chart_matrix_league_and_small_multiples(
    portfolio: PortfolioEvaluation,
) -> None:
    from stratkit.portfolio.pack import render_pack

    html = render_pack(portfolio)
    assert html.count('class="multiple"') == sum(
        1 for oid in ("1.1.1", "1.1.2") for r in portfolio.league(oid) if r.rank is not None
    )
    assert "England (total)" in html
    assert "Making Data Count matrix" in html
    assert "League table" in html
    assert re.search(r"<script", html) is None
    assert len(html) < 3_000_000
