"""Benchmark: loading a 15,000-outcome strategy file, beside PyYAML's C loader.

The file is the synthetic national portfolio of ``bench_evaluate.py`` (200
trusts x 75 outcomes), saved with ``stratkit.save``. Run from the repository
root::

    .venv/bin/python benchmarks/bench_load.py [--trusts 200] [--repeat 3]

It prints, best of ``--repeat`` runs each, in the same run:

* ``baseline``: ``yaml.load(text, Loader=yaml.CSafeLoader)``, plain data only;
* ``stratkit.load``: the file to a validated ``Strategy`` (safe parsing,
  structuring, every model check, pint quantities);

then their ratio (goal: at most 3) and the peak memory of one
``stratkit.load`` as a multiple of the file size (tracemalloc, in a separate
run; goal: at most 20).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
from pathlib import Path

import yaml

import stratkit

sys.path.insert(0, str(Path(__file__).parent))
from bench_evaluate import build
from timing import best_of, traced_peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trusts", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    strategy, _ = build(args.trusts, 75)
    n = sum(1 for _ in strategy.outcomes())
    with tempfile.TemporaryDirectory() as tmp:
        path = stratkit.save(strategy, Path(tmp) / "strategy.yaml")
        size = path.stat().st_size
        text = path.read_text(encoding="utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        print(f"{n:,} outcomes, {size / 1e6:.1f} MB ({loader.__name__} baseline)")
        load = lambda: stratkit.load(path, max_bytes=size)  # noqa: E731
        assert load() == strategy, "the file must load back to the same strategy"
        base = best_of(lambda: yaml.load(text, Loader=loader), args.repeat)[0]
        ours = best_of(load, args.repeat)[0]
        print(f"baseline       {base:7.2f} s")
        print(f"stratkit.load  {ours:7.2f} s   ratio {ours / base:.2f} (goal <= 3)")
        gc.collect()
        peak = traced_peak(load)
        print(f"peak memory    {peak / 1e6:7.1f} MB  = {peak / size:.1f} x the file (goal <= 20)")


if __name__ == "__main__":
    main()
