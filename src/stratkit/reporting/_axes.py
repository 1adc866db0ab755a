"""Chart axes: round value ticks, month ticks chosen from the data's frequency, and the
one date format every chart uses (``Mar 2025``).

Every loop here is bounded by its arguments, never by floating-point arithmetic: a
range far below the resolution of its values (``56.99999999999999`` to ``57``) or far
above it (``-1e15`` to ``1e15``) gives a few ticks, not an endless loop.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from stratkit._display import month_text

__all__ = [
    "axis_unit",
    "month_text",
    "month_ticks",
    "nice_ticks",
    "spacing",
    "to_date",
    "to_day",
]

EPOCH = dt.date(1970, 1, 1)
_STEPS = (1, 2, 3, 6, 12, 24, 36, 60, 120, 240, 600, 1200)


def to_date(day: float) -> dt.date:
    """The date of a day number (days since 1970-01-01), clamped to the calendar."""
    whole = int(max(min(day, 2_900_000.0), -719_000.0))
    return EPOCH + dt.timedelta(days=whole)


def to_day(d: dt.date) -> float:
    """Days since 1970-01-01."""
    return float((d - EPOCH).days)


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round tick values covering ``low`` to ``high`` (about ``count`` of them).

    At most ``4 * count + 1`` ticks, whatever the range: a range too small for the
    values' floating-point resolution gives one tick at its middle.

    >>> nice_ticks(0, 10)
    [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    >>> nice_ticks(56.99999999999999, 57.0)
    [57.0]
    >>> nice_ticks(-5e-324, 0.0)
    [0.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return [low] if math.isfinite(low) else []
    if high <= low:
        return [low]
    count = max(count, 2)
    scale = max(abs(low), abs(high))
    width = high - low
    raw = width / (count - 1)
    # a range within float resolution of its values, or so small that its step would
    # underflow (subnormal values such as 5e-324), has no round ticks: its middle
    if not math.isfinite(width) or width <= scale * 1e-12 or raw < 1e-300:
        middle = low / 2 + high / 2
        return [middle]
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    n = min(max(last - first + 1, 0), 4 * count + 1)
    digits = max(0, 2 - math.floor(math.log10(step)))
    ticks = [round((first + i) * step, digits) for i in range(n)]
    return [t for t in ticks if math.isfinite(t)] or [low / 2 + high / 2]


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def month_ticks(
    d0: float, d1: float, spacing_days: float, most: int = 8
) -> list[tuple[float, str]]:
    """Ticks at month ends between day numbers ``d0`` and ``d1``, labelled ``Mar 2025``.

    The step is a whole number of months no finer than the data's own spacing
    (monthly data: 1 month; quarterly: 3; annual: 12) and coarse enough for at most
    ``most`` ticks. Steps fall on the NHS financial year: quarters end in June,
    September, December and March; a yearly step is each March.
    """
    first, last = to_date(d0), to_date(d1)
    per_point = max(1, round(spacing_days / 30.44)) if math.isfinite(spacing_days) else 1
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in _STEPS if s >= per_point and span / s <= most), _STEPS[-1] * 10)
    ticks: list[tuple[float, str]] = []
    index = first.year * 12 + first.month - 1
    end_index = last.year * 12 + last.month - 1
    # the first aligned month at or after the start: (month - March) divisible by the step
    offset = (index - 2) % step
    if offset:
        index += step - offset
    while index <= end_index and len(ticks) <= most + 1:
        year, month = divmod(index, 12)
        end = _month_end(year, month + 1)
        day = to_day(end)
        if d0 - 16 <= day <= d1 + 16:
            ticks.append((day, month_text(end)))
        index += step
    if not ticks:
        middle = to_date((d0 + d1) / 2)
        ticks.append(((d0 + d1) / 2, month_text(middle)))
    return ticks


_MONEY_WORDS = {
    "GBP": "£",
    "£": "£",
    "kGBP": "£ thousand",
    "thousand_GBP": "£ thousand",
    "GBPk": "£ thousand",
    "GBPm": "£ million",
    "million_GBP": "£ million",
}


def axis_unit(unit: Any) -> str:
    """The unit of a value axis written for people: ``per cent``, ``placements``,
    ``incidents per 1,000 bed days``, ``£ million``; empty for a plain number.

    >>> axis_unit("%"), axis_unit("placement"), axis_unit("GBPm")
    ('per cent (%)', 'placements', '£ million')
    """
    from stratkit._display import unit_words

    text = str(unit or "").strip()
    if text in ("", "1", "dimensionless", "count"):
        return ""
    if text == "%":
        return "per cent (%)"
    if text in _MONEY_WORDS:
        return _MONEY_WORDS[text]
    return unit_words(text)


def spacing(days: np.ndarray[Any, Any]) -> float:
    """The median gap between consecutive distinct days (``nan`` with fewer than two)."""
    finite = np.unique(days[np.isfinite(days)])
    if finite.size < 2:
        return math.nan
    return float(np.median(np.diff(finite)))
