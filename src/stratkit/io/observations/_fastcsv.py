"""A large, regular CSV through a C parser: pyarrow's when installed, else pandas'.

Only when the result is certain to be what the careful reader would give
(see :func:`fast_table`); anything else goes to the careful reader.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from stratkit.io.observations import _csvtext
from stratkit.io.observations._columns import Coded
from stratkit.io.observations._table import Table, normalise

_TEXT_COLUMNS = ("outcome_id", "period", "date", "start", "end", "unit", "note")


def _arrow_table(rest: str, header: list[str], names: list[str]) -> list[Any] | None:
    """The columns of a regular CSV body through pyarrow's parser, or ``None``."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
        import pyarrow.compute as pc  # type: ignore[import-untyped,unused-ignore]
        import pyarrow.csv as pcsv  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    try:
        table = pcsv.read_csv(
            io.BytesIO(rest.encode("utf-8")),
            parse_options=pcsv.ParseOptions(delimiter=",", newlines_in_values=False),
            read_options=pcsv.ReadOptions(use_threads=True),
            convert_options=pcsv.ConvertOptions(
                column_types={  # text coded as it is read: each distinct cell kept once
                    h: pa.dictionary(pa.int32(), pa.string())
                    for h, n in zip(header, names, strict=True)
                    if n in _TEXT_COLUMNS or n not in ("value", "numerator", "denominator")
                },
                strings_can_be_null=False,
                null_values=[""],
            ),
        )
    except Exception:  # any refusal: the careful reader finds and places it
        return None
    if table.column_names != header:
        return None
    table = table.unify_dictionaries()  # one dictionary per column, in first-seen order
    columns: list[Any] = []
    for h in header:
        col = table.column(h)
        if pa.types.is_dictionary(col.type):
            if col.null_count:
                return None  # a blank read as missing: not what the careful reader gives
            distinct = col.chunk(0).dictionary if col.num_chunks else pa.array([], pa.string())
            if len(distinct) and pc.max(pc.utf8_length(distinct)).as_py() > (
                _csvtext.MAX_FIELD_CHARS
            ):
                return None
            codes = [c.indices.to_numpy(zero_copy_only=False) for c in col.chunks]
            columns.append(
                Coded(
                    np.concatenate(codes).astype(np.int64) if codes else np.zeros(0, np.int64),
                    distinct.to_pylist(),
                )
            )
        elif pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
            columns.append(pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False))
        else:
            return None
    return columns


def fast_table(text: str, label: str, delimiter: str | None, decimal: str | None) -> Table | None:
    """A plain, regular CSV through pandas' C parser; ``None`` when it is not one.

    Used only when the result is certain to match the careful reader's: a
    comma-separated file with a decimal point, its header on the first line
    after the comments, one row a line (no blank line, no line break inside a
    cell), no NUL character and no cell over :data:`~._csvtext.MAX_FIELD_CHARS`. Anything else,
    and anything pandas refuses, goes to the careful reader, which says where.
    """
    if len(text) < 1_000_000:
        return None  # small files: the careful reader is fast enough
    if "\x00" in text:
        return None  # a NUL: C parsers cut the cell at it; the careful reader places it
    try:
        import pandas as pd
    except ImportError:
        return None
    comments, offset, rest = _csvtext._comments(text)
    header_text = rest.partition("\n")[0]
    sep = delimiter or _csvtext.sniff_delimiter(header_text)
    if sep != "," or (decimal or ".") != "." or '"' in header_text:
        return None
    header = [h.strip() for h in header_text.rstrip("\r").split(",")]
    names = [normalise(h) for h in header]
    if "outcome_id" not in names or len(set(header)) != len(header):
        return None
    n = rest.count("\n") - (0 if rest.endswith("\n") else -1) - 1
    first = offset + 2  # the line of the first row

    def table(columns: list[Any]) -> Table:
        return Table(
            label=label,
            header=header,
            columns=columns,
            lines=range(first, first + n),
            header_line=offset + 1,
            comments=comments,
            decimal=".",
        )

    arrow = _arrow_table(rest, header, names)
    if arrow is not None and all(len(c) == n for c in arrow):
        return table(arrow)
    try:
        frame = pd.read_csv(
            io.StringIO(rest),
            sep=",",
            dtype={h: str for h, n in zip(header, names, strict=True) if n in _TEXT_COLUMNS},
            keep_default_na=False,
            na_values={h: [""] for h in header},
            skip_blank_lines=False,
            engine="c",
            low_memory=False,
        )
    except Exception:  # any refusal: the careful reader finds and places it
        return None
    if len(frame) != n or [str(c) for c in frame.columns] != header:
        return None  # blank lines, or line breaks inside cells: lines would not be exact
    columns: list[Any] = []
    for h in header:
        series = frame[h]
        if series.dtype == object or str(series.dtype).startswith("str"):
            lengths = series.str.len()
            if n and lengths.max(skipna=True) > _csvtext.MAX_FIELD_CHARS:
                return None
            columns.append(series.fillna("").to_numpy(dtype=object))
        else:
            columns.append(series.to_numpy(dtype=np.float64, na_value=np.nan))
    return table(columns)
