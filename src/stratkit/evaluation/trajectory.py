"""Trajectories: the value expected on each date on the way from baseline to target.

A trajectory is a few *knots* (date, value) and a shape between them:

``linear``
    A straight line between consecutive knots (the default).
``step``
    Each knot's value is due on its date and held until the next ("annual
    targets met at year end"). Without interim targets, the knots are the
    strategy's year ends, with the values of the straight line.
``compound``
    "x % every year": ``baseline * (1 + rate) ** years`` with ``years`` from
    :func:`stratkit.model._common.years_between`. Knots sit on each
    anniversary of the start; between two anniversaries the value moves
    geometrically, which is exactly the formula (the fraction of a year is
    linear in days within each year).

Before the first knot there is no expectation (NaN); after the last, the
final value holds. Every trajectory passes exactly through its knots, so
through its baseline (at the start) and its target (at the deadline).

:func:`values_at` evaluates thousands of trajectories at once from padded
knot arrays; :meth:`Trajectory.at` is the same arithmetic for one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.model._common import years_between

__all__ = ["SHAPES", "Trajectory", "compound_knots", "day_number", "values_at"]

SHAPES: tuple[str, ...] = ("linear", "step", "compound")
"""Trajectory shapes, indexed by the shape codes :func:`values_at` takes."""

_EPOCH = dt.date(1970, 1, 1)
_PAD_DAY = np.iinfo(np.int64).max


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01 (numpy's ``datetime64[D]`` integer)."""
    return (d - _EPOCH).days


def _readonly(a: Any, dtype: Any) -> NDArray[Any]:
    out = np.array(a, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


def _readonly_dates(a: Any) -> NDArray[np.datetime64]:
    return _readonly(a, "datetime64[D]")


def _readonly_floats(a: Any) -> NDArray[np.float64]:
    return _readonly(a, np.float64)


def values_at(
    knot_days: NDArray[np.int64],
    knot_values: NDArray[np.float64],
    shape: NDArray[np.int8],
    day: NDArray[np.int64] | int,
) -> NDArray[np.float64]:
    """Evaluate many trajectories, one per row, each at its ``day``.

    ``knot_days`` and ``knot_values`` are ``(n, k)``, padded at the right with
    ``int64`` max and NaN; ``shape`` holds indexes into :data:`SHAPES`.
    Rows with no knot, and days before a row's first knot, give NaN.
    """
    n, k = knot_values.shape
    out = np.full(n, np.nan)
    if n == 0 or k == 0:
        return out
    days = np.broadcast_to(np.asarray(day, dtype=np.int64), (n,))
    n_knots = (knot_days != _PAD_DAY).sum(axis=1)
    idx = (knot_days <= days[:, None]).sum(axis=1)
    rows = np.arange(n)
    last = np.clip(n_knots - 1, 0, None)
    after = (idx >= n_knots) & (n_knots > 0)
    out[after] = knot_values[rows[after], last[after]]
    inside = (idx > 0) & (idx < n_knots)
    r = rows[inside]
    left = idx[inside] - 1
    d0 = knot_days[r, left].astype(np.float64)
    d1 = knot_days[r, left + 1].astype(np.float64)
    v0 = knot_values[r, left]
    v1 = knot_values[r, left + 1]
    frac = (days[inside] - d0) / (d1 - d0)
    value = v0 + frac * (v1 - v0)
    code = shape[inside]
    step = code == 1
    value[step] = v0[step]
    geo = (code == 2) & (v0 * v1 > 0)
    if geo.any():
        with np.errstate(all="ignore"):
            g = v0[geo] * (v1[geo] / v0[geo]) ** frac[geo]
        value[geo] = np.where(np.isfinite(g), g, value[geo])
    out[inside] = value
    return out


def compound_knots(
    start: dt.date, baseline: float, deadline: dt.date, rate: float
) -> tuple[list[dt.date], list[float]]:
    """Knots of ``baseline * (1 + rate) ** years``: the start, each anniversary, the deadline."""
    dates: list[dt.date] = [start]
    year = 1
    while True:
        try:
            nxt = start.replace(year=start.year + year)
        except ValueError:  # 29 February
            nxt = start.replace(year=start.year + year, day=28)
        if nxt >= deadline:
            break
        dates.append(nxt)
        year += 1
    dates.append(deadline)
    return dates, [baseline * (1.0 + rate) ** years_between(start, d) for d in dates]


@attrs.frozen(kw_only=True, eq=False)
class Trajectory:
    """The expected value of one outcome over time, in the measure's unit.

    ``dates`` and ``values`` are the knots (read-only arrays); ``shape`` is
    ``"linear"``, ``"step"`` or ``"compound"``; ``unit`` is the unit as text.

    >>> import datetime as dt
    >>> t = Trajectory.between(dt.date(2023, 4, 1), 16.0, dt.date(2026, 3, 31), 14.0, unit="%")
    >>> round(t.at(dt.date(2024, 9, 30)), 3)
    14.999
    """

    dates: NDArray[np.datetime64] = attrs.field(converter=_readonly_dates)
    values: NDArray[np.float64] = attrs.field(converter=_readonly_floats)
    shape: str = "linear"
    unit: str = ""

    def __repr__(self) -> str:
        """``<Trajectory linear: 6.6 on 2023-04-01 to 6.9 on 2026-03-31 (2 knots), score>``."""
        unit = f", {self.unit}" if self.unit else ""
        return (
            f"<Trajectory {self.shape}: {self.values[0]:.4g} on {self.dates[0]} to "
            f"{self.values[-1]:.4g} on {self.dates[-1]} ({self.values.size} knots){unit}>"
        )

    def __attrs_post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ValueError(f"Trajectory.shape must be one of {SHAPES}, found {self.shape!r}")
        if self.dates.shape != self.values.shape or self.dates.size == 0:
            raise ValueError("a trajectory needs as many dates as values, at least one")
        if np.any(np.diff(self.dates.astype(np.int64)) <= 0):
            raise ValueError("trajectory dates must increase")

    @classmethod
    def between(
        cls,
        start: dt.date,
        baseline: float,
        deadline: dt.date,
        target: float,
        *,
        shape: str = "linear",
        unit: str = "",
    ) -> Trajectory:
        """A trajectory from ``baseline`` on ``start`` to ``target`` on ``deadline``."""
        return cls(dates=[start, deadline], values=[baseline, target], shape=shape, unit=unit)

    @classmethod
    def compounding(
        cls, start: dt.date, baseline: float, deadline: dt.date, rate: float, *, unit: str = ""
    ) -> Trajectory:
        """``baseline * (1 + rate) ** years``, with a knot on every anniversary of ``start``."""
        dates, values = compound_knots(start, baseline, deadline, rate)
        return cls(dates=dates, values=values, shape="compound", unit=unit)

    @property
    def start(self) -> dt.date:
        """The first knot's date."""
        return _to_date(self.dates[0])

    @property
    def end(self) -> dt.date:
        """The last knot's date (the deadline)."""
        return _to_date(self.dates[-1])

    def at(self, when: dt.date) -> float | None:
        """The expected value on ``when``; ``None`` before the first knot."""
        days, values, shape = self.padded(self.values.size)
        out = values_at(
            days[None, :], values[None, :], np.array([shape], dtype=np.int8), day_number(when)
        )
        return None if np.isnan(out[0]) else float(out[0])

    def padded(self, width: int) -> tuple[NDArray[np.int64], NDArray[np.float64], int]:
        """Knot days and values padded to ``width``, and the shape code, for :func:`values_at`."""
        days = np.full(width, _PAD_DAY, dtype=np.int64)
        values = np.full(width, np.nan)
        n = self.values.size
        days[:n] = self.dates.astype(np.int64)
        values[:n] = self.values
        return days, values, SHAPES.index(self.shape)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``{"shape", "unit", "dates", "values"}``."""
        return {
            "shape": self.shape,
            "unit": self.unit,
            "dates": [str(d) for d in self.dates],
            "values": [float(v) for v in self.values],
        }


def _to_date(d: np.datetime64) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(d.astype(np.int64)))
