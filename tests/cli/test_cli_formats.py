"""``report`` and ``evaluate``: the output format follows --format or the file's suffix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import write_sample

from stratkit.cli import main
from stratkit.reporting.tabular import CSV_COLUMNS


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "sample")


def _outputs(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    return out


@pytest.mark.parametrize("command", ["report", "evaluate"])
@pytest.mark.parametrize(
    "case",
    [
        ("x.csv", "outcome_id,"),
        ("x.json", "{"),
        ("x.md", "# "),
        ("x.html", "<!DOCTYPE html>"),
        ("x.txt", "Outcome"),
    ],
)
def test_the_suffix_chooses_the_format(
    runner: CliRunner, folder: Path, tmp_path: Path, command: str, case: tuple[str, str]
) -> None:
    name, starts = case
    out = _outputs(tmp_path)
    result = runner.invoke(
        main, [command, str(folder), "--as-of", "2025-03-31", "-o", str(out / name)]
    )
    assert result.exit_code == 0, result.output
    assert (out / name).read_text(encoding="utf-8").startswith(starts)
    assert f"wrote {out / name}" in result.stderr


def test_csv_by_suffix_has_the_csv_columns(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    out = _outputs(tmp_path)
    result = runner.invoke(main, ["report", str(folder), "-o", str(out / "x.csv")])
    assert result.exit_code == 0, result.output
    header = (out / "x.csv").read_text(encoding="utf-8").splitlines()[0]
    assert tuple(header.split(",")) == CSV_COLUMNS


@pytest.mark.parametrize("command", ["report", "evaluate"])
@pytest.mark.parametrize("name", ["x.docx", "x.htmll", "x"])
def test_an_unknown_suffix_is_an_error_and_writes_nothing(
    runner: CliRunner, folder: Path, tmp_path: Path, command: str, name: str
) -> None:
    out = _outputs(tmp_path)
    result = runner.invoke(main, [command, str(folder), "-o", str(out / name)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert name in result.stderr
    assert ".csv" in result.stderr  # says which suffixes work
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []


def test_format_wins_over_the_suffix(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    out = _outputs(tmp_path)
    result = runner.invoke(
        main, ["report", str(folder), "--format", "json", "-o", str(out / "x.dat")]
    )
    assert result.exit_code == 0, result.output
    assert json.loads((out / "x.dat").read_text(encoding="utf-8"))["format_version"] >= 2


def test_pdf_needs_its_extra(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    out = _outputs(tmp_path)
    result = runner.invoke(main, ["report", str(folder), "-o", str(out / "pack.pdf")])
    if result.exit_code == 0:  # the pdf extra is installed
        assert (out / "pack.pdf").read_bytes().startswith(b"%PDF")
    else:
        assert result.exit_code == 1
        assert "pdf" in result.stderr
        assert "stratkit-nhs[pdf]" in result.stderr
        assert list(out.iterdir()) == []


def test_xlsx_by_suffix_and_not_on_stdout(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    import openpyxl

    out = _outputs(tmp_path)
    result = runner.invoke(main, ["evaluate", str(folder), "-o", str(out / "r.xlsx")])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out / "r.xlsx").sheetnames == ["results", "observations"]
    on_stdout = runner.invoke(main, ["evaluate", str(folder), "--format", "xlsx"])
    assert on_stdout.exit_code == 1
    assert "binary" in on_stdout.stderr
    dash = runner.invoke(main, ["report", str(folder), "--format", "xlsx", "-o", "-"])
    assert dash.exit_code == 1
    assert "binary" in dash.stderr


def test_report_default_file_is_named_by_its_format(
    runner: CliRunner, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["report", str(folder), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.csv").read_text(encoding="utf-8").startswith("outcome_id,")
