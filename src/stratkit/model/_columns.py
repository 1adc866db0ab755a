"""Column helpers for :mod:`stratkit.model.observations`: read-only arrays, optional
columns, and the row order checks that let a tidy file skip its sort."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from stratkit._text_codes import pandas_for_text

__all__ = ["first_seen_rank", "fresh", "optional", "readonly", "span", "stable_order"]


def span(ends: NDArray[np.datetime64]) -> str:
    """``", 2023-04-30 to 2025-03-31"``: the first and last period ends, if any."""
    if ends.shape[0] == 0:
        return ""
    days = ends.astype("datetime64[D]")
    return f", {days.min()} to {days.max()}"


def readonly(a: NDArray[Any]) -> NDArray[Any]:
    if isinstance(a, np.ndarray) and not a.flags.writeable and a.base is None:
        return a  # read-only and owning its data: nobody can change it
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


def optional(a: Any, dtype: Any) -> NDArray[Any]:
    # a column that may be left out: None is filled once the length is known
    return readonly(np.asarray(np.zeros(0, dtype=dtype) if a is None else a, dtype=dtype))


def fresh(a: NDArray[Any], order: NDArray[np.intp] | None) -> NDArray[Any]:
    """``a`` reordered: a new array, made read-only (so the constructor need not copy it).

    ``None``: already in order; ``a`` is returned as it is (and copied by the
    constructor unless it is read-only and owns its data).
    """
    if order is None:
        return a
    out = a[order]
    out.setflags(write=False)
    return out


def first_seen_rank(values: NDArray[np.str_]) -> NDArray[np.int64]:
    """Each value's rank in first-seen order (pandas' hash table when installed, worth
    its import (a long column, or pandas already imported) and right for every text:
    see :mod:`stratkit._text_codes`).

    Worked out once per run of equal neighbours and spread to the run's rows:
    a file grouped by outcome (as most are) has a few runs per outcome, not
    one per row. The first-seen order of the runs is that of the rows.
    """
    n = values.shape[0]
    if not n:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    heads = values[starts]
    pd = pandas_for_text(n, worth_from=20_000)
    if pd is None:
        lookup: dict[str, int] = {}
        ranks = np.fromiter(
            (lookup.setdefault(k, len(lookup)) for k in heads.tolist()),
            dtype=np.int64,
            count=heads.shape[0],
        )
    else:
        ranks = np.asarray(pd.factorize(heads.astype(object))[0], dtype=np.int64)
    if starts.shape[0] == n:
        return ranks
    return np.repeat(ranks, np.diff(np.append(starts, n)))


def stable_order(keys: tuple[NDArray[Any], ...]) -> NDArray[np.intp] | None:
    """``np.lexsort(keys)`` (the last key first), or ``None`` when the rows are in that order.

    Checked in one pass over neighbours, cheaper than the sort: a tidy file
    is usually in order already. The sort is stable, so rows in order
    (ties included) are exactly those it leaves where they are.
    """
    n = keys[0].shape[0]
    if n < 2:
        return None
    if bool((keys[-1][1:] < keys[-1][:-1]).any()):
        return np.lexsort(keys)  # out of order on the first key: no need to look further
    after = np.ones(n - 1, dtype=bool)  # each row sorts after (or ties with) the one before
    for key in keys:
        a, b = key[:-1], key[1:]
        after = np.where(a == b, after, b > a)
    return None if bool(after.all()) else np.lexsort(keys)
