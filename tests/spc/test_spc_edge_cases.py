"""SPC behaviour where NHSRplotthedots crashes or is silent (documented in spc.py)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest

from stratkit.errors import DimensionalityError, SPCInputError
from stratkit.spc import (
    IMPROVEMENT_DIRECTIONS,
    MIN_POINTS_FOR_ICONS,
    spc,
    spc_icons_available,
    spc_many,
)

RNG_VALUES = [
    10.2, 11.9, 9.4, 10.8, 12.1, 9.9, 10.5, 11.3, 8.7, 10.0,
    11.1, 9.6, 10.9, 12.4, 9.1, 10.3, 11.7, 9.8, 10.6, 14.9,
]  # fmt: skip
DAYS = [dt.date(2022 + (m // 12), m % 12 + 1, 1) for m in range(len(RNG_VALUES))]


def _same(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> bool:
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


# --- missing values -------------------------------------------------------------------------


@pytest.mark.parametrize("gap", [None, math.nan])
def test_missing_points_are_dropped_and_reported(gap: float | None) -> None:
    values: list[float | None] = list(RNG_VALUES)
    values[5] = gap
    values[12] = gap
    chart = spc(values, DAYS, target=9)
    present = [i for i in range(len(values)) if i not in (5, 12)]
    reference = spc([RNG_VALUES[i] for i in present], [DAYS[i] for i in present], target=9)

    assert chart.n_points == 20
    assert chart.n_missing == 2
    assert chart.point_type[5] == chart.point_type[12] == "missing"
    assert chart.special_cause_type[5] == chart.special_cause_type[12] == "Missing"
    assert np.isnan(chart.values[5])
    # the other points are charted exactly as if the gap were not there
    for name in ("mean", "lpl", "upl", "special_cause_type", "point_type", "rebase_group"):
        assert _same(getattr(chart, name)[present], getattr(reference, name)), name
    # the missing point still carries its group's mean and limits
    assert chart.mean[5] == reference.mean[0]
    assert chart.upl[12] == reference.upl[0]
    assert chart.variation_icon == reference.variation_icon
    assert chart.assurance_icon == reference.assurance_icon


def test_moving_range_spans_the_gap() -> None:
    # 0, 1, gap, 3: moving ranges 1 and |3 - 1| = 2 -> mR-bar 1.5
    chart = spc([0.0, 1.0, None, 3.0], DAYS[:4], screen_outliers=False)
    assert chart.mean[0] == pytest.approx(4 / 3)
    assert chart.upl[0] == pytest.approx(4 / 3 + 2.66 * 1.5)


def test_trend_runs_across_a_gap() -> None:
    values: list[float | None] = [5, 4, 6, 5, 1, 2, 3, None, 4, 5, 6, 7, 5, 4]
    chart = spc(values, DAYS[: len(values)], screen_outliers=False)
    assert (
        list(chart.special_cause_type[4:12])
        == ["7 Point Trend (Increasing)"] * 3 + ["Missing"] + ["7 Point Trend (Increasing)"] * 4
    )


def test_icons_come_from_the_last_present_point() -> None:
    values: list[float | None] = [*RNG_VALUES[:-1], 30.0, None]
    chart = spc(values, [*DAYS, dt.date(2030, 1, 1)])
    assert chart.point_type[-1] == "missing"
    assert chart.special_cause_type[-2] == "Above UCL"
    assert chart.variation_icon == "improvement_high"


def test_all_missing_series() -> None:
    chart = spc([None, None, None], DAYS[:3], target=1, improvement_direction="decrease")
    assert list(chart.point_type) == ["missing"] * 3
    assert np.isnan(chart.mean).all()
    assert np.isnan(chart.upl).all()
    assert chart.variation_icon == "common_cause"
    assert chart.assurance_icon == "inconsistent"


# --- input errors -------------------------------------------------------------------------


def test_duplicate_dates_name_series_and_date() -> None:
    with pytest.raises(SPCInputError, match=r"series 'ae': duplicate date 2022-03-01"):
        spc_many(["ok", "ae", "ae", "ae"], [DAYS[0], DAYS[1], DAYS[2], DAYS[2]], [1, 2, 3, 4])
    with pytest.raises(SPCInputError, match="duplicate date 2022-01-01"):
        spc([1, 2], [DAYS[0], DAYS[0]])


def test_infinite_value_is_an_error() -> None:
    with pytest.raises(SPCInputError, match=r"series 'x': value inf on 2022-02-01 is not finite"):
        spc_many(["x", "x"], DAYS[:2], [1.0, math.inf])


def test_fix_after_n_points_below_12() -> None:
    with pytest.raises(SPCInputError, match=r"fix_after_n_points must be at least 12; found 11"):
        spc(RNG_VALUES, DAYS, fix_after_n_points=11)
    with pytest.raises(SPCInputError, match="fix_after_n_points must be an integer or None"):
        spc(RNG_VALUES, DAYS, fix_after_n_points=12.5)  # type: ignore[arg-type]


def test_unknown_improvement_direction() -> None:
    expected = (
        r"improvement_direction must be one of 'increase', 'decrease', 'neutral'; found 'up'"
    )
    with pytest.raises(SPCInputError, match=expected):
        spc(RNG_VALUES, DAYS, improvement_direction="up")  # type: ignore[arg-type]
    assert IMPROVEMENT_DIRECTIONS == ("increase", "decrease", "neutral")


def test_lengths_must_agree() -> None:
    with pytest.raises(SPCInputError, match="same length"):
        spc(RNG_VALUES, DAYS[:-1])
    with pytest.raises(SPCInputError, match="same length"):
        spc_many(["a"] * 3, DAYS[:2], [1, 2])


def test_bad_dates_and_values() -> None:
    with pytest.raises(SPCInputError, match="missing date"):
        spc([1, 2], [np.datetime64("2022-01-01"), np.datetime64("NaT")])
    with pytest.raises(SPCInputError, match="dates must be dates"):
        spc([1, 2], ["2022-01-01", "last tuesday"])
    with pytest.raises(SPCInputError, match="values must be numbers"):
        spc(["a", "b"], DAYS[:2])


def test_mapping_keys_must_be_series() -> None:
    with pytest.raises(
        SPCInputError, match=r"target: mapping keys that are not series ids: \['b'\]"
    ):
        spc_many(["a", "a"], DAYS[:2], [1, 2], target={"b": 3})
    with pytest.raises(SPCInputError, match="rebase: mapping keys that are not series ids"):
        spc_many(["a", "a"], DAYS[:2], [1, 2], rebase={"b": [DAYS[1]]})


def test_mapping_defaults_for_series_left_out() -> None:
    table = spc_many(
        ["a"] * 20 + ["b"] * 20,
        DAYS + DAYS,
        RNG_VALUES + RNG_VALUES,
        improvement_direction={"b": "decrease"},
        target={"b": 20},
    )
    assert list(table.improvement_direction) == ["increase", "decrease"]
    assert table.series("a").target is None
    assert table.series("a").assurance_icon is None
    assert table.series("b").assurance_icon == "pass"


# --- short series, constants, rebasing -------------------------------------------------------


def test_single_point() -> None:
    chart = spc([4.2], [DAYS[0]], target=3)
    assert chart.mean[0] == 4.2
    assert np.isnan(chart.lpl[0])
    assert np.isnan(chart.upl[0])
    assert chart.point_type[0] == "common_cause"
    assert chart.special_cause_type[0] == "Common Cause"
    assert chart.short_group_warning[0]
    assert chart.variation_icon == "common_cause"
    assert chart.assurance_icon == "inconsistent"


def test_constant_series_with_and_without_screening() -> None:
    screened = spc([7.0] * 20, DAYS, target=7)
    assert np.isnan(screened.upl).all()
    assert set(screened.point_type) == {"common_cause"}
    plain = spc([7.0] * 20, DAYS, screen_outliers=False)
    assert (plain.upl == 7).all()
    assert (plain.lpl == 7).all()


def test_unsorted_input_is_sorted_and_mapped_back() -> None:
    order = np.random.default_rng(7).permutation(len(DAYS))
    values = np.asarray(RNG_VALUES)[order]
    days = np.asarray(DAYS, dtype="M8[D]")[order]
    shuffled = spc(values, days)
    sorted_chart = spc(RNG_VALUES, DAYS)
    assert _same(shuffled.dates, np.asarray(DAYS, dtype="M8[D]"))
    assert _same(shuffled.special_cause_type, sorted_chart.special_cause_type)
    assert _same(shuffled.upl, sorted_chart.upl)
    table = spc_many(np.zeros(len(DAYS), dtype=int), days, values)
    assert _same(table.values, values[table.source_index])


def test_rebase_date_between_points_starts_at_next_point() -> None:
    mid_month = dt.date(2022, 6, 15)  # between the 2022-06-01 and 2022-07-01 points
    chart = spc(RNG_VALUES, DAYS, rebase=[mid_month])
    assert list(chart.rebase_group) == [0] * 6 + [1] * 14
    exact = spc(RNG_VALUES, DAYS, rebase=[DAYS[6]])
    assert _same(chart.upl, exact.upl)


def test_rebase_outside_the_series() -> None:
    after = spc(RNG_VALUES, DAYS, rebase=["2040-01-01"])
    assert set(after.rebase_group) == {0}
    before = spc(RNG_VALUES, DAYS, rebase=["2000-01-01"])
    assert set(before.rebase_group) == {1}
    assert _same(before.upl, after.upl)


def test_rebase_on_a_missing_point() -> None:
    values: list[float | None] = list(RNG_VALUES)
    values[10] = None
    chart = spc(values, DAYS, rebase=[DAYS[10]])
    assert list(chart.rebase_group) == [0] * 10 + [1] * 10
    assert chart.point_type[10] == "missing"
    assert chart.mean[10] == pytest.approx(np.mean(RNG_VALUES[11:]))


def test_rebase_is_per_series_with_a_mapping() -> None:
    table = spc_many(["a"] * 20 + ["b"] * 20, DAYS + DAYS, RNG_VALUES * 2, rebase={"b": [DAYS[8]]})
    assert set(table.series("a").rebase_group) == {0}
    assert list(table.n_rebase_groups) == [1, 2]


def test_icons_availability_constant() -> None:
    assert MIN_POINTS_FOR_ICONS == 15
    assert not spc_icons_available(14)
    assert spc_icons_available(15)
    short = spc(RNG_VALUES[:14], DAYS[:14])
    assert not short.icons_available
    assert short.variation_icon in {"common_cause", "improvement_high", "concern_low"}
    assert spc(RNG_VALUES, DAYS).icons_available


# --- units ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ureg() -> Any:
    pint = pytest.importorskip("pint")
    return pint.UnitRegistry()


def test_quantity_values_and_converted_target(ureg: Any) -> None:
    minutes = np.asarray(RNG_VALUES) * ureg.minute
    chart = spc(minutes, DAYS, target=0.1 * ureg.hour, improvement_direction="decrease")
    plain = spc(RNG_VALUES, DAYS, target=6, improvement_direction="decrease")
    assert chart.unit == "minute"
    assert chart.target == pytest.approx(6)
    assert chart.assurance_icon == plain.assurance_icon
    assert _same(chart.upl, plain.upl)


def test_list_of_quantities(ureg: Any) -> None:
    values = [v * ureg.hour for v in RNG_VALUES[:19]] + [60 * ureg.minute]
    chart = spc(values, DAYS)
    assert chart.unit == "hour"
    assert chart.values[-1] == pytest.approx(1.0)


def test_target_of_another_dimension(ureg: Any) -> None:
    with pytest.raises(DimensionalityError, match=r"spc target .*cannot convert 'kilogram'"):
        spc(np.asarray(RNG_VALUES) * ureg.minute, DAYS, target=3 * ureg.kilogram)
    with pytest.raises(DimensionalityError, match="'dimensionless'"):
        spc(RNG_VALUES, DAYS, target=3 * ureg.kilogram)


def test_percent_target_on_plain_ratios(ureg: Any) -> None:
    chart = spc(np.asarray(RNG_VALUES) / 100, DAYS, target=95 * ureg.percent)
    assert chart.unit is None
    assert chart.target == pytest.approx(0.95)


# --- table conveniences -------------------------------------------------------------------


def test_table_iteration_frames_and_read_only() -> None:
    pytest.importorskip("pandas")
    table = spc_many([1] * 20 + [2] * 5, DAYS + DAYS[:5], RNG_VALUES + RNG_VALUES[:5])
    assert len(table) == 2
    assert [r.series_id for r in table] == [1, 2]
    assert 2 in table
    assert 3 not in table
    with pytest.raises(KeyError, match="no series 3"):
        table.series(3)
    points = table.to_frame()
    assert len(points) == 25
    assert list(points.columns[:3]) == ["series_id", "x", "y"]
    series = table.to_frame("series")
    assert list(series["n_points"]) == [20, 5]
    assert len(table.series(2).to_frame()) == 5
    with pytest.raises(ValueError, match="read-only"):
        table.mean[0] = 1.0
