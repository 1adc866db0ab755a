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


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter(f"{NS}text")]


def _monthly_result(n: int, **extra: Any) -> Any:
    dates = np.datetime64("2023-04", "M") + np.arange(n).astype("timedelta64[M]")
    ends = (dates + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    values = np.linspace(70, 80, n)
    fields: dict[str, Any] = {
        "outcome_id": "1.1.1",
        "spc": None,
        "series": SimpleNamespace(end=ends, values=values, notes=("",) * n),
        "target_value": 95.0,
        "trajectory": None,
        "unit": "%",
        "deadline": dt.date(2026, 3, 31),
        "outcome": SimpleNamespace(
            statement="95% seen within 1 hour",
            measure=SimpleNamespace(name="Seen within 1 hour"),
            target=SimpleNamespace(interim=()),
        ),
    }
    fields.update(extra)
    return SimpleNamespace(**fields)


def test_title_unit_in_words_and_one_date_format() -> None:
    svg = chart_svg(_monthly_result(24))
    assert svg is not None
    texts = _texts(svg)
    assert "1.1.1 Seen within 1 hour" in texts  # the title
    assert "per cent (%)" in texts  # the unit, for people
    ticks = [t for t in texts if len(t) == 8 and t[3] == " " and t[4:].isdigit()]
    assert len(ticks) >= 3
    assert all(t[:3] in ("Mar", "Jun", "Sep", "Dec") for t in ticks)  # quarter ends
    assert not any("-" in t and t[:4].isdigit() for t in texts)  # no ISO dates anywhere
    tips = [t.text or "" for c in parse(svg).iter(f"{NS}circle") for t in c.iter(f"{NS}title")]
    assert tips[0].startswith("Apr 2023: 70 %")


def test_ticks_follow_the_data_frequency() -> None:
    short = chart_svg(_monthly_result(6))  # six months: a tick a month
    assert short is not None
    months = [t for t in _texts(short) if t[:3] in ("Apr", "May", "Jun", "Jul", "Aug", "Sep")]
    assert len(months) == 6


def test_axis_ends_at_the_next_interim_deadline_and_marks_the_final_one() -> None:
    interim = SimpleNamespace(date=dt.date(2025, 9, 30), value=None)
    base = _monthly_result(24)  # the last point is March 2025
    with_interim = _monthly_result(
        24,
        outcome=SimpleNamespace(
            **{**vars(base.outcome), "target": SimpleNamespace(interim=(interim,))}
        ),
    )
    plain, stretched = chart_svg(base), chart_svg(with_interim)
    assert plain is not None
    assert stretched is not None
    assert "Sep 2025" not in _texts(plain)
    assert "Sep 2025" in _texts(stretched)  # the axis runs on to the interim deadline
    # the final deadline (March 2026) is beyond both axes: a note, not a longer axis
    assert "target 95 % by Mar 2026 →" in _texts(plain)
    assert "Mar 2026" not in _texts(stretched)


def test_notes_on_the_data_are_numbered_markers() -> None:
    notes = ("",) * 10 + ("Definition changed",) + ("",) * 13
    base = _monthly_result(24)
    svg = chart_svg(
        _monthly_result(
            24, series=SimpleNamespace(end=base.series.end, values=base.series.values, notes=notes)
        )
    )
    assert svg is not None
    groups = list(parse(svg).iter(f"{NS}g"))
    assert len(groups) == 1
    assert groups[0].find(f"{NS}title").text == "Feb 2024: Definition changed"
    assert "note on the data" in _texts(svg)


def test_a_rebase_says_why() -> None:
    values = [10, 11, 9, 10, 12, 11, 10, 9, 11, 10, 12, 11, 15, 16, 15, 16, 17, 16, 15, 16]
    chart = result(values, rebase=[np.datetime64("2024-01-01")])
    chart.rebase = (SimpleNamespace(date=dt.date(2024, 1, 1), reason="a new service model"),)
    svg = chart_svg(chart)
    assert svg is not None
    titles = [g.find(f"{NS}title") for g in parse(svg).iter(f"{NS}g")]
    said = [t.text for t in titles if t is not None]
    assert said == ["limits recalculated from Jan 2024: a new service model"]
