"""Numbers and units for people (stratkit._display): one place, used by reasons and reports."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratkit._display import diff_text, number_text, unit_words, value_text
from stratkit.units import natural_range, parse_unit


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (95, "%", "95 %"),
        (3, "placement", "3 placements"),
        (1, "placement", "1 placement"),
        (-1, "placement", "-1 placement"),
        (0, "person", "0 people"),
        (1, "person", "1 person"),
        (393, "bed_day", "393 bed days"),
        (22.7, "incident / thousand_bed_day", "22.7 incidents per 1,000 bed days"),
        (1.5, "incident / bed_day", "1.5 incidents per bed day"),
        (0.4, "GBPm", "£0.4m"),
        (-1.8, "GBPm", "-£1.8m"),
        (250, "kGBP", "£250k"),
        (1250, "GBP", "£1,250"),
        (147500, "m3", "147,500 m³"),
        (6.9, "score", "6.9 score"),
        (6050, "tCO2e", "6,050 tCO2e"),
        (2, "hour", "2 hours"),
        (0.5, "", "0.5"),
        (math.nan, "%", "n/a"),
    ],
)
def test_value_text(value: float, unit: str, text: str) -> None:
    assert value_text(value, unit) == text


def test_a_difference_of_percents_is_in_points_and_signed() -> None:
    assert diff_text(-0.3, "%") == "-0.3 pp"
    assert diff_text(0.3, "%") == "+0.3 pp"
    assert diff_text(0, "%") == "0 pp"
    assert diff_text(0.4, "GBPm") == "+£0.4m"
    assert diff_text(-2, "placement") == "-2 placements"
    # unsigned, for "within the tolerance of 9.5 pp" and "45 pp from the target"
    assert diff_text(9.5, "%", signed=False) == "9.5 pp"
    assert diff_text(0.3, "score", signed=False) == "0.3 score"


def test_unknown_units_are_written_as_they_are_named() -> None:
    assert unit_words("whole_time_equivalent") == "whole time equivalent"
    assert unit_words("kWh") == "kWh"


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_number_text_is_total_and_never_negative_zero(x: float) -> None:
    text = number_text(x)
    assert text
    assert text != "-0"
    if math.isfinite(x) and abs(x) >= 1:
        # at most two decimals, digits grouped in thousands: reads back close to x
        assert float(text.replace(",", "")) == pytest.approx(x, rel=0.01, abs=0.01)


@pytest.mark.parametrize(
    ("unit", "low", "high"),
    [
        ("score", 0.0, 10.0),
        ("placement", 0.0, math.inf),
        ("incident / thousand_bed_day", 0.0, math.inf),
        ("tCO2e", 0.0, math.inf),
        ("hour", 0.0, math.inf),
        ("%", -math.inf, math.inf),  # a relative change or an occupancy may pass 0 or 100
        ("GBPm", -math.inf, math.inf),  # a deficit is negative
        ("pp", -math.inf, math.inf),
    ],
)
def test_natural_range(unit: str, low: float, high: float) -> None:
    assert natural_range(parse_unit(unit)) == (low, high)
