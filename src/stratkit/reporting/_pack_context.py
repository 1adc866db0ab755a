"""The board pack as plain data for its templates: the front page, the icon summary,
the roll-ups and one card per outcome.

Everything here is unescaped text, numbers and booleans, except the drawings (charts
and icons), which are :class:`markupsafe.Markup` made by stratkit's own drawing
code. The templates escape everything else (Jinja2 autoescape).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from stratkit._version import __version__
from stratkit.reporting import _text
from stratkit.reporting._axes import month_text, to_date
from stratkit.reporting._icons import assurance_svg, variation_svg
from stratkit.reporting._text import STATUS_LABELS, STATUS_ORDER, OutcomeRow
from stratkit.reporting.pack import PackOptions, Selection, select_outcomes
from stratkit.reporting.svg import chart_notes, chart_svg, rebase_reasons

__all__ = [
    "anchor",
    "card_context",
    "comment_lines",
    "missing_commentary",
    "pack_context",
    "selected_rollups",
]

# Making Data Count's summary matrix: variation (rows) by assurance (columns)
VARIATION_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("improvement", "Special cause improvement", ("improvement_high", "improvement_low")),
    ("neutral", "Special cause, neutral", ("neutral_high", "neutral_low")),
    ("common", "Common cause", ("common_cause",)),
    ("concern", "Special cause concern", ("concern_high", "concern_low")),
)
ASSURANCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("pass", "Will reliably meet the target (P)"),
    ("inconsistent", "Hit and miss (?)"),
    ("fail", "Will reliably miss the target (F)"),
    ("", "No assurance (no target to test)"),
)
SHORT_NAME = 50


def _drawing(svg: str) -> Markup:
    """A chart or icon drawn by stratkit's SVG code, which escapes every text it holds
    (titles, labels, tips): safe to insert as markup."""
    return Markup(svg)  # noqa: S704 - stratkit's own drawing code escapes its text


def anchor(ident: str) -> str:
    """A fragment id made only of safe characters (the id itself is also escaped)."""
    return "outcome-" + "".join(c if c.isalnum() or c in "-._" else "_" for c in ident)


def _short(text: str, most: int = SHORT_NAME) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _name(result: Any) -> str:
    measure = getattr(result.outcome, "measure", None)
    return str(getattr(measure, "name", None) or result.outcome.statement)


def _link(result: Any, row: OutcomeRow) -> dict[str, Any]:
    name = _name(result)
    return {
        "id": row.id,
        "href": "#" + anchor(row.id),
        "name": _short(name),
        "short": _short(name, 34),
        "full_name": name,
        "status": row.status,
        "status_label": row.status_label,
        "rag": row.rag,
    }


def _last(values: Any) -> float | None:
    import numpy as np

    arr = np.asarray(getattr(values, "magnitude", values), dtype=np.float64).reshape(-1)
    finite = arr[np.isfinite(arr)]
    return float(finite[-1]) if finite.size else None


def _owner(strategy: Any, result: Any) -> str:
    owner_of = getattr(strategy, "owner_of", None)
    if callable(owner_of):
        try:
            return str(owner_of(result.outcome_id) or "")
        except (KeyError, ValueError):
            pass
    return str(result.outcome.owner or "")


def _forums(strategy: Any, result: Any) -> str:
    overseeing = getattr(strategy, "forums_overseeing", None)
    if not callable(overseeing):
        return ""
    try:
        return ", ".join(f.name for f in overseeing(result.outcome_id))
    except (KeyError, ValueError):
        return ""


def _comment(comment: Any, latest: dt.date | None) -> dict[str, Any] | None:
    if comment is None:
        return None
    recovery = ""
    if comment.expected_recovery is not None:
        d = comment.expected_recovery
        recovery = month_text(d) if comment.recovery_is_month else _text.fmt_date(d)
    stale = latest is not None and comment.period < latest.replace(day=1)
    return {
        "period": month_text(comment.period),
        "narrative": comment.narrative,
        "actions": list(comment.actions),
        "owner": comment.owner,
        "expected_recovery": recovery,
        "stale": stale,
        "latest_period": month_text(latest) if latest is not None else "",
    }


def comment_lines(comment: Any, latest: dt.date | None) -> list[tuple[str, str]]:
    """A comment as ``(label, text)`` lines, for the text formats."""
    made = _comment(comment, latest)
    if made is None:
        return []
    head = f"Commentary, {made['period']}"
    if made["stale"]:
        head += f" (written before the latest data, {made['latest_period']})"
    lines = [(head, made["narrative"])]
    lines += [("Action", a) for a in made["actions"]]
    if made["owner"]:
        lines.append(("Commentary owner", made["owner"]))
    if made["expected_recovery"]:
        lines.append(("Expected recovery", made["expected_recovery"]))
    return lines


def card_context(
    result: Any, row: OutcomeRow, strategy: Any, options: PackOptions, as_of: Any
) -> dict[str, Any]:
    """One outcome's card: heading, verdict, chart, key facts, commentary, details."""
    outcome = result.outcome
    chart = chart_svg(result)
    key_labels = ("Latest", "Target", "Trajectory", "Forecast", "Data as of")
    key: list[dict[str, str]] = []
    more: list[dict[str, str]] = []
    for label, text in _text.outcome_facts(result, row):
        if label in ("Owner", "SPC"):
            continue
        (key if label in key_labels else more).append({"label": label, "text": text})
    latest = _text.as_date(getattr(result, "latest_end", None))
    when = _text.as_date(as_of) or dt.date.today()
    comment = _comment(options.commentary.latest(row.id, when), latest)
    icons = _drawing(variation_svg(row.variation_icon, 26) + assurance_svg(row.assurance_icon, 26))
    return {
        "id": row.id,
        "anchor": anchor(row.id),
        "statement": row.statement,
        "status": row.status,
        "status_label": row.status_label,
        "rag": row.rag,
        "reason": row.reason,
        "owner": _owner(strategy, result),
        "forums": _forums(strategy, result),
        "chart": _drawing(chart) if chart is not None else None,
        "measured": outcome.measure is not None,
        "key_facts": key,
        "more_facts": more,
        "icons": icons,
        "icon_words": _text.icon_words(row.variation_icon, row.assurance_icon),
        "comment": comment,
        "data_notes": [{"when": month_text(d), "text": t} for d, t in chart_notes(result)],
        "rebases": [
            {"when": month_text(to_date(day)), "text": why}
            for day, why in rebase_reasons(result)
            if why
        ],
        "notes": list(outcome.notes),
        "ambiguities": [_text.ambiguity_text(a) for a in outcome.ambiguities],
    }


def _summary_row(result: Any, row: OutcomeRow) -> dict[str, Any]:
    spc = getattr(result, "spc", None)
    unit = row.unit
    mean = lpl = upl = None
    if spc is not None:
        mean, lpl, upl = _last(spc.mean), _last(spc.lpl), _last(spc.upl)
    return {
        **_link(result, row),
        "latest": row.latest,
        "target": _text.fmt_value(getattr(result, "target_value", None), unit)
        if getattr(result, "target_value", None) is not None
        else _text.DASH,
        "expected": _text.fmt_value(getattr(result, "expected", None), unit),
        "mean": _text.fmt_value(mean, unit),
        "lpl": _text.fmt_value(lpl, unit),
        "upl": _text.fmt_value(upl, unit),
        "variation": _drawing(variation_svg(row.variation_icon, 26)),
        "assurance": _drawing(assurance_svg(row.assurance_icon, 26)),
        "icon_words": _text.icon_words(row.variation_icon, row.assurance_icon),
    }


def _matrix(pairs: list[tuple[Any, OutcomeRow]]) -> dict[str, Any]:
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {}
    no_icons = []
    for result, row in pairs:
        found = next(
            (key for key, _, icons in VARIATION_ROWS if row.variation_icon in icons), None
        )
        if found is None:
            no_icons.append(_link(result, row))
            continue
        cells.setdefault((found, row.assurance_icon or ""), []).append(_link(result, row))
    rows = [
        {
            "key": key,
            "label": label,
            "cells": [cells.get((key, col), []) for col, _ in ASSURANCE_COLUMNS],
        }
        for key, label, _ in VARIATION_ROWS
        if key != "neutral" or any(cells.get((key, c)) for c, _ in ASSURANCE_COLUMNS)
    ]
    return {
        "columns": [label for _, label in ASSURANCE_COLUMNS],
        "rows": rows,
        "no_icons": no_icons,
    }


def selected_rollups(evaluation: Any, chosen: set[str], level: str) -> tuple[Any, ...]:
    """Roll-ups (``level`` ``"ambition"`` or ``"objective"``) of the chosen outcomes only,
    leaving out groups with none of them."""
    from stratkit.evaluation.rollup import rollup

    strategy = evaluation.strategy
    by_id = {r.outcome_id: r for r in evaluation.results}
    groups: Iterable[Any] = strategy.ambitions if level == "ambition" else strategy.objectives()
    made = []
    for g in groups:
        outcomes = g.outcomes() if level == "ambition" else g.outcomes
        results = [by_id[o.id] for o in outcomes if o.id in chosen and o.id in by_id]
        if results:
            kind = g.kind.value if level == "ambition" else "objective"
            made.append(rollup(g.id, g.title, kind, results))
    return tuple(made)


def _rollups(evaluation: Any, chosen: set[str], level: str) -> list[dict[str, Any]]:
    strategy = evaluation.strategy
    made = selected_rollups(evaluation, chosen, level)
    rows = _text.rollup_rows(made, strategy)
    return [
        {
            "id": r.id,
            "title": r.title,
            "kind": r.kind,
            "n": r.n_outcomes,
            "counts": [r.counts[s] for s in STATUS_ORDER],
            "worst": r.worst,
            "worst_label": r.worst_label,
            "worst_rag": _text.RAG_OF.get(r.worst, "grey"),
            "attention": [{"id": a, "href": "#" + anchor(a)} for a in r.attention],
        }
        for r in rows
    ]


def _sources(strategy: Any) -> list[dict[str, Any]]:
    out = []
    for s in strategy.sources:
        extra = ", ".join(x for x in (s.publisher, s.date) if x)
        out.append({"title": s.title, "url": s.url or "", "extra": extra, "note": s.note or ""})
    return out


def missing_commentary(evaluation: Any, options: PackOptions, chosen: set[str]) -> list[str]:
    """The chosen off-track outcomes with no commentary on (or after) the month of their
    latest data, in strategy order; none when the strategy folder has no commentary file."""
    if options.commentary.file is None:  # the trust keeps no commentary file
        return []
    when = _text.as_date(getattr(evaluation, "as_of", None)) or dt.date.today()
    out = []
    for r in evaluation.results:
        if r.outcome_id not in chosen or _text.word(r.status) != "off_track":
            continue
        comment = options.commentary.latest(r.outcome_id, when)
        latest = _text.as_date(getattr(r, "latest_end", None))
        if comment is None or (latest is not None and comment.period < latest.replace(day=1)):
            out.append(r.outcome_id)
    return out


def pack_context(
    evaluation: Any,
    options: PackOptions,
    progress: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Everything the templates show, as plain data."""
    strategy = evaluation.strategy
    selection: Selection = select_outcomes(strategy, options)
    chosen = set(selection.outcome_ids)
    rows = {row.id: row for row in _text.outcome_rows(evaluation)}
    results = [r for r in evaluation.results if r.outcome_id in chosen]
    pairs = [(r, rows[r.outcome_id]) for r in results]
    as_of = getattr(evaluation, "as_of", None)
    org = strategy.organisation
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for _, row in pairs:
        counts[row.status] = counts.get(row.status, 0) + 1
    attention = [_link(r, row) for r, row in pairs if row.status == "off_track"]
    attention += [_link(r, row) for r, row in pairs if row.status == "at_risk"]
    missing_ids = set(missing_commentary(evaluation, options, chosen))
    missing = [_link(r, row) for r, row in pairs if row.id in missing_ids]
    unknown_commentary = sorted(
        options.commentary.outcome_ids() - {o.id for o in strategy.outcomes()}
    )

    sections = []
    for ambition in strategy.ambitions:
        objectives = []
        for objective in ambition.objectives:
            cards = []
            for outcome in objective.outcomes:
                if outcome.id not in chosen:
                    continue
                result = evaluation[outcome.id]
                cards.append(card_context(result, rows[outcome.id], strategy, options, as_of))
                if progress is not None:
                    progress()
            if cards:
                objectives.append(
                    {
                        "id": objective.id,
                        "title": objective.title,
                        "looks_like": list(objective.looks_like),
                        "cards": cards,
                    }
                )
        if objectives:
            sections.append(
                {
                    "id": ambition.id,
                    "title": ambition.title,
                    "kind": _text.word(ambition.kind),
                    "statement": ambition.statement or "",
                    "objectives": objectives,
                }
            )
    period = f"{_text.fmt_date(strategy.period.start)} to {_text.fmt_date(strategy.period.end)}"
    policy = getattr(evaluation, "policy", None)
    branding = options.branding
    return {
        "version": __version__,
        "title": strategy.title,
        "trust": branding.name or org.name,
        "org": org.name + (f" ({org.code})" if org.code else ""),
        "period": period,
        "as_of": _text.fmt_date(as_of),
        "provenance": _text.provenance(evaluation),
        "policy": policy.describe() if policy is not None and hasattr(policy, "describe") else "",
        "governance": _text.governance_text(strategy),
        "illustrative": bool(getattr(evaluation, "illustrative", False)),
        "selection": selection.description,
        "n_outcomes": len(pairs),
        "n_all": len(rows),
        "logo": branding.logo_data_uri,
        "primary": branding.primary,
        "accent": branding.accent,
        "mission": strategy.mission or "",
        "vision": strategy.vision or "",
        "values": list(strategy.values),
        "status_columns": [
            {"key": s, "label": STATUS_LABELS[s], "rag": _text.RAG_OF[s]} for s in STATUS_ORDER
        ],
        "counts": [counts[s] for s in STATUS_ORDER],
        "matrix": _matrix(pairs),
        "attention": attention,
        "missing_commentary": missing,
        "unknown_commentary": unknown_commentary,
        "summary": [_summary_row(r, row) for r, row in pairs],
        "ambitions": _rollups(evaluation, chosen, "ambition"),
        "objectives": _rollups(evaluation, chosen, "objective"),
        "sections": sections,
        "unknown": [str(u) for u in (getattr(evaluation, "unknown_outcome_ids", ()) or ())],
        "guide": [{"term": t, "text": x} for t, x in _text.READING_GUIDE],
        "sources": _sources(strategy),
    }
