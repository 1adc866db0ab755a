"""``stratkit validate``, ``lint``, ``schema`` and ``init`` end to end (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import write_sample

from stratkit.cli import main


def test_validate_valid(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "s")
    data = folder / "observations.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text("".join(x for x in lines if not x.startswith("9.9.9,")), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.count("\n") == 2
    strategy_line, data_line = result.stdout.splitlines()
    assert "valid" in strategy_line
    assert "4 outcomes" in strategy_line
    assert data_line.startswith(f"{data}: valid. ")
    assert result.stderr == ""


def test_validate_checks_the_observations_too(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "s")
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "strategy.yaml: valid" in result.stdout
    data = folder / "observations.csv"
    line = next(
        n
        for n, x in enumerate(data.read_text(encoding="utf-8").splitlines(), 1)
        if x.startswith("9.9.9,")
    )
    assert result.stdout.splitlines()[1:] == [  # findings on stdout, as a linter's
        f"{data}:{line} @ outcome_id: no outcome '9.9.9' in the strategy",
        f"{data}: invalid, 1 problem",
    ]
    assert result.stderr == ""


def test_validate_reports_every_problem(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "strategy.yaml"
    bad.write_text(
        "title: T\norganisation: {name: Org}\nperiod: {start: 2023-04-01, end: 2026-03-31}\n"
        "ambitions:\n  - id: '1'\n    title: A\n    colour: red\n    objectives:\n"
        "      - id: '1.1'\n        title: O\n        outcomes:\n"
        "          - id: 1.1.1\n            statement: S\n"
        "            measure: {name: M, unit: precent}\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == ""  # findings are the output, as a linter's are
    lines = result.stdout.strip().splitlines()
    assert len(lines) >= 3  # two problems, then the summary
    assert any("colour" in line for line in lines)
    assert any("precent" in line for line in lines)
    assert f"{bad}:" in lines[0]
    assert ":7:" in result.stdout
    assert lines[-1].endswith("invalid, 2 problems")
    assert "Traceback" not in (result.stdout + result.stderr)


def test_validate_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "cannot read" in result.stderr
    assert "Traceback" not in (result.stdout + result.stderr)


def test_validate_a_folder_without_a_strategy_is_an_error_not_a_finding(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "strategy.yaml" in result.stderr


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["validate"]).exit_code == 2
    assert runner.invoke(main, ["nonsense"]).exit_code == 2
    result = runner.invoke(main, ["evaluate", ".", "--format", "xml"])
    assert result.exit_code == 2
    assert "xml" in result.stderr


@pytest.mark.parametrize("command", ["validate", "lint", "evaluate", "report", "init", "schema"])
def test_every_command_has_help_with_examples(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"stratkit {command}" in result.stdout


def test_main_help_and_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "lint", "evaluate", "report", "init", "schema"):
        assert command in result.stdout
    version = runner.invoke(main, ["--version"])
    assert version.exit_code == 0
    assert version.stdout.startswith("stratkit, version ")


def test_lint_lists_findings_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "s")
    result = runner.invoke(main, ["lint", str(folder)])
    assert result.exit_code == 1
    assert "SK401 outcome 4.1.1: no measure" in result.stdout
    assert "SK404 outcome 1.1.2: no baseline" in result.stdout
    assert "findings in" in result.stderr
    as_json = runner.invoke(main, ["lint", str(folder), "--format", "json"])
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert {
        "outcome_id": "4.1.1",
        "code": "SK401",
        "criterion": "measure",
        "message": "outcome 4.1.1: no measure",
    } in data["findings"]
    assert 0 < data["score"] < 1


def test_lint_invalid_file_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "strategy.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    result = runner.invoke(main, ["lint", str(bad)])
    assert result.exit_code == 1
    assert "is not a valid strategy file" in result.stderr
    assert "Traceback" not in (result.stdout + result.stderr)


def test_schema_prints_json_schema(runner: CliRunner) -> None:
    from stratkit.io import strategy_schema

    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == strategy_schema()


def test_init_blank_then_validate(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "new-trust"
    result = runner.invoke(main, ["init", str(target), "--blank"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert sorted(p.name for p in target.iterdir()) == [
        "README.md",
        "commentary.yaml",
        "observations.csv",
        "strategy.yaml",
    ]
    text = (target / "strategy.yaml").read_text(encoding="utf-8")
    assert text.count("\n#") > 20  # comments that teach the format
    check = runner.invoke(main, ["validate", str(target)])
    assert check.exit_code == 0, check.stdout + check.stderr
    assert "valid" in check.stdout


def test_init_default_is_blank(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "t")])
    assert result.exit_code == 0
    assert (tmp_path / "t" / "strategy.yaml").is_file()


def test_init_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.mkdir()
    (target / "strategy.yaml").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(main, ["init", str(target), "--blank"])
    assert result.exit_code == 1
    assert "never overwrites" in result.stderr
    assert "strategy.yaml" in result.stderr
    assert (target / "strategy.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (target / "observations.csv").exists()  # nothing written at all


def test_init_from_example(runner: CliRunner, tmp_path: Path) -> None:
    from stratkit import examples

    if "kmpt_2023_26" not in examples.names():
        pytest.skip("the KMPT example is not in this checkout")
    target = tmp_path / "copy"
    result = runner.invoke(main, ["init", str(target), "--from", "kmpt_2023_26"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (target / "strategy.yaml").read_bytes() == (
        examples.path("kmpt_2023_26") / "strategy.yaml"
    ).read_bytes()
    assert runner.invoke(main, ["validate", str(target)]).exit_code == 0


def test_init_unknown_example_and_conflicting_options(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "x"), "--from", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr
    both = runner.invoke(main, ["init", str(tmp_path / "y"), "--from", "kmpt_2023_26", "--blank"])
    assert both.exit_code == 2
    assert not (tmp_path / "x").exists()
    assert not (tmp_path / "y").exists()


def test_debug_shows_traceback(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.mkdir()
    (target / "strategy.yaml").write_text("x\n", encoding="utf-8")
    quiet = runner.invoke(main, ["init", str(target)])
    assert (quiet.exit_code == 1 and quiet.exception is None) or isinstance(
        quiet.exception, SystemExit
    )
    for args in (["--debug", "init", str(target)], ["init", str(target), "--debug"]):
        loud = runner.invoke(main, args)
        assert loud.exit_code == 1
        assert loud.exception is not None
        assert not isinstance(loud.exception, SystemExit)


def test_lint_reports_governance_findings(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "s")
    result = runner.invoke(main, ["lint", str(folder), "--format", "json"])
    data = json.loads(result.stdout)
    oversight = [f for f in data["findings"] if f["code"] == "SK409"]
    assert oversight  # the sample says nothing about who oversees what
    assert all(f["criterion"] == "oversight" for f in oversight)
    assert {f["outcome_id"] for f in oversight} == {
        f["outcome_id"] for f in data["findings"] if f["outcome_id"] is not None
    }


def test_lint_of_the_kmpt_example_has_no_unflagged_inference(runner: CliRunner) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "kmpt_2023_26"
    result = runner.invoke(main, ["lint", str(example)])
    assert result.exit_code == 1  # owners and baselines are missing, truly
    assert "SK406" in result.stdout
    assert "SK409" not in result.stdout
    assert "SK410" not in result.stdout
