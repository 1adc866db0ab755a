"""Benchmark: the HTML board pack, per outcome and cold from the command line.

Usage::

    python benchmarks/bench_report.py [--outcomes 1000] [--repeat 3] [--runs 5]

1. **Per outcome.** A synthetic strategy of ``--outcomes`` outcomes with 60 monthly
   values each (``bench_evaluate.build``) is evaluated (SPC on, as for a report),
   then its HTML board pack is rendered (every chart, the summary tables, the
   templates). Best of ``--repeat`` each, both in this process; reported as
   milliseconds per outcome and as a ratio to ``evaluate()`` on the same data.
   Goal: at most 2 ms per outcome. Both wall-clock and CPU time are printed; the
   goals are judged on CPU time, which other work on the machine disturbs less.
2. **Cold.** A fresh ``stratkit report examples/kmpt_2023_26 -o ...`` (load, evaluate
   72 outcomes, draw and write the pack), against a fresh
   ``python -c "import numpy, pint"`` (the imports any stratkit run pays), each
   ``--runs`` times, interleaved; the median of each and their ratio.
   Goal: at most 2x the import line.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_evaluate import AS_OF, build

from stratkit.evaluation import evaluate
from stratkit.reporting import report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kmpt_2023_26"
GOAL_MS_PER_OUTCOME = 2.0
GOAL_COLD_RATIO = 2.0


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, float]:
    """The best wall-clock and the best CPU seconds of ``repeat`` calls."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def per_outcome(n_outcomes: int, repeat: int) -> None:
    per_trust = 100
    strategy, observations = build(max(n_outcomes // per_trust, 1), per_trust)
    n = sum(1 for _ in strategy.outcomes())
    t_eval = best_of(repeat, lambda: evaluate(strategy, observations, as_of=AS_OF))
    fresh = [evaluate(strategy, observations, as_of=AS_OF) for _ in range(repeat)]
    size = 0

    def render() -> None:
        nonlocal size
        size = len(report(fresh.pop(), format="html"))

    t_report, cpu_report = best_of(repeat, render)
    ms, cpu_ms = t_report / n * 1000, cpu_report / n * 1000
    print(f"outcomes:         {n} x 60 months ({size / 1e6:.1f} MB of HTML)")
    print(f"evaluate():       {t_eval[0] * 1000:8.1f} ms wall, {t_eval[1] * 1000:8.1f} ms CPU")
    print(
        f"HTML report:      {t_report * 1000:8.1f} ms wall = {ms:.2f} ms per outcome; "
        f"{cpu_report * 1000:.1f} ms CPU = {cpu_ms:.2f} ms per outcome"
    )
    print(f"ratio:            {cpu_report / t_eval[1]:.1f}x evaluate() on the same data (CPU)")
    verdict = "meets" if cpu_ms <= GOAL_MS_PER_OUTCOME else "MISSES"
    print(
        f"goal:             <= {GOAL_MS_PER_OUTCOME:.0f} ms per outcome (CPU time, which other "
        f"work on the machine disturbs less): {verdict} it"
    )


def stratkit_command() -> list[str]:
    script = Path(sys.executable).with_name("stratkit")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "stratkit"]


# Both commands run as an installed stratkit does: with bytecode caches. The
# environment may forbid writing them (PYTHONDONTWRITEBYTECODE, as some CI and
# sandboxes set), and then every cold run would compile stratkit's ~80 modules from
# source (about 0.4 s) while numpy and pint load the .pyc files pip wrote.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def cold(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "kmpt.html"
        command = [*stratkit_command(), "report", str(EXAMPLE), "-o", str(out)]
        command += ["--as-of", "2025-03-31"]
        baseline = [sys.executable, "-c", "import numpy, pint"]
        timed(command)  # warm the file cache and the bytecode cache once
        pairs = [(timed(baseline), timed(command)) for _ in range(runs)]
        if not out.is_file():
            raise SystemExit(f"{out} was not written")
    base = statistics.median(b[0] for b, _ in pairs)
    rep = statistics.median(r[0] for _, r in pairs)
    base_cpu = statistics.median(b[1] for b, _ in pairs)
    rep_cpu = statistics.median(r[1] for _, r in pairs)
    print(f"import numpy, pint: median {base * 1000:7.1f} ms wall, {base_cpu * 1000:7.1f} ms CPU")
    print(
        f"stratkit report:    median {rep * 1000:7.1f} ms wall, {rep_cpu * 1000:7.1f} ms CPU "
        f"(KMPT, 72 outcomes, cold, {runs} runs)"
    )
    print(f"ratio:              {rep / base:.2f}x wall, {rep_cpu / base_cpu:.2f}x CPU")
    verdict = "meets" if rep_cpu / base_cpu <= GOAL_COLD_RATIO else "MISSES"
    print(f"goal:               <= {GOAL_COLD_RATIO:.0f}x the import line (CPU): {verdict} it")
    if hasattr(os, "getloadavg"):
        print(f"machine:            {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outcomes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    per_outcome(args.outcomes, args.repeat)
    print()
    cold(args.runs)


if __name__ == "__main__":
    main()
