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
"""

from __future__ import annotations

import math

__all__ = ["diff_text", "number_text", "unit_words", "value_text"]

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
