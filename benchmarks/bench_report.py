"""Benchmark: the cold end-to-end ``stratkit report examples/kmpt_2023_26``.

Usage::

    python benchmarks/bench_report.py [--runs 7] [--as-of 2025-03-31]

Times, over several runs, a fresh process that loads the example strategy and
its observations, evaluates all 72 outcomes, draws every chart and writes the
HTML board pack: from process start to the file written. It runs the
``stratkit`` script installed beside this Python when there is one (what a
user types), else ``python -m stratkit``. In the same run it times a fresh
``python -c pass`` (the cost of starting Python at all), and reports the
median and best wall-clock time of each, their CPU time (which other work on
the machine disturbs less), the difference, and the ratio. The target is under
2 seconds on a 2-core machine.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kmpt_2023_26"
TARGET_SECONDS = 2.0


def stratkit_command() -> list[str]:
    script = Path(sys.executable).with_name("stratkit")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "stratkit"]


CPU: list[float] = []  # CPU seconds (user + system) of each timed process, in order


def timed(command: list[str], check_file: Path | None = None) -> float:
    """Wall-clock seconds of one fresh process (its CPU seconds go to ``CPU``)."""
    if check_file is not None and check_file.exists():
        check_file.unlink()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if check_file is not None and not check_file.is_file():
        raise SystemExit(f"{check_file} was not written")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--as-of", default="2025-03-31")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "kmpt-report.html"
        report = [
            *stratkit_command(),
            "report",
            str(EXAMPLE),
            "-o",
            str(out),
            "--as-of",
            args.as_of,
        ]
        baseline = [sys.executable, "-c", "pass"]
        timed(report, out)  # warm the file system cache and the bytecode cache once
        CPU.clear()
        pairs = [(timed(baseline), timed(report, out)) for _ in range(args.runs)]
        size = out.stat().st_size
    base = [b for b, _ in pairs]
    rep = [r for _, r in pairs]
    med_b, med_r = statistics.median(base), statistics.median(rep)
    print(
        f"command:        {' '.join(report[:3])} ... ({args.runs} runs, 72 outcomes, "
        f"{size / 1024:.0f} KiB of HTML)"
    )
    print(f"python -c pass: median {med_b * 1000:7.1f} ms, best {min(base) * 1000:7.1f} ms")
    print(f"stratkit report: median {med_r * 1000:6.1f} ms, best {min(rep) * 1000:7.1f} ms")
    cpu_b, cpu_r = statistics.median(CPU[0::2]), statistics.median(CPU[1::2])
    print(
        f"CPU time:       median {cpu_r * 1000:.0f} ms for the report, "
        f"{cpu_b * 1000:.0f} ms for python -c pass"
    )
    print(
        f"ratio:          {med_r / med_b:.1f}x Python's own start-up; "
        f"{(med_r - med_b) * 1000:.0f} ms of stratkit's work"
    )
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        print(
            f"machine:        {os.cpu_count()} CPUs, load average {load:.2f} over the last "
            "minute (other work on the machine inflates both times)"
        )
    verdict = "meets" if med_r < TARGET_SECONDS else "MISSES"
    print(f"target:         < {TARGET_SECONDS:.0f} s end to end: {verdict} it")


if __name__ == "__main__":
    main()
