"""Numbers as people write them: ``77.4%``, ``1,039``, ``77,4`` (a decimal comma), ``(12)``.

:func:`parse_value` returns the number and the unit written with it (``"%"``
or ``""``); the reader converts a percentage into the measure's unit. Only
finite numbers are values: ``inf``, ``nan`` and ``1e309`` are refused, and
so are spreadsheet errors such as ``#DIV/0!``.
"""

from __future__ import annotations

import math
import re

__all__ = ["format_value", "parse_value"]

_SPACES = "\u00a0\u202f\u2009 "
_POINT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?(?:[eE][+-]?\d+)?$")
_COMMA = re.compile(
    r"^[+-]?(?:\d{1,3}(?:[.\u00a0\u202f\u2009 ]\d{3})+|\d+)?(?:,(\d+))?(?:[eE][+-]?\d+)?$"
)
_SPREADSHEET_ERROR = re.compile(r"^#[A-Z0-9/]+[!?]?$|^#N/A$", re.IGNORECASE)
_NON_FINITE = re.compile(r"^[+-]?(?:inf(?:inity)?|nan)$", re.IGNORECASE)


def _split_unit(t: str) -> tuple[str, str]:
    if t.endswith("%"):
        return t[:-1].rstrip(_SPACES), "%"
    return t, ""


def parse_number(text: str, *, decimal: str = ".") -> tuple[float, str, int]:
    """``(value, unit, decimals)``: the value, ``"%"`` or ``""``, and the decimals written.

    NaN for a blank cell. Raises :class:`ValueError` saying what is wrong.
    """
    t = text.strip(_SPACES + "\t")
    if not t:
        return math.nan, "", 0
    if len(t) > 64:
        raise ValueError("too long to be a number")
    if _SPREADSHEET_ERROR.match(t):
        raise ValueError("a spreadsheet error, not a number")
    t, unit = _split_unit(t)
    negative = False
    if t.startswith("(") and t.endswith(")"):  # accounting negative: (12.5)
        negative, t = True, t[1:-1].strip(_SPACES)
    t = t.replace("\u2212", "-")  # a typographic minus sign
    if _NON_FINITE.match(t):
        raise ValueError("not a finite number")
    pattern = _POINT if decimal == "." else _COMMA
    m = pattern.match(t)
    if m is None or not any(c.isdigit() for c in t):
        if decimal == "." and re.fullmatch(r"[+-]?\d+,\d{1,2}|[+-]?\d+,\d{4,}", t):
            raise ValueError(
                "not a number with a decimal point; for decimal commas pass decimal=',' "
                "(the default for a semicolon-separated file)"
            )
        raise ValueError("not a number")
    decimals = len(m[1] or "")
    if decimal == ".":
        plain = t.replace(",", "")
    else:
        plain = re.sub(r"[.\u00a0\u202f\u2009 ]", "", t).replace(",", ".")
    value = float(plain)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return (-value if negative else value), unit, decimals


def parse_value(text: str, *, decimal: str = ".") -> tuple[float, str]:
    """The number in ``text`` and the unit written with it (``"%"`` or ``""``).

    Thousands separators are read (``1,039``; with ``decimal=","``, ``1.039``
    or ``1 039``), as are a trailing ``%``, an accounting negative ``(12)``
    and a typographic minus. A blank is NaN (a missing value); anything else
    that is not a finite number raises :class:`ValueError`.

    >>> parse_value("77.4%")
    (77.4, '%')
    >>> parse_value("1,039")
    (1039.0, '')
    >>> parse_value("77,4", decimal=",")
    (77.4, '')
    """
    try:
        value, unit, _ = parse_number(text, decimal=decimal)
    except ValueError as exc:
        raise ValueError(f"{text.strip()[:40]!r}: {exc}") from None
    return value, unit


def format_value(value: float, *, decimal: str = ".", thousands: str = "") -> str:
    """``value`` as text :func:`parse_value` reads back exactly (``repr`` digits)."""
    text = repr(float(value))
    if "e" in text or "inf" in text or "nan" in text:
        return text if decimal == "." else text.replace(".", ",")
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    if thousands:
        groups: list[str] = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        digits = thousands.join([digits, *groups])
    return f"{sign}{digits}{decimal}{frac}"
