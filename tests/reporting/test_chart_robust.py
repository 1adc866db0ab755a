"""Charts never raise or loop, whatever series ``evaluate`` accepts; trajectory sampling
is one vectorised call with the same bits as ``Trajectory.at`` day by day."""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stratkit.evaluation.trajectory import Trajectory
from stratkit.reporting.svg import _sample, chart_svg, nice_ticks
from stratkit.spc import spc

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)


@settings(max_examples=300, deadline=None)
@given(finite, finite, st.integers(min_value=1, max_value=12))
@example(-5e-324, 0.0, 1)  # subnormal range: the step underflowed (math domain error)
@example(-5e-324, 0.0, 3)
@example(-1e-300, 1e-300, 12)
def test_nice_ticks_are_bounded_and_ordered(low: float, high: float, count: int) -> None:
    ticks = nice_ticks(low, high, count)
    assert len(ticks) <= 4 * count + 2
    assert ticks == sorted(ticks)
    assert all(math.isfinite(t) for t in ticks)


def test_nice_ticks_on_a_range_below_float_resolution() -> None:
    # 0.57 against 57 %: a range of about 1e-14 made the old loop run for ever
    ticks = nice_ticks(56.99999999999999, 57.0)
    assert 1 <= len(ticks) <= 6


def _monthly(n: int) -> np.ndarray[Any, Any]:
    return (np.datetime64("2023-04-30") + np.arange(n) * 30).astype("datetime64[D]")


def _result(values: list[float], target: float | None, with_spc: bool) -> Any:
    dates = _monthly(len(values))
    chart = (
        spc(values, dates, improvement_direction="increase", target=target) if with_spc else None
    )
    return SimpleNamespace(
        outcome_id="1.1.1",
        spc=chart,
        series=SimpleNamespace(end=dates, values=np.asarray(values, dtype=float), notes=()),
        target_value=target,
        trajectory=Trajectory.between(
            dt.date(2023, 4, 1), values[0], dt.date(2026, 3, 31), target or values[0]
        ),
        unit="%",
        deadline=dt.date(2026, 3, 31),
        outcome=None,
    )


def _check(svg: str | None) -> None:
    assert svg is not None
    root = ElementTree.fromstring(svg)  # well-formed
    assert "nan" not in svg.lower()
    assert "inf" not in svg.lower().replace("info", "")
    assert root.get("role") == "img"


base = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    base,
    st.sampled_from([0.0, 1e-15, 1e-9, 1.0, 1e6, 1e15]),
    st.integers(min_value=1, max_value=30),
    st.booleans(),
    st.booleans(),
)
def test_charts_render_any_accepted_series(
    start: float, spread: float, n: int, on_target: bool, with_spc: bool
) -> None:
    rng = np.random.default_rng(n)
    values = (start + spread * rng.random(n)).tolist()
    target = values[-1] if on_target else start + spread / 2
    _check(chart_svg(_result(values, target, with_spc)))


def test_constant_series_single_point_and_tiny_range() -> None:
    _check(chart_svg(_result([57.0] * 20, 57.0, True)))
    _check(chart_svg(_result([4.2], 5.0, True)))
    _check(chart_svg(_result([4.2], None, False)))
    _check(chart_svg(_result([0.57 * 100, 57.0, 56.99999999999999] * 6, 57.0, True)))
    _check(chart_svg(_result([1e15, -1e15, 0.0] * 6, 0.0, True)))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=6),
    st.lists(finite.filter(lambda v: abs(v) < 1e12), min_size=7, max_size=7),
    st.sampled_from(["linear", "step", "compound"]),
    st.lists(st.floats(min_value=0, max_value=3000), min_size=1, max_size=40),
)
def test_vectorised_sampling_matches_at(
    gaps: list[int], values: list[float], shape: str, offsets: list[float]
) -> None:
    start = dt.date(2022, 1, 1)
    dates = [start]
    for g in gaps:
        dates.append(dates[-1] + dt.timedelta(days=g))
    traj = Trajectory(dates=dates, values=values[: len(dates)], shape=shape)
    first = float((start - dt.date(1970, 1, 1)).days)
    days = np.unique(first + np.asarray(offsets))
    got = _sample(traj, days)
    epoch = dt.date(1970, 1, 1)
    expected = [traj.at(epoch + dt.timedelta(days=int(d))) for d in days]
    assert got is not None
    assert [float(v) for v in got] == [float(v) for v in expected]  # the same bits
