"""The Evaluation object and the public evaluate() wrapper (paths, CSV, DataFrames)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from eval_builders import AS_OF, monthly, outcome, strategy, vacancy_target

from stratkit._api import evaluate as public_evaluate
from stratkit.evaluation import Evaluation, Status, evaluate
from stratkit.io import save, write_observations
from stratkit.model import Outcome, Series


def _evaluation() -> Evaluation:
    s = strategy(
        outcome("2.2.1", vacancy_target()),
        outcome("2.2.2", vacancy_target(value="3.7 %")),
        Outcome(id="2.2.3", statement="words only"),
        objectives=2,
    )
    obs = monthly({"2.2.1": [15.5] * 23 + [15.2], "2.2.2": [3.0] * 24, "7.7.7": [1.0]})
    return evaluate(s, obs, as_of=AS_OF)


def test_iterates_in_strategy_order_and_looks_up_by_id() -> None:
    ev = _evaluation()
    # objectives take outcomes in turn: 1.1 holds 2.2.1 and 2.2.3, 1.2 holds 2.2.2
    assert [r.outcome_id for r in ev] == ["2.2.1", "2.2.3", "2.2.2"]
    assert len(ev) == 3
    assert ev["2.2.2"].status is Status.ACHIEVED
    assert "2.2.1" in ev
    with pytest.raises(KeyError, match=r"did you mean .*'2\.2\.1'"):
        ev["2.2.l"]


def test_rollups() -> None:
    ev = _evaluation()
    overall = ev.overall
    assert overall.level == "strategy"
    assert overall.n_outcomes == 3
    assert overall.counts == {
        Status.ACHIEVED: 1,
        Status.ON_TRACK: 0,
        Status.AT_RISK: 0,
        Status.OFF_TRACK: 1,
        Status.NO_DATA: 0,
        Status.NOT_MEASURABLE: 1,
    }
    assert overall.share_on_track == 0.5  # 1 achieved of 2 judged
    assert overall.worst is Status.OFF_TRACK
    assert overall.attention == ("2.2.1",)
    objectives = ev.objectives()
    assert [o.id for o in objectives] == ["1.1", "1.2"]
    assert objectives[1].worst is Status.ACHIEVED
    assert objectives[1].share_on_track == 1.0
    (ambition,) = ev.ambitions()
    assert ambition.level == "ambition"
    only_unjudged = evaluate(strategy(Outcome(id="x", statement="words")), None, as_of=AS_OF)
    assert only_unjudged.overall.share_on_track is None


def test_series_is_the_converted_data() -> None:
    ev = _evaluation()
    series = ev["2.2.1"].series
    assert isinstance(series, Series)
    assert len(series) == 24
    assert series.values[-1] == pytest.approx(15.2)
    assert str(series.end[-1]) == "2025-03-31"


def test_to_dict_and_json() -> None:
    ev = _evaluation()
    data = json.loads(ev.to_json())
    assert data["unknown_outcome_ids"] == ["7.7.7"]
    assert data["policy"]["forecast_method"] == "ols"
    first = data["results"][0]
    assert first["status"] == "off_track"
    assert first["rag"] == "red"
    assert first["code"] == "SK130"
    assert first["trajectory"]["dates"][0] == "2023-03-31"
    assert data["overall"]["counts"]["not_measurable"] == 1
    assert ev.to_json() == _evaluation().to_json()


def test_to_frame() -> None:
    pd = pytest.importorskip("pandas")
    frame = _evaluation().to_frame()
    assert list(frame.index) == ["2.2.1", "2.2.3", "2.2.2"]
    assert frame.loc["2.2.1", "status"] == "off_track"
    assert frame.loc["2.2.2", "gap"] == pytest.approx(0.7)
    assert frame["latest_end"].dtype == "datetime64[ns]" or pd.api.types.is_datetime64_any_dtype(
        frame["latest_end"]
    )
    assert np.isnan(frame.loc["2.2.3", "latest_value"])


def test_repr_html_uses_the_notebook_renderer() -> None:
    pytest.importorskip("stratkit.reporting.notebook")
    html = _evaluation()._repr_html_()
    assert "Test strategy" in html


def test_public_evaluate_reads_paths_and_dataframes(tmp_path: Path) -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [15.5] * 23 + [15.2]})
    strategy_file = save(s, tmp_path / "strategy.yaml")
    csv = write_observations(obs, tmp_path / "observations.csv")
    from_paths = public_evaluate(strategy_file, csv, as_of="2025-03-31")
    assert from_paths.as_of == dt.date(2025, 3, 31)
    assert from_paths["2.2.1"].status is Status.OFF_TRACK
    assert from_paths["2.2.1"].latest_value == pytest.approx(15.2)
    pytest.importorskip("pandas")
    from stratkit.io import observations_to_frame

    frame = observations_to_frame(obs)
    from_frame = public_evaluate(s, frame, as_of=AS_OF)
    assert from_frame.to_json() != ""
    assert from_frame["2.2.1"].status is Status.OFF_TRACK
    assert from_frame["2.2.1"].n_points == 24
    no_data = public_evaluate(s, as_of=AS_OF)
    assert no_data["2.2.1"].status is Status.NO_DATA


def test_as_of_defaults_to_today_without_observations() -> None:
    ev = evaluate(strategy(outcome("2.2.1", vacancy_target())))
    assert ev.as_of == dt.date.today()


def test_as_of_defaults_to_the_end_of_the_latest_period_observed() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()), outcome("2.2.2", vacancy_target()))
    obs = monthly({"2.2.1": [15.5] * 24, "2.2.2": [15.0] * 20})
    latest = obs.latest_end()
    assert latest is not None
    assert latest == max(series.end[-1] for series in obs).astype(dt.date)
    ev = evaluate(s, obs)
    assert ev.as_of == latest
    assert ev.to_json() == evaluate(s, obs, as_of=latest).to_json()


def test_columns_are_read_only() -> None:
    cols = _evaluation().columns
    with pytest.raises(ValueError, match="read-only"):
        cols["gap"][0] = 1.0


def test_evaluation_never_imports_io() -> None:
    """Imports point one way: model -> units -> io -> evaluation; evaluation never uses io."""
    import subprocess
    import sys

    code = (
        "import sys, stratkit.evaluation, stratkit.evaluation.engine;"
        "print(sorted(m for m in sys.modules if m.startswith('stratkit.io')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_findings_report_unknown_ids_stale_data_and_what_is_missing() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()), outcome("2.2.2", vacancy_target()))
    obs = monthly({"2.2.1": [15.0] * 12, "9.9.9": [1.0]})  # 2.2.1 ends Mar 2024
    findings = evaluate(s, obs, as_of=AS_OF).findings()
    assert [(f.code, f.outcome_id) for f in findings] == [
        ("SK501", "9.9.9"),
        ("SK502", "2.2.1"),
        ("SK408", "2.2.2"),  # no observations of 2.2.2
    ]
    assert "365 days old" in findings[1].message


@pytest.mark.parametrize(
    "as_of",
    [
        dt.date(9999, 12, 31),
        dt.date(1, 1, 1),
        "9999-12-31",
        "31/03/2025",
        dt.datetime(2025, 3, 31),
    ],
)
def test_the_engine_checks_as_of_as_the_public_verb_does(as_of: object) -> None:
    from stratkit.errors import InvalidStrategyError

    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [15.5] * 24})
    messages = []
    for verb in (evaluate, public_evaluate):
        with pytest.raises(InvalidStrategyError) as caught:
            verb(s, obs, as_of=as_of)  # type: ignore[operator]
        (problem,) = caught.value.problems
        assert problem.path == "as_of"
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_the_engine_takes_as_of_as_iso_text() -> None:
    s = strategy(outcome("2.2.1", vacancy_target()))
    obs = monthly({"2.2.1": [15.5] * 24})
    assert evaluate(s, obs, as_of="2025-03-31").as_of == dt.date(2025, 3, 31)
