"""Benchmark: a synthetic national portfolio, every entity evaluated with every SPC chart.

200 organisations x 500 measures x 60 months (6 million points, invented:
this is a load test, not data about anyone). A fifth of the measures are
rates of counts (``from_counts``), so England's aggregate is computed too.
Run from the repository root::

    .venv/bin/python benchmarks/bench_portfolio.py [--orgs 200] [--measures 500]
        [--repeat 3] [--dask] [--dask-orgs 40]

It prints, best of ``--repeat`` runs each (the two timed in turns):

* ``portfolio``: :func:`stratkit.portfolio.evaluate_portfolio` end to end
  (values derived, every organisation evaluated, the aggregate built and
  evaluated), which charts every outcome of every organisation and of the
  aggregate (each evaluation charts its outcomes as evidence for the statuses);
* ``spc_many``: :func:`stratkit.spc.spc_many` alone on the same
  points (the organisations' series), in the same run: the baseline;

then their ratio (goal: at most 2) and the peak memory (resident set, goal
at most 3 GiB) of the portfolio run with its 6 million rows in memory,
measured in a child process so that the timings above do not count.
With ``--dask``, the same evaluation and charts through :mod:`stratkit.dask`
on a two-process ``LocalCluster`` (``--dask-orgs`` organisations, as the
local cluster copies the data between processes), against the
single-machine run on the same organisations giving the same outputs (the
results and every SPC point, as pandas DataFrames).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from stratkit.evaluation import Policy
from stratkit.model import (
    Ambition,
    Baseline,
    Measure,
    Objective,
    Organisation,
    Outcome,
    Period,
    Strategy,
    Target,
)
from stratkit.portfolio import PortfolioRows, evaluate_portfolio
from stratkit.spc import spc_many

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import monthly_periods
from timing import best_of, in_turns

N_MONTHS = 60
AS_OF = dt.date(2025, 3, 31)


def build_strategy(n_measures: int, seed: int = 13) -> Strategy:
    """One standard of ``n_measures`` monthly outcomes; every fifth a rate of counts."""
    rng = np.random.default_rng(seed)
    outcomes = []
    for k in range(n_measures):
        rate = k % 5 == 0
        unit = "%" if rate or k % 5 in (1, 2) else "day"
        sense = "increase" if k % 2 == 0 else "decrease"
        level = float(rng.uniform(40, 60))
        target = level + (5 if sense == "increase" else -5)
        outcomes.append(
            Outcome(
                id=f"M{k:03d}",
                statement=f"Synthetic measure {k}",
                measure=Measure(
                    name=f"Measure {k}",
                    unit=unit,
                    frequency="monthly",
                    from_counts=rate,
                ),
                target=Target.level(
                    f"{target:.1f} {unit}",
                    direction=sense,
                    deadline="2026-03-31",
                    baseline=Baseline(value=f"{level:.1f} {unit}", date="2020-03-31"),
                ),
            )
        )
    return Strategy(
        title="Synthetic national standard (load test, invented)",
        organisation=Organisation(name="Example NHS Trust"),
        period=Period(start="2020-04-01", end="2026-03-31"),
        ambitions=[
            Ambition(
                id="1",
                title="All measures",
                objectives=[Objective(id="1.1", title="All measures", outcomes=outcomes)],
            )
        ],
    )


def build_rows(strategy: Strategy, n_orgs: int, seed: int = 29) -> PortfolioRows:
    """Every organisation's monthly observations of every outcome (invented)."""
    rng = np.random.default_rng(seed)
    outcomes = list(strategy.outcomes())
    n_out = len(outcomes)
    n = n_orgs * n_out * N_MONTHS
    start, end = monthly_periods(n_orgs * n_out, N_MONTHS)
    orgs = np.array([f"O{i:03d}" for i in range(n_orgs)])
    entity = np.repeat(orgs, n_out * N_MONTHS)
    oid = np.tile(np.repeat(np.array([o.id for o in outcomes]), N_MONTHS), n_orgs)
    rate = np.tile(np.repeat([o.measure.from_counts for o in outcomes], N_MONTHS), n_orgs)  # type: ignore[union-attr]
    units = np.tile(np.repeat([o.measure.unit_text for o in outcomes], N_MONTHS), n_orgs)  # type: ignore[union-attr]
    level = rng.uniform(40, 60, n_orgs * n_out).repeat(N_MONTHS)
    value = level + rng.normal(0, 2.0, n)
    den = np.where(rate, rng.integers(500, 5000, n).astype(float), np.nan)
    num = np.where(rate, np.round(den * value / 100.0), np.nan)
    value = np.where(rate, np.nan, value)
    return PortfolioRows(
        entity=entity,
        outcome_id=oid,
        start=start,
        end=end,
        value=value,
        unit=units,
        numerator=num,
        denominator=den,
    )


def run_portfolio(strategy: Strategy, rows: PortfolioRows) -> Any:
    return evaluate_portfolio(strategy, rows, as_of=AS_OF, policy=Policy())


def peak_memory(orgs: int, measures: int) -> None:
    """Child process: build, then one portfolio run; print its peak resident set in bytes.

    On Linux the peak is reset after the synthetic data is built (``clear_refs``),
    so it is the run's peak, the data it is given included; elsewhere it is the
    process's peak (``ru_maxrss``), building the data included.
    """
    strategy = build_strategy(measures)
    rows = build_rows(strategy, orgs)
    gc.collect()
    status = Path("/proc/self/status")
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        status = Path("/nonexistent")
    run_portfolio(strategy, rows)
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                print(int(line.split()[1]) * 1024)
                return
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def dask_overhead(strategy: Strategy, rows: PortfolioRows, repeat: int) -> None:
    import pandas as pd
    from dask.distributed import Client, LocalCluster

    import stratkit.dask as skd

    frame = pd.DataFrame(
        {
            "outcome_id": rows.outcome_id.astype(object),
            "org": rows.entity.astype(object),
            "start": rows.start.astype("datetime64[ns]"),
            "end": rows.end.astype("datetime64[ns]"),
            "value": rows.value,
            "unit": rows.unit.astype(object),
            "numerator": rows.numerator,
            "denominator": rows.denominator,
        }
    )

    def on_one_machine() -> None:
        # what the Dask path gives: the results and every SPC point, as frames
        evaluated = run_portfolio(strategy, rows)
        evaluated.to_frame()
        pd.DataFrame(evaluated.spc_points())

    single = best_of(on_one_machine, repeat)[0]
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        import dask.dataframe as dd

        ddf = dd.from_pandas(frame, npartitions=4, sort=False).shuffle(on="org", npartitions=4)
        ddf = ddf.persist()

        def on_cluster() -> None:
            import dask

            dask.compute(*skd.portfolio(strategy, ddf, as_of=AS_OF))

        distributed = best_of(on_cluster, repeat)[0]
    n_orgs = len(set(rows.entity.tolist()))
    print(f"dask ({n_orgs} orgs, 2 worker processes): {distributed:8.2f} s")
    print(f"single machine, same orgs and outputs:  {single:8.2f} s")
    print(f"dask / single machine:                  {distributed / single:8.2f}x")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--orgs", type=int, default=200)
    p.add_argument("--measures", type=int, default=500)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--dask", action="store_true")
    p.add_argument("--dask-orgs", type=int, default=40)
    p.add_argument("--peak-memory-child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.peak_memory_child:
        peak_memory(args.orgs, args.measures)
        return
    strategy = build_strategy(args.measures)
    rows = build_rows(strategy, args.orgs)
    print(f"{args.orgs} orgs x {args.measures} measures x {N_MONTHS} months: {len(rows):,} points")
    series = np.char.add(np.char.add(rows.entity, "/"), rows.outcome_id)
    values = rows.value.copy()
    counted = np.isfinite(rows.denominator)
    values[counted] = 100.0 * rows.numerator[counted] / rows.denominator[counted]

    (portfolio, _), (baseline, _) = in_turns(
        lambda: run_portfolio(strategy, rows),
        lambda: spc_many(series, rows.end, values),
        args.repeat,
    )
    print(f"portfolio (evaluate + every SPC): {portfolio:8.2f} s")
    print(f"spc_many on the same points:      {baseline:8.2f} s")
    print(f"ratio:                            {portfolio / baseline:8.2f}x  (goal <= 2)")
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--peak-memory-child",
            f"--orgs={args.orgs}",
            f"--measures={args.measures}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = int(child.stdout.strip().splitlines()[-1])
    print(f"peak memory (resident set):       {peak / 2**30:8.2f} GiB  (goal <= 3)")
    if args.dask:
        small = build_rows(strategy, args.dask_orgs)
        dask_overhead(strategy, small, args.repeat)


if __name__ == "__main__":
    main()
