"""Formatting for people, shared by every report: numbers, units, dates, words.

Formatting is fixed so that the same evaluation always gives the same
characters: numbers are rounded to at most two decimals (none from 1000 up),
dates are written for people in the one style of :mod:`stratkit._display`
(``31 Mar 2026``, ``Mar 2025``), and nothing depends on the clock or the locale.
Everything here returns *unescaped* text; each renderer escapes for its format.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from stratkit._display import day_text, diff_text, number_text, value_text

__all__ = [
    "ASSURANCE_WORDS",
    "DASH",
    "RAG_OF",
    "READING_GUIDE",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "VARIATION_WORDS",
    "as_date",
    "fmt_date",
    "fmt_number",
    "fmt_signed",
    "fmt_value",
    "icon_words",
    "iso_date",
    "plain_number",
    "quantity_text",
    "word",
]

STATUS_ORDER: tuple[str, ...] = (
    "achieved",
    "on_track",
    "at_risk",
    "off_track",
    "no_data",
    "not_measurable",
)
STATUS_LABELS: dict[str, str] = {
    "achieved": "Achieved",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "no_data": "No data",
    "not_measurable": "Not measurable",
}
RAG_OF: dict[str, str] = {
    "achieved": "green",
    "on_track": "green",
    "at_risk": "amber",
    "off_track": "red",
    "no_data": "grey",
    "not_measurable": "grey",
}
DASH = "–"


VARIATION_WORDS: dict[str, str] = {
    "common_cause": "common cause variation",
    "improvement_high": "special cause improvement (high)",
    "improvement_low": "special cause improvement (low)",
    "concern_high": "special cause concern (high)",
    "concern_low": "special cause concern (low)",
    "neutral_high": "special cause, neutral (high)",
    "neutral_low": "special cause, neutral (low)",
}
ASSURANCE_WORDS: dict[str, str] = {
    "pass": "target consistently met",
    "fail": "target consistently missed",
    "inconsistent": "target hit and miss",
}


def icon_words(variation: str, assurance: str) -> str:
    """The two SPC icons in words: ``special cause improvement (low); target hit and miss``."""
    parts = []
    if variation:
        parts.append(VARIATION_WORDS.get(variation, variation.replace("_", " ")))
    if assurance:
        parts.append(ASSURANCE_WORDS.get(assurance, assurance.replace("_", " ")))
    return "; ".join(parts)


def word(value: Any) -> str:
    """The text of an enum member or string (``Status.ON_TRACK`` -> ``"on_track"``)."""
    if value is None:
        return ""
    inner = getattr(value, "value", value)
    return str(inner)


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def fmt_number(value: Any) -> str:
    """A number for people: ``14.2``, ``6.9``, ``1,250``, ``0.05``; a dash when unknown."""
    x = _float(value)
    if x is None:
        numeric = isinstance(value, (int, float, np.integer, np.floating))
        return DASH if value is None or numeric else str(value)
    return number_text(x)


def fmt_value(value: Any, unit: str | None) -> str:
    """A number with its unit: ``14.2 %``, ``6.9 score``, ``£1,250``; a dash when unknown."""
    x = _float(value)
    return DASH if x is None else value_text(x, unit)


def fmt_signed(value: Any, unit: str | None) -> str:
    """A difference with its sign, in points for a percent: ``+0.4 pp``, ``-1.2 score``."""
    x = _float(value)
    return DASH if x is None else diff_text(x, unit)


def as_date(value: Any) -> dt.date | None:
    """A ``datetime.date`` from a date, a datetime, a ``numpy.datetime64`` or ISO text."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def fmt_date(value: Any) -> str:
    """A day for people, ``31 Mar 2025``, or a dash."""
    d = as_date(value)
    return DASH if d is None else day_text(d)


def iso_date(value: Any) -> str:
    """A day for machines (CSV, JSON), ``2025-03-31``; empty when unknown."""
    d = as_date(value)
    return "" if d is None else d.isoformat()


def plain_number(value: Any) -> str:
    """A number for machines (CSV): full precision, shortest repr; empty when unknown."""
    if value is None:
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(x):
        return ""
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def quantity_text(q: Any) -> str:
    """A model quantity for people (``6.6 score``, ``16 %``)."""
    if q is None:
        return DASH
    from stratkit.units import format_unit

    return fmt_value(q.magnitude, format_unit(q.units))


READING_GUIDE: tuple[tuple[str, str], ...] = (
    ("Achieved (green)", "the latest value meets the target."),
    ("On track (green)", "not met yet, but on or ahead of the trajectory to the target."),
    ("At risk (amber)", "behind the trajectory, within the tolerance."),
    ("Off track (red)", "behind beyond the tolerance, or the deadline has passed unmet."),
    ("No data (grey)", "could be judged, but there is no observation on or before the date."),
    (
        "Not measurable (grey)",
        "cannot be judged yet: no measure, no target value, or no baseline.",
    ),
    (
        "Gap to target",
        (
            "how far the latest value is from the target, signed so that + is better than "
            "the target and - is worse, whichever way the measure improves "
            "(pp: percentage points)."
        ),
    ),
    (
        "SPC chart",
        (
            "Making Data Count XmR chart: the mean (solid line) and process limits (dashed); "
            "points of special cause variation in blue (improvement) or orange (concern); the "
            "target (red dashed line), the trajectory (green dotted line), and a dotted "
            "vertical line where the limits were recalculated (rebased)."
        ),
    ),
    (
        "Variation icon",
        (
            "common cause (grey), or special cause improvement (blue) or concern (orange), "
            "high (H) or low (L), read from the latest point."
        ),
    ),
    (
        "Assurance icon",
        (
            "whether the process will consistently meet the target (P, blue), consistently "
            "miss it (F, orange), or is hit and miss (?, grey). Icons need at least 15 points."
        ),
    ),
)
