"""Shared test configuration: Hypothesis profiles and small helpers.

Profiles (choose with ``HYPOTHESIS_PROFILE=...`` or ``--hypothesis-profile``):

* ``dev`` (the default here): Hypothesis' defaults without a deadline.
* ``ci``: no deadline (pint is slow per scalar and CI machines are noisy),
  derandomised so that a CI failure reproduces.
* ``thorough``: many more examples, for an occasional long run.

The fuzz suite (``tests/fuzz``) runs a fixed, seeded set of cases; run it
longer, with fresh random cases, by ``--fuzz-examples N`` (or the
``STRATKIT_FUZZ_EXAMPLES`` environment variable). The kill test
(``tests/io/test_writing_safely.py``) kills each writer 40 times; ``--kills N``
(or ``STRATKIT_KILLS``) runs it N times, for a long run of hundreds.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from cli_runner import cli_runner

settings.register_profile("dev", deadline=None)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=50,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    deadline=None,
    max_examples=1000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

DATA = Path(__file__).parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=None,
        help="run the fuzz suite with N fresh random cases per test (default: a fixed set)",
    )
    parser.addoption(
        "--kills",
        type=int,
        default=None,
        help="SIGKILL each writer N times in the kill test (default: 40)",
    )


def pytest_configure(config: pytest.Config) -> None:
    n = config.getoption("--fuzz-examples")
    if n:
        os.environ["STRATKIT_FUZZ_EXAMPLES"] = str(n)
    kills = config.getoption("--kills")
    if kills:
        os.environ["STRATKIT_KILLS"] = str(kills)


@pytest.fixture
def data_dir() -> Path:
    """The folder of test data files (``tests/data``)."""
    return DATA


@pytest.fixture
def runner() -> CliRunner:
    return cli_runner()
