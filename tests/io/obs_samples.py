"""A small strategy and its observations, clean, for the observations reader's tests.

Example NHS Trust is fictional; every figure here is illustrative.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from pathlib import Path
from typing import Any

import stratkit
from stratkit.model import Observations, Strategy

STRATEGY_YAML = """\
title: Example NHS Trust Strategy 2023-2026 (illustrative)
organisation: {name: Example NHS Trust}
period: {start: 2023-04-01, end: 2026-03-31}
ambitions:
  - id: '1'
    title: Timely care
    objectives:
      - id: '1.1'
        title: Fast emergency care
        outcomes:
          - id: '4h'
            statement: 95% of A&E patients seen within 4 hours
            measure:
              {name: Seen within 4 hours, unit: "%", range: [0 %, 100 %], frequency: monthly}
            target:
              {kind: level, direction: increase, bound: at_least, value: 95 %,
               deadline: 2026-03-31}
          - id: 'falls'
            statement: Fewer falls with harm
            measure: {name: Falls with harm, unit: incident, frequency: monthly}
            target:
              {kind: level, direction: decrease, bound: at_most, value: 10 incident,
               deadline: 2026-03-31}
          - id: 'survey'
            statement: A better staff survey score
            measure: {name: Staff engagement, unit: score, frequency: annual}
            target:
              {kind: level, direction: increase, bound: at_least, value: 7.2 score,
               deadline: 2026-03-31}
"""

#: The clean tidy CSV every messy variant must evaluate to the same result as.
CLEAN_CSV = """\
# illustrative: invented data for demonstration
outcome_id,period,value,unit,numerator,denominator,note
4h,2024-04,77.4,%,774,1000,
4h,2024-05,79.25,%,,,
4h,2024-06,80.5,%,1610,2000,winter plan
falls,2024-04,12,incident,,,
falls,2024-05,11,incident,,,
falls,2024-06,9,incident,,,
survey,FY2023/24,6.9,score,,,
"""

AS_OF = dt.date(2024, 6, 30)


def strategy() -> Strategy:
    return stratkit.loads(STRATEGY_YAML)


def read(source: Any, **options: Any) -> Observations:
    """Read strictly (any problem raises), checked against the strategy."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return stratkit.read_observations(source, strategy=strategy(), strict=True, **options)


def clean() -> Observations:
    return read(io.StringIO(CLEAN_CSV))


def outcome_table(obs: Observations) -> list[tuple[Any, ...]]:
    """What an evaluation says of each outcome: status, latest value and period, points, notes."""
    ev = stratkit.evaluate(strategy(), obs, as_of=AS_OF)
    out = []
    for r in ev.results:
        s = r.series
        out.append(
            (
                r.outcome_id,
                r.status.value,
                None if r.latest_value is None else round(r.latest_value, 9),
                r.latest_end,
                r.n_points,
                () if s is None else s.notes,
            )
        )
    return out


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
