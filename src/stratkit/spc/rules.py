"""The four Making Data Count special-cause rules, vectorised over many groups.

Every function here works on the *present* points of many series at once,
concatenated in (series, date) order. ``pos`` is each point's 0-based position
inside its rebase group, so ``pos[i] >= k`` says that points ``i - k .. i`` all
belong to the same group: no rule ever looks across a group boundary.

The only Python loops are over rule offsets (at most 7 iterations); the work is
numpy over all points of all series.
"""

from __future__ import annotations

from typing import get_args

import numpy as np
import numpy.typing as npt

from stratkit.spc.results import SpecialCauseType

__all__ = [
    "RUN_LENGTH",
    "SCT_ABOVE_UCL",
    "SCT_BELOW_LCL",
    "SCT_COMMON",
    "SCT_LABELS",
    "SCT_MISSING",
    "SCT_SHIFT_ABOVE",
    "SCT_SHIFT_BELOW",
    "SCT_TREND_DOWN",
    "SCT_TREND_UP",
    "SCT_TWO_IN_THREE_ABOVE",
    "SCT_TWO_IN_THREE_BELOW",
    "special_cause_codes",
]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int8]

#: Points in a trend or a shift (fixed by Making Data Count).
RUN_LENGTH = 7

SCT_COMMON = 0
SCT_ABOVE_UCL = 1
SCT_BELOW_LCL = 2
SCT_TREND_UP = 3
SCT_TREND_DOWN = 4
SCT_TWO_IN_THREE_ABOVE = 5
SCT_TWO_IN_THREE_BELOW = 6
SCT_SHIFT_ABOVE = 7
SCT_SHIFT_BELOW = 8
SCT_MISSING = 9

#: Labels indexed by the ``SCT_*`` codes (the reference's spelling exactly): the
#: public ``SpecialCauseType`` lists them in code order, so it is the one source.
SCT_LABELS: tuple[str, ...] = get_args(SpecialCauseType)


def _window_all(flag: BoolArray, k: int) -> BoolArray:
    """``out[i]`` is True when ``flag[i - k + 1 .. i]`` are all True."""
    csum = np.concatenate(([0], np.cumsum(flag, dtype=np.int64)))
    out = np.zeros(flag.size, dtype=np.bool_)
    if flag.size >= k:
        out[k - 1 :] = (csum[k:] - csum[: csum.size - k]) == k
    return out


def _spread_back(end: BoolArray, k: int) -> BoolArray:
    """Flag the ``k`` points ending at every True of ``end``."""
    out: BoolArray = np.array(end, dtype=np.bool_)
    for offset in range(1, k):
        out[:-offset] |= end[offset:]
    return out


def _spread_forward(start: BoolArray, k: int) -> BoolArray:
    """Flag the ``k`` points starting at every True of ``start``."""
    out: BoolArray = np.array(start, dtype=np.bool_)
    for offset in range(1, k):
        out[offset:] |= start[:-offset]
    return out


def special_cause_codes(
    *,
    y: FloatArray,
    pos: IntArray,
    mean: FloatArray,
    lpl: FloatArray,
    upl: FloatArray,
    near_lpl: FloatArray,
    near_upl: FloatArray,
) -> CodeArray:
    """Return the ``SCT_*`` code of every point (first rule that holds wins).

    All arguments are per point; comparisons are strict and a NaN limit never
    flags anything.
    """
    n = y.size
    above_ucl = y > upl
    below_lcl = y < lpl
    outside = above_ucl | below_lcl
    above_mean = y > mean
    below_mean = y < mean
    close = ~outside & ((y > near_upl) | (y < near_lpl))

    # Trend: 6 consecutive strictly-signed steps inside one group (7 points).
    step = np.zeros(n, dtype=np.float64)
    step[1:] = y[1:] - y[:-1]
    has_step = pos >= 1
    up_end = _window_all(has_step & (step > 0), RUN_LENGTH - 1)
    down_end = _window_all(has_step & (step < 0), RUN_LENGTH - 1)
    in_trend = _spread_back(up_end | down_end, RUN_LENGTH)
    # Label: the step to the next point when that point is in a trend too
    # (and in the same group), else the step from the previous point.
    next_in_trend = np.zeros(n, dtype=np.bool_)
    next_in_trend[:-1] = in_trend[1:] & has_step[1:]
    step_next = np.zeros(n, dtype=np.float64)
    step_next[:-1] = step[1:]
    trend_up = np.where(next_in_trend, step_next > 0, step > 0)

    # Two in three: a close point inside a 3-point window (one group) with at
    # least two close points, all three strictly on one side of the mean.
    window_ok = np.zeros(n, dtype=np.bool_)
    if n >= 3:
        close_i = close.astype(np.int8)
        two_close = (close_i[:-2] + close_i[1:-1] + close_i[2:]) >= 2
        same_side = (above_mean[:-2] & above_mean[1:-1] & above_mean[2:]) | (
            below_mean[:-2] & below_mean[1:-1] & below_mean[2:]
        )
        window_ok[:-2] = two_close & same_side & (pos[2:] >= 2)
    two_in_three = close & _spread_forward(window_ok, 3)

    # Shift: 7 consecutive points strictly on one side of the mean (one group).
    in_group = pos >= RUN_LENGTH - 1
    shift_above = _spread_back(_window_all(above_mean, RUN_LENGTH) & in_group, RUN_LENGTH)
    shift_below = _spread_back(_window_all(below_mean, RUN_LENGTH) & in_group, RUN_LENGTH)

    codes = np.select(
        [
            above_ucl,
            below_lcl,
            in_trend & trend_up,
            in_trend,
            two_in_three & above_mean,
            two_in_three & below_mean,
            shift_above,
            shift_below,
        ],
        [
            SCT_ABOVE_UCL,
            SCT_BELOW_LCL,
            SCT_TREND_UP,
            SCT_TREND_DOWN,
            SCT_TWO_IN_THREE_ABOVE,
            SCT_TWO_IN_THREE_BELOW,
            SCT_SHIFT_ABOVE,
            SCT_SHIFT_BELOW,
        ],
        SCT_COMMON,
    )
    return codes.astype(np.int8)
