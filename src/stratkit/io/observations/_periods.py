"""Periods as people write them: ``2024-05``, ``Apr-23``, ``2023/24``, ``Q1 2024/25``, ``1/4/23``.

:func:`parse_period` turns one text into the first and last day of the
period it names; :func:`period_of_day` reads a date (a spreadsheet or
DataFrame datetime) as the period of a measure's frequency. Anything that
could mean two things is refused with both readings, never guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["AmbiguousPeriodError", "format_period", "parse_period", "period_of_day"]

Period = tuple[dt.date, dt.date]

_MONTH_WORDS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {word: i for i, full in enumerate(_MONTH_WORDS, 1) for word in (full, full[:3])}
_MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_NAMED_MONTH = re.compile(rf"^({_MONTH_NAMES})[\s\-/.']*(\d{{4}}|\d{{2}})$", re.IGNORECASE)
_YEAR_MONTH_NAMED = re.compile(rf"^(\d{{4}})[\s\-/]*({_MONTH_NAMES})$", re.IGNORECASE)
_FY = re.compile(r"^(FY\s?)?(\d{4}|\d{2})\s*([/-])\s*(\d{2}|\d{4})$", re.IGNORECASE)
_FY_QUARTER = (
    re.compile(r"^(?P<fy>.+?)\s*[-\s]\s*Q(?P<q>[1-4])$", re.IGNORECASE),
    re.compile(r"^Q(?P<q>[1-4])\s*[-\s]\s*(?P<fy>.+)$", re.IGNORECASE),
)
_CALENDAR_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_FY_SINGLE = re.compile(r"^FY\s?(\d{4}|\d{2})$", re.IGNORECASE)
_NUMERIC_DAY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
_NAMED_DAY = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?[\s\-/.]*({_MONTH_NAMES})[\s\-/.,]*(\d{{4}}|\d{{2}})$",
    re.IGNORECASE,
)
_TIME_TAIL = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")

EXPECTED = (
    "a month (2024-05, May 2024, Apr-23), a financial year (2023/24, FY2023/24), "
    "a quarter (2024-Q1, Q1 2024/25), a calendar year (2024), an ISO week (2024-W05) "
    "or a date (2024-05-31, 31/05/2024)"
)


class AmbiguousPeriodError(ValueError):
    """A period text that reads two ways; ``readings`` holds each ``(start, end)``."""

    def __init__(self, text: str, readings: list[tuple[str, Period]], advice: str) -> None:
        self.readings = tuple(r for _, r in readings)
        said = " or ".join(
            name if a == b else f"{name} ({a.isoformat()} to {b.isoformat()})"
            for name, (a, b) in readings
        )
        super().__init__(f"{text!r} is ambiguous: it could be {said}; {advice}")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int, text: str) -> Period:
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month} in {text!r}")
    return dt.date(year, month, 1), _month_end(year, month)


def _year(digits: str) -> int:
    """A four-digit year, or a two-digit one read as 20YY."""
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _financial_year(text: str) -> int | None:
    """The first year of a financial year written ``2023/24``, ``FY2023-24`` or ``FY23/24``."""
    m = _FY.match(text.strip())
    if not m:
        return None
    prefix, first, sep, second = m[1], m[2], m[3], m[4]
    if len(first) == 2 and not prefix:
        return None  # "23/24" alone is too terse to be sure of
    year = _year(first)
    if int(second) % 100 != (year + 1) % 100:
        return None
    if sep == "-" and not prefix and len(second) == 2 and 1 <= int(second) <= 12:
        return None  # 2011-12 is December 2011 (ISO year-month), not a financial year
    return year


def _fy_quarter(year: int, q: int) -> Period:
    first = 4 + 3 * (q - 1)
    y = year + (first - 1) // 12
    mth = (first - 1) % 12 + 1
    return dt.date(y, mth, 1), _month_end(y, mth + 2)


def _calendar_quarter(year: int, q: int) -> Period:
    return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a date") from None


def _numeric_day(m: re.Match[str], text: str, dayfirst: bool | None) -> dt.date:
    a, b, year = int(m[1]), int(m[3]), _year(m[4])
    readings: list[tuple[str, dt.date]] = []
    for name, (d, mo) in (("day first", (a, b)), ("month first", (b, a))):
        if 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(year, mo)[1]:
            readings.append((name, dt.date(year, mo, d)))
    if not readings:
        raise ValueError(f"{text!r} is not a date")
    if dayfirst is True:
        if readings and readings[0][0] == "day first":
            return readings[0][1]
        raise ValueError(
            f"{text!r} is not a date read day first (the UK order, the default); "
            "for month-first dates pass dayfirst=False"
        )
    if dayfirst is False:
        if readings and readings[-1][0] == "month first":
            return readings[-1][1]
        raise ValueError(f"{text!r} is not a date read month first (dayfirst=False)")
    if len(readings) == 1:
        return readings[0][1]
    if readings[0][1] == readings[1][1]:
        return readings[0][1]
    raise AmbiguousPeriodError(
        text,
        [(f"{_words(day)} ({name}, {day.isoformat()})", (day, day)) for name, day in readings],
        "pass dayfirst=True (the UK order) or dayfirst=False, or write the date as YYYY-MM-DD",
    )


def _words(day: dt.date) -> str:
    return f"{day.day} {_MONTH_WORDS[day.month - 1].title()} {day.year}"


def parse_period(text: str, *, dayfirst: bool | None = True) -> Period:
    """The first and last day of a period written as text.

    Every form the observations format accepts (see the observations format
    reference): ISO dates, months (``2024-05``, ``May 2024``, ``Apr-23``),
    financial years (``2023/24``, ``FY2023/24``), their quarters
    (``Q1 2024/25``), calendar quarters (``2024-Q1``), calendar years, ISO
    weeks, ranges (``2024-04-01/2024-06-30``) and dates written with slashes.
    ``dayfirst`` says how to read ``01/04/2023``: ``True`` (the default, the
    UK order) as 1 April, ``False`` as 4 January, ``None`` refuses it as
    ambiguous unless only one reading is a date. A text that reads two ways
    raises :class:`AmbiguousPeriodError` naming both.

    >>> parse_period("FY2023/24")
    (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    >>> parse_period("Apr-23")
    (datetime.date(2023, 4, 1), datetime.date(2023, 4, 30))
    >>> parse_period("Q1 2024/25")
    (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))
    >>> parse_period("01/04/2023")
    (datetime.date(2023, 4, 1), datetime.date(2023, 4, 1))
    >>> parse_period("Q1 2024")
    Traceback (most recent call last):
    ...
    stratkit.io.observations._periods.AmbiguousPeriodError: 'Q1 2024' is ambiguous: ...
    """
    t = " ".join(text.split())
    if len(t) > 40:
        raise ValueError(f"{t[:40]!r}... is too long to be a period")
    if m := _ISO_DAY.match(t):
        day = _day(int(m[1]), int(m[2]), int(m[3]), text)
        return day, day
    if (m := _MONTH.match(t)) and 1 <= int(m[2]) <= 12:
        return _month(int(m[1]), int(m[2]), text)
    if m := _NAMED_MONTH.match(t):
        return _month(_year(m[2]), _MONTHS[m[1].lower()], text)
    if m := _YEAR_MONTH_NAMED.match(t):
        return _month(int(m[1]), _MONTHS[m[2].lower()], text)
    if (year := _financial_year(t)) is not None:
        return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    if m := _CALENDAR_QUARTER.match(t):
        return _calendar_quarter(int(m[1]), int(m[2]))
    for pattern in _FY_QUARTER:
        if (m := pattern.match(t)) is None:
            continue
        q = int(m["q"])
        if (year := _financial_year(m["fy"])) is not None:
            return _fy_quarter(year, q)
        if _YEAR.match(m["fy"]):
            y = int(m["fy"])
            raise AmbiguousPeriodError(
                text,
                [
                    (f"calendar Q{q} {y}", _calendar_quarter(y, q)),
                    (f"Q{q} of FY{y}/{(y + 1) % 100:02d}", _fy_quarter(y, q)),
                ],
                f"write {y}-Q{q} for the calendar quarter or Q{q} {y}/{(y + 1) % 100:02d} "
                "for the financial one",
            )
    if m := _WEEK.match(t):
        try:
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            raise ValueError(f"no week {int(m[2])} in {m[1]}") from None
        return monday, monday + dt.timedelta(days=6)
    if m := _YEAR.match(t):
        year = int(m[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if m := _FY_SINGLE.match(t):
        y = _year(m[1])
        raise AmbiguousPeriodError(
            text,
            [
                (f"FY{y - 1}/{y % 100:02d}", (dt.date(y - 1, 4, 1), dt.date(y, 3, 31))),
                (f"FY{y}/{(y + 1) % 100:02d}", (dt.date(y, 4, 1), dt.date(y + 1, 3, 31))),
            ],
            "write both years, as in FY2023/24",
        )
    if m := _NAMED_DAY.match(t):
        day = _day(_year(m[3]), _MONTHS[m[2].lower()], int(m[1]), text)
        return day, day
    bare = _TIME_TAIL.sub("", t)
    if m := _NUMERIC_DAY.match(bare):
        day = _numeric_day(m, text, dayfirst)
        return day, day
    if "/" in t:  # an explicit range, as format_period writes it: 2024-04-01/2024-06-30
        first, _, last = t.partition("/")
        if _ISO_DAY.match(first.strip()) and _ISO_DAY.match(last.strip()):
            start, _ = parse_period(first)
            end, _ = parse_period(last)
            if end < start:
                raise ValueError(f"{text!r} ends before it starts")
            return start, end
    if m := _MONTH.match(t):
        raise ValueError(f"no month {int(m[2])} in {text!r}")
    raise ValueError(f"cannot read {text!r} as a period")


def period_of_day(day: dt.date, frequency: str | None) -> Period:
    """The period of a measure's ``frequency`` that a date stands for.

    A spreadsheet or DataFrame datetime names a period by one of its days.
    Monthly: the month holding it; quarterly: the quarter; weekly: the seven
    days starting on it; annual: the financial year starting (1 April) or
    ending (31 March) on it, or the calendar year starting (1 January) or
    ending (31 December) on it, any other day being ambiguous; ad hoc or
    unknown: the day itself.

    >>> period_of_day(dt.date(2025, 9, 1), "monthly")
    (datetime.date(2025, 9, 1), datetime.date(2025, 9, 30))
    >>> period_of_day(dt.date(2024, 4, 1), "annual")
    (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    """
    if frequency == "monthly":
        return _month(day.year, day.month, str(day))
    if frequency == "quarterly":
        first = 3 * ((day.month - 1) // 3) + 1
        return dt.date(day.year, first, 1), _month_end(day.year, first + 2)
    if frequency == "weekly":
        return day, day + dt.timedelta(days=6)
    if frequency == "annual":
        md = (day.month, day.day)
        if md == (4, 1):
            return day, dt.date(day.year + 1, 3, 31)
        if md == (3, 31):
            return dt.date(day.year - 1, 4, 1), day
        if md == (1, 1):
            return day, dt.date(day.year, 12, 31)
        if md == (12, 31):
            return dt.date(day.year, 1, 1), day
        fy = day.year if day.month >= 4 else day.year - 1
        raise AmbiguousPeriodError(
            day.isoformat(),
            [
                (f"FY{fy}/{(fy + 1) % 100:02d}", (dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31))),
                (f"the year {day.year}", (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))),
            ],
            "for an annual measure give the first or last day of the year, or write FY2023/24",
        )
    return day, day


def format_period(start: dt.date, end: dt.date) -> str:
    """The shortest text :func:`parse_period` reads back as ``start`` to ``end``."""
    if start == end:
        return start.isoformat()
    if start.day == 1 and end == _month_end(start.year, start.month):
        return f"{start.year:04d}-{start.month:02d}"
    if (start.month, start.day) == (4, 1) and end == dt.date(start.year + 1, 3, 31):
        return f"FY{start.year}/{(start.year + 1) % 100:02d}"
    if (start.month, start.day) == (1, 1) and end == dt.date(start.year, 12, 31):
        return f"{start.year}"
    if (
        start.day == 1
        and start.month in (1, 4, 7, 10)
        and end == _month_end(start.year, start.month + 2)
    ):
        fy = start.year if start.month >= 4 else start.year - 1
        q = ((start.month - 4) % 12) // 3 + 1
        return f"FY{fy}/{(fy + 1) % 100:02d} Q{q}"
    return f"{start.isoformat()}/{end.isoformat()}"


def matches_frequency(start: dt.date, end: dt.date, frequency: str | None) -> bool:
    """Whether ``start`` to ``end`` is one period of ``frequency`` (ad hoc: any period)."""
    if frequency == "monthly":
        return start.day == 1 and end == _month_end(start.year, start.month)
    if frequency == "quarterly":
        return (
            start.day == 1
            and start.month in (1, 4, 7, 10)
            and end == _month_end(start.year, start.month + 2)
        )
    if frequency == "annual":
        return (start.month, start.day) in ((4, 1), (1, 1)) and end == dt.date(
            start.year + (start.month == 4), start.month - 1 if start.month == 4 else 12, 31
        )
    if frequency == "weekly":
        return (end - start).days == 6
    return True
