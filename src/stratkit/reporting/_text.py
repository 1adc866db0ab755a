"""One row of plain text per outcome and per roll-up, and the facts of each outcome.

Everything here returns *unescaped* text; each renderer escapes for its own
format (HTML, Markdown, CSV, terminal). Numbers, dates and words are
formatted by :mod:`stratkit.reporting._format`, whose names are re-exported
here for the renderers' convenience.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from stratkit._display import day_text, period_text
from stratkit.reporting._format import (
    ASSURANCE_WORDS,
    DASH,
    RAG_OF,
    READING_GUIDE,
    STATUS_LABELS,
    STATUS_ORDER,
    VARIATION_WORDS,
    as_date,
    fmt_date,
    fmt_number,
    fmt_signed,
    fmt_value,
    icon_words,
    iso_date,
    plain_number,
    quantity_text,
    word,
)

__all__ = [
    "ASSURANCE_WORDS",
    "DASH",
    "RAG_OF",
    "READING_GUIDE",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "VARIATION_WORDS",
    "OutcomeRow",
    "RollupRow",
    "ambiguity_text",
    "as_date",
    "fmt_date",
    "fmt_number",
    "fmt_signed",
    "fmt_value",
    "governance_text",
    "icon_words",
    "iso_date",
    "outcome_facts",
    "outcome_row",
    "outcome_rows",
    "plain_number",
    "provenance",
    "quantity_text",
    "rollup_rows",
    "status_counts",
    "word",
]


def provenance(evaluation: Any) -> str:
    """Where the data came from: the file's ``# source:`` line, or the file's name.

    A path is shortened to its file name, so that a report does not depend on
    the folder it was made in.
    """
    source = getattr(evaluation, "source", None)
    if not source:
        return "no observations"
    text = str(source)
    if text.lower().endswith(".csv") and ("/" in text or "\\" in text):
        text = text.replace("\\", "/").rsplit("/", 1)[-1]
    results = tuple(getattr(evaluation, "results", ()))
    counts = [int(getattr(r, "n_points", 0) or 0) for r in results]
    ends = [d for d in (as_date(getattr(r, "latest_end", None)) for r in results) if d]
    n_values, n_outcomes = sum(counts), sum(1 for c in counts if c)
    if n_values:
        text += (
            f" ({n_values:,} values used for {n_outcomes} outcome"
            f"{'s' if n_outcomes != 1 else ''}; the latest ends {fmt_date(max(ends))})"
            if ends
            else f" ({n_values:,} values used)"
        )
    return text


def _period(start: Any, end: Any) -> str:
    s, e = as_date(start), as_date(end)
    if e is None:
        return ""
    return period_text(s, e) if s is not None else day_text(e)


@attrs.frozen(kw_only=True)
class OutcomeRow:
    """One outcome's result as plain text, ready for any renderer to escape."""

    id: str
    statement: str
    ambition_id: str
    objective_id: str
    owner: str
    status: str
    """The status's value (``on_track``)."""
    status_label: str
    rag: str
    latest: str
    """Latest value with unit and the period it describes: ``14.9 % (Mar 2025)``."""
    target: str
    """The target in words, and the level it resolves to when that adds to the words."""
    gap: str
    trajectory: str
    forecast: str
    forecast_verdict: str
    variation_icon: str
    assurance_icon: str
    freshness: str
    stale: bool
    reason: str
    code: str
    n_points: int
    spc_note: str
    latest_value: str
    target_value: str
    unit: str
    deadline: str


def status_counts(counts: Mapping[Any, int] | None) -> dict[str, int]:
    """Counts keyed by status value, every status present, in :data:`STATUS_ORDER`."""
    plain = {word(k): int(v) for k, v in (counts or {}).items()}
    return {s: plain.get(s, 0) for s in STATUS_ORDER}


def status_label(status: Any) -> str:
    """The status's label (``On track``)."""
    label = getattr(status, "label", None)
    if isinstance(label, str) and label:
        return label
    return STATUS_LABELS.get(word(status), word(status).replace("_", " ").capitalize())


def rag_of(result: Any) -> str:
    """The RAG colour word of a result or status (``green``)."""
    rag = getattr(result, "rag", None)
    if rag is None and hasattr(result, "status"):
        rag = getattr(result.status, "rag", None)
    text = word(rag).lower()
    return text or RAG_OF.get(word(getattr(result, "status", result)), "grey")


def _target_text(result: Any) -> str:
    outcome = result.outcome
    target = getattr(outcome, "target", None)
    unit = getattr(result, "unit", None) or ""
    if target is None:
        return "no target set"
    words = target.describe()
    level = getattr(result, "target_value", None)
    level_text = fmt_value(level, unit)
    if level_text != DASH and level_text not in words and fmt_number(level) not in words:
        words += f" (= {level_text})"
    return str(words)


def _trajectory_text(result: Any, unit: str) -> str:
    expected = getattr(result, "expected", None)
    if expected is None or fmt_number(expected) == DASH:
        return DASH
    text = f"expected {fmt_value(expected, unit)}"
    deviation = getattr(result, "deviation", None)
    if deviation is not None and fmt_number(deviation) != DASH:
        text += f"; {fmt_signed(deviation, unit)} against it"
    return text


def _forecast_text(result: Any, unit: str) -> tuple[str, str]:
    """``unlikely: 85.36 % (77.62 to 93.1) by 31 Mar 2026`` and the verdict word."""
    fc = getattr(result, "forecast", None)
    if fc is None:
        return DASH, ""
    verdict = word(getattr(fc, "verdict", None))
    value = getattr(fc, "value", None)
    low, high = getattr(fc, "low", None), getattr(fc, "high", None)
    text = verdict or "forecast"
    if fmt_number(value) != DASH:
        text += f": {fmt_value(value, unit)}"
        if fmt_number(low) != DASH and fmt_number(high) != DASH:
            text += f" ({fmt_number(low)} to {fmt_number(high)})"
        deadline = fmt_date(getattr(fc, "deadline", None) or getattr(result, "deadline", None))
        if deadline != DASH:
            text += f" by {deadline}"
    return text, verdict


def _freshness_text(result: Any) -> tuple[str, bool]:
    fr = getattr(result, "freshness", None)
    if fr is None:
        return DASH, False
    stale = bool(getattr(fr, "stale", False))
    age = getattr(fr, "age_days", None)
    allowed = getattr(fr, "allowed_days", None)
    latest = fmt_date(getattr(fr, "latest_end", None))
    if latest == DASH:
        return DASH, stale
    text = latest
    if age is not None:
        text += f", {int(age)} days old"
    if stale:
        text = "stale: " + text
        if allowed is not None:
            text += f" (allowed {int(allowed)})"
    return text, stale


def _icon(spc: Any, name: str) -> str:
    if spc is None:
        return ""
    value = getattr(spc, name, None)
    if name in {"variation_icon", "assurance_icon"}:
        available = getattr(spc, "icons_available", True)
        if not available:
            return ""
    return word(value)


def outcome_rows(evaluation: Any) -> tuple[OutcomeRow, ...]:
    """One :class:`OutcomeRow` per result, in strategy order."""
    strategy = evaluation.strategy
    parents: dict[str, tuple[str, str]] = {}
    for ambition in strategy.ambitions:
        for objective in ambition.objectives:
            for outcome in objective.outcomes:
                parents[outcome.id] = (ambition.id, objective.id)
    return tuple(outcome_row(r, *parents.get(r.outcome_id, ("", ""))) for r in evaluation.results)


def outcome_row(r: Any, ambition_id: str = "", objective_id: str = "") -> OutcomeRow:
    """The :class:`OutcomeRow` of one result."""
    outcome = r.outcome
    unit = str(getattr(r, "unit", None) or "")
    latest = fmt_value(getattr(r, "latest_value", None), unit)
    period = _period(getattr(r, "latest_start", None), getattr(r, "latest_end", None))
    if latest != DASH and period:
        latest += f" ({period})"
    forecast, verdict = _forecast_text(r, unit)
    freshness, stale = _freshness_text(r)
    spc = getattr(r, "spc", None)
    return OutcomeRow(
        id=str(r.outcome_id),
        statement=str(outcome.statement),
        ambition_id=ambition_id,
        objective_id=objective_id,
        owner=str(outcome.owner or ""),
        status=word(r.status),
        status_label=status_label(r.status),
        rag=rag_of(r),
        latest=latest,
        target=_target_text(r),
        gap=fmt_signed(getattr(r, "gap", None), unit),
        trajectory=_trajectory_text(r, unit),
        forecast=forecast,
        forecast_verdict=verdict,
        variation_icon=_icon(spc, "variation_icon"),
        assurance_icon=_icon(spc, "assurance_icon"),
        freshness=freshness,
        stale=stale,
        reason=str(getattr(r, "reason", "") or ""),
        code=word(getattr(r, "code", "")),
        n_points=int(getattr(r, "n_points", 0) or 0),
        spc_note=str(getattr(r, "spc_note", "") or ""),
        latest_value=plain_number(getattr(r, "latest_value", None)),
        target_value=plain_number(getattr(r, "target_value", None)),
        unit=unit,
        deadline=iso_date(getattr(r, "deadline", None)),
    )


@attrs.frozen(kw_only=True)
class RollupRow:
    """One roll-up (the strategy, an ambition or enabler, an objective) as plain text."""

    id: str
    title: str
    level: str
    kind: str
    n_outcomes: int
    counts: dict[str, int]
    share_on_track: str
    worst: str
    worst_label: str
    attention: tuple[str, ...]


def rollup_rows(rollups: Iterable[Any], strategy: Any = None) -> tuple[RollupRow, ...]:
    """Plain-text rows for roll-ups, in the order given."""
    kinds: dict[str, str] = {}
    if strategy is not None:
        kinds = {a.id: word(a.kind) for a in strategy.ambitions}
    rows = []
    for ru in rollups:
        share = getattr(ru, "share_on_track", None)
        share_text = (
            DASH if share is None or fmt_number(share) == DASH else (f"{float(share) * 100:.0f}%")
        )
        worst = getattr(ru, "worst", None)
        rows.append(
            RollupRow(
                id=str(ru.id),
                title=str(ru.title),
                level=word(getattr(ru, "level", "")),
                kind=kinds.get(str(ru.id), ""),
                n_outcomes=int(getattr(ru, "n_outcomes", 0) or 0),
                counts=status_counts(getattr(ru, "counts", None)),
                share_on_track=share_text,
                worst="" if worst is None else word(worst),
                worst_label="" if worst is None else status_label(worst),
                attention=tuple(str(a) for a in (getattr(ru, "attention", ()) or ())),
            )
        )
    return tuple(rows)


def outcome_facts(result: Any, row: OutcomeRow) -> list[tuple[str, str]]:
    """The facts of an outcome's section, as ``(label, plain text)`` in reading order.

    The label ``"SPC"`` holds the icons in words; the HTML puts the icons
    themselves beside them.
    """
    outcome = result.outcome
    facts: list[tuple[str, str]] = []
    if row.owner:
        facts.append(("Owner", row.owner))
    if outcome.delivery_year is not None:
        facts.append(("Delivery year", str(outcome.delivery_year)))
    facts += [("Latest", row.latest), ("Target", row.target)]
    target = outcome.target
    if target is not None and target.interim:
        facts.append(
            (
                "Interim targets",
                "; ".join(
                    f"{quantity_text(i.value)} by {fmt_date(i.date)}" for i in target.interim
                ),
            )
        )
    if target is not None and target.baseline is not None:
        b = target.baseline
        parts = [quantity_text(b.value) if b.value is not None else "not known"]
        parts += [p for p in (b.period, fmt_date(b.date) if b.date else None) if p]
        if b.source:
            parts.append(f"source: {b.source}")
        facts.append(("Baseline", "; ".join(parts)))
    if target is not None and target.benchmark is not None:
        bm = target.benchmark
        text = bm.name
        if bm.value is not None:
            text += f" ({quantity_text(bm.value)})"
        if bm.source:
            text += f"; source: {bm.source}"
        facts.append(("Benchmark", text))
    if target is not None and target.milestones:
        items = []
        for ms in target.milestones:
            text = f"{ms.name}: {word(ms.status).replace('_', ' ')}"
            if ms.due is not None:
                text += f", due {fmt_date(ms.due)}"
            if ms.completed is not None:
                text += f", completed {fmt_date(ms.completed)}"
            items.append(text)
        facts.append(("Milestones", "; ".join(items)))
    if row.gap != DASH:
        facts.append(("Gap to target", row.gap))
    if row.trajectory != DASH:
        facts.append(("Trajectory", row.trajectory))
    if row.forecast != DASH:
        facts.append(("Forecast", row.forecast))
    icons = icon_words(row.variation_icon, row.assurance_icon)
    if icons:
        facts.append(("SPC", icons))
    if row.spc_note:
        facts.append(("SPC note", row.spc_note))
    facts.append(("Data as of", row.freshness))
    m = outcome.measure
    if m is None:
        facts.append(("Measure", "none recorded"))
    else:
        facts.append(("Measure", f"{m.name} ({m.unit_text})" if m.unit_text else m.name))
        threshold = quantity_text(m.threshold) if m.threshold is not None else None
        for label, value in (
            ("Definition", m.definition),
            ("Numerator", m.numerator),
            ("Denominator", m.denominator),
            ("Threshold", threshold),
            ("Data source", m.data_source),
            ("Measure code", m.code),
            ("Reported", word(m.frequency).replace("_", " ") if m.frequency else None),
        ):
            if value:
                facts.append((label, value))
    if outcome.source is not None:
        where = outcome.source.document
        if outcome.source.location:
            where += f", {outcome.source.location}"
        facts.append(("Source", where))
    return facts


#: "How to read this report": (term, explanation), shared by HTML and Markdown.
def governance_text(strategy: Any) -> str:
    """Who reviews the strategy: ``Transformation Group (monthly; reports to ...)``."""
    gov = getattr(strategy, "governance", None)
    if gov is None or not gov.forums:
        return ""
    parts = []
    for forum in gov.forums:
        bits = [word(forum.frequency)] if forum.frequency is not None else []
        if forum.reports_to:
            bits.append(f"reports to {forum.reports_to}")
        parts.append(forum.name + (f" ({'; '.join(bits)})" if bits else ""))
    return "; ".join(parts)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def ambiguity_text(ambiguity: Any) -> str:
    """``target.change: +2% of what? Chosen: +2 pp. Alternatives: +2% relative.``"""
    text = (
        f"{ambiguity.about}: {_sentence(ambiguity.question)} Chosen: {_sentence(ambiguity.chosen)}"
    )
    if ambiguity.alternatives:
        text += f" Alternatives: {_sentence('; '.join(ambiguity.alternatives))}"
    return text
