"""Benchmark: reading the observations CSV of a 15,000-outcome strategy (900,000 rows).

A synthetic national portfolio (illustrative: 200 trusts x 75 outcomes, 60
months each, in percent, incidents and days; some rows with numerators and
denominators and notes) is written as the tidy CSV, then read, best of
``--repeat`` runs each:

* ``pandas.read_csv``: the baseline, the same file into a DataFrame;
* ``read_observations``: the file into ``Observations`` (every cell parsed,
  every row located, duplicates checked);
* ``read_observations(strategy=)``: the same, also checked against the
  strategy (outcome ids, unit dimensions, frequencies, ranges);

then each as a ratio to the baseline measured in the same run. The goal
(issue 12): ``read_observations`` within 3x ``pandas.read_csv``. Run from the
repository root::

    .venv/bin/python benchmarks/bench_observations.py [--trusts 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from stratkit.io import read_observations, write_observations
from stratkit.model import (
    Measure,
    Observations,
    Outcome,
    Strategy,
)

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import monthly_periods, trust_strategy
from timing import best_of

N_MONTHS = 60


def build(n_trusts: int, per_trust: int = 75, seed: int = 2025) -> tuple[Strategy, Observations]:
    """A portfolio strategy (one ambition per trust, no targets needed) and its observations."""
    rng = np.random.default_rng(seed)
    measures = {
        "%": Measure(name="Share", unit="%", frequency="monthly", range=["0 %", "100 %"]),
        "incident": Measure(name="Incidents", unit="incident", frequency="monthly"),
        "day": Measure(name="Length of stay", unit="day", frequency="monthly"),
    }
    trusts, ids, units = [], [], []
    for trust in range(n_trusts):
        outcomes = []
        for k in range(per_trust):
            oid = f"T{trust:03d}.{k:02d}"
            unit = ("%", "%", "%", "incident", "day")[k % 5]
            outcomes.append(Outcome(id=oid, statement=f"Outcome {oid}", measure=measures[unit]))
            ids.append(oid)
            units.append(unit)
        trusts.append(outcomes)
    strategy = trust_strategy(trusts, "National portfolio (illustrative)")
    n = len(ids)
    start, end = monthly_periods(n, N_MONTHS)
    unit_col = np.repeat(np.array(units), N_MONTHS)
    pct = unit_col == "%"
    den = np.where(pct, rng.integers(500, 5000, n * N_MONTHS), np.nan)
    num = np.where(pct, np.floor(den * rng.uniform(0.6, 0.95, n * N_MONTHS)), np.nan)
    values = np.where(
        pct, np.round(num / den * 100, 1), np.round(rng.uniform(1, 40, n * N_MONTHS))
    )
    notes = np.where(rng.random(n * N_MONTHS) < 0.01, "provisional, to be confirmed", "")
    obs = Observations.from_columns(
        outcome_id=np.repeat(ids, N_MONTHS),
        start=start,
        end=end,
        value=values,
        unit=unit_col,
        numerator=num,
        denominator=den,
        note=notes,
        illustrative=True,
    )
    return strategy, obs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trusts", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import pandas as pd

    strategy, obs = build(args.trusts)
    with tempfile.TemporaryDirectory() as folder:
        path = write_observations(obs, Path(folder) / "observations.csv")
        size = path.stat().st_size
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the file is clean: any problem is a bug
            got = read_observations(path)
            assert len(got) == len(obs)
            assert np.array_equal(got.value, obs.value)
            checked = read_observations(path, strategy=strategy)
            assert len(checked) == len(obs)
        # the same file into a DataFrame (its one comment line skipped)
        base = best_of(lambda: pd.read_csv(path, skiprows=1, low_memory=False), args.repeat)[0]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            plain = best_of(lambda: read_observations(path), args.repeat)[0]
            full = best_of(lambda: read_observations(path, strategy=strategy), args.repeat)[0]
    print(f"{len(obs):,} rows, {len(obs.outcome_ids()):,} outcomes, {size / 1e6:.1f} MB")
    print(f"pandas.read_csv                 {base:7.3f} s")
    print(f"read_observations               {plain:7.3f} s   {plain / base:5.2f}x  (goal <= 3x)")
    print(f"read_observations(strategy=)    {full:7.3f} s   {full / base:5.2f}x")


if __name__ == "__main__":
    main()
