"""CLI test fixtures: the sample strategy from ``tests/reporting/samples.py``."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reporting"))


def _separate_stderr_runner() -> CliRunner:
    """A CliRunner whose ``result.stderr`` is captured apart from stdout.

    Click 8.2 always separates them; before 8.2 that needed ``mix_stderr=False``
    (a parameter 8.2 removed). The ``cli`` extra allows both.
    """
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


@pytest.fixture
def runner() -> CliRunner:
    return _separate_stderr_runner()
