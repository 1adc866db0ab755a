"""Compact HTML summaries for Jupyter (``Strategy._repr_html_``, ``Evaluation._repr_html_``).

Small tables only, with every piece of text escaped; no CSS beyond a few
inline styles, so that they sit well in any notebook theme.
"""

from __future__ import annotations

from typing import Any

from stratkit.reporting import _text
from stratkit.reporting._text import STATUS_LABELS, STATUS_ORDER
from stratkit.reporting.html import esc

__all__ = ["evaluation_html", "result_html", "spc_html", "strategy_html"]


def result_html(result: Any) -> str:
    """One outcome's card with its chart, as the HTML report draws it (``OutcomeResult``)."""
    from stratkit.reporting.html import card_css, outcome_card

    return f'<div class="stratkit-card"><style>{card_css()}</style>{outcome_card(result)}</div>'


def spc_html(spc: Any) -> str:
    """An ``SPCResult``'s chart (an inline SVG), or a line saying there is nothing to draw."""
    from stratkit.reporting.svg import chart_svg

    return chart_svg(spc) or "<p>No points to chart.</p>"


_RAG_STYLE = {
    "green": "color:#007f3b",
    "amber": "color:#b35c00",
    "red": "color:#d5281b",
    "grey": "color:#5f6b73",
}


def strategy_html(strategy: Any) -> str:
    """A strategy in brief: who, when, and a row per ambition or enabler."""
    org = strategy.organisation
    head = (
        f"<p><strong>{esc(strategy.title)}</strong><br>{esc(org.name)}"
        f"{esc(f' ({org.code})') if org.code else ''} · "
        f"{_text.fmt_date(strategy.period.start)} to {_text.fmt_date(strategy.period.end)}</p>"
    )
    rows = []
    total_o = total_m = 0
    for a in strategy.ambitions:
        outcomes = list(a.outcomes())
        measured = sum(1 for o in outcomes if o.measure is not None)
        total_o += len(outcomes)
        total_m += measured
        rows.append(
            f'<tr><th scope="row">{esc(a.id)}</th><td>{esc(a.title)}</td>'
            f"<td>{esc(_text.word(a.kind))}</td><td>{len(a.objectives)}</td>"
            f"<td>{len(outcomes)}</td><td>{measured}</td></tr>"
        )
    table = (
        '<table><thead><tr><th scope="col">Id</th><th scope="col">Title</th>'
        '<th scope="col">Kind</th><th scope="col">Objectives</th>'
        '<th scope="col">Outcomes</th><th scope="col">With a measure</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody><tfoot><tr><th scope="row" colspan="4">'
        f"Total</th><td>{total_o}</td><td>{total_m}</td></tr></tfoot></table>"
    )
    return f'<div class="stratkit-strategy">{head}{table}</div>'


def evaluation_html(evaluation: Any) -> str:
    """An evaluation in brief: the counts by status, then a row per outcome."""
    strategy = evaluation.strategy
    as_of = _text.fmt_date(getattr(evaluation, "as_of", None))
    head = f"<p><strong>{esc(strategy.title)}</strong> · data as of {esc(as_of)}"
    if getattr(evaluation, "illustrative", False):
        head += ' · <strong style="color:#b35c00">illustrative data</strong>'
    head += "</p>"
    overall = getattr(evaluation, "overall", None)
    summary = ""
    if overall is not None:
        counts = _text.status_counts(getattr(overall, "counts", None))
        summary = (
            "<p>"
            + " · ".join(f"{esc(STATUS_LABELS[s])}: {counts[s]}" for s in STATUS_ORDER)
            + "</p>"
        )
    rows = []
    for r in _text.outcome_rows(evaluation):
        style = _RAG_STYLE.get(r.rag, _RAG_STYLE["grey"])
        rows.append(
            f'<tr><th scope="row">{esc(r.id)}</th><td>{esc(r.statement)}</td>'
            f'<td style="{style};font-weight:bold">{esc(r.status_label)}</td>'
            f"<td>{esc(r.latest)}</td><td>{esc(r.target)}</td>"
            f"<td>{esc(r.reason)}</td></tr>"
        )
    table = (
        '<table><thead><tr><th scope="col">Outcome</th><th scope="col">Statement</th>'
        '<th scope="col">Status</th><th scope="col">Latest</th>'
        '<th scope="col">Target</th><th scope="col">Why</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return f'<div class="stratkit-evaluation">{head}{summary}{table}</div>'
