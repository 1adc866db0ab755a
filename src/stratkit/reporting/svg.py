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

from stratkit.reporting._axes import (
    axis_unit,
    month_text,
    month_ticks,
    nice_ticks,
    spacing,
    to_date,
    to_day,
)
from stratkit.reporting._format import as_date, fmt_number, fmt_value

__all__ = ["chart_notes", "chart_svg", "nice_ticks", "rebase_reasons"]

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
    padded = getattr(traj, "padded", None)
    if callable(padded) and hi > lo:
        days = np.unique(
            np.concatenate([np.arange(lo, hi, 30.0), [lo, hi], tx[(tx >= lo) & (tx <= hi)]])
        )
        values = _sample(traj, days)
        if values is not None:
            return days, values
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
        return "" if sid is None else str(sid)  # an unnamed chart has no title


def _as_result(result: Any) -> Any:
    from stratkit.spc import SPCResult

    return _SPCOnly(result) if isinstance(result, SPCResult) else result


def _sample(traj: Any, days: np.ndarray[Any, Any]) -> np.ndarray[Any, Any] | None:
    """The trajectory's value on each day, in one vectorised call: the same arithmetic
    (and so the same bits) as ``Trajectory.at`` day by day; ``None`` when a day falls
    before the first knot."""
    from stratkit.evaluation.trajectory import values_at

    knot_days, knot_values, code = traj.padded(int(np.asarray(traj.values).size))
    n, k = days.size, knot_days.size
    whole = np.trunc(days).astype(np.int64)  # as int() of each day, like timedelta(days=int(d))
    values = values_at(
        np.broadcast_to(knot_days, (n, k)),
        np.broadcast_to(knot_values, (n, k)),
        np.full(n, code, dtype=np.int8),
        whole,
    )
    return None if np.isnan(values).any() else values


def chart_notes(result: Any) -> list[tuple[dt.date, str]]:
    """The notes on data points (the observations file's ``note`` column), with the
    date of the period end each describes, in date order."""
    series = getattr(result, "series", None)
    notes = tuple(getattr(series, "notes", ()) or ()) if series is not None else ()
    if not notes:
        return []
    ends = _days(getattr(series, "end", ()))
    out = []
    for day, note in zip(ends.tolist(), notes, strict=False):
        text = str(note).strip()
        if text and math.isfinite(day):
            out.append((to_date(day), text))
    return out


_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _point_words(
    days: np.ndarray[Any, Any], values: np.ndarray[Any, Any], unit: str, by_month: bool
) -> list[str]:
    """``Mar 2025: 81.5 %`` for each point: dates and unit words worked out once per
    chart, not once per point."""
    from stratkit._display import number_text, value_text

    stamps = days.astype(np.int64).astype("datetime64[D]")
    months = stamps.astype("datetime64[M]").astype(np.int64)
    labels = [f"{_MONTH_NAMES[m % 12]} {1970 + m // 12}" for m in months.tolist()]
    if not by_month:
        first = stamps.astype("datetime64[M]").astype("datetime64[D]")
        day_of_month = (stamps - first).astype(np.int64) + 1
        labels = [f"{d} {t}" for d, t in zip(day_of_month.tolist(), labels, strict=True)]
    plural = value_text(2.0, unit)
    singular = value_text(1.0, unit)
    simple = plural.startswith("2") and singular.startswith("1")
    out = []
    for label, v in zip(labels, values.tolist(), strict=True):
        if simple:
            text = number_text(v) + (singular[1:] if abs(v) == 1 else plural[1:])
        else:
            text = value_text(v, unit)
        out.append(f"{label}: {text}")
    return out


def rebase_reasons(result: Any) -> list[tuple[float, str]]:
    """The outcome's declared rebase dates (day numbers) and their reasons, in date order."""
    found = []
    for r in getattr(result, "rebase", ()) or ():
        d = as_date(getattr(r, "date", None))
        if d is not None:
            found.append((to_day(d), str(getattr(r, "reason", "") or "")))
    return sorted(found)


def _text_width(text: str, size: float) -> float:
    """A generous estimate of a text's width in a sans-serif face."""
    return 0.58 * size * len(text)


def _final_deadline(result: Any) -> float:
    d = as_date(getattr(result, "deadline", None))
    return math.nan if d is None else to_day(d)


def _interim_days(result: Any) -> list[float]:
    outcome = getattr(result, "outcome", None)
    target = getattr(outcome, "target", None)
    interim = getattr(target, "interim", ()) or ()
    days = [as_date(getattr(i, "date", None)) for i in interim]
    return sorted(to_day(d) for d in days if d is not None)


def _title(result: Any) -> str:
    outcome = getattr(result, "outcome", None)
    measure = getattr(outcome, "measure", None)
    name = getattr(measure, "name", None) or getattr(outcome, "statement", None) or ""
    return f"{result.outcome_id} {name}".strip()


def _clip(text: str, width: float, size: float) -> str:
    most = max(int(width / (0.58 * size)), 8)
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def chart_svg(
    result: Any,
    *,
    width: int = 640,
    height: int = 250,
) -> str | None:
    """The chart of an outcome result or an ``SPCResult``; ``None`` with nothing to draw.

    For an outcome result, uses ``result.spc`` (an ``SPCResult``) when there is
    one, else the raw ``result.series``; adds ``result.target_value`` and
    ``result.trajectory``. An ``SPCResult`` is drawn with its own target.
    The x-axis runs from the first point to the later of the last point and the
    next interim deadline; the final deadline is a marker (a line when it falls on
    the axis, an arrow at the right edge when later). Notes on data points are
    numbered markers (see :func:`chart_notes`). Text is 14 px in the drawing, so
    at least 12 px wherever the chart is shown at 86 % of its size or more.
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
    gap = spacing(x)
    by_month = not math.isfinite(gap) or gap >= 27

    def when(day: float) -> str:
        d = to_date(day)
        return month_text(d) if by_month else f"{d.day} {month_text(d)}"

    # dates: the data, from the trajectory's start (at most two years before the data)
    # to the later of the last point and the next interim deadline
    first, last = float(np.nanmin(x)), float(np.nanmax(x))
    x0, x1 = first, last
    if tx.size:
        x0 = min(x0, max(float(tx.min()), first - 2 * 366))
    upcoming = [d for d in _interim_days(result) if d > last]
    if upcoming:
        x1 = max(x1, upcoming[0])
    deadline = _final_deadline(result)
    if x1 <= x0:
        x0, x1 = x0 - 15, x1 + 15
    d0, d1 = x0, x1
    margin = (x1 - x0) * 0.02  # so the first and last points are not cut by the frame
    x0, x1 = x0 - margin, x1 + margin
    tx, ty = _trajectory_points(traj, tx, ty, x0, x1)

    # values: the data, the SPC lines, the trajectory on the axis and the target
    parts = [a[np.isfinite(a)] for a in (y, mean, lpl, upl, ty)]
    allv = np.concatenate([a for a in parts if a.size] or [np.zeros(1)])
    if math.isfinite(target_y):
        allv = np.append(allv, target_y)
    y0, y1 = float(allv.min()), float(allv.max())
    scale = max(abs(y0), abs(y1))
    if y1 - y0 <= scale * 1e-9:  # constant, or a range below the values' resolution
        pad = scale * 0.1 or 1.0
        y0, y1 = y0 - pad, y1 + pad
    else:
        pad = (y1 / 2 - y0 / 2) * 0.16
        y0, y1 = y0 - pad, y1 + pad
    yticks = nice_ticks(y0, y1)
    labels = [fmt_number(t) for t in yticks]

    size, small = 14, 12
    ylabel = axis_unit(unit)
    left = int(max(_text_width(t, size) for t in [*labels, "0"]) + 14 + (22 if ylabel else 0))
    right, top = 18, 42
    # the legend, laid out in rows under the axis
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
    notes = [(to_day(d), text) for d, text in chart_notes(result)]
    notes = [(d, t) for d, t in notes if x0 <= d <= x1]
    if notes:
        items.append(("note", INK, "", "note on the data"))
    legend: list[tuple[float, int, tuple[str, str, str, str]]] = []
    lx, row = float(left), 0
    for item in items:
        w = 26 + 0.9 * _text_width(item[3], small) + 14
        if lx + w > width - right and lx > left:
            lx, row = float(left), row + 1
        legend.append((lx, row, item))
        lx += w
    bottom = 30 + 20 * (row + 1) + 6
    height = max(height, top + 110 + bottom)
    pw, ph = width - left - right, height - top - bottom
    span = x1 - x0
    yspan = y1 / 2 - y0 / 2

    def sx(d: float) -> float:
        return left + (d - x0) / span * pw

    def sy(v: float) -> float:
        return top + (y1 / 2 - v / 2) / yspan * ph

    label = escape(
        f"SPC chart of outcome {result.outcome_id}" if result.outcome_id else "SPC chart",
        quote=True,
    )
    title = escape(_clip(_title(result), width - 16, size + 1))
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="spc" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}" '
            'font-family="Arial, Helvetica, sans-serif">'
        ),
        f"<title>{label}</title>",
        (
            f'<text x="8" y="20" font-size="{size + 1}" font-weight="bold" '
            f'fill="{INK}">{title}</text>'
        ),
        (
            f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#ffffff" '
            f'stroke="#d9d9d9"/>'
        ),
    ]
    for t, text in zip(yticks, labels, strict=True):
        yy = _f(sy(t))
        out.append(f'<line x1="{left}" y1="{yy}" x2="{left + pw}" y2="{yy}" stroke="#eeeeee"/>')
        out.append(
            f'<text x="{left - 6}" y="{yy}" dy="5" text-anchor="end" '
            f'font-size="{size}" fill="{INK}">{escape(text)}</text>'
        )
    if ylabel:
        mid = _f(top + ph / 2)
        out.append(
            f'<text x="16" y="{mid}" font-size="{size}" fill="{INK}" '
            f'transform="rotate(-90 16 {mid})" text-anchor="middle">'
            f"{escape(_clip(ylabel, ph, size))}</text>"
        )
    # x axis: month ends, the step chosen from the data's frequency and the room
    most = max(int(pw / (_text_width("Mar 2025", size) + 18)), 2)
    for d, text in month_ticks(d0, d1, gap, most):
        xx = _f(sx(d))
        out.append(
            f'<line x1="{xx}" y1="{top + ph}" x2="{xx}" y2="{top + ph + 5}" stroke="{INK}"/>'
        )
        out.append(
            f'<text x="{xx}" y="{top + ph + 20}" text-anchor="middle" '
            f'font-size="{size}" fill="{INK}">{text}</text>'
        )

    def path(
        xs: Sequence[float] | np.ndarray[Any, Any], vs: Sequence[float] | np.ndarray[Any, Any]
    ) -> list[str]:
        """Polyline point lists, broken where a value is missing (coordinates scaled
        in one vectorised step, printed with one decimal)."""
        xa = np.asarray(xs, dtype=np.float64)
        va = np.asarray(vs, dtype=np.float64)
        n = min(xa.size, va.size)
        xa, va = xa[:n], va[:n]
        ok = np.isfinite(xa) & np.isfinite(va)
        if not ok.any():
            return []
        px = np.round(left + (xa - x0) / span * pw, 1) + 0.0  # + 0.0: no "-0.0"
        py = np.round(top + (y1 / 2 - va / 2) / yspan * ph, 1) + 0.0
        cells = [f"{a:.1f},{b:.1f}" for a, b in zip(px.tolist(), py.tolist(), strict=True)]
        runs: list[str] = []
        start = None
        for i, good in enumerate(ok.tolist()):
            if good and start is None:
                start = i
            elif not good and start is not None:
                runs.append(" ".join(cells[start:i]))
                start = None
        if start is not None:
            runs.append(" ".join(cells[start:]))
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
    # the final deadline: a line on the axis, or a note above the plot's right edge
    if math.isfinite(deadline):
        words = f"deadline {when(deadline)}"
        if x0 <= deadline <= x1:
            xx = _f(sx(deadline))
            out.append(
                f'<line x1="{xx}" y1="{top}" x2="{xx}" y2="{top + ph}" stroke="{RED}" '
                f'stroke-width="1.5" stroke-dasharray="3 3"/>'
                f'<text x="{xx}" y="{top - 5}" text-anchor="middle" '
                f'font-size="{small}" fill="{RED}">{escape(words)}</text>'
            )
        elif deadline > x1:
            if math.isfinite(target_y):
                words = f"target {fmt_value(target_y, unit)} by {when(deadline)}"
            out.append(
                f'<text x="{left + pw}" y="{top - 5}" text-anchor="end" '
                f'font-size="{small}" fill="{RED}">{escape(words)} →</text>'
            )
    # rebase marks
    changes: list[int] = (
        (np.flatnonzero(np.diff(groups) != 0) + 1).tolist() if groups.size > 1 else []
    )
    reasons = rebase_reasons(result)
    for i in changes:
        xx = _f(sx(float(x[i])))
        # the declared rebase that starts this group: the latest on or before its first point
        why = [text for day, text in reasons if day <= float(x[i]) and day > float(x[i - 1])]
        tip = ""
        if why:
            said = f"limits recalculated from {when(float(x[i]))}: {why[-1]}"
            tip = f"<title>{escape(said)}</title>"
        out.append(
            f'<g>{tip}<line x1="{xx}" y1="{top}" x2="{xx}" y2="{top + ph}" '
            f'stroke="{INK}" stroke-width="1" stroke-dasharray="1 3"/>'
            f'<text x="{xx}" y="{top + ph - 6}" dx="3" font-size="{small}" '
            f'fill="{INK}">rebased</text></g>'
        )
    # notes on the data: numbered flags along the top of the plot
    for k, (d, text) in enumerate(notes, start=1):
        xx = _f(sx(d))
        tip = escape(f"{when(d)}: {text}", quote=True)
        out.append(
            f'<g><title>{tip}</title><line x1="{xx}" y1="{top}" x2="{xx}" y2="{top + ph}" '
            f'stroke="{INK}" stroke-width="0.6" stroke-dasharray="1 2"/>'
            f'<rect x="{_f(sx(d) - 8)}" y="{top + 1}" width="16" height="16" rx="3" '
            f'fill="#ffffff" stroke="{INK}"/><text x="{xx}" y="{top + 14}" '
            f'text-anchor="middle" font-size="{small}" fill="{INK}">{k}</text></g>'
        )
    # the data line, then the points on top
    out.extend(
        f'<polyline points="{run}" fill="none" stroke="{LIGHT}" stroke-width="1.5"/>'
        for run in path(x, y)
    )
    ok = np.isfinite(x) & np.isfinite(y)
    cx = (np.round(left + (x - x0) / span * pw, 1) + 0.0)[ok].tolist()
    cy = (np.round(top + (y1 / 2 - y / 2) / yspan * ph, 1) + 0.0)[ok].tolist()
    kinds = [k for k, good in zip(types, ok.tolist(), strict=False) if good]
    tips = _point_words(x[ok], y[ok], unit, by_month)
    for px, py, kind, said in zip(cx, cy, kinds, tips, strict=False):
        colour = _POINT_COLOURS.get(kind, GREY)
        words = _POINT_WORDS.get(kind) or kind.replace("_", " ")
        r = "4.5" if kind in _POINT_COLOURS else "3.5"
        out.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{r}" fill="{colour}">'
            f"<title>{escape(f'{said} ({words})', quote=True)}</title></circle>"
        )
    # legend
    for lx, row, (shape, colour, dash, text) in legend:
        ly = top + ph + 44 + 20 * row
        if shape == "line":
            extra = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{_f(lx)}" y1="{ly - 4}" x2="{_f(lx + 20)}" y2="{ly - 4}" '
                f'stroke="{colour}" stroke-width="2"{extra}/>'
            )
        elif shape == "note":
            out.append(
                f'<rect x="{_f(lx + 2)}" y="{ly - 12}" width="16" height="16" rx="3" '
                f'fill="#ffffff" stroke="{INK}"/><text x="{_f(lx + 10)}" y="{ly + 1}" '
                f'text-anchor="middle" font-size="{small}" fill="{INK}">1</text>'
            )
        else:
            out.append(f'<circle cx="{_f(lx + 10)}" cy="{ly - 4}" r="4.5" fill="{colour}"/>')
        out.append(
            f'<text x="{_f(lx + 26)}" y="{ly}" font-size="{small}" fill="{INK}">{text}</text>'
        )
    out.append("</svg>")
    return "".join(out)
