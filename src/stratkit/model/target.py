# mypy: disable-error-code="misc"
# (attrs converters made by factories, so that their errors name the field, are
# beyond mypy's attrs plugin; the fields' own types are still checked.)
"""Targets: what value, by when, in which direction, from which baseline.

Each :class:`TargetKind` keeps its own fields; a field that does not belong to
the kind is an error, so that no target is half one thing and half another.
Named constructors spell the common cases:

>>> from stratkit import Target
>>> t = Target.reduce_by("15 %", deadline="2026-03-31")
>>> t.kind.value, t.direction.value, str(t.change)
('relative_change', 'decrease', '-15 percent')
>>> Target.level("14 %", direction="decrease", deadline="2026-03-31").bound.value
'at_most'
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from stratkit._display import day_text, value_text
from stratkit.errors import InvalidStrategyError, Problem, UnitError
from stratkit.model._common import (
    Bound,
    Direction,
    Frequency,
    MilestoneStatus,
    Problems,
    TargetKind,
    TrajectoryShape,
    brief,
    cut,
    date_converter,
    enum_converter,
    optional_text,
    to_tuple,
    tuple_of,
    years_between,
)
from stratkit.units import (
    Quantity,
    check_magnitude,
    format_quantity,
    format_unit,
    parse_quantity,
    same_dimension,
)

__all__ = ["Baseline", "Benchmark", "InterimTarget", "Milestone", "Target"]


def quantity_converter(name: str) -> Any:
    """Converter factory: text such as ``"95 %"`` or a quantity, or ``None``."""

    def convert(value: Any) -> Quantity | None:
        if value is None:
            return value
        if hasattr(value, "magnitude"):
            magnitude = value.magnitude
            if isinstance(magnitude, float) and not math.isfinite(magnitude):
                # "nan %" and "inf %" could be neither saved nor judged
                raise InvalidStrategyError(
                    [Problem(path=name, message="must be a finite number", found=repr(magnitude))]
                )
            try:  # nor could 1e300 %: calculations on it overflow
                check_magnitude(magnitude)
            except UnitError as exc:
                raise InvalidStrategyError([Problem(path=name, message=str(exc))]) from None
            return value
        if isinstance(value, str):
            try:
                return parse_quantity(value)
            except UnitError as exc:
                raise InvalidStrategyError([Problem(path=name, message=str(exc))]) from None
        raise InvalidStrategyError(
            [
                Problem(
                    path=name,
                    message="must be a quantity",
                    expected="text such as '95 %' or '6.9 score'",
                    found=repr(value),
                )
            ]
        )

    return convert


def _as_fraction(q: Quantity) -> float:
    """``q`` as a plain fraction (``-5 %`` -> -0.05); NaN when it is not a ratio."""
    try:
        return float(q.to("fraction").magnitude)
    except Exception:  # a rate in the wrong dimension is reported elsewhere
        return math.nan


def _q(q: Quantity | None) -> str:
    return "none" if q is None else format_quantity(q)


def _say(q: Quantity | None) -> str:
    """A quantity for people (``£0m``, ``95 %``), where ``_q`` writes it as in a file."""
    if q is None:
        return "none"
    return value_text(float(q.magnitude), format_unit(q.units))


@attrs.frozen(kw_only=True)
class Baseline:
    """The value a target starts from, when and where it was measured.

    ``value`` may be ``None`` when the strategy names a baseline without giving
    it ("by 15%" from an unstated starting point); then the target cannot be
    judged until the baseline is recorded, and stratkit says so.
    """

    value: Quantity | None = attrs.field(default=None, converter=quantity_converter("value"))
    date: dt.date | None = attrs.field(default=None, converter=date_converter("date"))
    period: str | None = attrs.field(default=None, validator=optional_text)
    """The period the value describes, in words: ``"2022 NHS Staff Survey"``."""
    source: str | None = attrs.field(default=None, validator=optional_text)

    def __repr__(self) -> str:
        value = "value not known" if self.value is None else format_quantity(self.value)
        when = self.period or (self.date.isoformat() if self.date is not None else None)
        return f"<Baseline {value}" + (f" ({cut(when)})>" if when else ">")


@attrs.frozen(kw_only=True)
class InterimTarget:
    """A value due on a date on the way to the final target (a year 1/2/3 target)."""

    date: dt.date = attrs.field(converter=date_converter("date"))
    value: Quantity = attrs.field(converter=quantity_converter("value"))

    def __repr__(self) -> str:
        return f"<InterimTarget {format_quantity(self.value)} by {self.date.isoformat()}>"


@attrs.frozen(kw_only=True)
class Benchmark:
    """A comparator a target is tied to ("in line with the national average")."""

    name: str = attrs.field(validator=optional_text)
    value: Quantity | None = attrs.field(default=None, converter=quantity_converter("value"))
    source: str | None = attrs.field(default=None, validator=optional_text)

    def __repr__(self) -> str:
        value = "" if self.value is None else f" {format_quantity(self.value)}"
        return f"<Benchmark {brief(self.name)}{value}>"


@attrs.frozen(kw_only=True)
class Milestone:
    """A deliverable: not started, in progress or done, with its dates.

    ``status`` is ``unknown`` until someone reports progress: a strategy
    document lists deliverables but rarely says how far each has got, and
    recording "not started" by default would invent a fact.
    """

    name: str = attrs.field(validator=optional_text)
    due: dt.date | None = attrs.field(default=None, converter=date_converter("due"))
    status: MilestoneStatus = attrs.field(
        default=MilestoneStatus.UNKNOWN,
        converter=enum_converter(MilestoneStatus, "status"),
    )
    completed: dt.date | None = attrs.field(default=None, converter=date_converter("completed"))

    def __repr__(self) -> str:
        due = f", due {self.due.isoformat()}" if self.due is not None else ""
        return f"<Milestone {brief(self.name)} {self.status.value}{due}>"

    def __attrs_post_init__(self) -> None:
        if self.completed is not None and self.status is not MilestoneStatus.DONE:
            raise InvalidStrategyError(
                [
                    Problem(
                        path="completed",
                        message="a completion date needs status 'done'",
                        found=f"status {self.status.value!r}",
                    )
                ]
            )


# Which optional fields each kind uses (beyond kind, direction, baseline,
# deadline, interim and trajectory, which every kind may carry).
_KIND_FIELDS: dict[TargetKind, frozenset[str]] = {
    TargetKind.LEVEL: frozenset({"value", "bound", "band"}),
    TargetKind.RELATIVE_CHANGE: frozenset({"change"}),
    TargetKind.POINT_CHANGE: frozenset({"change"}),
    TargetKind.ANNUAL_RATE: frozenset({"rate"}),
    TargetKind.ZERO: frozenset(),
    TargetKind.RECURRING: frozenset({"value", "bound", "every"}),
    TargetKind.BENCHMARK: frozenset({"benchmark", "bound"}),
    TargetKind.DIRECTION_ONLY: frozenset(),
    TargetKind.MILESTONE: frozenset({"milestones"}),
}
_OPTIONAL_FIELDS = ("value", "bound", "band", "change", "rate", "every", "benchmark")


@attrs.frozen(kw_only=True)
class Target:
    """A target: its kind, its direction of improvement, and the figures it needs.

    Fields by kind (``baseline``, ``deadline``, ``interim`` and ``trajectory``
    are open to every kind):

    ================ =============================================================
    kind             fields
    ================ =============================================================
    level            ``value``; ``bound`` (default from the direction); ``band``
    relative_change  ``change``: signed share of the baseline (``"-15 %"``)
    point_change     ``change``: signed difference (``"+2 pp"`` for a percent)
    annual_rate      ``rate``: signed compounding change a year (``"-5 %"``)
    zero             nothing more: the level is 0 in the measure's unit
    recurring        ``value`` and ``every`` (``annual``): met period by period
    benchmark        ``benchmark`` (name, and its value where known)
    direction_only   nothing more: judged as a trend, never as attainment
    milestone        ``milestones``
    ================ =============================================================
    """

    kind: TargetKind = attrs.field(converter=enum_converter(TargetKind, "kind"))
    direction: Direction = attrs.field(converter=enum_converter(Direction, "direction"))
    value: Quantity | None = attrs.field(default=None, converter=quantity_converter("value"))
    bound: Bound | None = attrs.field(default=None, converter=enum_converter(Bound, "bound"))
    band: tuple[Quantity, Quantity] | None = attrs.field(default=None)
    change: Quantity | None = attrs.field(default=None, converter=quantity_converter("change"))
    rate: Quantity | None = attrs.field(default=None, converter=quantity_converter("rate"))
    every: Frequency | None = attrs.field(
        default=None, converter=enum_converter(Frequency, "every")
    )
    benchmark: Benchmark | None = attrs.field(default=None)
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Milestone)
    )
    baseline: Baseline | None = attrs.field(default=None)
    deadline: dt.date | None = attrs.field(default=None, converter=date_converter("deadline"))
    interim: tuple[InterimTarget, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(InterimTarget)
    )
    trajectory: TrajectoryShape = attrs.field(
        default=TrajectoryShape.LINEAR, converter=enum_converter(TrajectoryShape, "trajectory")
    )

    def __attrs_post_init__(self) -> None:
        if self.band is not None:
            band = tuple(quantity_converter("band")(b) for b in self.band)
            object.__setattr__(self, "band", band)
        if self.bound is None and self.kind in (
            TargetKind.LEVEL,
            TargetKind.RECURRING,
            TargetKind.BENCHMARK,
        ):
            default = {Direction.INCREASE: Bound.AT_LEAST, Direction.DECREASE: Bound.AT_MOST}
            if self.direction in default:
                object.__setattr__(self, "bound", default[self.direction])
        problems = Problems()
        self._check_fields(problems)
        if not problems.items:
            self._check_units(problems)
        if not problems.items:
            self._check_direction(problems)
        self._check_dates(problems)
        problems.raise_if_any()

    # --- checks ---------------------------------------------------------------

    def _check_fields(self, p: Problems) -> None:
        kind = self.kind
        allowed = _KIND_FIELDS[kind]
        for name in _OPTIONAL_FIELDS:
            if name == "bound" and kind in (
                TargetKind.LEVEL,
                TargetKind.RECURRING,
                TargetKind.BENCHMARK,
            ):
                continue
            if getattr(self, name) is not None and name not in allowed:
                p.add(
                    name,
                    f"not used by a {kind.value} target",
                    hint=f"a {kind.value} target takes: "
                    f"{', '.join(sorted(allowed)) or 'no value'}",
                )
        if self.milestones and "milestones" not in allowed:
            p.add("milestones", f"not used by a {kind.value} target")
        needs = {
            TargetKind.LEVEL: "value",
            TargetKind.RELATIVE_CHANGE: "change",
            TargetKind.POINT_CHANGE: "change",
            TargetKind.ANNUAL_RATE: "rate",
            TargetKind.RECURRING: "value",
            TargetKind.BENCHMARK: "benchmark",
        }
        if kind in needs and getattr(self, needs[kind]) is None:
            p.add(needs[kind], f"a {kind.value} target needs a {needs[kind]}")
        if kind is TargetKind.RECURRING and self.every is None:
            p.add(
                "every",
                "a recurring target needs the period it recurs over",
                expected="every: annual (or monthly, quarterly)",
            )
        if kind is TargetKind.MILESTONE:
            if not self.milestones:
                p.add("milestones", "a milestone target needs at least one milestone")
            if self.direction is not Direction.MILESTONE:
                p.add(
                    "direction",
                    "a milestone target has direction 'milestone'",
                    found=repr(self.direction.value),
                )
        elif self.direction is Direction.MILESTONE:
            p.add(
                "direction",
                "direction 'milestone' belongs to a milestone target",
                found=f"kind {kind.value!r}",
            )
        if kind in (TargetKind.ZERO,) and self.direction is not Direction.DECREASE:
            p.add(
                "direction",
                "eliminating something is a decrease",
                expected="'decrease'",
                found=repr(self.direction.value),
            )
        if kind in (
            TargetKind.RELATIVE_CHANGE,
            TargetKind.POINT_CHANGE,
            TargetKind.ANNUAL_RATE,
            TargetKind.DIRECTION_ONLY,
        ) and self.direction not in (Direction.INCREASE, Direction.DECREASE):
            p.add(
                "direction",
                f"a {kind.value} target goes up or down",
                expected="'increase' or 'decrease'",
                found=repr(self.direction.value),
            )
        if self.band is not None and self.direction is not Direction.TOWARDS:
            p.add("band", "a band belongs to a target with direction 'towards'")
        if kind is not TargetKind.MILESTONE and kind is not TargetKind.DIRECTION_ONLY:
            pass
        if self.interim and kind in (TargetKind.MILESTONE, TargetKind.DIRECTION_ONLY):
            p.add("interim", f"a {kind.value} target has no interim values")

    def _check_units(self, p: Problems) -> None:
        level_unit = self.level_unit()
        if self.kind in (TargetKind.RELATIVE_CHANGE, TargetKind.ANNUAL_RATE):
            name = "change" if self.kind is TargetKind.RELATIVE_CHANGE else "rate"
            q = getattr(self, name)
            if not q.units.dimensionless:
                p.add(
                    name,
                    "a relative change is a share of the baseline",
                    expected="a percent such as '-15 %'",
                    found=_q(q),
                )
        if level_unit is None:
            return
        for path, q in self._level_quantities():
            if not same_dimension(q.units, level_unit):
                p.add(
                    path,
                    "unit does not match the target's other values",
                    expected=f"a unit like {_q(self._first_level())!r}",
                    found=_q(q),
                )

    def _check_direction(self, p: Problems) -> None:
        sign = {Direction.INCREASE: 1, Direction.DECREASE: -1}.get(self.direction)
        for name in ("change", "rate"):
            q = getattr(self, name)
            if q is not None and sign is not None and q.magnitude * sign <= 0:
                word = "positive" if sign > 0 else "negative"
                article = "an" if sign > 0 else "a"
                p.add(
                    name,
                    f"{article} {self.direction.value} target's {name} must be {word}",
                    found=_q(q),
                    hint=f"write '{'-' if sign < 0 else '+'}{abs(q.magnitude)} ...' "
                    "or change the direction",
                )
        if self.rate is not None and _as_fraction(self.rate) <= -1:
            p.add(
                "rate",
                "an annual rate must be above -100 %",
                found=_q(self.rate),
                hint="a fall of 100 % or more a year leaves nothing to compound",
            )
        if self.band is not None:
            low, high = self.band
            if low.to(high.units).magnitude > high.magnitude:
                p.add("band", "band is (low, high)", found=f"({_q(low)}, {_q(high)})")
        if sign is None:
            return
        base = self.baseline.value if self.baseline is not None else None
        chain: list[tuple[str, Quantity]] = []
        if base is not None:
            chain.append(("baseline.value", base))
        chain += [(f"interim[{i}].value", it.value) for i, it in enumerate(self.interim)]
        final = self.value if self.kind is TargetKind.LEVEL else None
        if final is not None:
            chain.append(("value", final))
        for (pa, a), (pb, b) in itertools.pairwise(chain):
            b_in_a = b.to(a.units).magnitude
            if sign > 0 and b_in_a < a.magnitude:
                p.add(
                    pb,
                    f"an increase target cannot fall below its {pa.split('.')[0]}",
                    found=f"{_q(b)} after {_q(a)}",
                )
            if sign < 0 and b_in_a > a.magnitude:
                p.add(
                    pb,
                    f"a decrease target cannot rise above its {pa.split('.')[0]}",
                    found=f"{_q(b)} after {_q(a)}",
                )

    def _check_dates(self, p: Problems) -> None:
        dates: list[tuple[str, dt.date]] = []
        if self.baseline is not None and self.baseline.date is not None:
            dates.append(("baseline.date", self.baseline.date))
        dates += [(f"interim[{i}].date", it.date) for i, it in enumerate(self.interim)]
        if self.deadline is not None:
            dates.append(("deadline", self.deadline))
        for (pa, a), (pb, b) in itertools.pairwise(dates):
            if b <= a:
                p.add(
                    pb,
                    f"dates must increase: {pb} must come after {pa}",
                    found=f"{b.isoformat()} after {a.isoformat()}",
                )
        if self.interim and self.deadline is None:
            p.add("deadline", "interim targets need a final deadline")

    # --- derived ---------------------------------------------------------------

    def _level_quantities(self) -> list[tuple[str, Quantity]]:
        out: list[tuple[str, Quantity]] = []
        if self.value is not None:
            out.append(("value", self.value))
        if self.baseline is not None and self.baseline.value is not None:
            out.append(("baseline.value", self.baseline.value))
        out += [(f"interim[{i}].value", it.value) for i, it in enumerate(self.interim)]
        if self.band is not None:
            out += [("band[0]", self.band[0]), ("band[1]", self.band[1])]
        if self.benchmark is not None and self.benchmark.value is not None:
            out.append(("benchmark.value", self.benchmark.value))
        return out

    def _first_level(self) -> Quantity | None:
        levels = self._level_quantities()
        return levels[0][1] if levels else None

    def level_unit(self) -> Any:
        """The unit of the target's levels (value, baseline, interim), if any is given."""
        first = self._first_level()
        return None if first is None else first.units

    @property
    def baseline_value(self) -> Quantity | None:
        """The baseline's value, or ``None`` when it is not known."""
        return None if self.baseline is None else self.baseline.value

    def target_level(self, *, start: dt.date | None = None) -> Quantity | None:
        """The level to reach at the deadline, in the target's level unit.

        ``None`` when it cannot be known: a relative target without a baseline,
        a direction-only or milestone target, a benchmark without its value.
        ``start`` is the date an annual rate counts from (the baseline's date
        by default).
        """
        base = self.baseline_value
        kind = self.kind
        if kind in (TargetKind.LEVEL, TargetKind.RECURRING):
            return self.value
        if kind is TargetKind.BENCHMARK:
            return None if self.benchmark is None else self.benchmark.value
        if kind is TargetKind.ZERO:
            return None if base is None else base * 0
        if base is None:
            return None
        if kind is TargetKind.RELATIVE_CHANGE:
            assert self.change is not None
            return base * (1 + float(self.change.to("fraction").magnitude))
        if kind is TargetKind.POINT_CHANGE:
            assert self.change is not None
            return _add_change(base, self.change)
        if kind is TargetKind.ANNUAL_RATE:
            assert self.rate is not None
            begin = start or (self.baseline.date if self.baseline else None)
            if begin is None or self.deadline is None:
                return None
            years = years_between(begin, self.deadline)
            return base * (1 + float(self.rate.to("fraction").magnitude)) ** years
        return None

    def __repr__(self) -> str:
        """``<Target level: at most 14 % by 2026-03-31>``."""
        return f"<Target {self.kind.value}: {cut(self.describe(), 80)}>"

    def describe(self) -> str:
        """The target in words, for reports: ``"at most 14 % by 31 Mar 2026"``."""
        by = f" by {day_text(self.deadline)}" if self.deadline else ""
        kind = self.kind
        if kind is TargetKind.LEVEL:
            if self.direction is Direction.TOWARDS:
                text = f"towards {_say(self.value)}"
                if self.band is not None:
                    text += f" (band {_say(self.band[0])} to {_say(self.band[1])})"
                return text + by
            word = "at least" if self.bound is Bound.AT_LEAST else "at most"
            return f"{word} {_say(self.value)}{by}"
        if kind is TargetKind.RELATIVE_CHANGE:
            return f"{self.direction.value} by {_say(abs(self.change))} from baseline{by}"  # type: ignore[arg-type]
        if kind is TargetKind.POINT_CHANGE:
            return f"{self.direction.value} by {_say(abs(self.change))}{by}"  # type: ignore[arg-type]
        if kind is TargetKind.ANNUAL_RATE:
            return f"{self.direction.value} by {_say(abs(self.rate))} every year{by}"  # type: ignore[arg-type]
        if kind is TargetKind.ZERO:
            return f"zero{by}"
        if kind is TargetKind.RECURRING:
            word = "at least" if self.bound is Bound.AT_LEAST else "at most"
            every = self.every.period if self.every else "period"
            return f"{word} {_say(self.value)} every {every}"
        if kind is TargetKind.BENCHMARK:
            assert self.benchmark is not None
            value = f" ({_say(self.benchmark.value)})" if self.benchmark.value is not None else ""
            return f"in line with {self.benchmark.name}{value}{by}"
        if kind is TargetKind.DIRECTION_ONLY:
            return f"{self.direction.value} (no target value){by}"
        done = sum(m.status is MilestoneStatus.DONE for m in self.milestones)
        return f"{done} of {len(self.milestones)} milestones done"

    # --- named constructors ------------------------------------------------------

    @classmethod
    def level(cls, value: Any, *, direction: Direction | str, **kw: Any) -> Target:
        """Reach an absolute level (``bound`` defaults from the direction)."""
        return cls(kind=TargetKind.LEVEL, direction=direction, value=value, **kw)

    @classmethod
    def reduce_by(cls, share: Any, **kw: Any) -> Target:
        """Reduce by a share of the baseline: ``Target.reduce_by("15 %")``."""
        return cls(
            kind=TargetKind.RELATIVE_CHANGE,
            direction=Direction.DECREASE,
            change=-abs(quantity_converter("change")(share)),
            **kw,
        )

    @classmethod
    def increase_by(cls, share: Any, **kw: Any) -> Target:
        """Increase by a share of the baseline: ``Target.increase_by("10 %")``."""
        return cls(
            kind=TargetKind.RELATIVE_CHANGE,
            direction=Direction.INCREASE,
            change=abs(quantity_converter("change")(share)),
            **kw,
        )

    @classmethod
    def change_by_points(cls, change: Any, **kw: Any) -> Target:
        """Change by an absolute amount: ``Target.change_by_points("+2 pp")``."""
        q = quantity_converter("change")(change)
        direction = Direction.INCREASE if q.magnitude > 0 else Direction.DECREASE
        return cls(kind=TargetKind.POINT_CHANGE, direction=direction, change=q, **kw)

    @classmethod
    def every_year(cls, rate: Any, **kw: Any) -> Target:
        """Compounding change each year: ``Target.every_year("-5 %")``."""
        q = quantity_converter("rate")(rate)
        direction = Direction.INCREASE if q.magnitude > 0 else Direction.DECREASE
        return cls(kind=TargetKind.ANNUAL_RATE, direction=direction, rate=q, **kw)

    @classmethod
    def eliminate(cls, **kw: Any) -> Target:
        """Bring to zero."""
        return cls(kind=TargetKind.ZERO, direction=Direction.DECREASE, **kw)

    @classmethod
    def recurring(
        cls, value: Any, *, every: Frequency | str, direction: Direction | str, **kw: Any
    ) -> Target:
        """A threshold met every period: ``Target.recurring("0 GBP", every="annual", ...)``."""
        return cls(kind=TargetKind.RECURRING, direction=direction, value=value, every=every, **kw)

    @classmethod
    def with_milestones(
        cls, milestones: Iterable[Milestone | Mapping[str, Any]], **kw: Any
    ) -> Target:
        """Deliverables with dates and statuses."""
        items = tuple(m if isinstance(m, Milestone) else Milestone(**m) for m in milestones)
        return cls(
            kind=TargetKind.MILESTONE, direction=Direction.MILESTONE, milestones=items, **kw
        )


def _add_change(base: Quantity, change: Quantity) -> Quantity:
    """``base + change``, where a change in percentage points moves a percent level."""
    if str(change.units) == "percentage_point" and base.units.dimensionless:
        return (base.to("percent") + change.magnitude * base.to("percent").units).to(base.units)
    return base + change.to(base.units)
