"""The two entry points, :func:`spc` and :func:`spc_many` (documented in :mod:`stratkit.spc`)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from stratkit.errors import SPCInputError
from stratkit.spc import _core as core
from stratkit.spc._input import prepare
from stratkit.spc.results import (
    ImprovementDirection,
    SPCResult,
    SPCTable,
)
from stratkit.spc.rules import SCT_LABELS

__all__ = ["spc", "spc_many"]

_SCT = np.array(SCT_LABELS, dtype=object)
_PT = np.array(core.POINT_TYPE_LABELS, dtype=object)
_VARIATION = np.array(core.VARIATION_LABELS, dtype=object)
_ASSURANCE = np.array([None, "pass", "fail", "inconsistent"], dtype=object)
_DIRECTION = np.array(["neutral", "increase", "decrease"], dtype=object)  # by code % 3


def _frozen(a: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    a.setflags(write=False)
    return a


def spc_many(
    series_id: Any,
    dates: Any,
    values: Any,
    *,
    improvement_direction: ImprovementDirection | Mapping[Hashable, str] = "increase",
    target: Any = None,
    rebase: Any = (),
    fix_after_n_points: int | Mapping[Hashable, int | None] | None = None,
    screen_outliers: bool | Mapping[Hashable, bool] = True,
) -> SPCTable:
    """Chart many series at once, held as one long table of parallel 1-D arrays.

    Args:
        series_id: the series of each row (str or int ids; one type).
        dates: the date of each row (``datetime.date``, ``datetime64`` or ISO
            text; times are dropped: dates are calendar days).
        values: the value of each row: numbers with NaN/None for a missing
            point, or a pint quantity (then ``unit`` is set and quantity
            targets are converted to it).
        improvement_direction: ``"increase"``, ``"decrease"`` or ``"neutral"``.
        target: a number or quantity, or None for no target.
        rebase: dates that start a new limits period.
        fix_after_n_points: compute limits from the first *n* points (>= 12) of
            each rebase group only; None uses every point.
        screen_outliers: drop moving ranges >= 3.267 × their mean before the
            limits (the reference's default; the MDC Excel tools use False).

    Every option is either one value for all series or a mapping
    ``series_id -> value``; series missing from a mapping get the default
    shown above, and a key that is not a series id raises
    :class:`~stratkit.errors.SPCInputError`. For ``rebase`` the one value is
    a sequence of dates applied to every series.

    Returns:
        An :class:`SPCTable`; rows sorted by series (first appearance) and date.

    Raises:
        SPCInputError: inconsistent lengths, duplicate dates in a series,
            infinite values, a bad option value.
        DimensionalityError: a target whose unit cannot be converted to the
            values' unit.
    """
    p = prepare(
        series_id,
        dates,
        values,
        improvement_direction=improvement_direction,
        target=target,
        rebase=rebase,
        fix_after_n_points=fix_after_n_points,
        screen_outliers=screen_outliers,
    )
    r = core.compute(
        starts=p.starts,
        y=p.y,
        mark=p.mark,
        direction=p.direction,
        fix_n=p.fix_n,
        screen=p.screen,
        target=p.target,
    )
    row_series = np.repeat(p.ids, np.diff(p.starts))
    return SPCTable(
        series_id=_frozen(row_series),
        dates=_frozen(p.dates),
        values=_frozen(p.y),
        mean=_frozen(r.mean),
        lpl=_frozen(r.lpl),
        upl=_frozen(r.upl),
        rebase_group=_frozen(r.rebase_group),
        special_cause_type=_frozen(_SCT[r.special_cause]),
        point_type=_frozen(_PT[r.point_type]),
        short_group_warning=_frozen(r.short_group_warning),
        source_index=_frozen(p.order),
        ids=_frozen(p.ids),
        starts=_frozen(p.starts),
        n_missing=_frozen(r.n_missing),
        n_rebase_groups=_frozen(r.n_rebase_groups),
        variation_icon=_frozen(_VARIATION[r.variation_icon]),
        assurance_icon=_frozen(_ASSURANCE[r.assurance_icon]),
        improvement_direction=_frozen(_DIRECTION[p.direction % 3]),
        target=_frozen(p.target),
        fix_after_n_points=_frozen(p.fix_n),
        screen_outliers=_frozen(p.screen),
        unit=p.unit,
    )


def spc(
    values: Any,
    dates: Any,
    *,
    improvement_direction: ImprovementDirection = "increase",
    target: Any = None,
    rebase: Sequence[Any] | Any = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
) -> SPCResult:
    """Chart one series: XmR limits, special causes and the two MDC icons.

    A thin view on :func:`spc_many` (the same code path); see :mod:`stratkit.spc`
    for missing values, duplicate dates, rebasing and the other
    defined edge cases.

    Args:
        values: numbers (NaN/None for a missing point) or a pint quantity.
        dates: one date per value (any order; the result is sorted by date).
        improvement_direction: ``"increase"``, ``"decrease"`` or ``"neutral"``.
        target: a number, a pint quantity (converted to the values' unit), or
            None. Assurance is only given with a target and a direction.
        rebase: dates that start a new limits period.
        fix_after_n_points: fix the limits on the first *n* (>= 12) points of
            each period.
        screen_outliers: screen large moving ranges (reference default).

    Example:
        >>> import datetime as dt
        >>> days = [dt.date(2024, m, 1) for m in range(1, 13)]
        >>> values = [10, 11, 9, 10, 12, 11, 10, 9, 11, 10, 12, 25]
        >>> chart = spc(values, days, improvement_direction="increase", target=15)
        >>> round(float(chart.mean[0]), 3), round(float(chart.upl[0]), 3)
        (11.667, 15.391)
        >>> str(chart.special_cause_type[-1]), chart.variation_icon, chart.assurance_icon
        ('Above UCL', 'improvement_high', 'inconsistent')
        >>> bool(chart.short_group_warning[0])  # 12 points or fewer in the group
        True
    """
    if isinstance(improvement_direction, Mapping) or isinstance(target, Mapping):
        msg = "spc() charts one series: pass plain option values (use spc_many for mappings)"
        raise TypeError(msg)
    n = len(values.magnitude) if hasattr(values, "magnitude") else len(values)
    table = spc_many(
        np.zeros(n, dtype=np.int64),
        dates,
        values,
        improvement_direction=improvement_direction,
        target=target,
        rebase=rebase,
        fix_after_n_points=fix_after_n_points,
        screen_outliers=screen_outliers,
    )
    if len(table) == 0:
        msg = "spc() needs at least one point"
        raise SPCInputError(msg)
    return attrs.evolve(next(iter(table)), series_id=None)
