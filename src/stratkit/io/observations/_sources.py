"""Where observations come from: CSV files, workbooks, DataFrames, folders and globs.

Each source becomes one or more :class:`~._table.Table` objects; nothing
here judges a value.
"""

from __future__ import annotations

import glob as _glob
import os
from pathlib import Path
from typing import Any

from stratkit.errors import ObservationsError, Problem
from stratkit.io.observations import _csvtext
from stratkit.io.observations._fastcsv import fast_table
from stratkit.io.observations._table import Table, find_header, normalise

MAX_BYTES = 256 * 1024 * 1024
"""The largest observations file read by default (256 MiB, about 6 million rows).

Pass ``max_bytes=`` to :func:`~stratkit.io.read_observations` to read a larger one.
"""

LIST_FILE = "observations.list"
"""A file in a strategy folder naming its observation files (one path or glob a line)."""

_SHEET_SUFFIXES = (".xlsx", ".xlsm")
_FOLDER_PATTERNS = ("observations*.csv", "observations*.xlsx")


def _refuse(file: str, message: str, **extra: Any) -> ObservationsError:
    return ObservationsError([Problem(file=file, message=message, **extra)], file)


def folder_files(folder: Path) -> list[Path]:
    """The observation files of a strategy folder, in reading order.

    The files ``observations.list`` names (one a line, globs allowed, ``#``
    comments), or else every ``observations*.csv`` and ``observations*.xlsx``
    sorted by name. Never silently one of several.
    """
    listing = folder / LIST_FILE
    if listing.is_file():
        found: list[Path] = []
        for n, line in enumerate(listing.read_text(encoding="utf-8-sig").splitlines(), 1):
            entry = line.split("#", 1)[0].strip()
            if not entry:
                continue
            matches = sorted(folder.glob(entry)) if _is_glob(entry) else [folder / entry]
            if not matches or not all(m.is_file() for m in matches):
                raise _refuse(str(listing), f"no file {entry!r}", line=n)
            found.extend(m for m in matches if m not in found)
        return found
    found = []
    for pattern in _FOLDER_PATTERNS:
        found.extend(folder.glob(pattern))
    return sorted(set(found), key=lambda p: p.name)


def _is_glob(text: str) -> bool:
    return any(c in text for c in "*?[")


def expand(source: Any) -> list[Any]:
    """A source as a list of single sources: files, file objects and frames."""
    if isinstance(source, (list, tuple)):
        out: list[Any] = []
        for s in source:
            out.extend(expand(s))
        return out
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        p = Path(text)
        if p.is_dir():
            files = folder_files(p)
            if not files:
                raise _refuse(
                    text,
                    "no observations*.csv (or observations*.xlsx) in this folder",
                    hint=f"or list the files in {LIST_FILE}",
                )
            return list(files)
        if not p.exists() and _is_glob(text):
            matches = sorted(_glob.glob(text))
            if not matches:
                raise _refuse(text, "no file matches this pattern")
            return [Path(m) for m in matches]
        return [p]
    return [source]


def read_bytes(p: Path, max_bytes: int) -> bytes:
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise _refuse(
                str(p),
                f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit",
                hint="pass max_bytes= to read a larger file",
            )
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise _refuse(str(p), f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise _refuse(str(p), f"the file is over the {max_bytes:,}-byte limit")
    return data


def csv_table(
    text: str, label: str, *, delimiter: str | None = None, decimal: str | None = None
) -> Table:
    """The table of a CSV text (title rows above the header skipped)."""
    fast = fast_table(text, label, delimiter, decimal)
    if fast is not None:
        return fast
    rows = _csvtext.read_rows(text, label, delimiter)
    header, header_line, body, lines = rows.header, rows.header_line, rows.rows, rows.lines
    if "outcome_id" not in (normalise(h) for h in header):
        k = find_header(body)
        if k is not None:  # title lines above the header
            header, header_line = body[k], lines[k]
            body, lines = body[k + 1 :], lines[k + 1 :]
    width = len(header)
    problems = list(rows.problems)
    keep_rows: list[list[str]] = []
    keep_lines: list[int] = []
    if set(map(len, body)) <= {width}:  # the common case: every row as wide as the header
        body, lines = _without_blank_rows(body, lines)
        return _csv_result(header, body, lines, header_line, rows, problems, label, decimal)
    for cells, line in zip(body, lines, strict=True):
        row = cells
        if len(row) != width:
            if not any(c.strip() for c in row):
                continue  # a blank line
            if len(row) > width:
                if any(c.strip() for c in row[width:]):  # cells past the header
                    problems.append(
                        Problem(
                            file=label,
                            line=line,
                            message=f"{len(row)} cells, but the header has {width}",
                            hint="is a separator inside a cell that is not quoted?",
                        )
                    )
                    continue
                row = row[:width]
            else:
                row = row + [""] * (width - len(row))
        elif not any(c.strip() for c in row):
            continue
        keep_rows.append(row)
        keep_lines.append(line)
    return _csv_result(header, keep_rows, keep_lines, header_line, rows, problems, label, decimal)


def _without_blank_rows(
    body: list[list[str]], lines: list[int]
) -> tuple[list[list[str]], list[int]]:
    blank = [i for i, r in enumerate(body) if not any(c.strip() for c in r) or not r]
    if not blank:
        return body, lines
    skip = set(blank)
    return (
        [r for i, r in enumerate(body) if i not in skip],
        [x for i, x in enumerate(lines) if i not in skip],
    )


def _csv_result(  # noqa: PLR0917 - the parts of one table
    header: list[str],
    body: list[list[str]],
    lines: list[int],
    header_line: int,
    rows: _csvtext.CsvRows,
    problems: list[Problem],
    label: str,
    decimal: str | None,
) -> Table:
    width = len(header)
    columns = [list(c) for c in zip(*body, strict=True)] if body else [[] for _ in range(width)]
    if decimal is None:
        decimal = "," if rows.delimiter == ";" else "."
    return Table(
        label=label,
        header=header,
        columns=columns,
        lines=lines,
        header_line=header_line,
        comments=rows.comments,
        decimal=decimal,
        problems=problems,
    )


def sheet_table(p: Path, sheet: str | None, *, decimal: str | None) -> Table:
    """The table of a worksheet (openpyxl, the ``excel`` extra)."""
    try:
        import openpyxl  # type: ignore[import-untyped,unused-ignore]
        from openpyxl.utils import (  # type: ignore[import-untyped,unused-ignore]
            get_column_letter,
        )
    except ImportError:
        raise _refuse(
            str(p),
            "reading .xlsx needs openpyxl",
            hint="pip install 'stratkit-nhs[excel]'",
        ) from None
    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _refuse(str(p), f"cannot read the workbook: {exc}") from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            chosen = [n for n in names if n.strip().lower() == "observations"]
            if len(names) == 1:
                chosen = names
            if len(chosen) != 1:
                raise _refuse(
                    str(p),
                    "which sheet? the workbook has " + ", ".join(repr(n) for n in names),
                    hint="pass sheet='...' (or name the sheet 'observations')",
                )
            sheet = chosen[0]
        elif sheet not in names:
            raise _refuse(
                str(p),
                f"no sheet {sheet!r}",
                expected=", ".join(repr(n) for n in names),
            )
        ws = book[sheet]
        grid: list[list[Any]] = []
        lines: list[int] = []
        for row in ws.iter_rows(min_col=1):
            cells = []
            number = None
            for cell in row:
                value = getattr(cell, "value", None)
                fmt = getattr(cell, "number_format", "") or ""
                if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
                    value = f"{round(value * 100, 10)!r}%"  # a percentage cell holds 0.774
                cells.append(value)
                number = getattr(cell, "row", number)
            if any(c is not None and str(c).strip() for c in cells):
                grid.append(cells)
                lines.append(number if number is not None else len(lines) + 1)
    finally:
        book.close()
    k = find_header(grid)
    if k is None:
        return Table(label=str(p), header=[], columns=[], lines=[], kind="sheet", sheet=sheet)
    header = [("" if h is None else str(h)) for h in grid[k]]
    width = len(header)
    body = [(r + [None] * width)[:width] for r in grid[k + 1 :]]
    columns = [list(c) for c in zip(*body, strict=True)] if body else [[]] * width
    return Table(
        label=str(p),
        header=header,
        columns=columns,
        lines=lines[k + 1 :],
        header_line=lines[k],
        kind="sheet",
        sheet=sheet,
        letters=[get_column_letter(i + 1) for i in range(width)],
        decimal=decimal or ".",
    )


def frame_table(frame: Any) -> Table:
    """The table of a DataFrame: pandas, polars, pyarrow or any narwhals supports."""
    attrs_ = getattr(frame, "attrs", None)
    label = "<DataFrame>"
    comments: list[str] = []
    if isinstance(attrs_, dict):
        label = str(attrs_.get("source", label))
        if attrs_.get("illustrative"):
            comments.append("illustrative")
    try:
        import narwhals.stable.v1 as nw
    except ImportError:  # pandas still works without narwhals
        nw = None  # type: ignore[assignment]
    if nw is not None:
        try:
            df = nw.from_native(frame, eager_only=True)
        except TypeError:
            df = None
        if df is not None:
            header = [str(c) for c in df.columns]
            columns = [_frame_column(df[c], nw) for c in df.columns]
            n = len(df)
            return _frame(label, header, columns, n, comments)
    if hasattr(frame, "columns") and hasattr(frame, "to_dict"):  # pandas, without narwhals
        header = [str(c) for c in frame.columns]
        columns = [list(frame[c].tolist()) for c in frame.columns]
        return _frame(label, header, columns, len(frame), comments)
    raise TypeError(
        f"cannot read observations from {type(frame).__name__}: "
        "give a path, a file object or a DataFrame (pandas, polars, pyarrow)"
    )


def _frame(
    label: str, header: list[str], columns: list[Any], n: int, comments: list[str]
) -> Table:
    return Table(
        label=label,
        header=header,
        columns=columns,
        lines=list(range(1, n + 1)),
        kind="frame",
        comments=comments,
    )


def _frame_column(series: Any, nw: Any) -> Any:
    dtype = series.dtype
    if dtype.is_numeric() and dtype != nw.Boolean:
        return series.cast(nw.Float64).to_numpy()
    return series.to_list()
