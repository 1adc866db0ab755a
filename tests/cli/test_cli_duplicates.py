"""``--duplicates`` on every command that reads observations, and ``stratkit.evaluate``'s.

Two values for the same outcome and month: without a rule they are a problem
naming both rows (set aside with a warning, or refused with ``--strict``);
with a rule the value evaluated is the one the rule gives. The sample
strategy (Sample NHS Trust) and every figure here are illustrative.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import write_sample

import stratkit
from stratkit.cli import main
from stratkit.errors import ObservationsWarning

HEADER = "outcome_id,period,value,unit,numerator,denominator,note\n"
# the two rows for March 2025, at these lines of observations.csv
TRIAGE_LINES = (49, 51)  # 1.1.1, a rate of counts: 96 % (192/200), then 80 % (80/100)
VACANCY_LINES = (50, 52)  # 4.1.2, values only: 16.7 %, then 17.3 %

EXPECTED = {  # rule: (1.1.1's latest value, 4.1.2's)
    "first": (96.0, 16.7),
    "last": (80.0, 17.3),
    "mean": (100 * 272 / 300, 17.0),  # a rate from the combined counts, not (96 + 80) / 2
    "sum": (100 * 272 / 300, 34.0),
}


def _months() -> list[str]:
    month, out = dt.date(2023, 4, 1), []
    for _ in range(24):
        out.append(f"{month.year:04d}-{month.month:02d}")
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def observations(org: str = "") -> str:
    """24 months of 1.1.1 (with counts) and 4.1.2, then a second row for March 2025 of each."""
    rows = ["# illustrative: invented data for tests\n", HEADER]
    for k, period in enumerate(_months()):
        triaged = 164 + k if k < 23 else 192
        vacancy = 16.0 + (k % 5) / 10 if k < 23 else 16.7
        rows.append(f"1.1.1,{period},{triaged / 2:g},%,{triaged},200,\n")
        rows.append(f"4.1.2,{period},{vacancy:g},%,,,\n")
    rows.append("1.1.1,2025-03,80,%,80,100,resubmitted\n")
    rows.append("4.1.2,2025-03,17.3,%,,,resubmitted\n")
    if not org:
        return "".join(rows)
    # a portfolio: the same rows for each organisation, in an org column
    lines = "".join(rows).splitlines()
    out = [lines[0], lines[1] + ",org"]
    for code in org.split(","):
        out += [line + f",{code}" for line in lines[2:]]
    return "\n".join(out) + "\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    found = write_sample(tmp_path / "sample")
    (found / "observations.csv").write_text(observations(), encoding="utf-8")
    return found


def _latest(runner: CliRunner, folder: Path, *options: str) -> dict[str, tuple[float, str]]:
    """Each outcome's latest value and period end, from ``evaluate --format json``."""
    result = runner.invoke(main, ["evaluate", str(folder), "--format", "json", *options])
    assert result.exit_code == 0, result.stdout + result.stderr
    return {
        r["outcome_id"]: (r["latest_value"], r["latest_end"])
        for r in json.loads(result.stdout)["results"]
        if r["latest_value"] is not None
    }


def test_without_a_rule_both_rows_are_named_and_set_aside(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["evaluate", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    said = result.stdout + result.stderr
    data = folder / "observations.csv"
    for ident, (a, b) in (("1.1.1", TRIAGE_LINES), ("4.1.2", VACANCY_LINES)):
        assert (
            f"warning: {data}:{b} @ period: 2 values for outcome {ident}, period 2025-03 "
            f"({data}:{a}: " in said
        )
        assert f"; {data}:{b}: " in said
    assert "--duplicates on the command line" in said
    assert "2 observation problems: the rows concerned are not used" in said
    latest = {r["outcome_id"]: r for r in json.loads(result.stdout)["results"]}
    assert latest["1.1.1"]["latest_end"] == "2025-02-28"  # March is not used
    assert latest["4.1.2"]["latest_end"] == "2025-02-28"


def test_strict_refuses_naming_both_lines(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["evaluate", str(folder), "--strict"])
    assert result.exit_code == 1
    said = result.stdout + result.stderr
    data = folder / "observations.csv"
    for a, b in (TRIAGE_LINES, VACANCY_LINES):
        assert f"{data}:{b} @ period: 2 values for outcome" in said
        assert f"({data}:{a}: " in said
    assert result.stdout == ""


@pytest.mark.parametrize("rule", ["first", "last", "mean", "sum"])
def test_a_rule_chooses_the_value_evaluated(runner: CliRunner, folder: Path, rule: str) -> None:
    latest = _latest(runner, folder, "--duplicates", rule, "--strict")
    triage, vacancy = EXPECTED[rule]
    assert latest["1.1.1"] == (pytest.approx(triage), "2025-03-31")
    assert latest["4.1.2"] == (pytest.approx(vacancy), "2025-03-31")


def test_the_rule_reaches_the_csv_export(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(
        main, ["evaluate", str(folder), "--duplicates", "last", "--format", "csv"]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    rows = {r["outcome_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert float(rows["1.1.1"]["latest_value"]) == 80.0
    assert rows["1.1.1"]["latest_note"] == "resubmitted"
    assert "2 values" not in result.stdout + result.stderr


def test_validate_with_a_rule_passes(runner: CliRunner, folder: Path) -> None:
    refused = runner.invoke(main, ["validate", str(folder)])
    assert refused.exit_code == 1
    assert "2 values for outcome 1.1.1, period 2025-03" in refused.stdout + refused.stderr
    result = runner.invoke(main, ["validate", str(folder), "--duplicates", "mean"])
    assert result.exit_code == 0, result.stdout + result.stderr
    # 50 rows read, 2 pairs combined into one row each
    assert "observations.csv: valid. 48 observations of 2 outcomes" in result.stdout


def test_report_with_a_rule_writes_the_pack(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pack.html"
    result = runner.invoke(
        main, ["report", str(folder), "--duplicates", "first", "--strict", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "wrote" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Triage within 1 hour" in html
    markdown = runner.invoke(
        main, ["report", str(folder), "--duplicates", "last", "--format", "md", "-o", "-"]
    )
    assert markdown.exit_code == 0, markdown.stdout + markdown.stderr
    assert "17.3" in markdown.stdout  # the vacancy rate kept by `last`


def test_an_unknown_rule_is_a_usage_error(runner: CliRunner, folder: Path) -> None:
    for command in ("validate", "evaluate", "report"):
        result = runner.invoke(main, [command, str(folder), "--duplicates", "median"])
        assert result.exit_code == 2, command
        said = result.stdout + result.stderr
        assert "--duplicates" in said
        assert "median" in said


def test_the_help_says_what_each_rule_does(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--help"])
    said = " ".join((result.stdout + result.stderr).split())
    assert "--duplicates [error|first|last|mean|sum]" in said
    assert "error (the default) reports an error naming every row" in said
    assert "first or last keeps that row, in file order" in said
    assert "mean or sum combines the values" in said


def test_the_rules_are_the_library_s() -> None:
    from stratkit.cli import _app
    from stratkit.io.observations import DUPLICATE_RULES

    assert _app.DUPLICATE_RULES == DUPLICATE_RULES


def test_convert_to_a_performance_report_with_a_rule(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "report.xml"
    data = str(folder / "observations.csv")
    base = ["convert", str(folder), str(dest), "--part", "2", "--observations", data]
    result = runner.invoke(main, [*base, "--duplicates", "last"])
    assert result.exit_code == 0, result.stdout + result.stderr
    xml = dest.read_text(encoding="utf-8")
    assert "17.3" in xml  # the row kept
    without = runner.invoke(main, ["convert", str(folder), str(dest), "--duplicates", "last"])
    assert without.exit_code == 2
    assert "--duplicates needs --observations" in without.stdout + without.stderr


# --- a portfolio -----------------------------------------------------------------------


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    found = write_sample(tmp_path / "portfolio")
    (found / "observations.csv").write_text(observations("RXA,RXB"), encoding="utf-8")
    return found


def _entities(runner: CliRunner, folder: Path, *options: str) -> dict[str, str]:
    result = runner.invoke(main, ["evaluate", str(folder), "--format", "csv", *options])
    assert result.exit_code == 0, result.stdout + result.stderr
    return {
        r["entity"]: r["latest_value"]
        for r in csv.DictReader(io.StringIO(result.stdout))
        if r["outcome_id"] == "4.1.2" and r["level"] == "entity"
    }


def test_a_portfolio_names_each_entity_s_duplicates(runner: CliRunner, portfolio: Path) -> None:
    result = runner.invoke(main, ["evaluate", str(portfolio), "--format", "csv"])
    assert result.exit_code == 0, result.stdout + result.stderr
    said = result.stdout + result.stderr
    for org in ("RXA", "RXB"):
        assert f"2 values for outcome 4.1.2 for {org}, period 2025-03" in said
        assert f"2 values for outcome 1.1.1 for {org}, period 2025-03" in said
    strict = runner.invoke(main, ["evaluate", str(portfolio), "--by", "org", "--strict"])
    assert strict.exit_code == 1
    assert "4 problems" in strict.stdout + strict.stderr


@pytest.mark.parametrize("rule", ["first", "last", "mean", "sum"])
def test_a_portfolio_combines_each_entity_s_rows(
    runner: CliRunner, portfolio: Path, rule: str
) -> None:
    for options in ((), ("--by", "org")):
        latest = _entities(runner, portfolio, "--duplicates", rule, "--strict", *options)
        expected = EXPECTED[rule][1]
        assert {k: float(v) for k, v in latest.items()} == {
            "RXA": pytest.approx(expected),
            "RXB": pytest.approx(expected),
        }


# --- stratkit.evaluate -----------------------------------------------------------------


def test_evaluate_in_python_takes_the_rule(folder: Path) -> None:
    data = folder / "observations.csv"
    ev = stratkit.evaluate(folder, data, duplicates="sum")
    assert ev["4.1.2"].latest_value == pytest.approx(34.0)
    assert ev["1.1.1"].latest_value == pytest.approx(100 * 272 / 300)
    assert stratkit.evaluate(folder, data, duplicates="first")["4.1.2"].latest_value == 16.7
    with pytest.warns(ObservationsWarning, match="--duplicates on the command line"):
        ev = stratkit.evaluate(folder, data)
    assert ev["4.1.2"].latest_end == dt.date(2025, 2, 28)


def test_evaluate_in_python_refuses_an_unknown_rule(folder: Path) -> None:
    with pytest.raises(ValueError, match=r"duplicates='bogus': expected one of 'error', "):
        stratkit.evaluate(folder, folder / "observations.csv", duplicates="bogus")


def test_evaluate_a_portfolio_in_python_takes_the_rule(portfolio: Path) -> None:
    data = portfolio / "observations.csv"
    result = stratkit.evaluate(portfolio, data, by="org", duplicates="mean")
    for org in ("RXA", "RXB"):
        assert result[org]["4.1.2"].latest_value == pytest.approx(17.0)
