"""The board pack's own files: commentary, branding, templates, committee selection."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from samples import evaluate_folder, write_sample

from stratkit.errors import PackFileError, SelectionError
from stratkit.reporting import load_pack, report, write_report
from stratkit.reporting.branding import read_branding
from stratkit.reporting.commentary import read_commentary_text
from stratkit.reporting.pack import PackOptions

COMMENTARY = """\
commentary:
  - outcome: "4.1.2"
    period: 2025-03
    narrative: Spend rose after two wards reopened.
    actions:
      - Weekly review of agency bookings.
    owner: Chief Nurse
    expected_recovery: 2025-09
"""


def folder_with(tmp_path: Path, **files: str) -> Path:
    folder = write_sample(tmp_path / "sample")
    for name, text in files.items():
        path = folder / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def pack_of(folder: Path, **kw: Any) -> tuple[Any, PackOptions]:
    return evaluate_folder(folder), load_pack(folder, **kw)


def test_commentary_is_read_with_every_field() -> None:
    c = read_commentary_text(COMMENTARY)
    (entry,) = c.comments
    assert entry.outcome_id == "4.1.2"
    assert entry.period == dt.date(2025, 3, 1)
    assert entry.actions == ("Weekly review of agency bookings.",)
    assert entry.owner == "Chief Nurse"
    assert entry.expected_recovery == dt.date(2025, 9, 1)
    assert entry.recovery_is_month
    assert c.latest("4.1.2", dt.date(2025, 2, 28)) is None  # written after that date
    assert c.latest("4.1.2", dt.date(2025, 4, 30)) == entry


def test_commentary_problems_are_listed_at_once_with_lines() -> None:
    text = (
        "commentary:\n"
        "  - outcome: 1.10\n"
        "    period: 2025-13\n"
        "    narativ: typo\n"
        "  - outcome: '1.1.1'\n"
        "    period: 2025-03\n"
        "    narrative: fine\n"
        "  - outcome: '1.1.1'\n"
        "    period: 2025-03-31\n"
        "    narrative: again\n"
    )
    with pytest.raises(PackFileError) as info:
        read_commentary_text(text, "commentary.yaml")
    problems = info.value.problems
    where = {p.path: p.line for p in problems}
    assert where["commentary[0].narativ"] == 4
    assert where["commentary[0].period"] == 3
    assert "commentary[0].narrative" in where
    assert any("second entry for outcome 1.1.1" in p.message for p in problems)
    assert all(p.file == "commentary.yaml" for p in problems)


def test_the_scaffolded_commentary_file_reads_as_empty() -> None:
    from importlib import resources

    from stratkit.reporting.commentary import read_commentary

    scaffold = resources.files("stratkit") / "_scaffold" / "commentary.yaml"
    with resources.as_file(scaffold) as path:
        c = read_commentary(path)
    assert c.comments == ()
    assert c.file is not None  # a file kept: missing commentary will be listed


def test_unquoted_id_keeps_its_digits() -> None:
    c = read_commentary_text("commentary:\n - {outcome: 1.10, period: 2025-03, narrative: x}\n")
    assert c.comments[0].outcome_id == "1.10"


def test_commentary_on_the_card_in_markdown_and_not_listed_missing(tmp_path: Path) -> None:
    ev, pack = pack_of(folder_with(tmp_path, **{"commentary.yaml": COMMENTARY}))
    html = report(ev, format="html", pack=pack)
    assert "Commentary, Mar 2025" in html
    assert "Weekly review of agency bookings." in html
    assert "Expected recovery:</strong> Sep 2025" in html
    assert "No commentary yet" not in html
    md = report(ev, format="md", pack=pack)
    assert "**Commentary, Mar 2025:** Spend rose after two wards reopened." in md
    assert "**Expected recovery:** Sep 2025" in md


def test_missing_commentary_for_off_track_outcome_is_listed(tmp_path: Path) -> None:
    ev, pack = pack_of(folder_with(tmp_path, **{"commentary.yaml": "commentary: []\n"}))
    assert ev["4.1.2"].status.value == "off_track"
    html = report(ev, format="html", pack=pack)
    assert "No commentary yet</strong> for the latest data of 1 off-track outcome" in html
    assert '<a href="#outcome-4.1.2"' in html


def test_no_commentary_file_lists_nothing_missing(tmp_path: Path) -> None:
    ev, pack = pack_of(folder_with(tmp_path))  # a trust that keeps no commentary
    assert "No commentary yet" not in report(ev, pack=pack)


def test_old_commentary_is_shown_but_still_missing(tmp_path: Path) -> None:
    old = COMMENTARY.replace("period: 2025-03", "period: 2025-01")
    ev, pack = pack_of(folder_with(tmp_path, **{"commentary.yaml": old}))
    html = report(ev, format="html", pack=pack)
    assert "Commentary, Jan 2025" in html
    assert "written before the latest data, Mar 2025" in html
    assert "No commentary yet" in html


def test_commentary_for_an_unknown_outcome_is_named(tmp_path: Path) -> None:
    text = "commentary:\n - {outcome: '9.9.9', period: 2025-03, narrative: x}\n"
    ev, pack = pack_of(folder_with(tmp_path, **{"commentary.yaml": text}))
    assert "Commentary for outcomes not in the strategy: 9.9.9" in report(ev, pack=pack)


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_branding_embeds_the_logo_and_sets_colours(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        **{
            "branding.yaml": (
                "name: Example NHS Trust\nlogo: logo.png\n"
                "colours: {primary: '#330072', accent: '#e8edee'}\n"
            )
        },
    )
    (folder / "logo.png").write_bytes(PNG)
    ev, pack = pack_of(folder)
    html = report(ev, pack=pack)
    assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in html
    assert 'alt="Example NHS Trust logo"' in html
    assert "--primary: #330072" in html
    assert "Example NHS Trust" in html


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("colours: {primary: '#ffee00'}\n", "colours.primary", "too light"),
        ("colours: {primary: 'red; } body {'}\n", "colours.primary", "not a colour"),
        ("logo: ../../etc/passwd.png\n", "logo", "outside the strategy folder"),
        ("logo: logo.exe\n", "logo", "not an image"),
        ("logo: missing.png\n", "logo", "no such file"),
        ("nmae: x\n", "nmae", "unknown field"),
    ],
)
def test_branding_problems(tmp_path: Path, text: str, path: str, words: str) -> None:
    (tmp_path / "branding.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PackFileError) as info:
        read_branding(tmp_path / "branding.yaml")
    (problem,) = info.value.problems
    assert problem.path == path
    assert words in problem.message
    assert problem.line == 1


def test_a_trust_overrides_a_template_and_text_stays_escaped(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        **{
            "templates__guide.html.j2": (
                '<h2 id="guide">Our guide</h2><p>{{ title }} & {{ "<b>x</b>" }}</p>'
            )
        },
    )
    ev, pack = pack_of(folder)
    html = report(ev, pack=pack)
    assert "Our guide" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html  # autoescape holds in the trust's template
    assert '<h2 id="guide">How to read this report' not in html


def test_a_trust_template_can_extend_the_builtin(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        **{
            "templates__pack.css": (
                '{% extends "stratkit/pack.css" %}{% block extra_css %}'
                "h1 { letter-spacing: 1px; }{% endblock %}"
            )
        },
    )
    ev, pack = pack_of(folder)
    html = report(ev, pack=pack)
    assert "h1 { letter-spacing: 1px; }" in html
    assert "size: A4 landscape" in html


def test_a_broken_template_is_a_clear_error(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, **{"templates__guide.html.j2": "{{ no_such_value }}"})
    ev, pack = pack_of(folder)
    with pytest.raises(PackFileError) as info:
        report(ev, pack=pack)
    assert "guide.html.j2:1" in str(info.value)
    assert "no_such_value" in str(info.value)


def test_committee_pack_of_one_ambition(tmp_path: Path) -> None:
    ev, pack = pack_of(folder_with(tmp_path), ambitions=["4"])
    html = report(ev, pack=pack)
    assert (
        "Committee pack:</strong> enabler 4" in html
        or "Committee pack:</strong> ambition 4" in html
    )
    assert 'id="outcome-4.1.2"' in html
    assert 'id="outcome-1.1.1"' not in html
    assert "2 of the strategy's 4 outcomes" in html
    md = report(ev, format="md", pack=pack)
    assert "**Committee pack:**" in md
    assert "1.1.1" not in md.split("## Summary")[1]


def test_unknown_ambition_is_an_error_naming_the_ambitions(tmp_path: Path) -> None:
    ev, pack = pack_of(folder_with(tmp_path), ambitions=["7"])
    with pytest.raises(SelectionError, match=r"no ambition '7'.*1 \("):
        report(ev, pack=pack)


def test_cli_committee_pack_and_note(tmp_path: Path) -> None:
    pytest.importorskip("click")
    from cli_runner import cli_runner
    from stratkit.cli import main

    folder = folder_with(tmp_path, **{"commentary.yaml": "commentary: []\n"})
    out = tmp_path / "pack.html"
    run = cli_runner().invoke(
        main, ["report", str(folder), "--ambition", "4", "-o", str(out), "--as-of", "2025-03-31"]
    )
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "2 of 4 outcomes" in run.stderr
    assert "no commentary yet for off-track outcome 4.1.2" in run.stderr
    bad = cli_runner().invoke(main, ["report", str(folder), "--ambition", "9", "-o", str(out)])
    assert bad.exit_code == 1
    assert "no ambition '9'" in bad.stderr


def test_write_report_pdf_suffix(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    ev = evaluate_folder(write_sample(tmp_path / "s"))
    path = write_report(ev, tmp_path / "pack.pdf")
    assert path.read_bytes().startswith(b"%PDF-")
    assert not list(tmp_path.glob(".pack.pdf.*"))  # no temporary file left behind


def _with_forum(tmp_path: Path) -> Path:
    import yaml
    from samples import plain, strategy_data

    import stratkit

    if not hasattr(stratkit.Strategy, "overseen_by"):
        pytest.skip("this model records no forum oversight yet (the governance fields)")
    data = strategy_data(plain, plain)
    data["governance"] = {
        "forums": [
            {"name": "Board", "oversees": ["1", "4"]},
            {"name": "Finance Committee", "reports_to": "Board", "oversees": ["4"]},
        ]
    }
    folder = write_sample(tmp_path / "forum")
    (folder / "strategy.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return folder


def test_committee_pack_of_what_a_forum_oversees(tmp_path: Path) -> None:
    folder = _with_forum(tmp_path)
    ev, pack = pack_of(folder, forum="Finance Committee")
    html = report(ev, pack=pack)
    assert "the outcomes the Finance Committee oversees" in html
    assert 'id="outcome-4.1.2"' in html
    assert 'id="outcome-1.1.1"' not in html
    assert "Overseen by: Board, Finance Committee" in html  # each card names its forums
    with pytest.raises(SelectionError, match="Audit"):
        report(ev, pack=load_pack(folder, forum="Audit"))


def test_commentary_reaches_the_csv_json_and_excel_exports(tmp_path: Path) -> None:
    import csv
    import io
    import json

    from stratkit.reporting import report, write_report

    folder = folder_with(tmp_path, **{"commentary.yaml": COMMENTARY})
    ev, pack = pack_of(folder)
    rows = {
        r["outcome_id"]: r
        for r in csv.DictReader(io.StringIO(report(ev, format="csv", pack=pack)))
    }
    assert rows["4.1.2"]["commentary_period"] == "2025-03"
    assert rows["4.1.2"]["commentary_actions"] == "Weekly review of agency bookings."
    assert rows["4.1.2"]["commentary_owner"] == "Chief Nurse"
    assert rows["4.1.2"]["expected_recovery"] == "2025-09"
    assert rows["4.1.2"]["commentary"] == read_commentary_text(COMMENTARY).comments[0].narrative
    others = [r for oid, r in rows.items() if oid != "4.1.2"]
    assert others
    assert all(r["commentary"] == "" for r in others)
    without = csv.DictReader(io.StringIO(report(ev, format="csv")))
    assert all(r["commentary"] == "" for r in without)

    data = json.loads(report(ev, format="json", pack=pack))
    commented = [r for r in data["results"] if "commentary" in r]
    assert [r["outcome_id"] for r in commented] == ["4.1.2"]
    assert commented[0]["commentary"]["expected_recovery"] == "2025-09"
    assert json.loads(report(ev, format="json")) == {
        **data,
        "results": [{k: v for k, v in r.items() if k != "commentary"} for r in data["results"]],
    }

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(write_report(ev, tmp_path / "r.xlsx", pack=pack))
    sheet = book["results"]
    header = [c.value for c in sheet[1]]
    found = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    assert found["4.1.2"]["commentary_owner"] == "Chief Nurse"


def test_cli_evaluate_exports_the_folders_commentary(tmp_path: Path) -> None:
    import csv
    import io

    from cli_runner import cli_runner
    from stratkit.cli import main

    folder = folder_with(tmp_path, **{"commentary.yaml": COMMENTARY})
    result = cli_runner().invoke(main, ["evaluate", str(folder), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = {r["outcome_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["4.1.2"]["commentary_owner"] == "Chief Nurse"
