"""Two values for the same outcome, entity and period: a problem, or combined by a rule.

The rule is the caller's (``duplicates=`` in Python, ``--duplicates`` on the
command line): ``error`` names every row; ``first`` and ``last`` keep that
row; ``mean`` and ``sum`` combine the values, and the counts when every row
gives them (a rate is then worked out from the combined counts, so value and
counts agree).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from stratkit.io.observations import _periods
from stratkit.io.observations._columns import Coded, factorize
from stratkit.model._columns import stable_order
from stratkit.units import convert_magnitudes, parse_unit

if TYPE_CHECKING:
    from stratkit.io.observations._build import Combined, _Located

Duplicates = Literal["error", "first", "last", "mean", "sum"]
DUPLICATE_RULES = ("error", "first", "last", "mean", "sum")
DUPLICATES_HINT = (
    "keep one, or choose a rule: duplicates='first', 'last', 'mean' or 'sum' "
    "(--duplicates on the command line)"
)


def check_rule(duplicates: object) -> None:
    """Raise :class:`ValueError` unless ``duplicates`` is one of :data:`DUPLICATE_RULES`."""
    if duplicates not in DUPLICATE_RULES:
        raise ValueError(
            f"duplicates={duplicates!r}: expected one of "
            + ", ".join(repr(r) for r in DUPLICATE_RULES)
        )


def _period_text(start: Any, end: Any) -> str:
    return _periods.format_period(start.astype(dt.date), end.astype(dt.date))


def _codes(texts: NDArray[np.object_]) -> NDArray[np.int64]:
    return factorize(texts)[0]


def mark_or_combine(c: Combined, rule: str, at: _Located) -> NDArray[np.bool_]:
    """Mark or combine rows with the same outcome, entity and period; returns rows to drop."""
    drop = np.zeros(len(c), dtype=bool)
    good = np.flatnonzero(~c.bad)
    if good.size < 2:
        return drop
    ent = _codes(c.entity[good])
    ids = _codes(c.outcome_id[good])
    order = stable_order((good, c.end[good], c.start[good], ent, ids))
    if order is None:
        order = np.arange(good.size)  # already in order (as a tidy file is)
    g = good[order]
    same = (
        (ids[order][1:] == ids[order][:-1])
        & (ent[order][1:] == ent[order][:-1])
        & (c.start[g][1:] == c.start[g][:-1])
        & (c.end[g][1:] == c.end[g][:-1])
    )
    if not same.any():
        return drop
    starts = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))) == 1)
    ends = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))) == -1)
    scales: dict[str, float | None] = {}
    combining = rule in ("mean", "sum")
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        rows = g[a : b + 1].tolist()  # file order, thanks to the stable sort on index
        units = dict.fromkeys(str(c.unit[r]) for r in rows) if combining else {}
        if rule == "error" or len(units) > 1:
            _duplicate_problem(c, rows, at, rule)
            c.bad[rows] = True
            continue
        keep = rows[-1] if rule == "last" else rows[0]
        if combining:
            unit = str(c.unit[keep])
            if unit not in scales:
                scales[unit] = _ratio_scale(unit)
            c.combined[keep] = (rule, rows, c.value[rows].copy())
            _combine(c, rows, keep, rule, scales[unit])
        drop[[r for r in rows if r != keep]] = True
    return drop


def _duplicate_problem(c: Combined, rows: list[int], at: _Located, rule: str) -> None:
    """One problem naming every row of a group that may not be (or cannot be) combined."""
    first = rows[0]
    places = _places(c, rows, at, units=rule != "error")
    who = f" for {c.entity[first]}" if c.entity[first] else ""
    what = (
        f"{len(rows)} values for outcome {c.outcome_id[first]}{who}, period "
        f"{_period_text(c.start[first], c.end[first])}"
    )
    if rule == "error":
        message, hint = f"{what} ({places})", DUPLICATES_HINT
    else:
        message = f"{what} in different units cannot be combined ({places})"
        hint = "give them one unit, or read them with the strategy, which converts them"
    at.add(int(c.file[rows[-1]]), int(c.line[rows[-1]]), "period", message, hint=hint)


def _places(
    c: Combined, rows: list[int], at: _Located, *, units: bool = False, values: Any = None
) -> str:
    """Where each row is and its value: ``file.csv:2: 77; file.csv:3: 78``."""
    values = c.value[rows] if values is None else values
    return "; ".join(
        f"{at.where(int(c.file[r]), int(c.line[r]), '').get('file')}"
        f"{_line_text(at, c, r)}: {_number(float(v))}"
        + (f" {c.unit[r]}" if units and c.unit[r] else "")
        for r, v in zip(rows, values, strict=True)
    )


class HowCombined(Mapping[int, str]):
    """Each combined row: how it was combined, in words written only when asked for."""

    def __init__(self, c: Combined, at: _Located) -> None:
        self.c, self.at = c, at

    def __getitem__(self, r: int) -> str:
        rule, rows, values = self.c.combined[r]
        places = _places(self.c, rows, self.at, values=values)
        return f"once its {len(rows)} values are combined by {rule} ({places})"

    def __iter__(self) -> Iterator[int]:
        return iter(self.c.combined)

    def __len__(self) -> int:
        return len(self.c.combined)


def _ratio_scale(unit: str) -> float | None:
    """What numerator / denominator is multiplied by to give a value in ``unit``.

    ``None`` when the value is not a ratio of its counts (a count, a score)
    or when the unit is not known (blank, with no strategy to supply it).
    """
    if not unit:
        return None
    try:
        parsed = parse_unit(unit)
    except Exception:  # an unreadable unit was reported when the row was read
        return None
    if not parsed.dimensionless:
        return None
    return float(convert_magnitudes(np.ones(1), parse_unit(""), parsed)[0])


def _combine(c: Combined, rows: list[int], keep: int, rule: str, scale: float | None) -> None:
    """Row ``keep`` becomes the mean or the sum of ``rows``: value, counts and notes.

    When every row gives both counts they are combined by the same rule and,
    for a value that is their ratio (a ``%``), the value is worked out again
    from the combined counts, so that value and counts still agree: the sum
    of 40/50 and 45/50 is 85/100, 85 %, and their mean 42.5/50, 85 % (a rate
    combined as rates of counts always are, never as an average of rates).
    Otherwise the values are combined and the counts dropped.
    """
    how = np.mean if rule == "mean" else np.sum
    num, den = c.numerator[rows], c.denominator[rows]
    c.value[keep] = how(c.value[rows])
    if np.isfinite(num).all() and np.isfinite(den).all():
        c.numerator[keep], c.denominator[keep] = how(num), how(den)
        total = float(den.sum())
        if scale is not None and total != 0:
            c.value[keep] = float(num.sum()) * scale / total
    else:
        c.numerator[keep] = c.denominator[keep] = np.nan
    if isinstance(c.note, Coded):
        c.note = c.note.cells()
    notes = [c.note[r] for r in rows if c.note[r]]
    c.note[keep] = "; ".join(dict.fromkeys(notes))


def _line_text(at: _Located, c: Combined, r: int) -> str:
    w = at.where(int(c.file[r]), int(c.line[r]), "")
    if w.get("line"):
        return f":{w['line']}" + (f" ({w['path']})" if w.get("path") else "")
    return f" {w['path']}" if w.get("path") else ""


def _number(x: float) -> str:
    from stratkit.units import format_magnitude

    return format_magnitude(x) if math.isfinite(x) else ("-inf" if x < 0 else "inf")
