"""``evaluate_portfolio``: one strategy, many organisations, and their aggregates.

Every entity is evaluated on its own rows with today's API
(:func:`stratkit.evaluation.evaluate`, the same evaluation date for all), so
``portfolio["RF4"]`` is an ordinary :class:`~stratkit.evaluation.Evaluation`.
The aggregates (every entity; each region and each parent of the lookup) are
entities of their own, built from the summed counts of the rates of counts,
and evaluated the same way. The SPC charts of all of them are computed in one
vectorised pass.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from stratkit.evaluation import Evaluation, Evaluator, Policy, Status
from stratkit.model import Observations, Strategy
from stratkit.portfolio._entities import TOTAL, Entity, entity_for, read_entities
from stratkit.portfolio._rates import (
    ROW_COLUMNS,
    PortfolioRows,
    aggregate_entities,
    derive_rates,
    factorise,
)
from stratkit.portfolio._spc import spc_direction
from stratkit.portfolio._tables import LeagueRow, PortfolioRollup, league_table, portfolio_rollup

__all__ = ["PortfolioEvaluation", "evaluate_portfolio"]

_STATUS = {s.value: s for s in Status}


@attrs.frozen(kw_only=True, eq=False)
class PortfolioEvaluation:
    """A strategy evaluated for every entity of a portfolio, and for their aggregates.

    ``entities`` are the organisations (in code order; those in the lookup
    without any data are there too, with every outcome "no data"), and
    ``aggregates`` the groups they roll up into (``ALL``, then regions, then
    parents). ``portfolio[code]`` is the :class:`~stratkit.evaluation.Evaluation`
    of an entity or an aggregate; iterating gives the entity codes.
    """

    strategy: Strategy = attrs.field(repr=False)
    as_of: dt.date
    policy: Policy
    by: str
    entities: tuple[Entity, ...]
    aggregates: tuple[Entity, ...]
    evaluations: Mapping[str, Evaluation] = attrs.field(repr=False)
    row_parts: tuple[PortfolioRows, ...] = attrs.field(repr=False)
    """The observations evaluated, values derived: the entities' rows, then each
    aggregate's (see :attr:`rows` for them joined)."""
    source: str | None = None
    illustrative: bool = False
    _cache: dict[str, Any] = attrs.field(init=False, factory=dict, repr=False)

    @property
    def rows(self) -> PortfolioRows:
        """:attr:`row_parts` as one table, joined on first use (a copy of every row)."""
        joined = self._cache.get("rows")
        if joined is None:
            parts = self.row_parts
            joined = self._cache["rows"] = parts[0] if len(parts) == 1 else concat_rows(parts)
        return joined

    # --- lookups ---------------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        """The entity codes, in order (aggregates not included)."""
        return tuple(e.code for e in self.entities)

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.entities)

    def __getitem__(self, code: str) -> Evaluation:
        found = self.evaluations.get(code)
        if found is None:
            raise KeyError(f"no entity {code!r} in this portfolio")
        return found

    def __contains__(self, code: object) -> bool:
        return code in self.evaluations

    def entity(self, code: str) -> Entity:
        """The entity (or aggregate) with this code."""
        found = self._cache.get("entities")
        if found is None:
            found = self._cache["entities"] = {
                e.code: e for e in (*self.entities, *self.aggregates)
            }
        if code not in found:
            raise KeyError(f"no entity {code!r} in this portfolio")
        return found[code]  # type: ignore[no-any-return]

    @property
    def total(self) -> Entity | None:
        """The aggregate of every entity (``None`` when nothing could be aggregated)."""
        return next((a for a in self.aggregates if a.level == "total"), None)

    # --- SPC -------------------------------------------------------------------------
    def spc(self, code: str, outcome_id: str) -> Any:
        """The SPC chart of one entity's (or aggregate's) outcome, or ``None``.

        It is the entity's own evaluation's chart, ``portfolio[code][outcome_id].spc``
        (the evaluation charts every outcome of every entity in one pass, as
        evidence for its statuses), so the portfolio never charts twice.
        """
        return self[code][outcome_id].spc

    def _icons(self, code: str) -> dict[str, tuple[str | None, str | None]]:
        """``outcome_id -> (variation icon, assurance icon)`` of one entity's charts."""
        key = f"icons:{code}"
        found = self._cache.get(key)
        if found is None:
            found = {}
            for r in self[code]:
                chart = r.spc
                found[r.outcome_id] = (
                    (None, None)
                    if chart is None
                    else (
                        None if chart.variation_icon is None else str(chart.variation_icon),
                        None if chart.assurance_icon is None else str(chart.assurance_icon),
                    )
                )
            self._cache[key] = found
        return found

    # --- tables ----------------------------------------------------------------------
    def standing(self, code: str, outcome_id: str) -> LeagueRow:
        """One entity's (or aggregate's) row in the league table of an outcome."""
        ev = self[code]
        cols = ev.columns
        k = _position(cols, outcome_id)
        status = cols["status"][k]
        st = _STATUS[status] if status is not None else ev[outcome_id].status
        variation, assurance = self._icons(code).get(outcome_id, (None, None))
        unit = self.strategy.outcome(outcome_id).measure
        return LeagueRow(
            rank=None,
            entity=self.entity(code),
            outcome_id=outcome_id,
            status=st,
            variation_icon=None if variation is None else str(variation),
            assurance_icon=None if assurance is None else str(assurance),
            latest_value=_float(cols["latest_value"][k]),
            target_value=_float(cols["target_value"][k]),
            gap=_float(cols["gap"][k]),
            n_points=int(cols["n_points"][k]),
            unit=unit.unit_text if unit is not None else "",
        )

    def league(self, outcome_id: str) -> tuple[LeagueRow, ...]:
        """The entities ranked on one outcome, best first by its direction; no data last."""
        key = f"league:{outcome_id}"
        found = self._cache.get(key)
        if found is None:
            rows = [self.standing(c, outcome_id) for c in self.codes]
            way = spc_direction(self.strategy.outcome(outcome_id))
            found = self._cache[key] = league_table(rows, way)
        return found

    def rollup(self, outcome_id: str) -> PortfolioRollup:
        """How the entities stand on one outcome: status counts, the icon matrix, attention."""
        o = self.strategy.outcome(outcome_id)
        return portfolio_rollup(outcome_id, o.statement, self.league(outcome_id))

    def rollups(self) -> tuple[PortfolioRollup, ...]:
        """One :meth:`rollup` per outcome, in strategy order."""
        return tuple(self.rollup(o.id) for o in self.strategy.outcomes())

    # --- exports ---------------------------------------------------------------------
    def columns(self) -> dict[str, list[Any]]:
        """One row per entity (then aggregate) and outcome: who, and every verdict column.

        The ``entity`` code, its ``name`` (the code when the lookup gives
        none), ``region``, ``parent`` and ``level``, then the columns of
        :attr:`Evaluation.columns` (``status`` filled in for every outcome;
        ``code`` is the finding code), with ``variation_icon`` and
        ``assurance_icon`` last: those of the chart Making Data Count shows
        (``None`` where there is none, as for fewer than 15 points).
        """
        out: dict[str, list[Any]] = {}
        for e in (*self.entities, *self.aggregates):
            ev = self.evaluations[e.code]
            cols = ev.columns
            n = len(cols["outcome_id"])
            who = {
                "entity": e.code,
                "name": e.label,
                "region": e.region,
                "parent": e.parent,
                "level": e.level,
            }
            for name, value in who.items():
                out.setdefault(name, []).extend([value] * n)
            for name, col in cols.items():
                if name in ("variation_icon", "assurance_icon"):
                    continue  # the icons of the charts shown (below), as in the league table
                values = col.tolist()
                if name == "status":
                    values = [
                        v if v is not None else ev[str(cols["outcome_id"][k])].status.value
                        for k, v in enumerate(values)
                    ]
                out.setdefault(name, []).extend(values)
            for oid in cols["outcome_id"].tolist():
                variation, assurance = self._icons(e.code).get(str(oid), (None, None))
                out.setdefault("variation_icon", []).append(variation)
                out.setdefault("assurance_icon", []).append(assurance)
        return out

    def to_frame(self) -> Any:
        """:meth:`columns` as a pandas DataFrame (needs the optional pandas extra)."""
        import pandas as pd

        return pd.DataFrame(self.columns())

    def spc_points(self) -> dict[str, Any]:
        """Every SPC chart point by point: who (``entity``, ``outcome_id``), then the chart.

        ``date``, ``value``, ``mean``, ``lpl``, ``upl``, ``rebase_group``,
        ``special_cause_type``, ``point_type``, ``short_group_warning``, then
        the series' ``variation_icon`` and ``assurance_icon`` on each of its
        points; rows in entity, aggregate, then strategy order. The charts are
        the entities' own (:meth:`spc`).
        """
        names = {
            "date": "dates",
            "value": "values",
            "mean": "mean",
            "lpl": "lpl",
            "upl": "upl",
            "rebase_group": "rebase_group",
            "special_cause_type": "special_cause_type",
            "point_type": "point_type",
            "short_group_warning": "short_group_warning",
        }
        parts: dict[str, list[Any]] = {
            c: [] for c in ("entity", "outcome_id", *names, "variation_icon", "assurance_icon")
        }
        for e in (*self.entities, *self.aggregates):
            for r in self[e.code]:
                chart = r.spc
                if chart is None:
                    continue
                n = len(chart.values)
                parts["entity"].append(np.full(n, e.code, dtype=object))
                parts["outcome_id"].append(np.full(n, r.outcome_id, dtype=object))
                for column, field in names.items():
                    parts[column].append(np.asarray(getattr(chart, field)))
                parts["variation_icon"].append(np.full(n, chart.variation_icon, dtype=object))
                parts["assurance_icon"].append(np.full(n, chart.assurance_icon, dtype=object))
        return {c: np.concatenate(p) if p else [] for c, p in parts.items()}

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready data: entities, aggregates, league tables and roll-ups."""
        return {
            "strategy": self.strategy.title,
            "as_of": self.as_of.isoformat(),
            "by": self.by,
            "illustrative": self.illustrative,
            "source": self.source,
            "entities": [e.to_dict() for e in self.entities],
            "aggregates": [e.to_dict() for e in self.aggregates],
            "outcomes": [
                {
                    **self.rollup(o.id).to_dict(),
                    "aggregates": [self.standing(a.code, o.id).to_dict() for a in self.aggregates],
                    "league": [r.to_dict() for r in self.league(o.id)],
                }
                for o in self.strategy.outcomes()
            ],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text: deterministic (same input, same bytes)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)


def _position(cols: Mapping[str, Any], outcome_id: str) -> int:
    found = np.flatnonzero(cols["outcome_id"] == outcome_id)
    if found.size == 0:
        raise KeyError(f"no outcome {outcome_id!r} in this evaluation")
    return int(found[0])


def _float(x: Any) -> float | None:
    v = float(x)
    return v if np.isfinite(v) else None


def has_rates(strategy: Strategy) -> bool:
    """Whether any outcome's measure is a rate of counts (so has aggregates)."""
    return any(o.measure is not None and o.measure.from_counts for o in strategy.outcomes())


def concat_rows(parts: Sequence[PortfolioRows]) -> PortfolioRows:
    """The rows of ``parts``, one after the other (their outcome positions kept)."""
    out = PortfolioRows(
        **{c: np.concatenate([getattr(p, c) for p in parts]) for c in ROW_COLUMNS},
        source=parts[0].source,
        illustrative=parts[0].illustrative,
    )
    for key, (strategy, _) in parts[0]._positions.items():
        if all(key in p._positions for p in parts):
            out._positions[key] = (
                strategy,
                np.concatenate([p._positions[key][1] for p in parts]),
            )
    return out


def sort_rows(strategy: Strategy, rows: PortfolioRows) -> PortfolioRows:
    """``rows`` sorted by entity code, outcome (strategy order; others after, by id), period end.

    Each entity's rows are then one block, grouped by outcome and in date
    order: the layout :class:`~stratkit.model.Observations` keeps, so each
    block is an entity's observations without sorting again.
    """
    if len(rows) == 0:
        return rows
    _, ent = factorise(rows.entity)
    out = rows.positions(strategy)
    if (out < 0).any():  # outcomes not in the strategy: after the others, by id
        _, by_id = np.unique(rows.outcome_id, return_inverse=True)
        n_out = sum(1 for _ in strategy.outcomes())
        out = np.where(out >= 0, out, n_out + by_id.reshape(-1))
    d_ent, d_out = np.diff(ent), np.diff(out)
    d_end = np.diff(rows.end).astype(np.int64)  # days; numpy < 2 cannot compare m8[D] with 0
    if np.all((d_ent > 0) | ((d_ent == 0) & ((d_out > 0) | ((d_out == 0) & (d_end >= 0))))):
        return rows  # already in this order: no sort, no copy of millions of rows
    return rows.take(np.lexsort((rows.end, out, ent)))


def _observations(rows: PortfolioRows) -> Observations:
    """Sorted rows (see :func:`sort_rows`) of one entity, as its observations."""
    return Observations(
        outcome_id=rows.outcome_id,
        start=rows.start,
        end=rows.end,
        value=rows.value,
        unit=rows.unit,
        numerator=rows.numerator,
        denominator=rows.denominator,
        note=np.full(len(rows), "", dtype=str),
        source=rows.source,
        illustrative=rows.illustrative,
    )


def evaluate_split(
    strategy: Strategy,
    rows: PortfolioRows,
    codes: Sequence[str],
    *,
    as_of: dt.date,
    policy: Policy,
    evaluator: Evaluator | None = None,
) -> dict[str, Evaluation]:
    """One evaluation per code, each on its own rows (none: every outcome no data).

    ``rows`` are sorted by :func:`sort_rows`. ``evaluator`` is an
    :class:`~stratkit.evaluation.Evaluator` of ``strategy`` (made here if not
    given): the strategy is planned once for every entity.
    """
    if evaluator is None:
        evaluator = Evaluator(strategy)
    elif evaluator.strategy is not strategy:
        raise ValueError("the evaluator is for another strategy")
    out: dict[str, Evaluation] = {}
    # Each evaluation keeps thousands of small objects alive; Python's cyclic
    # collector would rescan all of them again and again as they accumulate
    # (quadratic in the number of entities). None of them is garbage yet, so the
    # collector is paused for the loop and restored after it.
    paused = gc.isenabled()
    gc.disable()
    try:
        for c in codes:
            a = int(np.searchsorted(rows.entity, c, side="left"))
            b = int(np.searchsorted(rows.entity, c, side="right"))
            sub = rows.take(slice(a, b))
            out[c] = evaluator(_observations(sub), as_of=as_of, policy=policy)
    finally:
        if paused:
            gc.enable()
    return out


def groups_of(
    codes: Iterable[str], lookup: Mapping[str, Entity]
) -> list[tuple[Entity, dict[str, str]]]:
    """The aggregates: ``ALL``, each region, each parent, with entity -> group maps."""
    codes = list(codes)
    total = lookup.get(TOTAL)
    groups = [
        (
            Entity(code=TOTAL, name=total.name if total else "All organisations", level="total"),
            dict.fromkeys(codes, TOTAL),
        )
    ]
    for level in ("region", "parent"):
        seen: dict[str, dict[str, str]] = {}
        for c in codes:
            g = getattr(entity_for(c, lookup), level)
            if g:
                seen.setdefault(g, {})[c] = g
        for g in sorted(seen):
            if g in codes or g == TOTAL:
                raise ValueError(f"the {level} {g!r} has the code of an entity; give it another")
            named = lookup.get(g)
            groups.append((Entity(code=g, name=named.name if named else "", level=level), seen[g]))
    return groups


def evaluate_portfolio(
    strategy: Strategy,
    rows: PortfolioRows,
    *,
    entities: str | os.PathLike[str] | Iterable[Entity] | None = None,
    as_of: dt.date | None = None,
    policy: Policy | None = None,
    by: str = "org",
    aggregates: bool = True,
) -> PortfolioEvaluation:
    """Evaluate ``strategy`` for every entity of ``rows``, and for their aggregates.

    ``entities`` is a lookup (a CSV path or :class:`Entity` objects) naming
    the entities and their region and parent; an entity in it without data is
    evaluated with none (every outcome "no data"), never dropped. ``as_of``
    defaults to the end of the latest period of any entity, so every entity is
    judged on the same date. Values of ``from_counts`` measures are derived
    from their counts; with ``aggregates``, each group is evaluated from the
    sums of its entities' counts (see :func:`aggregate_entities`).
    """
    policy = policy or strategy.policy or Policy()
    lookup = read_entities(entities) if entities is not None else {}
    rows = derive_rates(strategy, rows)
    present = factorise(rows.entity)[0]  # sorted: "" comes first
    if present.size and present[0] == "":
        first = int(np.flatnonzero(rows.entity == "")[0])
        raise ValueError(
            f"observations row {first + 1} has no {by!r}: "
            "every row of a portfolio names its entity"
        )
    parents = {getattr(e, level) for e in lookup.values() for level in ("region", "parent")}
    named = {c for c in lookup if c != TOTAL and c not in parents}
    codes = sorted(set(present.tolist()) | named)
    if as_of is None:
        as_of = dt.date.fromisoformat(str(rows.end.max())) if len(rows) else dt.date.today()
    rows = sort_rows(strategy, rows)
    evaluator = Evaluator(strategy)
    evaluations = evaluate_split(
        strategy, rows, codes, as_of=as_of, policy=policy, evaluator=evaluator
    )
    entity_list = tuple(attrs.evolve(entity_for(c, lookup), level="entity") for c in codes)
    groups: list[Entity] = []
    parts = [rows]
    if aggregates and has_rates(strategy) and codes:
        for group, members in groups_of(codes, lookup):
            agg = sort_rows(strategy, aggregate_entities(strategy, rows, members))
            evaluations |= evaluate_split(
                strategy, agg, [group.code], as_of=as_of, policy=policy, evaluator=evaluator
            )
            groups.append(group)
            parts.append(agg)
    return PortfolioEvaluation(
        strategy=strategy,
        as_of=as_of,
        policy=policy,
        by=by,
        entities=entity_list,
        aggregates=tuple(groups),
        evaluations=evaluations,
        row_parts=tuple(parts),
        source=rows.source,
        illustrative=rows.illustrative,
    )
