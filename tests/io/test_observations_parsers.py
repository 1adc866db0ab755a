"""Round trips of the period and value parsers over the forms people write (hypothesis)."""

from __future__ import annotations

import calendar
import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratkit.io.observations import (
    AmbiguousPeriodError,
    format_value,
    parse_period,
    parse_value,
    period_of_day,
)

MONTH_NAMES = [calendar.month_name[i] for i in range(1, 13)]  # the C locale's English names


def month(year: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, m, 1), dt.date(year, m, calendar.monthrange(year, m)[1])


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2200), st.integers(1, 12), st.sampled_from(["-", " ", "/"]))
def test_a_month_however_it_is_written(year: int, m: int, sep: str) -> None:
    name = MONTH_NAMES[m - 1]
    for text in (
        f"{year}-{m:02d}",
        f"{name[:3]}{sep}{year}",
        f"{name} {year}",
        name.upper()[:3] + f" {year}",
        f"{year} {name}",
    ):
        assert parse_period(text) == month(year, m), text
    if 2000 <= year <= 2099:
        assert parse_period(f"{name[:3]}-{year % 100:02d}") == month(year, m)


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2200), st.integers(1, 4))
def test_a_financial_year_and_its_quarters(year: int, q: int) -> None:
    yy = (year + 1) % 100
    fy = (dt.date(year, 4, 1), dt.date(year + 1, 3, 31))
    for text in (f"{year}/{yy:02d}", f"FY{year}/{yy:02d}", f"fy {year}-{year + 1}"):
        assert parse_period(text) == fy, text
    first = dt.date(year, 4, 1) if q < 4 else dt.date(year + 1, 1, 1)
    first = first.replace(month=first.month + 3 * (q - 1) if q < 4 else 1)
    last_month = first.month + 2
    quarter = (
        first,
        dt.date(first.year, last_month, calendar.monthrange(first.year, last_month)[1]),
    )
    for text in (f"Q{q} {year}/{yy:02d}", f"FY{year}/{yy:02d} Q{q}", f"{year}/{yy:02d} Q{q}"):
        assert parse_period(text) == quarter, text
    with pytest.raises(AmbiguousPeriodError) as info:
        parse_period(f"Q{q} {year}")
    assert len(info.value.readings) == 2


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)), st.sampled_from(["/", "-", "."]))
def test_dates_with_slashes_read_day_first_or_month_first(day: dt.date, sep: str) -> None:
    uk = f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    us = f"{day.month}{sep}{day.day}{sep}{day.year}"
    assert parse_period(uk) == (day, day)
    assert parse_period(uk, dayfirst=True) == (day, day)
    assert parse_period(us, dayfirst=False) == (day, day)
    both = day.day <= 12 and day.day != day.month
    if both:
        with pytest.raises(AmbiguousPeriodError) as info:
            parse_period(uk, dayfirst=None)
        assert info.value.readings == (
            (day, day),
            (day.replace(day=day.month, month=day.day),) * 2,
        )
    else:
        assert parse_period(uk, dayfirst=None) == (day, day)


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)))
def test_a_date_stands_for_the_period_of_its_measures_frequency(day: dt.date) -> None:
    start, end = period_of_day(day, "monthly")
    assert (start, end) == month(day.year, day.month)
    start, end = period_of_day(day, "quarterly")
    assert start <= day <= end
    assert start.month in (1, 4, 7, 10)
    assert start.day == 1
    assert period_of_day(day, None) == (day, day)
    if (day.month, day.day) not in ((1, 1), (4, 1), (3, 31), (12, 31)):
        with pytest.raises(AmbiguousPeriodError):
            period_of_day(day, "annual")
    else:
        start, end = period_of_day(day, "annual")
        assert day in (start, end)
        assert (end - start).days in (364, 365)


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)


@settings(max_examples=300, deadline=None)
@given(finite)
def test_values_round_trip_with_thousands_and_decimal_commas(x: float) -> None:
    assert parse_value(format_value(x)) == (x, "")
    assert parse_value(format_value(x, thousands=",")) == (x, "")
    assert parse_value(format_value(x, decimal=",", thousands="."), decimal=",") == (x, "")
    assert parse_value(format_value(x, decimal=",", thousands="\u00a0"), decimal=",") == (x, "")
    assert parse_value(format_value(x) + "%") == (x, "%")
    assert parse_value(f" {format_value(x)} % ") == (x, "%")


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("77.4%", ".", (77.4, "%")),
        ("1,039", ".", (1039.0, "")),
        ("(12.5)", ".", (-12.5, "")),
        ("\u22123", ".", (-3.0, "")),
        ("1.039,5", ",", (1039.5, "")),
        ("77,4 %", ",", (77.4, "%")),
        ("", ".", (math.nan, "")),
    ],
)
def test_values_as_people_write_them(text: str, decimal: str, expected: tuple[float, str]) -> None:
    value, unit = parse_value(text, decimal=decimal)
    assert (unit, value if not math.isnan(value) else "nan") == (
        expected[1],
        expected[0] if not math.isnan(expected[0]) else "nan",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("77,4", "decimal comma"),
        ("1,03", "decimal comma"),
        ("#DIV/0!", "spreadsheet error"),
        ("#N/A", "spreadsheet error"),
        ("inf", "not a finite number"),
        ("1e309", "not a finite number"),
        ("12 patients", "not a number"),
        ("1" * 100, "too long"),
    ],
)
def test_values_refused_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_value(text)
