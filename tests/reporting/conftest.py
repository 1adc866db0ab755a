"""Report test fixtures: evaluations of the sample strategy, plain and hostile, and of
the KMPT example."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from samples import evaluate_folder, evaluate_kmpt, write_sample


@pytest.fixture(scope="module")
def sample_evaluation(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return evaluate_folder(write_sample(tmp_path_factory.mktemp("plain")))


@pytest.fixture(scope="module")
def hostile_evaluation(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return evaluate_folder(write_sample(tmp_path_factory.mktemp("hostile"), hostile_text=True))


@pytest.fixture
def sample_folder(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "sample")


@pytest.fixture(scope="module")
def kmpt() -> Any:
    """The KMPT example evaluated as of 31 March 2025."""
    return evaluate_kmpt()
