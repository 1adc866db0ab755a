"""stratkit's SPC against NHSRplotthedots 0.2.2, point by point (tests/data/mdc)."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stratkit.spc import SPCResult, spc, spc_many

DATA = Path(__file__).parent.parent / "data" / "mdc"
RTOL = 1e-9


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float:
    return math.nan if text in {"NaN", "NA", ""} else float(text)


def _load_inputs() -> dict[str, dict[str, Any]]:
    meta = {row["series_id"]: row for row in _read("series_meta.csv")}
    series: dict[str, dict[str, Any]] = {}
    for row in _read("series.csv"):
        sid = row["series_id"]
        s = series.setdefault(
            sid,
            {
                "x": [],
                "y": [],
                "rebase": [],
                "improvement_direction": row["improvement_direction"],
                "target": None if row["target"] == "" else float(row["target"]),
                "fix": None
                if meta[sid]["fix_after_n_points"] == ""
                else int(meta[sid]["fix_after_n_points"]),
            },
        )
        s["x"].append(row["x"])
        s["y"].append(float(row["y"]))
        if row["rebase"] == "1":
            s["rebase"].append(row["x"])
    return series


def _load_golden(suffix: str) -> tuple[dict[str, list[dict[str, str]]], dict[str, dict[str, str]]]:
    points: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _read(f"golden_points{suffix}.csv"):
        points[row["series_id"]].append(row)
    series = {row["series_id"]: row for row in _read(f"golden_series{suffix}.csv")}
    return dict(points), series


INPUTS = _load_inputs()
GOLDEN = {True: _load_golden(""), False: _load_golden("_noscreen")}
SERIES_IDS = list(INPUTS)


def test_golden_files_cover_all_series() -> None:
    assert len(SERIES_IDS) == 51
    for screen in (True, False):
        points, series = GOLDEN[screen]
        assert set(points) == set(SERIES_IDS) == set(series)


def _close(actual: np.ndarray[Any, Any], expected: list[float]) -> bool:
    exp = np.asarray(expected, dtype=float)
    return bool(np.allclose(actual, exp, rtol=RTOL, atol=0.0, equal_nan=True)) and bool(
        np.array_equal(np.isnan(actual), np.isnan(exp))
    )


def _check(result: SPCResult, sid: str, screen: bool) -> None:
    gpoints, gseries = GOLDEN[screen]
    rows = gpoints[sid]
    assert [str(d) for d in result.dates] == [r["x"] for r in rows]
    assert _close(result.values, [float(r["y"]) for r in rows])
    for col in ("mean", "lpl", "upl"):
        assert _close(getattr(result, col), [_num(r[col]) for r in rows]), col
    assert list(result.special_cause_type) == [r["special_cause_type"] for r in rows]
    assert list(result.point_type) == [r["point_type"] for r in rows]
    assert list(result.short_group_warning) == [r["short_group_warning"] == "TRUE" for r in rows]
    assert list(result.rebase_group) == [int(r["rebase_group"]) for r in rows]
    s = gseries[sid]
    assert result.variation_icon == s["variation_icon"]
    expected_assurance = None if s["assurance_icon"] == "none" else s["assurance_icon"]
    assert result.assurance_icon == expected_assurance
    assert result.n_points == int(s["n_points"])
    assert int(result.rebase_group.max()) + 1 == int(s["n_rebase_groups"])


@pytest.mark.parametrize("screen", [True, False], ids=["screen", "noscreen"])
@pytest.mark.parametrize("sid", SERIES_IDS)
def test_single_series_matches_reference(sid: str, screen: bool) -> None:
    s = INPUTS[sid]
    result = spc(
        s["y"],
        s["x"],
        improvement_direction=s["improvement_direction"],
        target=s["target"],
        rebase=s["rebase"],
        fix_after_n_points=s["fix"],
        screen_outliers=screen,
    )
    _check(result, sid, screen)


@pytest.mark.parametrize("screen", [True, False], ids=["screen", "noscreen"])
def test_whole_golden_set_in_one_vectorised_call(screen: bool) -> None:
    ids: list[str] = []
    x: list[str] = []
    y: list[float] = []
    # Feed the rows in reverse so the engine has to sort them back.
    for sid in reversed(SERIES_IDS):
        s = INPUTS[sid]
        ids += [sid] * len(s["y"])
        x += s["x"][::-1]
        y += s["y"][::-1]
    table = spc_many(
        np.asarray(ids),
        x,
        np.asarray(y),
        improvement_direction={k: v["improvement_direction"] for k, v in INPUTS.items()},
        target={k: v["target"] for k, v in INPUTS.items()},
        rebase={k: v["rebase"] for k, v in INPUTS.items() if v["rebase"]},
        fix_after_n_points={k: v["fix"] for k, v in INPUTS.items()},
        screen_outliers=screen,
    )
    assert len(table) == len(SERIES_IDS)
    assert list(table.ids) == SERIES_IDS[::-1]
    assert table.n_rows == len(y)
    # Rows map back to the caller's order.
    np.testing.assert_array_equal(table.values, np.asarray(y)[table.source_index])
    for result in table:
        assert result.series_id is not None
        _check(result, str(result.series_id), screen)
    _, gseries = GOLDEN[screen]
    assert list(table.variation_icon) == [gseries[s]["variation_icon"] for s in table.ids]
    assert [a or "none" for a in table.assurance_icon] == [
        gseries[s]["assurance_icon"] for s in table.ids
    ]


def test_golden_counts_of_special_causes() -> None:
    """Per-series counts in golden_series agree with our point types."""
    _, gseries = GOLDEN[True]
    for sid in SERIES_IDS:
        s = INPUTS[sid]
        r = spc(
            s["y"],
            s["x"],
            improvement_direction=s["improvement_direction"],
            target=s["target"],
            rebase=s["rebase"],
            fix_after_n_points=s["fix"],
        )
        pt = list(r.point_type)
        g = gseries[sid]
        assert pt.count("special_cause_improvement") == int(g["n_special_cause_improvement"])
        assert pt.count("special_cause_concern") == int(g["n_special_cause_concern"])
        neutral = pt.count("special_cause_neutral_high") + pt.count("special_cause_neutral_low")
        assert neutral == int(g["n_special_cause_neutral"])
