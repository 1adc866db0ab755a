"""The Markdown report: the board pack's content less the charts, for wikis and pull requests.

Text from files is made inert with :func:`md`: HTML special characters are
escaped as ``&lt;`` and ``&gt;`` (most Markdown renderers pass raw HTML
through, and no tag can open without ``<``; ``&`` is left alone, so that an
entity in the text can only ever render as a character), and the characters
that make links, emphasis, code or table cells are backslash-escaped.
"""

from __future__ import annotations

import re
from typing import Any

from stratkit._safe_text import neutralise
from stratkit._version import __version__
from stratkit.reporting import _text
from stratkit.reporting._text import STATUS_LABELS, STATUS_ORDER, RollupRow

__all__ = ["md", "render_markdown"]

_SPECIAL = "\\`*_[]|"


def md(text: Any) -> str:
    """Inert Markdown for one line of text from a file (newlines become spaces).

    Control and bidi characters are shown as escapes (``\\u202e``), and text
    that would start a heading, a list item or a rule (``#``, ``-`` or ``1.``
    then a space; ``---``) has that character escaped, so the text stays text
    wherever it is placed, a list item included.
    """
    if text is None:
        return ""
    s = neutralise(" ".join(str(text).split()), one_line=True)
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    s = "".join(f"\\{c}" if c in _SPECIAL else c for c in s)
    if _BLOCK_START.match(s):
        s = "\\" + s
    elif (start := _ORDERED.match(s)) is not None:
        s = s[: start.end(1)] + "\\" + s[start.end(1) :]
    return s


# What turns the start of a line into a heading, a list item, a rule or a fence.
_BLOCK_START = re.compile(r"#{1,6}(?=\s|$)|[-+](?=\s|$)|[-=~]{3}")
_ORDERED = re.compile(r"([0-9]{1,9})[.)](?=\s|$)")


def _status(label: str, rag: str) -> str:
    return f"{label} ({rag})"


def _table(head: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    align = align or ["l"] * len(head)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _rollups(rows: tuple[RollupRow, ...], first: str) -> str:
    head = [
        first,
        "Title",
        "Outcomes",
        *(STATUS_LABELS[s] for s in STATUS_ORDER),
        "Worst",
        "Needs attention",
    ]
    body = []
    for r in rows:
        title = md(r.title) + (f" ({md(r.kind)})" if r.kind else "")
        worst = _status(r.worst_label, _text.RAG_OF.get(r.worst, "grey")) if r.worst else "–"
        body.append(
            [
                md(r.id),
                title,
                str(r.n_outcomes),
                *(str(r.counts[s]) for s in STATUS_ORDER),
                worst,
                md(", ".join(r.attention)) or "–",
            ]
        )
    return _table(head, body, ["l", "l", "r", *["r"] * len(STATUS_ORDER), "l", "l"])


def render_markdown(evaluation: Any, *, pack: Any = None) -> str:
    """The report of ``evaluation`` as Markdown text (CommonMark with GFM tables).

    ``pack`` (:class:`~stratkit.reporting.pack.PackOptions`) selects a committee's
    outcomes and adds each outcome's latest commentary.
    """
    from stratkit.reporting.pack import select_outcomes

    strategy = evaluation.strategy
    selection = select_outcomes(strategy, pack)
    chosen = set(selection.outcome_ids)
    rows = tuple(r for r in _text.outcome_rows(evaluation) if r.id in chosen)
    org = strategy.organisation
    as_of = _text.fmt_date(getattr(evaluation, "as_of", None))
    out: list[str] = [f"# {md(strategy.title)}", ""]
    org_text = org.name + (f" ({org.code})" if org.code else "")
    out.append(
        f"{md(org_text)} · Strategy period {_text.fmt_date(strategy.period.start)} to "
        f"{_text.fmt_date(strategy.period.end)} · **Data as of {as_of}**"
    )
    out.append("")
    source = _text.provenance(evaluation)
    out.append(f"Data: {md(source)}")
    out.append("")
    governance = _text.governance_text(strategy)
    if governance:
        out += [f"Reviewed by: {md(governance)}", ""]
    if selection.description:
        out += [
            (
                f"**Committee pack:** {md(selection.description)} — {len(rows)} of the "
                f"strategy's {sum(1 for _ in strategy.outcomes())} outcomes."
            ),
            "",
        ]
    if getattr(evaluation, "illustrative", False):
        out += [
            (
                "> **Illustrative data:** the observations in this report are invented for "
                "demonstration. They are not real performance and must not be used to judge it."
            ),
            "",
        ]
    if strategy.mission:
        out += [f"**Mission:** {md(strategy.mission)}", ""]
    if strategy.vision:
        out += [f"**Vision:** {md(strategy.vision)}", ""]
    if strategy.values:
        out += [f"**Values:** {md(', '.join(strategy.values))}", ""]

    overall = getattr(evaluation, "overall", None)
    out += ["## Summary", ""]
    if overall is not None:
        counts = _text.status_counts(getattr(overall, "counts", None))
        if selection.description:
            counts = {s: sum(1 for r in rows if r.status == s) for s in STATUS_ORDER}
        out += [
            _table(
                ["Outcomes", *(STATUS_LABELS[s] for s in STATUS_ORDER)],
                [[str(len(rows)), *(str(counts[s]) for s in STATUS_ORDER)]],
                ["r"] * (1 + len(STATUS_ORDER)),
            ),
            "",
        ]
    out += [
        "## Ambitions and enablers",
        "",
        _rollups(
            _text.rollup_rows(_groups(evaluation, chosen, "ambition"), strategy),
            "Ambition / enabler",
        ),
        "",
    ]
    out += [
        "## Objectives",
        "",
        _rollups(
            _text.rollup_rows(_groups(evaluation, chosen, "objective"), strategy), "Objective"
        ),
        "",
    ]
    out += ["## All outcomes", ""]
    body = []
    for r in rows:
        icons = _text.icon_words(r.variation_icon, r.assurance_icon)
        fresh = r.freshness
        body.append(
            [
                md(r.id),
                md(r.statement),
                _status(r.status_label, r.rag),
                md(r.latest),
                md(r.target),
                md(r.trajectory),
                md(r.forecast),
                md(icons) or "–",
                md(fresh),
            ]
        )
    out += [
        _table(
            [
                "Outcome",
                "Statement",
                "Status",
                "Latest",
                "Target",
                "Trajectory",
                "Forecast",
                "SPC icons",
                "Data as of",
            ],
            body,
        ),
        "",
    ]

    out += ["## Outcomes in detail", ""]
    by_id = {r.outcome_id: r for r in evaluation.results}
    row_of = {row.id: row for row in rows}
    for ambition in strategy.ambitions:
        if not any(o.id in chosen for o in ambition.outcomes()):
            continue
        out += [
            f"### {md(ambition.id)} {md(ambition.title)} ({md(_text.word(ambition.kind))})",
            "",
        ]
        for objective in ambition.objectives:
            if not any(o.id in chosen for o in objective.outcomes):
                continue
            out += [f"#### {md(objective.id)} {md(objective.title)}", ""]
            for outcome in objective.outcomes:
                result = by_id.get(outcome.id)
                if result is None or outcome.id not in chosen:
                    continue
                out += _outcome(result, row_of[outcome.id], _comments(pack, result, evaluation))
    unknown = tuple(getattr(evaluation, "unknown_outcome_ids", ()) or ())
    if unknown:
        out += [
            "## Observations not matched to an outcome",
            "",
            md(", ".join(str(u) for u in unknown)),
            "",
        ]
    out += ["## How to read this report", ""]
    out += [f"- **{term}:** {text}" for term, text in _text.READING_GUIDE]
    out.append("")
    if strategy.sources:
        out += ["## Source documents", ""]
        for s in strategy.sources:
            extra = ", ".join(x for x in (s.publisher, s.date) if x)
            line = f"- {md(s.title)}" + (f" ({md(extra)})" if extra else "")
            if s.url:
                line += f" — {md(s.url)}"
            out.append(line)
        out.append("")
    out.append(
        f"_Made with stratkit {__version__}. Status is always printed in words beside its colour._"
    )
    return "\n".join(out) + "\n"


def _groups(evaluation: Any, chosen: set[str], level: str) -> tuple[Any, ...]:
    if len(chosen) == len(evaluation.results):
        return tuple(evaluation.ambitions() if level == "ambition" else evaluation.objectives())
    from stratkit.reporting._pack_context import selected_rollups

    return selected_rollups(evaluation, chosen, level)


def _comments(pack: Any, result: Any, evaluation: Any) -> list[tuple[str, str]]:
    if pack is None or not pack.commentary.comments:
        return []
    from stratkit.reporting._pack_context import comment_lines

    as_of = _text.as_date(getattr(evaluation, "as_of", None))
    if as_of is None:
        return []
    comment = pack.commentary.latest(result.outcome_id, as_of)
    return comment_lines(comment, _text.as_date(getattr(result, "latest_end", None)))


def _outcome(
    result: Any, row: _text.OutcomeRow, comments: list[tuple[str, str]] | None = None
) -> list[str]:
    outcome = result.outcome
    out = [
        f"##### {md(row.id)} {md(row.statement)}",
        "",
        f"**{_status(row.status_label, row.rag)}.** {md(row.reason)}",
        "",
    ]
    facts = [(label, md(text)) for label, text in _text.outcome_facts(result, row)]
    facts += [(label, md(text)) for label, text in comments or ()]
    out += [f"- **{k}:** {v}" for k, v in facts]
    out.append("")
    if outcome.notes:
        out += ["Notes on interpretation:", ""]
        out += [f"- {md(n)}" for n in outcome.notes]
        out.append("")
    if outcome.ambiguities:
        out += ["Ambiguities:", ""]
        out += [f"- {md(_text.ambiguity_text(a))}" for a in outcome.ambiguities]
        out.append("")
    return out
