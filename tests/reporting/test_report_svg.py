"""The SPC chart drawing: what it draws, and that it is pure."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pytest

from stratkit.reporting.svg import BLUE, GREEN, ORANGE, RED, chart_svg, nice_ticks
from stratkit.spc import spc

NS = "{http://www.w3.org/2000/svg}"


def result(
    values: list[float],
    *,
    target: float | None = 15.0,
    rebase: Any = (),
    trajectory: Any = None,
    with_spc: bool = True,
) -> Any:
    dates = np.array(
        [f"2023-{m:02d}-28" for m in range(1, 13)] + [f"2024-{m:02d}-28" for m in range(1, 13)],
        dtype="datetime64[D]",
    )
    dates = dates[: len(values)]
    chart = (
        spc(values, dates, improvement_direction="increase", target=target, rebase=rebase)
        if with_spc
        else None
    )
    series = SimpleNamespace(end=dates, values=np.asarray(values, dtype=float))
    return SimpleNamespace(
        outcome_id="9.9.9",
        spc=chart,
        series=series,
        target_value=target,
        trajectory=trajectory,
        unit="%",
    )


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_chart_parts() -> None:
    values = [10, 11, 9, 10, 12, 11, 10, 9, 11, 10, 12, 25, 5, 14, 15, 16, 15, 16, 17, 16]
    traj = SimpleNamespace(
        dates=np.array(["2023-01-01", "2024-12-31"], dtype="datetime64[D]"),
        values=np.array([10.0, 15.0]),
    )
    svg = chart_svg(result(values, rebase=[np.datetime64("2024-01-01")], trajectory=traj))
    assert svg is not None
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title") is not None
    fills = [c.get("fill") for c in root.iter(f"{NS}circle")]
    assert BLUE in fills  # the point above the upper limit: improvement
    assert ORANGE in fills  # the point below the lower limit: concern
    strokes = [e.get("stroke") for e in root.iter() if e.get("stroke")]
    assert RED in strokes
    assert GREEN in strokes
    assert "rebased" in svg
    # every point says what it is, in words
    titles = [t.text or "" for c in root.iter(f"{NS}circle") for t in c.iter(f"{NS}title")]
    assert any("special cause, improvement" in t for t in titles)
    assert len(titles) == len(values)


def test_chart_without_spc_is_a_run_chart() -> None:
    svg = chart_svg(result([6.6, 6.8], with_spc=False, target=6.9))
    assert svg is not None
    assert "observations (no SPC)" in svg
    assert "process limits" not in svg


def test_no_data_no_chart() -> None:
    empty = SimpleNamespace(
        outcome_id="1", spc=None, series=None, target_value=None, trajectory=None, unit=""
    )
    assert chart_svg(empty) is None


def test_chart_is_deterministic() -> None:
    values = [float(v) for v in range(20)]
    assert chart_svg(result(values)) == chart_svg(result(values))


def test_missing_values_break_the_line() -> None:
    values = [10, 11, float("nan"), 10, 12, 11, 10, 9, 11, 10, 12, 11]
    svg = chart_svg(result(values, with_spc=False))
    assert svg is not None
    assert "nan" not in svg.lower()
    assert len(parse(svg).findall(f"{NS}polyline")) == 2


@pytest.mark.parametrize(
    ("low", "high"), [(0, 1), (78.4, 97.6), (-5, 5), (6000, 6400), (0.001, 0.002)]
)
def test_nice_ticks_cover_the_range(low: float, high: float) -> None:
    ticks = nice_ticks(low, high)
    assert 2 <= len(ticks) <= 12
    assert all(low - 1e-9 <= t <= high + 1e-9 for t in ticks)
    steps = np.diff(ticks)
    assert np.allclose(steps, steps[0])


def test_dates_from_python_dates() -> None:
    traj = SimpleNamespace(dates=[dt.date(2023, 1, 1), dt.date(2024, 1, 1)], values=[1.0, 2.0])
    svg = chart_svg(result([1.0, 1.5, 1.2], trajectory=traj, with_spc=False, target=None))
    assert svg is not None
    assert GREEN in svg
