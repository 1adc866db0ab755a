"""The vectorised XmR engine behind :func:`stratkit.spc.spc_many`.

Input is one long table already sorted by (series, date): ``starts`` gives the
first row of each series (plus the total row count at the end), ``y`` the
values with NaN for a missing point, ``mark`` the rows that start a new rebase
group. Per-series options arrive as arrays indexed by series.

Everything is numpy segment arithmetic (``np.bincount`` sums, cumulative sums,
shifted comparisons); there is no Python loop over points or series. Missing
points are left out of every computation and get the group's mean and limits
back afterwards.
"""

from __future__ import annotations

from typing import get_args

import attrs
import numpy as np
import numpy.typing as npt

from stratkit.spc.results import PointType, VariationIcon
from stratkit.spc.rules import SCT_MISSING, special_cause_codes

__all__ = [
    "ASSURANCE_FAIL",
    "ASSURANCE_INCONSISTENT",
    "ASSURANCE_NONE",
    "ASSURANCE_PASS",
    "LIMIT_FACTOR",
    "NEAR_LIMIT_FACTOR",
    "POINT_TYPE_LABELS",
    "SCREEN_FACTOR",
    "SHORT_GROUP_POINTS",
    "VARIATION_LABELS",
    "CoreResult",
    "compute",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
CodeArray = npt.NDArray[np.int8]

#: Process limits are mean ± LIMIT_FACTOR × mean moving range.
LIMIT_FACTOR = 2.66
#: "Near" limits used by the two-in-three rule (computed as R does: 2 / 3 * 2.66).
NEAR_LIMIT_FACTOR = 2 / 3 * 2.66
#: With screening, moving ranges at or above SCREEN_FACTOR × mean are dropped.
SCREEN_FACTOR = 3.267
#: A rebase group with this many points or fewer gets ``short_group_warning``.
SHORT_GROUP_POINTS = 12

PT_COMMON, PT_IMPROVEMENT, PT_CONCERN, PT_NEUTRAL_HIGH, PT_NEUTRAL_LOW, PT_MISSING = range(6)
# Labels indexed by the codes: the public Literal types list them in code order.
POINT_TYPE_LABELS: tuple[str, ...] = get_args(PointType)
VARIATION_LABELS: tuple[str, ...] = get_args(VariationIcon)
ASSURANCE_NONE, ASSURANCE_PASS, ASSURANCE_FAIL, ASSURANCE_INCONSISTENT = range(4)


@attrs.frozen(kw_only=True, eq=False)
class CoreResult:
    """Per-row and per-series arrays, as integer codes (labels in the tuples above)."""

    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    rebase_group: IntArray
    special_cause: CodeArray  # SCT_* codes from stratkit.spc.rules
    point_type: CodeArray  # PT_* codes
    short_group_warning: BoolArray
    variation_icon: CodeArray  # index into VARIATION_LABELS, per series
    assurance_icon: CodeArray  # ASSURANCE_* per series
    n_rebase_groups: IntArray  # per series
    n_missing: IntArray  # per series


def _segment_mean(values: FloatArray, seg: IntArray, use: BoolArray, nseg: int) -> FloatArray:
    """Mean of ``values[use]`` per segment (NaN for none), with one correction pass.

    The correction pass (add the mean residual) mirrors R's ``mean()`` and makes
    the result as good as correctly rounded for ordinary data, so a point
    designed to sit exactly on the mean does.
    """
    s = seg[use]
    v = values[use]
    count = np.bincount(s, minlength=nseg).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(s, weights=v, minlength=nseg) / count
        resid = np.bincount(s, weights=v - mean[s], minlength=nseg) / count
    out: FloatArray = mean + resid
    return out


def compute(
    *,
    starts: IntArray,
    y: FloatArray,
    mark: BoolArray,
    direction: CodeArray,
    fix_n: IntArray,
    screen: BoolArray,
    target: FloatArray,
) -> CoreResult:
    """Run the XmR limits, the four rules, point types and both icons.

    Args:
        starts: first row of each series, then the number of rows (length
            ``n_series + 1``); every series has at least one row.
        y: values sorted by (series, date); NaN marks a missing point.
        mark: True on a row that starts a new rebase group.
        direction: per series, +1 increase, -1 decrease, 0 neutral.
        fix_n: per series, ``fix_after_n_points`` or 0 for "use every point".
        screen: per series, whether moving ranges are screened.
        target: per series, the target or NaN.
    """
    n_series = starts.size - 1
    lengths = np.diff(starts)
    n = y.size
    series_of_row = np.repeat(np.arange(n_series, dtype=np.int64), lengths)
    first_row = starts[:-1]

    # Rebase groups: running count of marks within each series; a "segment"
    # is one (series, group) pair, numbered globally.
    mark_i = mark.astype(np.int64)
    cum_marks = np.cumsum(mark_i)
    rebase_group = cum_marks - np.repeat(cum_marks[first_row] - mark_i[first_row], lengths)
    new_segment = mark.copy()
    new_segment[first_row] = True
    segment_of_row = np.cumsum(new_segment, dtype=np.int64) - 1
    n_segments = int(segment_of_row[-1]) + 1 if n else 0
    series_of_segment = series_of_row[new_segment]

    # Work on present points only.
    present = ~np.isnan(y)
    rows = np.flatnonzero(present)
    yp = y[rows]
    seg = segment_of_row[rows]
    seg_count = np.bincount(seg, minlength=n_segments)
    seg_offset = np.concatenate(([0], np.cumsum(seg_count)[:-1])).astype(np.int64)
    pos = np.arange(rows.size, dtype=np.int64) - seg_offset[seg]

    fix_seg = fix_n[series_of_segment]
    fix_p = fix_seg[seg]
    used = (fix_p == 0) | (pos < fix_p)

    mean_seg = _segment_mean(yp, seg, used, n_segments)
    moving_range = np.zeros(rows.size, dtype=np.float64)
    moving_range[1:] = np.abs(yp[1:] - yp[:-1])
    mr_used = used & (pos >= 1)
    amr = _segment_mean(moving_range, seg, mr_used, n_segments)
    screen_seg = screen[series_of_segment]
    with np.errstate(invalid="ignore"):
        kept = mr_used & (moving_range < SCREEN_FACTOR * amr[seg])
    amr_screened = _segment_mean(moving_range, seg, kept, n_segments)
    amr = np.where(screen_seg, amr_screened, amr)

    lpl_seg = mean_seg - LIMIT_FACTOR * amr
    upl_seg = mean_seg + LIMIT_FACTOR * amr
    near_lpl_seg = mean_seg - NEAR_LIMIT_FACTOR * amr
    near_upl_seg = mean_seg + NEAR_LIMIT_FACTOR * amr

    codes_p = special_cause_codes(
        y=yp,
        pos=pos,
        mean=mean_seg[seg],
        lpl=lpl_seg[seg],
        upl=upl_seg[seg],
        near_lpl=near_lpl_seg[seg],
        near_upl=near_upl_seg[seg],
    )

    # Point type from the rule's direction and the improvement direction.
    dir_p = direction[series_of_row[rows]]
    special = codes_p != 0
    points_up = (codes_p % 2) == 1  # odd codes: Above / Increasing
    point_type_p = np.where(
        ~special,
        PT_COMMON,
        np.where(
            dir_p == 0,
            np.where(points_up, PT_NEUTRAL_HIGH, PT_NEUTRAL_LOW),
            np.where(points_up == (dir_p > 0), PT_IMPROVEMENT, PT_CONCERN),
        ),
    ).astype(np.int8)

    special_cause = np.full(n, SCT_MISSING, dtype=np.int8)
    special_cause[rows] = codes_p
    point_type = np.full(n, PT_MISSING, dtype=np.int8)
    point_type[rows] = point_type_p

    # Variation icon: the last present point of each series.
    variation = np.zeros(n_series, dtype=np.int8)
    lpl_last = np.full(n_series, np.nan)
    upl_last = np.full(n_series, np.nan)
    if rows.size:
        series_p = series_of_row[rows]
        last = np.flatnonzero(np.concatenate((series_p[1:] != series_p[:-1], [True])))
        pt_last = point_type_p[last].astype(np.int64)
        up_last = points_up[last]
        icon_of = np.array([0, 1, 3, 5, 6], dtype=np.int8)  # by point type
        icon = icon_of[pt_last]
        # improvement/concern: +1 when the rule points down (high -> low)
        icon = icon + ((pt_last == PT_IMPROVEMENT) | (pt_last == PT_CONCERN)) * ~up_last
        variation[series_p[last]] = icon
        lpl_last[series_p[last]] = lpl_seg[seg[last]]
        upl_last[series_p[last]] = upl_seg[seg[last]]

    # Assurance: target against the limits of the last present point's group.
    has_target = ~np.isnan(target) & (direction != 0)
    increase = direction > 0
    with np.errstate(invalid="ignore"):
        above = target > upl_last
        below = target < lpl_last
    assurance = np.select(
        [
            ~has_target,
            above & increase,
            above,
            below & increase,
            below,
        ],
        [ASSURANCE_NONE, ASSURANCE_FAIL, ASSURANCE_PASS, ASSURANCE_PASS, ASSURANCE_FAIL],
        ASSURANCE_INCONSISTENT,
    ).astype(np.int8)

    short = (seg_count <= SHORT_GROUP_POINTS)[segment_of_row]
    n_missing = np.bincount(series_of_row[~present], minlength=n_series).astype(np.int64)

    return CoreResult(
        mean=mean_seg[segment_of_row],
        lpl=lpl_seg[segment_of_row],
        upl=upl_seg[segment_of_row],
        rebase_group=rebase_group,
        special_cause=special_cause,
        point_type=point_type,
        short_group_warning=short,
        variation_icon=variation,
        assurance_icon=assurance,
        n_rebase_groups=rebase_group[starts[1:] - 1] + 1,
        n_missing=n_missing,
    )
