"""``stratkit evaluate`` and ``stratkit report`` end to end (CliRunner and a real process)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import write_sample

from stratkit.cli import main


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "sample")


def test_evaluate_table(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["evaluate", str(folder), "--as-of", "2025-03-31"])
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Outcome")
    assert "Status" in lines[0]
    for ident in ("1.1.1", "1.1.2", "4.1.1", "4.1.2"):
        assert any(line.startswith(ident) for line in lines)
    assert "Not measurable" in result.stdout
    assert "as of 31 Mar 2025" in result.stdout
    assert "ILLUSTRATIVE DATA" in result.stdout
    assert "observations for ids not in the strategy: 9.9.9" in result.stdout
    assert result.stderr == ""  # not a terminal: no progress, no noise


def test_evaluate_json(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(
        main, ["evaluate", str(folder), "--as-of", "2025-03-31", "--format", "json"]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["as_of"] == "2025-03-31"
    assert [r["outcome_id"] for r in data["results"]] == ["1.1.1", "1.1.2", "4.1.1", "4.1.2"]
    assert data["unknown_outcome_ids"] == ["9.9.9"]
    assert data["illustrative"] is True


def test_evaluate_csv(runner: CliRunner, folder: Path) -> None:
    from stratkit.reporting.tabular import CSV_COLUMNS

    result = runner.invoke(
        main, ["evaluate", str(folder), "--as-of", "2025-03-31", "--format", "csv"]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_id = {r["outcome_id"]: r for r in rows}
    assert by_id["4.1.1"]["status"] == "not_measurable"
    assert float(by_id["1.1.1"]["latest_value"]) == 96.0
    assert by_id["1.1.1"]["unit"] == "%"


def test_evaluate_explicit_observations_and_none(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "data.csv"
    (folder / "observations.csv").rename(moved)
    without = runner.invoke(
        main, ["evaluate", str(folder), "--as-of", "2025-03-31", "--format", "csv"]
    )
    assert without.exit_code == 0
    assert "no observations" in without.stderr
    statuses = {r["status"] for r in csv.DictReader(io.StringIO(without.stdout))}
    assert statuses <= {"no_data", "not_measurable", "on_track", "at_risk", "off_track"}
    given = runner.invoke(
        main,
        [
            "evaluate",
            str(folder / "strategy.yaml"),
            "--observations",
            str(moved),
            "--as-of",
            "2025-03-31",
            "--format",
            "json",
        ],
    )
    assert given.exit_code == 0, given.stdout + given.stderr
    assert json.loads(given.stdout)["results"][0]["latest_value"] == 96


def test_evaluate_bad_date_is_usage_error(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["evaluate", str(folder), "--as-of", "31/03/2025"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_a_bad_row_is_set_aside_with_a_warning_and_strict_refuses(
    runner: CliRunner, folder: Path
) -> None:
    data = folder / "observations.csv"
    text = data.read_text(encoding="utf-8")
    data.write_text(text + "1.1.2,May,x,%\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    result = runner.invoke(main, ["evaluate", str(folder), "--as-of", "2025-03-31"])
    assert result.exit_code == 0, result.stdout + result.stderr
    warnings = result.stderr.splitlines()
    assert warnings[0].startswith(f"warning: {data}:{line} @ period: cannot read the period")
    assert warnings[1] == f"warning: {data}:{line} @ value: not a number, found 'x'"
    assert warnings[2].startswith("warning: 2 observation problems: the rows concerned")
    assert "1.1.1" in result.stdout  # the other outcomes are evaluated
    strict = runner.invoke(main, ["evaluate", str(folder), "--strict"])
    assert strict.exit_code == 1
    assert strict.stderr.startswith("error: ")
    assert f"{data}:{line} @ period: cannot read the period" in strict.stderr
    assert "Traceback" not in (strict.stdout + strict.stderr)


def test_evaluate_invalid_strategy(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "strategy.yaml").write_text("title: T\n", encoding="utf-8")
    result = runner.invoke(main, ["evaluate", str(tmp_path)])
    assert result.exit_code == 1
    assert "organisation" in result.stderr
    assert "is not a valid strategy file" in result.stderr


def test_report_html_default_name(
    runner: CliRunner, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["report", str(folder), "--as-of", "2025-03-31"])
    assert result.exit_code == 0, result.stdout + result.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert result.stdout == ""
    assert result.stderr.startswith("wrote report.html (4 outcomes, data as of 2025-03-31)")
    assert html.startswith("<!DOCTYPE html>")
    assert "Sample Trust Strategy 2023-2026" in html


def test_report_markdown_by_suffix_and_stdout(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pack.md"
    result = runner.invoke(main, ["report", str(folder), "-o", str(out), "--as-of", "2025-03-31"])
    assert result.exit_code == 0, result.stdout + result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Sample Trust Strategy 2023-2026\n")
    piped = runner.invoke(
        main, ["report", str(folder), "--format", "md", "-o", "-", "--as-of", "2025-03-31"]
    )
    assert piped.exit_code == 0
    assert piped.stdout == text


def test_report_deterministic(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    paths = [tmp_path / "a.html", tmp_path / "b.html"]
    for p in paths:
        result = runner.invoke(
            main, ["report", str(folder), "-o", str(p), "--as-of", "2025-03-31"]
        )
        assert result.exit_code == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_report_unwritable_output(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["report", str(folder), "-o", str(tmp_path / "missing-dir" / "r.html")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in (result.stdout + result.stderr)


# --- a real process --------------------------------------------------------------


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-m", "stratkit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_python_m_stratkit_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "trust"
    made = run("init", str(target), "--blank")
    assert made.returncode == 0, made.stderr
    checked = run("validate", str(target))
    assert checked.returncode == 0, checked.stderr
    assert "valid" in checked.stdout
    again = run("init", str(target))
    assert again.returncode == 1
    assert again.stderr.startswith("error: ")
    assert "Traceback" not in again.stderr
    evaluated = run("evaluate", str(target), "--as-of", "2025-07-31", "--format", "json")
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["as_of"] == "2025-07-31"
    reported = run("report", str(target), "-o", str(tmp_path / "r.html"), "--as-of", "2025-07-31")
    assert reported.returncode == 0, reported.stderr
    assert reported.stdout == ""
    assert "wrote" in reported.stderr
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    usage = run("report")
    assert usage.returncode == 2
    assert "Missing argument" in usage.stderr
    lint = run("lint", str(target))
    assert lint.returncode == 1
    assert "SK401 outcome 1.1.2: no measure" in lint.stdout


def test_python_m_stratkit_schema_and_version() -> None:
    schema = run("schema")
    assert schema.returncode == 0
    assert json.loads(schema.stdout)["title"] == "stratkit strategy file"
    version = run("--version")
    assert version.returncode == 0
    assert "stratkit, version" in version.stdout


def test_progress_only_on_a_terminal(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stratkit
    import stratkit.cli._app

    if "kmpt_2023_26" not in stratkit.examples.names():
        pytest.skip("the KMPT example is not in this checkout")
    example = stratkit.examples.path("kmpt_2023_26")
    quiet = runner.invoke(
        main, ["report", str(example), "-o", str(tmp_path / "q.html"), "--as-of", "2025-03-31"]
    )
    assert quiet.exit_code == 0
    assert quiet.stderr.count("\n") == 1  # only the "wrote ..." line
    monkeypatch.setattr(stratkit.cli._app, "_stderr_is_terminal", lambda: True)
    loud = runner.invoke(
        main, ["report", str(example), "-o", str(tmp_path / "l.html"), "--as-of", "2025-03-31"]
    )
    assert loud.exit_code == 0, loud.stdout + loud.stderr
    assert "Evaluating 72 outcomes" in loud.stderr
    assert "Drawing charts" in loud.stderr
    assert (tmp_path / "q.html").read_bytes() == (tmp_path / "l.html").read_bytes()


def test_broken_pipe_is_quiet(
    runner: CliRunner, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``stratkit evaluate ... | head``: the reader goes away; stop without a traceback."""
    import stratkit.reporting

    def gone(*args: object, **kwargs: object) -> str:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(stratkit.reporting, "report", gone)
    result = runner.invoke(main, ["evaluate", str(folder)])
    assert result.exit_code == 1
    assert result.stderr == ""
