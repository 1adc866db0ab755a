"""Rates of counts: values derived from numerator and denominator, aggregates as sums of counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratkit.errors import ObservationsError
from stratkit.model import (
    Ambition,
    Measure,
    Objective,
    Organisation,
    Outcome,
    Period,
    Strategy,
    Target,
)
from stratkit.portfolio import PortfolioRows, aggregate_entities, derive_rates, to_quarters


def _strategy(from_counts: bool = True, unit: str = "%") -> Strategy:
    return Strategy(
        title="Illustrative standard",
        organisation=Organisation(name="Example NHS Trust"),
        period=Period(start="2024-04-01", end="2025-03-31"),
        ambitions=[
            Ambition(
                id="1",
                title="A",
                objectives=[
                    Objective(
                        id="1.1",
                        title="O",
                        outcomes=[
                            Outcome(
                                id="r",
                                statement="A rate of counts",
                                measure=Measure(
                                    name="Seen in time", unit=unit, from_counts=from_counts
                                ),
                                target=Target.level(
                                    f"95 {unit}", direction="increase", deadline="2025-03-31"
                                ),
                            ),
                            Outcome(
                                id="s",
                                statement="A score",
                                measure=Measure(name="Score", unit="score"),
                                target=Target.level(
                                    "7 score", direction="increase", deadline="2025-03-31"
                                ),
                            ),
                        ],
                    )
                ],
            )
        ],
    )


def _rows(entity, outcome, month, num, den, *, value=None) -> PortfolioRows:  # type: ignore[no-untyped-def]
    start = np.array(month, dtype="datetime64[M]")
    n = len(entity)
    return PortfolioRows(
        entity=entity,
        outcome_id=outcome,
        start=start.astype("datetime64[D]"),
        end=(start + 1).astype("datetime64[D]") - 1,
        value=np.full(n, np.nan) if value is None else value,
        unit=["%"] * n,
        numerator=num,
        denominator=den,
    )


def test_a_rate_is_numerator_over_denominator_in_the_measures_unit() -> None:
    rows = derive_rates(
        _strategy(), _rows(["A", "A"], ["r", "r"], ["2024-04", "2024-05"], [9, 0], [10, 0])
    )
    assert rows.value[0] == pytest.approx(90.0)
    assert np.isnan(rows.value[1])  # a denominator of 0 is a missing value, not an error
    per_one = derive_rates(_strategy(unit="fraction"), _rows(["A"], ["r"], ["2024-04"], [1], [4]))
    assert per_one.value[0] == pytest.approx(0.25)


def test_a_measure_not_from_counts_keeps_its_values() -> None:
    rows = _rows(["A"], ["r"], ["2024-04"], [9], [10], value=np.array([50.0]))
    assert derive_rates(_strategy(from_counts=False), rows).value[0] == 50.0


def test_the_aggregate_is_the_sum_of_counts_never_the_mean_of_rates() -> None:
    # a large department at 90 % and a small one at 10 %: together 820 of 1,010
    rows = _rows(["BIG", "SMALL"], ["r", "r"], ["2024-04"] * 2, [900, 1], [1000, 10])
    total = aggregate_entities(_strategy(), rows, {"BIG": "ALL", "SMALL": "ALL"})
    assert total.entity.tolist() == ["ALL"]
    assert total.numerator.tolist() == [901]
    assert total.denominator.tolist() == [1010]
    assert total.value[0] == pytest.approx(100 * 901 / 1010)
    assert total.value[0] != pytest.approx((90 + 10) / 2)


def test_only_rates_of_counts_are_aggregated() -> None:
    rows = _rows(["A", "B"], ["s", "s"], ["2024-04"] * 2, [np.nan] * 2, [np.nan] * 2)
    assert len(aggregate_entities(_strategy(), rows, {"A": "ALL", "B": "ALL"})) == 0


def test_a_rate_row_without_counts_cannot_be_aggregated() -> None:
    rows = _rows(["A"], ["r"], ["2024-04"], [np.nan], [np.nan], value=np.array([90.0]))
    with pytest.raises(ObservationsError, match="no numerator and denominator"):
        aggregate_entities(_strategy(), rows, {"A": "ALL"})


def test_a_quarter_is_the_sum_of_its_three_months_and_only_complete_quarters_count() -> None:
    rows = _rows(
        ["A"] * 4,
        ["r"] * 4,
        ["2024-04", "2024-05", "2024-06", "2024-07"],
        [90, 5, 50, 1],
        [100, 10, 100, 1],
    )
    q = to_quarters(_strategy(), rows)
    assert str(q.start[0]) == "2024-04-01"
    assert str(q.end[0]) == "2024-06-30"
    assert len(q) == 1  # July alone is not a quarter
    assert q.value[0] == pytest.approx(100 * 145 / 210)


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(
        st.tuples(st.integers(0, 500), st.integers(1, 500), st.integers(0, 3), st.integers(0, 5)),
        min_size=1,
        max_size=30,
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_aggregates_do_not_depend_on_row_order(
    counts: list[tuple[int, int, int, int]], seed: int
) -> None:
    num = [min(a, b) for a, b, _, _ in counts]
    den = [b for _, b, _, _ in counts]
    entity = [f"E{e}" for _, _, e, _ in counts]
    month = [f"2024-{4 + m:02d}" for _, _, _, m in counts]
    rows = _rows(entity, ["r"] * len(counts), month, num, den)
    groups = dict.fromkeys(entity, "ALL")
    first = aggregate_entities(_strategy(), rows, groups)
    order = np.random.default_rng(seed).permutation(len(counts))
    second = aggregate_entities(_strategy(), rows.take(order), groups)
    for col in ("entity", "outcome_id", "start", "end", "numerator", "denominator"):
        assert getattr(first, col).tolist() == getattr(second, col).tolist()
    np.testing.assert_array_equal(first.value, second.value)
    for m in set(month):
        mine = [i for i in range(len(counts)) if month[i] == m]
        row = first.start.astype("datetime64[M]").astype(str).tolist().index(m)
        assert first.numerator[row] == sum(num[i] for i in mine)
        assert first.denominator[row] == sum(den[i] for i in mine)
