"""Observations in and out: the tidy CSV, DataFrames, period texts, bad rows, units."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import strategies as sks
from stratkit.errors import DimensionalityError, ObservationsError, ObservationsWarning
from stratkit.io import (
    format_period,
    observations_to_frame,
    parse_period,
    read_observations,
    write_observations,
)
from stratkit.model import Observations
from stratkit.units import parse_unit

CSV = """\
# illustrative: invented data for demonstration
# source: Trust board papers
outcome_id,period,value,unit,numerator,denominator,note
2.2.1,2024-05,15.2,%,,,
2.2.1,2024-04,15.5,%,31,200,a dip
2.1.1,FY2023/24,6.7,score,,,
3.1,2024-Q1,12,incident,,,
3.1,FY2024/25 Q2,10,incident,,,"with, a comma"
3.1,2024-10-15,9,incident,,,
"""


def read(text: str) -> Observations:
    return read_observations(io.StringIO(text))


def problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ObservationsError) as info:
        read_observations(io.StringIO(text), strict=True)
    return [(p.line, p.path, str(p)) for p in info.value.problems]


# --- reading -------------------------------------------------------------------------


def test_read_csv_columns_comments_and_order() -> None:
    obs = read(CSV)
    assert len(obs) == 6
    assert obs.illustrative is True
    assert obs.source == "Trust board papers"
    assert obs.outcome_ids() == ("2.2.1", "2.1.1", "3.1")  # first-seen order
    s = obs.series("2.2.1")
    assert s.start.tolist() == [dt.date(2024, 4, 1), dt.date(2024, 5, 1)]  # sorted by end
    assert s.values.tolist() == [15.5, 15.2]
    assert s.numerator[0] == 31
    assert np.isnan(s.numerator[1])
    assert s.notes == ("a dip", "")
    assert format_period(s.start[0].item(), s.end[0].item()) == "2024-04"
    incidents = obs.series("3.1")
    assert [(a.item(), b.item()) for a, b in zip(incidents.start, incidents.end, strict=True)] == [
        (dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        (dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        (dt.date(2024, 10, 15), dt.date(2024, 10, 15)),
    ]
    assert incidents.notes[1] == "with, a comma"


def test_series_arrays_are_read_only() -> None:
    s = read(CSV).series("2.2.1")
    with pytest.raises(ValueError, match="read-only"):
        s.values[0] = 0


def test_start_and_end_columns_instead_of_period() -> None:
    obs = read(
        "outcome_id,start,end,value,unit\n1,2024-04-01,2024-06-30,3,patient\n"
        "1,2024-07-01,,4,patient\n"
    )
    s = obs.series("1")
    assert s.end.tolist() == [dt.date(2024, 6, 30), dt.date(2024, 7, 1)]


def test_date_column_instead_of_period() -> None:
    obs = read("outcome_id,date,value,unit\n1,2024-05-31,3,bed\n")
    assert obs.series("1").start.tolist() == [dt.date(2024, 5, 31)]


def test_bad_rows_are_reported_all_at_once_with_line_numbers() -> None:
    text = (
        "# a comment line\n"
        "outcome_id,period,value,unit\n"
        "1,2024-13,1,%\n"
        "2,2024-05,x,%\n"
        "\n"
        "3,2024-05,1,precent\n"
        ",2024-05,1,%\n"
        "4,2024-05,1,%\n"
    )
    found = problems(text)
    assert [(line, path) for line, path, _ in found] == [
        (3, "period"),
        (4, "value"),
        (6, "unit"),
        (7, "outcome_id"),
    ]
    assert "cannot read the period" in found[0][2]
    assert "found '2024-13'" in found[0][2]
    assert "not a number, found 'x'" in found[1][2]
    assert "unknown unit 'precent' (did you mean 'percent'" in found[2][2]
    assert "missing outcome id" in found[3][2]
    assert found[0][2].startswith("<stream>:3 @ period")


def test_missing_columns_are_all_named() -> None:
    found = problems("a,b\n1,2\n")
    assert [m for _, _, m in found] == [
        (
            "<stream>:1: no 'outcome_id' column; expected outcome_id,period,value,unit,numerator,"
            "denominator,note, found a,b"
        ),
        (
            "<stream>:1: no 'value' column; expected outcome_id,period,value,unit,numerator,"
            "denominator,note, found a,b"
        ),
        "<stream>:1: no 'period' (or 'date', or 'start' and 'end') column",
    ]


def test_no_header_row() -> None:
    (found,) = problems("# only a comment\n")
    assert "no header row" in found[2]


def test_unreadable_file_is_an_observations_error(tmp_path: Path) -> None:
    path = tmp_path / "obs.csv"
    path.write_bytes(b"outcome_id,period,value,unit\n1,2024-05,1,\xa3\n")
    with pytest.raises(ObservationsError, match=r"obs.csv:2: byte b'\\xa3' is not utf-8") as info:
        read_observations(path)
    assert "encoding='cp1252'" in str(info.value)
    path.write_bytes(
        "outcome_id,period,value,unit,note\n1,2024-05,1,%,£2m saved\n".encode("cp1252")
    )
    assert read_observations(path, encoding="cp1252").note.tolist() == ["£2m saved"]
    with pytest.raises(ObservationsError, match="cannot read"):
        read_observations(tmp_path / "missing.csv")


def test_reading_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="cannot read observations from int"):
        read_observations(3)


def test_illustrative_can_be_set_by_the_caller() -> None:
    obs = read(CSV)
    assert read_observations(obs) is obs
    assert read_observations(obs, illustrative=False).illustrative is False


# --- units of a series ------------------------------------------------------------


def test_rows_in_units_of_one_dimension_are_converted() -> None:
    obs = read("outcome_id,period,value,unit\n1,2024-05,50,%\n1,2024-06,0.4,fraction\n")
    s = obs.series("1")
    assert s.unit == parse_unit("%")
    assert s.values.tolist() == pytest.approx([50, 40])
    assert obs.series("1", "fraction").values.tolist() == pytest.approx([0.5, 0.4])
    assert obs.describe_units("1") == "%, ratio"  # "ratio" is the symbol of "fraction"


def test_a_row_in_another_dimension_names_both_units() -> None:
    obs = read("outcome_id,period,value,unit\n1,2024-05,50,%\n1,2024-06,3,hour\n")
    with pytest.raises(DimensionalityError) as info:
        obs.series("1")
    err = info.value
    assert (err.found_unit, err.expected_unit) == ("h", "%")
    assert str(err) == "outcome 1: cannot convert 'h' to '%': different dimensions"
    assert isinstance(err, TypeError)
    assert isinstance(err, ValueError)


def test_series_to_another_unit() -> None:
    s = read("outcome_id,period,value,unit\nw,2024-05,2,hour\n").series("w")
    assert s.to("minute").values.tolist() == [120]
    with pytest.raises(DimensionalityError, match="cannot convert 'h' to 'pp'"):
        s.to("pp")
    with pytest.raises(DimensionalityError, match="'%' to 'pp'"):
        read("outcome_id,period,value,unit\nv,2024-05,2,%\n").series("v", "pp")


def test_a_missing_outcome_has_an_empty_series() -> None:
    assert len(read(CSV).series("9.9.9")) == 0


# --- round trips ------------------------------------------------------------------


def test_csv_round_trip(tmp_path: Path) -> None:
    obs = read(CSV)
    path = write_observations(obs, tmp_path / "obs.csv")
    again = read_observations(path)
    assert again == obs
    assert write_observations(again, tmp_path / "again.csv").read_text(encoding="utf-8") == (
        path.read_text(encoding="utf-8")
    )
    assert path.read_text(encoding="utf-8").splitlines()[:3] == [
        "# illustrative: invented data for demonstration, not real performance",
        "# source: Trust board papers",
        "outcome_id,period,value,unit,numerator,denominator,note",
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_write_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "obs.csv"
    path.write_text("old", encoding="utf-8")
    write_observations(read(CSV), path)
    assert read_observations(path) == read(CSV)


def test_dataframe_out_and_in() -> None:
    obs = read(CSV)
    frame = observations_to_frame(obs)
    assert list(frame.columns) == [
        "outcome_id",
        "start",
        "end",
        "value",
        "unit",
        "numerator",
        "denominator",
        "note",
    ]
    assert len(frame) == 6
    assert str(frame["start"].dtype) == "datetime64[ns]"
    assert frame.attrs == {"illustrative": True, "source": "Trust board papers"}
    assert read_observations(frame) == obs


def test_a_dataframe_with_bad_rows_reports_them() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "outcome_id": ["1", "2"],
            "period": ["2024-05", "May 2O24"],
            "value": [1.0, 2.0],
            "unit": ["%", "%"],
        }
    )
    with pytest.raises(ObservationsError) as info:
        read_observations(frame, strict=True)
    (p,) = info.value.problems
    # a frame's rows are placed by position (from 0), as frame.iloc counts them
    assert (p.line, p.path, p.found) == (None, "row 1, period", "'May 2O24'")


@settings(max_examples=60, deadline=None)
@given(sks.readable_observations())
def test_csv_text_round_trip_property(obs: Observations) -> None:
    from stratkit.io.observations._write import _rows_text

    text = _rows_text(obs)
    again = read(text)
    assert again.illustrative == obs.illustrative
    for col in ("outcome_id", "start", "end", "unit", "note"):
        assert np.array_equal(getattr(again, col), getattr(obs, col)), col
    for col in ("value", "numerator", "denominator"):
        assert np.array_equal(getattr(again, col), getattr(obs, col), equal_nan=True), col
    assert _rows_text(again) == text


@settings(max_examples=30, deadline=None)
@given(sks.readable_observations())
def test_dataframe_round_trip_property(obs: Observations) -> None:
    again = read_observations(observations_to_frame(obs))
    for col in ("outcome_id", "start", "end", "unit"):
        assert np.array_equal(getattr(again, col), getattr(obs, col)), col
    assert np.array_equal(again.value, obs.value, equal_nan=True)


# --- periods ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-05", (2024, 5, 1), (2024, 5, 31)),
        ("2024-02", (2024, 2, 1), (2024, 2, 29)),
        ("2024-Q1", (2024, 1, 1), (2024, 3, 31)),
        ("2024Q4", (2024, 10, 1), (2024, 12, 31)),
        ("FY2023/24", (2023, 4, 1), (2024, 3, 31)),
        ("2023/24", (2023, 4, 1), (2024, 3, 31)),
        ("2023-2024", (2023, 4, 1), (2024, 3, 31)),
        ("FY2024/25 Q1", (2024, 4, 1), (2024, 6, 30)),
        ("FY2024/25 Q4", (2025, 1, 1), (2025, 3, 31)),
        ("FY2099/00", (2099, 4, 1), (2100, 3, 31)),
        ("2024", (2024, 1, 1), (2024, 12, 31)),
        ("2024-05-31", (2024, 5, 31), (2024, 5, 31)),
        (" 2024-04-02/2024-06-30 ", (2024, 4, 2), (2024, 6, 30)),
    ],
)
def test_parse_period(text: str, start: tuple[int, int, int], end: tuple[int, int, int]) -> None:
    assert parse_period(text) == (dt.date(*start), dt.date(*end))


@pytest.mark.parametrize(
    "text", ["2024-13", "FY2023/25", "May 2O24", "2024-Q5", "", "2024-06-30/2024-04-01"]
)
def test_parse_period_refuses(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each path raises its own message
        parse_period(text)


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ((2024, 5, 1), (2024, 5, 31), "2024-05"),
        ((2023, 4, 1), (2024, 3, 31), "FY2023/24"),
        ((2024, 1, 1), (2024, 12, 31), "2024"),
        ((2024, 1, 1), (2024, 3, 31), "FY2023/24 Q4"),
        ((2024, 7, 1), (2024, 9, 30), "FY2024/25 Q2"),
        ((2024, 5, 31), (2024, 5, 31), "2024-05-31"),
        ((2024, 5, 2), (2024, 5, 31), "2024-05-02/2024-05-31"),
    ],
)
def test_format_period(start: tuple[int, int, int], end: tuple[int, int, int], text: str) -> None:
    assert format_period(dt.date(*start), dt.date(*end)) == text


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), st.integers(0, 800))
def test_format_then_parse_period_is_the_identity(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    assert parse_period(format_period(start, end)) == (start, end)


@settings(max_examples=100, deadline=None)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 1)))
def test_months_quarters_and_years_format_as_words(day: dt.date) -> None:
    month_start = day.replace(day=1)
    start, end = parse_period(f"{day.year:04d}-{day.month:02d}")
    assert start == month_start
    assert format_period(start, end) == f"{day.year:04d}-{day.month:02d}"
    fy = day.year if day.month >= 4 else day.year - 1
    text = f"FY{fy}/{(fy + 1) % 100:02d}"
    assert format_period(*parse_period(text)) == text


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="column 'value' has 1 rows, outcome_id has 2"):
        Observations.from_columns(
            outcome_id=["a", "b"], start=["2024-01-01", "2024-02-01"], value=[1.0], unit="%"
        )


def test_line_numbers_count_line_breaks_inside_quoted_cells() -> None:
    text = (
        "# comment\noutcome_id,period,value,unit,note\n"
        '1,2024-05,1,%,"two\nlines"\n'
        "2,2024-05,x,%,\n"
    )
    ((line, path, _),) = problems(text)
    assert (line, path) == (5, "value")


def test_windows_line_endings_and_line_breaks_in_notes(tmp_path: Path) -> None:
    path = tmp_path / "obs.csv"
    path.write_bytes(
        b"# source: board\r\noutcome_id,period,value,unit,note\r\n"
        b'1,2024-05,1,%,"a\r\nb"\r\n1,2024-06,2,%,c\r\n'
    )
    obs = read_observations(path)
    assert obs.source == "board"
    assert obs.note.tolist() == ["a\r\nb", "c"]
    assert obs.value.tolist() == [1, 2]


@pytest.mark.parametrize("note", ["a\rb", "a\nb", "a\x1eb", "a\x85b", "a\u2028b", 'say "hi", ok'])
def test_notes_with_line_breaks_survive_csv_and_dataframe(note: str, tmp_path: Path) -> None:
    obs = Observations.from_columns(
        outcome_id=["1", "1"],
        start=["2024-05-01", "2024-06-01"],
        value=[1.0, 2.0],
        unit="%",
        note=[note, "next"],
    )
    again = read_observations(write_observations(obs, tmp_path / "o.csv"))
    assert again.note.tolist() == [note, "next"]
    assert read_observations(observations_to_frame(obs)).note.tolist() == [note, "next"]


def test_bad_start_or_end_is_reported_with_its_line() -> None:
    found = problems(
        "outcome_id,start,end,value,unit\n1,2024-04-01,2024-06-31,3,patient\n1,April,,4,patient\n"
    )
    assert [(line, path) for line, path, _ in found] == [(2, "end"), (3, "start")]
    assert "found 'April'" in found[1][2]


def test_dataframe_with_datetime_dates() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "outcome_id": ["1", "1"],
            "date": pd.to_datetime(["2024-05-31", "2024-06-30"]),
            "value": [1, 2],
            "unit": ["incident", "incident"],
        }
    )
    frame.attrs["illustrative"] = True
    obs = read_observations(frame)
    assert obs.series("1").end.tolist() == [dt.date(2024, 5, 31), dt.date(2024, 6, 30)]
    assert obs.illustrative is True
    assert obs.source == "<DataFrame>"


def test_writing_where_the_folder_does_not_exist_is_a_save_error(tmp_path: Path) -> None:
    from stratkit.errors import SaveError

    with pytest.raises(SaveError, match="cannot write observations to") as info:
        write_observations(read(CSV), tmp_path / "missing" / "obs.csv")
    assert isinstance(info.value, OSError)
    assert list(tmp_path.iterdir()) == []


def test_writing_over_a_folder_fails_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    from stratkit.errors import SaveError

    (tmp_path / "obs.csv").mkdir()
    with pytest.raises(SaveError):
        write_observations(read(CSV), tmp_path / "obs.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["obs.csv"]


# --- entities (portfolios) -------------------------------------------------------------

PORTFOLIO = """\
outcome_id,period,value,unit,numerator,denominator,org,note
4h,2024-05,80,%,80,100,RA7,
4h,2024-04,70,%,70,100,RA7,
4h,2024-04,90,%,,,R1H,late return
beds,2024-04,12,bed,,,R1H,
"""


def test_entity_column_is_read_and_split_by_entity() -> None:
    obs = read(PORTFOLIO)
    assert obs.entities() == ("RA7", "R1H")
    # sorted by outcome, then entity (first-seen), then period end
    assert obs.entity.tolist() == ["RA7", "RA7", "R1H", "R1H"]
    assert obs.value.tolist() == [70, 80, 90, 12]
    parts = obs.split_by_entity()
    assert list(parts) == ["RA7", "R1H"]
    assert parts["RA7"].series("4h").values.tolist() == [70, 80]
    assert parts["RA7"].series("4h").numerator.tolist() == [70, 80]
    assert parts["R1H"].outcome_ids() == ("4h", "beds")
    assert parts["R1H"].series("4h").notes == ("late return",)
    assert obs.series("4h", entity="R1H").values.tolist() == [90]
    # each row remembers its line in the file
    assert [obs.location(i)[1] for i in range(len(obs))] == [3, 2, 4, 5]


def test_entity_column_by_another_name() -> None:
    text = PORTFOLIO.replace(",org,", ",site,")
    # read without naming the column, two organisations' April values collide
    with pytest.warns(ObservationsWarning, match=r"2 values for outcome 4h, period 2024-04"):
        assert read(text).entities() == ()
    obs = read_observations(io.StringIO(text), entity="site")
    assert obs.entities() == ("RA7", "R1H")


def test_rows_without_entity_split_under_empty_code() -> None:
    obs = read(PORTFOLIO + "4h,2024-04,75,%,,,,\n")
    assert list(obs.split_by_entity()) == ["", "RA7", "R1H"]
    assert obs.for_entity("").value.tolist() == [75]


def test_entity_survives_csv_and_frame_round_trips(tmp_path: Path) -> None:
    obs = read_observations(io.StringIO("# source: returns\n" + PORTFOLIO))
    back = read_observations(write_observations(obs, tmp_path / "o.csv"))
    assert back == obs
    assert back.entity.tolist() == ["RA7", "RA7", "R1H", "R1H"]
    assert read_observations(observations_to_frame(obs)) == obs
    single = read(CSV)
    assert "org" not in observations_to_frame(single).columns
    assert read_observations(write_observations(single, tmp_path / "s.csv")) == single


# --- NUL characters: no text file holds one, and C parsers (pandas before 3.1,
# whose hash tables also merge texts that differ after a NUL) cut cells at it


def test_a_nul_in_a_cell_is_a_located_problem_and_the_other_rows_are_read() -> None:
    text = CSV.replace(",a dip\n", ",a\x00dip\n")
    found = problems(text)
    assert [(line, "NUL" in message) for line, _, message in found] == [(5, True)]
    with pytest.warns(ObservationsWarning, match=r":5: .*NUL"):
        obs = read(text)
    assert len(obs) == len(read(CSV)) - 1
    assert "a dip" not in obs.note.tolist()


def test_a_nul_in_a_large_file_is_placed_too(tmp_path: Path) -> None:
    """Over a megabyte a file goes to a C parser, unless it holds a NUL."""
    n = 40_000
    lines = ["outcome_id,period,value,unit,numerator,denominator,note"]
    lines += [f"1.1.1,{1900 + k // 12}-{k % 12 + 1:02d},{k % 97},%,,,note {k}" for k in range(n)]
    lines[1_234] = lines[1_234].replace("note 1233", "note\x001233")
    path = tmp_path / "observations.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    with pytest.raises(ObservationsError) as info:
        read_observations(path, strict=True)
    assert [p.line for p in info.value.problems] == [1_235]
    with pytest.warns(ObservationsWarning):
        obs = read_observations(path)
    assert len(obs) == n - 1
    assert len(set(obs.note.tolist())) == n - 1  # every other note kept, none merged


def test_writing_a_nul_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    obs = Observations.from_columns(
        outcome_id=["1.1.1", "1.1.1"],
        start=["2024-04-01", "2024-05-01"],
        end=["2024-04-30", "2024-05-31"],
        value=[1.0, 2.0],
        unit=["%", "%"],
        note=["fine", "a\x00b"],
    )
    path = tmp_path / "observations.csv"
    path.write_text("before\n", encoding="utf-8")
    with pytest.raises(ObservationsError) as info:
        write_observations(obs, path)
    assert [(p.path, p.file) for p in info.value.problems] == [("row 2, note", str(path))]
    assert path.read_text(encoding="utf-8") == "before\n"


def test_a_frame_keeps_notes_that_differ_after_a_nul() -> None:
    import pandas as pd

    from stratkit.io.observations._columns import factorize

    frame = pd.DataFrame(
        {
            "outcome_id": ["2.2.1", "2.2.1"],
            "period": ["2024-04", "2024-05"],
            "value": [15.5, 15.2],
            "unit": ["%", "%"],
            "note": ["a\x00b", "a\x00c"],
        }
    )
    assert read_observations(frame).note.tolist() == ["a\x00b", "a\x00c"]
    codes, cells = factorize(np.array(["a\x00b", "a\x00c"] * 15_000, dtype=object))
    assert codes[:2].tolist() == [0, 1]
    assert cells == ["a\x00b", "a\x00c"]


def test_a_large_file_reads_as_the_careful_reader_reads_it(tmp_path: Path) -> None:
    """Over a megabyte a regular CSV goes through a C parser: the same observations."""
    from stratkit.io.observations._fastcsv import fast_table

    n = 40_000
    header = "outcome_id,period,value,unit,numerator,denominator,note"
    rows = [  # every third row gives its counts, and a value that agrees with them
        f"1.{k % 7}.1,{1900 + k // 12}-{k % 12 + 1:02d},"
        + (f"{k % 97}.5,%,," if k % 3 else f"{2 * (k % 50)},%,{k % 50},50")
        + f",{'a note' if k % 11 == 0 else ''}"
        for k in range(n)
    ]
    big = tmp_path / "big" / "observations.csv"
    big.parent.mkdir()
    big.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert fast_table(big.read_text(encoding="utf-8"), str(big), None, None) is not None
    parts = tmp_path / "parts"
    parts.mkdir()
    for i in range(4):
        chunk = rows[i * n // 4 : (i + 1) * n // 4]
        (parts / f"observations_{i}.csv").write_text(
            "\n".join([header, *chunk]) + "\n", encoding="utf-8"
        )
        assert (parts / f"observations_{i}.csv").stat().st_size < 1_000_000
    fast, careful = read_observations(big), read_observations(parts)
    assert len(fast) == n
    for col in ("outcome_id", "start", "end", "unit", "note"):
        assert np.array_equal(getattr(fast, col), getattr(careful, col)), col
    for col in ("value", "numerator", "denominator"):
        assert np.array_equal(getattr(fast, col), getattr(careful, col), equal_nan=True), col
