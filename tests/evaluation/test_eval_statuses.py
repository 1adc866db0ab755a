"""Statuses decided for each kind of target, with the arithmetic written out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from eval_builders import AS_OF, monthly, outcome, strategy, vacancy_target

from stratkit.errors import DimensionalityError
from stratkit.evaluation import Policy, Status, evaluate
from stratkit.evaluation.status import CODES, RAG, WORST_FIRST, worst
from stratkit.model import Baseline, Benchmark, InterimTarget, Observations, Outcome, Target

LATEST = Policy(achievement="latest")


def _vacancy(latest: float, policy: Policy = LATEST, **kw: object) -> object:
    s = strategy(outcome("2.2.1", vacancy_target(**kw)))
    # 23 months flat at 15.5 %, then the latest month (Feb 2025... Mar 2025); judged
    # with the latest value alone (the trajectory arithmetic, not sustained achievement)
    obs = monthly({"2.2.1": [15.5] * 23 + [latest]})
    return evaluate(s, obs, as_of=AS_OF, policy=policy)["2.2.1"]


# Baseline 16 % on 2023-03-31, target 14 % on 2026-03-31, linear.
# As of 2025-03-31: 731 of 1096 days elapsed, so the trajectory expects
# 16 - 2 * 731 / 1096 = 14.6661 %; the tolerance is 10 % of the 2 pp distance = 0.2 pp.
EXPECTED = 16 - 2 * 731 / 1096


@pytest.mark.parametrize(
    ("latest", "status", "code"),
    [
        (13.9, Status.ACHIEVED, "SK100"),  # at or below 14 %
        (14.0, Status.ACHIEVED, "SK100"),  # exactly the target counts as met
        (14.5, Status.ON_TRACK, "SK110"),  # 14.5 <= 14.666 (ahead of trajectory)
        (14.8, Status.AT_RISK, "SK120"),  # behind by 0.134 pp <= 0.2 pp
        (15.2, Status.OFF_TRACK, "SK130"),  # behind by 0.534 pp > 0.2 pp
    ],
)
def test_level_target_against_trajectory(latest: float, status: Status, code: str) -> None:
    r = _vacancy(latest)
    assert r.status is status
    assert r.code == code
    assert r.expected == pytest.approx(EXPECTED)
    assert r.deviation == pytest.approx(EXPECTED - latest)  # lower is better: expected - latest
    assert r.gap == pytest.approx(14 - latest)
    assert r.progress == pytest.approx((latest - 16) / (14 - 16))
    assert r.tolerance == pytest.approx(0.2)
    assert r.latest_start == dt.date(2025, 3, 1)
    assert r.latest_end == dt.date(2025, 3, 31)
    assert r.rag is status.rag


def test_reason_names_numbers_units_and_period() -> None:
    r = _vacancy(15.2)
    assert r.reason == (
        "Vacancy rate: 15.2 % (Mar 2025) is above the 14 % target and behind the "
        "trajectory, which expected 14.67 % for Mar 2025: beyond the tolerance of 0.2 pp, "
        "10 % of the distance from the baseline to the target. The SPC chart tells a "
        "different story: its chart shows special-cause improvement."
    )
    assert r.spc_conflict == "its chart shows special-cause improvement"


def test_interim_targets_shape_the_trajectory() -> None:
    # Year targets: 15.5 % by 2024-03-31, 14.5 % by 2025-03-31: expected is exactly 14.5 %.
    interim = (
        InterimTarget(date="2024-03-31", value="15.5 %"),
        InterimTarget(date="2025-03-31", value="14.5 %"),
    )
    r = _vacancy(14.6, interim=interim)
    assert r.expected == pytest.approx(14.5)
    assert r.status is Status.AT_RISK  # 0.1 pp behind, tolerance 0.2 pp
    assert r.trajectory is not None
    assert len(r.trajectory.values) == 4


def test_step_trajectory_holds_the_year_end_value() -> None:
    # Step: year ends 2024-03-31 and 2025-03-31 carry the straight line's values,
    # 16 - 2 * 366/1096 and 16 - 2 * 731/1096; as of 2025-03-31 the second is due.
    r = _vacancy(15.0, trajectory="step")
    assert r.expected == pytest.approx(16 - 2 * 731 / 1096)
    s = strategy(outcome("2.2.1", vacancy_target(trajectory="step")))
    obs = monthly({"2.2.1": [15.5] * 24})
    mid = evaluate(s, obs, as_of=dt.date(2024, 9, 30))["2.2.1"]
    assert mid.expected == pytest.approx(16 - 2 * 366 / 1096)


def test_deadline_passed_and_missed_is_off_track_even_with_later_data() -> None:
    target = vacancy_target(deadline="2024-09-30")
    s = strategy(outcome("2.2.1", target))
    # data continue after the deadline; the latest (Mar 2025) is 14.2 %: missed.
    obs = monthly({"2.2.1": [15.0] * 23 + [14.2]})
    r = evaluate(s, obs, as_of=AS_OF)["2.2.1"]
    assert r.status is Status.OFF_TRACK
    assert r.code == "SK131"
    assert r.forecast is None  # nothing left to forecast
    met = evaluate(s, monthly({"2.2.1": [15.0] * 23 + [13.9]}), as_of=AS_OF, policy=LATEST)
    assert met["2.2.1"].status is Status.ACHIEVED


def test_observations_after_as_of_are_ignored() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [15.5] * 24 + [13.0] * 6})  # Apr 2025 onwards: 13 %
    r = evaluate(s, obs, as_of=AS_OF)["2.2.1"]
    assert r.latest_value == pytest.approx(15.5)
    assert r.n_points == 24


def test_no_observations_is_no_data() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    for obs in (None, monthly({})):
        r = evaluate(s, obs, as_of=AS_OF)["2.2.1"]
        assert r.status is Status.NO_DATA
        assert r.code == "SK200"
        assert r.latest_value is None
        assert r.series is None
        assert "31 Mar 2025" in r.reason


def test_one_observation_is_judged_without_a_forecast() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [14.5]}, first="2025-03")
    r = evaluate(s, obs, as_of=AS_OF)["2.2.1"]
    assert r.status is Status.ON_TRACK
    assert r.n_points == 1
    assert r.forecast is None
    assert r.spc is None
    assert "1 point" in (r.spc_note or "")


def test_all_equal_values() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    r = evaluate(s, monthly({"2.2.1": [15.0] * 24}), as_of=AS_OF)["2.2.1"]
    assert r.status is Status.OFF_TRACK  # 15.0 vs 14.67 expected: 0.33 pp behind
    assert r.forecast is not None
    assert r.forecast.value == pytest.approx(15.0)
    assert r.forecast.low == pytest.approx(15.0)  # no scatter: a zero-width interval
    assert r.forecast.verdict.value == "unlikely"
    assert r.forecast.slope_per_year == pytest.approx(0.0)
    chart = r.spc
    assert chart is not None
    assert len(chart.values) == 24


def test_baseline_of_zero_with_a_relative_target() -> None:
    # "reduce by 15 %" from 0 incidents: 0 * 0.85 = 0, the trajectory is flat at 0.
    t = Target.reduce_by("15 %", deadline="2026-03-31", baseline=Baseline(value="0 incident"))
    s = strategy(outcome("x", t, unit="incident", name="Incidents"))
    zero = evaluate(s, monthly({"x": [0.0] * 24}, unit="incident"), as_of=AS_OF)["x"]
    assert zero.status is Status.ACHIEVED
    assert zero.target_value == 0.0
    assert zero.progress is None  # no distance to travel: progress is undefined
    some = evaluate(s, monthly({"x": [0.0] * 23 + [2.0]}, unit="incident"), as_of=AS_OF)["x"]
    assert some.status is Status.OFF_TRACK  # tolerance is 10 % of a zero distance
    assert some.gap == pytest.approx(-2.0)


def test_target_already_met_at_baseline() -> None:
    # "in line with the national average (15 %)", lower is better, baseline already 12 %.
    t = Target(
        kind="benchmark",
        direction="decrease",
        benchmark=Benchmark(name="national average", value="15 %"),
        baseline=Baseline(value="12 %", date="2023-03-31"),
        deadline="2026-03-31",
    )
    s = strategy(outcome("b", t, name="Racist V&A share"))
    r = evaluate(s, monthly({"b": [12.5] * 24}), as_of=AS_OF)["b"]
    assert r.status is Status.ACHIEVED
    assert r.gap == pytest.approx(2.5)
    assert r.progress == pytest.approx((12.5 - 12) / (15 - 12))


def test_benchmark_without_value_is_not_measurable() -> None:
    t = Target(kind="benchmark", direction="decrease", benchmark=Benchmark(name="national"))
    s = strategy(outcome("b", t))
    r = evaluate(s, monthly({"b": [12.0] * 3}), as_of=AS_OF)["b"]
    assert r.status is Status.NOT_MEASURABLE
    assert r.code == "SK303"


def test_relative_target_without_baseline_is_not_measurable_and_says_so() -> None:
    t = Target.reduce_by("15 %", deadline="2026-03-31")
    s = strategy(outcome("v", t, unit="incident", name="V&A"))
    r = evaluate(s, monthly({"v": [40.0] * 24}, unit="incident"), as_of=AS_OF)["v"]
    assert r.status is Status.NOT_MEASURABLE
    assert r.code == "SK302"
    assert "no baseline" in r.reason
    assert r.latest_value == pytest.approx(40.0)  # the data are still shown
    assert r.rag is RAG.GREY


def test_level_target_without_baseline_is_judged_against_the_target() -> None:
    t = Target.level("95 %", direction="increase", deadline="2026-03-31")
    s = strategy(outcome("t", t, name="Triage within 1 hour"))
    # too few points for a forecast (5 < 6): the distance from the target decides;
    # with no baseline the tolerance is one standard deviation of the process: the
    # mean moving range (2 + 3 + 4 + 2) / 4 = 2.75 pp over 1.128 = 2.438 pp
    recent = "2024-11"
    near = evaluate(s, monthly({"t": [93.0, 95, 92, 96, 94]}, first=recent), as_of=AS_OF)["t"]
    assert near.forecast is None
    assert near.tolerance == pytest.approx(2.75 / 1.128, rel=1e-3)
    assert (near.status, near.code) == (Status.AT_RISK, "SK124")  # 1 pp short
    assert "within the tolerance of 2.44 pp, one standard deviation of the process" in (
        near.reason
    )
    far = evaluate(s, monthly({"t": [85.0] * 5}, first=recent), as_of=AS_OF)["t"]
    assert (far.status, far.code) == (Status.OFF_TRACK, "SK135")
    assert far.tolerance == 0.0  # a constant process has no noise to allow
    single = evaluate(s, monthly({"t": [94.9]}, first="2025-03"), as_of=AS_OF)["t"]
    assert (single.status, single.code) == (Status.OFF_TRACK, "SK135")
    assert single.tolerance is None
    assert "a single value there is no measure of its variation" in single.reason
    assert near.expected is None
    assert near.trajectory is None
    # with a forecast, it decides when it is clear either way
    flat = evaluate(s, monthly({"t": [90.0] * 24}), as_of=AS_OF)["t"]
    assert (flat.status, flat.code) == (Status.OFF_TRACK, "SK136")
    rising = evaluate(s, monthly({"t": [70.0 + k for k in range(24)]}), as_of=AS_OF)["t"]
    assert rising.latest_value == 93.0
    assert (rising.status, rising.code) == (Status.ON_TRACK, "SK114")
    noisy = [91.0 + (-5.0 if k % 2 else 5.0) for k in range(24)]  # ends on 86 %
    straddles = evaluate(s, monthly({"t": noisy}), as_of=AS_OF)["t"]
    assert straddles.forecast is not None
    assert straddles.forecast.verdict.value == "uncertain"
    assert straddles.forecast.low < 95 < straddles.forecast.high
    # 9 pp short; one standard deviation is 10 / 1.128 = 8.87 pp: beyond it
    assert straddles.tolerance == pytest.approx(10 / 1.128, rel=1e-3)
    assert (straddles.status, straddles.code) == (Status.OFF_TRACK, "SK135")
    closer = evaluate(s, monthly({"t": [n + 1 for n in noisy]}), as_of=AS_OF)["t"]
    assert (closer.status, closer.code) == (Status.AT_RISK, "SK124")  # 8 pp short


def test_compounding_annual_rate() -> None:
    # 100 t on 2023-04-01, -5 % a year: 95 t on 2024-04-01, 90.25 t on 2025-04-01. The
    # latest value (Mar 2025) is compared with the line on 31 March 2025, 365 of the
    # 365 days into the second year: 95 * 0.95 ** (364 / 365).
    t = Target.every_year(
        "-5 %", deadline="2026-04-01", baseline=Baseline(value="100 t", date="2023-04-01")
    )
    s = strategy(outcome("w", t, unit="t", name="Waste"))
    obs = monthly({"w": [95.0] * 23 + [90.0]}, unit="t")
    r = evaluate(s, obs, as_of=dt.date(2025, 4, 1))["w"]
    assert r.expected == pytest.approx(95 * 0.95 ** (364 / 365))
    assert r.target_value == pytest.approx(100 * 0.95**3)
    assert r.status is Status.ON_TRACK


def test_deadline_beyond_the_strategy_is_judged_on_the_trajectory() -> None:
    # "reduce carbon by 80 % by 2035" from 1000 t at 2020-03-31: target 200 t.
    # As of 2025-03-31: 1826 of 5478 days: expected 1000 - 800 * 1826 / 5478 = 733.3 t.
    t = Target.reduce_by(
        "80 %", deadline="2035-03-31", baseline=Baseline(value="1000 t", date="2020-03-31")
    )
    s = strategy(outcome("c", t, unit="t", name="Carbon"))
    r = evaluate(s, monthly({"c": [720.0] * 24}, unit="t"), as_of=AS_OF)["c"]
    assert r.expected == pytest.approx(1000 - 800 * 1826 / 5478)
    assert r.status is Status.ON_TRACK
    assert r.target_value == pytest.approx(200.0)


def test_towards_target_with_band() -> None:
    t = Target.level(
        "50 %",
        direction="towards",
        band=("45 %", "55 %"),
        deadline="2026-03-31",
        baseline=Baseline(value="70 %", date="2023-03-31"),
    )
    s = strategy(outcome("p", t, name="Share"))
    inside = evaluate(s, monthly({"p": [54.0] * 24}), as_of=AS_OF)["p"]
    assert inside.status is Status.ACHIEVED
    # 60 % is 5 pp outside the band; the trajectory expects 70 - 20 * 731/1096 = 56.66 %,
    # 1.66 pp outside: 3.34 pp behind, tolerance 10 % of 15 pp = 1.5 pp -> off track.
    out = evaluate(s, monthly({"p": [60.0] * 24}), as_of=AS_OF)["p"]
    assert out.gap == pytest.approx(-5.0)
    assert out.status is Status.OFF_TRACK
    mirrored = evaluate(s, monthly({"p": [40.0] * 24}), as_of=AS_OF)["p"]
    assert mirrored.gap == pytest.approx(-5.0)


def test_direction_only_is_judged_as_a_trend_never_achieved() -> None:
    t = Target(kind="direction_only", direction="increase")
    s = strategy(outcome("m", t, unit="patient", name="Patients"))
    rising = evaluate(s, monthly({"m": np.arange(24.0)}, unit="patient"), as_of=AS_OF)["m"]
    assert (rising.status, rising.code) == (Status.ON_TRACK, "SK111")
    falling = evaluate(s, monthly({"m": -np.arange(24.0)}, unit="patient"), as_of=AS_OF)["m"]
    assert (falling.status, falling.code) == (Status.OFF_TRACK, "SK132")
    flat = evaluate(s, monthly({"m": [5.0] * 24}, unit="patient"), as_of=AS_OF)["m"]
    assert flat.status is Status.AT_RISK
    few = evaluate(s, monthly({"m": [1.0, 2.0]}, unit="patient"), as_of=AS_OF)["m"]
    assert (few.status, few.code) == (Status.NO_DATA, "SK201")
    # 1 patient a month is 12 a year
    assert rising.forecast is not None
    assert rising.forecast.slope_per_year == pytest.approx(365.25 * 12 / 365.25, rel=0.05)


def test_recurring_threshold_per_period() -> None:
    t = Target.recurring("0 GBPm", every="annual", direction="increase")
    s = strategy(outcome("5.1.1", t, unit="GBPm", frequency="annual", name="Surplus"))

    def years(values: list[float]) -> object:
        from stratkit.model import Observations

        starts = [f"{2023 + i}-04-01" for i in range(len(values))]
        ends = [f"{2024 + i}-03-31" for i in range(len(values))]
        obs = Observations.from_columns(
            outcome_id=["5.1.1"] * len(values),
            start=starts,
            end=ends,
            value=values,
            unit="GBPm",
        )
        return evaluate(s, obs, as_of=AS_OF)["5.1.1"]

    assert years([0.5, 0.2]).code == "SK113"  # met in both complete years so far
    assert years([-0.5, 0.2]).code == "SK123"  # latest met, an earlier one missed
    assert years([0.5, -0.2]).code == "SK134"  # latest missed
    assert years([]).code == "SK202"
    r = years([0.5, -0.2])
    assert r.gap == pytest.approx(-0.2)
    assert "FY2024/25" in r.reason
    assert "at least £0m every year" in r.reason


def test_recurring_threshold_names_its_period_in_words() -> None:
    t = Target.recurring("0 placement", every="monthly", direction="decrease")
    s = strategy(outcome("p", t, unit="placement", name="Placements"))
    r = evaluate(s, monthly({"p": [0.0] * 5 + [1.0]}, unit="placement"), as_of=AS_OF)["p"]
    assert r.code == "SK134"
    assert "misses the target of at most 0 placements every month" in r.reason


def test_milestones() -> None:
    def judge(*ms: dict[str, str]) -> object:
        o = Outcome(id="m", statement="Ruby ward", target=Target.with_milestones(ms))
        return evaluate(strategy(o), None, as_of=AS_OF)["m"]

    assert judge({"name": "a", "due": "2024-12-31", "status": "done"}).code == "SK101"
    assert judge({"name": "a", "due": "2024-12-31", "status": "in_progress"}).code == "SK133"
    assert judge({"name": "a", "due": "2025-05-31", "status": "not_started"}).code == "SK122"
    assert judge({"name": "a", "due": "2025-12-31", "status": "not_started"}).code == "SK112"
    r = judge(
        {"name": "a", "due": "2024-12-31", "status": "done"},
        {"name": "b", "due": "2025-12-31", "status": "in_progress"},
    )
    assert (r.status, r.progress) == (Status.ON_TRACK, 0.5)


def test_milestones_whose_progress_is_not_reported_are_no_data_not_on_track() -> None:
    def judge(*ms: dict[str, str]) -> object:
        o = Outcome(id="m", statement="Ruby ward", target=Target.with_milestones(ms))
        return evaluate(strategy(o), None, as_of=AS_OF)["m"]

    # the default status is "unknown": nothing is invented about progress
    r = judge({"name": "Ruby Ward build complete", "due": "2025-12-31"})
    assert (r.status, r.code) == (Status.NO_DATA, "SK203")
    assert "progress on 'Ruby Ward build complete' (due 31 Dec 2025) is not reported" in r.reason
    # past its due date, an unreported milestone is still no data, not overdue
    assert judge({"name": "a", "due": "2024-12-31"}).code == "SK203"
    # a reported problem outranks missing reports (off track > at risk > no data)
    overdue = {"name": "b", "due": "2024-12-31", "status": "in_progress"}
    assert judge({"name": "a", "due": "2025-12-31"}, overdue).code == "SK133"
    late = {"name": "b", "due": "2025-05-31", "status": "not_started"}
    assert judge({"name": "a", "due": "2025-12-31"}, late).code == "SK122"
    r = judge({"name": "a"}, {"name": "b"}, {"name": "c", "status": "done"})
    assert "progress on 2 milestones (the first is 'a') is not reported" in r.reason
    assert r.progress == pytest.approx(1 / 3)


def test_unit_mismatch_names_the_outcome_and_both_units() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [3.0] * 4}, unit="hours")
    with pytest.raises(DimensionalityError) as info:
        evaluate(s, obs, as_of=AS_OF)
    message = str(info.value)
    assert "2.2.1" in message
    assert "'h'" in message
    assert "'%'" in message


def test_observations_in_another_unit_of_the_same_dimension_are_converted() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [0.152] * 24}, unit="fraction")
    r = evaluate(s, obs, as_of=AS_OF)["2.2.1"]
    assert r.latest_value == pytest.approx(15.2)
    assert r.unit == "%"


def test_unknown_outcome_ids_are_reported() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [15.0] * 3, "9.9.9": [1.0] * 3, "2.2.l": [1.0]})
    ev = evaluate(s, obs, as_of=AS_OF)
    assert ev.unknown_outcome_ids == ("9.9.9", "2.2.l")
    assert len(ev) == 1


def test_stale_data() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [15.0] * 12})  # Apr 2023 to Mar 2024
    r = evaluate(s, obs, as_of=AS_OF)["2.2.1"]
    assert r.freshness.latest_end == dt.date(2024, 3, 31)
    assert r.freshness.age_days == 365
    assert r.freshness.allowed_days == 62  # monthly (31 days) x 2 periods
    assert r.freshness.stale
    fresh = evaluate(s, monthly({"2.2.1": [15.0] * 24}), as_of=AS_OF)["2.2.1"]
    assert not fresh.freshness.stale


def test_not_measurable_without_target_or_measure() -> None:
    no_target = Outcome(id="q", statement="Our leaders have increased access to data")
    no_measure = Outcome(
        id="d", statement="Increase", target=Target(kind="direction_only", direction="increase")
    )
    ev = evaluate(strategy(no_target, no_measure), None, as_of=AS_OF)
    assert ev["q"].code == "SK301"
    assert ev["d"].code == "SK300"
    assert all(r.status is Status.NOT_MEASURABLE for r in ev)


def test_policy_is_recorded_and_changes_the_verdict() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [15.5] * 23 + [15.2]})
    strict = evaluate(s, obs, as_of=AS_OF)
    lenient = evaluate(s, obs, as_of=AS_OF, policy=Policy(at_risk_tolerance=0.5))
    assert strict["2.2.1"].status is Status.OFF_TRACK
    assert lenient["2.2.1"].status is Status.AT_RISK  # 0.534 pp behind, tolerance 1 pp
    assert lenient["2.2.1"].policy.at_risk_tolerance == 0.5
    assert lenient.policy.at_risk_tolerance == 0.5


def test_policy_options_are_checked() -> None:
    with pytest.raises(ValueError, match="forecast_method"):
        Policy(forecast_method="arima")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at_risk_tolerance"):
        Policy(at_risk_tolerance=-1)


def test_status_vocabulary() -> None:
    assert [s.value for s in WORST_FIRST] == [
        "off_track",
        "at_risk",
        "no_data",
        "not_measurable",
        "on_track",
        "achieved",
    ]
    assert Status.ON_TRACK.label == "On track"
    assert {s: s.rag.value for s in Status} == {
        Status.ACHIEVED: "green",
        Status.ON_TRACK: "green",
        Status.AT_RISK: "amber",
        Status.OFF_TRACK: "red",
        Status.NO_DATA: "grey",
        Status.NOT_MEASURABLE: "grey",
    }
    assert worst([]) is None
    assert worst([Status.ACHIEVED, Status.NOT_MEASURABLE]) is Status.NOT_MEASURABLE
    assert all(code.startswith("SK") and len(code) == 5 for code in CODES)


def test_rows_out_of_order_are_grouped_and_sorted() -> None:
    from stratkit.model import Observations

    s = strategy(outcome("a", vacancy_target()), outcome("b", vacancy_target()))
    # built directly (not with from_columns): interleaved ids, periods out of order
    obs = Observations(
        outcome_id=np.array(["a", "b", "a", "a"]),
        start=np.array(
            ["2025-03-01", "2025-01-01", "2025-01-01", "2025-02-01"], dtype="datetime64[D]"
        ),
        end=np.array(
            ["2025-03-31", "2025-01-31", "2025-01-31", "2025-02-28"], dtype="datetime64[D]"
        ),
        value=np.array([14.5, 15.0, 16.0, 15.5]),
        unit=np.array(["%"] * 4),
        numerator=np.full(4, np.nan),
        denominator=np.full(4, np.nan),
        note=np.array([""] * 4),
    )
    ev = evaluate(s, obs, as_of=AS_OF)
    assert ev["a"].n_points == 3
    assert ev["a"].latest_value == 14.5
    assert ev["a"].latest_end == dt.date(2025, 3, 31)
    assert ev["b"].n_points == 1


def test_missing_values_are_skipped() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [15.5] * 22 + [14.5, float("nan")]})  # Mar 2025 missing
    r = evaluate(s, obs, as_of=AS_OF)["2.2.1"]
    assert r.n_points == 23
    assert r.latest_value == 14.5
    assert r.latest_end == dt.date(2025, 2, 28)


def test_forecasts_stay_within_what_the_measure_can_be() -> None:
    # placements falling by 2 a month: a straight line runs below zero by the
    # deadline, but a count cannot be negative; a 0-10 score cannot pass 10
    zero = Target.eliminate(deadline="2026-03-31")
    s = strategy(
        outcome("p", zero, unit="placement", name="Placements"),
        outcome(
            "q",
            Target.level("9.9 score", direction="increase", deadline="2026-03-31"),
            unit="score",
        ),
    )
    obs = monthly(
        {"p": [48.0 - 2 * k for k in range(24)], "q": [8.0 + 0.1 * k for k in range(24)]},
        unit={"p": "placement", "q": "score"},
    )
    ev = evaluate(s, obs, as_of=AS_OF)
    p, q = ev["p"].forecast, ev["q"].forecast
    assert p is not None
    assert q is not None
    assert p.value == 0
    assert p.low == 0
    assert p.high >= 0
    assert q.high == 10
    assert q.value <= 10


def test_a_measure_range_bounds_its_forecasts() -> None:
    # a percent is unbounded by default (a relative change, an occupancy over 100 %);
    # a measure that is a share of a whole says so with its range
    target = Target.level("100 %", direction="increase", deadline="2026-03-31")
    rising = [70.0 + 1.2 * k for k in range(24)]  # 97.6 % now, the line passes 100 %
    plain = outcome("a", target, name="Trained")
    share = outcome("b", target, name="Trained", range=("0 %", "100 %"))
    ev = evaluate(strategy(plain, share), monthly({"a": rising, "b": rising}), as_of=AS_OF)
    a, b = ev["a"].forecast, ev["b"].forecast
    assert a is not None
    assert b is not None
    assert a.value > 100
    assert b.value == 100
    assert b.high == 100
    assert b.low == min(a.low, 100)


def _annual(values: dict[str, list[float]], unit: str = "t") -> Observations:
    ids, starts, ends, vals = [], [], [], []
    for oid, vs in values.items():
        for k, v in enumerate(vs):
            ids.append(oid)
            starts.append(f"{2022 + k}-04-01")
            ends.append(f"{2023 + k}-03-31")
            vals.append(v)
    return Observations.from_columns(outcome_id=ids, start=starts, end=ends, value=vals, unit=unit)


def test_every_year_rate_without_baseline_is_judged_year_on_year() -> None:
    # "reduce waste by 5 % every year", no baseline: each financial year against the
    # year before; FY2022/23 ends before the strategy, so it only serves as "before"
    t = Target.every_year("-5 %", deadline="2026-03-31")
    s = strategy(outcome("w", t, unit="t", name="Waste", frequency="annual"))

    def judge(values: list[float], as_of: dt.date = AS_OF) -> object:
        return evaluate(s, _annual({"w": values}), as_of=as_of)["w"]

    met = judge([700.0, 665.0, 630.0])  # -5 %, then -5.3 %
    assert (met.status, met.code) == (Status.ON_TRACK, "SK113")
    assert "met in 2 of 2 year-on-year comparisons so far" in met.reason
    missed = judge([700.0, 665.0, 640.0])  # 640 > 0.95 * 665 = 631.75
    assert (missed.status, missed.code) == (Status.OFF_TRACK, "SK134")
    assert missed.gap == pytest.approx(-(640 - 631.75))
    assert "needed at most 631.8 t" in missed.reason
    assert "down 3.76 % on 665 t a year before (FY2023/24)" in missed.reason
    recovered = judge([700.0, 690.0, 650.0])
    assert (recovered.status, recovered.code) == (Status.AT_RISK, "SK123")
    assert recovered.progress == pytest.approx(0.5)
    one_year = judge([700.0])
    assert (one_year.status, one_year.code) == (Status.NO_DATA, "SK204")
    # an increase target: "grow by 10 % every year"
    up = Target.every_year("10 %", deadline="2026-03-31")
    s_up = strategy(outcome("u", up, unit="person", name="Volunteers", frequency="annual"))
    r = evaluate(s_up, _annual({"u": [100.0, 111.0]}, unit="person"), as_of=AS_OF)["u"]
    assert (r.status, r.code) == (Status.ON_TRACK, "SK113")


def test_every_year_rate_compares_months_with_the_same_month_a_year_before() -> None:
    t = Target.every_year("-5 %", deadline="2026-03-31")
    s = strategy(outcome("w", t, unit="t", name="Waste"))
    values = [100.0] * 12 + [94.0] * 12  # every month of 2024/25 is 6 % below 2023/24
    r = evaluate(s, monthly({"w": values}, unit="t"), as_of=AS_OF)["w"]
    assert (r.status, r.code) == (Status.ON_TRACK, "SK113")
    assert "met in 12 of 12 year-on-year comparisons" in r.reason
