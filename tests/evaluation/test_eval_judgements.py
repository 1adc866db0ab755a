"""Judgements consistent with Making Data Count: sustained achievement, assurance, lagged
data, directions from SPC, recurring periods, tolerance from the process, clipped
forecasts, rebasing, the policy in the file and on the command line, and the reasons."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from eval_builders import AS_OF, monthly, outcome, strategy, vacancy_target
from hypothesis import given, settings
from hypothesis import strategies as st

from stratkit.errors import StrategyFileError
from stratkit.evaluation import Policy, Status, evaluate
from stratkit.evaluation.status import CODES
from stratkit.io import dumps, loads, loads_policy
from stratkit.model import Baseline, Observations, Rebase, Target

some = settings(max_examples=40, deadline=None)


def _vacancy(values: list[float], **kw: object) -> object:
    s = strategy(outcome("v", vacancy_target()))
    return evaluate(s, monthly({"v": values}, first="2023-04"), as_of=AS_OF, **kw)["v"]


# --- 1. sustained achievement, assurance and conflicts --------------------------------


def test_achieved_needs_the_latest_three_monthly_values() -> None:
    recent = [15.0] * 7  # ten months in all: too few for SPC icons, so no assurance
    assert _vacancy([*recent, 13.0, 13.5, 13.9]).code == "SK103"
    met_twice = _vacancy([*recent, 14.5, 13.9, 13.9])
    assert (met_twice.status, met_twice.code) == (Status.ON_TRACK, "SK115")
    assert "2 months in a row so far, and 3 in a row are needed" in met_twice.reason
    assert _vacancy([*recent, 14.5, 13.9, 13.9], policy=Policy(sustain=2)).code == "SK103"
    assert _vacancy([*recent, 14.5, 13.9, 13.9], policy=Policy(achievement="latest")).code == (
        "SK100"
    )


def test_annual_measures_need_one_value() -> None:
    t = Target.level("6.9 score", direction="increase", deadline="2026-03-31")
    s = strategy(outcome("s", t, unit="score", frequency="annual"))
    obs = Observations.from_columns(
        outcome_id=["s", "s"],
        start=["2023-01-01", "2024-01-01"],
        end=["2023-12-31", "2024-12-31"],
        value=[6.5, 6.96],
        unit="score",
    )
    r = evaluate(s, obs, as_of=AS_OF)["s"]
    assert (r.status, r.code) == (Status.ACHIEVED, "SK103")


def test_assurance_pass_is_achieved_and_fail_is_never_green() -> None:
    reliable = _vacancy([12.0, 12.4] * 12)
    assert reliable.spc.assurance_icon == "pass"
    assert (reliable.status, reliable.code) == (Status.ACHIEVED, "SK104")
    # 23 months at 15.3-15.5 %, then one month at 13.9 %: the limits all miss 14 %
    failing = _vacancy([15.5, 15.3] * 11 + [15.4, 13.9])
    assert failing.spc.assurance_icon == "fail"
    assert (failing.status, failing.code) == (Status.AT_RISK, "SK125")
    assert "process limits are all on the wrong side of it" in failing.reason


def test_a_status_that_disagrees_with_the_icons_carries_the_conflict() -> None:
    r = _vacancy([14.7, 14.6] * 12)  # on its trajectory, limits all above 14 %
    assert (r.status, r.spc.assurance_icon) == (Status.ON_TRACK, "fail")
    assert r.spc_conflict == "its assurance icon says the process consistently misses the target"
    assert r.reason.endswith(f"The SPC chart tells a different story: {r.spc_conflict}.")
    assert r.to_dict()["spc_conflict"] == r.spc_conflict
    few = _vacancy([14.7, 14.6] * 5)  # ten values: no icons, so nothing to disagree with
    assert (few.status, few.spc_conflict) == (Status.ON_TRACK, None)


def test_sustained_achievement_counts_only_the_current_rebase_group() -> None:
    t = Target.level("90 %", direction="increase", deadline="2026-03-31")
    plain = outcome("c", t, name="Calls answered")
    values = [95.0] * 20 + [91.0, 92.0, 91.0, 93.0]
    rebased = type(plain)(
        id="c",
        statement=plain.statement,
        measure=plain.measure,
        target=t,
        rebase=[Rebase(date="2025-02-01", reason="new call-handling model")],
    )
    assert evaluate(strategy(plain), monthly({"c": values}), as_of=AS_OF)["c"].code in (
        "SK103",
        "SK104",
    )
    r = evaluate(strategy(rebased), monthly({"c": values}), as_of=AS_OF)["c"]
    # two values since the rebase: not yet three in a row, and the chart is rebased
    assert (r.status, r.code) == (Status.ON_TRACK, "SK115")
    assert r.rebase == rebased.rebase
    assert r.spc.rebase_group[-1] == 1
    assert r.to_dict()["rebase"] == [{"date": "2025-02-01", "reason": "new call-handling model"}]


@some
@given(
    values=st.lists(st.floats(min_value=10, max_value=20), min_size=15, max_size=30),
    sustain=st.integers(min_value=1, max_value=4),
)
def test_never_achieved_when_the_assurance_is_fail(values: list[float], sustain: int) -> None:
    r = _vacancy(values, policy=Policy(sustain=sustain))
    assert r.spc is not None  # 15 monthly values or more: icons shown
    if r.spc.assurance_icon == "fail":
        assert r.status is not Status.ACHIEVED
        if r.gap is not None and r.gap >= 0:  # met, beside limits that all miss it
            assert (r.status, r.code) == (Status.AT_RISK, "SK125")
    if r.status is Status.ACHIEVED:
        assert r.gap is not None
        assert r.gap >= -1e-9


# --- 2. lagged data -----------------------------------------------------------------


def _annual_survey(end: str, value: float) -> object:
    t = Target.level(
        "7.1 score",
        direction="increase",
        deadline="2026-03-31",
        baseline=Baseline(value="6.9 score", date="2023-03-31"),
    )
    s = strategy(outcome("s", t, unit="score", frequency="annual", name="Engagement"))
    start = (dt.date.fromisoformat(end) - dt.timedelta(days=364)).isoformat()
    obs = Observations.from_columns(
        outcome_id=["s"], start=[start], end=[end], value=[value], unit="score"
    )
    return evaluate(s, obs, as_of=AS_OF)["s"]


def test_a_value_is_compared_with_the_trajectory_at_its_own_period_end() -> None:
    r = _annual_survey("2024-12-31", 7.02)
    line = 6.9 + 0.2 * (dt.date(2024, 12, 31) - dt.date(2023, 3, 31)).days / 1096
    assert r.expected == pytest.approx(line)
    assert (r.status, r.code) == (Status.ON_TRACK, "SK110")
    assert r.freshness.age_days == 90  # the lag is reported separately


@some
@given(shift=st.integers(min_value=-300, max_value=80), value=st.floats(6.9, 7.1))
def test_shifting_a_period_end_moves_its_trajectory_comparison(shift: int, value: float) -> None:
    end = dt.date(2024, 12, 31) + dt.timedelta(days=shift)
    r = _annual_survey(end.isoformat(), value)
    line = 6.9 + 0.2 * (end - dt.date(2023, 3, 31)).days / 1096
    assert r.expected == pytest.approx(line)
    assert r.deviation == pytest.approx(value - line)


def test_interim_targets_are_judged_at_the_values_date() -> None:
    from stratkit.model import InterimTarget

    t = Target.level(
        "7.1 score",
        direction="increase",
        deadline="2026-03-31",
        baseline=Baseline(value="6.9 score", date="2023-03-31"),
        interim=[InterimTarget(date="2024-03-31", value="7.0 score")],
    )
    s = strategy(outcome("s", t, unit="score", frequency="annual"))
    obs = Observations.from_columns(
        outcome_id=["s"], start=["2023-04-01"], end=["2024-03-31"], value=[7.0], unit="score"
    )
    r = evaluate(s, obs, as_of=AS_OF)["s"]
    assert r.expected == pytest.approx(7.0)  # the interim value, at the period's end
    assert r.code == "SK110"


# --- 3. direction only --------------------------------------------------------------


def _trend(values: list[float], **kw: object) -> object:
    t = Target(kind="direction_only", direction="decrease")
    s = strategy(outcome("t", t, unit="incident", name="Restraint"))
    return evaluate(s, monthly({"t": values}, unit="incident"), as_of=AS_OF, **kw)["t"]


NOISE = [84.0, 88, 83, 89, 86, 82, 87, 85, 89, 84, 86, 88, 83, 87, 85, 86]


def test_directions_are_judged_from_spc() -> None:
    flat = _trend(NOISE)
    assert (flat.status, flat.code) == (Status.AT_RISK, "SK121")
    assert "no significant change yet" in flat.reason
    better = _trend([*NOISE[:9], 78.0, 77, 79, 76, 78, 77, 76])
    assert (better.status, better.code) == (Status.ON_TRACK, "SK111")
    worse = _trend([*NOISE[:9], 94.0, 95, 93, 96, 94, 95, 96])
    assert (worse.status, worse.code) == (Status.OFF_TRACK, "SK132")
    # the slope stays a figure, fitted over the forecast window (not "the last 16")
    assert "over the last 12 values" in better.reason
    assert better.forecast is not None
    assert better.forecast.slope_per_year < 0


def test_too_few_points_for_a_direction_says_how_many_more() -> None:
    r = _trend(NOISE[:9])
    assert (r.status, r.code) == (Status.NO_DATA, "SK201")
    assert "15 are needed" in r.reason
    assert "so 6 more" in r.reason
    assert _trend(NOISE[:9], policy=Policy(min_points_trend=9)).code == "SK121"


# --- 4. recurring periods -----------------------------------------------------------


def _break_even(obs: Observations, as_of: dt.date = AS_OF, **kw: object) -> object:
    t = Target.recurring("0 GBPm", every="annual", direction="increase")
    s = strategy(outcome("f", t, unit="GBPm", name="Surplus"))
    return evaluate(s, obs, as_of=as_of, **kw)["f"]


def test_a_recurring_reason_shows_the_digits_of_a_narrow_miss() -> None:
    year = Observations.from_columns(
        outcome_id=["f"], start=["2023-04-01"], end=["2024-03-31"], value=[-0.004], unit="GBPm"
    )
    r = _break_even(year)
    assert (r.status, r.code) == (Status.OFF_TRACK, "SK134")
    assert "-£0.004m (FY2023/24) misses the target of at least £0m every year" in r.reason


def test_one_month_is_not_a_year() -> None:
    april = Observations.from_columns(
        outcome_id=["f"], start=["2023-04-01"], end=["2023-04-30"], value=[0.3], unit="GBPm"
    )
    r = _break_even(april, as_of=dt.date(2023, 5, 31))
    assert (r.status, r.code) == (Status.NO_DATA, "SK202")
    assert "its 1 value (the latest for Apr 2023) covers less than a year" in r.reason


def test_months_combine_into_financial_years_by_the_stated_rule() -> None:
    obs = monthly({"f": [0.1] * 12 + [-0.05] * 12}, unit="GBPm")
    assert _break_even(obs).code == "SK202"  # not combined by default
    summed = _break_even(obs, policy=Policy(combine_periods="sum"))
    assert (summed.status, summed.code) == (Status.OFF_TRACK, "SK134")
    assert summed.latest_value == pytest.approx(-0.6)  # FY2024/25: 12 x -0.05
    assert summed.latest_end == dt.date(2025, 3, 31)
    assert "met in 1 of 2 years judged" in summed.reason
    # a partial year is not judged: ten months of FY2024/25
    partial = _break_even(
        monthly({"f": [0.1] * 12 + [-0.05] * 10}, unit="GBPm"),
        as_of=dt.date(2025, 1, 31),
        policy=Policy(combine_periods="mean"),
    )
    assert (partial.code, partial.latest_end) == ("SK113", dt.date(2024, 3, 31))


# --- 5. tolerance without a baseline --------------------------------------------------


def test_tolerance_without_a_baseline_comes_from_the_process() -> None:
    t95 = Target.level("95 %", direction="increase", deadline="2026-03-31")
    zero = Target.eliminate(deadline="2026-03-31")
    s = strategy(
        outcome("a", t95, name="Seen in 4 hours"),
        outcome("z", zero, unit="placement", name="Out of area placements"),
    )
    obs = monthly({"a": [93.0, 95, 92, 96, 94]}, first="2024-11")
    a = evaluate(s, obs, as_of=AS_OF)["a"]
    assert a.tolerance == pytest.approx(2.75 / 1.128, rel=1e-3)
    obs = monthly({"z": [3.0, 1, 2, 0, 2]}, first="2024-11", unit="placement")
    z = evaluate(s, obs, as_of=AS_OF)["z"]
    assert z.tolerance == pytest.approx(1.75 / 1.128, rel=1e-3)  # not zero for "eliminate"
    assert "1.55 placements, one standard deviation of the process" in z.reason
    wide = evaluate(s, obs, as_of=AS_OF, policy=Policy(tolerance_sigmas=2.0))["z"]
    assert wide.tolerance == pytest.approx(3.5 / 1.128, rel=1e-3)
    assert (wide.status, wide.code) == (Status.AT_RISK, "SK124")


# --- 6. clipped forecasts -----------------------------------------------------------


def test_a_clipped_forecast_says_so_and_gives_a_probability() -> None:
    t = Target.level("95 %", direction="increase", deadline="2026-03-31")
    s = strategy(outcome("l", t, name="Staff trained", range=("0 %", "100 %")))
    r = evaluate(s, monthly({"l": [60.0 + 2 * k for k in range(12)]}, first="2024-04"))["l"]
    assert r.forecast is not None
    assert r.forecast.clipped
    assert r.forecast.value == 100.0
    assert r.forecast.probability is not None
    assert r.forecast.probability > 0.99
    assert "interval 100 % to 100 %" not in r.reason
    assert "chance of meeting the target" in r.reason
    assert r.forecast.to_dict()["clipped"] is True


def test_the_probability_is_the_t_distribution_of_the_interval() -> None:
    t = Target.level("95 %", direction="increase", deadline="2026-03-31")
    s = strategy(outcome("l", t, name="Staff trained"))
    values = [90.0 + (1.0 if k % 2 else -1.0) + 0.1 * k for k in range(12)]
    r = evaluate(s, monthly({"l": values}, first="2024-04"))["l"]
    f = r.forecast
    assert f is not None
    assert not f.clipped
    # P(value >= target): the target sits between the interval's ends
    assert 0.0 < f.probability < 1.0
    assert (f.probability > 0.5) == (f.value > 95)
    assert (f.probability > 0.9) == (f.low > 95)


# --- 8. reasons ---------------------------------------------------------------------


def test_reasons_defects_are_fixed() -> None:
    # an expected value of zero is written, not "n/a"
    t = Target.eliminate(
        deadline="2025-03-31", baseline=Baseline(value="10 placement", date="2023-03-31")
    )
    s = strategy(outcome("z", t, unit="placement", name="Placements"))
    r = evaluate(s, monthly({"z": [5.0]}, first="2025-03", unit="placement"), as_of=AS_OF)["z"]
    assert "n/a" not in r.reason
    # the measure's name is set off from the number
    assert r.reason.startswith("Placements: 5 placements (Mar 2025)")
    # 0.57 as a fraction is 57 %, exactly
    s = strategy(outcome("p", Target.level("57 %", direction="increase", deadline="2026-03-31")))
    r = evaluate(s, monthly({"p": [0.57]}, first="2025-03", unit="fraction"), as_of=AS_OF)["p"]
    assert r.latest_value == 57.0
    assert r.gap == 0.0
    # no "-0.0" in exports
    assert "-0.0" not in json.dumps(r.to_dict())
    # rounding never hides the verdict: 89.996 % against a line at 90 %
    from stratkit.evaluation._reasons import distinct

    assert distinct(89.996, 90.0, "%") == ("89.996 %", "90 %")


def test_a_baseline_dated_after_the_value_is_named() -> None:
    t = Target.level(
        "14 %",
        direction="decrease",
        deadline="2026-03-31",
        baseline=Baseline(value="16 %", date="2025-01-31"),
    )
    s = strategy(outcome("v", t))
    r = evaluate(s, monthly({"v": [15.0] * 3}, first="2024-10"), as_of=dt.date(2024, 12, 31))
    reason = r["v"].reason
    assert "with no baseline there is no trajectory" not in reason
    assert "the trajectory starts on 31 Jan 2025, after this value's period" in reason


def test_not_measurable_says_what_to_record() -> None:
    t = Target.reduce_by("15 %", deadline="2026-03-31")
    r = evaluate(strategy(outcome("x", t, unit="incident")), None, as_of=AS_OF)["x"]
    assert "will not invent" not in r.reason
    assert "record the baseline's value and date" in r.reason


def test_every_code_the_evaluator_gives_is_listed() -> None:
    for code in ("SK103", "SK104", "SK115", "SK125"):
        assert CODES[code][0] is not None


# --- 9, 10. the policy and rebasing in the file, and on the command line ---------------

STRATEGY_YAML = """\
title: Example NHS Trust Strategy (illustrative)
organisation: {name: Example NHS Trust}
period: {start: 2023-04-01, end: 2026-03-31}
policy:
  achievement: latest
  at_risk_tolerance: 0.5
ambitions:
  - id: "1"
    title: People
    objectives:
      - id: "1.1"
        title: Staff
        outcomes:
          - id: "1.1.1"
            statement: Reduce our vacancy rate to 14% (illustrative)
            measure: {name: Vacancy rate, unit: "%", frequency: monthly}
            target:
              kind: level
              direction: decrease
              value: 14 %
              deadline: 2026-03-31
              baseline: {value: 16 %, date: 2023-03-31}
            rebase:
              - date: 2024-04-01
                reason: new recruitment model
"""


def test_the_policy_and_rebase_dates_are_read_from_the_file_and_round_trip() -> None:
    s = loads(STRATEGY_YAML)
    assert s.policy == Policy(achievement="latest", at_risk_tolerance=0.5)
    assert s.outcome("1.1.1").rebase == (
        Rebase(date=dt.date(2024, 4, 1), reason="new recruitment model"),
    )
    assert loads(dumps(s)) == s
    obs = monthly({"1.1.1": [15.0] * 9 + [13.9]}, first="2024-06")
    ev = evaluate(s, obs, as_of=AS_OF)
    assert ev.policy.achievement == "latest"
    assert ev["1.1.1"].code == "SK100"
    override = evaluate(s, obs, as_of=AS_OF, policy=Policy())
    assert override["1.1.1"].code == "SK115"


def test_a_bad_policy_or_rebase_is_reported_with_its_line() -> None:
    bad = STRATEGY_YAML.replace("at_risk_tolerance: 0.5", "sustain: 0").replace(
        "reason: new recruitment model", "reason: ''"
    )
    with pytest.raises(StrategyFileError) as info:
        loads(bad, file="strategy.yaml")
    text = str(info.value)
    assert "policy.sustain" in text
    assert "at least 1" in text
    assert "rebase[0].reason" in text
    with pytest.raises(StrategyFileError, match=r"p\.yaml:1:.*achievement.*one of"):
        loads_policy("achievement: often\n", file="p.yaml")


def test_policy_file_on_the_command_line(tmp_path: object) -> None:
    pytest.importorskip("click")
    from pathlib import Path

    from cli_runner import cli_runner
    from stratkit.cli import main

    folder = Path(str(tmp_path))
    (folder / "strategy.yaml").write_text(STRATEGY_YAML, encoding="utf-8")
    rows = "\n".join(
        f"1.1.1,{m},{v},%"
        for m, v in zip(
            [f"{y}-{k:02d}" for y in (2023, 2024, 2025) for k in range(1, 13)][17:27],
            [15.0] * 9 + [13.9],
            strict=True,
        )
    )
    (folder / "observations.csv").write_text(f"outcome_id,period,value,unit\n{rows}\n")
    (folder / "policy.yaml").write_text("policy:\n  achievement: sustained\n", encoding="utf-8")
    runner = cli_runner()
    plain = runner.invoke(main, ["evaluate", str(folder), "--format", "json"])
    assert plain.exit_code == 0, plain.stdout + plain.stderr
    assert json.loads(plain.stdout)["results"][0]["code"] == "SK100"
    strict = runner.invoke(
        main,
        ["evaluate", str(folder), "--format", "json", "--policy", str(folder / "policy.yaml")],
    )
    assert strict.exit_code == 0, strict.stdout + strict.stderr
    data = json.loads(strict.stdout)
    assert data["policy"]["achievement"] == "sustained"
    assert data["results"][0]["code"] == "SK115"
    (folder / "bad.yaml").write_text("sustain: many\n", encoding="utf-8")
    bad = runner.invoke(main, ["evaluate", str(folder), "--policy", str(folder / "bad.yaml")])
    assert bad.exit_code != 0
    assert "bad.yaml:1" in (bad.stdout + bad.stderr)
    assert "Traceback" not in (bad.stdout + bad.stderr)
    report = runner.invoke(
        main,
        ["report", str(folder), "--policy", str(folder / "policy.yaml"), "-o", "-"],
    )
    assert report.exit_code == 0, report.stdout + report.stderr


# --- 11. every outcome's SPC in one call --------------------------------------------


def test_the_evaluation_charts_equal_spc_on_each_series() -> None:
    from stratkit.spc import spc

    s = strategy(outcome("a", vacancy_target()), outcome("b", vacancy_target()))
    rng = np.random.default_rng(1)
    values = {"a": list(15 + rng.normal(0, 0.3, 24)), "b": list(14 + rng.normal(0, 0.3, 20))}
    ev = evaluate(s, monthly(values), as_of=AS_OF)
    for oid in ("a", "b"):
        r = ev[oid]
        alone = spc(r.series.values, r.series.end, improvement_direction="decrease", target=14.0)
        assert np.allclose(r.spc.upl, alone.upl)
        assert r.spc.variation_icon == alone.variation_icon
        assert r.spc.assurance_icon == alone.assurance_icon
    assert list(ev.columns["assurance_icon"]) == [
        ev["a"].spc.assurance_icon,
        ev["b"].spc.assurance_icon,
    ]
