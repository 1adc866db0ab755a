"""A portfolio evaluation as text: a table for people, CSV and JSON for programs."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from stratkit.portfolio._evaluation import PortfolioEvaluation
from stratkit.portfolio._tables import LeagueRow

__all__ = ["render_portfolio"]

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def _value(x: float | None, unit: str, signed: bool = False) -> str:
    if x is None or not math.isfinite(x):
        return "-"
    if signed:
        x = 0.0 if round(x, 1) == 0 else x
        return f"{x:+.1f} {'pp' if unit == '%' else unit}".strip()
    return f"{x:.1f} {unit}".strip()


def _line(r: LeagueRow, width: int) -> str:
    rank = "" if r.rank is None else str(r.rank)
    who = r.entity.code + (f" {r.entity.name}" if r.entity.name else "")
    icons = " / ".join(x for x in (r.variation_icon, r.assurance_icon) if x) or "-"
    text = (
        f"{rank:>4} {who[:34]:<34} {r.status.label:<14} "
        f"{_value(r.latest_value, r.unit):>9} {_value(r.gap, r.unit, True):>10}  {icons}"
    )
    return text[:width]


def render_portfolio(
    portfolio: PortfolioEvaluation, *, format: str = "table", width: int = 120
) -> str:
    """The portfolio as ``"table"`` (text), ``"csv"`` (a row per entity and outcome) or ``"json"``.

    Every entity appears with its name, region and parent when the lookup
    gives them; aggregates come first in the table and last in the CSV.
    """
    if format == "json":
        return portfolio.to_json() + "\n"
    if format == "csv":
        cols = portfolio.columns()
        names = list(cols)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        n = len(cols[names[0]]) if names else 0
        for i in range(n):
            w.writerow([_cell(cols[c][i]) for c in names])
        return buf.getvalue()
    if format != "table":
        raise ValueError(f"format must be one of table, csv, json; found {format!r}")
    out = [
        f"{portfolio.strategy.title}",
        f"{len(portfolio)} entities (by {portfolio.by}), data as of {portfolio.as_of.isoformat()}",
    ]
    if portfolio.illustrative:
        out.append("Illustrative data: invented for demonstration, not real performance.")
    for o in portfolio.strategy.outcomes():
        out += ["", f"{o.id} {o.statement}"[:width]]
        for agg in portfolio.aggregates:
            out.append("  " + _line(portfolio.standing(agg.code, o.id), width - 2))
        roll = portfolio.rollup(o.id)
        counts = ", ".join(f"{s.label.lower()} {n}" for s, n in roll.counts.items() if n)
        out.append(f"  across {roll.n_entities} entities: {counts}"[:width])
        out += ["  " + _line(r, width - 2) for r in portfolio.league(o.id)]
    return "\n".join(out) + "\n"
