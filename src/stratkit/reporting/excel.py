"""An evaluation as an Excel workbook: ``results`` and ``observations`` sheets.

Needs openpyxl (``pip install "stratkit-nhs[excel]"``), imported only here.
Cells are typed: numbers are numbers, dates are dates, ``stale`` is a
boolean, and text is always text (a statement that starts with ``=`` is
stored as a string, never as a formula).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterator, Sequence
from typing import Any

from stratkit.errors import MissingExtraError
from stratkit.reporting.tabular import CSV_COLUMNS, result_table

__all__ = ["OBSERVATION_COLUMNS", "observation_rows", "render_xlsx"]

#: The columns of the ``observations`` sheet.
OBSERVATION_COLUMNS: tuple[str, ...] = (
    "outcome_id",
    "period_start",
    "period_end",
    "value",
    "unit",
    "note",
)


def observation_rows(evaluation: Any) -> Iterator[list[Any]]:
    """Every observation an evaluation used, in strategy order, as typed cells.

    Values are in the measure's unit (the one the result reports).
    """
    for result in evaluation.results:
        series = result.series
        if series is None:
            continue
        starts = series.start.astype("datetime64[D]").astype(object).tolist()
        ends = series.end.astype("datetime64[D]").astype(object).tolist()
        values = series.values.tolist()
        notes: Sequence[str] = getattr(series, "notes", ()) or ()
        if len(notes) != len(values):
            notes = [""] * len(values)
        for start, end, value, note in zip(starts, ends, values, notes, strict=True):
            yield [
                result.outcome_id,
                start,
                end,
                None if math.isnan(value) else value,  # NaN: an empty cell
                result.unit,
                note or None,
            ]


def render_xlsx(evaluation: Any, commentary: Any = None) -> bytes:
    """The workbook's bytes.

    Raises:
        MissingExtraError: openpyxl is not installed.
    """
    try:
        from openpyxl import Workbook
    except ImportError:
        raise MissingExtraError("Excel output", "excel") from None

    book = Workbook()
    results = book.create_sheet("results")
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    _fill(results, CSV_COLUMNS, result_table(evaluation, commentary))
    observations = book.create_sheet("observations")
    _fill(observations, OBSERVATION_COLUMNS, observation_rows(evaluation))
    book.properties.creator = "stratkit"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Any, columns: Sequence[str], rows: Any) -> None:
    from openpyxl.styles import Font

    sheet.append(list(columns))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "B2"
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text is text: never a formula
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
