"""Rows from every source, combined, checked (against a strategy when there is one), and built.

Checks: duplicates (within a file or across files), and with a strategy the
outcome id, the unit's dimension, the value within the measure's range, the
period matching the measure's frequency, no future period, and a value that
agrees with its numerator and denominator. Every problem is located; a row
with a problem is set aside (or, when ``strict``, everything is refused).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from stratkit.errors import ObservationsError, ObservationsWarning, Problem
from stratkit.io.observations import _periods
from stratkit.io.observations._columns import Coded, factorize
from stratkit.io.observations._table import Rows, Table, locate
from stratkit.model import Observations, Strategy
from stratkit.model._columns import stable_order
from stratkit.units import convert_magnitudes, parse_unit

Duplicates = Literal["error", "first", "last", "mean", "sum"]
DUPLICATE_RULES = ("error", "first", "last", "mean", "sum")


class _Located:
    """Problems at rows of the combined table, placed in their source."""

    def __init__(self, tables: Sequence[Table], labels: Sequence[str]) -> None:
        self.tables = tables
        self.labels = labels
        self.problems: list[tuple[int, int, int, Problem]] = []
        self.kept: set[int] = set()  # problems whose rows are still used (unknown outcomes)

    def where(self, f: int, line: int, column: str) -> dict[str, Any]:
        if f < len(self.tables):
            return self.tables[f].where(None, column, line=line or None)
        label = self.labels[f] if 0 <= f < len(self.labels) else "<observations>"
        kind = "frame" if label.startswith("<") else "csv"
        return locate(label, line or None, column, kind)

    def add(
        self, f: int, line: int, column: str, message: str, *, kept: bool = False, **extra: Any
    ) -> None:
        p = Problem(message=message, **self.where(f, line, column), **extra)
        if kept:
            self.kept.add(len(self.problems))
        self.problems.append((f, line, len(self.problems), p))

    def extend(self, f: int, problems: Sequence[Problem]) -> None:
        for p in problems:
            self.problems.append((f, p.line or 0, len(self.problems), p))

    def sorted(self, *, set_aside: bool = False) -> list[Problem]:
        chosen = [x for x in self.problems if not (set_aside and x[2] in self.kept)]
        return [p for *_, p in sorted(chosen, key=lambda x: x[:3])]


def _period_text(start: Any, end: Any) -> str:
    return _periods.format_period(start.astype(dt.date), end.astype(dt.date))


def _number(x: float) -> str:
    from stratkit.units import format_magnitude

    return format_magnitude(x) if math.isfinite(x) else ("-inf" if x < 0 else "inf")


class Combined:
    """The rows of every table in one set of columns (text columns as object arrays)."""

    def __init__(self, parts: Sequence[tuple[int, Rows]]) -> None:
        def cat(name: str, empty: Any) -> Any:
            if not parts:
                return np.zeros(0, dtype=empty)
            return np.concatenate([np.asarray(getattr(r, name), dtype=empty) for _, r in parts])

        def texts(name: str) -> NDArray[np.object_]:
            out = np.empty(sum(len(r.line) for _, r in parts), dtype=object)
            i = 0
            for _, r in parts:
                col = getattr(r, name)
                out[i : i + len(col)] = col
                i += len(col)
            return out

        self.outcome_id = Coded.concat([r.outcome_id for _, r in parts])
        n = len(self.outcome_id)
        self.start = cat("start", "datetime64[D]")
        self.end = cat("end", "datetime64[D]")
        self.instant = cat("instant", bool)
        self.value = cat("value", np.float64)
        self.numerator = cat("numerator", np.float64)
        self.denominator = cat("denominator", np.float64)
        self.line = cat("line", np.int64)
        self.bad = cat("bad", bool)
        self.unit = texts("unit")
        self.note: Any = Coded.concat([r.note for _, r in parts])
        self.entity = Coded.concat([r.entity for _, r in parts])
        self.file = (
            np.concatenate([np.full(len(r.line), f, np.int32) for f, r in parts])
            if parts
            else np.zeros(0, np.int32)
        )
        assert self.start.shape == (n,)
        self.factor = np.ones(n)  # into the measure's unit, once checked
        self.target = np.full(n, None, dtype=object)  # the measure's unit, once checked

    def __len__(self) -> int:
        return len(self.outcome_id)

    def convert(self) -> None:
        """Values into their measure's unit (after the numerator/denominator checks)."""
        self.value = self.value * self.factor
        known = self.target != None  # noqa: E711 - elementwise
        self.unit[known] = self.target[known]


def _decimals(values: NDArray[np.float64]) -> NDArray[np.int64]:
    """The decimals each value is written with (the fewest that give it back), up to 9."""
    d = np.full(values.shape, 9, dtype=np.int64)
    left = np.arange(values.shape[0])  # those whose decimals are not known yet
    for k in range(9):
        exact = np.round(values[left], k) == values[left]
        d[left[exact]] = k
        left = left[~exact]
    return d


def _derive_and_agree(c: Combined, at: _Located) -> None:
    """Values from numerator/denominator where absent; agreement where both are given.

    The value must agree with numerator / denominator to the precision it is
    written with: 89.5 agrees with 179/200, 82.1 with 165/201 (82.09 %).
    """
    rows = np.flatnonzero(~np.isnan(c.numerator) & ~np.isnan(c.denominator) & ~c.bad)
    if not rows.size:
        return
    codes, distinct = factorize(c.unit[rows])
    scale = np.full(len(distinct), np.nan)
    blank = np.zeros(len(distinct), dtype=bool)
    for k, u in enumerate(distinct):
        if not u:
            blank[k] = True  # no unit yet: resolved when checked against the strategy
            continue
        unit = parse_unit(u)
        if unit.dimensionless:
            scale[k] = float(convert_magnitudes(np.ones(1), parse_unit(""), unit)[0])
    rows = rows[~blank[codes]]
    codes = codes[~blank[codes]]
    factor = scale[codes]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        derived = c.numerator[rows] / c.denominator[rows] * factor
    value = c.value[rows]
    missing = np.isnan(value)
    for r in rows[missing & np.isnan(factor)].tolist():
        at.add(
            int(c.file[r]),
            int(c.line[r]),
            "value",
            f"cannot work out a value in {c.unit[r]!r} from a numerator and a denominator",
            hint="give the value",
        )
        c.bad[r] = True
    fill = missing & ~np.isnan(factor)
    c.value[rows[fill]] = derived[fill]
    given = ~missing & ~np.isnan(factor)
    tolerance = 0.5 * 10.0 ** -_decimals(value[given]) + 1e-9 * np.abs(value[given])
    with np.errstate(over="ignore", invalid="ignore"):
        wrong = ~(np.abs(value[given] - derived[given]) <= tolerance)
    for r, d in zip(rows[given][wrong].tolist(), derived[given][wrong].tolist(), strict=True):
        at.add(
            int(c.file[r]),
            int(c.line[r]),
            "value",
            "the value does not agree with the numerator and denominator",
            expected=f"{_number(round(d, 6))} {c.unit[r]} ({_number(float(c.numerator[r]))} / "
            f"{_number(float(c.denominator[r]))})",
            found=_number(float(c.value[r])),
        )
        c.bad[r] = True


def _codes(texts: NDArray[np.object_]) -> NDArray[np.int64]:
    return factorize(texts)[0]


def _duplicates(c: Combined, rule: str, at: _Located) -> NDArray[np.bool_]:
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
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        rows = g[a : b + 1].tolist()  # file order, thanks to the stable sort on index
        if rule == "error":
            first = rows[0]
            places = "; ".join(
                f"{at.where(int(c.file[r]), int(c.line[r]), '').get('file')}"
                f"{_line_text(at, c, r)}: {_number(float(c.value[r]))}"
                for r in rows
            )
            who = f" for {c.entity[first]}" if c.entity[first] else ""
            at.add(
                int(c.file[rows[-1]]),
                int(c.line[rows[-1]]),
                "period",
                f"{len(rows)} values for outcome {c.outcome_id[first]}{who}, period "
                f"{_period_text(c.start[first], c.end[first])} ({places})",
                hint="keep one, or pass duplicates='first', 'last', 'mean' or 'sum'",
            )
            c.bad[rows] = True
            continue
        keep = rows[-1] if rule == "last" else rows[0]
        if rule in ("mean", "sum"):
            vals = c.value[rows]
            c.value[keep] = vals.mean() if rule == "mean" else vals.sum()
            if rule == "sum":
                c.numerator[keep] = c.numerator[rows].sum()
                c.denominator[keep] = c.denominator[rows].sum()
            else:
                c.numerator[keep] = c.denominator[keep] = np.nan
            if isinstance(c.note, Coded):
                c.note = c.note.cells()
            notes = [c.note[r] for r in rows if c.note[r]]
            c.note[keep] = "; ".join(dict.fromkeys(notes))
        drop[[r for r in rows if r != keep]] = True
    return drop


def _line_text(at: _Located, c: Combined, r: int) -> str:
    w = at.where(int(c.file[r]), int(c.line[r]), "")
    if w.get("line"):
        return f":{w['line']}" + (f" ({w['path']})" if w.get("path") else "")
    return f" {w['path']}" if w.get("path") else ""


def build(
    parts: Sequence[tuple[int, Rows]],
    tables: Sequence[Table],
    labels: Sequence[str],
    early: Sequence[tuple[int, Sequence[Problem]]],
    *,
    strategy: Strategy | None,
    strict: bool,
    duplicates: str,
    today: dt.date | None,
    source: str | None,
    illustrative: bool,
    carried: Sequence[Problem] = (),
) -> Observations:
    """Combine, check and build; raise or warn about the problems found.

    ``carried`` are problems found and reported before (by an earlier read):
    kept, listed first, raised when ``strict``, but not warned about again.
    """
    if duplicates not in DUPLICATE_RULES:
        raise ValueError(f"duplicates must be one of {', '.join(DUPLICATE_RULES)}")
    at = _Located(tables, labels)
    for f, problems in early:
        at.extend(f, problems)
    c = Combined(parts)
    if strategy is not None:
        from stratkit.io.observations import _against

        checks = _against.Checks(c, strategy, at)
        checks.resolve()
    _derive_and_agree(c, at)
    c.convert()
    if strategy is not None:
        checks.bounds(today)
    drop = _duplicates(c, duplicates, at)
    known = set(carried)
    problems = [*carried, *(p for p in at.sorted() if p not in known)]
    if strict and problems:
        raise ObservationsError(problems, ", ".join(dict.fromkeys(labels)) or "<observations>")
    aside = at.sorted(set_aside=True)
    if aside:
        n = len(aside)
        shown = "\n".join(f"  - {p}" for p in aside[:20])
        more = f"\n  ... and {n - 20} more (Observations.problems lists them)" if n > 20 else ""
        warnings.warn(
            ObservationsWarning(
                f"{n} problem{'s' if n != 1 else ''} in the observations; the rows "
                f"concerned are not used:\n{shown}{more}",
                aside,
            ),
            stacklevel=4,
        )
    # rows of an unknown outcome are a problem, but harm no other outcome: kept
    idx = np.flatnonzero(~c.bad & ~drop)

    def text(col: Any) -> NDArray[np.str_]:
        # to fixed-width text once per distinct value, then spread: fast for repeated values
        codes, distinct = factorize(col)
        texts = np.asarray(distinct or [""], dtype=str)
        chosen = codes[idx]
        given = texts != ""
        if given.all():
            return ro(texts[chosen])
        # mostly blank (notes, entities): zeroed memory is "", fill only the rest
        out = np.zeros(chosen.shape, dtype=texts.dtype)
        filled = given[chosen]
        out[filled] = texts[chosen[filled]]
        return ro(out)

    def ro(a: NDArray[Any]) -> NDArray[Any]:
        # fresh arrays, made read-only: the model keeps them without copying
        a.setflags(write=False)
        return a

    return Observations.from_columns(
        outcome_id=text(c.outcome_id),
        start=ro(c.start[idx]),
        end=ro(c.end[idx]),
        value=ro(c.value[idx]),
        unit=text(c.unit),
        numerator=ro(c.numerator[idx]),
        denominator=ro(c.denominator[idx]),
        note=text(c.note),
        entity=text(c.entity),
        row_file=ro(c.file[idx]),
        row_line=ro(c.line[idx]),
        files=tuple(labels),
        source=source,
        illustrative=illustrative,
        problems=problems,
    )
