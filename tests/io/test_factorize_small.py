"""A short column is factorised without pandas (no import for a small file), exactly
as pandas would."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stratkit.io.observations._columns import factorize_without_pandas

pd = pytest.importorskip("pandas")


@pytest.mark.parametrize(
    "cells",
    [
        ["1.1.1", "1.1.2", "1.1.1", "", "1.1.2"],
        ["a", math.nan, None, float("nan"), "a", np.datetime64("NaT"), 3, 3.0],
        [],
    ],
)
def test_the_dict_path_gives_what_pandas_gives(cells: list[object]) -> None:
    codes, uniques = factorize_without_pandas(cells)
    expected_codes, expected_uniques = pd.factorize(
        np.asarray(cells, dtype=object), use_na_sentinel=False
    )
    assert codes.tolist() == expected_codes.tolist()
    assert len(uniques) == len(expected_uniques)
    for got, want in zip(uniques, expected_uniques, strict=True):
        assert (got == want) or (pd.isna(got) and pd.isna(want))
