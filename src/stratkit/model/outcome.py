# mypy: disable-error-code="misc"
# (attrs converters made by factories, so that their errors name the field, are
# beyond mypy's attrs plugin; the fields' own types are still checked.)
"""Outcomes ("how we will know we have achieved this") and the measures behind them."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs

from stratkit.errors import InvalidStrategyError, Problem, UnitError
from stratkit.model._common import (
    Direction,
    Frequency,
    Problems,
    TargetKind,
    brief,
    cut,
    date_converter,
    enum_converter,
    identifier,
    instance_of,
    non_empty_text,
    optional_text,
    to_tuple,
    tuple_of,
)
from stratkit.model.target import Target, quantity_converter
from stratkit.units import Quantity, Unit, format_quantity, format_unit, parse_unit, same_dimension

__all__ = ["Ambiguity", "Inference", "Measure", "Outcome", "Rebase", "SourceRef"]


def unit_converter(name: str) -> Any:
    """Converter factory: unit text (``"%"``, ``"score"``) or a unit."""

    def convert(value: Any) -> Unit:
        if hasattr(value, "dimensionality"):
            return value
        if isinstance(value, str):
            try:
                return parse_unit(value)
            except UnitError as exc:
                raise InvalidStrategyError([Problem(path=name, message=str(exc))]) from None
        raise InvalidStrategyError(
            [
                Problem(
                    path=name,
                    message="must be a unit",
                    expected="text such as '%'",
                    found=repr(value),
                )
            ]
        )

    return convert


@attrs.frozen(kw_only=True)
class Measure:
    """What is counted, in which unit, from which data, how often.

    For a proportion, ``numerator`` and ``denominator`` say what is counted;
    ``threshold`` is the quantity it counts against ("within 1 hour").
    """

    name: str = attrs.field(validator=non_empty_text)
    unit: Unit = attrs.field(converter=unit_converter("unit"))
    definition: str | None = attrs.field(default=None, validator=optional_text)
    numerator: str | None = attrs.field(default=None, validator=optional_text)
    denominator: str | None = attrs.field(default=None, validator=optional_text)
    threshold: Quantity | None = attrs.field(
        default=None, converter=quantity_converter("threshold")
    )
    data_source: str | None = attrs.field(default=None, validator=optional_text)
    frequency: Frequency | None = attrs.field(
        default=None, converter=enum_converter(Frequency, "frequency")
    )
    code: str | None = attrs.field(default=None, validator=optional_text)
    """A national or local identifier of the measure (``"MHSDS PLS123/PLS122"``)."""
    range: tuple[Quantity, Quantity] | None = attrs.field(default=None)
    """The values the measure can take, low to high: ``("0 %", "100 %")`` for a
    share of people. Forecasts are clipped to it. Left out, it follows from the
    unit (:func:`stratkit.units.natural_range`: counts are never negative, a
    survey score lies in 0 to 10, a percent is unbounded, since a percent may
    be a relative change or an occupancy above 100 %)."""
    from_counts: bool = attrs.field(default=False, validator=instance_of(bool))
    """The measure is a rate of two counts: each observation gives ``numerator``
    and ``denominator`` and the value is derived from them (numerator ÷
    denominator, in the measure's unit: ``%`` multiplies by 100). Every
    aggregate of such a measure (organisations into an ICB, a region or
    England; months into a quarter) is Σ numerator ÷ Σ denominator, never an
    average of the rates (:mod:`stratkit.portfolio`)."""

    def __attrs_post_init__(self) -> None:
        if self.range is None:
            return
        p = Problems()
        if not isinstance(self.range, (tuple, list)) or len(self.range) != 2:
            p.add("range", "must be two values, low and high", found=repr(self.range))
            p.raise_if_any()
        low, high = (quantity_converter("range")(q) for q in self.range)
        object.__setattr__(self, "range", (low, high))
        for i, q in enumerate((low, high)):
            if not same_dimension(q.units, self.unit):
                p.add(
                    f"range[{i}]",
                    "unit does not match the measure's unit",
                    expected=f"a unit like {self.unit_text!r}",
                    found=format_quantity(q),
                )
        if not p.items and not low.to(self.unit).magnitude < high.to(self.unit).magnitude:
            p.add(
                "range",
                "low must be below high",
                found=f"({format_quantity(low)}, {format_quantity(high)})",
            )
        p.raise_if_any()

    def range_in_unit(self) -> tuple[float, float]:
        """``range`` as plain numbers in the measure's unit (``(-inf, inf)`` when unset)."""
        if self.range is None:
            return (-math.inf, math.inf)
        low, high = self.range
        return (float(low.to(self.unit).magnitude), float(high.to(self.unit).magnitude))

    @property
    def unit_text(self) -> str:
        """The unit as written in files (``"%"``)."""
        return format_unit(self.unit)

    def __repr__(self) -> str:
        unit = f" in {self.unit_text}" if self.unit_text else ""
        how = f", {self.frequency.value}" if self.frequency is not None else ""
        return f"<Measure {brief(self.name)}{unit}{how}>"


@attrs.frozen(kw_only=True)
class SourceRef:
    """Where in which source document an item comes from."""

    document: str = attrs.field(validator=non_empty_text)
    """The ``id`` of one of the strategy's ``sources``."""
    location: str | None = attrs.field(default=None, validator=optional_text)
    """Where in the document: ``"objective 1.1, 'how we will know' column"``."""

    def __repr__(self) -> str:
        where = f", {brief(self.location)}" if self.location else ""
        return f"<SourceRef {brief(self.document)}{where}>"


@attrs.frozen(kw_only=True)
class Ambiguity:
    """A judgement call: what the text could mean, and which reading was encoded."""

    about: str = attrs.field(validator=non_empty_text)
    """The field the ambiguity concerns (``"target.change"``)."""
    question: str = attrs.field(validator=non_empty_text)
    chosen: str = attrs.field(validator=non_empty_text)
    alternatives: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)

    def __repr__(self) -> str:
        return f"<Ambiguity about {cut(self.about, 30)}: {brief(self.question)}>"


@attrs.frozen(kw_only=True)
class Inference:
    """A value the encoder inferred rather than read in a source, and why.

    It sits beside the value it flags: ``about`` names a field of the object
    that holds it (``"reports_to"``, ``"owner"``), and that field must hold a
    value. ``stratkit lint`` treats a governance value with neither a
    ``source`` nor an inference as an unflagged inference.
    """

    about: str = attrs.field(validator=non_empty_text)
    """The field inferred (``"reports_to"``, ``"oversees"``, ``"executive_lead"``)."""
    reason: str = attrs.field(validator=non_empty_text)
    """Why this reading: what the source does say, and what was read into it."""

    def __repr__(self) -> str:
        return f"<Inference about {cut(self.about, 30)}: {brief(self.reason)}>"


@attrs.frozen(kw_only=True)
class Rebase:
    """A date from which the SPC chart's mean and limits are recalculated, and why.

    The process changed on that date (a new service model, a change in the
    measure's definition or data source), so the points before it say nothing
    about the limits after it. The evaluation starts a new rebase group at the
    first point on or after the date: its SPC chart, its sustained-achievement
    rule and its direction-only judgement use only the current group.
    """

    date: dt.date = attrs.field(converter=date_converter("date"))
    reason: str = attrs.field(validator=non_empty_text)
    """Why the process changed: ``"new crisis line model from April 2024"``."""

    def __repr__(self) -> str:
        return f"<Rebase {self.date.isoformat()}: {brief(self.reason)}>"


def _check_change_unit(target: Target, unit: Unit, p: Problems) -> None:
    if target.kind is TargetKind.POINT_CHANGE and target.change is not None:
        change_unit = target.change.units
        if unit.dimensionless:
            if str(change_unit) != "percentage_point":
                p.add(
                    "target.change",
                    "a change in a percentage is written in percentage points",
                    expected="'pp', as in '+2 pp'",
                    found=format_quantity(target.change),
                )
        elif not same_dimension(change_unit, unit):
            p.add(
                "target.change",
                "unit does not match the measure",
                expected=f"a unit like {format_unit(unit)!r}",
                found=format_quantity(target.change),
            )


@attrs.frozen(kw_only=True)
class Outcome:
    """One measurable outcome: its words, who owns it, its measure and target."""

    id: str = attrs.field(validator=identifier)
    statement: str = attrs.field(validator=non_empty_text)
    """The outcome's words, verbatim from the source."""
    owner: str | None = attrs.field(default=None, validator=optional_text)
    """The senior responsible officer's role."""
    delivery_year: int | None = attrs.field(default=None)
    """1, 2 or 3: the strategy year the outcome is prioritised into, where known."""
    measure: Measure | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(Measure))
    )
    target: Target | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(Target))
    )
    notes: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=tuple_of(str))
    ambiguities: tuple[Ambiguity, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Ambiguity)
    )
    source: SourceRef | None = attrs.field(default=None)
    reporting_frequency: Frequency | None = attrs.field(
        default=None, converter=enum_converter(Frequency, "reporting_frequency")
    )
    """How often progress is reported; left out, the most frequent of the forums
    overseeing it (:meth:`stratkit.Strategy.reporting_frequency_of`)."""
    inferred: tuple[Inference, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Inference)
    )
    """Values of this outcome (owner, reporting frequency) that were inferred."""
    rebase: tuple[Rebase, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Rebase)
    )
    """Dates the process changed, each with its reason: the SPC chart is
    recalculated from each (see :class:`Rebase`)."""

    def __attrs_post_init__(self) -> None:
        p = Problems()
        days = [r.date for r in self.rebase]
        for k, d in enumerate(days):
            if d in days[:k]:
                p.add(f"rebase[{k}].date", "a second rebase on the same date", found=d.isoformat())
        for i, inference in enumerate(self.inferred):
            if inference.about not in ("owner", "reporting_frequency", "delivery_year"):
                p.add(
                    f"inferred[{i}].about",
                    "an outcome's inferences are about its governance",
                    expected="'owner', 'reporting_frequency' or 'delivery_year'",
                    found=repr(inference.about),
                )
            elif getattr(self, inference.about) is None:
                p.add(
                    f"inferred[{i}].about",
                    f"{inference.about!r} is empty: an inference needs a value it explains",
                )
        if self.delivery_year is not None and (
            isinstance(self.delivery_year, bool)
            or not isinstance(self.delivery_year, int)
            or self.delivery_year < 1
        ):
            p.add(
                "delivery_year",
                "must be a strategy year",
                expected="1, 2 or 3",
                found=repr(self.delivery_year),
            )
        t, m = self.target, self.measure
        if t is not None and m is not None:
            level = t.level_unit()
            if level is not None and not same_dimension(level, m.unit):
                bad = next(
                    path
                    for path, q in t._level_quantities()
                    if not same_dimension(q.units, m.unit)
                )
                p.add(
                    f"target.{bad}",
                    "unit does not match the measure's unit",
                    expected=f"a unit like {m.unit_text!r}",
                    found=format_unit(level),
                )
            _check_change_unit(t, m.unit, p)
        if (
            t is not None
            and m is None
            and t.kind not in (TargetKind.MILESTONE, TargetKind.DIRECTION_ONLY)
        ):
            p.add("measure", f"a {t.kind.value} target needs a measure with a unit")
        p.raise_if_any()

    def __repr__(self) -> str:
        """``<Outcome 2.2.1 'Drive down our vacancy rate to 14%': at most 14 % by ...>``."""
        target = "no target" if self.target is None else cut(self.target.describe(), 50)
        return f"<Outcome {cut(self.id, 20)} {brief(self.statement)}: {target}>"

    @property
    def direction(self) -> Direction | None:
        """The direction of improvement, from the target."""
        return None if self.target is None else self.target.direction

    @property
    def unit(self) -> Unit | None:
        """The measure's unit, if there is a measure."""
        return None if self.measure is None else self.measure.unit
