"""Evaluation results as a terminal table, CSV and JSON (``stratkit evaluate --format``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from typing import Any

from stratkit._safe_text import csv_cell
from stratkit.reporting import _text
from stratkit.reporting._text import STATUS_LABELS, STATUS_ORDER

__all__ = ["CSV_COLUMNS", "render_csv", "render_json", "render_table", "result_table"]

CSV_COLUMNS: tuple[str, ...] = (
    "outcome_id",
    "ambition_id",
    "objective_id",
    "statement",
    "owner",
    "status",
    "status_text",
    "rag",
    "code",
    "unit",
    "latest_value",
    "latest_start",
    "latest_end",
    "latest_note",
    "latest_text",
    "target_value",
    "baseline_value",
    "deadline",
    "target_text",
    "gap",
    "gap_text",
    "progress",
    "expected",
    "deviation",
    "tolerance",
    "trajectory_text",
    "forecast",
    "forecast_low",
    "forecast_high",
    "forecast_verdict",
    "forecast_text",
    "spc_mean",
    "spc_lpl",
    "spc_upl",
    "variation_icon",
    "assurance_icon",
    "spc_text",
    "spc_note",
    "age_days",
    "allowed_days",
    "stale",
    "freshness_text",
    "n_points",
    "reason",
    "commentary_period",
    "commentary",
    "commentary_actions",
    "commentary_owner",
    "expected_recovery",
)
"""The columns of the CSV (and of the Excel ``results`` sheet). A column holds
numbers (``latest_value``, ``gap``, ``spc_mean``, ``age_days``, ...), ISO dates
(``latest_end``, ``deadline``), ``true``/``false`` (``stale``), codes
(``status``, ``variation_icon``) or text; the report's words for a number are
in a separate ``*_text`` column (``gap_text``: ``"-5.5 pp"``). ``latest_note``
is the observations file's note on the latest value, if it has one. The
``commentary*`` columns and ``expected_recovery`` hold the outcome's latest
commentary (``commentary.yaml``, see :mod:`stratkit.reporting.commentary`) when
one is given: its month (``YYYY-MM``), narrative, actions (joined by ``; ``),
owner and expected recovery (``YYYY-MM`` or ``YYYY-MM-DD`` as written)."""


def commentary_cells(comment: Any) -> dict[str, Any]:
    """An outcome's commentary as the export's cells (all empty without one)."""
    if comment is None:
        return dict.fromkeys(_COMMENTARY_COLUMNS)
    recovery = comment.expected_recovery
    if recovery is not None:
        recovery = recovery.strftime("%Y-%m") if comment.recovery_is_month else recovery
    return {
        "commentary_period": comment.period.strftime("%Y-%m"),
        "commentary": comment.narrative,
        "commentary_actions": "; ".join(comment.actions) or None,
        "commentary_owner": comment.owner or None,
        "expected_recovery": recovery,
    }


_COMMENTARY_COLUMNS = (
    "commentary_period",
    "commentary",
    "commentary_actions",
    "commentary_owner",
    "expected_recovery",
)


def _latest_comment(commentary: Any, outcome_id: str, as_of: Any) -> Any:
    if commentary is None or not commentary.comments:
        return None
    when = _text.as_date(as_of) or dt.date.today()
    return commentary.latest(outcome_id, when)


def result_table(evaluation: Any, commentary: Any = None) -> list[list[Any]]:
    """One row of typed cells per outcome, in :data:`CSV_COLUMNS` order.

    Cells are ``None``, numbers, dates, booleans or text: the CSV and Excel
    writers each turn them into their own cells. ``commentary`` is a
    :class:`~stratkit.reporting.commentary.Commentary` (a pack's), if any.
    """
    from stratkit.evaluation._export import result_records

    texts = {r.id: r for r in _text.outcome_rows(evaluation)}
    table = []
    for record in result_records(evaluation.results, evaluation.strategy):
        row = texts[record["outcome_id"]]
        cells = (
            record
            | {
                "status_text": row.status_label,
                "latest_text": _blank(row.latest),
                "target_text": row.target,
                "gap_text": _blank(row.gap),
                "trajectory_text": _blank(row.trajectory),
                "forecast_text": _blank(row.forecast),
                "spc_text": _text.icon_words(row.variation_icon, row.assurance_icon),
                "freshness_text": _blank(row.freshness),
            }
            | commentary_cells(
                _latest_comment(
                    commentary, record["outcome_id"], getattr(evaluation, "as_of", None)
                )
            )
        )
        table.append([cells[c] for c in CSV_COLUMNS])
    return table


def _blank(text: str) -> str:
    """The report's dash for "nothing" is an empty cell in a table."""
    return "" if text == _text.DASH else text


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


def render_csv(evaluation: Any, commentary: Any = None) -> str:
    """One CSV row per outcome, columns :data:`CSV_COLUMNS`.

    Numbers at full precision (``repr``), dates as ``YYYY-MM-DD``, booleans
    as ``true``/``false``, nothing as an empty cell; every text cell passes
    through the spreadsheet-formula guard.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in result_table(evaluation, commentary):
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    """One value as CSV text: the one place CSV cells are made. Text goes through
    the spreadsheet-formula guard (:func:`stratkit._safe_text.csv_cell`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_cell(str(value))


def render_json(evaluation: Any, commentary: Any = None) -> str:
    """The evaluation as JSON: ``Evaluation.to_json()`` when it has one.

    With ``commentary`` (a pack's), each result that has a comment also gets
    a ``commentary`` object: the columns of :func:`commentary_cells`.
    """
    to_json = getattr(evaluation, "to_json", None)
    if callable(to_json):
        text = str(to_json())
        if commentary is not None and commentary.comments:
            data = json.loads(text)
            for result in data.get("results", []):
                comment = _latest_comment(commentary, result["outcome_id"], evaluation.as_of)
                if comment is not None:
                    cells = commentary_cells(comment)
                    if isinstance(cells["expected_recovery"], dt.date):
                        cells["expected_recovery"] = cells["expected_recovery"].isoformat()
                    result["commentary"] = cells
            text = json.dumps(data, indent=2, ensure_ascii=False)
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
