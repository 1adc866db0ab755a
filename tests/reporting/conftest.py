"""Report test fixtures: evaluations of the sample strategy, plain and hostile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from samples import evaluate_folder, write_sample


@pytest.fixture(scope="module")
def sample_evaluation(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return evaluate_folder(write_sample(tmp_path_factory.mktemp("plain")))


@pytest.fixture(scope="module")
def hostile_evaluation(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return evaluate_folder(write_sample(tmp_path_factory.mktemp("hostile"), hostile_text=True))


@pytest.fixture
def sample_folder(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "sample")
