"""The benchmark runs, and its hand-written numpy baseline agrees with the vectorised core."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_evaluate.py"


def test_small_portfolio_benchmark_agrees_with_the_baseline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = importlib.util.spec_from_file_location("bench_evaluate", BENCH)
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    # main() asserts that the core's statuses and forecasts equal the baseline's
    assert bench.main(["--trusts", "3", "--per-trust", "20", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "60 series x 60 months = 3,600 observations" in out
    assert "ratio core / baseline" in out
