"""A table of cells (CSV, worksheet, DataFrame) and the typed rows read from it.

A :class:`Table` is what each source gives: a header, the cells of each
column (text from a CSV; numbers, dates or text from a worksheet or a
DataFrame) and the line (or worksheet row, or row position) of each row.
:func:`~stratkit.io.observations._reader.read_table` turns it into
:class:`Rows`: typed columns plus a mask of the rows that could not be read,
each with a located :class:`Problem`.
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.errors import Problem
from stratkit.io.observations._columns import (
    Coded,
)

COLUMNS = ("outcome_id", "period", "value", "unit", "numerator", "denominator", "note")
_ALIASES = {
    "outcome": "outcome_id",
    "outcomeid": "outcome_id",
    "month": "period",
    "notes": "note",
    "comment": "note",
    "comments": "note",
}
_TOTALS = frozenset({"total", "totals", "grand total", "grand_total", "sum"})
_HEADER_SEARCH = 20  # rows looked at for the header (titles and merged cells above it)


def normalise(name: Any) -> str:
    """A header cell as a column name: ``"Outcome ID"`` -> ``outcome_id``."""
    text = re.sub(r"[\s\-]+", "_", str(name if name is not None else "").strip().lower())
    return _ALIASES.get(text, text)


@attrs.define
class Table:
    """One source's cells, by column, with where each row is."""

    label: str  # the file (or "<DataFrame>") as problems name it
    header: list[str]
    columns: list[Any]  # per column: a list, an array, or a Coded column
    # per row: line, worksheet row, or position + 1 in a frame (a range when consecutive)
    lines: list[int] | range
    header_line: int = 1
    kind: str = "csv"  # "csv", "sheet" or "frame"
    sheet: str = ""
    letters: list[str] = attrs.field(factory=list)  # worksheet column letters
    comments: list[str] = attrs.field(factory=list)
    decimal: str = "."
    problems: list[Problem] = attrs.field(factory=list)

    def where(self, row: int | None, column: str, line: int | None = None) -> dict[str, Any]:
        """``Problem`` keywords placing a cell: file, line and column (or sheet and cell)."""
        if line is None and row is not None:
            line = self.lines[row]
        return locate(self.label, line, column, self.kind, self.sheet, self._letter(column))

    def _letter(self, column: str) -> str:
        if not self.letters:
            return ""
        names = [normalise(h) for h in self.header]
        return self.letters[names.index(column)] if column in names else ""


def locate(  # noqa: PLR0917 - a cell's coordinates, in order
    file: str, line: int | None, column: str, kind: str, sheet: str = "", letter: str = ""
) -> dict[str, Any]:
    """Where a cell is, as ``Problem`` keywords, for any kind of source."""
    if kind == "frame":
        return {"file": file, "path": f"row {line - 1}, {column}" if line else column}
    if kind == "sheet":
        cell = f"{sheet}!{letter}{line}" if letter and line else f"{sheet}, row {line}"
        return {"file": file, "line": line, "path": f"{cell} ({column})" if column else cell}
    return {"file": file, "line": line, "path": column}


@attrs.define
class Rows:
    """Typed columns of observation rows, before checks against a strategy."""

    outcome_id: Coded
    start: NDArray[np.datetime64]
    end: NDArray[np.datetime64]
    instant: NDArray[np.bool_]  # a single day: read as the period of its measure's frequency
    value: NDArray[np.float64]
    unit: NDArray[np.object_]
    numerator: NDArray[np.float64]
    denominator: NDArray[np.float64]
    note: Coded
    entity: Coded
    line: NDArray[np.int64]
    bad: NDArray[np.bool_]
    problems: list[Problem]


def find_header(rows: list[list[Any]]) -> int | None:
    """The index of the header row: the first row (of the first few) naming ``outcome_id``."""
    for i, row in enumerate(rows[:_HEADER_SEARCH]):
        if "outcome_id" in (normalise(c) for c in row):
            return i
    return None


def take(rows: Rows, mask: NDArray[np.bool_]) -> Rows:
    """The rows where ``mask`` is true (problems kept whole)."""
    return Rows(
        outcome_id=rows.outcome_id[mask],
        start=rows.start[mask],
        end=rows.end[mask],
        instant=rows.instant[mask],
        value=rows.value[mask],
        unit=rows.unit[mask],
        numerator=rows.numerator[mask],
        denominator=rows.denominator[mask],
        note=rows.note[mask],
        entity=rows.entity[mask],
        line=rows.line[mask],
        bad=rows.bad[mask],
        problems=rows.problems,
    )
