"""Observations: dated values of outcomes' measures, held as columns.

A series is one array and one unit, never a list of quantities: pint costs
tens of microseconds per scalar and almost nothing per array.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.model._common import cut, plural
from stratkit.units import Unit, convert_magnitudes, format_unit, parse_unit

__all__ = ["Observations", "Series"]


def _span(ends: NDArray[np.datetime64]) -> str:
    """``", 2023-04-30 to 2025-03-31"``: the first and last period ends, if any."""
    if ends.shape[0] == 0:
        return ""
    days = ends.astype("datetime64[D]")
    return f", {days.min()} to {days.max()}"


def _readonly(a: NDArray[Any]) -> NDArray[Any]:
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


@attrs.frozen(kw_only=True, eq=False)
class Series:
    """The observations of one outcome, sorted by period end, in one unit.

    ``start`` and ``end`` bound the period each value describes (equal for a
    value on a date); ``numerator`` and ``denominator`` are NaN where not given.
    """

    outcome_id: str
    unit: Unit
    start: NDArray[np.datetime64] = attrs.field(converter=_readonly)
    end: NDArray[np.datetime64] = attrs.field(converter=_readonly)
    values: NDArray[np.float64] = attrs.field(converter=_readonly)
    numerator: NDArray[np.float64] = attrs.field(converter=_readonly)
    denominator: NDArray[np.float64] = attrs.field(converter=_readonly)
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def __repr__(self) -> str:
        """``<Series 1.1.1: 24 values in %, 2023-04-30 to 2025-03-31>``."""
        unit = format_unit(self.unit) or "no unit"
        n = plural(len(self), "value")
        return f"<Series {cut(self.outcome_id, 20)}: {n} in {unit}{_span(self.end)}>"

    def to(self, unit: Unit | str, context: str = "") -> Series:
        """The same series in another unit of the same dimension."""
        target = parse_unit(unit) if isinstance(unit, str) else unit
        values = convert_magnitudes(
            self.values, self.unit, target, context or f"outcome {self.outcome_id}"
        )
        return attrs.evolve(self, unit=target, values=values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Series):
            return NotImplemented
        return (
            self.outcome_id == other.outcome_id
            and self.unit == other.unit
            and np.array_equal(self.start, other.start)
            and np.array_equal(self.end, other.end)
            and np.array_equal(self.values, other.values, equal_nan=True)
            and np.array_equal(self.numerator, other.numerator, equal_nan=True)
            and np.array_equal(self.denominator, other.denominator, equal_nan=True)
            and self.notes == other.notes
        )

    __hash__ = None  # type: ignore[assignment]


@attrs.frozen(kw_only=True, eq=False)
class Observations:
    """Observations of many outcomes, as one long table in columns.

    Rows are sorted by outcome id (in first-seen order) then by period end.
    ``illustrative`` marks invented demonstration data; ``source`` says where
    the data came from, for reports.
    """

    outcome_id: NDArray[np.str_] = attrs.field(converter=_readonly)
    start: NDArray[np.datetime64] = attrs.field(converter=_readonly)
    end: NDArray[np.datetime64] = attrs.field(converter=_readonly)
    value: NDArray[np.float64] = attrs.field(converter=_readonly)
    unit: NDArray[np.str_] = attrs.field(converter=_readonly)
    numerator: NDArray[np.float64] = attrs.field(converter=_readonly)
    denominator: NDArray[np.float64] = attrs.field(converter=_readonly)
    note: NDArray[np.str_] = attrs.field(converter=_readonly)
    source: str | None = None
    illustrative: bool = False

    @classmethod
    def from_columns(
        cls,
        *,
        outcome_id: Sequence[str] | NDArray[Any],
        start: Sequence[Any] | NDArray[Any],
        end: Sequence[Any] | NDArray[Any] | None = None,
        value: Sequence[float] | NDArray[Any],
        unit: Sequence[str] | NDArray[Any] | str,
        numerator: Sequence[float] | NDArray[Any] | None = None,
        denominator: Sequence[float] | NDArray[Any] | None = None,
        note: Sequence[str] | NDArray[Any] | None = None,
        source: str | None = None,
        illustrative: bool = False,
    ) -> Observations:
        """Build from parallel columns, sorting rows by outcome then period end."""
        ids = np.asarray(outcome_id, dtype=str)
        n = ids.shape[0]
        s = np.asarray(start, dtype="datetime64[D]")
        e = s if end is None else np.asarray(end, dtype="datetime64[D]")
        v = np.asarray(value, dtype=np.float64)
        u = (
            np.full(n, unit, dtype=object).astype(str)
            if isinstance(unit, str)
            else np.asarray(unit, dtype=str)
        )
        nan = np.full(n, np.nan)
        num = nan if numerator is None else np.asarray(numerator, dtype=np.float64)
        den = nan if denominator is None else np.asarray(denominator, dtype=np.float64)
        nt = np.full(n, "", dtype=str) if note is None else np.asarray(note, dtype=str)
        for name, col in (
            ("start", s),
            ("end", e),
            ("value", v),
            ("unit", u),
            ("numerator", num),
            ("denominator", den),
            ("note", nt),
        ):
            if col.shape != (n,):
                raise ValueError(f"column {name!r} has {col.shape[0]} rows, outcome_id has {n}")
        lookup: dict[str, int] = {}
        rank = np.fromiter(
            (lookup.setdefault(k, len(lookup)) for k in ids.tolist()), dtype=np.int64, count=n
        )
        order = np.lexsort((e, rank))
        return cls(
            outcome_id=ids[order],
            start=s[order],
            end=e[order],
            value=v[order],
            unit=u[order],
            numerator=num[order],
            denominator=den[order],
            note=nt[order],
            source=source,
            illustrative=illustrative,
        )

    def __len__(self) -> int:
        return int(self.value.shape[0])

    def __repr__(self) -> str:
        """``<Observations: 580 rows of 72 outcomes, 2023-04-30 to 2025-03-31 (illustrative)>``."""
        n_ids = len(np.unique(self.outcome_id)) if len(self) else 0
        text = f"<Observations: {plural(len(self), 'row')} of {plural(n_ids, 'outcome')}"
        text += _span(self.end)
        if self.illustrative:
            text += " (illustrative)"
        return text + ">"

    def latest_end(self) -> dt.date | None:
        """The end of the latest period observed (``None`` when there are no rows).

        >>> import stratkit
        >>> stratkit.examples.load_observations("kmpt_2023_26").latest_end()
        datetime.date(2025, 3, 31)
        """
        if self.end.shape[0] == 0:
            return None
        return dt.date.fromisoformat(str(self.end.max().astype("datetime64[D]")))

    def outcome_ids(self) -> tuple[str, ...]:
        """The outcome ids present, in row order."""
        _, first = np.unique(self.outcome_id, return_index=True)
        return tuple(str(x) for x in self.outcome_id[np.sort(first)])

    def _rows(self, outcome_id: str) -> NDArray[np.intp]:
        return np.flatnonzero(self.outcome_id == outcome_id)

    def series(self, outcome_id: str, unit: Unit | str | None = None) -> Series:
        """One outcome's observations as a :class:`Series`, converted to ``unit``.

        Rows in several units of the same dimension are converted; a unit of
        another dimension raises :class:`~stratkit.errors.DimensionalityError`
        naming the outcome and both units. With no rows, an empty series.
        """
        rows = self._rows(outcome_id)
        units = list(dict.fromkeys(self.unit[rows].tolist()))
        target = parse_unit(unit) if isinstance(unit, str) else unit
        if target is None:
            target = parse_unit(units[0]) if units else parse_unit("")
        values = np.empty(rows.shape[0], dtype=np.float64)
        num = self.numerator[rows]
        den = self.denominator[rows]
        for u in units:
            mask = self.unit[rows] == u
            values[mask] = convert_magnitudes(
                self.value[rows][mask], parse_unit(u), target, f"outcome {outcome_id}"
            )
        notes = tuple(str(x) for x in self.note[rows])
        return Series(
            outcome_id=outcome_id,
            unit=target,
            start=self.start[rows],
            end=self.end[rows],
            values=values,
            numerator=num,
            denominator=den,
            notes=notes,
        )

    def __iter__(self) -> Iterator[Series]:
        for oid in self.outcome_ids():
            yield self.series(oid)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Observations):
            return NotImplemented
        return (
            len(self) == len(other)
            and all(
                np.array_equal(getattr(self, c), getattr(other, c))
                for c in ("outcome_id", "start", "end", "unit", "note")
            )
            and all(
                np.array_equal(getattr(self, c), getattr(other, c), equal_nan=True)
                for c in ("value", "numerator", "denominator")
            )
            and self.source == other.source
            and self.illustrative == other.illustrative
        )

    __hash__ = None  # type: ignore[assignment]

    def describe_units(self, outcome_id: str) -> str:
        """The units an outcome's rows use, for messages."""
        rows = self._rows(outcome_id)
        return ", ".join(format_unit(parse_unit(u)) for u in dict.fromkeys(self.unit[rows]))
