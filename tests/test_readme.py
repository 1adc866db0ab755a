"""The README's quick start is the truth: CI runs exactly its test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```console\n\$ (.+)\n```", section)


def test_quick_start_has_exactly_two_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2, commands
    main_job, tests = commands
    assert "stratkit report examples/kmpt_2023_26 -o kmpt-report.html" in main_job
    assert "pytest" in tests


def _ci_block(name: str) -> list[str]:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = ci.split(f"# --- begin README {name}", 1)[1].split("# --- end", 1)[0]
    return [line for line in block.splitlines()[1:] if line.strip()]


def test_ci_runs_the_readme_commands() -> None:
    main_job, tests = _readme_commands()
    assert _ci_block("main job") == [main_job]
    assert _ci_block("test command") == [tests]


def test_readme_python_example_runs() -> None:
    import doctest
    import os

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## In Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block, {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        runner.run(test)
    finally:
        os.chdir(cwd)
    assert test.examples, "the README has no Python example"
    assert runner.failures == 0
