"""Forecasts: the vectorised fits against straightforward per-series references."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from eval_builders import AS_OF, monthly, outcome, strategy, vacancy_target
from hypothesis import given, settings
from hypothesis import strategies as st

from stratkit.evaluation import ForecastVerdict, Policy, evaluate
from stratkit.evaluation.forecast import fit_many, t_quantile

scipy_stats = pytest.importorskip("scipy.stats")


@pytest.mark.parametrize("p", [0.8, 0.9, 0.95, 0.975])
@pytest.mark.parametrize("df", [*range(1, 31), 50, 100, 1000])
def test_t_quantile_matches_scipy(p: float, df: int) -> None:
    assert t_quantile(p, df) == pytest.approx(scipy_stats.t.ppf(p, df), rel=5e-4)


def test_t_quantile_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="p must be"):
        t_quantile(0.4, 3)
    with pytest.raises(ValueError, match="degrees of freedom"):
        t_quantile(0.9, 0)


def _groups(rng: np.random.Generator, sizes: list[int]) -> tuple[np.ndarray, ...]:
    group = np.repeat(np.arange(len(sizes)), sizes)
    x = np.concatenate([np.sort(rng.choice(400, size=n, replace=False)) for n in sizes])
    y = rng.normal(size=group.size) * 3 + 0.05 * x
    return group, x.astype(float), y


@given(seed=st.integers(0, 2**32 - 1), sizes=st.lists(st.integers(1, 20), min_size=1, max_size=8))
@settings(max_examples=50, deadline=None)
def test_ols_matches_a_per_series_least_squares_fit(seed: int, sizes: list[int]) -> None:
    rng = np.random.default_rng(seed)
    group, x, y = _groups(rng, sizes)
    x0 = np.full(len(sizes), 600.0)
    fit = fit_many(np.array(sizes), x, y, x0=x0, window=12, min_points=3)
    for g, n in enumerate(sizes):
        xs, ys = x[group == g][-12:], y[group == g][-12:]
        if len(xs) < 3:
            assert np.isnan(fit.value[g])
            continue
        res = scipy_stats.linregress(xs, ys)
        pred = res.intercept + res.slope * 600.0
        assert fit.slope[g] == pytest.approx(res.slope, rel=1e-7, abs=1e-9)
        assert fit.value[g] == pytest.approx(pred, rel=1e-7, abs=1e-7)
        # prediction interval: t(0.9, n-2) * s * sqrt(1 + 1/n + (x0 - xbar)^2 / Sxx)
        m = len(xs)
        resid = ys - (res.intercept + res.slope * xs)
        s = np.sqrt(resid @ resid / (m - 2))
        sxx = ((xs - xs.mean()) ** 2).sum()
        half = (
            scipy_stats.t.ppf(0.9, m - 2) * s * np.sqrt(1 + 1 / m + (600 - xs.mean()) ** 2 / sxx)
        )
        assert fit.high[g] - fit.value[g] == pytest.approx(half, rel=1e-3, abs=1e-9)
        assert fit.n_points[g] == min(n, 12)


@given(seed=st.integers(0, 2**32 - 1), sizes=st.lists(st.integers(2, 15), min_size=1, max_size=6))
@settings(max_examples=50, deadline=None)
def test_theil_sen_slope_matches_scipy(seed: int, sizes: list[int]) -> None:
    rng = np.random.default_rng(seed)
    group, x, y = _groups(rng, sizes)
    fit = fit_many(
        np.array(sizes),
        x,
        y,
        x0=np.zeros(len(sizes)),
        window=12,
        min_points=3,
        method="theil_sen",
    )
    for g, n in enumerate(sizes):
        if n < 3:
            continue
        xs, ys = x[group == g][-12:], y[group == g][-12:]
        expected = scipy_stats.theilslopes(ys, xs).slope
        assert fit.slope[g] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_theil_sen_resists_a_spike_where_ols_does_not() -> None:
    values = [15.0 - 0.05 * k for k in range(23)] + [25.0]  # one absurd last month
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": values})
    ols = evaluate(s, obs, as_of=AS_OF)["2.2.1"].forecast
    robust = evaluate(s, obs, as_of=AS_OF, policy=Policy(forecast_method="theil_sen"))[
        "2.2.1"
    ].forecast
    assert ols is not None
    assert robust is not None
    assert robust.method == "theil_sen"
    # -0.05 a month is -0.6 a year (months differ in length, hence 2 %)
    assert robust.slope_per_year == pytest.approx(-0.6, rel=0.02)
    assert ols.slope_per_year > 0  # the spike drags the least-squares line up


def test_forecast_verdicts() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    # falling 0.1 pp a month from 16 %: by Mar 2026 about 12.5 %, well under 14 %
    falling = [16 - 0.1 * k for k in range(24)]
    f = evaluate(s, monthly({"2.2.1": falling}), as_of=AS_OF)["2.2.1"].forecast
    assert f is not None
    assert f.verdict is ForecastVerdict.LIKELY
    assert f.deadline == dt.date(2026, 3, 31)
    assert f.n_points == 12
    assert f.level == 0.8
    rising = [14 + 0.1 * k for k in range(24)]
    g = evaluate(s, monthly({"2.2.1": rising}), as_of=AS_OF)["2.2.1"].forecast
    assert g is not None
    assert g.verdict is ForecastVerdict.UNLIKELY
    rng = np.random.default_rng(4)
    noisy = (14 + rng.normal(0, 1.5, 24)).tolist()
    h = evaluate(s, monthly({"2.2.1": noisy}), as_of=AS_OF)["2.2.1"].forecast
    assert h is not None
    assert h.low < 14 < h.high
    assert h.verdict is ForecastVerdict.UNCERTAIN


def test_too_few_points_give_no_forecast() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    r = evaluate(
        s, monthly({"2.2.1": [15.0, 14.8, 14.6, 14.4, 14.2]}, first="2024-11"), as_of=AS_OF
    )["2.2.1"]
    assert r.forecast is None
    r6 = evaluate(
        s, monthly({"2.2.1": [15.0, 14.8, 14.6, 14.4, 14.2, 14.0]}, first="2024-10"), as_of=AS_OF
    )["2.2.1"]
    assert r6.forecast is not None
    assert r6.forecast.n_points == 6


@given(seed=st.integers(0, 2**32 - 1), sizes=st.lists(st.integers(12, 30), min_size=1, max_size=6))
@settings(max_examples=30, deadline=None)
def test_full_windows_fast_path_equals_the_general_path(seed: int, sizes: list[int]) -> None:
    """Every group with a full window takes the 2-D block path; one short group forces
    the general bincount path: the common groups must come out the same."""
    rng = np.random.default_rng(seed)
    _, x, y = _groups(rng, [*sizes, 3])
    x0 = np.full(len(sizes) + 1, 500.0)
    mixed = fit_many(np.array([*sizes, 3]), x, y, x0=x0)
    n_full = int(np.sum(sizes))
    block = fit_many(np.array(sizes), x[:n_full], y[:n_full], x0=x0[:-1])
    for name in ("value", "low", "high", "slope"):
        assert np.allclose(getattr(block, name), getattr(mixed, name)[:-1], rtol=1e-9)
    assert list(block.n_points) == [12] * len(sizes)
