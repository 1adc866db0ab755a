"""Numbers and units written for people: reasons, reports and tables.

Files and JSON keep the canonical unit text (``"GBPm"``, ``"bed_day"``,
``"incident / thousand_bed_day"``). People read ``£0.4m``, ``393 bed days``
and ``22.7 incidents per 1,000 bed days``. This module is the one place that
turns the first into the second; it needs no pint, so a reason or a report
costs no unit registry.

>>> value_text(0.4, "GBPm")
'£0.4m'
>>> value_text(3, "placement"), value_text(1, "placement")
('3 placements', '1 placement')
>>> value_text(22.7, "incident / thousand_bed_day")
'22.7 incidents per 1,000 bed days'
>>> diff_text(-0.3, "%"), diff_text(0.25, "score")
('-0.3 pp', '+0.25 score')

Dates for people have one style everywhere (reasons, cards, tables, charts,
front page), as NHS integrated performance reports write them: a day is
``31 Mar 2026``, a month ``Mar 2025``. Machine outputs (JSON, CSV date
columns) keep ISO 8601.

>>> import datetime as dt
>>> day_text(dt.date(2026, 3, 31)), month_text(dt.date(2025, 3, 1))
('31 Mar 2026', 'Mar 2025')
>>> period_text(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
'Mar 2025'
"""

from __future__ import annotations

import datetime as dt
import math

__all__ = [
    "day_text",
    "diff_text",
    "month_text",
    "number_text",
    "period_text",
    "unit_words",
    "value_text",
]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Units counted in whole things: (singular, plural) as written in a sentence.
_NOUNS: dict[str, tuple[str, str]] = {
    "count": ("", ""),
    "person": ("person", "people"),
    "patient": ("patient", "patients"),
    "incident": ("incident", "incidents"),
    "bed": ("bed", "beds"),
    "placement": ("placement", "placements"),
    "bed_day": ("bed day", "bed days"),
    "thousand_bed_day": ("1,000 bed days", "1,000 bed days"),
    "referral": ("referral", "referrals"),
    "project": ("project", "projects"),
    "second": ("second", "seconds"),
    "minute": ("minute", "minutes"),
    "hour": ("hour", "hours"),
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
    "year": ("year", "years"),
}
_SYMBOLS = {"m2": "m²", "square_metre": "m²", "m3": "m³", "cubic_metre": "m³"}
# Money: (prefix, suffix) around the number.
_MONEY = {
    "GBP": ("£", ""),
    "£": ("£", ""),
    "kGBP": ("£", "k"),
    "thousand_GBP": ("£", "k"),
    "GBPk": ("£", "k"),
    "GBPm": ("£", "m"),
    "million_GBP": ("£", "m"),
}


def number_text(value: float) -> str:
    """A number as people read it: ``15.2``, ``14.67``, ``1,250``, ``0.0512``; ``n/a``."""
    if not math.isfinite(value):
        return "n/a"
    a = abs(value)
    if a >= 1000:
        text = f"{value:,.0f}"
    elif a >= 100:
        text = f"{value:.1f}"
    elif a >= 1 or a == 0:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def unit_words(unit: str, value: float = 2.0) -> str:
    """The unit as a word for ``value`` of it: ``bed days``, ``person``, ``m³``, ``%``."""
    unit = unit.strip()
    if unit in _NOUNS:
        singular, plural = _NOUNS[unit]
        return singular if abs(value) == 1 else plural
    if unit in _SYMBOLS:
        return _SYMBOLS[unit]
    if " / " in unit and unit.count(" / ") == 1:
        top, bottom = unit.split(" / ")
        if top in _NOUNS and bottom in _NOUNS:
            return f"{unit_words(top, value)} per {unit_words(bottom, 1)}"
    return unit.replace("_", " ")


def value_text(value: float, unit: str | None) -> str:
    """A value with its unit, for a sentence or a table cell."""
    number = number_text(value)
    unit = (unit or "").strip()
    if number == "n/a" or unit in ("", "1", "dimensionless", "fraction"):
        return number
    if unit in _MONEY:
        prefix, suffix = _MONEY[unit]
        sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}{prefix}{digits}{suffix}"
    words = unit_words(unit, value)
    return f"{number} {words}" if words else number


def diff_text(value: float, unit: str | None, *, signed: bool = True) -> str:
    """A difference, with its sign unless ``signed=False``; a difference of percents is
    in points (``pp``)."""
    text = value_text(value, "pp" if (unit or "").strip() == "%" else unit)
    if not signed or text == "n/a" or text.startswith("-") or number_text(value) == "0":
        return text
    return "+" + text


def day_text(d: dt.date) -> str:
    """A day for people: ``31 Mar 2026``."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def month_text(d: dt.date) -> str:
    """A month for people: ``Mar 2025``."""
    return f"{_MONTHS[d.month - 1]} {d.year}"


def period_text(start: dt.date, end: dt.date) -> str:
    """A period in words: ``"Feb 2025"``, ``"FY2023/24"``, ``"Q3 2024/25"``, ``"31 Mar 2025"``.

    >>> period_text(dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    'FY2023/24'
    >>> period_text(dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    'Q3 2024/25'
    >>> period_text(dt.date(2025, 1, 6), dt.date(2025, 1, 12))
    '6 Jan 2025 to 12 Jan 2025'
    """
    if start == end:
        return day_text(end)
    month_end = (end + dt.timedelta(days=1)).day == 1
    if start.day == 1 and month_end:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return month_text(start)
        if months == 12 and start.month == 4:
            return f"FY{start.year}/{(start.year + 1) % 100:02d}"
        if months == 12 and start.month == 1:
            return str(start.year)
        if months == 3 and start.month in (4, 7, 10, 1):
            fy = start.year if start.month >= 4 else start.year - 1
            q = {4: 1, 7: 2, 10: 3, 1: 4}[start.month]
            return f"Q{q} {fy}/{(fy + 1) % 100:02d}"
        return f"{month_text(start)} to {month_text(end)}"
    return f"{day_text(start)} to {day_text(end)}"
