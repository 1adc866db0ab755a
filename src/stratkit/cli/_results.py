"""Commands about results: ``evaluate`` (a table, JSON or CSV) and ``report`` (the board pack)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from stratkit.cli import _app
from stratkit.cli._app import _AS_OF, _OBS, _POLICY, _evaluate, _handle_errors, main
from stratkit.cli._portfolio import BY, portfolio_or_none


@main.command(
    epilog="""\b
Examples:
  stratkit evaluate examples/kmpt_2023_26 --as-of 2025-03-31
  stratkit evaluate my-trust --observations data/march.csv --format json
  stratkit evaluate my-trust --format csv > results.csv
  stratkit evaluate my-trust --policy board-policy.yaml"""
)
@click.argument("path", type=click.Path(path_type=Path))
@_OBS
@_AS_OF
@_POLICY
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="A table for people, or JSON / CSV for programs.",
)
@BY
@_handle_errors
def evaluate(
    path: Path,
    *,
    observations: Path | None,
    as_of: dt.date | None,
    policy: Path | None,
    fmt: str,
    by: str | None,
) -> None:
    """Judge every outcome against its target: status, reason, forecast, SPC."""
    from stratkit.reporting import report

    width, color = 120, False
    if fmt == "table" and sys.stdout.isatty():
        import shutil

        width = max(shutil.get_terminal_size((120, 24)).columns, 80)
        color = "NO_COLOR" not in os.environ  # https://no-color.org
    portfolio = portfolio_or_none(path, observations, as_of, by, policy)
    if portfolio is not None:
        from stratkit.portfolio.tabular import render_portfolio

        click.echo(render_portfolio(portfolio, format=fmt, width=width), nl=False)
        return
    ev = _evaluate(path, observations, as_of, policy)
    click.echo(report(ev, format=fmt, width=width, color=color), nl=False)


# --- report -----------------------------------------------------------------------


@main.command(
    epilog="""\b
Examples:
  stratkit report examples/kmpt_2023_26 -o kmpt-report.html
  stratkit report my-trust --as-of 2025-03-31 --format md -o report.md
  stratkit report my-trust --format md -o -        (Markdown on stdout)

The HTML is one self-contained file (no network access needed to open it),
printable on A4 landscape."""
)
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="File to write ('-' for stdout). Default: report.html or report.md here.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    default=None,
    help="html (the board pack) or md (Markdown). Default: from the output's suffix, else html.",
)
@_AS_OF
@_OBS
@_POLICY
@BY
@click.option(
    "--entity",
    "entity",
    multiple=True,
    metavar="CODE",
    help="With a portfolio: the pack of this entity only (repeat for a selection).",
)
@_handle_errors
def report(
    path: Path,
    *,
    output: Path | None,
    fmt: str | None,
    as_of: dt.date | None,
    observations: Path | None,
    policy: Path | None,
    by: str | None,
    entity: tuple[str, ...],
) -> None:
    """Write the board report: roll-ups, every outcome, SPC charts.

    For a portfolio (observations with an org column, or --by), the portfolio
    pack: the total's chart, the SPC matrix across entities, the league table
    and a small chart per entity.
    """
    from stratkit.reporting import report as render
    from stratkit.reporting import write_report

    if fmt is None:
        fmt = (
            "md"
            if output is not None and output.suffix.lower() in (".md", ".markdown")
            else "html"
        )
    portfolio = portfolio_or_none(path, observations, as_of, by, policy)
    if portfolio is None and entity:
        raise click.UsageError("--entity needs a portfolio: observations with an entity column")
    if portfolio is not None:
        from stratkit.portfolio.pack import render_pack, write_pack

        if fmt != "html":
            raise click.UsageError("a portfolio pack is HTML: use -o FILE.html")
        chosen = list(entity) or None
        unknown = [c for c in chosen or [] if c not in portfolio]
        if unknown:
            raise click.BadParameter(
                f"no entity {', '.join(unknown)} in the data", param_hint="'--entity'"
            )
        if str(output) == "-":
            click.echo(render_pack(portfolio, entities=chosen), nl=False)
            return
        target = output or Path("report.html")
        write_pack(portfolio, target, entities=chosen)
        n = len(chosen) if chosen else len(portfolio)
        click.echo(
            f"wrote {target} (portfolio pack: {n} entities, data as of "
            f"{portfolio.as_of.isoformat()})",
            err=True,
        )
        return
    ev = _evaluate(path, observations, as_of, policy)
    n = len(ev.results)
    if str(output) == "-":
        click.echo(render(ev, format=fmt), nl=False)
        return
    target = output or Path(f"report.{fmt}")
    if _app._stderr_is_terminal() and fmt == "html" and n >= 10:
        with click.progressbar(length=n, label="Drawing charts", file=sys.stderr) as bar:
            write_report(ev, target, format=fmt, progress=lambda: bar.update(1))
    else:
        write_report(ev, target, format=fmt)
    as_of_text = ev.as_of.isoformat() if hasattr(ev.as_of, "isoformat") else str(ev.as_of)
    click.echo(f"wrote {target} ({n} outcomes, data as of {as_of_text})", err=True)
