"""Real-shaped messy observation files: each evaluates as the clean CSV does, or is refused.

The corpus: an Excel export with merged title rows and a totals row, a
semicolon CSV with decimal commas, a UTF-16 tab-separated file as Excel's
"Unicode Text" writes it, two monthly files that overlap, and pandas, polars
and Arrow frames. Each is built here from the same illustrative figures as
``obs_samples.CLEAN_CSV`` (Example NHS Trust is fictional).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from obs_samples import CLEAN_CSV, clean, outcome_table, read, write

from stratkit.errors import ObservationsError

MONTHS = [dt.datetime(2024, 4, 1), dt.datetime(2024, 5, 1), dt.datetime(2024, 6, 1)]


@pytest.fixture(scope="module")
def expected() -> list[tuple[object, ...]]:
    return outcome_table(clean())


def test_the_clean_file_reads_as_written() -> None:
    obs = clean()
    assert obs.series("4h").values.tolist() == [77.4, 79.25, 80.5]
    assert obs.series("4h").notes == ("", "", "winter plan")
    assert obs.illustrative


# --- Excel ---------------------------------------------------------------------------


def _workbook(path: Path, *, totals: bool = True) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "About"
    notes["A1"] = "Illustrative export for Example NHS Trust"
    ws = book.create_sheet("Data")
    ws["A1"] = "Example NHS Trust - performance export (illustrative data)"
    ws.merge_cells("A1:G1")
    ws["A2"] = "Quarter 1 2024/25"
    ws.merge_cells("A2:G2")
    ws.append(["Outcome ID", "Month", "Value", "Numerator", "Denominator", "Notes"])
    rows = [
        ("4h", MONTHS[0], 0.774, 774, 1000, None),
        ("4h", MONTHS[1], 0.7925, None, None, None),
        ("4h", MONTHS[2], 0.805, 1610, 2000, "winter plan"),
        ("falls", MONTHS[0], 12, None, None, None),
        ("falls", MONTHS[1], 11, None, None, None),
        ("falls", MONTHS[2], 9, None, None, None),
        ("survey", "2023/24", 6.9, None, None, None),
    ]
    for r in rows:
        ws.append(list(r))
        if r[0] == "4h":
            ws.cell(row=ws.max_row, column=3).number_format = "0.0%"
        ws.cell(row=ws.max_row, column=2).number_format = "mmm-yy"
    if totals:
        ws.append(["Total", None, "=SUM(C4:C10)", "=SUM(D4:D10)", "=SUM(E4:E10)", None])
    book.save(path)
    return path


def test_excel_export_with_merged_titles_and_a_totals_row(
    tmp_path: Path, expected: list[tuple[object, ...]]
) -> None:
    path = _workbook(tmp_path / "export.xlsx")
    obs = read(path, sheet="Data")
    assert outcome_table(obs) == expected
    assert obs.series("4h").values.tolist() == pytest.approx([77.4, 79.25, 80.5])
    # a workbook with several sheets and none named "observations": which one is asked
    with pytest.raises(ObservationsError, match="which sheet"):
        read(path)
    with pytest.raises(ObservationsError, match="no sheet 'Nope'"):
        read(path, sheet="Nope")


def test_excel_problems_name_the_sheet_and_cell(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = _workbook(tmp_path / "export.xlsx", totals=False)
    book = openpyxl.load_workbook(path)
    book["Data"]["C9"] = "n/a"  # falls, June
    book["Data"]["A6"] = "4x"  # an outcome the strategy does not have
    book.save(path)
    with pytest.raises(ObservationsError) as info:
        read(path, sheet="Data")
    assert [(p.file, p.line, p.path) for p in info.value.problems] == [
        (str(path), 6, "Data!A6 (outcome_id)"),
        (str(path), 9, "Data!C9 (value)"),
    ]
    assert "not a number, found 'n/a'" in str(info.value.problems[1])


# --- CSV dialects --------------------------------------------------------------------


SEMICOLON = (
    "\ufeffoutcome_id;period;value;unit;numerator;denominator;note\r\n"
    "4h;Apr-24;77,4;%;774;1.000;\r\n"
    "4h;May 2024;79,25%;;;;\r\n"
    '4h;Jun-24;80,5 %;%;1.610;2.000;"winter plan"\r\n'
    "falls;01/04/2024;12;incident;;;\r\n"
    "falls;01/05/2024;11;;;;\r\n"
    "falls;01/06/2024;9;;;;\r\n"
    "survey;2023/24;6,9;score;;;\r\n"
)


def test_semicolon_csv_with_decimal_commas_and_a_bom(
    tmp_path: Path, expected: list[tuple[object, ...]]
) -> None:
    path = write(tmp_path / "export.csv", SEMICOLON)
    assert outcome_table(read(path)) == expected


def test_utf16_tab_separated_as_excel_unicode_text(
    tmp_path: Path, expected: list[tuple[object, ...]]
) -> None:
    text = CLEAN_CSV.split("\n", 1)[1].replace(",", "\t").replace("\n", "\r\n")
    text = text.replace("2024-04", "Apr 2024").replace("2024-06", "30/06/2024")
    path = write(tmp_path / "export.txt", text, encoding="utf-16")
    assert path.read_bytes()[:2] == b"\xff\xfe"
    assert outcome_table(read(path)) == expected


# --- monthly files -------------------------------------------------------------------


def _monthly(folder: Path, *, overlap: str = "79.25") -> tuple[Path, Path]:
    folder.mkdir()
    header = "outcome_id,period,value,unit,numerator,denominator,note\n"
    first = write(
        folder / "observations_2024-04.csv",
        header
        + "4h,2024-04,77.4,%,774,1000,\n4h,2024-05,79.25,%,,,\n"
        + "falls,2024-04,12,incident,,,\nsurvey,FY2023/24,6.9,score,,,\n",
    )
    second = write(
        folder / "observations_2024-05.csv",
        header
        + f"4h,2024-05,{overlap},%,,,\n4h,2024-06,80.5,%,1610,2000,winter plan\n"
        + "falls,2024-05,11,incident,,,\nfalls,2024-06,9,incident,,,\n",
    )
    return first, second


def test_two_monthly_files_that_overlap_are_refused_naming_both(tmp_path: Path) -> None:
    first, second = _monthly(tmp_path / "trust", overlap="79.3")
    with pytest.raises(ObservationsError) as info:
        read(tmp_path / "trust")
    (problem,) = info.value.problems
    assert str(problem) == (
        f"{second}:2 @ period: 2 values for outcome 4h, period 2024-05 "
        f"({first}:3: 79.25; {second}:2: 79.3) "
        "(keep one, or choose a rule: duplicates='first', 'last', 'mean' or 'sum' "
        "(--duplicates on the command line))"
    )


def test_two_monthly_files_combined_in_order(
    tmp_path: Path, expected: list[tuple[object, ...]]
) -> None:
    _monthly(tmp_path / "trust", overlap="79.25")
    obs = read(tmp_path / "trust", duplicates="last")
    assert outcome_table(obs) == [
        (*row[:5], ("",) * len(row[5]) if row[0] != "4h" else row[5]) for row in expected
    ]
    assert len(obs.files) == 2
    # the same files as a glob, and as a list
    assert read(str(tmp_path / "trust" / "observations_*.csv"), duplicates="last") == obs
    files = sorted((tmp_path / "trust").glob("*.csv"))
    assert read(files, duplicates="first") == obs


def test_a_declared_list_of_files_is_read_in_its_order(tmp_path: Path) -> None:
    first, second = _monthly(tmp_path / "trust", overlap="79.3")
    (tmp_path / "trust" / "observations.list").write_text(
        "# newest first: the first file's rows win\n"
        "observations_2024-05.csv\nobservations_2024-04.csv\n",
        encoding="utf-8",
    )
    obs = read(tmp_path / "trust", duplicates="first")
    assert obs.series("4h").values.tolist() == [77.4, 79.3, 80.5]
    assert obs.files == (str(second), str(first))


def test_an_empty_folder_says_what_it_looked_for(tmp_path: Path) -> None:
    with pytest.raises(ObservationsError, match=r"no observations\*\.csv"):
        read(tmp_path)


# --- DataFrames ----------------------------------------------------------------------


def _columns() -> dict[str, list[object]]:
    return {
        "outcome_id": ["4h", "4h", "4h", "falls", "falls", "falls", "survey"],
        "period": [*MONTHS, *MONTHS, dt.datetime(2023, 4, 1)],
        "value": [77.4, 79.25, 80.5, 12.0, 11.0, 9.0, 6.9],
        "unit": ["%", None, "%", "incident", None, None, "score"],
        "numerator": [774, None, 1610, None, None, None, None],
        "denominator": [1000, None, 2000, None, None, None, None],
        "note": [None, None, "winter plan", None, None, None, None],
    }


def test_pandas_frame_with_datetime_periods_read_by_frequency(
    expected: list[tuple[object, ...]],
) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_columns())
    frame["period"] = pd.to_datetime(frame["period"])
    obs = read(frame)
    # a monthly measure's 2024-06-01 is June, ending on the 30th (not the 1st)
    assert obs.latest_end() == dt.date(2024, 6, 30)
    assert outcome_table(obs) == expected


def test_polars_frame(expected: list[tuple[object, ...]]) -> None:
    pl = pytest.importorskip("polars")
    assert outcome_table(read(pl.DataFrame(_columns()))) == expected


def test_arrow_table(expected: list[tuple[object, ...]]) -> None:
    pa = pytest.importorskip("pyarrow")
    assert outcome_table(read(pa.table(_columns()))) == expected


def test_a_frame_problem_names_the_row_position() -> None:
    pl = pytest.importorskip("polars")
    cols = _columns()
    cols["value"][4] = float("inf")
    with pytest.raises(ObservationsError) as info:
        read(pl.DataFrame(cols))
    (problem,) = info.value.problems
    assert (problem.file, problem.path, problem.message) == (
        "<DataFrame>",
        "row 4, value",
        "not a finite number",
    )


def test_an_unsupported_object_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="cannot read observations from int"):
        read(42)


def test_csv_text_in_a_file_object(expected: list[tuple[object, ...]]) -> None:
    assert outcome_table(read(io.StringIO(CLEAN_CSV))) == expected
    assert outcome_table(read(io.BytesIO(CLEAN_CSV.encode("utf-16")))) == expected
