"""Hypothesis strategies for every type of the stratkit model, in one module.

Every strategy builds values that are valid *by construction*: targets whose
figures agree with their direction and dates, outcomes whose target units
have their measure's dimension, strategies whose ids are unique. A strategy
that fails to build an object is therefore a bug in the model, not a filter
to retry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import strategies as st

from stratkit.model import (
    Ambiguity,
    Ambition,
    AmbitionKind,
    Approval,
    Baseline,
    Benchmark,
    Bound,
    Direction,
    Forum,
    Frequency,
    Governance,
    Inference,
    InterimTarget,
    Measure,
    Milestone,
    MilestoneStatus,
    Objective,
    Observations,
    Organisation,
    Outcome,
    Period,
    Series,
    SourceDocument,
    SourceRef,
    Strategy,
    Target,
    TargetKind,
    TrajectoryShape,
)
from stratkit.units import MAX_MAGNITUDE, Quantity, parse_unit, quantity

T = TypeVar("T")

# --- units and quantities ------------------------------------------------------

#: Units a measure may be written in (as files write them).
MEASURE_UNITS = (
    "%",
    "score",
    "incident",
    "person",
    "patient",
    "bed_day",
    "placement",
    "GBP",
    "kGBP",
    "GBPm",
    "tCO2e",
    "kWh",
    "m3",
    "hour",
    "day",
    "week",
    "incident / bed_day",
)
#: Units of time, for thresholds ("within 1 hour").
TIME_UNITS = ("minute", "hour", "day", "week")

#: Per dimension, units that convert into each other (the first is the measure's).
_SAME_DIMENSION = {
    "%": ("%", "fraction", "per_thousand"),
    "GBP": ("GBP", "kGBP", "GBPm"),
    "kGBP": ("kGBP", "GBP"),
    "GBPm": ("GBPm", "kGBP"),
    "hour": ("hour", "minute", "day"),
    "day": ("day", "hour", "week"),
    "week": ("week", "day"),
    "tCO2e": ("tCO2e", "kgCO2e"),
    "kWh": ("kWh", "MWh"),
    "m3": ("m3", "litre"),
}

units_st = st.sampled_from(MEASURE_UNITS)

#: Magnitudes: small integers (as people write them) and any float a quantity
#: accepts (finite, at most MAX_MAGNITUDE in size).
magnitudes_st = st.one_of(
    st.integers(-10_000, 10_000),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.floats(
        min_value=-MAX_MAGNITUDE,
        max_value=MAX_MAGNITUDE,
        allow_nan=False,
        allow_infinity=False,
        allow_subnormal=False,
    ),
)
positive_st = st.one_of(
    st.integers(1, 10_000),
    st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False),
)


def quantities(unit: str | None = None) -> st.SearchStrategy[Quantity]:
    """A scalar quantity, in ``unit`` or in any measure unit."""
    unit_st = units_st if unit is None else st.just(unit)
    return st.builds(quantity, magnitudes_st, unit_st.map(parse_unit))


#: Text: any character a file can hold (control characters, line and paragraph
#: separators, non-ASCII), and the characters that mean something in YAML.
_ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cs", "Co", "Cn"),
) | st.sampled_from("\n\r\t\x85\u2028\u2029\ufeff :#'\"-&*!|>%@`{}[],?")
text_st = st.text(_ALPHABET, min_size=1, max_size=30).filter(lambda s: s.strip() != "")
optional_text_st = st.none() | text_st
#: Ids as people type them (within ID_PATTERN), including ones YAML would read as
#: numbers, booleans or null.
ids_st = st.one_of(
    st.from_regex(r"[1-9](\.[0-9]{1,2}){0,2}", fullmatch=True),
    st.sampled_from(["1.10", "2.0", "007", "1e3", "true", "no", "null", "off", "A.1", "1.1.1"]),
    st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=6),
)


def unique_ids(n_min: int, n_max: int) -> st.SearchStrategy[list[str]]:
    return st.lists(ids_st, min_size=n_min, max_size=n_max, unique=True)


# --- dates ---------------------------------------------------------------------

DATE_MIN = dt.date(2015, 1, 1)
DATE_MAX = dt.date(2045, 12, 31)
dates_st = st.dates(DATE_MIN, DATE_MAX)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = draw(st.dates(dt.date(2018, 1, 1), dt.date(2030, 12, 31)))
    years = draw(st.integers(1, 5))
    end = start.replace(year=start.year + years, day=min(start.day, 28)) - dt.timedelta(days=1)
    return Period(start=start, end=end)


def _sorted_dates(draw: st.DrawFn, n: int, before: dt.date) -> list[dt.date]:
    """``n`` distinct dates, in order, all strictly before ``before``."""
    if n == 0:
        return []
    low = min(DATE_MIN, before - dt.timedelta(days=4000))
    found = draw(
        st.lists(st.dates(low, before - dt.timedelta(days=1)), min_size=n, max_size=n, unique=True)
    )
    return sorted(found)


# --- small value types -------------------------------------------------------------

organisations = st.builds(
    Organisation,
    name=text_st,
    code=st.none() | st.from_regex(r"R[A-Z0-9]{2}", fullmatch=True),
    short_name=optional_text_st,
    population_served=optional_text_st,
)
frequencies = st.sampled_from(list(Frequency))
roles_st = st.lists(text_st, max_size=2, unique=True).map(tuple)


@st.composite
def governances(
    draw: st.DrawFn, overseeable: tuple[str, ...] = (), document_ids: tuple[str, ...] = ()
) -> Governance:
    """Forums with unique names, each reporting to an earlier one (never in a circle),
    overseeing some of ``overseeable``; an executive lead and an approval."""
    names = draw(st.lists(text_st, max_size=3, unique=True))
    refs = st.none() | (
        st.builds(SourceRef, document=st.sampled_from(document_ids), location=optional_text_st)
        if document_ids
        else st.none()
    )
    forums = []
    for i, name in enumerate(names):
        reports_to = draw(st.none() | st.sampled_from(names[:i])) if i else None
        oversees = (
            draw(st.lists(st.sampled_from(overseeable), unique=True, max_size=3))
            if overseeable
            else []
        )
        forum_inferred = (
            (Inference(about="reports_to", reason=draw(text_st)),)
            if reports_to is not None and draw(st.booleans())
            else ()
        )
        forums.append(
            Forum(
                name=name,
                frequency=draw(st.none() | frequencies),
                chairs=draw(roles_st),
                members=draw(roles_st),
                reports_to=reports_to,
                oversees=tuple(oversees),
                purpose=draw(optional_text_st),
                source=draw(refs),
                inferred=forum_inferred,
            )
        )
    approval = draw(
        st.none()
        | st.builds(
            Approval,
            body=text_st,
            date=st.none() | st.sampled_from(["2023", "2023-03", "2023-03-29"]),
            source=refs,
        )
    )
    return Governance(
        executive_lead=draw(optional_text_st),
        approval=approval,
        forums=tuple(forums),
        reporting_frequency=draw(st.none() | frequencies),
        source=draw(refs),
        notes=tuple(draw(st.lists(text_st, max_size=2))),
    )


ambiguities = st.builds(
    Ambiguity,
    about=text_st,
    question=text_st,
    chosen=text_st,
    alternatives=st.lists(text_st, max_size=3).map(tuple),
)


def source_documents(doc_id: str) -> st.SearchStrategy[SourceDocument]:
    return st.builds(
        SourceDocument,
        id=st.just(doc_id),
        title=text_st,
        publisher=optional_text_st,
        date=st.none() | st.sampled_from(["2023", "2023-10-17", "October 2023"]),
        url=st.none() | st.just("https://example.org/strategy.pdf"),
        file=st.none() | st.just("sources/strategy.txt"),
        note=optional_text_st,
    )


def source_refs(document_ids: list[str]) -> st.SearchStrategy[SourceRef]:
    doc = st.sampled_from(document_ids) if document_ids else text_st
    return st.builds(SourceRef, document=doc, location=optional_text_st)


@st.composite
def measures(draw: st.DrawFn, unit: str | None = None) -> Measure:
    u = draw(units_st) if unit is None else unit
    proportion = u == "%" and draw(st.booleans())
    return Measure(
        name=draw(text_st),
        unit=u,
        definition=draw(optional_text_st),
        numerator=draw(text_st) if proportion else None,
        denominator=draw(text_st) if proportion else None,
        threshold=draw(st.none() | st.builds(quantity, positive_st, st.sampled_from(TIME_UNITS))),
        data_source=draw(optional_text_st),
        frequency=draw(st.none() | frequencies),
        code=draw(st.none() | st.just("MHSDS PLS123")),
    )


milestones = st.one_of(
    st.builds(
        Milestone,
        name=text_st,
        due=st.none() | dates_st,
        status=st.sampled_from([MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS]),
    ),
    st.builds(
        Milestone,
        name=text_st,
        due=st.none() | dates_st,
        status=st.just(MilestoneStatus.DONE),
        completed=st.none() | dates_st,
    ),
)


# --- targets -------------------------------------------------------------------------


def _q(magnitude: float, unit: str) -> Quantity:
    return quantity(magnitude, parse_unit(unit))


@st.composite
def _level_chain(draw: st.DrawFn, n: int, direction: Direction, unit: str) -> list[Quantity]:
    """``n`` levels that move the right way for ``direction`` (any order for towards)."""
    values = draw(st.lists(magnitudes_st.filter(lambda x: abs(x) < 1e12), min_size=n, max_size=n))
    if direction is Direction.INCREASE:
        values.sort()
    elif direction is Direction.DECREASE:
        values.sort(reverse=True)
    # Each level may be written in any unit of the same dimension, as long as
    # the chain stays monotone once converted: keep the measure's unit then.
    return [_q(v, unit) for v in values]


def _signed(direction: Direction, magnitude: float) -> float:
    return magnitude if direction is Direction.INCREASE else -magnitude


@st.composite
def targets(
    draw: st.DrawFn,
    unit: str = "%",
    *,
    kind: TargetKind | None = None,
    min_deadline: dt.date = dt.date(2020, 1, 1),
) -> Target:
    """A target for a measure in ``unit``, valid by construction.

    The deadline (when there is one) is on or after ``min_deadline``, so that
    the target fits a strategy that starts then.
    """
    kind = draw(st.sampled_from(list(TargetKind))) if kind is None else kind
    up_down = st.sampled_from([Direction.INCREASE, Direction.DECREASE])
    if kind is TargetKind.MILESTONE:
        direction = Direction.MILESTONE
    elif kind is TargetKind.ZERO:
        direction = Direction.DECREASE
    elif kind in (TargetKind.LEVEL, TargetKind.RECURRING, TargetKind.BENCHMARK):
        direction = draw(
            st.sampled_from([Direction.INCREASE, Direction.DECREASE, Direction.TOWARDS])
        )
    else:
        direction = draw(up_down)

    has_interim = kind not in (TargetKind.MILESTONE, TargetKind.DIRECTION_ONLY)
    n_interim = draw(st.integers(0, 3)) if has_interim else 0
    has_deadline = n_interim > 0 or draw(st.booleans())
    deadline = draw(st.dates(min_deadline, DATE_MAX)) if has_deadline else None
    has_baseline = draw(st.booleans())
    baseline_has_value = has_baseline and draw(st.booleans())
    baseline_has_date = has_baseline and draw(st.booleans())
    limit = deadline or DATE_MAX
    dates = _sorted_dates(draw, n_interim + int(baseline_has_date), limit)
    base_date = dates.pop(0) if baseline_has_date else None

    is_level = kind is TargetKind.LEVEL
    chain = draw(
        _level_chain(int(baseline_has_value) + n_interim + int(is_level), direction, unit)
    )
    base_value = chain.pop(0) if baseline_has_value else None
    final_value = chain.pop() if is_level else None
    interim = tuple(InterimTarget(date=d, value=v) for d, v in zip(dates, chain, strict=False))
    baseline = None
    if has_baseline:
        baseline = Baseline(
            value=base_value,
            date=base_date,
            period=draw(optional_text_st),
            source=draw(optional_text_st),
        )
    kw: dict[str, Any] = {
        "kind": kind,
        "direction": direction,
        "baseline": baseline,
        "deadline": deadline,
        "interim": interim,
        "trajectory": draw(st.sampled_from(list(TrajectoryShape)))
        if has_interim
        else TrajectoryShape.LINEAR,
    }
    explicit_bound = st.none() | st.sampled_from(list(Bound))
    if kind is TargetKind.LEVEL:
        kw["value"] = final_value
        kw["bound"] = draw(explicit_bound)
        if direction is Direction.TOWARDS and draw(st.booleans()):
            low, high = sorted(draw(st.lists(st.integers(-1000, 1000), min_size=2, max_size=2)))
            kw["band"] = (_q(low, unit), _q(high, unit))
    elif kind is TargetKind.RELATIVE_CHANGE:
        kw["change"] = _q(_signed(direction, draw(st.integers(1, 99))), "%")
    elif kind is TargetKind.POINT_CHANGE:
        change_unit = "pp" if parse_unit(unit).dimensionless else unit
        kw["change"] = _q(_signed(direction, draw(positive_st)), change_unit)
    elif kind is TargetKind.ANNUAL_RATE:
        kw["rate"] = _q(_signed(direction, draw(positive_st.filter(lambda x: x < 100))), "%")
    elif kind is TargetKind.RECURRING:
        kw["value"] = draw(quantities(unit))
        kw["every"] = draw(
            st.sampled_from([Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL])
        )
        kw["bound"] = draw(explicit_bound)
    elif kind is TargetKind.BENCHMARK:
        kw["benchmark"] = draw(
            st.builds(
                Benchmark,
                name=text_st,
                value=st.none() | quantities(unit),
                source=optional_text_st,
            )
        )
        kw["bound"] = draw(explicit_bound)
    elif kind is TargetKind.MILESTONE:
        kw["milestones"] = tuple(draw(st.lists(milestones, min_size=1, max_size=3)))
    return Target(**kw)


# --- outcomes, objectives, ambitions, strategies ------------------------------------


@st.composite
def outcomes(
    draw: st.DrawFn,
    outcome_id: str | None = None,
    *,
    document_ids: list[str] | None = None,
    max_year: int = 3,
    min_deadline: dt.date = dt.date(2020, 1, 1),
) -> Outcome:
    """An outcome, with or without a measure and a target that fit each other."""
    unit = draw(units_st)
    # mostly measured outcomes with targets; some qualitative ones, some without target
    measure = draw(measures(unit)) if draw(st.integers(0, 3)) else None
    if measure is None:
        target_kind = st.sampled_from([TargetKind.MILESTONE, TargetKind.DIRECTION_ONLY])
        target = draw(st.none() | targets(unit, kind=draw(target_kind), min_deadline=min_deadline))
    else:
        target = (
            draw(targets(unit, min_deadline=min_deadline)) if draw(st.integers(0, 3)) else None
        )
    return Outcome(
        id=draw(ids_st) if outcome_id is None else outcome_id,
        statement=draw(text_st),
        owner=draw(optional_text_st),
        delivery_year=draw(st.none() | st.integers(1, max_year)),
        measure=measure,
        target=target,
        notes=tuple(draw(st.lists(text_st, max_size=2))),
        ambiguities=tuple(draw(st.lists(ambiguities, max_size=2))),
        source=draw(st.none() | source_refs(document_ids or [])),
        reporting_frequency=draw(st.none() | frequencies),
    )


def _children(
    draw: st.DrawFn, ids: list[str], make: Callable[[str], st.SearchStrategy[T]]
) -> tuple[T, ...]:
    return tuple(draw(make(i)) for i in ids)


@st.composite
def objectives(
    draw: st.DrawFn,
    objective_id: str | None = None,
    outcome_ids: list[str] | None = None,
    **outcome_kw: Any,
) -> Objective:
    ids = draw(unique_ids(0, 3)) if outcome_ids is None else outcome_ids
    return Objective(
        id=draw(ids_st) if objective_id is None else objective_id,
        title=draw(text_st),
        looks_like=tuple(draw(st.lists(text_st, max_size=2))),
        outcomes=_children(draw, ids, lambda i: outcomes(i, **outcome_kw)),
        owner=draw(optional_text_st),
    )


@st.composite
def ambitions(
    draw: st.DrawFn,
    ambition_id: str | None = None,
    objective_ids: list[list[str]] | None = None,
    **outcome_kw: Any,
) -> Ambition:
    """An ambition; ``objective_ids`` is one list per objective: ``[id, outcome ids...]``."""
    if objective_ids is None:
        flat = draw(unique_ids(0, 8))
        objective_ids = [flat[i : i + 3] for i in range(0, len(flat), 3)]
    objs = tuple(draw(objectives(ids[0], ids[1:], **outcome_kw)) for ids in objective_ids)
    return Ambition(
        id=draw(ids_st) if ambition_id is None else ambition_id,
        title=draw(text_st),
        kind=draw(st.sampled_from(list(AmbitionKind))),
        statement=draw(optional_text_st),
        rationale=draw(optional_text_st),
        objectives=objs,
        owner=draw(optional_text_st),
    )


@st.composite
def strategies(draw: st.DrawFn, *, max_ambitions: int = 3) -> Strategy:
    """A whole strategy; objective and outcome ids unique across it."""
    period = draw(periods())
    n_years = len(period.year_ends())
    doc_ids = draw(unique_ids(0, 2))
    sources = tuple(draw(source_documents(i)) for i in doc_ids)
    ambition_ids = draw(unique_ids(1, max_ambitions))
    # One pool of unique ids, cut into objectives and their outcomes.
    pool = draw(unique_ids(2 * len(ambition_ids), 16))
    ambs = []
    for aid in ambition_ids:
        take = draw(st.integers(min(2, len(pool)), min(8, len(pool))))
        mine, pool = pool[:take], pool[take:]
        size = draw(st.integers(2, 4))  # an objective's id, then its outcomes' ids
        objective_ids = [mine[i : i + size] for i in range(0, len(mine), size)]
        ambs.append(
            draw(
                ambitions(
                    aid,
                    objective_ids,
                    document_ids=doc_ids,
                    max_year=n_years,
                    min_deadline=period.start,
                )
            )
        )
    return Strategy(
        title=draw(text_st),
        organisation=draw(organisations),
        period=period,
        mission=draw(optional_text_st),
        vision=draw(optional_text_st),
        values=tuple(draw(st.lists(text_st, max_size=3))),
        governance=draw(
            st.none()
            | governances(
                tuple(ambition_ids)
                + tuple(
                    i
                    for a in ambs
                    for o in a.objectives
                    for i in (o.id, *(x.id for x in o.outcomes))
                )[:12],
                tuple(doc_ids),
            )
        ),
        sources=sources,
        ambitions=tuple(ambs),
        notes=tuple(draw(st.lists(text_st, max_size=2))),
    )


# --- observations --------------------------------------------------------------------

OBSERVATION_UNITS = ("%", "score", "incident", "GBP", "hour", "incident / bed_day")
_obs_ids = st.sampled_from(["1.1.1", "2.2.1", "x", "3"])
_obs_values = st.floats(allow_nan=False, allow_infinity=False, width=64)
_obs_counts = st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False)
#: Notes: any text, commas, quotes and line breaks included (the CSV quotes them).
# a note as a reader keeps it: stripped, and without NUL (no text file holds one)
_obs_notes = st.text(_ALPHABET, max_size=8).map(lambda s: s.replace("\x00", "").strip())


@st.composite
def observations(draw: st.DrawFn, max_rows: int = 8) -> Observations:
    """A table of observations: any periods, units, optional numerators and notes."""
    n = draw(st.integers(0, max_rows))

    def column(strategy: st.SearchStrategy[T]) -> list[T]:
        return draw(st.lists(strategy, min_size=n, max_size=n))

    starts = column(st.dates(dt.date(2015, 1, 1), dt.date(2035, 1, 1)))
    spans = column(st.integers(0, 400))
    nan = float("nan")
    return Observations.from_columns(
        outcome_id=column(_obs_ids),
        start=starts,
        end=[s + dt.timedelta(days=d) for s, d in zip(starts, spans, strict=True)],
        value=column(_obs_values),
        unit=column(st.sampled_from(OBSERVATION_UNITS)),
        numerator=[nan if x is None else x for x in column(_obs_counts)],
        denominator=[nan if x is None else x for x in column(_obs_counts)],
        note=column(_obs_notes),
        illustrative=draw(st.booleans()),
    )


@st.composite
def readable_observations(draw: st.DrawFn, max_rows: int = 8) -> Observations:
    """Observations the reader accepts as they are: :func:`observations` made consistent.

    No two rows share an outcome and a period; a numerator comes with a
    positive denominator, and where the unit is a percentage the value is
    their ratio (the reader checks that they agree).
    """
    import numpy as np

    obs = draw(observations(max_rows))
    seen: set[tuple[str, str, str]] = set()
    keep = []
    for key in zip(obs.outcome_id.tolist(), obs.start.tolist(), obs.end.tolist(), strict=True):
        keep.append(key not in seen)
        seen.add(key)
    mask = np.array(keep, dtype=bool)
    num = obs.numerator[mask].copy()
    den = obs.denominator[mask].copy()
    value = obs.value[mask].copy()
    unit = obs.unit[mask]
    lone = np.isnan(num) | np.isnan(den) | (den < 1)
    num[lone] = np.nan
    den[lone] = np.nan
    pct = ~lone & (unit == "%")
    value[pct] = num[pct] / den[pct] * 100
    return Observations.from_columns(
        outcome_id=obs.outcome_id[mask],
        start=obs.start[mask],
        end=obs.end[mask],
        value=value,
        unit=unit,
        numerator=num,
        denominator=den,
        note=obs.note[mask],
        illustrative=obs.illustrative,
    )


@st.composite
def series(draw: st.DrawFn) -> Series:
    """One outcome's series, in one unit."""
    obs = draw(observations())
    ids = obs.outcome_ids()
    if not ids:
        return obs.series("1.1.1", "%")
    oid = draw(st.sampled_from(ids))
    units = {str(u) for u in obs.unit[obs.outcome_id == oid]}
    if len({parse_unit(u).dimensionality for u in units}) > 1:
        # rows in several dimensions cannot be one series: keep the first's rows
        first = str(obs.unit[obs.outcome_id == oid][0])
        keep = (obs.outcome_id != oid) | (obs.unit == first)
        obs = obs.take(keep)
    return obs.series(oid)
