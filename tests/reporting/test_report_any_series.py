"""Rendering never raises or loops on any series ``evaluate`` accepts: the whole HTML
pack, from a strategy and observations, for generated series (constant, single
points, ranges from 1e-15 to 1e15, values on the target, fractions of a percent
target)."""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stratkit
from stratkit.evaluation import evaluate
from stratkit.io import read_observations
from stratkit.reporting import report

STRATEGY = stratkit.loads(
    """
title: Example NHS Trust strategy
organisation: {name: Example NHS Trust}
period: {start: 2023-04-01, end: 2026-03-31}
ambitions:
  - id: "1"
    title: Care
    objectives:
      - id: "1.1"
        title: Faster care
        outcomes:
          - id: "1.1.1"
            statement: 57% of patients seen within 1 hour
            measure: {name: Seen within 1 hour, unit: "%", frequency: monthly}
            target: {kind: level, value: "57 %", direction: increase, deadline: 2026-03-31}
"""
)

magnitudes = st.sampled_from([0.0, 1e-15, 1e-9, 1e-3, 1.0, 1e6, 1e15])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    magnitudes,
    st.integers(min_value=1, max_value=30),
    st.sampled_from(["%", "fraction"]),
    st.booleans(),
)
def test_any_accepted_series_renders(
    start: float, spread: float, n: int, unit: str, on_target: bool
) -> None:
    rows = ["outcome_id,period,value,unit"]
    month = dt.date(2023, 4, 1)
    for i in range(n):
        if on_target:
            value = 57.0 if unit == "%" else 0.57
        else:
            value = start + spread * ((i * 7919) % 13) / 13
        rows.append(f"1.1.1,{month:%Y-%m},{value!r},{unit}")
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    observations = read_observations(io.StringIO("\n".join(rows) + "\n"))
    ev = evaluate(STRATEGY, observations, as_of=dt.date(2025, 12, 31))
    html = report(ev, format="html")
    assert 'id="outcome-1.1.1"' in html
    assert 'class="spc"' in html  # the chart was drawn
    assert report(ev, format="md").startswith("# Example NHS Trust strategy")
