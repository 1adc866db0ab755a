"""Benchmark: the fuzz suite's throughput, and its slowest case per input byte.

Runs the mutations of ``tests/fuzz/mutations.py`` (node and byte level, on
every example strategy) through load -> evaluate -> report, and the
mutated observation files through the reader, then prints:

* cases per second, for strategies and for observations;
* the slowest case's time per input byte (microseconds per byte), and the
  ratio of that to the median case's: a quadratic path shows up as a ratio
  that grows with ``--scale``;
* a scaling check: one long hostile line (quantity text, unit name, unknown
  keys) at 10x and 100x the size, whose time must grow about 10x, not 100x;
* the kill test's rate (``tests/io/test_writing_safely.py``): SIGKILLs of
  ``save`` and ``write_report`` per second, each followed by its checks, and the
  ratio of that to the same writer's uninterrupted writes per second (a kill
  costs a fork, a start of the write and the next write).

Run from the repository root::

    .venv/bin/python benchmarks/bench_fuzz.py [--cases 300] [--seed 15] [--kills 40]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
sys.path.insert(1, str(ROOT / "tests" / "io"))
import mutations  # noqa: E402


def _run(
    cases: list[bytes], fn: Callable[[bytes], str]
) -> tuple[float, list[tuple[float, int, str]]]:
    timings = []
    start = time.perf_counter()
    for raw in cases:
        stage, seconds = mutations.timed(fn, raw)
        timings.append((seconds, len(raw), stage))
    return time.perf_counter() - start, timings


def _report(label: str, total: float, timings: list[tuple[float, int, str]]) -> None:
    per_byte = [s / max(n, 1) for s, n, _ in timings]
    worst = max(range(len(timings)), key=lambda i: per_byte[i])
    seconds, size, stage = timings[worst]
    median = statistics.median(per_byte)
    stages = {s: sum(1 for t in timings if t[2] == s) for _, _, s in timings}
    print(
        f"{label:13s} {len(timings) / total:7.1f} cases/s   slowest {seconds * 1e3:7.1f} ms "
        f"for {size:,} bytes = {per_byte[worst] * 1e6:.2f} us/byte "
        f"({per_byte[worst] / median:.1f} x the median; {stage})   {stages}"
    )


def _scaling() -> None:
    import stratkit
    from stratkit.errors import StratkitError

    base = mutations.VALID.read_text(encoding="utf-8")
    shapes = {
        "quantity": lambda n: base.replace("value: 14 %", f'value: "1 a{" " * n}b"'),
        "unit name": lambda n: base.replace("unit: '%'", f"unit: {'a' * n}"),
        "unknown keys": lambda n: base.replace(
            "  name: Test NHS Trust\n",
            "  name: Test NHS Trust\n" + "".join(f"  k{i}: 1\n" for i in range(n // 10)),
        ),
        "long number": lambda n: base.replace("title: Test strategy", "title: " + "9" * n),
    }

    def best_of_3(text: str) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            with contextlib.suppress(StratkitError):
                stratkit.loads(text)
            times.append(time.perf_counter() - start)
        return min(times)

    best_of_3(base)  # warm up: the unit registry is built on first use
    for label, make in shapes.items():
        times = [best_of_3(make(n)) for n in (10_000, 100_000, 1_000_000)]
        print(
            f"scaling {label:13s} 10 kB {times[0] * 1e3:7.1f} ms, 100 kB {times[1] * 1e3:7.1f} ms,"
            f" 1 MB {times[2] * 1e3:8.1f} ms  (x{times[2] / times[1]:.1f} for 10x the size)"
        )


def _kill_rate(kills: int, seed: int) -> None:
    import test_writing_safely as writing

    for name in ("strategy.yaml", "report.html"):
        with tempfile.TemporaryDirectory() as tmp:
            write, _ = writing._versions(Path(tmp), name)
            start = time.perf_counter()
            for i in range(10):
                write(i)
            writes = 10 / (time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            outcomes = writing.kill_writes(Path(tmp), name, kills, seed)
            rate = kills / (time.perf_counter() - start)
        print(
            f"kills {name:13s} {rate:7.1f} kills/s ({rate / writes:.2f} x the {writes:.1f} "
            f"writes/s uninterrupted)   {outcomes}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--kills", type=int, default=40, help="SIGKILLs per writer (0: none)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sources = mutations.examples()
    names = sorted(sources)
    strategies = []
    for i in range(args.cases):
        raw = sources[rng.choice(names)]
        n = rng.randint(1, 4)
        mutate = mutations.mutate_nodes if i % 2 else mutations.mutate_bytes
        strategies.append(mutate(raw, rng, n))
    total, timings = _run(strategies, mutations.check)
    _report("strategies", total, timings)
    observations = mutations.observation_files()
    if observations:
        obs_names = sorted(observations)
        cases = [
            mutations.mutate_bytes(observations[rng.choice(obs_names)], rng, rng.randint(1, 6))
            for _ in range(args.cases)
        ]
        with tempfile.TemporaryDirectory() as tmp:
            total, timings = _run(
                cases, lambda raw: mutations.read_observations_bytes(raw, Path(tmp))
            )
        _report("observations", total, timings)
    _scaling()
    if args.kills and sys.platform != "win32":
        _kill_rate(args.kills, args.seed)


if __name__ == "__main__":
    main()
