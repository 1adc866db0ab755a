# mypy: disable-error-code="misc"
# (attrs converters made by factories, so that their errors name the field, are
# beyond mypy's attrs plugin; the fields' own types are still checked.)
"""The strategy: organisation, period, ambitions and enablers, objectives, outcomes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs

from stratkit.errors import InvalidStrategyError, Problem
from stratkit.model._common import (
    AmbitionKind,
    Frequency,
    Problems,
    brief,
    check_unique,
    cut,
    date_converter,
    enum_converter,
    identifier,
    non_empty_text,
    optional_text,
    plural,
    to_tuple,
    tuple_of,
)
from stratkit.model.governance import Forum, Governance, check_inferences
from stratkit.model.outcome import Inference, Outcome
from stratkit.model.policy import Policy
from stratkit.model.unit_declaration import UnitDeclaration

__all__ = [
    "Ambition",
    "Forum",
    "Governance",
    "Objective",
    "Organisation",
    "Period",
    "SourceDocument",
    "Strategy",
]


@attrs.frozen(kw_only=True)
class Organisation:
    """Who the strategy belongs to."""

    name: str = attrs.field(validator=non_empty_text)
    code: str | None = attrs.field(default=None, validator=optional_text)
    """The organisation's ODS code (``"RXY"``)."""
    short_name: str | None = attrs.field(default=None, validator=optional_text)
    population_served: str | None = attrs.field(default=None, validator=optional_text)

    def __repr__(self) -> str:
        code = f" ({cut(self.code, 20)})" if self.code else ""
        return f"<Organisation {brief(self.name)}{code}>"


@attrs.frozen(kw_only=True)
class Period:
    """The strategy's period, first and last day inclusive."""

    start: dt.date = attrs.field(converter=date_converter("start"))
    end: dt.date = attrs.field(converter=date_converter("end"))

    def __repr__(self) -> str:
        return f"<Period {self.start.isoformat()} to {self.end.isoformat()}>"

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidStrategyError(
                [
                    Problem(
                        path="end",
                        message="the period must end after it starts",
                        found=f"{self.start} to {self.end}",
                    )
                ]
            )

    def year_of(self, date: dt.date) -> int:
        """Which year of the strategy ``date`` falls in (1-based; 0 before the start)."""
        if date < self.start:
            return 0
        years = date.year - self.start.year
        if (date.month, date.day) < (self.start.month, self.start.day):
            years -= 1
        return years + 1

    def year_ends(self) -> tuple[dt.date, ...]:
        """The last day of each strategy year (31 March for an NHS financial year)."""
        ends = []
        year = 1
        while True:
            try:
                nxt = self.start.replace(year=self.start.year + year)
            except ValueError:  # 29 February
                nxt = dt.date(self.start.year + year, 3, 1)
            end = nxt - dt.timedelta(days=1)
            if end > self.end:
                break
            ends.append(end)
            year += 1
        if not ends or ends[-1] != self.end:
            ends.append(self.end)
        return tuple(ends)


@attrs.frozen(kw_only=True)
class SourceDocument:
    """A document the strategy was encoded from."""

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=non_empty_text)
    publisher: str | None = attrs.field(default=None, validator=optional_text)
    date: str | None = attrs.field(default=None, validator=optional_text)
    """When it was published, as precisely as known (``"2023"``, ``"2023-10-17"``)."""
    url: str | None = attrs.field(default=None, validator=optional_text)
    file: str | None = attrs.field(default=None, validator=optional_text)
    """A copy of the text, relative to the strategy file."""
    note: str | None = attrs.field(default=None, validator=optional_text)

    def __repr__(self) -> str:
        return f"<SourceDocument {cut(self.id, 30)} {brief(self.title)}>"


@attrs.frozen(kw_only=True)
class Objective:
    """An objective, what it "will look like", and how we will know it is achieved."""

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=non_empty_text)
    looks_like: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(str)
    )
    outcomes: tuple[Outcome, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Outcome)
    )
    owner: str | None = attrs.field(default=None, validator=optional_text)
    """The role accountable for the objective."""
    inferred: tuple[Inference, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Inference)
    )

    def __attrs_post_init__(self) -> None:
        p = Problems()
        check_unique([o.id for o in self.outcomes], "outcomes", "outcome", p)
        check_inferences(self, p)
        p.raise_if_any()

    def __repr__(self) -> str:
        n = plural(len(self.outcomes), "outcome")
        return f"<Objective {cut(self.id, 20)} {brief(self.title)}: {n}>"


@attrs.frozen(kw_only=True)
class Ambition:
    """A strategic ambition or a strategic enabler (the same shape, a kind)."""

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=non_empty_text)
    kind: AmbitionKind = attrs.field(
        default=AmbitionKind.AMBITION, converter=enum_converter(AmbitionKind, "kind")
    )
    statement: str | None = attrs.field(default=None, validator=optional_text)
    rationale: str | None = attrs.field(default=None, validator=optional_text)
    """Why this has been chosen as a priority."""
    objectives: tuple[Objective, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Objective)
    )
    owner: str | None = attrs.field(default=None, validator=optional_text)
    """The role accountable for the ambition or enabler."""
    inferred: tuple[Inference, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Inference)
    )

    def __attrs_post_init__(self) -> None:
        p = Problems()
        check_unique([o.id for o in self.objectives], "objectives", "objective", p)
        check_inferences(self, p)
        p.raise_if_any()

    def outcomes(self) -> Iterator[Outcome]:
        """Every outcome under this ambition, in order."""
        for objective in self.objectives:
            yield from objective.outcomes

    def __repr__(self) -> str:
        n = sum(1 for _ in self.outcomes())
        return (
            f"<Ambition {cut(self.id, 20)} {brief(self.title)} ({self.kind.value}): "
            f"{plural(len(self.objectives), 'objective')}, {plural(n, 'outcome')}>"
        )


@attrs.frozen(kw_only=True)
class Strategy:
    """A strategy: who, when, why, and the ambitions, objectives and outcomes.

    >>> import stratkit
    >>> s = stratkit.examples.load("kmpt_2023_26")
    >>> len(list(s.outcomes())), s.outcome("2.2.1").statement
    (72, 'Drive down our vacancy rate to 14%')
    """

    title: str = attrs.field(validator=non_empty_text)
    organisation: Organisation
    period: Period
    mission: str | None = attrs.field(default=None, validator=optional_text)
    vision: str | None = attrs.field(default=None, validator=optional_text)
    values: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=tuple_of(str))
    governance: Governance | None = None
    sources: tuple[SourceDocument, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(SourceDocument)
    )
    ambitions: tuple[Ambition, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Ambition)
    )
    notes: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=tuple_of(str))
    units: tuple[UnitDeclaration, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(UnitDeclaration)
    )
    """Units of the trust's own (``complaint``), added to the unit registry."""
    policy: Policy | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Policy))
    )
    """How this strategy's outcomes are judged (:class:`Policy`); left out, the
    defaults. ``stratkit evaluate --policy FILE`` and ``evaluate(policy=...)``
    override it."""
    _index: dict[str, Any] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _parents: dict[str, tuple[Ambition, Objective]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        p = Problems()
        check_unique([a.id for a in self.ambitions], "ambitions", "ambition", p)
        check_unique([s.id for s in self.sources], "sources", "source", p)
        source_ids = {s.id for s in self.sources}
        index: dict[str, Any] = {}
        seen: dict[str, str] = {}
        for ai, amb in enumerate(self.ambitions):
            for oi, obj in enumerate(amb.objectives):
                path = f"ambitions[{ai}].objectives[{oi}]"
                if obj.id in seen:
                    p.add(f"{path}.id", f"duplicate id {obj.id!r}", hint=f"also {seen[obj.id]}")
                seen.setdefault(obj.id, path)
                index[obj.id] = obj
                for ui, out in enumerate(obj.outcomes):
                    opath = f"{path}.outcomes[{ui}]"
                    if out.id in seen:
                        p.add(
                            f"{opath}.id", f"duplicate id {out.id!r}", hint=f"also {seen[out.id]}"
                        )
                    seen.setdefault(out.id, opath)
                    index[out.id] = out
                    if (
                        out.source is not None
                        and source_ids
                        and (out.source.document not in source_ids)
                    ):
                        p.add(
                            f"{opath}.source.document",
                            f"unknown source {out.source.document!r}",
                            expected=f"one of {sorted(source_ids)}",
                        )
                    self._check_dates(out, opath, p)
        for amb in self.ambitions:
            index.setdefault(amb.id, amb)
        self._check_governance(index, source_ids, p)
        self._check_units(p)
        p.raise_if_any()
        object.__setattr__(self, "_index", index)
        parents = {
            out.id: (amb, obj)
            for amb in self.ambitions
            for obj in amb.objectives
            for out in obj.outcomes
        }
        object.__setattr__(self, "_parents", parents)

    def _check_governance(self, index: dict[str, Any], source_ids: set[str], p: Problems) -> None:
        gov = self.governance
        if gov is None:
            return
        ambition_ids = {a.id for a in self.ambitions}
        cited: list[tuple[str, Any]] = [("governance", gov)]
        if gov.approval is not None:
            cited.append(("governance.approval", gov.approval))
        for fi, forum in enumerate(gov.forums):
            path = f"governance.forums[{fi}]"
            cited.append((path, forum))
            for oi, ident in enumerate(forum.oversees):
                if ident not in index and ident not in ambition_ids:
                    known = [*ambition_ids, *index]
                    import difflib

                    close = difflib.get_close_matches(ident, known, n=1, cutoff=0.6)
                    p.add(
                        f"{path}.oversees[{oi}]",
                        f"unknown ambition, objective or outcome {ident!r}",
                        hint=f"did you mean {close[0]!r}?" if close else None,
                    )
        for path, obj in cited:
            if obj.source is not None and source_ids and obj.source.document not in source_ids:
                p.add(
                    f"{path}.source.document",
                    f"unknown source {obj.source.document!r}",
                    expected=f"one of {sorted(source_ids)}",
                )

    def _check_units(self, p: Problems) -> None:
        from stratkit._declared_units import declared_meaning

        mine: set[str] = set()
        for ui, declaration in enumerate(self.units):
            mine.update(_declare(declaration, f"units[{ui}]", p))
        for out in self.outcomes():
            if out.measure is None:
                continue
            for name in out.measure.unit._units:
                if declared_meaning(name) is not None and name not in mine:
                    p.add(
                        "units",
                        f"outcome {out.id}'s unit {name!r} is not declared in this "
                        "strategy's units",
                        hint=f"add {{name: {name}}} to units",
                    )

    def _check_dates(self, out: Outcome, path: str, p: Problems) -> None:
        t = out.target
        if t is None:
            return
        if out.delivery_year is not None and out.delivery_year > len(self.period.year_ends()):
            p.add(
                f"{path}.delivery_year",
                "beyond the strategy's period",
                expected=f"1 to {len(self.period.year_ends())}",
                found=str(out.delivery_year),
            )
        if t.deadline is not None and t.deadline < self.period.start:
            p.add(
                f"{path}.target.deadline",
                "deadline before the strategy starts",
                found=t.deadline.isoformat(),
            )

    def outcomes(self) -> Iterator[Outcome]:
        """Every outcome, in strategy order."""
        for ambition in self.ambitions:
            yield from ambition.outcomes()

    def objectives(self) -> Iterator[Objective]:
        """Every objective, in strategy order."""
        for ambition in self.ambitions:
            yield from ambition.objectives

    # --- governance queries ------------------------------------------------------

    def overseen_by(self, forum: str) -> tuple[Outcome, ...]:
        """The outcomes ``forum`` oversees, in strategy order.

        An ambition or objective the forum oversees stands for every outcome
        under it. ``KeyError`` names the forums when there is no such forum.

        >>> import stratkit
        >>> s = stratkit.examples.load("kmpt_2023_26")
        >>> len(s.overseen_by("Strategy Deployment Group"))
        72
        """
        if self.governance is None:
            raise KeyError(f"no forum {forum!r}; the strategy has no governance")
        ids = set(self.governance.forum(forum).oversees)
        return tuple(
            out
            for amb in self.ambitions
            for obj in amb.objectives
            for out in obj.outcomes
            if ids & {amb.id, obj.id, out.id}
        )

    def forums_overseeing(self, outcome_id: str) -> tuple[Forum, ...]:
        """The forums that oversee an outcome (directly, or by its objective or ambition)."""
        amb, obj = self.parents(outcome_id)
        if self.governance is None:
            return ()
        ids = {amb.id, obj.id, outcome_id}
        return tuple(f for f in self.governance.forums if ids & set(f.oversees))

    def owner_of(self, outcome_id: str) -> str | None:
        """The outcome's owner, else its objective's, else its ambition's (a role)."""
        amb, obj = self.parents(outcome_id)
        return self.outcome(outcome_id).owner or obj.owner or amb.owner

    def reporting_frequency_of(self, outcome_id: str) -> Frequency | None:
        """How often an outcome's progress is reported.

        Its own ``reporting_frequency``; else the most frequent of the forums
        overseeing it; else the governance's ``reporting_frequency``.
        """
        own = self.outcome(outcome_id).reporting_frequency
        if own is not None:
            return own
        meets = [f.frequency for f in self.forums_overseeing(outcome_id) if f.frequency]
        timed = [f for f in meets if f.days is not None]
        if timed:
            return min(timed, key=lambda f: f.days or 0)
        if meets:
            return meets[0]
        return None if self.governance is None else self.governance.reporting_frequency

    def outcome(self, outcome_id: str) -> Outcome:
        """The outcome with this id; ``KeyError`` naming close ids otherwise."""
        found = self._index.get(outcome_id)
        if not isinstance(found, Outcome):
            raise KeyError(_missing(outcome_id, "outcome", [o.id for o in self.outcomes()]))
        return found

    def objective(self, objective_id: str) -> Objective:
        """The objective with this id."""
        found = self._index.get(objective_id)
        if not isinstance(found, Objective):
            raise KeyError(_missing(objective_id, "objective", [o.id for o in self.objectives()]))
        return found

    def ambition(self, ambition_id: str) -> Ambition:
        """The ambition or enabler with this id."""
        for a in self.ambitions:
            if a.id == ambition_id:
                return a
        raise KeyError(_missing(ambition_id, "ambition", [a.id for a in self.ambitions]))

    def parents(self, outcome_id: str) -> tuple[Ambition, Objective]:
        """The ambition and objective an outcome sits under."""
        found = self._parents.get(outcome_id)
        if found is not None:
            return found
        raise KeyError(_missing(outcome_id, "outcome", [o.id for o in self.outcomes()]))

    def __repr__(self) -> str:
        """One line: ``<Strategy 'title' (organisation): period, counts>``."""
        org = (
            cut(self.organisation.code, 20)
            if self.organisation.code
            else brief(self.organisation.name, 30)
        )
        n_obj = sum(len(a.objectives) for a in self.ambitions)
        n_out = sum(1 for _ in self.outcomes())
        return (
            f"<Strategy {brief(self.title)} ({org}): {self.period.start.isoformat()} to "
            f"{self.period.end.isoformat()}, "
            f"{plural(len(self.ambitions), 'ambition')} and enablers, "
            f"{plural(n_obj, 'objective')}, {plural(n_out, 'outcome')}>"
        )

    def _repr_html_(self) -> str:
        from stratkit.reporting.notebook import strategy_html

        return str(strategy_html(self))


def _declare(declaration: UnitDeclaration, path: str, p: Problems) -> tuple[str, ...]:
    try:
        return declaration.declare()
    except ValueError as exc:
        p.add(path, str(exc))  # the conflict is the problem; its names are not others as well
        return (declaration.name, declaration.name + "s", *declaration.aliases)


def _missing(ident: str, what: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(ident, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"no {what} {ident!r}{hint}"
