"""Input checking and coercion for :mod:`stratkit.spc`.

Turns the caller's long table (series ids, dates, values, options) into the
sorted, coded arrays that :func:`stratkit.spc._core.compute` expects,
raising :class:`~stratkit.errors.SPCInputError` or
:class:`~stratkit.errors.DimensionalityError` with a message that names the
series, the date or the option at fault.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from stratkit.errors import DimensionalityError, SPCInputError

__all__ = [
    "IMPROVEMENT_DIRECTIONS",
    "MIN_FIX_AFTER_N_POINTS",
    "Prepared",
    "prepare",
    "to_days",
]

IMPROVEMENT_DIRECTIONS: tuple[str, ...] = ("increase", "decrease", "neutral")
_DIRECTION_CODE = {"increase": 1, "decrease": -1, "neutral": 0}
#: The reference refuses to fix limits on fewer points than this.
MIN_FIX_AFTER_N_POINTS = 12

_ONE_DATE = (str, dt.date, np.datetime64)


@attrs.frozen(kw_only=True, eq=False)
class Prepared:
    """The caller's table, sorted by (series in order of first appearance, date)."""

    ids: npt.NDArray[Any]  # per series
    order: npt.NDArray[np.int64]  # sorted row -> caller's row
    starts: npt.NDArray[np.int64]  # per series first row, then n rows
    dates: npt.NDArray[np.datetime64]
    y: npt.NDArray[np.float64]
    mark: npt.NDArray[np.bool_]
    direction: npt.NDArray[np.int8]
    fix_n: npt.NDArray[np.int64]
    screen: npt.NDArray[np.bool_]
    target: npt.NDArray[np.float64]
    unit: str | None


def _is_quantity(x: object) -> bool:
    return hasattr(x, "magnitude") and hasattr(x, "units")


def _convert(q: Any, unit: Any, context: str) -> float:
    """Magnitude of quantity ``q`` in ``unit`` (None: dimensionless)."""
    expected = "dimensionless" if unit is None else unit
    try:
        return float(q.to(expected).magnitude)
    except Exception as exc:
        import pint

        if isinstance(exc, pint.DimensionalityError):
            raise DimensionalityError(str(q.units), str(expected), context) from exc
        raise


def _values(values: Any) -> tuple[npt.NDArray[np.float64], Any]:
    """Plain float magnitudes (NaN for None) and the unit (None if plain numbers)."""
    if _is_quantity(values):
        mags = np.asarray(values.magnitude, dtype=np.float64)
        return np.atleast_1d(mags), values.units
    if not isinstance(values, np.ndarray) and any(_is_quantity(v) for v in values):
        unit = next(v.units for v in values if _is_quantity(v))
        out = []
        for v in values:
            if v is None:
                out.append(math.nan)
            elif _is_quantity(v):
                out.append(_convert(v, unit, "spc values"))
            else:
                msg = f"values mix plain numbers and quantities (found {v!r} among {unit})"
                raise SPCInputError(msg)
        return np.asarray(out, dtype=np.float64), unit
    try:
        return np.asarray(values, dtype=np.float64), None
    except (TypeError, ValueError) as exc:
        msg = f"values must be numbers, None/NaN for a missing point, or a quantity: {exc}"
        raise SPCInputError(msg) from exc


def to_days(dates: Any, what: str) -> npt.NDArray[np.datetime64]:
    """Calendar days (``datetime64[D]``) from dates, ISO strings or datetime64 values."""
    if isinstance(dates, _ONE_DATE):
        dates = [dates]
    try:
        arr = np.asarray(dates)
        if arr.dtype.kind != "M":
            arr = np.asarray(list(arr.ravel()) if arr.dtype == object else arr, dtype="M8[D]")
        days = arr.astype("M8[D]")
    except (TypeError, ValueError) as exc:
        msg = f"{what} must be dates (datetime.date, datetime64 or ISO 'YYYY-MM-DD'): {exc}"
        raise SPCInputError(msg) from exc
    if days.ndim != 1:
        days = days.ravel()
    if np.isnat(days).any():
        i = int(np.flatnonzero(np.isnat(days))[0])
        msg = f"{what}: missing date (NaT) at position {i}"
        raise SPCInputError(msg)
    return days


def _per_series(
    option: str, value: Any, default: Any, code_of: dict[Hashable, int], n_series: int
) -> list[Any]:
    """One entry per series from a scalar or a mapping series_id -> value."""
    if not isinstance(value, Mapping):
        return [value] * n_series
    out = [default] * n_series
    unknown = [k for k in value if k not in code_of]
    if unknown:
        msg = f"{option}: mapping keys that are not series ids: {unknown[:5]!r}"
        raise SPCInputError(msg)
    for key, v in value.items():
        out[code_of[key]] = v
    return out


def _direction(d: Any, sid: Any) -> int:
    if isinstance(d, str) and d in _DIRECTION_CODE:
        return _DIRECTION_CODE[d]
    allowed = ", ".join(repr(a) for a in IMPROVEMENT_DIRECTIONS)
    msg = f"improvement_direction must be one of {allowed}; found {d!r} (series {sid!r})"
    raise SPCInputError(msg)


def _fix(f: Any, sid: Any) -> int:
    if f is None:
        return 0
    if isinstance(f, bool) or not isinstance(f, int | np.integer):
        msg = f"fix_after_n_points must be an integer or None; found {f!r} (series {sid!r})"
        raise SPCInputError(msg)
    if f < MIN_FIX_AFTER_N_POINTS:
        msg = (
            f"fix_after_n_points must be at least {MIN_FIX_AFTER_N_POINTS}; "
            f"found {f} (series {sid!r})"
        )
        raise SPCInputError(msg)
    return int(f)


def _target(t: Any, unit: Any, sid: Any) -> float:
    if t is None:
        return math.nan
    if _is_quantity(t):
        value = _convert(t, unit, f"spc target (series {sid!r})")
    else:
        try:
            value = float(t)
        except (TypeError, ValueError) as exc:
            msg = f"target must be a number, a quantity or None; found {t!r} (series {sid!r})"
            raise SPCInputError(msg) from exc
    if math.isinf(value):
        msg = f"target must be finite; found {value} (series {sid!r})"
        raise SPCInputError(msg)
    return value


def _series_codes(series_id: Any, n: int) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    ids = np.asarray(series_id)
    if ids.ndim == 0:
        ids = np.full(n, ids.item(), dtype=object if ids.dtype == object else ids.dtype)
    if ids.shape != (n,):
        msg = f"series_id, dates and values must have the same length; found {ids.size}, {n}"
        raise SPCInputError(msg)
    try:
        uniq, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    except TypeError as exc:
        msg = f"series ids must be mutually orderable (all str or all int): {exc}"
        raise SPCInputError(msg) from exc
    rank = np.argsort(first, kind="stable")
    code_of_uniq = np.empty(rank.size, dtype=np.int64)
    code_of_uniq[rank] = np.arange(rank.size, dtype=np.int64)
    return uniq[rank], code_of_uniq[inverse.ravel()]


def prepare(
    series_id: Any,
    dates: Any,
    values: Any,
    *,
    improvement_direction: Any,
    target: Any,
    rebase: Any,
    fix_after_n_points: Any,
    screen_outliers: Any,
) -> Prepared:
    """Check everything and return the sorted, coded table."""
    y, unit = _values(values)
    if y.ndim != 1:
        y = y.ravel()
    days = to_days(dates, "dates")
    if days.size != y.size:
        msg = f"dates and values must have the same length; found {days.size} and {y.size}"
        raise SPCInputError(msg)
    ids, codes = _series_codes(series_id, y.size)
    n_series = ids.size
    day_int = days.astype(np.int64)
    same = codes[1:] == codes[:-1]
    if bool(np.all((codes[1:] > codes[:-1]) | (same & (day_int[1:] > day_int[:-1])))):
        order = np.arange(y.size, dtype=np.int64)  # already sorted: skip the sort
    else:
        order = np.lexsort((day_int, codes)).astype(np.int64)
        codes, day_int, y, days = codes[order], day_int[order], y[order], days[order]

    def name(row: int) -> tuple[Any, Any]:
        sid = ids[codes[row]]
        return (sid.item() if isinstance(sid, np.generic) else sid), days[row]

    dup = np.flatnonzero((codes[1:] == codes[:-1]) & (day_int[1:] == day_int[:-1]))
    if dup.size:
        sid, day = name(int(dup[0]) + 1)
        msg = f"series {sid!r}: duplicate date {day} (each date may appear once per series)"
        raise SPCInputError(msg)
    bad = np.flatnonzero(np.isinf(y))
    if bad.size:
        sid, day = name(int(bad[0]))
        msg = f"series {sid!r}: value {y[bad[0]]} on {day} is not finite"
        raise SPCInputError(msg)

    starts = np.searchsorted(codes, np.arange(n_series + 1)).astype(np.int64)
    code_of: dict[Hashable, int] = dict(zip(ids.tolist(), range(n_series), strict=True))
    id_list = ids.tolist()

    def per_series(option: str, value: Any, default: Any) -> list[Any]:
        return _per_series(option, value, default, code_of, n_series)

    directions = per_series("improvement_direction", improvement_direction, "increase")
    direction = np.array(
        [_direction(d, s) for d, s in zip(directions, id_list, strict=True)], dtype=np.int8
    )
    fixes = per_series("fix_after_n_points", fix_after_n_points, None)
    fix_n = np.array([_fix(f, s) for f, s in zip(fixes, id_list, strict=True)], dtype=np.int64)
    screen = np.array(per_series("screen_outliers", screen_outliers, True), dtype=np.bool_)
    targets = per_series("target", target, None)
    target_arr = np.array(
        [_target(t, unit, s) for t, s in zip(targets, id_list, strict=True)], dtype=np.float64
    )

    mark = _rebase_marks(rebase, code_of, codes, day_int, n_series)
    return Prepared(
        ids=ids,
        order=order,
        starts=starts,
        dates=days,
        y=y,
        mark=mark,
        direction=direction,
        fix_n=fix_n,
        screen=screen,
        target=target_arr,
        unit=None if unit is None else str(unit),
    )


def _rebase_marks(
    rebase: Any,
    code_of: dict[Hashable, int],
    codes: npt.NDArray[np.int64],
    day_int: npt.NDArray[np.int64],
    n_series: int,
) -> npt.NDArray[np.bool_]:
    """Mark the first point on or after each rebase date of its series."""
    n = codes.size
    mark = np.zeros(n, dtype=np.bool_)
    if isinstance(rebase, Mapping):
        unknown = [k for k in rebase if k not in code_of]
        if unknown:
            msg = f"rebase: mapping keys that are not series ids: {unknown[:5]!r}"
            raise SPCInputError(msg)
        lists = [[v] if isinstance(v, _ONE_DATE) else list(v) for v in rebase.values()]
        counts = [len(v) for v in lists]
        flat = [d for v in lists for d in v]
        if not flat:
            return mark
        r_code = np.repeat(np.array([code_of[k] for k in rebase], dtype=np.int64), counts)
        r_day = to_days(np.array(flat, dtype=object), "rebase").astype(np.int64)
    else:
        days = to_days(rebase, "rebase") if len(np.atleast_1d(np.asarray(rebase))) else None
        if days is None or n == 0:
            return mark
        r_code = np.repeat(np.arange(n_series, dtype=np.int64), days.size)
        r_day = np.tile(days.astype(np.int64), n_series)
    if n == 0 or r_code.size == 0:
        return mark
    lo, hi = int(day_int.min()), int(day_int.max())
    span = hi - lo + 2
    if span * (n_series + 1) >= 2**62:
        msg = "dates span too wide a range to chart"
        raise SPCInputError(msg)
    row_key = codes * span + (day_int - lo)
    r_key = r_code * span + (np.clip(r_day, lo, hi + 1) - lo)
    hit = np.searchsorted(row_key, r_key, side="left")
    ok = hit < n
    ok[ok] = codes[hit[ok]] == r_code[ok]
    mark[hit[ok]] = True
    return mark
