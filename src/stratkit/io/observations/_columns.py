"""Columns of cells, coded: each distinct cell worked out once, then spread to its rows.

A column of 900,000 cells usually holds a few hundred distinct ones (outcome
ids, periods, units): :func:`factorize` gives each row a code into the
distinct cells (pandas' hash table when pandas is installed), and
:class:`Coded` carries a column in that form, as Arrow's dictionary encoding
gives it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit._text_codes import pandas_for_text


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        if math.isnan(cell):
            return ""
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def _as_day(cell: Any) -> dt.date | None:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, np.datetime64):
        if np.isnat(cell):
            return None
        return dt.date.fromisoformat(str(cell.astype("datetime64[D]")))
    return None


@attrs.frozen
class Coded:
    """A column given as codes into its distinct cells (as Arrow's dictionary encoding gives)."""

    codes: NDArray[np.int64]
    uniques: list[Any]

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, (int, np.integer)):
            return self.uniques[int(self.codes[key])]
        return Coded(self.codes[key], self.uniques)

    @staticmethod
    def concat(parts: list[Any]) -> Coded:
        """One coded column from several (coded or not), with one code per distinct cell."""
        index: dict[Any, int] = {}
        codes = []
        for part in parts:
            c, u = factorize(part)
            remap = np.array([index.setdefault(x, len(index)) for x in u], dtype=np.int64)
            codes.append(remap[c] if len(u) else c)
        joined = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
        return Coded(joined, list(index))

    def cells(self) -> NDArray[np.object_]:
        distinct = np.empty(len(self.uniques), dtype=object)
        distinct[:] = self.uniques
        out: NDArray[np.object_] = distinct[self.codes]
        return out


def cells(col: Any) -> Any:
    """A column as something indexable cell by cell (a list or an array)."""
    return col.cells() if isinstance(col, Coded) else col


_MISSING = object()


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x)  # noqa: PLR0124 - NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


def factorize_without_pandas(col: Any) -> tuple[NDArray[np.int64], list[Any]]:
    """:func:`factorize` by a dict: the same codes and cells as pandas gives, every
    missing cell (None, NaN, NaT) being one value, NaN."""
    index: dict[Any, int] = {}
    codes = np.fromiter(
        (index.setdefault(_MISSING if _is_missing(x) else x, len(index)) for x in col),
        dtype=np.int64,
        count=len(col),
    )
    return codes, [math.nan if k is _MISSING else k for k in index]


#: Columns at least this long are factorised by pandas (when installed).
_PANDAS_FROM = 20_000


def factorize(col: Any) -> tuple[NDArray[np.int64], list[Any]]:
    """Integer codes for a column's cells and its distinct cells.

    pandas' hash table for a long column when pandas is installed (C speed); a dict
    otherwise: a small file does not pay pandas' import (about 0.3 s) for a few
    hundred cells, and a pandas that merges texts differing after a NUL is not
    used (:mod:`stratkit._text_codes`).
    """
    if isinstance(col, Coded):
        return col.codes, col.uniques
    pd = pandas_for_text(len(col), worth_from=_PANDAS_FROM)
    if pd is None:
        return factorize_without_pandas(col)
    values = col if isinstance(col, np.ndarray) else np.asarray(col, dtype=object)
    if values.dtype != object:
        values = values.astype(object)
    # without a missing cell (the common case) both give the same; the sentinel
    # form skips pandas' separate scan for missing cells
    codes, uniques = pd.factorize(values)
    if len(codes) and codes.min() < 0:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.asarray(codes, dtype=np.int64), list(uniques)


def text_column(col: Any, n: int, *, strip: bool = True) -> NDArray[np.object_]:
    """A column as text (``""`` for a blank), stripped; worked out once per distinct cell."""
    return coded_text(col, n, strip=strip).cells()


def coded_text(col: Any, n: int, *, strip: bool = True) -> Coded:
    """:func:`text_column` as codes into the distinct texts."""
    if col is None:
        return Coded(np.zeros(n, dtype=np.int64), [""])
    codes, uniques = factorize(col)
    index: dict[str, int] = {}
    remap = np.array(
        [index.setdefault(_text(u).strip() if strip else _text(u), len(index)) for u in uniques],
        dtype=np.int64,
    )
    return Coded(remap[codes] if len(uniques) else codes, list(index))
