"""Rates of two counts: values derived from numerator and denominator, and their aggregates.

A measure with ``from_counts: true`` is a rate of two counts (patients seen
within 4 hours over attendances). Its value is numerator ÷ denominator in the
measure's unit, and an aggregate of it (organisations into an ICB, a region or
England; months into a quarter) is Σ numerator ÷ Σ denominator. The mean of
the organisations' percentages is a different number, and the wrong one: it
gives a department of 2,000 attendances the weight of one of 20,000.

The functions here work on :class:`PortfolioRows`, the long table of a
portfolio's observations in plain columns, one row per entity, outcome and
period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from stratkit.errors import ObservationsError, Problem
from stratkit.model import Observations, Strategy
from stratkit.units import convert_magnitudes, parse_unit

__all__ = [
    "PortfolioRows",
    "aggregate_entities",
    "derive_rates",
    "derive_values",
    "to_quarters",
]


def _col(a: Any, dtype: Any) -> NDArray[Any]:
    # a read-only view: no copy of the (large) columns a portfolio passes around
    out: NDArray[Any] = np.asarray(a, dtype=dtype).view()
    out.setflags(write=False)
    return out


def _text(a: Any) -> NDArray[Any]:
    return _col(a, str)


def _days(a: Any) -> NDArray[Any]:
    return _col(a, "datetime64[D]")


def _floats(a: Any) -> NDArray[Any]:
    return _col(a, np.float64)


ROW_COLUMNS = ("entity", "outcome_id", "start", "end", "value", "unit", "numerator", "denominator")
"""The per-row arrays of :class:`PortfolioRows`, in order."""


@attrs.frozen(kw_only=True, eq=False)
class PortfolioRows:
    """A portfolio's observations as parallel columns: one row per entity, outcome and period.

    ``entity`` holds each row's organisation code; the other columns are those
    of :class:`~stratkit.model.Observations`. Rows keep the order given.
    """

    entity: NDArray[np.str_] = attrs.field(converter=_text)
    outcome_id: NDArray[np.str_] = attrs.field(converter=_text)
    start: NDArray[np.datetime64] = attrs.field(converter=_days)
    end: NDArray[np.datetime64] = attrs.field(converter=_days)
    value: NDArray[np.float64] = attrs.field(converter=_floats)
    unit: NDArray[np.str_] = attrs.field(converter=_text)
    numerator: NDArray[np.float64] = attrs.field(converter=_floats)
    denominator: NDArray[np.float64] = attrs.field(converter=_floats)
    source: str | None = None
    illustrative: bool = False
    _positions: dict[int, tuple[Strategy, NDArray[np.int64]]] = attrs.field(
        factory=dict, init=False, repr=False, eq=False
    )

    def __len__(self) -> int:
        return int(self.value.shape[0])

    def positions(self, strategy: Strategy) -> NDArray[np.int64]:
        """Each row's outcome position in ``strategy`` (``-1``: not in it), computed once."""
        found = self._positions.get(id(strategy))
        if found is None or found[0] is not strategy:
            found = self._positions[id(strategy)] = (
                strategy,
                outcome_index(strategy, self.outcome_id),
            )
        return found[1]

    @classmethod
    def from_observations(
        cls, observations: Observations, entity: Sequence[str] | NDArray[Any] | None = None
    ) -> PortfolioRows:
        """The rows of ``observations``, each with its entity code.

        The codes are ``observations.entity`` (the entity column the reader
        read), unless ``entity`` gives them, one per row.
        """
        codes = np.asarray(observations.entity if entity is None else entity, dtype=str)
        if codes.shape != (len(observations),):
            msg = f"entity has {codes.shape[0]} codes for {len(observations)} observations"
            raise ValueError(msg)
        return cls(
            entity=codes,
            outcome_id=observations.outcome_id,
            start=observations.start,
            end=observations.end,
            value=observations.value,
            unit=observations.unit,
            numerator=observations.numerator,
            denominator=observations.denominator,
            source=observations.source,
            illustrative=observations.illustrative,
        )

    @classmethod
    def empty(cls) -> PortfolioRows:
        """No rows."""
        none: list[Any] = []
        return cls(
            entity=none,
            outcome_id=none,
            start=none,
            end=none,
            value=none,
            unit=none,
            numerator=none,
            denominator=none,
        )

    def take(self, rows: NDArray[Any] | slice) -> PortfolioRows:
        """The rows at ``rows`` (indices, a boolean mask, or a slice: views), in that order."""
        out = attrs.evolve(
            self,
            **{c: getattr(self, c)[rows] for c in ROW_COLUMNS},
        )
        out._positions.update({k: (s, v[rows]) for k, (s, v) in self._positions.items()})
        return out

    def observations(self) -> Observations:
        """These rows as :class:`~stratkit.model.Observations` (the entity column left out)."""
        return Observations.from_columns(
            outcome_id=self.outcome_id,
            start=self.start,
            end=self.end,
            value=self.value,
            unit=self.unit,
            numerator=self.numerator,
            denominator=self.denominator,
            source=self.source,
            illustrative=self.illustrative,
        )


def factorise(column: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.int64]]:
    """The distinct values of ``column`` (sorted) and each row's index into them.

    As :func:`numpy.unique` with ``return_inverse``, but in linear time for the
    usual layout, where equal values come in runs (one outcome's or one
    entity's rows together): only the runs' first values are sorted.
    """
    n = column.shape[0]
    if n == 0:
        return column[:0], np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], column[1:] != column[:-1])))
    uniq, run_inverse = np.unique(column[starts], return_inverse=True)
    lengths = np.diff(np.append(starts, n))
    return uniq, np.repeat(run_inverse.reshape(-1).astype(np.int64), lengths)


def outcome_index(strategy: Strategy, outcome_id: NDArray[Any]) -> NDArray[np.int64]:
    """Each row's outcome position in strategy order (``-1``: not in the strategy)."""
    uniq, inverse = factorise(outcome_id)
    where = {o.id: k for k, o in enumerate(strategy.outcomes())}
    table = np.array([where.get(str(u), -1) for u in uniq.tolist()], dtype=np.int64)
    return table[inverse] if uniq.size else np.zeros(0, dtype=np.int64)


def derive_rates(strategy: Strategy, rows: PortfolioRows) -> PortfolioRows:
    """Rows whose ``from_counts`` values are numerator ÷ denominator in the measure's unit.

    Where a row of such a measure gives both counts, its value is derived from
    them (a denominator of 0 gives a missing value) and its unit becomes the
    measure's; a row without both counts keeps the value it has. Other rows
    are unchanged.
    """
    outcomes = list(strategy.outcomes())
    rates = [k for k, o in enumerate(outcomes) if o.measure is not None and o.measure.from_counts]
    if not rates or len(rows) == 0:
        return rows
    factor = np.full(len(outcomes) + 1, np.nan)  # the last entry: not in the strategy
    texts = np.full(len(outcomes) + 1, "", dtype=object)
    for k in rates:
        unit = outcomes[k].measure.unit  # type: ignore[union-attr]
        factor[k] = convert_magnitudes(np.ones(1), parse_unit(""), unit, outcomes[k].id)[0]
        texts[k] = format_measure_unit(unit)
    idx = rows.positions(strategy)
    f = factor[idx]  # idx -1 reads the last entry
    mask = np.isfinite(f) & np.isfinite(rows.numerator) & np.isfinite(rows.denominator)
    if not mask.any():
        return rows
    num, den = rows.numerator[mask], rows.denominator[mask]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)
    value = rows.value.copy()
    value[mask] = ratio * f[mask]
    unit_col = np.where(mask, texts.astype(str)[idx], rows.unit)
    out = attrs.evolve(rows, value=value, unit=unit_col)
    out._positions.update(rows._positions)
    return out


def derive_values(strategy: Strategy, observations: Observations) -> Observations:
    """``observations`` with the values of ``from_counts`` measures derived.

    See :func:`derive_rates`. Rows keep their order and everything else they carry.
    """
    rows = derive_rates(strategy, PortfolioRows.from_observations(observations))
    if rows.value is observations.value:
        return observations
    return attrs.evolve(observations, value=rows.value, unit=rows.unit)


def format_measure_unit(unit: Any) -> str:
    """The unit as the observations file writes it."""
    from stratkit.units import format_unit

    return format_unit(unit)


def _codes(*columns: NDArray[Any]) -> tuple[NDArray[np.int64], list[NDArray[Any]]]:
    """One integer key per distinct combination of ``columns``, and the combinations."""
    parts = [factorise(c) for c in columns]  # linear for columns in runs
    key = np.zeros(columns[0].shape[0], dtype=np.int64)
    for uniq, inv in parts:
        key = key * len(uniq) + inv.reshape(-1)
    keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    del keys
    return inverse.reshape(-1), [c[first] for c in columns]


def _require_counts(strategy: Strategy, rows: PortfolioRows, what: str) -> NDArray[np.bool_]:
    """The rows of ``from_counts`` outcomes; raise when one lacks a count."""
    outcomes = list(strategy.outcomes())
    rate = np.array(
        [o.measure is not None and o.measure.from_counts for o in outcomes] + [False], dtype=bool
    )
    keep = rate[rows.positions(strategy)]
    missing = keep & ~(np.isfinite(rows.numerator) & np.isfinite(rows.denominator))
    if missing.any():
        problems = [
            Problem(
                path=f"observations row {i + 1}",
                message=(
                    f"outcome {rows.outcome_id[i]} of {rows.entity[i]}, period ending "
                    f"{rows.end[i]}: no numerator and denominator, so it cannot be part of "
                    f"{what} (a rate's aggregate is the sum of its counts)"
                ),
                expected="both counts on every row of a from_counts measure",
            )
            for i in np.flatnonzero(missing)[:20].tolist()
        ]
        raise ObservationsError(problems, rows.source or "observations")
    return keep


def aggregate_entities(
    strategy: Strategy,
    rows: PortfolioRows,
    groups: Mapping[str, str],
) -> PortfolioRows:
    """Each group's ``from_counts`` outcomes as Σ numerator ÷ Σ denominator per period.

    ``groups`` maps an entity code to its group's code (an ICB, a region,
    England); entities not in it are left out. Only rates of counts are
    aggregated: any other measure has no aggregate (its mean would weigh a
    small organisation like a large one, its sum would mean nothing for a
    score). A row of a ``from_counts`` outcome without both counts raises
    :class:`~stratkit.errors.ObservationsError`. The result has one row per
    group, outcome and period, sorted, with the value derived.
    """
    keep = _require_counts(strategy, rows, "an aggregate")
    codes, inverse = factorise(rows.entity)
    group = np.array([groups.get(str(c), "") for c in codes.tolist()] or [""], dtype=str)[inverse]
    keep &= group != ""
    sub = rows.take(keep)
    group = group[keep]
    return _sum_counts(strategy, sub, group, sub.start, sub.end)


def _sum_counts(
    strategy: Strategy,
    rows: PortfolioRows,
    entity: NDArray[Any],
    start: NDArray[Any],
    end: NDArray[Any],
) -> PortfolioRows:
    if len(rows) == 0:
        return derive_rates(strategy, rows.take(np.zeros(0, dtype=np.intp)))
    inverse, (e, oid, s, en) = _codes(entity, rows.outcome_id, start, end)
    n = len(e)
    num = np.bincount(inverse, weights=rows.numerator, minlength=n)
    den = np.bincount(inverse, weights=rows.denominator, minlength=n)
    out = PortfolioRows(
        entity=e,
        outcome_id=oid,
        start=s,
        end=en,
        value=np.full(n, np.nan),
        unit=np.full(n, "", dtype=str),
        numerator=num,
        denominator=den,
        source=rows.source,
        illustrative=rows.illustrative,
    )
    return derive_rates(strategy, out)


def to_quarters(strategy: Strategy, rows: PortfolioRows) -> PortfolioRows:
    """Monthly rows of ``from_counts`` outcomes summed into calendar quarters.

    Quarters run January-March, April-June, July-September and
    October-December (so they are also the NHS financial year's quarters).
    A quarter's value is Σ numerator ÷ Σ denominator over its three months;
    a quarter with fewer than three months of an entity's data is left out
    rather than reported as if complete. Other outcomes and rows that are not
    one calendar month are left out.
    """
    keep = _require_counts(strategy, rows, "a quarter")
    month = rows.start.astype("datetime64[M]")
    one_month = (rows.start == month.astype("datetime64[D]")) & (
        rows.end == ((month + 1).astype("datetime64[D]") - 1)
    )
    keep &= one_month
    sub = rows.take(keep)
    m = month[keep].astype(np.int64)  # months since 1970-01
    q0 = (m // 3) * 3
    qstart = q0.astype("datetime64[M]").astype("datetime64[D]")
    qend = (q0 + 3).astype("datetime64[M]").astype("datetime64[D]") - 1
    if len(sub) == 0:
        return _sum_counts(strategy, sub, sub.entity, sub.start, sub.end)
    inverse, _ = _codes(sub.entity, sub.outcome_id, qstart, qend)
    n_months = np.bincount(inverse)
    full = n_months[inverse] == 3
    sub = sub.take(full)
    return _sum_counts(strategy, sub, sub.entity, qstart[full], qend[full])
