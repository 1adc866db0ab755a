"""The portfolio pack: one standard across many organisations, as one printable HTML page.

For each outcome: the chart of the total (England, for a national
portfolio) and the aggregates' standing, the entities' statuses, the Making
Data Count matrix (variation × assurance, the entities in each cell), the
league table, and a small SPC chart per entity (compact, printable, in
league order). Like the board pack it is self-contained (inline CSS and SVG,
no script), escapes every text from the inputs, and gives the same bytes for
the same evaluation.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from stratkit._display import day_text
from stratkit._files import write_atomically
from stratkit._version import __version__
from stratkit.portfolio._evaluation import PortfolioEvaluation
from stratkit.portfolio._tables import LeagueRow, portfolio_rollup
from stratkit.reporting.html import esc
from stratkit.reporting.svg import chart_svg
from stratkit.spc.icons import (
    ASSURANCE_ICONS,
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    VARIATION_ICONS,
    assurance_icon_svg,
    variation_icon_svg,
)

__all__ = ["render_pack", "write_pack"]

_CSS = """
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; color: #212b32; margin: 0 auto;
  max-width: 1280px; padding: 16px 24px; line-height: 1.35; font-size: 13px; }
h1 { font-size: 24px; margin: 0 0 4px; color: #005eb8; }
h2 { font-size: 19px; border-bottom: 2px solid #005eb8; margin-top: 26px; }
h3 { font-size: 16px; margin-top: 18px; }
.meta { color: #5f6b73; margin: 0 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; }
th, td { border: 1px solid #d8dde0; padding: 3px 5px; text-align: left; vertical-align: top; }
thead th { background: #f0f4f5; }
td.num, th.num { text-align: right; }
.status { display: inline-block; padding: 0 5px; border-radius: 3px; font-weight: bold;
  white-space: nowrap; border: 1px solid; }
.rag-green { color: #007f3b; background: #e6f4ec; border-color: #007f3b; }
.rag-amber { color: #b35c00; background: #fff4e5; border-color: #b35c00; }
.rag-red { color: #d5281b; background: #fbe9e7; border-color: #d5281b; }
.rag-grey { color: #5f6b73; background: #f0f4f5; border-color: #5f6b73; }
.rag-word { font-weight: normal; font-size: 10px; }
.matrix td { font-size: 11px; }
.matrix .n { font-weight: bold; font-size: 13px; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
  gap: 6px; }
.multiple { border: 1px solid #d8dde0; padding: 3px 4px; break-inside: avoid;
  page-break-inside: avoid; }
.multiple p { margin: 0; font-size: 11px; }
.multiple svg { display: block; width: 100%; height: auto; }
svg.spc { max-width: 100%; height: auto; }
footer { color: #5f6b73; margin-top: 20px; font-size: 11px; }
@media print {
  body { max-width: none; padding: 0; font-size: 10px; }
  .multiples { grid-template-columns: repeat(5, 1fr); }
  section.outcome + section.outcome { break-before: page; }
  tr { break-inside: avoid; }
}
""".strip()

_STATUS_WORDS = {
    "achieved": ("Achieved", "green"),
    "on_track": ("On track", "green"),
    "at_risk": ("At risk", "amber"),
    "off_track": ("Off track", "red"),
    "no_data": ("No data", "grey"),
    "not_measurable": ("Not measurable", "grey"),
}
_POINT_COLOURS = {
    "special_cause_improvement": BLUE,
    "special_cause_concern": ORANGE,
    "special_cause_neutral_high": PURPLE,
    "special_cause_neutral_low": PURPLE,
}


def _fmt(x: float | None, unit: str = "", signed: bool = False) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    if signed:
        x = 0.0 if round(x, 1) == 0 else x  # no "-0.0"
        return f"{x:+.1f} {'pp' if unit == '%' else unit}".strip()
    return f"{x:.1f} {unit}".strip()


def _badge(status: Any) -> str:
    """The status in words with its RAG colour (the colour is also written out)."""
    label, rag = _STATUS_WORDS.get(str(status.value), (str(status.value), "grey"))
    return (
        f'<span class="status rag-{rag}">{esc(label)} '
        f'<span class="rag-word">({esc(rag)})</span></span>'
    )


def _symbols() -> str:
    """Every icon once, as SVG symbols the tables and charts refer to (a small page)."""
    parts = []
    for kind, names, draw in (
        ("v", VARIATION_ICONS, variation_icon_svg),
        ("a", ASSURANCE_ICONS, assurance_icon_svg),
    ):
        for name in names:
            svg = draw(name, size=100)
            inner = svg[svg.index(">") + 1 : svg.rindex("</svg>")]
            parts.append(f'<symbol id="sk-{kind}-{name}" viewBox="0 0 100 100">{inner}</symbol>')
    return f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{"".join(parts)}</svg>'


def _use(kind: str, name: str, size: int) -> str:
    words = VARIATION_ICONS[name][2] if kind == "v" else ASSURANCE_ICONS[name][2]
    return (
        f'<svg width="{size}" height="{size}" role="img" aria-label="{esc(words)}">'
        f'<title>{esc(words)}</title><use href="#sk-{kind}-{name}"/></svg>'
    )


def _icons(row: LeagueRow, size: int = 22) -> str:
    parts = []
    if row.variation_icon is not None and row.variation_icon in VARIATION_ICONS:
        parts.append(_use("v", row.variation_icon, size))
    if row.assurance_icon is not None and row.assurance_icon in ASSURANCE_ICONS:
        parts.append(_use("a", row.assurance_icon, size))
    return "".join(parts) or "–"


def small_chart(spc: Any, *, target: float | None, width: int = 200, height: int = 70) -> str:
    """A compact SPC chart: points, mean, process limits and target, special causes coloured."""
    x = np.asarray(spc.dates, dtype="datetime64[D]").astype(np.int64).astype(float)
    y = np.asarray(spc.values, dtype=float)
    lines = [np.asarray(a, dtype=float) for a in (spc.mean, spc.lpl, spc.upl)]
    finite = [a[np.isfinite(a)] for a in (y, *lines)]
    vals = np.concatenate([*finite, [target] if target is not None else []])
    if vals.size == 0 or x.size == 0:
        return ""
    lo, hi = float(vals.min()), float(vals.max())
    if hi <= lo:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.06
    lo, hi = lo - pad, hi + pad
    x0, x1 = float(x.min()), float(x.max())
    span = x1 - x0 or 1.0

    def px(v: float) -> float:
        return 2 + (v - x0) / span * (width - 4)

    def py(v: float) -> float:
        return height - 2 - (v - lo) / (hi - lo) * (height - 4)

    def path(xs: Any, ys: Any) -> str:
        return " ".join(
            f"{px(a):.1f},{py(b):.1f}"
            for a, b in zip(xs.tolist(), ys.tolist(), strict=True)
            if math.isfinite(b)
        )

    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="SPC chart">'
        )
    ]
    if target is not None and math.isfinite(target):
        out.append(
            f'<line x1="2" x2="{width - 2}" y1="{py(target):.1f}" y2="{py(target):.1f}" '
            'stroke="#d5281b" stroke-width="1" stroke-dasharray="4 2"/>'
        )
    mean, lpl, upl = lines
    for arr, dash in ((lpl, "2 2"), (upl, "2 2"), (mean, "")):
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        # a flat stretch needs only its two ends
        bend = np.ones(arr.shape, dtype=bool)
        bend[1:-1] = (arr[1:-1] != arr[:-2]) | (arr[1:-1] != arr[2:])
        out.append(
            f'<polyline fill="none" stroke="{GREY}" stroke-width="1"{extra} '
            f'points="{path(x[bend], arr[bend])}"/>'
        )
    out.append(
        f'<polyline fill="none" stroke="#425563" stroke-width="1.2" points="{path(x, y)}"/>'
    )
    for a, b, t in zip(x.tolist(), y.tolist(), [str(t) for t in spc.point_type], strict=True):
        colour = _POINT_COLOURS.get(t)
        if colour and math.isfinite(b):
            out.append(f'<circle cx="{px(a):.1f}" cy="{py(b):.1f}" r="2" fill="{colour}"/>')
    out.append("</svg>")
    return "".join(out)


def _matrix(rows: Sequence[LeagueRow]) -> str:
    variations = [*VARIATION_ICONS, None]
    assurances = [*ASSURANCE_ICONS, None]
    cells: dict[tuple[str | None, str | None], list[str]] = {}
    for r in rows:
        cells.setdefault((r.variation_icon, r.assurance_icon), []).append(r.entity.label)
    head = "".join(
        f'<th scope="col">{_use("a", a, 20) + " " + esc(a) if a else "no icon"}</th>'
        for a in assurances
    )
    body = []
    for v in variations:
        if not any((v, a) in cells for a in assurances):
            continue
        label = _use("v", v, 20) + " " + esc(v.replace("_", " ")) if v else "no chart"
        tds = []
        for a in assurances:
            names = sorted(cells.get((v, a), []))
            tds.append(
                f'<td><span class="n">{len(names)}</span> {esc(", ".join(names))}</td>'
                if names
                else "<td></td>"
            )
        body.append(f'<tr><th scope="row">{label}</th>{"".join(tds)}</tr>')
    return (
        '<table class="matrix"><caption class="meta">Making Data Count matrix: each entity '
        "by the variation of its chart (rows) and whether it meets the target (columns)"
        f'</caption><thead><tr><th scope="col">Variation</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _league(rows: Sequence[LeagueRow]) -> str:
    have = [r for r in rows if r.rank is not None]
    none = [r for r in rows if r.rank is None]
    # name, region and parent columns only when the lookup gives them
    extra = [
        (label, field)
        for label, field in (("Name", "name"), ("Region", "region"), ("Parent", "parent"))
        if any(getattr(r.entity, field) for r in rows)
    ]
    head = "".join(f'<th scope="col">{label}</th>' for label, _ in extra)
    body = "".join(
        f'<tr><td class="num">{r.rank}</td><td>{esc(r.entity.code)}</td>'
        + "".join(f"<td>{esc(getattr(r.entity, field))}</td>" for _, field in extra)
        + f"<td>{_badge(r.status)}</td><td>{_icons(r)}</td>"
        f'<td class="num">{esc(_fmt(r.latest_value, r.unit))}</td>'
        f'<td class="num">{esc(_fmt(r.gap, r.unit, signed=True))}</td></tr>'
        for r in have
    )
    out = (
        '<table><caption class="meta">League table, best first by the measure\'s direction'
        '</caption><thead><tr><th scope="col" class="num">Rank</th><th scope="col">Code</th>'
        f'{head}<th scope="col">Status</th><th scope="col">SPC</th>'
        '<th scope="col" class="num">Latest</th><th scope="col" class="num">Gap</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
    )
    if none:
        out += (
            f"<p><strong>No data ({len(none)}):</strong> "
            + esc(", ".join(r.entity.label for r in none))
            + "</p>"
        )
    return out


class _Chart:
    """What :func:`chart_svg` reads from an outcome result."""

    def __init__(self, outcome_id: str, spc: Any, target: float | None, unit: str) -> None:
        self.outcome_id = outcome_id
        self.spc = spc
        self.series = None
        self.target_value = target
        self.trajectory = None
        self.unit = unit


def render_pack(portfolio: PortfolioEvaluation, *, entities: Sequence[str] | None = None) -> str:
    """The portfolio pack as one HTML document.

    ``entities`` limits the league tables, matrices and small multiples to
    those codes (the aggregates are always shown); unknown codes raise
    ``KeyError``.
    """
    strategy = portfolio.strategy
    chosen = list(portfolio.codes) if entities is None else list(entities)
    for c in chosen:
        portfolio.entity(c)  # raises KeyError for an unknown code
    keep = set(chosen)
    as_of = day_text(portfolio.as_of)
    title = f"{strategy.title} — portfolio pack as of {as_of}"
    out = [
        (
            "<!DOCTYPE html>\n"
            '<html lang="en-GB"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="stratkit {esc(__version__)}">'
            f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>{_symbols()}<header>"
            f"<h1>{esc(strategy.title)}</h1>"
            f'<p class="meta">Portfolio of {len(chosen)} of {len(portfolio)} entities '
            f"(by {esc(portfolio.by)}) · <strong>Data as of {esc(as_of)}</strong></p>"
        )
    ]
    if portfolio.source:
        out.append(f'<p class="meta">Source: {esc(portfolio.source)}</p>')
    if portfolio.illustrative:
        out.append(
            '<p class="meta"><strong>Illustrative data: invented for demonstration, '
            "not real performance.</strong></p>"
        )
    out.append("</header><main>")
    for o in strategy.outcomes():
        league = [r for r in portfolio.league(o.id) if r.entity.code in keep]
        unit = o.measure.unit_text if o.measure is not None else ""
        out.append(f'<section class="outcome"><h2>{esc(o.id)} {esc(o.statement)}</h2>')
        if o.target is not None:
            out.append(f'<p class="meta">Target: {esc(o.target.describe())}</p>')
        for agg in portfolio.aggregates:
            row = portfolio.standing(agg.code, o.id)
            result = portfolio[agg.code][o.id]
            chart = portfolio.spc(agg.code, o.id)
            out.append(
                f"<h3>{esc(agg.label)} ({esc(agg.level)})</h3>"
                f"<p>{_badge(row.status)} {_icons(row)} {esc(result.reason)}</p>"
            )
            if chart is not None and agg.level == "total":
                svg = chart_svg(_Chart(o.id, chart, row.target_value, unit))
                out.append(f"<figure>{svg or ''}</figure>")
        roll = portfolio_rollup(o.id, o.statement, league)  # the entities shown
        counts = ", ".join(
            f"{_STATUS_WORDS[s.value][0].lower()} {n}" for s, n in roll.counts.items() if n
        )
        out.append(f"<h3>Across the entities</h3><p>{esc(counts)}.</p>")
        out.append(_matrix([r for r in league if r.rank is not None]))
        out.append(_league(league))
        out.append('<h3>Each entity\'s chart</h3><div class="multiples">')
        for r in league:
            if r.rank is None:
                continue
            spc = portfolio.spc(r.entity.code, o.id)
            chart = "" if spc is None else small_chart(spc, target=r.target_value)
            out.append(
                f'<div class="multiple"><p><strong>{r.rank}. {esc(r.entity.label)}</strong> '
                f"{esc(_fmt(r.latest_value, r.unit))} {_icons(r, size=16)}</p>"
                f"{chart or '<p class=meta>too few points for SPC</p>'}</div>"
            )
        out.append("</div></section>")
    out.append(
        f"</main><footer><p>Made with stratkit {esc(__version__)}. Aggregates of rates are "
        "the sum of the numerators over the sum of the denominators, never an average of "
        "rates. Status is printed in words beside its colour.</p></footer></body></html>\n"
    )
    return "".join(out)


def write_pack(
    portfolio: PortfolioEvaluation,
    path: str | os.PathLike[str],
    *,
    entities: Sequence[str] | None = None,
) -> Path:
    """Write :func:`render_pack` to ``path`` atomically and return the path."""
    p = Path(path)
    write_atomically(p, render_pack(portfolio, entities=entities))
    return p
