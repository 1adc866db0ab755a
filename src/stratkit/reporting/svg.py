"""The SPC chart of one outcome as an inline SVG drawing.

The drawing follows the Making Data Count convention: grey points and line,
the mean as a solid line, the process limits dashed, special-cause points
coloured blue (improvement) or orange (concern) and purple (neutral), the
target as a red dashed line, the trajectory as a green dotted line, and a
vertical mark where the limits were rebased. Colour is never the only signal:
the point's type is in its ``<title>``, and a legend names every line.

Pure and deterministic: coordinates are printed with one decimal, and there
are no ids, scripts, fonts or links, so many charts can share one page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from html import escape
from typing import Any

import attrs
import numpy as np

from stratkit.reporting._format import as_date, fmt_number, fmt_value

__all__ = ["chart_svg", "nice_ticks"]

BLUE = "#289de0"
ORANGE = "#fab428"
PURPLE = "#7b3fa0"
GREY = "#7f7f7f"
LIGHT = "#a6a6a6"
INK = "#231f20"
RED = "#c0392b"
GREEN = "#2e7d32"

_POINT_COLOURS = {
    "special_cause_improvement": BLUE,
    "special_cause_concern": ORANGE,
    "special_cause_neutral_high": PURPLE,
    "special_cause_neutral_low": PURPLE,
}
_POINT_WORDS = {
    "common_cause": "common cause",
    "special_cause_improvement": "special cause, improvement",
    "special_cause_concern": "special cause, concern",
    "special_cause_neutral_high": "special cause, neutral (high)",
    "special_cause_neutral_low": "special cause, neutral (low)",
}


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round tick values covering ``low`` to ``high`` (about ``count`` of them)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw = (high - low) / max(count - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    t = first
    while t <= high + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _days(values: Any) -> np.ndarray[Any, Any]:
    arr = np.asarray(values)
    if arr.size == 0:
        return np.zeros(0)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[D]").astype(np.int64).astype(np.float64)
    out = []
    for v in arr.tolist():
        d = as_date(v)
        out.append(np.nan if d is None else float(d.toordinal() - dt.date(1970, 1, 1).toordinal()))
    return np.asarray(out, dtype=np.float64)


def _floats(values: Any) -> np.ndarray[Any, Any]:
    if values is None:
        return np.zeros(0)
    magnitude = getattr(values, "magnitude", values)
    return np.asarray(magnitude, dtype=np.float64).reshape(-1)


def _date_text(day: float) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=int(day))).isoformat()


def _x_ticks(x0: float, x1: float) -> list[tuple[float, str, str]]:
    """The first and last dates, and 1 April of each year between (``Apr 2024``)."""
    epoch = dt.date(1970, 1, 1)
    first = epoch + dt.timedelta(days=math.ceil(x0))
    last = epoch + dt.timedelta(days=math.floor(x1))
    ticks = [(x0, first.isoformat(), "middle")]
    room = (x1 - x0) * 0.12
    for year in range(first.year, last.year + 1):
        day = float((dt.date(year, 4, 1) - epoch).days)
        if x0 + room <= day <= x1 - room:
            ticks.append((day, f"Apr {year}", "middle"))
    ticks.append((x1, last.isoformat(), "middle"))
    return ticks


def _trajectory_points(
    traj: Any,
    tx: np.ndarray[Any, Any],
    ty: np.ndarray[Any, Any],
    x0: float,
    x1: float,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The trajectory inside the chart's dates: its knots, and for a trajectory that
    can say its value on any date (``at``), a point a month, so that steps and
    compounding curves are drawn as they are, and a line that crosses the chart's
    edge is cut at the edge."""
    if tx.size == 0:
        return tx, ty
    lo, hi = max(x0, float(tx.min())), min(x1, float(tx.max()))
    at = getattr(traj, "at", None)
    if callable(at) and hi > lo:
        days = np.unique(
            np.concatenate([np.arange(lo, hi, 30.0), [lo, hi], tx[(tx >= lo) & (tx <= hi)]])
        )
        epoch = dt.date(1970, 1, 1)
        try:
            values = [float(at(epoch + dt.timedelta(days=int(d)))) for d in days]
        except (TypeError, ValueError):
            values = []
        if values:
            return days, np.asarray(values, dtype=np.float64)
    inside = (tx >= x0) & (tx <= x1)
    return tx[inside], ty[inside]


@attrs.frozen
class _SPCOnly:
    """An ``SPCResult`` dressed as an outcome result, so one drawing code serves both."""

    spc: Any
    series: None = None
    trajectory: None = None

    @property
    def target_value(self) -> float | None:
        return self.spc.target  # type: ignore[no-any-return]

    @property
    def unit(self) -> str:
        return str(self.spc.unit or "")

    @property
    def outcome_id(self) -> str:
        sid = self.spc.series_id
        return "series" if sid is None else str(sid)


def _as_result(result: Any) -> Any:
    from stratkit.spc import SPCResult

    return _SPCOnly(result) if isinstance(result, SPCResult) else result


def chart_svg(
    result: Any,
    *,
    width: int = 720,
    height: int = 260,
) -> str | None:
    """The chart of an outcome result or an ``SPCResult``; ``None`` with nothing to draw.

    For an outcome result, uses ``result.spc`` (an ``SPCResult``) when there
    is one, else the raw ``result.series``; adds ``result.target_value`` and
    ``result.trajectory``. An ``SPCResult`` is drawn with its own target.
    """
    result = _as_result(result)
    spc = getattr(result, "spc", None)
    series = getattr(result, "series", None)
    if spc is not None:
        x = _days(spc.dates)
        y = _floats(spc.values)
        mean = _floats(spc.mean)
        lpl = _floats(spc.lpl)
        upl = _floats(spc.upl)
        types = [str(t) for t in np.asarray(spc.point_type).tolist()]
        groups = np.asarray(spc.rebase_group).reshape(-1)
    elif series is not None and len(_floats(series.values)) > 0:
        x = _days(series.end)
        y = _floats(series.values)
        mean = lpl = upl = np.full(y.shape, np.nan)
        types = ["common_cause"] * y.size
        groups = np.zeros(y.size, dtype=np.int64)
    else:
        return None
    keep = np.isfinite(x)
    if not keep.any():
        return None
    target = getattr(result, "target_value", None)
    try:
        target_y = float(target) if target is not None else math.nan
    except (TypeError, ValueError):
        target_y = math.nan
    traj = getattr(result, "trajectory", None)
    tx = ty = np.zeros(0)
    if traj is not None:
        tx = _days(getattr(traj, "dates", ()))
        ty = _floats(getattr(traj, "values", ()))
        n = min(tx.size, ty.size)
        tx, ty = tx[:n], ty[:n]
        ok = np.isfinite(tx) & np.isfinite(ty)
        tx, ty = tx[ok], ty[ok]
    unit = str(getattr(result, "unit", "") or "")

    # scales: the data's dates (trajectory clipped to a year beyond them)
    x0 = float(np.nanmin(x))
    x1 = float(np.nanmax(x))
    if tx.size:
        horizon = x1 + 2 * 366
        inside = tx <= horizon
        x0 = min(x0, float(tx[inside].min())) if inside.any() else x0
        x1 = max(x1, float(min(tx.max(), horizon)))
    if x1 <= x0:
        x0, x1 = x0 - 15, x1 + 15
    d0, d1 = x0, x1  # the dates labelled at the ends of the axis
    margin = (x1 - x0) * 0.02  # so the first and last points are not cut by the frame
    x0, x1 = x0 - margin, x1 + margin
    tx, ty = _trajectory_points(traj, tx, ty, x0, x1)
    ys = [
        y[np.isfinite(y)],
        mean[np.isfinite(mean)],
        lpl[np.isfinite(lpl)],
        upl[np.isfinite(upl)],
        ty,
    ]
    allv = np.concatenate([a for a in ys if a.size] or [np.zeros(1)])
    if math.isfinite(target_y):
        allv = np.append(allv, target_y)
    y0, y1 = float(allv.min()), float(allv.max())
    if y1 <= y0:
        pad = abs(y0) * 0.1 or 1.0
        y0, y1 = y0 - pad, y1 + pad
    pad = (y1 - y0) * 0.08
    y0, y1 = y0 - pad, y1 + pad

    left, right, top, bottom = 64, 16, 12, 46
    pw, ph = width - left - right, height - top - bottom

    def sx(d: float) -> float:
        return left + (d - x0) / (x1 - x0) * pw

    def sy(v: float) -> float:
        return top + (y1 - v) / (y1 - y0) * ph

    label = escape(f"SPC chart of outcome {result.outcome_id}", quote=True)
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="spc" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        ),
        f"<title>{label}</title>",
        (
            f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#ffffff" '
            f'stroke="#d9d9d9"/>'
        ),
    ]
    # y axis
    for t in nice_ticks(y0, y1):
        yy = _f(sy(t))
        out.append(f'<line x1="{left}" y1="{yy}" x2="{left + pw}" y2="{yy}" stroke="#eeeeee"/>')
        out.append(
            f'<text x="{left - 6}" y="{yy}" dy="4" text-anchor="end" '
            f'font-size="11" fill="{INK}">{escape(fmt_number(t))}</text>'
        )
    if unit:
        out.append(
            f'<text x="12" y="{_f(top + ph / 2)}" font-size="11" fill="{INK}" '
            f'transform="rotate(-90 12 {_f(top + ph / 2)})" text-anchor="middle">'
            f"{escape(unit)}</text>"
        )
    # x axis: the start of each NHS financial year (1 April), or the first and last dates
    for d, text, anchor in _x_ticks(d0, d1):
        xx = _f(sx(d))
        out.append(
            f'<line x1="{xx}" y1="{top + ph}" x2="{xx}" y2="{top + ph + 4}" stroke="{INK}"/>'
        )
        out.append(
            f'<text x="{xx}" y="{top + ph + 16}" text-anchor="{anchor}" '
            f'font-size="11" fill="{INK}">{text}</text>'
        )

    def path(
        xs: Sequence[float] | np.ndarray[Any, Any], vs: Sequence[float] | np.ndarray[Any, Any]
    ) -> list[str]:
        """Polyline point lists, broken where a value is missing."""
        runs: list[str] = []
        current: list[str] = []
        for a, b in zip(xs, vs, strict=False):
            if math.isfinite(a) and math.isfinite(b):
                current.append(f"{_f(sx(float(a)))},{_f(sy(float(b)))}")
            elif current:
                runs.append(" ".join(current))
                current = []
        if current:
            runs.append(" ".join(current))
        return runs

    def lines(vs: np.ndarray[Any, Any], colour: str, dash: str = "", w: str = "1.5") -> None:
        # one segment per rebase group, so limits step at a rebase
        for g in dict.fromkeys(groups.tolist()):
            sel = groups == g
            for run in path(x[sel], vs[sel]):
                extra = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(
                    f'<polyline points="{run}" fill="none" stroke="{colour}" '
                    f'stroke-width="{w}"{extra}/>'
                )

    lines(upl, GREY, "5 3", "1")
    lines(lpl, GREY, "5 3", "1")
    lines(mean, INK, "", "1.2")
    if math.isfinite(target_y) and y0 <= target_y <= y1:
        yy = _f(sy(target_y))
        out.append(
            f'<line x1="{left}" y1="{yy}" x2="{left + pw}" y2="{yy}" stroke="{RED}" '
            f'stroke-width="1.5" stroke-dasharray="8 4"/>'
        )
    out.extend(
        f'<polyline points="{run}" fill="none" stroke="{GREEN}" '
        f'stroke-width="1.5" stroke-dasharray="2 3"/>'
        for run in path(tx, ty)
    )
    # rebase marks
    changes: list[int] = (
        (np.flatnonzero(np.diff(groups) != 0) + 1).tolist() if groups.size > 1 else []
    )
    for i in changes:
        xx = _f(sx(float(x[i])))
        out.append(
            f'<line x1="{xx}" y1="{top}" x2="{xx}" y2="{top + ph}" stroke="{INK}" '
            f'stroke-width="1" stroke-dasharray="1 3"/>'
        )
        out.append(
            f'<text x="{xx}" y="{top + 10}" dx="3" font-size="10" fill="{INK}">rebased</text>'
        )
    # the data line, then the points on top
    out.extend(
        f'<polyline points="{run}" fill="none" stroke="{LIGHT}" stroke-width="1.5"/>'
        for run in path(x, y)
    )
    for xi, yi, kind in zip(x.tolist(), y.tolist(), types, strict=False):
        if not (math.isfinite(xi) and math.isfinite(yi)):
            continue
        colour = _POINT_COLOURS.get(kind, GREY)
        words = _POINT_WORDS.get(kind, kind.replace("_", " "))
        tip = escape(f"{_date_text(xi)}: {fmt_value(yi, unit)} ({words})", quote=True)
        r = "4" if kind in _POINT_COLOURS else "3"
        out.append(
            f'<circle cx="{_f(sx(xi))}" cy="{_f(sy(yi))}" r="{r}" fill="{colour}">'
            f"<title>{tip}</title></circle>"
        )
    # legend
    ly = height - 10
    items: list[tuple[str, str, str, str]] = []
    if spc is not None:
        items += [("line", INK, "", "mean"), ("line", GREY, "5 3", "process limits")]
    else:
        items.append(("dot", GREY, "", "observations (no SPC)"))
    if math.isfinite(target_y):
        items.append(("line", RED, "8 4", "target"))
    if tx.size:
        items.append(("line", GREEN, "2 3", "trajectory"))
    if spc is not None:
        items += [("dot", BLUE, "", "improvement"), ("dot", ORANGE, "", "concern")]
    lx = left
    for shape, colour, dash, text in items:
        if shape == "line":
            extra = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 18}" y2="{ly - 4}" '
                f'stroke="{colour}" stroke-width="1.5"{extra}/>'
            )
        else:
            out.append(f'<circle cx="{lx + 9}" cy="{ly - 4}" r="4" fill="{colour}"/>')
        out.append(f'<text x="{lx + 22}" y="{ly}" font-size="11" fill="{INK}">{text}</text>')
        lx += 30 + 7 * len(text)
    out.append("</svg>")
    return "".join(out)
