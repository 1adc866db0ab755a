"""Issue 15's strategy-file reproducers: each ends in one located StratkitError, quickly.

Every input here once escaped as a raw exception (AttributeError, ValueError,
KeyError, OverflowError, TypeError), took seconds to minutes (quadratic
paths), or loaded as something it was not (a quoted ``"95"`` as 9,500 %).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import stratkit
from stratkit.errors import StrategyFileError, StratkitError, UnsafeFileError
from stratkit.model import EARLIEST_DATE, ID_PATTERN, LATEST_DATE
from stratkit.units import MAX_MAGNITUDE, MAX_QUANTITY_CHARS, MAX_UNIT_CHARS, parse_quantity

VALID = Path(__file__).parent.parent / "data" / "valid" / "minimal.yaml"
BASE = VALID.read_text(encoding="utf-8")
TGT = "ambitions[0].objectives[0].outcomes[0].target"


def _refused(text: str, *, seconds: float = 10.0) -> StrategyFileError:
    # the bound only catches a hang; speed is measured in benchmarks/bench_fuzz.py
    start = time.perf_counter()
    with pytest.raises(StrategyFileError) as info:
        stratkit.loads(text)
    assert time.perf_counter() - start < seconds
    assert info.value.problems
    for p in info.value.problems:
        assert p.message
        assert len(str(p)) < 1_000, "a message quotes a clip of the input, never all of it"
    return info.value


def _only(err: StrategyFileError) -> tuple[str, int | None, str]:
    assert len(err.problems) == 1, err
    p = err.problems[0]
    return p.path, p.line, p.message


# --- scalar tags with bad content -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("!!timestamp x", "a date"),
        ("!!float abc", "a number"),
        ("!!int abc", "a whole number"),
        ("!!bool maybe", "true or false"),
        ("!!int 0x", "a whole number"),
        ("!!timestamp 2024-02-30", "a date"),
    ],
)
def test_a_tag_that_cannot_read_its_text_is_a_located_problem(value: str, word: str) -> None:
    err = _refused(BASE.replace("title: Test strategy", f"title: {value}"))
    path, line, message = _only(err)
    assert (path, line) == ("title", 3)
    assert word in message


def test_a_collection_tag_on_text_is_a_located_problem() -> None:
    err = _refused(BASE.replace("title: Test strategy", "title: !!map x"))
    assert _only(err)[:2] == ("title", 3)


# --- numbers past Python's integer-string limit ---------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("title: Test strategy", "title: " + "9" * 5_000, "title"),
        ("start: 2023-04-01", "start: 0x" + "f" * 4_000, "period.start"),
        ("kind: level", "kind: " + "9" * 5_000, f"{TGT}.kind"),
        ("deadline: 2026-03-31", "deadline: 2026-03-31\n              x: " + "1" * 5000, TGT),
    ],
)
def test_huge_integers_are_refused_before_conversion(old: str, new: str, path: str) -> None:
    err = _refused(BASE.replace(old, new))
    assert err.problems[0].path.startswith(path)
    assert "number too long" in str(err) or "unknown field" in str(err)


def test_delivery_year_as_a_huge_hex_number() -> None:
    text = BASE.replace(
        "statement: Drive", "delivery_year: 0x" + "f" * 4_000 + "\n            statement: Drive"
    )
    err = _refused(text)
    assert "number too long" in str(err)


# --- dates -----------------------------------------------------------------------


@pytest.mark.parametrize("date", ["9999-12-31", "1066-10-14", "2200-01-01"])
def test_dates_outside_the_documented_range_are_refused(date: str) -> None:
    err = _refused(BASE.replace("end: 2026-03-31", f"end: {date}"))
    path, line, message = _only(err)
    assert (path, line, message) == ("period.end", 8, "date out of range")
    assert str(EARLIEST_DATE) in str(err)
    assert str(LATEST_DATE) in str(err)


def test_the_latest_date_itself_is_accepted() -> None:
    text = BASE.replace("end: 2026-03-31", f"end: {LATEST_DATE}")
    assert stratkit.loads(text).period.end == LATEST_DATE


# --- quadratic paths -------------------------------------------------------------


@pytest.mark.parametrize("n", [20_000, 200_000])
def test_long_quantity_text_is_refused_in_linear_time(n: int) -> None:
    err = _refused(BASE.replace("value: 14 %", f'value: "1 a{" " * n}b"'), seconds=5.0)
    assert _only(err)[0] == f"{TGT}.value"
    assert f"longer than {MAX_QUANTITY_CHARS} characters" in str(err)


@pytest.mark.parametrize("n", [1_000, 1_000_000])
def test_long_unit_names_are_refused_without_asking_pint(n: int) -> None:
    err = _refused(BASE.replace("unit: '%'", f"unit: {'a' * n}"), seconds=5.0)
    assert f"longer than {MAX_UNIT_CHARS} characters" in str(err)


def test_a_flood_of_unknown_keys_is_reported_briefly_and_quickly() -> None:
    keys = "".join(f"  k{i}: 1\n" for i in range(20_000))
    err = _refused(BASE.replace("  name: Test NHS Trust\n", "  name: Test NHS Trust\n" + keys))
    assert len(err.problems) == 21
    assert "19,980 more unknown fields" in err.problems[-1].message


def test_quantity_text_just_inside_the_cap_still_reads() -> None:
    text = "1" + " " * (MAX_QUANTITY_CHARS - 3) + "%"
    assert parse_quantity(text).magnitude == 1


# --- magnitudes and rates --------------------------------------------------------


@pytest.mark.parametrize("value", ["1e300 %", "1e309 %", "-1e300 %", "2e15 %"])
def test_magnitudes_beyond_the_bound_are_refused(value: str) -> None:
    err = _refused(BASE.replace("value: 14 %", f"value: {value}"))
    assert _only(err)[0] == f"{TGT}.value"
    assert "too large" in str(err)


def test_the_largest_magnitude_reads() -> None:
    assert parse_quantity(f"{MAX_MAGNITUDE:.0f} GBP").magnitude == MAX_MAGNITUDE


def _annual_rate(rate: str) -> str:
    return BASE.replace("kind: level", "kind: annual_rate").replace("value: 14 %", f"rate: {rate}")


@pytest.mark.parametrize("rate", ["-100 %", "-200 %", "-1e14 %"])
def test_an_annual_rate_of_minus_100_percent_or_less_is_refused(rate: str) -> None:
    err = _refused(_annual_rate(rate))
    path, _, message = _only(err)
    assert path == f"{TGT}.rate"
    assert "above -100 %" in message


def test_an_annual_rate_just_above_minus_100_percent_loads_and_evaluates() -> None:
    strategy = stratkit.loads(_annual_rate("-99 %"))
    ev = stratkit.evaluate(strategy, None, as_of=strategy.period.end)
    assert len(ev.results) == 1


# --- a quoted bare number -----------------------------------------------------------


@pytest.mark.parametrize("value", ['"95"', "'95'", "95", '" 95 "'])
def test_a_bare_number_is_refused_quoted_or_not(value: str) -> None:
    err = _refused(BASE.replace("value: 14 %", f"value: {value}"))
    path, line, message = _only(err)
    assert (path, line, message) == (f"{TGT}.value", 24, "a quantity needs its unit")


# --- ids -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ident",
    [
        """'=HYPERLINK("http://x/?"&A1,"x")'""",
        "'@SUM(A1)'",
        "'+1'",
        "'-1'",
        '"\\t1"',
        "' 1'",
        "'1 '",
        '"X\\e]0;PWNED\\a"',
        "'.1'",
        "'" + "a" * 101 + "'",
    ],
)
def test_ids_outside_the_documented_pattern_are_refused(ident: str) -> None:
    err = _refused(BASE.replace("id: 1.1.1", f"id: {ident}"))
    path, line, message = _only(err)
    assert (path, message) == ("ambitions[0].objectives[0].outcomes[0].id", "not a valid id")
    assert line == 16


@pytest.mark.parametrize("ident", ["1", "2.2.1", "E1", "kmpt-2023-26", "_x", "Part 1", "a" * 100])
def test_ids_inside_the_pattern_load(ident: str) -> None:
    import re

    assert re.fullmatch(ID_PATTERN, ident)
    strategy = stratkit.loads(BASE.replace("id: 1.1.1", f"id: '{ident}'"))
    assert next(strategy.outcomes()).id == ident


# --- size ------------------------------------------------------------------------


def test_the_size_limit_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(BASE, encoding="utf-8")
    size = len(BASE.encode("utf-8"))
    with pytest.raises(UnsafeFileError, match="file too large"):
        stratkit.load(path, max_bytes=size - 1)
    assert stratkit.load(path, max_bytes=size).title == "Test strategy"
    with pytest.raises(UnsafeFileError, match="max_bytes"):
        stratkit.loads(BASE, max_bytes=100)


def test_more_than_one_document_is_refused() -> None:
    err = _refused(BASE + "---\ntitle: again\n")
    assert "more than one YAML document" in str(err)


def test_every_error_is_a_stratkit_error() -> None:
    # the one class callers need to catch
    assert issubclass(StrategyFileError, StratkitError)


@pytest.mark.parametrize("as_of", ["9999-12-31", "1066-10-14", "31/03/2025", "x" * 1000])
def test_evaluate_refuses_an_as_of_outside_the_date_range(as_of: str) -> None:
    import datetime as dt

    strategy = stratkit.loads(BASE)
    with pytest.raises(StratkitError, match="as_of"):
        stratkit.evaluate(strategy, None, as_of=as_of)
    if as_of[:1].isdigit() and "-" in as_of:
        with pytest.raises(StratkitError):
            stratkit.evaluate(strategy, None, as_of=dt.date.fromisoformat(as_of))
