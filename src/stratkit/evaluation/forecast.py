"""Forecasts: where each series is heading by its deadline, with an interval.

:func:`fit_many` fits a straight line to the last ``window`` points of every
series at once (one numpy pass over the long table, no Python loop over
series) by ordinary least squares or by Theil-Sen (median of the pairwise
slopes, intercept the median of ``y - slope * x``). The interval at the
deadline is the Student t prediction interval of the fitted line::

    value +/- t(q, n - 2) * s * sqrt(1 + 1/n + (x0 - mean(x)) ** 2 / Sxx)

with ``s`` the residual standard deviation about the line (for Theil-Sen,
the residuals about the robust line: an approximation, documented as such).

The Student t quantile is computed without scipy by G. W. Hill's algorithm
(Algorithm 396, Comm. ACM 13(10), 1970), accurate to about 1e-6 for the
degrees of freedom used here; the tests check it against scipy.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import statistics
from typing import Any, cast

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.evaluation.status import ForecastVerdict

__all__ = ["Fit", "Forecast", "fit_many", "t_cdf", "t_quantile"]


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (``p > 0.5``).

    >>> round(t_quantile(0.9, 10), 4)
    1.3722
    """
    if not 0.5 < p < 1.0:
        raise ValueError(f"p must be between 0.5 and 1, found {p}")
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, found {df}")
    two_tail = 2.0 * (1.0 - p)
    n = float(df)
    if df == 1:
        return 1.0 / math.tan(two_tail * math.pi / 2.0)
    if df == 2:
        return math.sqrt(2.0 / (two_tail * (2.0 - two_tail)) - 2.0)
    a = 1.0 / (n - 0.5)
    b = 48.0 / (a * a)
    c = ((20700.0 * a / b - 98.0) * a - 16.0) * a + 96.36
    d = ((94.5 / (b + c) - 3.0) / b + 1.0) * math.sqrt(a * math.pi / 2.0) * n
    x = d * two_tail
    y = x ** (2.0 / n)
    if y > 0.05 + a:
        x = statistics.NormalDist().inv_cdf(1.0 - two_tail / 2.0)
        y = x * x
        if df < 5:
            c += 0.3 * (n - 4.5) * (x + 0.6)
        c = (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b + c
        y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x
        y = a * y * y
        y = math.expm1(y) if y > 0.002 else 0.5 * y * y + y
    else:
        y = (
            (1.0 / (((n + 6.0) / (n * y) - 0.089 * d - 0.822) * (n + 2.0) * 3.0) + 0.5 / (n + 4.0))
            * y
            - 1.0
        ) * (n + 1.0) / (n + 2.0) + 1.0 / y
    return math.sqrt(n * y)


def t_cdf(x: NDArray[np.float64], df: NDArray[np.int64]) -> NDArray[np.float64]:
    """Student's t distribution function at ``x``, with ``df`` (>= 1) degrees of freedom each.

    The exact finite series for whole degrees of freedom (Abramowitz and
    Stegun 26.7.3 and 26.7.4), vectorised: no scipy needed.

    >>> import numpy as np
    >>> [round(float(p), 4) for p in t_cdf(np.array([1.3722, 0.0, -2.0]), np.array([10, 3, 1]))]
    [0.9, 0.5, 0.1476]
    """
    x = np.asarray(x, dtype=np.float64)
    nu = np.asarray(df, dtype=np.int64)
    with np.errstate(all="ignore"):
        theta = np.arctan(np.abs(x) / np.sqrt(nu.astype(np.float64)))
    c2 = np.cos(theta) ** 2
    odd = nu % 2 == 1
    # the bracketed series: for odd nu, 1 + 2/3 c2 + (2*4)/(3*5) c2^2 ... up to
    # c2^((nu-3)/2); for even nu, 1 + 1/2 c2 + (1*3)/(2*4) c2^2 ... up to c2^((nu-2)/2)
    last = np.where(odd, (nu - 3) // 2, (nu - 2) // 2)
    total = np.where(last >= 0, 1.0, 0.0)
    term = np.ones_like(c2)
    for j in range(1, int(last.max(initial=0)) + 1):
        ratio = np.where(odd, (2.0 * j) / (2.0 * j + 1.0), (2.0 * j - 1.0) / (2.0 * j))
        term = term * ratio * c2
        total = total + np.where(j <= last, term, 0.0)
    sin, cos = np.sin(theta), np.cos(theta)
    two_sided = np.where(
        odd, (2.0 / math.pi) * (theta + sin * cos * total), sin * np.where(nu >= 2, total, 0.0)
    )
    out: NDArray[np.float64] = 0.5 + 0.5 * np.sign(x) * two_sided
    return np.where(np.isnan(x), np.nan, out)


@functools.cache
def _t_table(p: float, max_df: int) -> NDArray[np.float64]:
    table = np.full(max_df + 1, np.nan)
    for df in range(1, max_df + 1):
        table[df] = t_quantile(p, df)
    return table


@attrs.frozen(kw_only=True)
class Fit:
    """Columns of :func:`fit_many`, one row per series (NaN where no fit)."""

    value: NDArray[np.float64]
    """The fitted line at ``x0``."""
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    slope: NDArray[np.float64]
    """Change per unit of ``x`` (per day when ``x`` is in days)."""
    n_points: NDArray[np.int64]
    """Points the line was fitted on (at most the window)."""
    se: NDArray[np.float64] | None = None
    """The prediction's standard error at ``x0`` (its interval is value +/- t * se)."""


def _row_median(m: NDArray[np.float64]) -> NDArray[np.float64]:
    """Median of each row ignoring NaN, without warnings for all-NaN rows."""
    s = np.sort(m, axis=1)
    c = (~np.isnan(s)).sum(axis=1)
    rows = np.arange(s.shape[0])
    lo = np.clip((c - 1) // 2, 0, None)
    hi = np.clip(c // 2, 0, None)
    if s.shape[1] == 0:
        return np.full(s.shape[0], np.nan)
    out: NDArray[np.float64] = 0.5 * (s[rows, lo] + s[rows, hi])
    out[c == 0] = np.nan
    return out


def fit_many(
    counts: NDArray[np.int64],
    x: NDArray[Any],
    y: NDArray[np.float64],
    *,
    x0: NDArray[np.float64],
    x_offset: float = 0.0,
    window: int = 12,
    min_points: int = 6,
    method: str = "ols",
    level: float = 0.8,
) -> Fit:
    """Fit a line to the last ``window`` points of each group and predict at ``x0``.

    ``counts`` gives the number of rows of each group; the rows of group 0 come
    first, then those of group 1, and so on, each sorted by ``x``. ``x`` may
    be integers (day numbers): only the rows in the window are converted, as
    ``x - x_offset``. Groups with fewer than ``min_points`` points (or all
    points on one ``x``) get NaN.
    """
    if method not in ("ols", "theil_sen"):
        raise ValueError(f"unknown forecast method {method!r}; use 'ols' or 'theil_sen'")
    n_groups = int(counts.size)
    ends = np.cumsum(counts)
    if method == "ols" and n_groups and int(counts.min()) >= window:
        n, xbar, centre, slope, sxx, sse = _ols_block(ends, x, y, x_offset, window)
    else:
        n, xbar, centre, slope, sxx, sse = _fit_ragged(
            counts, ends, x, y, x_offset=x_offset, window=window, method=method
        )
    nf = n.astype(np.float64)
    with np.errstate(all="ignore"):
        ok = (n >= max(min_points, 3)) & (sxx > 0) & np.isfinite(slope)
        dx = x0 - xbar
        value = centre + slope * dx
        s = np.sqrt(sse / (nf - 2.0))
        se = s * np.sqrt(1.0 + 1.0 / nf + dx * dx / sxx)
    table = _t_table((1.0 + level) / 2.0, max(window, 3))
    q = table[np.clip(n - 2, 0, table.size - 1)]
    half = q * se
    nan = np.full(n_groups, np.nan)
    return Fit(
        value=np.where(ok, value, nan),
        low=np.where(ok, value - half, nan),
        high=np.where(ok, value + half, nan),
        slope=np.where(ok, slope, nan),
        n_points=n.astype(np.int64),
        se=np.where(ok, se, nan),
    )


_Stats = tuple[
    NDArray[np.int64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]


def _ols_block(
    ends: NDArray[np.int64],
    x: NDArray[Any],
    y: NDArray[np.float64],
    x_offset: float,
    window: int,
) -> _Stats:
    """OLS when every group has a full window: the windows form one (groups, window) block."""
    rows = (ends - window)[:, None] + np.arange(window)
    xm = (x[rows] - x_offset).astype(np.float64)
    ym = y[rows]
    with np.errstate(all="ignore"):
        xbar = xm.mean(axis=1)
        ybar = ym.mean(axis=1)
        xc = xm - xbar[:, None]
        sxx = (xc * xc).sum(axis=1)
        slope = (xc * ym).sum(axis=1) / sxx
        resid = ym - (ybar[:, None] + slope[:, None] * xc)
        sse = (resid * resid).sum(axis=1)
    return np.full(ends.size, window, dtype=np.int64), xbar, ybar, slope, sxx, sse


def _fit_ragged(
    counts: NDArray[np.int64],
    ends: NDArray[np.int64],
    x: NDArray[Any],
    y: NDArray[np.float64],
    *,
    x_offset: float,
    window: int,
    method: str,
) -> _Stats:
    """Any group sizes: the last ``window`` rows of each group, reduced with bincount."""
    n_groups = int(counts.size)
    n = np.minimum(counts, window)
    first = np.cumsum(n) - n
    rank = np.arange(int(n.sum())) - np.repeat(first, n)
    rows = np.repeat(ends - n, n) + rank
    g = np.repeat(np.arange(n_groups), n)
    xw = (x[rows] - x_offset).astype(np.float64)
    yw = y[rows]
    posw = n[g] - 1 - rank
    nf = n.astype(np.float64)
    with np.errstate(all="ignore"):
        xbar = np.bincount(g, xw, minlength=n_groups) / nf
        ybar = np.bincount(g, yw, minlength=n_groups) / nf
        xc = xw - xbar[g]
        sxx = np.bincount(g, xc * xc, minlength=n_groups)
        if method == "ols":
            slope = np.bincount(g, xc * yw, minlength=n_groups) / sxx
            centre = ybar
        else:
            slope, centre = _theil_sen(
                g, x=xw, y=yw, pos=posw, n=n, n_groups=n_groups, window=window, xbar=xbar
            )
        resid = yw - (centre[g] + slope[g] * xc)
        sse = np.bincount(g, resid * resid, minlength=n_groups)
    return cast("_Stats", (n.astype(np.int64), xbar, centre, slope, sxx, sse))


def _theil_sen(
    g: NDArray[np.int64],
    *,
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    pos: NDArray[np.int64],
    n: NDArray[np.int64],
    n_groups: int,
    window: int,
    xbar: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    col = n[g] - 1 - pos
    xm = np.full((n_groups, window), np.nan)
    ym = np.full((n_groups, window), np.nan)
    xm[g, col] = x
    ym[g, col] = y
    i, j = np.triu_indices(window, 1)
    dx = xm[:, j] - xm[:, i]
    dy = ym[:, j] - ym[:, i]
    with np.errstate(all="ignore"):
        pair = np.where(dx != 0, dy / dx, np.nan)
    slope = _row_median(pair)
    intercept = _row_median(ym - slope[:, None] * (xm - xbar[:, None]))
    return slope, intercept


@attrs.frozen(kw_only=True)
class Forecast:
    """Where an outcome is heading at its deadline, with an interval and a verdict.

    ``value``, ``low`` and ``high`` are in the measure's unit; ``level`` is
    the interval's coverage (0.8: ``low`` and ``high`` are the 10th and 90th
    percentiles of the prediction). ``verdict`` says whether the target is
    likely met: the whole interval meets it (likely), misses it (unlikely),
    or straddles it (uncertain).
    """

    deadline: dt.date
    value: float
    low: float
    high: float
    verdict: ForecastVerdict
    method: str
    n_points: int
    level: float
    slope_per_year: float
    """The fitted change per year (365.25 days), in the measure's unit."""
    clipped: bool = False
    """The straight line runs past the values the measure can take (above 100 %
    of staff, below zero incidents) and the forecast is held at that limit: its
    interval then says little, and ``probability`` says more."""
    probability: float | None = None
    """The probability that the value at the deadline meets the target (is
    within its band, for a towards target), from the same Student t
    prediction distribution as the interval; None without a target."""

    def __repr__(self) -> str:
        """``<Forecast unlikely: 85.36 (77.62 to 93.1) by 2026-03-31, ols on 12 points>``."""
        return (
            f"<Forecast {self.verdict.value}: {self.value:.4g} ({self.low:.4g} to "
            f"{self.high:.4g}) by {self.deadline.isoformat()}, {self.method} on "
            f"{self.n_points} points>"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "deadline": self.deadline.isoformat(),
            "value": self.value + 0.0,  # + 0.0: never "-0.0"
            "low": self.low + 0.0,
            "high": self.high + 0.0,
            "verdict": self.verdict.value,
            "method": self.method,
            "n_points": self.n_points,
            "level": self.level,
            "slope_per_year": self.slope_per_year,
            "clipped": self.clipped,
            "probability": self.probability,
        }
