"""Benchmark: many XmR charts through ``spc_many`` in one vectorised call.

Usage::

    PYTHONPATH=src python benchmarks/bench_spc.py [--series 15000 --points 60 --repeat 5]

Reports the best wall time of a few runs of ``spc_many`` (integer and text
series ids), its peak traced memory (``tracemalloc``), and the ratio against a
plain implementation of the same rules written below (a loop over series,
numpy for the limits, a loop over points for the rules), timed in the same
run on the same data. It also checks that both give identical flags.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from stratkit.spc import SPCTable, spc_many

sys.path.insert(0, str(Path(__file__).parent))
from timing import best_of, traced_peak


def make_data(n_series: int, n_points: int, seed: int = 2024) -> dict[str, Any]:
    """Random walks with steps, one decimal place (so ties happen), a rebase in a third."""
    rng = np.random.default_rng(seed)
    steps = rng.normal(0, 1, (n_series, n_points))
    steps[:, n_points // 2] += rng.choice([0, 0, 4, -4], n_series)
    y = np.round(100 + np.cumsum(steps, axis=1) + rng.normal(0, 2, (n_series, n_points)), 1)
    dates = np.datetime64("2019-04-01", "D") + np.arange(n_points) * 30
    direction = rng.choice(["increase", "decrease", "neutral"], n_series)
    target = np.round(100 + rng.normal(0, 6, n_series), 1)
    rebased = rng.random(n_series) < 1 / 3
    return {
        "ids": np.repeat(np.arange(n_series), n_points),
        "dates": np.tile(dates, n_series),
        "y": y.ravel(),
        "direction": direction,
        "target": target,
        "rebased": rebased,
        "rebase_date": dates[(2 * n_points) // 3],
        "matrix": y,
        "day_list": dates,
    }


def run_vectorised(data: dict[str, Any], ids: np.ndarray[Any, Any]) -> SPCTable:
    uniq = ids[:: data["matrix"].shape[1]]
    return spc_many(
        ids,
        data["dates"],
        data["y"],
        improvement_direction=dict(zip(uniq.tolist(), data["direction"].tolist(), strict=True)),
        target=dict(zip(uniq.tolist(), data["target"].tolist(), strict=True)),
        rebase={
            k: [data["rebase_date"]]
            for k, r in zip(uniq.tolist(), data["rebased"], strict=True)
            if r
        },
    )


# --- a plain implementation of the same rules, for comparison ------------------------------


def _r_mean(x: np.ndarray[Any, Any]) -> float:
    """The mean as R's ``mean()`` computes it: extended precision plus a correction pass.

    Points on the mean or on a limit are judged on the last bit, so a plain
    ``np.mean`` (pairwise float64 sum) or ``math.fsum(x) / n`` (double
    rounding) would disagree with the reference now and then.
    """
    if x.size == 0:
        return math.nan
    xl = x.astype(np.longdouble)
    m = xl.sum() / x.size
    return float(m + (xl - m).sum() / x.size)


def _plain_group(
    y: np.ndarray[Any, Any], up_is_good: int
) -> tuple[list[str], list[str], float, float]:
    n = y.size
    mean = _r_mean(y)
    mr = np.abs(np.diff(y))
    amr = _r_mean(mr)
    if mr.size:
        kept = mr[mr < 3.267 * amr]
        amr = _r_mean(kept)
    lpl, upl = mean - 2.66 * amr, mean + 2.66 * amr
    nlpl, nupl = mean - 2 / 3 * 2.66 * amr, mean + 2 / 3 * 2.66 * amr
    side = np.sign(y - mean)
    outside = (y > upl) | (y < lpl)
    close = ~outside & ((y > nupl) | (y < nlpl))
    trend = np.zeros(n, bool)
    for i in range(6, n):
        d = np.diff(y[i - 6 : i + 1])
        if (d > 0).all() or (d < 0).all():
            trend[i - 6 : i + 1] = True
    two3 = np.zeros(n, bool)
    for i in range(n - 2):
        w = slice(i, i + 3)
        if close[w].sum() >= 2 and abs(side[w].sum()) == 3:
            two3[w] |= close[w]
    shift = np.zeros(n, bool)
    for i in range(6, n):
        if abs(side[i - 6 : i + 1].sum()) == 7:
            shift[i - 6 : i + 1] = True
    types, points = [], []
    for i in range(n):
        if outside[i]:
            up = bool(y[i] > upl)
            label = "Above UCL" if up else "Below LCL"
        elif trend[i]:
            nxt = i + 1 < n and trend[i + 1]
            up = bool(y[i + 1] > y[i]) if nxt else bool(y[i] > y[i - 1])
            label = f"7 Point Trend ({'Increasing' if up else 'Decreasing'})"
        elif two3[i] or shift[i]:
            up = bool(side[i] > 0)
            label = ("2 in 3 " if two3[i] else "7 Points ") + ("Above CL" if up else "Below CL")
        else:
            types.append("Common Cause")
            points.append("common_cause")
            continue
        types.append(label)
        if up_is_good == 0:
            points.append("special_cause_neutral_" + ("high" if up else "low"))
        else:
            good = up == (up_is_good > 0)
            points.append("special_cause_" + ("improvement" if good else "concern"))
    return types, points, lpl, upl


def run_plain(data: dict[str, Any], n_series: int) -> tuple[list[str], list[str]]:
    """Loop over series; numpy for each group's limits; loops for the rules."""
    matrix = data["matrix"]
    cut = (2 * matrix.shape[1]) // 3
    sign = {"increase": 1, "decrease": -1, "neutral": 0}
    types: list[str] = []
    points: list[str] = []
    for k in range(n_series):
        y = matrix[k]
        groups = [y[:cut], y[cut:]] if data["rebased"][k] else [y]
        for g in groups:
            t, p, _, _ = _plain_group(g, sign[data["direction"][k]])
            types += t
            points += p
    return types, points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=15_000)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = make_data(args.series, args.points)
    rows = args.series * args.points
    text_ids = np.char.add("trust-measure-", data["ids"].astype("U6"))

    t_int, table = best_of(lambda: run_vectorised(data, data["ids"]), args.repeat)
    t_txt, _ = best_of(lambda: run_vectorised(data, text_ids), args.repeat)
    peak = traced_peak(lambda: run_vectorised(data, data["ids"]))
    t_plain, (types, points) = best_of(lambda: run_plain(data, args.series), 1)

    assert list(table.special_cause_type) == types, "special_cause_type differs from plain"
    assert list(table.point_type) == points, "point_type differs from plain"
    special = sum(t != "Common Cause" for t in types)

    print(f"SPC benchmark: {args.series:,} series x {args.points} points = {rows:,} rows")
    print(f"{'implementation':<34}{'best wall (s)':>14}{'rows / s':>14}{'vs plain':>10}")
    for name, t in [
        ("spc_many (int ids)", t_int),
        ("spc_many (text ids)", t_txt),
        ("plain per-series loop", t_plain),
    ]:
        print(f"{name:<34}{t:>14.3f}{rows / t:>14,.0f}{t_plain / t:>9.1f}x")
    print(f"peak traced memory, spc_many (int ids): {peak / 2**20:.1f} MiB")
    print(f"flags identical to the plain implementation on all {rows:,} points")
    print(f"({special:,} special-cause points)")


if __name__ == "__main__":
    main()
