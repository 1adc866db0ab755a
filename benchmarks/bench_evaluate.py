"""Benchmark: a synthetic national portfolio evaluated end to end, every SPC chart included.

200 trusts x 75 outcomes = 15,000 series x 60 monthly points (900,000
observations), each outcome with its own baseline and target (levels in
either direction with and without a baseline, relative changes, in percent,
incidents and days; a tenth of the series arrive as fractions and are
converted). Run from the repository root::

    .venv/bin/python benchmarks/bench_evaluate.py [--trusts 200] [--repeat 5]

It prints, best of ``--repeat`` runs each:

* ``evaluate()``: the function end to end with the default policy, from a
  ``Strategy`` and an ``Observations`` to an ``Evaluation`` whose verdicts
  are ready as columns (``Evaluation.columns``), with every outcome's SPC
  chart computed (the statuses use them: sustained achievement, assurance,
  direction-only targets, the tolerance without a baseline) and its icons in
  the columns;
* ``+ results``: the same, then every one of the 15,000 ``OutcomeResult``
  objects built with its reason in words (``Evaluation.results`` is built on
  first access);
* ``spc_many baseline``: :func:`stratkit.spc.spc_many` alone on the same
  900,000 points (the same directions and targets), in the same run: the
  goal is ``evaluate()`` within 2x of it, and under 1 s on 2 cores;
* ``forecast check``: the core's forecasts equal a hand-written numpy OLS on
  these regular series (every series 60 points, so plain 2-D arrays);

then the ratios, and the peak memory of one ``evaluate()`` (tracemalloc,
measured in a separate run because tracing slows Python down).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from stratkit.evaluation import Policy, _core, evaluate
from stratkit.evaluation._prepare import Prepared, prepare
from stratkit.evaluation.forecast import t_quantile
from stratkit.evaluation.trajectory import day_number
from stratkit.model import (
    Baseline,
    Measure,
    Observations,
    Outcome,
    Strategy,
    Target,
)
from stratkit.spc import SPCTable, spc_many

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import monthly_periods, trust_strategy
from timing import best_of, in_turns, traced_peak

AS_OF = dt.date(2025, 3, 31)
N_MONTHS = 60
POLICY = Policy()


def build(n_trusts: int, per_trust: int, seed: int = 2025) -> tuple[Strategy, Observations]:
    """A portfolio strategy (one ambition per trust) and its monthly observations."""
    rng = np.random.default_rng(seed)
    measures = {
        "%": Measure(name="Share", unit="%", frequency="monthly", data_source="SUS"),
        "incident": Measure(name="Incidents", unit="incident", frequency="monthly"),
        "day": Measure(name="Length of stay", unit="day", frequency="monthly"),
    }
    trusts: list[list[Outcome]] = []
    ids, units, base_level, slopes = [], [], [], []
    for trust in range(n_trusts):
        outcomes = []
        for k in range(per_trust):
            oid = f"T{trust:03d}.{k:02d}"
            unit = ("%", "%", "%", "incident", "day")[k % 5]
            start = float(rng.uniform(20, 80))
            sense = 1.0 if rng.random() < 0.5 else -1.0
            move = float(rng.uniform(2, 10))
            kind = rng.random()
            base = Baseline(value=f"{start:.2f} {unit}", date="2020-03-31")
            if kind < 0.55:
                target = Target.level(
                    f"{start + sense * move:.2f} {unit}",
                    direction="increase" if sense > 0 else "decrease",
                    deadline="2026-03-31",
                    baseline=base,
                )
            elif kind < 0.75:
                target = Target.level(
                    f"{start + sense * move:.2f} {unit}",
                    direction="increase" if sense > 0 else "decrease",
                    deadline="2026-03-31",
                )
            else:
                share = f"{move:.1f} %"
                target = (
                    Target.increase_by(share, deadline="2026-03-31", baseline=base)
                    if sense > 0
                    else Target.reduce_by(share, deadline="2026-03-31", baseline=base)
                )
            outcomes.append(
                Outcome(
                    id=oid,
                    statement=f"Outcome {oid}",
                    owner="Director",
                    measure=measures[unit],
                    target=target,
                )
            )
            ids.append(oid)
            units.append(unit)
            base_level.append(start)
            slopes.append(sense * move / N_MONTHS * float(rng.uniform(0.3, 1.5)))
        trusts.append(outcomes)
    strategy = trust_strategy(trusts, "National portfolio")
    n = len(ids)
    starts, ends = monthly_periods(n, N_MONTHS)
    t = np.tile(np.arange(N_MONTHS, dtype=float), n)
    level = np.repeat(base_level, N_MONTHS) + np.repeat(slopes, N_MONTHS) * t
    values = level + rng.normal(0, 1.0, n * N_MONTHS)
    unit_col = np.repeat(np.array(units, dtype=object), N_MONTHS).astype(str)
    as_fraction = np.repeat(rng.random(n) < 0.1, N_MONTHS) & (unit_col == "%")
    values = np.where(as_fraction, values / 100, values)
    unit_col = np.where(as_fraction, "fraction", unit_col)
    obs = Observations.from_columns(
        outcome_id=np.repeat(ids, N_MONTHS), start=starts, end=ends, value=values, unit=unit_col
    )
    return strategy, obs


def numpy_baseline(
    cols: _core.TargetColumns, end: Any, y: Any, *, as_of: int, window: int = 12
) -> dict[str, Any]:
    """The forecast arithmetic by hand, for equal-length series held as 2-D arrays."""
    m = cols.target.size
    end2 = end.reshape(m, -1)
    y2 = y.reshape(m, -1)
    # OLS on the last `window` points, 80 % prediction interval at the deadline
    x = (end2[:, -window:] - as_of).astype(float)
    yy = y2[:, -window:]
    xbar = x.mean(axis=1)
    ybar = yy.mean(axis=1)
    xc = x - xbar[:, None]
    sxx = (xc * xc).sum(axis=1)
    slope = (xc * yy).sum(axis=1) / sxx
    resid = yy - (ybar[:, None] + slope[:, None] * xc)
    sd = np.sqrt((resid * resid).sum(axis=1) / (window - 2))
    x0 = (cols.deadline - as_of) - xbar
    value = ybar + slope * x0
    half = t_quantile(0.9, window - 2) * sd * np.sqrt(1 + 1 / window + x0 * x0 / sxx)
    low, high = value - half, value + half
    if cols.floor is not None and cols.ceiling is not None:
        value, low, high = (np.clip(a, cols.floor, cols.ceiling) for a in (value, low, high))
    return {"forecast": value, "low": low, "high": high}


def spc_baseline(prep: Prepared) -> SPCTable:
    """``spc_many`` alone on the prepared points, with each outcome's direction and target."""
    sense = prep.columns.sense
    directions = {
        i: ("increase" if s > 0 else "decrease" if s < 0 else "neutral")
        for i, s in enumerate(sense.tolist())
    }
    targets = {
        i: t
        for i, (t, s) in enumerate(zip(prep.columns.target.tolist(), sense.tolist(), strict=True))
        if s != 0 and np.isfinite(t)
    }
    return spc_many(
        prep.row_outcome,
        prep.row_end.astype("datetime64[D]"),
        prep.row_value,
        improvement_direction=directions,
        target=targets,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trusts", type=int, default=200)
    parser.add_argument("--per-trust", type=int, default=75)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    strategy, obs = build(args.trusts, args.per_trust)
    setup = time.perf_counter() - t0
    n_series = args.trusts * args.per_trust
    print(
        f"portfolio: {n_series:,} series x {N_MONTHS} months = {len(obs):,} observations "
        f"(built in {setup:.1f} s, not timed)"
    )

    def end_to_end() -> Any:
        ev = evaluate(strategy, obs, as_of=AS_OF, policy=POLICY)
        return ev, np.unique(ev.columns["status"].astype(str), return_counts=True)

    def with_results() -> Any:
        ev = evaluate(strategy, obs, as_of=AS_OF, policy=POLICY)
        return ev, ev.overall

    t_prep, prep = best_of(lambda: prepare(strategy, obs), args.repeat)
    (t_eval, (ev, counts)), (t_spc, table) = in_turns(
        end_to_end, lambda: spc_baseline(prep), args.repeat
    )
    t_full, (_, overall) = best_of(with_results, max(1, args.repeat // 2))
    day = day_number(AS_OF)
    judged = _core.judge(
        prep.columns,
        row_outcome=prep.row_outcome,
        row_start=prep.row_start,
        row_end=prep.row_end,
        row_value=prep.row_value,
        as_of=day,
        policy=POLICY,
    )
    base = numpy_baseline(prep.columns, prep.row_end, prep.row_value, as_of=day)
    assert np.allclose(judged.forecast, base["forecast"], rtol=1e-9, atol=1e-9)
    assert np.allclose(judged.forecast_low, base["low"], rtol=1e-3, atol=1e-9)
    # every outcome's icons in the evaluation are spc_many's on the same points
    icons = ev.columns["variation_icon"][table.ids.astype(np.int64)]
    assert np.array_equal(icons, table.variation_icon), "evaluate's SPC differs from spc_many"

    peak = traced_peak(end_to_end)
    peak_full = traced_peak(with_results)

    assert dict(zip(*counts, strict=True)) == {
        k.value: v for k, v in overall.counts.items() if v
    }, "columns and results disagree"
    print("statuses: " + ", ".join(f"{k.value} {v:,}" for k, v in overall.counts.items()))
    print(f"best of {args.repeat} runs, Python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"  evaluate() end to end, every SPC  {t_eval * 1000:8.1f} ms")
    print(f"    of which prepare (model -> columns) {t_prep * 1000:8.1f} ms")
    print(f"  evaluate() + {n_series:,} results    {t_full * 1000:8.1f} ms")
    print(f"  spc_many baseline (same points)  {t_spc * 1000:8.1f} ms")
    print(f"  ratio evaluate / spc_many        {t_eval / t_spc:8.2f} x  (goal <= 2 x)")
    print(f"  ratio + results / spc_many       {t_full / t_spc:8.2f} x")
    print(f"  peak memory of evaluate()  {peak / 2**20:8.1f} MiB (tracemalloc)")
    print(f"  ... with the results       {peak_full / 2**20:8.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
