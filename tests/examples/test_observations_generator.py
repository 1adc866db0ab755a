"""The KMPT example's illustrative observations and the script that makes them."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import stratkit
from stratkit.io import parse_period, read_observations
from stratkit.model import Observations, Strategy

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "kmpt_2023_26"
SCRIPT = FOLDER / "generate_observations.py"
CSV = FOLDER / "observations_illustrative.csv"
SIDECAR = FOLDER / "observations_illustrative.md"
SURVEY_IDS = {"2.1.1", "2.1.2", "2.1.6", "2.1.7", "2.1.8", "2.3.4"}


def _run(out: Path) -> bytes:
    subprocess.run(
        [sys.executable, str(SCRIPT), str(out)], check=True, capture_output=True, timeout=120
    )
    return out.read_bytes()


@pytest.fixture(scope="module")
def strategy() -> Strategy:
    return stratkit.load(FOLDER)


@pytest.fixture(scope="module")
def observations() -> Observations:
    return read_observations(CSV)


def _ids(observations: Observations) -> list[str]:
    return sorted(set(observations.outcome_id.tolist()))


def test_generator_is_deterministic_and_matches_the_committed_file(tmp_path: Path) -> None:
    first = _run(tmp_path / "a.csv")
    second = _run(tmp_path / "b.csv")
    assert first == second
    assert first == CSV.read_bytes(), (
        "observations_illustrative.csv is stale: run "
        "`python examples/kmpt_2023_26/generate_observations.py`"
    )


def test_labelled_illustrative_everywhere(observations: Observations) -> None:
    assert observations.illustrative is True
    first_line = CSV.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# illustrative:")
    assert "illustrative" in CSV.name
    sidecar = SIDECAR.read_text(encoding="utf-8")
    assert "illustrative" in sidecar.lower()
    assert "not KMPT's real performance" in sidecar


def test_every_value_converts_to_its_measures_unit(
    strategy: Strategy, observations: Observations
) -> None:
    for oid in _ids(observations):
        measure = strategy.outcome(oid).measure
        assert measure is not None, oid
        series = observations.series(oid, measure.unit)
        assert len(series) > 0
        assert np.isfinite(series.values).all()


def test_rows_are_at_each_measures_natural_frequency(
    strategy: Strategy, observations: Observations
) -> None:
    days = {"monthly": (28, 31), "quarterly": (90, 92), "annual": (365, 366)}
    for oid in _ids(observations):
        measure = strategy.outcome(oid).measure
        assert measure is not None
        assert measure.frequency is not None
        low, high = days[measure.frequency.value]
        series = observations.series(oid, measure.unit)
        spans = (series.end - series.start).astype(int) + 1
        assert ((spans >= low) & (spans <= high)).all(), oid


def test_covers_april_2023_to_march_2025(strategy: Strategy, observations: Observations) -> None:
    first, last = parse_period("2023-04")[0], parse_period("2025-03")[1]
    for oid in _ids(observations):
        measure = strategy.outcome(oid).measure
        assert measure is not None
        series = observations.series(oid, measure.unit)
        assert series.start.min() <= np.datetime64(first), oid
        # the NHS Staff Survey is labelled by survey year: the 2024 survey,
        # published in March 2025, is the latest by then
        latest = dt.date(2024, 12, 31) if oid in SURVEY_IDS else last
        assert series.end.max() >= np.datetime64(latest), oid
        if measure.frequency is not None and measure.frequency.value == "monthly":
            assert series.start.min() == np.datetime64(first)
            assert series.end.max() == np.datetime64(last)


def test_staff_survey_series_start_from_the_texts_baselines(
    strategy: Strategy, observations: Observations
) -> None:
    for oid in SURVEY_IDS:
        target = strategy.outcome(oid).target
        assert target is not None
        assert target.baseline_value is not None
        series = observations.series(oid, "score")
        assert [str(d) for d in series.start] == ["2023-01-01", "2024-01-01"]
        assert abs(series.values[0] - float(target.baseline_value.magnitude)) <= 0.2, oid


def test_a_realistic_mix_of_states(strategy: Strategy, observations: Observations) -> None:
    ids = set(_ids(observations))
    measured = {o.id for o in strategy.outcomes() if o.measure is not None}
    # some measured outcomes have no data at all
    assert measured - ids >= {"2.3.3", "3.3.3", "4.1.1", "4.2.1", "6.1.1", "6.2.1"}
    # monthly series long enough for SPC icons, some with months missing
    monthly = {
        oid: len(observations.series(oid, strategy.outcome(oid).measure.unit))  # type: ignore[union-attr]
        for oid in ids
        if strategy.outcome(oid).measure.frequency.value == "monthly"
    }  # type: ignore[union-attr]
    assert sum(n == 24 for n in monthly.values()) >= 15
    assert {oid for oid, n in monthly.items() if n < 24} >= {"1.1.4", "1.2.1", "3.1.1"}
    assert all(n >= 15 for n in monthly.values())

    def latest(oid: str) -> float:
        measure = strategy.outcome(oid).measure
        assert measure is not None
        return float(observations.series(oid, measure.unit).values[-1])

    assert latest("2.2.2") <= 3.7  # achieved
    assert latest("3.1.2") >= 85  # achieved
    assert latest("2.1.7") >= 6.9  # achieved (survey)
    assert latest("1.1.1") < 90  # off track
    assert latest("3.2.3") > 90  # off track
    assert latest("2.1.2") < 5.2  # off track: moving the wrong way from the baseline
    assert 14 < latest("2.2.1") < 15.5  # on track to 14 % by March 2026


def test_special_cause_variation_where_designed(
    strategy: Strategy, observations: Observations
) -> None:
    from stratkit.spc import spc

    expected = {
        "1.1.2": "improvement",
        "1.1.3": "concern",
        "1.2.4": "improvement",
        "2.1.5": "concern",
    }
    for oid, kind in expected.items():
        outcome = strategy.outcome(oid)
        assert outcome.measure is not None
        assert outcome.direction is not None
        series = observations.series(oid, outcome.measure.unit)
        result = spc(series.values, series.end, improvement_direction=outcome.direction.value)
        assert f"special_cause_{kind}" in set(result.point_type.tolist()), oid


def test_common_cause_where_designed(strategy: Strategy, observations: Observations) -> None:
    from stratkit.spc import spc

    outcome = strategy.outcome("1.1.1")
    series = observations.series("1.1.1", "%")
    result = spc(series.values, series.end, improvement_direction="increase", target=95.0)
    assert set(result.point_type.tolist()) == {"common_cause"}
    assert outcome.target is not None
    assert result.assurance_icon is not None
    assert str(
        result.assurance_icon.value
        if hasattr(result.assurance_icon, "value")
        else result.assurance_icon
    ).endswith("fail")


def test_percentages_agree_with_their_counts(observations: Observations) -> None:
    has = ~np.isnan(observations.denominator)
    assert has.sum() > 100
    share = 100 * observations.numerator[has] / observations.denominator[has]
    assert np.allclose(share, observations.value[has], atol=0.05)


def test_the_sidecars_account_of_the_evaluation_is_true(strategy: Strategy) -> None:
    # observations_illustrative.md states how the 72 outcomes come out as at
    # 31 March 2025; a change to the data or to the evaluator must update it.
    import re
    from collections import Counter

    from stratkit.evaluation import evaluate

    sidecar = " ".join(SIDECAR.read_text(encoding="utf-8").split())
    found = re.search(
        r"come out as (\d+) achieved, (\d+) on track, (\d+) at risk, (\d+) off track, "
        r"(\d+) with no data and (\d+) not measurable",
        sidecar,
    )
    assert found, "the sidecar no longer states the evaluated counts"
    stated = dict(
        zip(
            ("achieved", "on_track", "at_risk", "off_track", "no_data", "not_measurable"),
            (int(n) for n in found.groups()),
            strict=True,
        )
    )
    ev = evaluate(strategy, read_observations(CSV), as_of=dt.date(2025, 3, 31))
    counts = Counter(r.status.value for r in ev)
    assert dict(counts) == stated
    by_id = {r.outcome_id: r for r in ev}
    milestones = [
        o.id for o in strategy.outcomes() if o.target and o.target.kind.value == "milestone"
    ]
    assert len(milestones) == 11
    assert {by_id[oid].status.value for oid in milestones} == {"no_data"}
    assert by_id["5.2.3"].status.value == "off_track"  # 590 t is not 95 % of 610 t
    for oid in ("2.3.3", "3.3.3", "4.2.1", "6.2.1"):
        assert by_id[oid].status.value == "no_data", oid


def test_the_sidecars_claims_about_single_series_are_true(
    strategy: Strategy, observations: Observations
) -> None:
    from stratkit.spc import spc

    agency = observations.series("2.2.2", "%")
    over = [
        str(d)[:7]
        for d, v in zip(agency.start, agency.values, strict=True)
        if v > 3.7 and str(d) >= "2024-10-01"
    ]
    assert over == ["2024-11"]  # "below 3.7% in October 2024 and every month since December"
    violence = observations.series("1.2.4", "incident / thousand_bed_day")
    result = spc(violence.values, violence.end, improvement_direction="decrease")
    points = result.point_type.tolist()
    assert points[12:22] == ["special_cause_improvement"] * 10  # April 2024 to January 2025
    assert points[-1] == "common_cause"  # the latest point's icon, as the sidecar says
