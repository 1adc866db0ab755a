"""Vocabularies, small value types and the validator factories the model shares."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from stratkit.errors import InvalidStrategyError, Problem

__all__ = [
    "EARLIEST_DATE",
    "ID_PATTERN",
    "LATEST_DATE",
    "AmbitionKind",
    "Bound",
    "Direction",
    "Frequency",
    "MilestoneStatus",
    "TargetKind",
    "TrajectoryShape",
]

T = TypeVar("T")

ID_PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9._: -]{0,98}[A-Za-z0-9._:-])?"
"""What an id may be: up to 100 ASCII letters, digits, ``.``, ``_``, ``:``, ``-``
and spaces, not starting with ``.``, ``-`` or a space, nor ending with a space
(``"1"``, ``"2.2.1"``, ``"E1"``, ``"kmpt-2023-26"``, ``"Part 1"`` from StratML).

Ids are printed in tables, file names, HTML anchors and spreadsheets; this
pattern keeps them free of spaces, control characters and the characters a
spreadsheet reads as the start of a formula (``=``, ``+``, ``-``, ``@``).
"""
_ID_RE = re.compile(ID_PATTERN)
EARLIEST_DATE = dt.date(1900, 1, 1)
"""The earliest date a strategy may hold (any field)."""
LATEST_DATE = dt.date(2199, 12, 31)
"""The latest date a strategy may hold: far enough for any plan, and far
enough from the calendar's end (9999-12-31) that date arithmetic never overflows."""

#: The longest text a ``repr`` quotes before cutting it with "…".
REPR_TEXT = 40


def cut(text: object, limit: int = REPR_TEXT) -> str:
    """A text on one line, cut to ``limit`` characters with "…"."""
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def brief(text: object, limit: int = REPR_TEXT) -> str:
    """``repr`` of a text, cut to ``limit`` characters: for short, one-line reprs."""
    return repr(cut(text, limit))


def plural(n: int, word: str) -> str:
    """``"1 outcome"``, ``"72 outcomes"``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class _Vocabulary(str, enum.Enum):
    """A closed set of words; compares equal to its string value."""

    def __str__(self) -> str:
        return str(self.value)


class Direction(_Vocabulary):
    """Which way is better (NHSRplotthedots calls it ``improvement_direction``)."""

    INCREASE = "increase"
    """Higher is better."""
    DECREASE = "decrease"
    """Lower is better."""
    TOWARDS = "towards"
    """Closer to the target value is better (parity, or a band)."""
    MILESTONE = "milestone"
    """A deliverable: not started, in progress, done."""


class TargetKind(_Vocabulary):
    """The shape of a target, as the strategy's words give it."""

    LEVEL = "level"
    """Reach an absolute level: "drive down our vacancy rate to 14%"."""
    RELATIVE_CHANGE = "relative_change"
    """Change by a share of the baseline: "decrease violence and aggression by 15%"."""
    POINT_CHANGE = "point_change"
    """Change by an absolute amount, in percentage points for a percent measure."""
    ANNUAL_RATE = "annual_rate"
    """Compounding change every year: "reduce waste volume by 5% every year"."""
    ZERO = "zero"
    """Eliminate: "eliminate all inappropriate out of area placements"."""
    RECURRING = "recurring"
    """A threshold every period: "achieve recurrent annual break-even"."""
    BENCHMARK = "benchmark"
    """A level tied to a benchmark: "in line with the national average"."""
    DIRECTION_ONLY = "direction_only"
    """A direction and no value: "increase the number of patients accessing ..."."""
    MILESTONE = "milestone"
    """Deliverables with dates: "completion of Ruby Ward build"."""


class Bound(_Vocabulary):
    """How a level target is met."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Frequency(_Vocabulary):
    """How often a measure is reported, or a recurring target recurs."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    AD_HOC = "ad_hoc"

    @property
    def period(self) -> str:
        """The period as a noun, for sentences: ``"month"``, ``"year"`` (``"period"`` ad hoc)."""
        return {
            "weekly": "week",
            "monthly": "month",
            "quarterly": "quarter",
            "annual": "year",
        }.get(self.value, "period")

    @property
    def days(self) -> int | None:
        """The longest period of this frequency in days (``None`` for ad hoc)."""
        return {"weekly": 7, "monthly": 31, "quarterly": 92, "annual": 366}.get(self.value)


class MilestoneStatus(_Vocabulary):
    """Where a deliverable has got to; ``unknown`` until progress is reported."""

    UNKNOWN = "unknown"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class AmbitionKind(_Vocabulary):
    """A strategic ambition (an end) or a strategic enabler (a means)."""

    AMBITION = "ambition"
    ENABLER = "enabler"


class TrajectoryShape(_Vocabulary):
    """How the expected value moves from the baseline to the target."""

    LINEAR = "linear"
    """A straight line between the known points."""
    STEP = "step"
    """Each interim target is due at its date and held until the next."""


# --- validation helpers -----------------------------------------------------


class Problems:
    """Collects problems for one object, so that all are reported together."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(
        self,
        path: str,
        message: str,
        *,
        expected: str | None = None,
        found: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.items.append(
            Problem(path=path, message=message, expected=expected, found=found, hint=hint)
        )

    def extend(self, prefix: str, problems: Iterable[Problem]) -> None:
        for p in problems:
            path = (
                f"{prefix}.{p.path}" if p.path and not p.path.startswith("[") else prefix + p.path
            )
            self.items.append(attrs.evolve(p, path=path))

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidStrategyError(self.items)


def non_empty_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a string with something in it."""
    if not isinstance(value, str):
        raise InvalidStrategyError(
            [Problem(path=attribute.name, message="must be text", found=type(value).__name__)]
        )
    if not value.strip():
        raise InvalidStrategyError([Problem(path=attribute.name, message="must not be empty")])


def identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: an id matching :data:`ID_PATTERN`."""
    non_empty_text(instance, attribute, value)
    if not _ID_RE.fullmatch(value):
        shown = repr(value) if len(value) <= 40 else repr(value[:40]) + "..."
        raise InvalidStrategyError(
            [
                Problem(
                    path=attribute.name,
                    message="not a valid id",
                    expected="up to 100 letters, digits, spaces, '.', '_', ':' and '-', such "
                    "as '2.2.1' or 'E1' (not starting with '.', '-' or a space)",
                    found=shown,
                )
            ]
        )


def optional_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: ``None`` or text."""
    if value is not None:
        non_empty_text(instance, attribute, value)


def instance_of(*types: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """Validator factory: the value is one of ``types``; the message names the field."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            names = " or ".join(t.__name__ for t in types)
            raise InvalidStrategyError(
                [
                    Problem(
                        path=attribute.name, message=f"must be {names}", found=type(value).__name__
                    )
                ]
            )

    return check


def tuple_of(*types: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """Validator factory: every item of the tuple is one of ``types``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        for i, item in enumerate(value):
            if not isinstance(item, types):
                names = " or ".join(t.__name__ for t in types)
                raise InvalidStrategyError(
                    [
                        Problem(
                            path=f"{attribute.name}[{i}]",
                            message=f"must be {names}",
                            found=type(item).__name__,
                        )
                    ]
                )

    return check


def to_tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    """Converter: any iterable (or ``None``) to a tuple; a lone string is one item."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def enum_converter(kind: type[enum.Enum], name: str) -> Callable[[Any], Any]:
    """Converter factory: accept the enum member or its string value."""

    def convert(value: Any) -> Any:
        if isinstance(value, kind) or value is None:
            return value
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in kind)
            raise InvalidStrategyError(
                [
                    Problem(
                        path=name,
                        message=f"unknown {kind.__name__}",
                        expected=f"one of {allowed}",
                        found=repr(value),
                    )
                ]
            ) from None

    return convert


def date_converter(name: str) -> Callable[[Any], dt.date | None]:
    """Converter factory: ``date`` or ISO text to ``date``; datetimes are refused."""

    def convert(value: Any) -> dt.date | None:
        return _to_date(value, name)

    return convert


def _to_date(value: Any, name: str) -> dt.date | None:
    if value is None:
        return value
    date: dt.date | None = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        date = value
    elif isinstance(value, str) and len(value) <= 40:
        with contextlib.suppress(ValueError):
            date = dt.date.fromisoformat(value.strip())
    if date is not None:
        if EARLIEST_DATE <= date <= LATEST_DATE:
            return date
        raise InvalidStrategyError(
            [
                Problem(
                    path=name,
                    message="date out of range",
                    expected=f"a date from {EARLIEST_DATE} to {LATEST_DATE}",
                    found=date.isoformat(),
                )
            ]
        )
    raise InvalidStrategyError(
        [
            Problem(
                path=name,
                message="not a date",
                expected="a date as YYYY-MM-DD",
                found=repr(value) if len(repr(value)) <= 60 else type(value).__name__,
            )
        ]
    )


def check_unique(ids: Sequence[str], path: str, what: str, problems: Problems) -> None:
    """Report every id that appears more than once."""
    seen: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident in seen:
            problems.add(
                f"{path}[{i}].id",
                f"duplicate {what} id {ident!r}",
                hint=f"first used at {path}[{seen[ident]}]",
            )
        else:
            seen[ident] = i


def years_between(start: dt.date, end: dt.date) -> float:
    """Years from ``start`` to ``end``: whole anniversaries, then the fraction of the next.

    >>> years_between(dt.date(2023, 3, 31), dt.date(2026, 3, 31))
    3.0
    """
    sign = 1.0
    if end < start:
        start, end, sign = end, start, -1.0

    def add_years(d: dt.date, n: int) -> dt.date:
        try:
            return d.replace(year=d.year + n)
        except ValueError:  # 29 February
            return d.replace(year=d.year + n, day=28)

    whole = end.year - start.year
    if add_years(start, whole) > end:
        whole -= 1
    anchor = add_years(start, whole)
    span = (add_years(start, whole + 1) - anchor).days
    return sign * (whole + (end - anchor).days / span)
