"""Every command the README and the docs show a reader is run, or checked, here.

Commands are taken from ```` ```console ```` blocks (lines starting ``$ ``) and
from ```` ```sh ```` blocks (every line), in README.md, docs/ and the examples'
READMEs. Each is one of:

* ``stratkit ...``: run with the real CLI, page by page in order, in a
  folder that has the repository's ``examples/``; it must exit 0, or 1 where
  the page shows problems in its output (``lint`` exits 1 with findings),
  and print exactly the lines the page shows after it, if it shows any.
  The tutorial, which edits files between commands, is run by
  ``tests/cli/test_cli_tutorial.py``; here we check that that test runs every
  command the tutorial shows.
* ``pip install ...``: must install from the checkout (there is no release on
  PyPI yet) and name only extras that ``pyproject.toml`` defines.
* ``pytest PATH``: the path must exist.
* the README's quick start: CI runs it exactly (``tests/test_readme.py``).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import tomllib
from click.testing import CliRunner

from stratkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial" / "first-report.md"
TUTORIAL_TEST = ROOT / "tests" / "cli" / "test_cli_tutorial.py"
EXTRAS = set(
    tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
)
_FENCE = re.compile(r"^[ \t]*```(console|sh)[ \t]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)


def _pages() -> list[Path]:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    pages += sorted((ROOT / "examples").glob("*/README.md"))
    return [p for p in pages if "_build" not in p.parts]


def _strip_comment(line: str) -> str:
    return re.split(r"\s+#\s", line, maxsplit=1)[0].strip()


def _commands(page: Path) -> list[tuple[str, list[str]]]:
    """``(command, output shown after it)`` for every command on the page."""
    found: list[tuple[str, list[str]]] = []
    for kind, body in _FENCE.findall(page.read_text(encoding="utf-8")):
        lines = [line.strip() for line in body.splitlines()]
        if kind == "sh":
            found += [(_strip_comment(line), []) for line in lines if _strip_comment(line)]
            continue
        for i, line in enumerate(lines):
            if line.startswith("$ "):
                output = []
                for after in lines[i + 1 :]:
                    if after.startswith("$ "):
                        break
                    output.append(after)
                found.append((_strip_comment(line[2:]), output))
    return found


PAGES = [p for p in _pages() if _commands(p)]


def _quick_start() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"```console\n\$ (.+)\n```", section))


def _check_pip(command: str) -> None:
    words = shlex.split(command)
    targets = [w for w in words[words.index("install") + 1 :] if not w.startswith("-")]
    assert targets, command
    for target in targets:
        match = re.fullmatch(r"\.(?:\[([\w,-]+)\])?", target)
        assert match, (
            f"{command!r} installs {target!r}: stratkit has no release on PyPI yet, so the docs "
            "install from the checkout ('.' or '.[extra]')"
        )
        for extra in (match.group(1) or "").split(","):
            assert not extra or extra in EXTRAS, f"{command!r}: no extra {extra!r}"


def _run_stratkit(command: str, output: list[str], runner: CliRunner, where: str) -> None:
    words = shlex.split(command)
    redirect = None
    if ">" in words:
        at = words.index(">")
        words, redirect = words[:at], words[at + 1]
    result = runner.invoke(main, words[1:])
    shows_problems = any("problem" in line or line.startswith("error") for line in output)
    expected = {1} if shows_problems else {0}
    if words[1] == "lint":  # a linter exits 1 when it has findings, as the reference says
        expected = {0, 1}
    assert result.exit_code in expected, (
        f"{where}: `{command}` exited {result.exit_code}\n{(result.stdout + result.stderr)}"
    )
    assert "Traceback" not in (result.stdout + result.stderr)
    printed = (result.stdout + result.stderr).splitlines()
    if output and not redirect:
        assert printed == output, f"{where}: `{command}` prints something else"
    if redirect:
        Path(redirect).write_text(result.stdout, encoding="utf-8")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_commands_shown_on_the_page_work(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    for folder in ("examples", "tests"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    monkeypatch.chdir(tmp_path)
    where = str(page.relative_to(ROOT))
    for shown, output in _commands(page):
        if shown in _quick_start() or shown == "echo $?":
            continue
        # "install the docs extra && build the docs": CI builds the docs
        command = shown.split(" && ", 1)[0]
        head = shlex.split(command)[0]
        if any(w.endswith("pip") for w in command.split()[:4]) and "install" in command.split():
            _check_pip(command)
        elif head == "pytest":
            for path in shlex.split(command)[1:]:
                assert (ROOT / path.split("::")[0]).exists(), f"{where}: {command}"
        elif head == "stratkit":
            if page == TUTORIAL:
                assert command in TUTORIAL_TEST.read_text(encoding="utf-8"), (
                    f"{where}: `{command}` is not run by {TUTORIAL_TEST.name}"
                )
                continue
            _run_stratkit(command, output, runner, where)
        else:
            pytest.fail(f"{where}: `{command}`: this test does not know how to run or check it")
