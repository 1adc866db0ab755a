"""The CLI on a portfolio: ``evaluate --by`` and ``report --by/--entity``."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from click.testing import CliRunner

from stratkit.cli import main

AE = Path(__file__).resolve().parents[2] / "examples" / "nhs_ae_4h"


def test_evaluate_by_org_lists_every_provider_and_england(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", str(AE), "--by", "org", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    providers = {r["entity"] for r in rows if r["level"] == "entity"}
    assert len(providers) == 274
    england = [r for r in rows if r["entity"] == "ALL"]
    assert [r["name"] for r in england] == ["England", "England"]
    assert {r["outcome_id"] for r in england} == {"1.1.1", "1.1.2"}


def test_observations_with_an_org_column_are_a_portfolio_by_default(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", str(AE)])
    assert result.exit_code == 0, result.stderr
    assert "274 entities (by org)" in result.stdout
    assert "England" in result.stdout


def test_report_writes_the_portfolio_pack(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "ae.html"
    result = runner.invoke(main, ["report", str(AE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "portfolio pack: 274 entities" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Making Data Count matrix" in html
    assert "England (total)" in html


def test_report_of_a_selection_of_entities(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "two.html"
    result = runner.invoke(
        main, ["report", str(AE), "--entity", "RCU", "--entity", "RA4", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count('class="multiple"') == 4  # two providers x two outcomes
    assert ">RJ1<" not in html


def test_unknown_entity_and_markdown_are_refused_clearly(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = runner.invoke(
        main, ["report", str(AE), "--entity", "NOPE", "-o", str(tmp_path / "x.html")]
    )
    assert bad.exit_code == 2
    assert "no entity NOPE" in bad.stderr
    md = runner.invoke(main, ["report", str(AE), "-o", str(tmp_path / "x.md")])
    assert md.exit_code == 2
    assert "portfolio pack is HTML" in md.stderr
    assert not (tmp_path / "x.md").exists()


def test_entity_without_a_portfolio_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "ae"
    folder.mkdir()
    shutil.copy(AE / "strategy.yaml", folder / "strategy.yaml")
    result = runner.invoke(main, ["report", str(folder), "--entity", "RCU"])
    assert result.exit_code == 2
    assert "--entity needs a portfolio" in result.stderr


def test_by_another_column_name(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "sites"
    folder.mkdir()
    shutil.copy(AE / "strategy.yaml", folder / "strategy.yaml")
    text = (AE / "observations.csv").read_text(encoding="utf-8")
    head, _, rest = text.partition("outcome_id,org,")
    lines = (head + "outcome_id,site," + rest).splitlines()[:200]
    (folder / "observations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["evaluate", str(folder), "--by", "site", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert '"by": "site"' in result.stdout
