"""``stratkit convert`` end to end (CliRunner): YAML, JSON and StratML by suffix."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import write_sample

import stratkit
from cli_runner import cli_runner
from stratkit.cli import main
from stratkit.io import from_stratml

KMPT = stratkit.examples.path("kmpt_2023_26")


@pytest.fixture
def runner() -> CliRunner:
    return cli_runner()


@pytest.mark.parametrize("part", ["1", "2"])
def test_yaml_to_stratml_and_back(runner: CliRunner, tmp_path: Path, part: str) -> None:
    folder = write_sample(tmp_path / "s")
    xml = tmp_path / "plan.xml"
    result = runner.invoke(main, ["convert", str(folder), str(xml), "--part", part])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"wrote {xml}" in result.stderr
    assert "Part " + part in result.stderr
    back = tmp_path / "back.yaml"
    result = runner.invoke(main, ["convert", str(xml), str(back)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert stratkit.load(back) == stratkit.load(folder)


def test_yaml_to_json(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "s")
    dest = tmp_path / "strategy.json"
    result = runner.invoke(main, ["convert", str(folder), str(dest)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert dest.read_text(encoding="utf-8").lstrip().startswith("{")
    assert stratkit.load(dest) == stratkit.load(folder)


def test_performance_report_with_observations(runner: CliRunner, tmp_path: Path) -> None:
    xml = tmp_path / "report.xml"
    obs = KMPT / "observations_illustrative.csv"
    result = runner.invoke(
        main,
        [
            "convert", str(KMPT), str(xml), "--part", "2",
            "--observations", str(obs), "--as-of", "2025-03-31",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Performance Report" in result.stderr
    text = xml.read_text(encoding="utf-8")
    assert 'Type="Performance_Report"' in text
    assert "<ActualResult>" in text
    assert from_stratml(xml) == stratkit.load(KMPT)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan.txt"], "cannot tell the format"),
        (["out.yaml", "--part", "2"], "apply to a StratML"),
        (["out.xml", "--observations", "x.csv"], "add --part 2"),
        (["out.xml", "--as-of", "2025-03-31"], "--as-of needs --observations"),
    ],
)
def test_usage_errors_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    folder = write_sample(tmp_path / "s")
    args = [str(tmp_path / args[0]), *args[1:]]
    result = runner.invoke(main, ["convert", str(folder), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not list(tmp_path.glob("out.*"))


def test_hostile_stratml_is_refused_with_the_file_named(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bomb.xml"
    bad.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><StrategicPlan>&a;</StrategicPlan>'
    )
    dest = tmp_path / "out.yaml"
    result = runner.invoke(main, ["convert", str(bad), str(dest)])
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr
    assert "DOCTYPE" in result.stderr
    assert "Traceback" not in (result.stdout + result.stderr)
    assert not dest.exists()


def test_invalid_yaml_source_is_reported_like_every_command(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "strategy.yaml"
    bad.write_text("title: T\n", encoding="utf-8")
    result = runner.invoke(main, ["convert", str(bad), str(tmp_path / "out.xml")])
    assert result.exit_code == 1
    assert "is not a valid strategy file" in result.stderr
    assert "Traceback" not in (result.stdout + result.stderr)
    assert not (tmp_path / "out.xml").exists()


def test_a_missing_source_is_one_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["convert", str(tmp_path / "no.xml"), str(tmp_path / "o.yaml")])
    assert result.exit_code == 1
    assert "cannot read file" in result.stderr
    assert "Traceback" not in (result.stdout + result.stderr)
