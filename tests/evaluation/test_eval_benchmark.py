"""The benchmark runs: evaluate's SPC equals spc_many's, its forecasts a hand-written OLS."""

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
    # main() asserts that the core's forecasts equal the numpy baseline's and that the
    # evaluation's icons equal spc_many's on the same points
    assert bench.main(["--trusts", "3", "--per-trust", "20", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "60 series x 60 months = 3,600 observations" in out
    assert "ratio evaluate / spc_many" in out
