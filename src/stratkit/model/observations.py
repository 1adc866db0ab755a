"""Observations: dated values of outcomes' measures, held as columns.

A series is one array and one unit, never a list of quantities: pint costs
tens of microseconds per scalar and almost nothing per array.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.errors import Problem
from stratkit.model._columns import (
    first_seen_rank,
    fresh,
    optional,
    readonly,
    span,
    stable_order,
)
from stratkit.model._common import cut, plural
from stratkit.units import Unit, convert_magnitudes, format_unit, parse_unit

__all__ = ["Observations", "Series"]


def _entity_column(a: Any) -> NDArray[np.str_]:
    return optional(a, str)


def _file_column(a: Any) -> NDArray[np.int32]:
    return optional(a, np.int32)


def _line_column(a: Any) -> NDArray[np.int64]:
    return optional(a, np.int64)


def _files(a: Iterable[str]) -> tuple[str, ...]:
    return tuple(a)


def _problems(a: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(a)


@attrs.frozen(kw_only=True, eq=False)
class Series:
    """The observations of one outcome, sorted by period end, in one unit.

    ``start`` and ``end`` bound the period each value describes (equal for a
    value on a date); ``numerator`` and ``denominator`` are NaN where not given.
    """

    outcome_id: str
    unit: Unit
    start: NDArray[np.datetime64] = attrs.field(converter=readonly)
    end: NDArray[np.datetime64] = attrs.field(converter=readonly)
    values: NDArray[np.float64] = attrs.field(converter=readonly)
    numerator: NDArray[np.float64] = attrs.field(converter=readonly)
    denominator: NDArray[np.float64] = attrs.field(converter=readonly)
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def __repr__(self) -> str:
        """``<Series 1.1.1: 24 values in %, 2023-04-30 to 2025-03-31>``."""
        unit = format_unit(self.unit) or "no unit"
        n = plural(len(self), "value")
        return f"<Series {cut(self.outcome_id, 20)}: {n} in {unit}{span(self.end)}>"

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

    Rows are sorted by outcome id (in first-seen order), then by entity (in
    first-seen order), then by period end. ``illustrative`` marks invented
    demonstration data; ``source`` says where the data came from, for reports.

    ``entity`` holds each row's organisation, site or team code (``""`` where
    the data are about one organisation): a portfolio has many.
    :meth:`entities` lists them and :meth:`split_by_entity` gives one
    ``Observations`` per entity::

        >>> obs = Observations.from_columns(
        ...     outcome_id=["4h", "4h", "4h"], start=["2024-04-01"] * 3,
        ...     end=["2024-04-30"] * 3, value=[71.2, 80.4, 77.0], unit="%",
        ...     entity=["RA7", "R1H", "RXX"])
        >>> obs.entities()
        ('RA7', 'R1H', 'RXX')
        >>> {code: part.value.tolist() for code, part in obs.split_by_entity().items()}
        {'RA7': [71.2], 'R1H': [80.4], 'RXX': [77.0]}

    ``row_file`` and ``row_line`` say where each row was read (an index into
    ``files``, ``-1`` when unknown; a 1-based line, or a worksheet row, ``0``
    when unknown), so that later checks can name the file and line.
    ``problems`` lists the rows a lenient reader set aside, each located.
    Equality compares the data, not where it was read.
    """

    outcome_id: NDArray[np.str_] = attrs.field(converter=readonly)
    start: NDArray[np.datetime64] = attrs.field(converter=readonly)
    end: NDArray[np.datetime64] = attrs.field(converter=readonly)
    value: NDArray[np.float64] = attrs.field(converter=readonly)
    unit: NDArray[np.str_] = attrs.field(converter=readonly)
    numerator: NDArray[np.float64] = attrs.field(converter=readonly)
    denominator: NDArray[np.float64] = attrs.field(converter=readonly)
    note: NDArray[np.str_] = attrs.field(converter=readonly)
    entity: NDArray[np.str_] = attrs.field(default=None, converter=_entity_column)
    row_file: NDArray[np.int32] = attrs.field(default=None, converter=_file_column)
    row_line: NDArray[np.int64] = attrs.field(default=None, converter=_line_column)
    files: tuple[str, ...] = attrs.field(default=(), converter=_files)
    source: str | None = None
    illustrative: bool = False
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=_problems)

    def __attrs_post_init__(self) -> None:
        n = self.value.shape[0]
        for name, fill in (("entity", ""), ("row_file", -1), ("row_line", 0)):
            col = getattr(self, name)
            if col.shape == (0,) and n:
                full = np.full(n, fill, dtype=col.dtype)
                full.setflags(write=False)
                object.__setattr__(self, name, full)
            elif col.shape != (n,):
                raise ValueError(f"column {name!r} has {col.shape[0]} rows, value has {n}")

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
        entity: Sequence[str] | NDArray[Any] | None = None,
        row_file: Sequence[int] | NDArray[Any] | None = None,
        row_line: Sequence[int] | NDArray[Any] | None = None,
        files: Sequence[str] = (),
        source: str | None = None,
        illustrative: bool = False,
        problems: Sequence[Problem] = (),
    ) -> Observations:
        """Build from parallel columns, sorting rows by outcome, entity, then period end.

        The sort is stable: rows with the same outcome, entity and period end
        keep their order (the reader relies on this to report duplicates in
        file order).
        """
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
        ent = np.full(n, "", dtype=str) if entity is None else np.asarray(entity, dtype=str)
        rf = np.full(n, -1, np.int32) if row_file is None else np.asarray(row_file, np.int32)
        rl = np.zeros(n, np.int64) if row_line is None else np.asarray(row_line, np.int64)
        for name, col in (
            ("start", s),
            ("end", e),
            ("value", v),
            ("unit", u),
            ("numerator", num),
            ("denominator", den),
            ("note", nt),
            ("entity", ent),
            ("row_file", rf),
            ("row_line", rl),
        ):
            if col.shape != (n,):
                raise ValueError(f"column {name!r} has {col.shape[0]} rows, outcome_id has {n}")
        rank = first_seen_rank(ids)
        keys: tuple[NDArray[Any], ...] = (e, rank)
        if n and (ent != "").any():
            keys = (e, first_seen_rank(ent), rank)
        order = stable_order(keys)  # None: already in order (as a file written by stratkit is)
        return cls(
            outcome_id=fresh(ids, order),
            start=fresh(s, order),
            end=fresh(e, order),
            value=fresh(v, order),
            unit=fresh(u, order),
            numerator=fresh(num, order),
            denominator=fresh(den, order),
            note=fresh(nt, order),
            entity=fresh(ent, order),
            row_file=fresh(rf, order),
            row_line=fresh(rl, order),
            files=tuple(files),
            source=source,
            illustrative=illustrative,
            problems=tuple(problems),
        )

    def __len__(self) -> int:
        return int(self.value.shape[0])

    def __repr__(self) -> str:
        """``<Observations: 580 rows of 72 outcomes, 2023-04-30 to 2025-03-31 (illustrative)>``."""
        n_ids = len(np.unique(self.outcome_id)) if len(self) else 0
        text = f"<Observations: {plural(len(self), 'row')} of {plural(n_ids, 'outcome')}"
        entities = self.entities()
        if entities:
            text += f" in {plural(len(entities), 'entity').replace('entitys', 'entities')}"
        text += span(self.end)
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

    def entities(self) -> tuple[str, ...]:
        """The entity codes present, in first-seen order (``()`` for one organisation's data)."""
        if not len(self):
            return ()
        codes = dict.fromkeys(self.entity.tolist())
        codes.pop("", None)
        return tuple(codes)

    def take(self, rows: NDArray[np.intp] | NDArray[np.bool_]) -> Observations:
        """A subset of the rows (indices or a boolean mask), in the same order."""
        return attrs.evolve(
            self,
            outcome_id=self.outcome_id[rows],
            start=self.start[rows],
            end=self.end[rows],
            value=self.value[rows],
            unit=self.unit[rows],
            numerator=self.numerator[rows],
            denominator=self.denominator[rows],
            note=self.note[rows],
            entity=self.entity[rows],
            row_file=self.row_file[rows],
            row_line=self.row_line[rows],
        )

    def for_entity(self, code: str) -> Observations:
        """The rows of one entity (``""``: the rows that name none)."""
        return self.take(self.entity == code)

    def split_by_entity(self) -> dict[str, Observations]:
        """One :class:`Observations` per entity code, in first-seen order.

        Rows without an entity are under ``""`` (listed first) when there are any.
        Each part keeps ``source``, ``files`` and ``illustrative``; the
        reader's ``problems`` stay on the whole.
        """
        codes = dict.fromkeys(self.entity.tolist())
        parts = {code: attrs.evolve(self.for_entity(code), problems=()) for code in codes}
        if "" in parts:
            parts = {"": parts.pop(""), **parts}
        return parts

    def location(self, row: int) -> tuple[str | None, int | None]:
        """The file (or ``file, sheet``) and line (or worksheet row) row ``row`` was read from."""
        f = int(self.row_file[row])
        line = int(self.row_line[row])
        return (self.files[f] if 0 <= f < len(self.files) else None, line or None)

    def _rows(self, outcome_id: str, entity: str | None = None) -> NDArray[np.intp]:
        mask = self.outcome_id == outcome_id
        if entity is not None:
            mask &= self.entity == entity
        return np.flatnonzero(mask)

    def series(
        self, outcome_id: str, unit: Unit | str | None = None, *, entity: str | None = None
    ) -> Series:
        """One outcome's observations as a :class:`Series`, converted to ``unit``.

        Rows in several units of the same dimension are converted; a unit of
        another dimension raises :class:`~stratkit.errors.DimensionalityError`
        naming the outcome and both units. With no rows, an empty series.
        ``entity`` keeps only that entity's rows (``None``: every row).
        """
        rows = self._rows(outcome_id, entity)
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
                for c in ("outcome_id", "start", "end", "unit", "note", "entity")
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
