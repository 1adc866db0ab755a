"""Timing for the benchmarks: best of several runs, two functions timed in turns, and
the peak of the memory one call allocates.

Each run starts from a collected heap, so that no run pays for the garbage of
the one before it. Ratios are of two functions timed in turns (first, second,
first, ...), so that a slow spell of the machine falls on both sides.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

__all__ = ["best_of", "in_turns", "traced_peak"]


def _once(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best wall-clock seconds of ``repeat`` calls of ``fn``, and its last result."""
    best, out = float("inf"), None
    for _ in range(max(1, repeat)):
        seconds, out = _once(fn)
        best = min(best, seconds)
    return best, out


def in_turns(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int
) -> tuple[tuple[float, Any], tuple[float, Any]]:
    """Best seconds and last result of each of two functions, called in turns."""
    best = [float("inf"), float("inf")]
    out: list[Any] = [None, None]
    for _ in range(max(1, repeat)):
        for k, fn in enumerate((first, second)):
            seconds, out[k] = _once(fn)
            best[k] = min(best[k], seconds)
    return (best[0], out[0]), (best[1], out[1])


def traced_peak(fn: Callable[[], Any]) -> int:
    """The most memory one call of ``fn`` held at once, in bytes (Python's tracemalloc)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
