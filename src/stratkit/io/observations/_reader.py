"""Reading a :class:`~._table.Table` column by column into typed :class:`~._table.Rows`.

Each column is parsed in one pass (periods, numbers with their units,
texts); a cell that cannot be read marks its row bad with a located
:class:`~stratkit.errors.Problem`, and reading goes on, so that every
problem in a file is reported at once.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.errors import Problem, UnitError
from stratkit.io.observations import _periods, _values
from stratkit.io.observations._columns import (
    Coded,
    _as_day,
    _text,
    cells,
    coded_text,
    factorize,
    text_column,
)
from stratkit.io.observations._table import _TOTALS, COLUMNS, Rows, Table, normalise
from stratkit.units import convert_magnitudes, parse_unit

__all__ = ["read_table"]


class _Reader:
    """Column-wise parsing with a problem list; one instance per table."""

    def __init__(self, table: Table, entity: str, dayfirst: bool | None) -> None:
        self.t = table
        self.entity = entity
        self.dayfirst = dayfirst
        self.n = len(table.lines)
        self.bad = np.zeros(self.n, dtype=bool)
        self.problems: list[Problem] = []

    def fail(self, row: int, column: str, message: str, **extra: Any) -> None:
        self.bad[row] = True
        self.problems.append(Problem(message=message, **self.t.where(row, column), **extra))

    def column(self, name: str) -> list[Any] | None:
        names = [normalise(h) for h in self.t.header]
        return self.t.columns[names.index(name)] if name in names else None

    # --- periods -------------------------------------------------------------------

    def periods(self) -> tuple[NDArray[Any], NDArray[Any], NDArray[np.bool_]]:
        n = self.n
        start = np.empty(n, dtype="datetime64[D]")
        end = np.empty(n, dtype="datetime64[D]")
        instant = np.zeros(n, dtype=bool)
        col = self.column("period")
        name = "period"
        if col is None and (col := self.column("date")) is not None:
            name = "date"
        if col is not None:
            self._period_column(col, name, start, end, instant)
            return start, end, instant
        first, last = self.column("start"), self.column("end")
        assert first is not None  # checked by the caller
        self._period_column(first, "start", start, end, instant, day_only=True)
        if last is not None:
            s2 = np.empty(n, dtype="datetime64[D]")
            e2 = np.empty(n, dtype="datetime64[D]")
            blank = text_column(last, n) == ""
            self._period_column(last, "end", s2, e2, np.zeros(n, bool), day_only=True, blank=blank)
            given = ~blank & ~self.bad
            end[given] = e2[given]
            instant[given] = False
            for i in np.flatnonzero(given & (end < start)).tolist():
                self.fail(
                    i,
                    "end",
                    "the period ends before it starts",
                    found=f"start {start[i]}, end {end[i]}",
                )
        return start, end, instant

    def _period_column(
        self,
        col: list[Any],
        name: str,
        start: NDArray[Any],
        end: NDArray[Any],
        instant: NDArray[np.bool_],
        *,
        day_only: bool = False,
        blank: NDArray[np.bool_] | None = None,
    ) -> None:
        # parse each distinct cell once, then spread the results by index
        codes, uniques = factorize(col)
        u_start = np.zeros(len(uniques), dtype="datetime64[D]")
        u_end = np.zeros(len(uniques), dtype="datetime64[D]")
        u_instant = np.zeros(len(uniques), dtype=bool)
        failed: dict[int, tuple[str, str]] = {}
        for k, cell in enumerate(uniques):
            day = None if isinstance(cell, str) else _as_day(cell)
            text = ""
            if day is not None:
                got: tuple[Any, Any, bool] | str = (
                    np.datetime64(day, "D"),
                    np.datetime64(day, "D"),
                    not day_only,
                )
            elif not isinstance(cell, str) and hasattr(cell, "start_time"):  # a pandas Period
                got = (
                    np.datetime64(cell.start_time.date(), "D"),
                    np.datetime64(cell.end_time.date(), "D"),
                    False,
                )
            else:
                text = _text(cell)
                got = self._parse_period(text, day_only, self.dayfirst)
            if isinstance(got, str):
                failed[k] = (got, text)
            else:
                u_start[k], u_end[k], u_instant[k] = got
        start[:] = u_start[codes]
        end[:] = u_end[codes]
        instant[:] = u_instant[codes]
        if failed:
            for i in np.flatnonzero(np.isin(codes, list(failed))).tolist():
                if blank is not None and blank[i]:
                    continue
                message, text = failed[int(codes[i])]
                self.fail(
                    i,
                    name,
                    message,
                    expected=None if "ambiguous" in message else _periods.EXPECTED,
                    found=repr(text[:80]),
                )

    @staticmethod
    def _parse_period(
        text: str, day_only: bool, dayfirst: bool | None
    ) -> tuple[Any, Any, bool] | str:
        if not text.strip():
            return "no period"
        try:
            a, b = _periods.parse_period(text, dayfirst=dayfirst)
        except ValueError as exc:
            detail = str(exc)
            if detail.startswith("cannot read"):
                return "cannot read the period"
            return "cannot read the period: " + detail
        if day_only and a != b:
            return "a date is needed here"
        return np.datetime64(a, "D"), np.datetime64(b, "D"), a == b and not day_only

    # --- numbers -------------------------------------------------------------------

    def numbers(self, name: str, allow_unit: bool) -> tuple[NDArray[np.float64], dict[int, str]]:
        """A column of numbers, and the rows whose number came with a unit (``"%"``)."""
        col = cells(self.column(name))
        n = self.n
        units: dict[int, str] = {}
        if col is None:
            return np.full(n, np.nan), units
        try:  # the common case: plain numbers (or blanks), parsed in C
            if isinstance(col, np.ndarray) and col.dtype != object:
                out = np.array(col, dtype=np.float64)  # a copy: a frame's may be read-only
            elif self.t.decimal == ".":  # with a decimal comma, "1.039" is a thousand
                out = np.fromiter(
                    map(float, (c if c.__class__ is not str or c else "nan" for c in col)),
                    dtype=np.float64,
                    count=n,
                )
            else:
                raise ValueError
        except (ValueError, TypeError):
            out = np.full(n, np.nan)
            decimal = self.t.decimal
            for i, cell in enumerate(col):
                if isinstance(cell, str):
                    try:
                        out[i], unit, _ = _values.parse_number(cell, decimal=decimal)
                    except ValueError as exc:
                        self.fail(i, name, str(exc), found=repr(cell[:80]))
                        continue
                    if unit:
                        units[i] = unit
                        if not allow_unit:
                            self.fail(i, name, f"a {name} is a count, not a percentage")
                elif cell is None:
                    continue
                elif isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(
                    cell, bool
                ):
                    out[i] = float(cell)
                else:
                    self.fail(i, name, "not a number", found=repr(_text(cell)[:80]))
        infinite = ~np.isfinite(out)
        if isinstance(col, np.ndarray) and col.dtype != object:
            # typed numbers: NaN is a missing value, an infinity is refused
            for i in np.flatnonzero(np.isinf(out)).tolist():
                self.fail(i, name, "not a finite number", found=repr(_text(col[i])))
                out[i] = np.nan
            return out, units
        if isinstance(col, np.ndarray):
            blanks = int((col == "").sum())
        else:
            blanks = col.count("") + col.count(None)
        if infinite.any() and (int(infinite.sum()) != blanks or np.isinf(out).any()):
            # NaN from a blank cell is no value; the text "nan", inf, -inf and 1e309 are refused
            for i in np.flatnonzero(infinite).tolist():
                cell = col[i]
                if isinstance(cell, str) and not cell.strip(" \t\u00a0"):
                    continue
                if cell is None or (not isinstance(cell, str) and math.isnan(out[i])):
                    continue
                if not self.bad[i]:
                    self.fail(i, name, "not a finite number", found=repr(_text(cell)[:80]))
                out[i] = np.nan
        return out, units

    # --- the rest ------------------------------------------------------------------

    def texts(self, name: str, *, strip: bool = True) -> NDArray[np.object_]:
        return text_column(self.column(name), self.n, strip=strip)

    def coded(self, name: str, *, strip: bool = True) -> Coded:
        return coded_text(self.column(name), self.n, strip=strip)


def read_table(
    table: Table, *, entity: str = "org", dayfirst: bool | None = True
) -> tuple[Rows | None, list[Problem]]:
    """Typed columns of a table, or ``None`` with the problems when it has no usable header."""
    names = [normalise(h) for h in table.header]
    problems = list(table.problems)
    where: dict[str, Any] = {"file": table.label}
    if table.kind != "frame":
        where["line"] = table.header_line
    if not table.header:
        problems.append(Problem(message="no header row", expected=",".join(COLUMNS), **where))
        return None, problems
    missing = [c for c in ("outcome_id", "value") if c not in names]
    has_value = "value" in names or ("numerator" in names and "denominator" in names)
    problems.extend(
        Problem(
            message=f"no {c!r} column",
            expected=",".join(COLUMNS),
            found=",".join(str(h) for h in table.header),
            **where,
        )
        for c in missing
        if c != "value" or not has_value
    )
    if not ({"period", "date", "start"} & set(names)):
        problems.append(
            Problem(message="no 'period' (or 'date', or 'start' and 'end') column", **where)
        )
    repeated = sorted({c for c in names if c in COLUMNS and names.count(c) > 1})
    problems.extend(Problem(message=f"two {c!r} columns", **where) for c in repeated)
    if len(problems) > len(table.problems):
        return None, problems
    table = _without_totals(table, names.index("outcome_id"))
    r = _Reader(table, normalise(entity), dayfirst)
    ids = r.coded("outcome_id")
    if "" in ids.uniques:
        for i in np.flatnonzero(ids.codes == ids.uniques.index("")).tolist():
            r.fail(i, "outcome_id", "missing outcome id")
    start, end, instant = r.periods()
    value, value_units = r.numbers("value", allow_unit=True)
    num, _ = r.numbers("numerator", allow_unit=False)
    den, _ = r.numbers("denominator", allow_unit=False)
    coded_units = r.coded("unit")
    units = coded_units.cells()
    for i, vu in value_units.items():
        if r.bad[i]:
            continue
        u = units[i]
        if not u:
            units[i] = vu  # 77.4% with no unit column: a percentage
        elif u != vu:  # 77.4% with the unit "fraction": 0.774
            try:
                value[i] = float(
                    convert_magnitudes(np.array([value[i]]), parse_unit(vu), parse_unit(u))[0]
                )
            except UnitError as exc:
                r.fail(i, "unit", f"the value is written in {vu}: {exc}", found=repr(u))
    # the distinct units, as first seen (coded already unless changed just above)
    codes, distinct = factorize(units if value_units else coded_units)
    for k, u in enumerate(distinct):
        if not u:
            continue
        try:
            parse_unit(u)
        except UnitError as exc:
            for i in np.flatnonzero(codes == k).tolist():
                if not r.bad[i]:
                    r.fail(i, "unit", str(exc))
    paired = ~np.isnan(num) & ~np.isnan(den)
    for i in np.flatnonzero(~r.bad & paired & (den == 0)).tolist():
        r.fail(i, "denominator", "a denominator of 0 with a numerator", found="0")
    for name, col in (("numerator", num), ("denominator", den)):
        for i in np.flatnonzero(~r.bad & paired & (col < 0)).tolist():
            r.fail(i, name, f"a negative {name}", found=f"{col[i]:g}")
    derivable = ~np.isnan(num) & ~np.isnan(den)
    for i in np.flatnonzero(~r.bad & np.isnan(value) & ~derivable).tolist():
        r.fail(
            i,
            "value",
            "no value",
            hint="give a value, or a numerator and a denominator, or delete the row",
        )
    lines = table.lines
    line = (
        np.arange(lines.start, lines.stop, lines.step, dtype=np.int64)
        if isinstance(lines, range)
        else np.asarray(lines, dtype=np.int64)
    )
    rows = Rows(
        outcome_id=ids,
        start=start,
        end=end,
        instant=instant,
        value=value,
        unit=units,
        numerator=num,
        denominator=den,
        note=r.coded("note", strip=False),
        entity=r.coded(r.entity),
        line=line,
        bad=r.bad,
        problems=problems + r.problems,
    )
    return rows, rows.problems


def _without_totals(table: Table, column: int) -> Table:
    """The table less a spreadsheet export's totals rows ("Total" as the outcome id)."""
    codes, distinct = factorize(table.columns[column])
    totals = [
        k for k, x in enumerate(distinct) if isinstance(x, str) and x.strip().lower() in _TOTALS
    ]
    if not totals:
        return table
    keep = ~np.isin(codes, totals)
    idx = np.flatnonzero(keep).tolist()
    return attrs.evolve(
        table,
        columns=[
            c[keep] if isinstance(c, np.ndarray) else [c[i] for i in idx]
            for c in map(cells, table.columns)
        ],
        lines=[table.lines[i] for i in idx],
    )
