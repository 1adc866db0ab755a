"""The analysts' outputs: typed CSV, JSON with every SPC field, to_frame and Excel.

The CSV of the sample evaluation is a golden file,
``tests/data/golden/sample_results.csv``. After a deliberate change to the
columns or their formatting, regenerate it with::

    STRATKIT_REGEN_GOLDEN=1 .venv/bin/pytest tests/reporting/test_outputs.py

and review the diff before committing it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pandas as pd
import pytest

import stratkit
from stratkit._display import day_text
from stratkit.evaluation import FORMAT_VERSION, evaluate
from stratkit.reporting import report, write_report
from stratkit.reporting.tabular import CSV_COLUMNS

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "sample_results.csv"

NUMERIC = (
    "latest_value",
    "target_value",
    "baseline_value",
    "gap",
    "progress",
    "expected",
    "deviation",
    "tolerance",
    "forecast",
    "forecast_low",
    "forecast_high",
    "spc_mean",
    "spc_lpl",
    "spc_upl",
    "age_days",
    "allowed_days",
)


def _same_number(cell: Any, value: float | None) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        assert cell is None or (isinstance(cell, float) and math.isnan(cell)), cell
    else:
        assert math.isclose(float(cell), float(value), rel_tol=1e-12), (cell, value)


# --- CSV ------------------------------------------------------------------------------


def test_csv_golden(sample_evaluation: Any) -> None:
    text = report(sample_evaluation, format="csv")
    if os.environ.get("STRATKIT_REGEN_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_csv_numeric_columns_read_as_numbers(kmpt: Any) -> None:
    frame = pd.read_csv(io.StringIO(report(kmpt, format="csv")), dtype={"outcome_id": str})
    assert tuple(frame.columns) == CSV_COLUMNS
    for column in NUMERIC:
        assert pd.api.types.is_float_dtype(frame[column]), (column, frame[column].dtype)
    assert pd.api.types.is_integer_dtype(frame["n_points"])
    assert pd.api.types.is_bool_dtype(frame["stale"])
    for column in ("latest_start", "latest_end", "deadline"):
        parsed = pd.to_datetime(frame[column], format="%Y-%m-%d")  # ISO dates or empty
        assert parsed.notna().sum() == frame[column].notna().sum()
    by_id = frame.set_index("outcome_id")
    for r in kmpt:
        row = by_id.loc[r.outcome_id]
        _same_number(row["latest_value"], r.latest_value)
        _same_number(row["gap"], r.gap)
        _same_number(row["target_value"], r.target_value)
        _same_number(row["forecast"], None if r.forecast is None else r.forecast.value)
        spc = r.spc
        mean = None if spc is None else spc.latest_limits[0]
        _same_number(row["spc_mean"], mean)
        assert row["n_points"] == r.n_points
        assert row["status"] == r.status.value


def test_csv_words_are_in_text_columns_beside_the_numbers(kmpt: Any) -> None:
    rows = list(csv.DictReader(io.StringIO(report(kmpt, format="csv"))))
    with_gap = [r for r in rows if r["gap"]]
    assert with_gap
    for row in with_gap:
        float(row["gap"])  # a number, not "-5.5 pp"
        assert row["gap_text"]  # the words, for people
    for row in rows:
        if row["latest_value"]:
            assert row["latest_text"]
        if row["freshness_text"]:  # the ISO date in its column, for people in the text
            day = dt.date.fromisoformat(row["latest_end"])
            assert day_text(day) in row["freshness_text"]
        assert row["status_text"]
        assert row["stale"] in ("true", "false")


def _formula_strategy() -> Any:
    return stratkit.loads(
        "title: T\norganisation: {name: Org}\nperiod: {start: 2024-04-01, end: 2027-03-31}\n"
        "ambitions:\n  - id: '1'\n    title: A\n    objectives:\n"
        "      - id: '1.1'\n        title: O\n        outcomes:\n"
        '          - id: 1.1.1\n            statement: \'=HYPERLINK("http://x","y")\'\n'
        "            owner: '@SUM(A1)'\n"
    )


def test_csv_text_cells_are_guarded_against_formulas() -> None:
    ev = evaluate(_formula_strategy(), None, as_of=dt.date(2025, 3, 31))
    row = next(csv.DictReader(io.StringIO(report(ev, format="csv"))))
    assert row["statement"].startswith("'=")
    assert row["owner"].startswith("'@")


# --- JSON -----------------------------------------------------------------------------

_SPC_SCHEMA = {
    "type": "object",
    "required": [
        "series_id",
        "unit",
        "improvement_direction",
        "target",
        "fix_after_n_points",
        "screen_outliers",
        "n_points",
        "n_missing",
        "n_rebase_groups",
        "icons_available",
        "variation_icon",
        "assurance_icon",
        "mean",
        "lpl",
        "upl",
        "points",
    ],
    "properties": {
        "improvement_direction": {"enum": ["increase", "decrease", "neutral"]},
        "variation_icon": {"type": "string"},
        "assurance_icon": {"enum": ["pass", "fail", "inconsistent", None]},
        "icons_available": {"type": "boolean"},
        "n_points": {"type": "integer", "minimum": 0},
        "mean": {"type": ["number", "null"]},
        "lpl": {"type": ["number", "null"]},
        "upl": {"type": ["number", "null"]},
        "points": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "date",
                    "value",
                    "mean",
                    "lpl",
                    "upl",
                    "rebase_group",
                    "special_cause_type",
                    "point_type",
                    "short_group_warning",
                ],
                "properties": {
                    "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "value": {"type": ["number", "null"]},
                    "mean": {"type": ["number", "null"]},
                    "lpl": {"type": ["number", "null"]},
                    "upl": {"type": ["number", "null"]},
                    "rebase_group": {"type": "integer"},
                    "special_cause_type": {"type": "string"},
                    "point_type": {"type": "string"},
                    "short_group_warning": {"type": "boolean"},
                },
            },
        },
    },
}
_RESULT_SCHEMA = {
    "type": "object",
    "required": [
        "outcome_id",
        "ambition_id",
        "objective_id",
        "owner",
        "status",
        "latest_value",
        "target_value",
        "spc",
        "spc_note",
    ],
    "properties": {"spc": {"oneOf": [{"type": "null"}, _SPC_SCHEMA]}},
}
_SCHEMA = {
    "type": "object",
    "required": ["format_version", "as_of", "results"],
    "properties": {
        "format_version": {"const": FORMAT_VERSION},
        "results": {"type": "array", "items": _RESULT_SCHEMA},
    },
}


def test_json_has_a_format_version_and_every_spc_field(kmpt: Any) -> None:
    data = json.loads(report(kmpt, format="json"))
    jsonschema.validate(data, _SCHEMA)
    assert data["format_version"] == FORMAT_VERSION
    charted = 0
    for entry, r in zip(data["results"], kmpt, strict=True):
        assert entry["outcome_id"] == r.outcome_id
        ambition, objective = kmpt.strategy.parents(r.outcome_id)
        assert (entry["ambition_id"], entry["objective_id"]) == (ambition.id, objective.id)
        assert entry["owner"] == r.outcome.owner
        spc = r.spc
        if spc is None:
            assert entry["spc"] is None
            assert entry["spc_note"]  # why there is no chart
            continue
        charted += 1
        got = entry["spc"]
        assert got["variation_icon"] == spc.variation_icon
        assert got["assurance_icon"] == spc.assurance_icon
        assert len(got["points"]) == spc.n_points
        latest = dict(zip(("mean", "lpl", "upl"), spc.latest_limits, strict=True))
        for name in ("mean", "lpl", "upl"):
            _same_number(got[name], latest[name])
            column = np.array(
                [np.nan if p[name] is None else p[name] for p in got["points"]], dtype=float
            )
            np.testing.assert_allclose(column, getattr(spc, name), rtol=1e-12)
        assert [p["point_type"] for p in got["points"]] == list(spc.point_type)
    assert charted > 10


def test_cli_evaluate_json_is_the_same_document(runner: Any, sample_folder: Path) -> None:
    from stratkit.cli import main

    result = runner.invoke(
        main, ["evaluate", str(sample_folder), "--as-of", "2025-03-31", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, _SCHEMA)
    assert any(r["spc"] is not None for r in data["results"])


# --- to_frame -------------------------------------------------------------------------


def test_to_frame_has_the_analysts_columns_and_an_ordered_status(kmpt: Any) -> None:
    frame = kmpt.to_frame()
    assert frame.index.name == "outcome_id"
    assert list(frame.index) == [r.outcome_id for r in kmpt]
    for column in ("owner", "ambition_id", "objective_id", "variation_icon", "assurance_icon"):
        assert column in frame.columns
    status = frame["status"]
    assert isinstance(status.dtype, pd.CategoricalDtype)
    assert status.cat.ordered
    assert list(status.cat.categories) == [s.value for s in stratkit.evaluation.status.WORST_FIRST]
    worst_first = frame.sort_values("status")["status"].map(lambda s: stratkit.Status(s).severity)
    assert worst_first.is_monotonic_increasing
    needs_attention = frame[frame["status"] < "on_track"]
    assert set(needs_attention["status"]) <= {"off_track", "at_risk", "no_data", "not_measurable"}
    assert len(needs_attention) == sum(
        1 for r in kmpt if r.status.value not in ("on_track", "achieved")
    )
    for column in NUMERIC:
        if column in ("age_days", "allowed_days"):
            assert pd.api.types.is_integer_dtype(frame[column]), column
        else:
            assert frame[column].dtype == np.float64, column
    for r in kmpt:
        row = frame.loc[r.outcome_id]
        ambition, objective = kmpt.strategy.parents(r.outcome_id)
        assert (row["ambition_id"], row["objective_id"]) == (ambition.id, objective.id)
        if r.spc is not None and r.spc.icons_available:
            assert row["variation_icon"] == r.spc.variation_icon
        _same_number(row["latest_value"], r.latest_value)


# --- Excel ----------------------------------------------------------------------------


def test_to_excel_has_a_results_and_an_observations_sheet(kmpt: Any, tmp_path: Path) -> None:
    import openpyxl

    path = kmpt.to_excel(tmp_path / "results.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.xlsx"]
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["results", "observations"]
    results = list(book["results"].iter_rows(values_only=True))
    assert results[0] == CSV_COLUMNS
    assert [row[0] for row in results[1:]] == [r.outcome_id for r in kmpt]
    col = {name: i for i, name in enumerate(CSV_COLUMNS)}
    for row, r in zip(results[1:], kmpt, strict=True):
        _same_number(row[col["latest_value"]], r.latest_value)
        assert row[col["stale"]] is r.freshness.stale
        if r.latest_end is not None:
            assert row[col["latest_end"]].date() == r.latest_end
    observations = list(book["observations"].iter_rows(values_only=True))
    assert observations[0] == ("outcome_id", "period_start", "period_end", "value", "unit", "note")
    assert len(observations) - 1 == sum(r.n_points for r in kmpt)
    source = stratkit.examples.load_observations("kmpt_2023_26")
    in_strategy = {r.outcome_id for r in kmpt}
    expected_notes = {
        (oid, note)
        for oid, end, note in zip(
            source.outcome_id.tolist(), source.end.tolist(), source.note.tolist(), strict=True
        )
        if note and oid in in_strategy and end <= kmpt.as_of
    }
    assert expected_notes  # the example has notes on some points
    assert {(row[0], row[5]) for row in observations[1:] if row[5]} == expected_notes
    first = next(r for r in kmpt if r.series is not None)
    mine = [row for row in observations[1:] if row[0] == first.outcome_id]
    assert first.series is not None
    np.testing.assert_allclose([row[3] for row in mine], first.series.values, rtol=1e-12)


def test_excel_text_is_never_a_formula(tmp_path: Path) -> None:
    import openpyxl

    ev = evaluate(_formula_strategy(), None, as_of=dt.date(2025, 3, 31))
    path = write_report(ev, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path)["results"]
    statement = sheet.cell(row=2, column=CSV_COLUMNS.index("statement") + 1)
    assert statement.data_type == "s"
    assert statement.value == '=HYPERLINK("http://x","y")'


def test_excel_without_openpyxl_names_the_extra(
    sample_evaluation: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if it were not installed
    with pytest.raises(stratkit.MissingExtraError, match=r"stratkit-nhs\[excel\]"):
        sample_evaluation.to_excel(tmp_path / "r.xlsx")
    assert list(tmp_path.iterdir()) == []
