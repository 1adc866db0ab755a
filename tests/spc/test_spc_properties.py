"""Properties of the SPC engine that must hold for any data (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stratkit.spc import SPCResult, spc, spc_many

START = np.datetime64("2020-01-01", "D")

# Quarter-integers: exact in binary, so moving ranges and shifts by an
# integer are exact and only the (rounded) mean and limits can move.
values_st = st.lists(st.integers(-40, 40).map(lambda k: k / 4), min_size=1, max_size=45)
maybe_missing_st = st.lists(
    st.one_of(st.integers(-40, 40).map(lambda k: k / 4), st.none()), min_size=1, max_size=45
)
direction_st = st.sampled_from(["increase", "decrease"])
target_st = st.one_of(st.none(), st.integers(-40, 40).map(lambda k: k / 4))
options_st = st.fixed_dictionaries(
    {
        "screen_outliers": st.booleans(),
        "fix_after_n_points": st.one_of(st.none(), st.integers(12, 20)),
        "rebase_at": st.lists(st.integers(0, 44), max_size=2),
    }
)

FLAGS = ("special_cause_type", "point_type", "short_group_warning", "rebase_group")
SWAP_POINT = {
    "special_cause_improvement": "special_cause_concern",
    "special_cause_concern": "special_cause_improvement",
}
SWAP_ICON = {
    "improvement_high": "concern_high",
    "improvement_low": "concern_low",
    "concern_high": "improvement_high",
    "concern_low": "improvement_low",
}
# From the assurance rule: target above UPL fails an increase and passes a
# decrease, target below LPL the other way round; inconsistent either way.
SWAP_ASSURANCE = {"pass": "fail", "fail": "pass", "inconsistent": "inconsistent", None: None}


def _dates(n: int) -> np.ndarray[Any, Any]:
    return START + np.arange(n) * 31


def _chart(values: list[float | None], opts: dict[str, Any], **kwargs: Any) -> SPCResult:
    dates = _dates(len(values))
    rebase = [dates[i] for i in opts["rebase_at"] if i < len(values)]
    return spc(
        values,
        dates,
        rebase=rebase,
        screen_outliers=opts["screen_outliers"],
        fix_after_n_points=opts["fix_after_n_points"],
        **kwargs,
    )


def _assert_same_flags(a: SPCResult, b: SPCResult) -> None:
    for name in FLAGS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.variation_icon == b.variation_icon
    assert a.assurance_icon == b.assurance_icon


def _margin(chart: SPCResult, target: float | None) -> float:
    """Smallest distance of a value (or the target) to the mean or any limit."""
    y = chart.values
    mean = chart.mean
    half = chart.upl - mean
    levels = [mean, chart.lpl, chart.upl, mean + half * 2 / 3, mean - half * 2 / 3]
    gaps = [np.abs(y - lv) for lv in levels[1:]]
    if target is not None:
        gaps += [np.abs(target - lv) for lv in levels[1:]]
    gaps = [g[~np.isnan(g)] for g in gaps]
    found = [float(g.min()) for g in gaps if g.size]
    return min(found, default=np.inf)


@given(
    values=maybe_missing_st,
    opts=options_st,
    direction=direction_st,
    target=target_st,
    scale=st.sampled_from([0.25, 0.5, 2.0, 8.0, 1024.0]),
)
def test_scaling_by_a_power_of_two_is_exact(
    values: list[float | None],
    opts: dict[str, Any],
    direction: str,
    target: float | None,
    scale: float,
) -> None:
    base = _chart(values, opts, improvement_direction=direction, target=target)
    scaled_values = [None if v is None else v * scale for v in values]
    scaled = _chart(
        scaled_values,
        opts,
        improvement_direction=direction,
        target=None if target is None else target * scale,
    )
    for name in ("mean", "lpl", "upl"):
        assert np.array_equal(getattr(scaled, name), getattr(base, name) * scale, equal_nan=True)
    _assert_same_flags(base, scaled)


@given(
    values=values_st,
    opts=options_st,
    direction=direction_st,
    target=target_st,
    scale=st.sampled_from([0.5, 1.0, 2.0, 4.0]),
    shift=st.integers(-1000, 1000),
)
def test_affine_change_moves_limits_and_keeps_flags(
    *,
    values: list[float],
    opts: dict[str, Any],
    direction: str,
    target: float | None,
    scale: float,
    shift: int,
) -> None:
    base = _chart(values, opts, improvement_direction=direction, target=target)
    # leave out data sitting (numerically) on a limit: rounding could flip it
    assume(_margin(base, target) > 1e-6)
    moved = _chart(
        [v * scale + shift for v in values],
        opts,
        improvement_direction=direction,
        target=None if target is None else target * scale + shift,
    )
    for name in ("mean", "lpl", "upl"):
        expected = getattr(base, name) * scale + shift
        assert np.allclose(getattr(moved, name), expected, rtol=1e-9, atol=1e-9, equal_nan=True)
    _assert_same_flags(base, moved)


@given(values=maybe_missing_st, opts=options_st, target=target_st)
def test_flipping_direction_swaps_improvement_and_concern(
    values: list[float | None], opts: dict[str, Any], target: float | None
) -> None:
    up = _chart(values, opts, improvement_direction="increase", target=target)
    down = _chart(values, opts, improvement_direction="decrease", target=target)
    assert [SWAP_POINT.get(p, p) for p in up.point_type] == list(down.point_type)
    assert SWAP_ICON.get(up.variation_icon, up.variation_icon) == down.variation_icon
    assert SWAP_ASSURANCE[up.assurance_icon] == down.assurance_icon
    assert np.array_equal(up.special_cause_type, down.special_cause_type)
    assert np.array_equal(up.upl, down.upl, equal_nan=True)


@given(values=maybe_missing_st, opts=options_st, target=target_st)
def test_neutral_is_high_where_increase_improves(
    values: list[float | None], opts: dict[str, Any], target: float | None
) -> None:
    up = _chart(values, opts, improvement_direction="increase", target=target)
    neutral = _chart(values, opts, improvement_direction="neutral", target=target)
    to_neutral = {
        "special_cause_improvement": "special_cause_neutral_high",
        "special_cause_concern": "special_cause_neutral_low",
    }
    assert [to_neutral.get(p, p) for p in up.point_type] == list(neutral.point_type)
    icons = {"improvement_high": "neutral_high", "concern_low": "neutral_low"}
    assert icons.get(up.variation_icon, up.variation_icon) == neutral.variation_icon
    assert neutral.assurance_icon is None


@settings(max_examples=40)
@given(
    series=st.lists(st.tuples(maybe_missing_st, direction_st, target_st), min_size=1, max_size=6),
    seed=st.integers(0, 2**16),
)
def test_one_vectorised_call_equals_one_call_per_series(
    series: list[tuple[list[float | None], str, float | None]], seed: int
) -> None:
    ids: list[int] = []
    dates: list[np.datetime64] = []
    values: list[float | None] = []
    for k, (vals, _, _) in enumerate(series):
        ids += [k] * len(vals)
        dates += list(_dates(len(vals)))
        values += vals
    shuffle = np.random.default_rng(seed).permutation(len(values))
    table = spc_many(
        np.asarray(ids)[shuffle],
        np.asarray(dates)[shuffle],
        np.asarray(values, dtype=float)[shuffle],
        improvement_direction={k: s[1] for k, s in enumerate(series)},
        target={k: s[2] for k, s in enumerate(series)},
    )
    assert table.n_rows == len(values)
    for k, (vals, direction, target) in enumerate(series):
        one = spc(vals, _dates(len(vals)), improvement_direction=direction, target=target)  # type: ignore[arg-type]
        many = table.series(k)
        for name in ("mean", "lpl", "upl", "values"):
            assert np.array_equal(getattr(one, name), getattr(many, name), equal_nan=True)
        _assert_same_flags(one, many)


def test_dates_accept_several_spellings() -> None:
    as_dates = [dt.date(2021, m, 1) for m in range(1, 7)]
    as_text = [d.isoformat() for d in as_dates]
    a = spc([1, 2, 3, 4, 5, 9], as_dates)
    b = spc([1, 2, 3, 4, 5, 9], as_text)
    c = spc([1, 2, 3, 4, 5, 9], np.asarray(as_text, dtype="M8[ns]"))
    assert np.array_equal(a.dates, b.dates)
    assert np.array_equal(a.dates, c.dates)
    assert a.dates.dtype == np.dtype("M8[D]")
