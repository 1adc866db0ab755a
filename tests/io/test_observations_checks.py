"""Observations checked against the strategy, hostile and clumsy files, duplicates.

Every reproducer of issue 15's Observations section is a test here; Example
NHS Trust and its figures are illustrative.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from obs_samples import AS_OF, STRATEGY_YAML, strategy, write

import stratkit
from stratkit.errors import ObservationsError, ObservationsWarning
from stratkit.io import read_observations

HEADER = "outcome_id,period,value,unit,numerator,denominator,note\n"


def problems(text: str, **options: object) -> list[str]:
    """Every problem a strict read finds, as printed."""
    with pytest.raises(ObservationsError) as info:
        read_observations(io.StringIO(text), strategy=strategy(), strict=True, **options)
    return [str(p) for p in info.value.problems]


def lenient(text: str, **options: object) -> tuple[stratkit.Observations, list[str]]:
    """Read leniently: the observations kept, and the problems the warning listed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obs = read_observations(io.StringIO(text), strategy=strategy(), **options)
    found = [w.message for w in caught if isinstance(w.message, ObservationsWarning)]
    return obs, [str(p) for w in found for p in w.problems]


def twelve_months(note_at: int | None = None, note: str = "") -> str:
    rows = []
    for k in range(12):
        month = (dt.date(2023, 7, 1) + dt.timedelta(days=31 * k)).replace(day=1)
        text = note if k == note_at else ""
        rows.append(f"4h,{month:%Y-%m},{96 - k * 0.1:.1f},%,,,{text}\n")
    return HEADER + "".join(rows)


# --- issue 15: hostile and clumsy observation files -----------------------------------


def test_an_unclosed_quote_loses_one_row_not_the_rest() -> None:
    good = stratkit.evaluate(strategy(), read_observations(io.StringIO(twelve_months())))
    text = twelve_months(note_at=2, note='"provisional')
    obs, found = lenient(text)
    assert found == [
        (
            "<stream>:4: a quote opens in this row and never closes (the rest of the "
            "file would be read as one cell; close the quote)"
        )
    ]
    assert len(obs) == 11
    ev = stratkit.evaluate(strategy(), obs)
    assert ev.as_of == good.as_of == dt.date(2024, 6, 30)
    assert ev["4h"].status == good["4h"].status
    with pytest.raises(ObservationsError, match="quote opens in this row"):
        read_observations(io.StringIO(text), strict=True)


def test_an_over_long_cell_is_a_located_problem() -> None:
    text = twelve_months(note_at=5, note="x" * 200_000)
    found = problems(text)
    assert found == ["<stream>:7: a cell longer than 131,072 characters"]
    obs, _ = lenient(text)
    assert len(obs) == 11


@pytest.mark.parametrize("bad", ["inf", "-inf", "1e309", "nan", "NaN", "-Infinity"])
def test_non_finite_values_are_refused(bad: str) -> None:
    text = HEADER + f"4h,2024-04,{bad},%,,,\n"
    assert problems(text) == [f"<stream>:2 @ value: not a finite number, found {bad!r}"]


def test_an_outcome_with_only_non_finite_rows_has_no_data_not_achieved() -> None:
    obs, found = lenient(HEADER + "4h,2024-04,inf,%,,,\n4h,2024-05,nan,%,,,\n")
    assert len(found) == 2
    assert stratkit.evaluate(strategy(), obs, as_of=AS_OF)["4h"].status.value == "no_data"


def test_a_period_that_ends_before_it_starts() -> None:
    text = "outcome_id,start,end,value,unit\nfalls,2024-05-31,2024-05-01,3,incident\n"
    assert problems(text) == [
        (
            "<stream>:2 @ end: the period ends before it starts, found start 2024-05-31, "
            "end 2024-05-01"
        )
    ]


def test_a_bad_numerator_is_reported_as_the_numerator() -> None:
    assert problems(HEADER + "4h,2024-04,,%,seven,10,\n") == [
        "<stream>:2 @ numerator: not a number, found 'seven'",
    ]


def test_values_outside_the_measures_range() -> None:
    text = HEADER + "4h,2024-04,-60,%,,,\n4h,2024-05,250 %,,,,\nfalls,2024-04,-1,incident,,,\n"
    assert problems(text) == [
        (
            "<stream>:2 @ value: outside the range of outcome 4h's measure; expected 0 to 100 %, "
            "found -60"
        ),
        (
            "<stream>:3 @ value: outside the range of outcome 4h's measure; expected 0 to 100 %, "
            "found 250"
        ),
        (
            "<stream>:4 @ value: outside the range of outcome falls's measure; expected 0 to inf "
            "incident, found -1"
        ),
    ]


def test_the_size_limit_is_a_parameter(tmp_path: Path) -> None:
    path = write(tmp_path / "observations.csv", twelve_months())
    size = path.stat().st_size
    with pytest.raises(ObservationsError, match=f"{size:,} bytes, over the 100-byte limit"):
        read_observations(path, max_bytes=100)
    assert len(read_observations(path, max_bytes=size)) == 12
    with pytest.raises(ObservationsError, match="over the 100-byte limit"):
        read_observations(io.StringIO(twelve_months()), max_bytes=100)


# --- checks against the strategy ------------------------------------------------------


def test_every_problem_at_once_in_file_order() -> None:
    text = HEADER + (
        "4h,2024-04,77.4,incident,,,\n"  # a unit of another dimension
        "nope,2024-04,1,%,,,\n"  # no such outcome
        "falls,2024-Q2,30,incident,,,\n"  # a quarter for a monthly measure
        "falls,2099-01,3,incident,,,\n"  # a future period
        "4h,2024-05,50.0,%,179,200,\n"  # the value contradicts its counts
        "survey,2024-06-30,7,score,,,\n"  # a date that could be either year of an annual measure
    )
    assert problems(text) == [
        (
            "<stream>:2 @ unit: outcome 4h is measured in '%': cannot convert 'incident' to '%': "
            "different dimensions, found 'incident'"
        ),
        "<stream>:3 @ outcome_id: no outcome 'nope' in the strategy",
        "<stream>:4 @ period: outcome falls is measured monthly, but this period is FY2024/25 Q1",
        (
            f"<stream>:5 @ period: a future period: 2099-01 starts after today "
            f"({dt.date.today().isoformat()})"
        ),
        (
            "<stream>:6 @ value: the value does not agree with the numerator and denominator; "
            "expected 89.5 % (179 / 200), found 50"
        ),
        (
            "<stream>:7 @ period: '2024-06-30' is ambiguous: it could be FY2024/25 (2024-04-01 to "
            "2025-03-31) or the year 2024 (2024-01-01 to 2024-12-31); for an annual measure give "
            "the first or last day of the year, or write FY2023/24"
        ),
    ]


def test_an_unknown_outcome_is_reported_but_its_rows_kept_for_the_evaluation() -> None:
    obs, found = lenient(HEADER + "nope,2024-04,1,%,,,\n4h,2024-04,77,%,,,\n")
    assert found == []  # the evaluation lists unknown ids itself
    assert obs.problems[0].message == "no outcome 'nope' in the strategy"
    assert stratkit.evaluate(strategy(), obs, as_of=AS_OF).unknown_outcome_ids == ("nope",)


def test_a_bad_row_never_stops_the_other_outcomes() -> None:
    obs, found = lenient(HEADER + "4h,2024-04,77,count,,,\nfalls,2024-04,12,incident,,,\n")
    assert found == [
        (
            "<stream>:2 @ unit: outcome 4h is measured in '%': cannot convert 'count' to '%': "
            "different dimensions, found 'count'"
        )
    ]
    ev = stratkit.evaluate(strategy(), obs, as_of=AS_OF)
    assert ev["falls"].latest_value == 12
    assert ev["4h"].status.value == "no_data"


def test_blank_units_are_the_measures_and_counts_give_the_value() -> None:
    obs, found = lenient(
        "outcome_id,period,numerator,denominator\n4h,2024-04,179,200\nfalls,2024-04,,\n".replace(
            "falls,2024-04,,", "4h,2024-05,180,200"
        )
    )
    assert found == []
    assert obs.unit.tolist() == ["%", "%"]
    assert obs.value.tolist() == [89.5, 90.0]


def test_a_percentage_converts_into_the_measures_unit() -> None:
    frac = stratkit.loads(
        STRATEGY_YAML.replace('unit: "%", range: [0 %, 100 %]', "unit: fraction").replace(
            "value: 95 %", "value: 0.95 fraction"
        )
    )
    obs = read_observations(io.StringIO(HEADER + "4h,2024-04,77.4%,,,,\n"), strategy=frac)
    assert obs.unit.tolist() == [frac.outcome("4h").measure.unit_text]  # type: ignore[union-attr]
    assert obs.value.tolist() == pytest.approx([0.774])


def test_text_dates_are_read_as_the_period_of_the_measures_frequency() -> None:
    obs, found = lenient(HEADER + "4h,15/05/2024,77,%,,,\nsurvey,31/03/2024,6.9,score,,,\n")
    assert found == []
    assert [(str(a), str(b)) for a, b in zip(obs.start, obs.end, strict=True)] == [
        ("2024-05-01", "2024-05-31"),
        ("2023-04-01", "2024-03-31"),
    ]


def test_check_observations_read_earlier(tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", HEADER + "4h,2024-04,77,,,,\n4h,2024-05,7,hour,,,\n")
    obs = read_observations(path)  # no strategy: the blank unit stays blank
    assert obs.unit.tolist() == ["", "hour"]
    with pytest.raises(ObservationsError) as info:
        stratkit.io.observations.check_observations(obs, strategy(), strict=True)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 3, "unit")


# --- duplicates ------------------------------------------------------------------------


def test_duplicates_in_one_file_name_every_line() -> None:
    text = HEADER + "4h,2024-04,77,%,,,\nfalls,2024-04,3,incident,,,\n4h,Apr-24,78,%,,,\n"
    text += "4h,01/04/2024,79,%,,,\n"
    assert problems(text) == [
        (
            "<stream>:5 @ period: 3 values for outcome 4h, period 2024-04 (<stream>:2: 77; "
            "<stream>:4: 78; <stream>:5: 79) (keep one, or choose a rule: duplicates='first', "
            "'last', 'mean' or 'sum' (--duplicates on the command line))"
        )
    ]


@pytest.mark.parametrize(
    ("rule", "value", "numerator", "denominator", "note"),
    [
        ("first", 77.0, 77.0, 100.0, "a"),
        ("last", 78.0, 78.0, 100.0, "b"),
        ("mean", 77.5, 77.5, 100.0, "a; b"),
        ("sum", 77.5, 155.0, 200.0, "a; b"),
    ],
)
def test_duplicates_combined_by_a_stated_rule(
    rule: str, value: float, numerator: float, denominator: float, note: str
) -> None:
    text = HEADER + "4h,2024-04,77,%,77,100,a\n4h,2024-04,78,%,78,100,b\n"
    obs, found = lenient(text, duplicates=rule)
    assert found == []
    assert obs.value.tolist() == [value]
    assert obs.numerator.tolist() == [numerator]
    assert obs.denominator.tolist() == [denominator]
    assert obs.note.tolist() == [note]


@pytest.mark.parametrize("rule", ["mean", "sum"])
def test_a_rate_combined_is_the_rate_of_the_combined_counts(rule: str) -> None:
    # 77/100 and 80/200: adding 77 % and 40 % would mean nothing, and their average
    # (58.5 %) would weigh 100 patients like 200; the rate of the counts is 157/300
    text = HEADER + "4h,2024-04,77,%,77,100,\n4h,2024-04,40,%,80,200,\n"
    obs, found = lenient(text, duplicates=rule)
    assert found == []
    n = 2 if rule == "mean" else 1
    assert (obs.numerator[0], obs.denominator[0]) == (157 / n, 300 / n)
    assert obs.value[0] == pytest.approx(100 * 157 / 300)
    assert obs.value[0] == pytest.approx(100 * obs.numerator[0] / obs.denominator[0])


@pytest.mark.parametrize("rule", ["mean", "sum"])
def test_counts_on_some_rows_only_are_dropped_not_half_combined(rule: str) -> None:
    text = HEADER + "4h,2024-04,30,%,30,100,\n4h,2024-04,41,%,,,\n"
    obs, found = lenient(text, duplicates=rule)
    assert found == []
    assert obs.value.tolist() == [35.5 if rule == "mean" else 71.0]
    assert np.isnan(obs.numerator[0])
    assert np.isnan(obs.denominator[0])


def test_counts_add_up_with_sum() -> None:
    obs, _ = lenient(
        HEADER + "falls,2024-04,3,incident,,,\nfalls,2024-04,4,incident,,,\n", duplicates="sum"
    )
    assert obs.value.tolist() == [7.0]
    with pytest.raises(ValueError, match="duplicates='median': expected one of 'error', "):
        read_observations(io.StringIO(HEADER), duplicates="median")


def test_a_sum_outside_the_measure_s_range_is_a_problem_naming_the_rows() -> None:
    text = HEADER + "4h,2024-04,77,%,,,\n4h,2024-04,78,%,,,\n4h,2024-05,70,%,,,\n"
    text += "4h,2024-05,20,%,,,\n"
    obs, found = lenient(text, duplicates="sum")
    assert obs.value.tolist() == [90.0]  # May's sum is within 0 to 100 %
    assert found == [
        (
            "<stream>:2 @ value: outside the range of outcome 4h's measure, once its 2 values "
            "are combined by sum (<stream>:2: 77; <stream>:3: 78); expected 0 to 100 %, found 155"
        )
    ]
    obs, found = lenient(text, duplicates="mean")  # a mean never leaves the range
    assert (obs.value.tolist(), found) == ([77.5, 45.0], [])


def test_values_in_different_units_are_not_combined_without_the_strategy() -> None:
    text = "outcome_id,period,value,unit\n4h,2024-04,77,%\n4h,2024-04,0.78,ratio\n"
    with pytest.warns(ObservationsWarning) as caught:
        obs = read_observations(io.StringIO(text), duplicates="mean")
    assert len(obs) == 0
    (problem,) = caught[0].message.problems
    assert (problem.line, problem.path) == (3, "period")
    assert "2 values for outcome 4h, period 2024-04 in different units" in problem.message
    assert "<stream>:2: 77 %; <stream>:3: 0.78 ratio" in problem.message
    # with the strategy, both are converted to the measure's % first: then they combine
    obs, found = lenient(text, duplicates="mean")
    assert found == []
    assert obs.value.tolist() == [pytest.approx(77.5)]
    assert obs.unit.tolist() == ["%"]


def test_the_same_period_for_two_entities_is_not_a_duplicate() -> None:
    text = "outcome_id,period,value,org\n4h,2024-04,77,RA7\n4h,2024-04,81,R1H\n"
    obs, found = lenient(text)
    assert found == []
    assert obs.entities() == ("RA7", "R1H")
    found = problems(text + "4h,2024-04,80,RA7\n")
    assert found[0].startswith("<stream>:4 @ period: 2 values for outcome 4h for RA7, period")


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(1, 10_000)).map(
            lambda nd: (min(nd), max(nd))  # numerator <= denominator: a share in 0-100 %
        ),
        min_size=2,
        max_size=5,
    ),
    rule=st.sampled_from(["mean", "sum"]),
    with_values=st.booleans(),
)
def test_a_combined_rate_always_agrees_with_its_combined_counts(
    counts: list[tuple[int, int]], rule: str, with_values: bool
) -> None:
    rows = "".join(
        f"4h,2024-04,{100 * n / d if with_values else ''},%,{n},{d},\n" for n, d in counts
    )
    obs, found = lenient(HEADER + rows, duplicates=rule)
    assert found == []
    assert len(obs) == 1
    numerators, denominators = zip(*counts, strict=True)
    k = len(counts) if rule == "mean" else 1
    assert obs.numerator[0] == pytest.approx(sum(numerators) / k)
    assert obs.denominator[0] == pytest.approx(sum(denominators) / k)
    assert obs.value[0] == pytest.approx(100 * obs.numerator[0] / obs.denominator[0])
    assert obs.value[0] == pytest.approx(100 * sum(numerators) / sum(denominators))
