"""The unit registry: domain units, what converts and what never does, text round trips."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratkit.errors import DimensionalityError, UnitError, UnknownUnitError
from stratkit.units import (
    MAX_MAGNITUDE,
    check_dimension,
    convert_magnitudes,
    format_magnitude,
    format_quantity,
    format_unit,
    is_percent,
    parse_quantity,
    parse_unit,
    quantity,
    registry,
    same_dimension,
)

COUNTS = [
    "count",
    "person",
    "patient",
    "incident",
    "bed",
    "placement",
    "bed_day",
    "referral",
    "project",
    "fte",
]


def converts(a: str, b: str) -> bool:
    return same_dimension(parse_unit(a), parse_unit(b))


def test_one_registry() -> None:
    assert registry() is registry()
    assert parse_quantity("1 %").units._REGISTRY is registry()


def test_percent_and_percentage_points_do_not_convert() -> None:
    assert not converts("%", "pp")
    with pytest.raises(DimensionalityError) as info:
        check_dimension(parse_unit("pp"), parse_unit("%"), "outcome 2.3.1")
    assert (info.value.found_unit, info.value.expected_unit) == ("pp", "%")
    assert str(info.value) == "outcome 2.3.1: cannot convert 'pp' to '%': different dimensions"


def test_percent_is_a_ratio() -> None:
    assert parse_quantity("95 %").to("fraction").magnitude == pytest.approx(0.95)
    assert parse_quantity("5 permille").to("%").magnitude == pytest.approx(0.5)
    assert is_percent(parse_unit("%"))
    assert not is_percent(parse_unit("pp"))
    assert not is_percent(parse_unit("score"))


def test_a_score_is_not_a_percent() -> None:
    assert not converts("score", "%")
    assert not converts("score", "pp")
    with pytest.raises(DimensionalityError, match="cannot convert 'score' to '%'"):
        convert_magnitudes(np.array([6.9]), parse_unit("score"), parse_unit("%"))


def test_hours_convert_to_minutes_and_not_to_percent() -> None:
    assert parse_quantity("1 hour").to("minute").magnitude == 60
    assert parse_quantity("12 hours").to("minutes").magnitude == 720
    assert parse_quantity("2 weeks").to("day").magnitude == 14
    assert parse_quantity("1 year").to("month").magnitude == pytest.approx(12)
    assert not converts("hour", "%")


@pytest.mark.parametrize("a", COUNTS)
def test_each_count_is_its_own_dimension(a: str) -> None:
    for b in COUNTS:
        assert converts(a, b) == (a == b), (a, b)
    assert not converts(a, "%")
    assert not converts(a, "")


def test_plural_and_alias_names_of_counts() -> None:
    assert parse_unit("people") == parse_unit("person")
    assert parse_unit("incidents") == parse_unit("incident")
    assert parse_unit("occupied_bed_day") == parse_unit("bed_day")
    assert parse_quantity("2 thousand_bed_day").to("bed_day").magnitude == 2000


def test_money() -> None:
    assert parse_quantity("1 GBPm").to("GBP").magnitude == 1_000_000
    assert parse_quantity("2.5 kGBP").to("GBP").magnitude == 2500
    assert parse_quantity("1500 kGBP").to("GBPm").magnitude == pytest.approx(1.5)
    assert parse_quantity("£100") == parse_quantity("100 GBP")
    assert parse_quantity("£1.5 GBPm") == parse_quantity("1.5 GBPm")
    assert format_quantity(parse_quantity("£5 / patient")) == "5 GBP / patient"
    assert parse_quantity("£1.5m") == parse_quantity("1.5 GBPm")  # not GBP times metre
    assert parse_quantity("£250k") == parse_quantity("250 kGBP")
    assert parse_quantity("£2 million") == parse_quantity("2 GBPm")
    assert format_quantity(parse_quantity("1.5 m")) == "1.5 m"  # without £, m is a metre
    assert not converts("GBP", "%")


def test_emissions_energy_volume() -> None:
    assert parse_quantity("1 tCO2e").to("kgCO2e").magnitude == pytest.approx(1000)
    assert not converts("tCO2e", "tonne")  # CO2 equivalent is not plain mass
    assert parse_quantity("1 MWh").to("kWh").magnitude == pytest.approx(1000)
    assert parse_quantity("1 kWh").to("joule").magnitude == pytest.approx(3.6e6)
    assert parse_quantity("1 m3").to("litre").magnitude == pytest.approx(1000)
    assert not converts("kWh", "tCO2e")


def test_rates_of_counts() -> None:
    rate = parse_quantity("5 incident / thousand_bed_day")
    assert rate.to("incident / bed_day").magnitude == pytest.approx(0.005)
    assert format_quantity(rate) == "5 incident / thousand_bed_day"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("95 %", "95 %"),
        ("95%", "95 %"),
        ("95 percent", "95 %"),
        ("6.9 score", "6.9 score"),
        ("+2 pp", "2 pp"),
        ("-2 percentage_points", "-2 pp"),
        ("12 hours", "12 h"),
        ("0.5 h", "0.5 h"),
        (".5 h", "0.5 h"),
        ("1e3 kWh", "1000 kWh"),
        ("14", "14"),
        ("3 incident / bed_day", "3 incident / bed_day"),
        ("1.50 GBPm", "1.5 GBPm"),
    ],
)
def test_quantity_text(text: str, written: str) -> None:
    assert format_quantity(parse_quantity(text)) == written


def test_integers_stay_integers() -> None:
    assert isinstance(parse_quantity("95 %").magnitude, int)
    assert isinstance(parse_quantity("95.0 %").magnitude, float)
    assert format_magnitude(95.0) == "95"
    with pytest.raises(UnitError, match="boolean"):
        format_magnitude(True)


_UNITS = [
    "%",
    "pp",
    "score",
    "incident",
    "patient",
    "bed_day",
    "GBP",
    "kGBP",
    "GBPm",
    "tCO2e",
    "kWh",
    "m3",
    "hour",
    "minute",
    "day",
    "week",
    "incident / bed_day",
    "fraction",
    "per_thousand",
    "FTE",
    "",
]
_MAGNITUDES = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(-MAX_MAGNITUDE, MAX_MAGNITUDE, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=300, deadline=None)
@given(_MAGNITUDES, st.sampled_from(_UNITS))
def test_quantity_text_round_trip(magnitude: float, unit: str) -> None:
    q = quantity(magnitude, unit)
    text = format_quantity(q)
    again = parse_quantity(text)
    assert again == q
    assert again.units == q.units
    assert format_quantity(again) == text  # the text is stable


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_UNITS))
def test_unit_text_round_trip(unit: str) -> None:
    u = parse_unit(unit)
    assert parse_unit(format_unit(u)) == u


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_any_text_is_a_unit_or_a_unit_error(text: str) -> None:
    for parse in (parse_unit, parse_quantity):
        with contextlib.suppress(UnitError):
            parse(text)


@pytest.mark.parametrize(
    ("typo", "suggested"),
    [
        ("precent", "percent"),
        ("scroe", "score"),
        ("incidnet", "incident"),
        ("hous", "hour"),
        ("placment", "placement"),
        ("kwh", "kWh"),
        ("gbp", "GBP"),
        ("tCO2", None),
    ],
)
def test_unknown_unit_suggests_close_names(typo: str, suggested: str | None) -> None:
    if suggested is None:  # an alias, so it is known
        assert parse_unit(typo) == parse_unit("tCO2e")
        return
    with pytest.raises(UnknownUnitError) as info:
        parse_unit(typo)
    assert info.value.name == typo
    assert any(parse_unit(s) == parse_unit(suggested) for s in info.value.suggestions)
    canonical = [str(parse_unit(s)) for s in info.value.suggestions]
    assert len(set(canonical)) == len(canonical)  # one suggestion per unit
    assert f"did you mean '{info.value.suggestions[0]}'" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_unit_inside_a_quantity_names_the_unit() -> None:
    with pytest.raises(UnknownUnitError) as info:
        parse_quantity("95 precent")
    assert info.value.name == "precent"


def test_unknown_unit_without_close_names() -> None:
    with pytest.raises(UnknownUnitError) as info:
        parse_unit("zzzzqqq")
    assert info.value.suggestions == ()
    assert str(info.value) == "unknown unit 'zzzzqqq'"


@pytest.mark.parametrize("text", ["% /", "1/0", '{"1', "(", "95 % %%"])
def test_malformed_unit_text_is_a_unit_error(text: str) -> None:
    with pytest.raises(UnitError):
        parse_unit(text)


@pytest.mark.parametrize("text", ["", "%", "abc", "1 2 3 ,"])
def test_text_that_is_no_quantity(text: str) -> None:
    with pytest.raises(UnitError):
        parse_quantity(text)


def test_parse_quantity_needs_text() -> None:
    with pytest.raises(UnitError, match="found int"):
        parse_quantity(95)  # type: ignore[arg-type]


def test_convert_magnitudes_is_one_step_for_an_array() -> None:
    values = np.array([1.0, 2.0, np.nan])
    out = convert_magnitudes(values, parse_unit("hour"), parse_unit("minute"))
    np.testing.assert_array_equal(out, [60.0, 120.0, np.nan])
    same = convert_magnitudes(values, parse_unit("%"), parse_unit("%"))
    np.testing.assert_array_equal(same, values)
    with pytest.raises(DimensionalityError) as info:
        convert_magnitudes(values, parse_unit("hour"), parse_unit(""), "outcome 1.1.1")
    assert str(info.value) == (
        "outcome 1.1.1: cannot convert 'h' to 'dimensionless': different dimensions"
    )


@pytest.mark.parametrize(
    "text", ["95 %", "6.9 score", "2 pp", "3 incident / bed_day", "1.5 GBPm", "14", "2 kWh"]
)
def test_quantities_and_units_pickle_into_the_stratkit_registry(text: str) -> None:
    import pickle

    q = parse_quantity(text)
    again = pickle.loads(pickle.dumps(q))
    assert again == q
    assert again.units._REGISTRY is registry()
    assert pickle.loads(pickle.dumps(q.units)) == q.units
