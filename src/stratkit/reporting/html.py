"""The HTML board pack: one self-contained, printable, accessible page.

Everything is inline (CSS and SVG); nothing is fetched from the network, and
there is no script. Every piece of text that came from a strategy or an
observations file goes through :func:`esc` (``html.escape`` with quotes); a
link is only made from an ``http`` or ``https`` address. The same evaluation
always gives the same bytes: the only date printed is the as-of date.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from stratkit._version import __version__
from stratkit.reporting import _text
from stratkit.reporting._icons import assurance_svg, variation_svg
from stratkit.reporting._text import STATUS_LABELS, STATUS_ORDER, OutcomeRow, RollupRow
from stratkit.reporting.svg import chart_svg

__all__ = ["esc", "outcome_card", "render_html", "safe_href"]

_CSS = """
@page { size: A4 landscape; margin: 12mm; }
:root { --green: #007f3b; --amber: #b35c00; --red: #d5281b; --grey: #5f6b73;
  --ink: #212b32; --line: #d8dde0; --blue: #005eb8; }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; color: var(--ink); margin: 0 auto;
  max-width: 1280px; padding: 16px 24px; line-height: 1.4; font-size: 14px; }
h1 { font-size: 26px; margin: 0 0 4px; color: var(--blue); }
h2 { font-size: 20px; border-bottom: 2px solid var(--blue); padding-bottom: 2px;
  margin-top: 28px; }
h3 { font-size: 17px; margin-top: 22px; }
h4 { font-size: 15px; margin: 16px 0 4px; }
h5 { font-size: 14px; margin: 0 0 6px; }
.meta { color: var(--grey); margin: 0 0 8px; }
.banner { border: 3px solid var(--amber); background: #fff4e5; padding: 10px 14px;
  margin: 12px 0; font-weight: bold; }
.statements p { margin: 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left;
  vertical-align: top; }
thead th { background: #f0f4f5; }
td.num, th.num { text-align: right; }
.status { display: inline-block; padding: 1px 6px; border-radius: 3px; font-weight: bold;
  white-space: nowrap; border: 1px solid; }
.rag-green { color: var(--green); background: #e6f4ec; border-color: var(--green); }
.rag-amber { color: var(--amber); background: #fff4e5; border-color: var(--amber); }
.rag-red { color: var(--red); background: #fbe9e7; border-color: var(--red); }
.rag-grey { color: var(--grey); background: #f0f4f5; border-color: var(--grey); }
.rag-word { font-weight: normal; font-size: 11px; }
.icons { white-space: nowrap; }
.icons svg { vertical-align: middle; }
.icon-word { display: block; font-size: 10px; color: var(--grey); white-space: normal;
  max-width: 160px; }
.stale { color: var(--red); }
section.outcome { border: 1px solid var(--line); border-left: 6px solid var(--grey);
  padding: 10px 14px; margin: 12px 0; break-inside: avoid; page-break-inside: avoid; }
section.outcome.edge-green { border-left-color: var(--green); }
section.outcome.edge-amber { border-left-color: var(--amber); }
section.outcome.edge-red { border-left-color: var(--red); }
.reason { font-size: 15px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
dt { font-weight: bold; }
dd { margin: 0; }
svg.spc { max-width: 100%; height: auto; }
figure { margin: 6px 0; }
@media (min-width: 1200px) {
  .outcome-body { display: grid; grid-template-columns: minmax(0, 720px) minmax(0, 1fr);
    gap: 0 20px; align-items: start; }
}
.nochart { color: var(--grey); font-style: italic; }
footer { color: var(--grey); margin-top: 24px; font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  .outcome-body { display: grid; grid-template-columns: 55% 45%; gap: 0 12px;
    align-items: start; }
  section.outcome { padding: 6px 10px; margin: 8px 0; }
  nav { display: none; }
}
""".strip()


def esc(text: Any) -> str:
    """Text for HTML: ``html.escape(..., quote=True)``; ``None`` becomes empty."""
    return "" if text is None else escape(str(text), quote=True)


def safe_href(url: Any) -> str | None:
    """An escaped ``href`` for an http(s) address; ``None`` for anything else."""
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if candidate.lower().startswith(("https://", "http://")) and not any(
        c in candidate for c in ('"', "<", ">", "`", " ", "\n", "\r", "\t")
    ):
        return esc(candidate)
    return None


def status_badge(status: str, label: str, rag: str) -> str:
    """The status word with its RAG colour, printed in words as well."""
    rag = rag if rag in ("green", "amber", "red", "grey") else "grey"
    return (
        f'<span class="status rag-{rag}">{esc(label)} '
        f'<span class="rag-word">({esc(rag)})</span></span>'
    )


def _icons_cell(row: OutcomeRow) -> str:
    parts = []
    if row.variation_icon:
        parts.append(variation_svg(row.variation_icon))
    if row.assurance_icon:
        parts.append(assurance_svg(row.assurance_icon))
    words = _text.icon_words(row.variation_icon, row.assurance_icon)
    if not parts and not words:
        return _text.DASH
    return "".join(parts) + (f'<span class="icon-word">{esc(words)}</span>' if words else "")


def _counts_cells(counts: dict[str, int]) -> str:
    return "".join(f'<td class="num">{counts[s]}</td>' for s in STATUS_ORDER)


def _counts_head() -> str:
    return "".join(
        f'<th scope="col" class="num">{esc(STATUS_LABELS[s])}</th>' for s in STATUS_ORDER
    )


def _rollup_table(rows: Iterable[RollupRow], caption: str, first: str) -> str:
    out = [
        (
            f'<table><caption class="meta">{esc(caption)}</caption><thead><tr>'
            f'<th scope="col">{esc(first)}</th><th scope="col">Title</th>'
            f'<th scope="col" class="num">Outcomes</th>{_counts_head()}'
            '<th scope="col">Worst</th><th scope="col">Needs attention</th></tr></thead><tbody>'
        )
    ]
    for r in rows:
        worst = (
            status_badge(r.worst, r.worst_label, _text.RAG_OF.get(r.worst, "grey"))
            if r.worst
            else _text.DASH
        )
        attention = esc(", ".join(r.attention)) if r.attention else _text.DASH
        kind = f" ({esc(r.kind)})" if r.kind else ""
        out.append(
            f'<tr><th scope="row">{esc(r.id)}</th><td>{esc(r.title)}{kind}</td>'
            f'<td class="num">{r.n_outcomes}</td>{_counts_cells(r.counts)}'
            f"<td>{worst}</td><td>{attention}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _outcomes_table(rows: Iterable[OutcomeRow]) -> str:
    out = [
        (
            '<table class="outcomes"><caption class="meta">Every outcome, in strategy order'
            "</caption><thead><tr>"
            '<th scope="col">Outcome</th><th scope="col">Statement</th>'
            '<th scope="col">Status</th><th scope="col">Latest</th>'
            '<th scope="col">Target</th><th scope="col">Trajectory</th>'
            '<th scope="col">Forecast</th><th scope="col">SPC icons</th>'
            '<th scope="col">Data as of</th></tr></thead><tbody>'
        )
    ]
    for r in rows:
        fresh = f'<span class="stale">{esc(r.freshness)}</span>' if r.stale else esc(r.freshness)
        out.append(
            f'<tr><th scope="row"><a href="#outcome-{esc(_anchor(r.id))}">{esc(r.id)}</a></th>'
            f"<td>{esc(r.statement)}</td>"
            f"<td>{status_badge(r.status, r.status_label, r.rag)}</td>"
            f"<td>{esc(r.latest)}</td><td>{esc(r.target)}</td>"
            f"<td>{esc(r.trajectory)}</td><td>{esc(r.forecast)}</td>"
            f'<td class="icons">{_icons_cell(r)}</td><td>{fresh}</td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def _anchor(ident: str) -> str:
    """A fragment id made only of safe characters (the id itself is also escaped)."""
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in ident)


def _dl(items: list[tuple[str, str]]) -> str:
    if not items:
        return ""
    body = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items)
    return f"<dl>{body}</dl>"


def _outcome_section(result: Any, row: OutcomeRow) -> str:
    outcome = result.outcome
    out = [
        (
            f'<section class="outcome edge-{esc(row.rag)}" id="outcome-{esc(_anchor(row.id))}" '
            f'aria-labelledby="h-{esc(_anchor(row.id))}">'
        ),
        f'<h5 id="h-{esc(_anchor(row.id))}">{esc(row.id)} {esc(row.statement)}</h5>',
        (
            f'<p class="reason">{status_badge(row.status, row.status_label, row.rag)} '
            f"{esc(row.reason)}</p>"
        ),
    ]
    chart = chart_svg(result)
    out.append('<div class="outcome-body">')
    if chart is not None:
        out.append(f"<figure>{chart}</figure>")
    elif outcome.measure is not None:
        out.append('<p class="nochart">No observations to chart.</p>')
    facts: list[tuple[str, str]] = []
    for label, text in _text.outcome_facts(result, row):
        if label == "SPC":
            facts.append((label, _icons_cell(row)))
        else:
            facts.append((label, esc(text)))
    out.append(_dl(facts))
    out.append("</div>")
    if outcome.notes:
        out.append("<p><strong>Notes on interpretation</strong></p><ul>")
        out += [f"<li>{esc(n)}</li>" for n in outcome.notes]
        out.append("</ul>")
    if outcome.ambiguities:
        out.append("<p><strong>Ambiguities</strong></p><ul>")
        out += [f"<li>{esc(_text.ambiguity_text(a))}</li>" for a in outcome.ambiguities]
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def outcome_card(result: Any) -> str:
    """One outcome's card (status, reason, chart, facts) as an HTML fragment.

    The same section the board pack draws for the outcome; notebooks show it
    for an ``OutcomeResult`` (its ``_repr_html_``). The result's evaluation,
    when it has one, places the outcome under its ambition and objective.
    """
    evaluation = getattr(result, "evaluation", None)
    if evaluation is None:
        return _outcome_section(result, _text.outcome_row(result))
    ambition, objective = evaluation.strategy.parents(result.outcome_id)
    return _outcome_section(result, _text.outcome_row(result, ambition.id, objective.id))


def _provenance(evaluation: Any) -> str:
    bits = [f"Data: {esc(_text.provenance(evaluation))}"]
    policy = getattr(evaluation, "policy", None)
    if policy is not None and hasattr(policy, "describe"):
        bits.append(esc(policy.describe()))
    return " · ".join(bits)


def _sources(strategy: Any) -> str:
    if not strategy.sources:
        return ""
    items = []
    for s in strategy.sources:
        text = esc(s.title)
        href = safe_href(s.url)
        if href is not None:
            text = f'<a href="{href}" rel="noopener noreferrer">{text}</a>'
        extra = ", ".join(x for x in (s.publisher, s.date) if x)
        if extra:
            text += f" ({esc(extra)})"
        if s.url and href is None:
            text += f" — {esc(s.url)}"
        if s.note:
            text += f". {esc(s.note)}"
        items.append(f"<li>{text}</li>")
    return "<h2>Source documents</h2><ul>" + "".join(items) + "</ul>"


def render_html(evaluation: Any, *, progress: Any = None) -> str:
    """The board pack of ``evaluation`` as one HTML document (a ``str``).

    ``progress`` (optional) is called with no argument after each outcome's
    section is drawn, for a progress bar.
    """
    strategy = evaluation.strategy
    rows = _text.outcome_rows(evaluation)
    org = strategy.organisation
    as_of = _text.fmt_date(getattr(evaluation, "as_of", None))
    period = f"{strategy.period.start.isoformat()} to {strategy.period.end.isoformat()}"
    title = f"{strategy.title} — board report as of {as_of}"
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="stratkit {esc(__version__)}">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
    )
    out = [head, "<header>", f"<h1>{esc(strategy.title)}</h1>"]
    org_text = org.name + (f" ({org.code})" if org.code else "")
    out.append(
        f'<p class="meta">{esc(org_text)} · Strategy period {esc(period)} · '
        f"<strong>Data as of {esc(as_of)}</strong></p>"
    )
    out.append(f'<p class="meta">{_provenance(evaluation)}</p>')
    governance = _text.governance_text(strategy)
    if governance:
        out.append(f'<p class="meta">Reviewed by: {esc(governance)}</p>')
    if getattr(evaluation, "illustrative", False):
        out.append(
            '<div class="banner" role="note">Illustrative data: the observations in '
            "this report are invented for demonstration. They are not real "
            "performance and must not be used to judge it.</div>"
        )
    out.append(
        '</header><nav aria-label="Contents"><p class="meta">Contents: '
        '<a href="#summary">Summary</a> · <a href="#ambitions">Ambitions and enablers</a>'
        ' · <a href="#objectives">Objectives</a> · <a href="#outcomes">All outcomes</a>'
        ' · <a href="#detail">Outcomes in detail</a>'
        ' · <a href="#guide">How to read this report</a></p></nav><main>'
    )
    statements = []
    if strategy.mission:
        statements.append(f"<p><strong>Mission:</strong> {esc(strategy.mission)}</p>")
    if strategy.vision:
        statements.append(f"<p><strong>Vision:</strong> {esc(strategy.vision)}</p>")
    if strategy.values:
        statements.append(f"<p><strong>Values:</strong> {esc(', '.join(strategy.values))}</p>")
    if statements:
        out.append('<div class="statements">' + "".join(statements) + "</div>")

    overall = getattr(evaluation, "overall", None)
    out.append('<h2 id="summary">Summary</h2>')
    if overall is not None:
        counts = _text.status_counts(getattr(overall, "counts", None))
        out.append(
            '<table><caption class="meta">Outcomes by status</caption>'
            f'<thead><tr><th scope="col">Outcomes</th>{_counts_head()}'
            f'</tr></thead><tbody><tr><td class="num">{len(rows)}</td>'
            f"{_counts_cells(counts)}</tr></tbody></table>"
        )
    out.append('<h2 id="ambitions">Ambitions and enablers</h2>')
    out.append(
        _rollup_table(
            _text.rollup_rows(evaluation.ambitions(), strategy),
            "Roll-up per strategic ambition and enabler",
            "Ambition / enabler",
        )
    )
    out.append('<h2 id="objectives">Objectives</h2>')
    out.append(
        _rollup_table(
            _text.rollup_rows(evaluation.objectives(), strategy),
            "Roll-up per objective",
            "Objective",
        )
    )
    out.append('<h2 id="outcomes">All outcomes</h2>')
    out.append(_outcomes_table(rows))

    out.append('<h2 id="detail">Outcomes in detail</h2>')
    by_id = {r.outcome_id: r for r in evaluation.results}
    row_of = {row.id: row for row in rows}
    for ambition in strategy.ambitions:
        kind = _text.word(ambition.kind)
        out.append(
            f"<h3>{esc(ambition.id)} {esc(ambition.title)} "
            f'<span class="meta">({esc(kind)})</span></h3>'
        )
        if ambition.statement:
            out.append(f"<p>{esc(ambition.statement)}</p>")
        for objective in ambition.objectives:
            out.append(f"<h4>{esc(objective.id)} {esc(objective.title)}</h4>")
            if objective.looks_like:
                out.append(
                    "<p><strong>What this will look like</strong></p><ul>"
                    + "".join(f"<li>{esc(t)}</li>" for t in objective.looks_like)
                    + "</ul>"
                )
            for outcome in objective.outcomes:
                result = by_id.get(outcome.id)
                if result is None:
                    continue
                out.append(_outcome_section(result, row_of[outcome.id]))
                if progress is not None:
                    progress()
    unknown = tuple(getattr(evaluation, "unknown_outcome_ids", ()) or ())
    if unknown:
        out.append(
            "<h2>Observations not matched to an outcome</h2><p>"
            + esc(", ".join(str(u) for u in unknown))
            + "</p>"
        )
    guide = "".join(
        f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>" for term, text in _text.READING_GUIDE
    )
    out.append(f'<h2 id="guide">How to read this report</h2><dl>{guide}</dl>')
    out.append(_sources(strategy))
    out.append(
        f"</main><footer><p>Made with stratkit {esc(__version__)} from "
        f"{esc(strategy.title)} and the data as of {esc(as_of)}. Status is always "
        "printed in words beside its colour.</p></footer></body></html>\n"
    )
    return "".join(out)
