"""The command line reference documents every command and option there is."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from stratkit.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "cli.md"


def test_every_command_and_option_is_documented() -> None:
    if not DOC.is_file():
        pytest.skip("docs not in this checkout")
    text = DOC.read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert f"## `stratkit {name}" in text, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("-") and opt not in ("-h", "--help"):
                    assert f"`{opt}" in text or f"{opt} " in text, (name, opt)
    for param in main.params:
        for opt in param.opts:
            assert opt in text, opt
