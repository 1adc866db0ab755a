"""The tutorial's console sessions are what the commands really print.

``docs/tutorial/first-report.md`` shows the output of each step; this test
runs the same steps and checks every line the tutorial shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from stratkit.cli import main

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial" / "first-report.md"


def shown_output(text: str, command: str) -> list[str]:
    """The lines the tutorial shows after ``$ command`` (up to the next prompt or fence)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line == f"$ {command}":
            out = []
            for following in lines[i + 1 :]:
                if following.startswith(("$ ", "```")):
                    break
                out.append(following)
            return out
    raise AssertionError(f"the tutorial does not show `$ {command}`")


def run(runner: CliRunner, *args: str) -> list[str]:
    result = runner.invoke(main, list(args))
    return (result.stdout + result.stderr).splitlines()


def test_tutorial_sessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    if not TUTORIAL.is_file():
        pytest.skip("docs not in this checkout")
    text = TUTORIAL.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert sorted(run(runner, "init", "my-trust", "--blank")) == sorted(
        shown_output(text, "stratkit init my-trust --blank")
    )
    assert run(runner, "validate", "my-trust") == shown_output(text, "stratkit validate my-trust")
    assert run(runner, "lint", "my-trust") == shown_output(text, "stratkit lint my-trust")
    command = "stratkit evaluate my-trust --as-of 2025-06-30"
    assert run(runner, *command.split()[1:]) == shown_output(text, command)
    command = "stratkit report my-trust --as-of 2025-06-30 -o board-report.html"
    assert run(runner, *command.split()[1:]) == shown_output(text, command)
    for command in (
        "stratkit --version",
        "stratkit init kmpt-copy --from kmpt_2023_26",
        "stratkit report my-trust --as-of 2025-06-30 -o board-report.md",
    ):
        assert run(runner, *command.split()[1:]) == shown_output(text, command)
    assert (tmp_path / "kmpt-copy" / "strategy.yaml").is_file()
    assert (tmp_path / "board-report.md").read_text(encoding="utf-8").startswith("# ")

    # the mistakes the tutorial makes on purpose, then its validate output
    path = tmp_path / "my-trust" / "strategy.yaml"
    yaml = path.read_text(encoding="utf-8")
    yaml = yaml.replace("    title: People we care for", "    titel: People we care for", 1)
    yaml = re.sub(r"(?m)^(\s+value: )95 %$", r"\g<1>95 precent", yaml, count=1)
    path.write_text(yaml, encoding="utf-8")
    sessions = [
        i for i, line in enumerate(text.splitlines()) if line == "$ stratkit validate my-trust"
    ]
    assert len(sessions) == 2
    second = text.splitlines()[sessions[1] + 1 :]
    expected = []
    for line in second:
        if line.startswith(("$ ", "```")):
            break
        expected.append(line)
    result = runner.invoke(main, ["validate", "my-trust"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == expected  # findings on stdout, as a linter's
    assert result.stderr == ""
