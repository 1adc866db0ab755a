"""Evaluation results as a terminal table, CSV and JSON (``stratkit evaluate --format``)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

from stratkit._safe_text import csv_cell
from stratkit.reporting import _text
from stratkit.reporting._text import STATUS_LABELS, STATUS_ORDER

__all__ = ["CSV_COLUMNS", "render_csv", "render_json", "render_table"]

CSV_COLUMNS: tuple[str, ...] = (
    "outcome_id",
    "ambition_id",
    "objective_id",
    "statement",
    "owner",
    "status",
    "rag",
    "code",
    "latest_value",
    "unit",
    "latest",
    "target_value",
    "deadline",
    "target",
    "gap",
    "trajectory",
    "forecast_verdict",
    "forecast",
    "variation_icon",
    "assurance_icon",
    "freshness",
    "stale",
    "n_points",
    "reason",
)


def _plain(text: str) -> str:
    """One line of printable text: control characters (terminal escapes) removed."""
    return "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)


def _cut(text: str, width: int) -> str:
    text = _plain(text)
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


_ANSI = {"green": "32", "amber": "33", "red": "31", "grey": "90"}


def render_table(evaluation: Any, *, width: int = 120, color: bool = False) -> str:
    """A fixed-width text table of every outcome, then the totals.

    With ``color``, the status word is also coloured by its RAG (ANSI codes,
    for a terminal); the word is always there.
    """
    rows = _text.outcome_rows(evaluation)
    cols = [("Outcome", 8), ("Status", 14), ("Latest", 22), ("Target", 28), ("Forecast", 10)]
    fixed = sum(w for _, w in cols) + 2 * len(cols)
    statement_w = max(width - fixed - 2, 20)
    header = (
        "  ".join(name.ljust(w) for name, w in cols[:1])
        + "  "
        + "Statement".ljust(statement_w)
        + "  "
        + "  ".join(name.ljust(w) for name, w in cols[1:])
    )
    lines = [header.rstrip(), "-" * min(len(header), width)]
    for r in rows:
        cells = [
            _cut(r.id, 8).ljust(8),
            _cut(r.statement, statement_w).ljust(statement_w),
            _paint(_cut(r.status_label, 14).ljust(14), r.rag if color else ""),
            _cut(r.latest, 22).ljust(22),
            _cut(r.target, 28).ljust(28),
            _cut(r.forecast_verdict or "–", 10),
        ]
        lines.append("  ".join(cells).rstrip())
    overall = getattr(evaluation, "overall", None)
    counts = _text.status_counts(getattr(overall, "counts", None)) if overall is not None else {}
    if counts:
        totals = ", ".join(
            f"{counts[s]} {STATUS_LABELS[s].lower()}" for s in STATUS_ORDER if counts[s]
        )
        lines += ["", f"{len(rows)} outcomes: {totals}"]
    as_of = _text.fmt_date(getattr(evaluation, "as_of", None))
    lines.append(f"as of {as_of}")
    stale = [r.id for r in rows if r.stale]
    if stale:
        lines.append(
            _plain(f"stale data (older than the reporting frequency allows): {', '.join(stale)}")
        )
    unknown = [str(u) for u in getattr(evaluation, "unknown_outcome_ids", ()) or ()]
    if unknown:
        lines.append(_plain(f"observations for ids not in the strategy: {', '.join(unknown)}"))
    if getattr(evaluation, "illustrative", False):
        lines.append("ILLUSTRATIVE DATA: invented for demonstration, not real performance")
    return "\n".join(lines) + "\n"


def _paint(text: str, rag: str) -> str:
    code = _ANSI.get(rag)
    return f"\x1b[{code}m{text}\x1b[0m" if code else text


def render_csv(evaluation: Any) -> str:
    """One CSV row per outcome, columns :data:`CSV_COLUMNS`, numbers at full precision."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in _text.outcome_rows(evaluation):
        writer.writerow(
            [
                _guard(r.id),
                _guard(r.ambition_id),
                _guard(r.objective_id),
                _guard(r.statement),
                _guard(r.owner),
                _guard(r.status),
                _guard(r.rag),
                _guard(r.code),
                _guard(r.latest_value),
                _guard(r.unit),
                _guard(r.latest),
                _guard(r.target_value),
                _guard(r.deadline),
                _guard(r.target),
                _guard(r.gap),
                _guard(r.trajectory),
                _guard(r.forecast_verdict),
                _guard(r.forecast),
                _guard(r.variation_icon),
                _guard(r.assurance_icon),
                _guard(r.freshness),
                "true" if r.stale else "false",
                _guard(r.n_points),
                _guard(r.reason),
            ]
        )
    return buffer.getvalue()


def _guard(value: Any) -> Any:
    """Defuse spreadsheet formulas (CSV injection) in every text cell; numbers,
    and text that is a plain signed number, are left as they are."""
    return csv_cell(value) if isinstance(value, str) else value


def render_json(evaluation: Any) -> str:
    """The evaluation as JSON: ``Evaluation.to_json()`` when it has one."""
    to_json = getattr(evaluation, "to_json", None)
    if callable(to_json):
        text = str(to_json())
        return text if text.endswith("\n") else text + "\n"
    to_dict = getattr(evaluation, "to_dict", None)
    data = (
        to_dict()
        if callable(to_dict)
        else {
            "as_of": _text.iso_date(getattr(evaluation, "as_of", None)),
            "results": [
                dict(zip(CSV_COLUMNS, row, strict=False))
                for row in csv.reader(io.StringIO(render_csv(evaluation)))
            ][1:],
        }
    )
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"
