"""The shortcuts ``Observations.from_columns`` takes on rows already in order.

``stable_order`` must give the order ``np.lexsort`` gives (``None`` meaning
"as they are"), and the outcomes' first-seen ranks worked out per run of equal
ids must be those worked out per row.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from stratkit.model import Observations
from stratkit.model._columns import first_seen_rank, stable_order


@given(st.data(), st.integers(0, 30), st.integers(1, 4), st.booleans())
def test_stable_order_is_lexsort(data: st.DataObject, n: int, k: int, tidy: bool) -> None:
    keys = tuple(
        np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
        for _ in range(k)
    )
    if tidy:  # the common case: rows already sorted
        keys = tuple(key[np.lexsort(keys)] for key in keys)
    expected = np.lexsort(keys) if n else np.zeros(0, dtype=np.intp)
    got = stable_order(keys)
    assert np.array_equal(np.arange(n) if got is None else got, expected)
    if tidy:
        assert got is None


def test_stable_order_with_missing_dates_sorts() -> None:
    ends = np.array(["2024-01-31", "NaT", "NaT"], dtype="datetime64[D]")
    got = stable_order((ends, np.zeros(3, dtype=np.int64)))
    expected = np.lexsort((ends, np.zeros(3, dtype=np.int64)))
    assert np.array_equal(np.arange(3) if got is None else got, expected)


@given(st.lists(st.sampled_from(["a", "b", "c", "dd"]), max_size=40))
def test_first_seen_rank_per_run_is_per_row(ids: list[str]) -> None:
    values = np.array(ids, dtype=str)
    lookup: dict[str, int] = {}
    expected = [lookup.setdefault(x, len(lookup)) for x in ids]
    assert first_seen_rank(values).tolist() == expected


def test_rows_in_order_are_kept_and_others_sorted() -> None:
    obs = Observations.from_columns(
        outcome_id=["b", "b", "a", "b"],
        start=["2024-01-01", "2024-03-01", "2024-01-01", "2024-02-01"],
        value=[1.0, 3.0, 9.0, 2.0],
        unit="count",
    )
    assert obs.outcome_id.tolist() == ["b", "b", "b", "a"]
    assert obs.value.tolist() == [1.0, 2.0, 3.0, 9.0]


def test_texts_that_differ_after_a_nul_keep_apart_with_pandas_loaded() -> None:
    """pandas before 3.1 merges them in its hash table; the ranks and rows must not."""
    import pandas  # noqa: F401 - loaded, so pandas would be used for a short column

    ids = np.array(["x\x00b", "x\x00c", "x\x00b", "x\x00c"])
    assert first_seen_rank(ids).tolist() == [0, 1, 0, 1]
    long_ids = np.tile(ids, 6_000)  # past the length where pandas is always used
    assert first_seen_rank(long_ids)[:4].tolist() == [0, 1, 0, 1]
    obs = Observations.from_columns(
        outcome_id=ids,
        start=["2024-01-01", "2024-01-01", "2024-02-01", "2024-02-01"],
        end=["2024-01-31", "2024-01-31", "2024-02-29", "2024-02-29"],
        value=[1.0, 2.0, 3.0, 4.0],
        unit=["%"] * 4,
    )
    assert obs.outcome_id.tolist() == ["x\x00b", "x\x00b", "x\x00c", "x\x00c"]
    assert obs.value.tolist() == [1.0, 3.0, 2.0, 4.0]
