"""Commands about results: ``evaluate`` (a table, JSON or CSV) and ``report`` (the board pack)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from stratkit._safe_text import json_safe, neutralise
from stratkit.cli import _app
from stratkit.cli._app import (
    _AS_OF,
    _DUPLICATES,
    _OBS,
    _POLICY,
    _STRICT,
    MAX_BYTES_OPTION,
    _evaluate,
    _handle_errors,
    main,
)
from stratkit.cli._portfolio import BY, portfolio_or_none

F = TypeVar("F", bound=Callable[..., Any])


def _format_option(default: str | None, help: str) -> Callable[[F], F]:
    from stratkit.reporting import FORMATS

    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=default,
        show_default=default is not None,
        help=help,
    )


def _output_option(help: str) -> Callable[[F], F]:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True),
        callback=lambda ctx, param, value: _output_file(value),
        help=help,
    )


def _chosen_format(fmt: str | None, output: Path | None, default: str) -> str:
    """``--format`` when given, else the output file's suffix, else ``default``.

    An output file whose suffix stratkit does not write is an error before
    anything is evaluated.
    """
    from stratkit.reporting import format_for

    if fmt is not None:
        return fmt
    if output is None or str(output) == "-":
        return default
    return format_for(output)


def _write(ev: Any, output: Path, fmt: str, pack: Any = None) -> None:
    from stratkit.reporting import write_report
    from stratkit.reporting.pack import select_outcomes

    n = len(ev.results)
    if _app._stderr_is_terminal() and fmt in ("html", "pdf") and n >= 10:
        with click.progressbar(length=n, label="Drawing charts", file=sys.stderr) as bar:
            write_report(ev, output, format=fmt, progress=lambda: bar.update(1), pack=pack)
    else:
        write_report(ev, output, format=fmt, pack=pack)
    shown = n if pack is None else len(select_outcomes(ev.strategy, pack).outcome_ids)
    as_of_text = ev.as_of.isoformat() if hasattr(ev.as_of, "isoformat") else str(ev.as_of)
    of = f"{shown} of {n}" if shown != n else str(n)
    click.echo(f"wrote {output} ({of} outcomes, data as of {as_of_text})", err=True)


def _echo(ev: Any, fmt: str, pack: Any = None) -> None:
    from stratkit.reporting import report

    width, color = 120, False
    if fmt == "table" and sys.stdout.isatty():
        import shutil

        width = max(shutil.get_terminal_size((120, 24)).columns, 80)
        color = "NO_COLOR" not in os.environ  # https://no-color.org
    _emit(report(ev, format=fmt, width=width, color=color, pack=pack), fmt)


def _emit(text: str, fmt: str) -> None:
    """Text on standard output, made safe for where it goes."""
    if fmt == "json":  # the same data, with bidi and C1 characters as \u escapes
        text = json_safe(text)
    elif fmt == "csv" and sys.stdout.isatty():  # on screen: make them visible
        text = neutralise(text)
    click.echo(text, nl=False)


def _portfolio_results(portfolio: Any, fmt: str, output: Path | None) -> None:
    """A portfolio's results as a table, CSV or JSON, on stdout or into ``output``."""
    from stratkit._files import write_atomically
    from stratkit.portfolio.tabular import render_portfolio

    if fmt not in ("table", "csv", "json"):
        raise click.UsageError(
            f"a portfolio's results are written as table, csv or json, not {fmt}; "
            "for its pack use `stratkit report`"
        )
    if output is None:
        _emit(render_portfolio(portfolio, format=fmt), fmt)
        return
    write_atomically(output, render_portfolio(portfolio, format=fmt))
    click.echo(
        f"wrote {output} ({len(portfolio)} entities, data as of {portfolio.as_of.isoformat()})",
        err=True,
    )


def _check_format(fmt: str, *, to_file: bool) -> None:
    """Before any work: a binary format needs a file, and its extra installed."""
    from stratkit.reporting import output_format

    found = output_format(fmt)
    if found.binary and not to_file:
        raise _app._Failure(f"{fmt} is a binary format: write it to a file with -o FILE.{fmt}")
    found.check_available()


@main.command(
    epilog="""\b
Examples:
  stratkit evaluate examples/kmpt_2023_26 --as-of 2025-03-31
  stratkit evaluate my-trust --observations data/march.csv --format json
  stratkit evaluate my-trust --format csv > results.csv
  stratkit evaluate my-trust -o results.xlsx      (the format from the suffix)
  stratkit evaluate my-trust --policy board-policy.yaml"""
)
@click.argument("path", type=click.Path(path_type=Path))
@_OBS
@_AS_OF
@_POLICY
@_format_option(
    None,
    "table (for people; the default on stdout), json or csv (for programs), or any "
    "report format. Default: from the output file's suffix, else table.",
)
@_output_option("File to write ('-' or left out: stdout). Its suffix chooses the format.")
@MAX_BYTES_OPTION
@_STRICT
@_DUPLICATES
@BY
@_handle_errors
def evaluate(
    path: Path,
    *,
    observations: Path | None,
    as_of: dt.date | None,
    policy: Path | None,
    fmt: str | None,
    output: Path | None,
    strict: bool,
    duplicates: str,
    by: str | None,
) -> None:
    """Judge every outcome against its target: status, reason, forecast, SPC."""
    fmt = _chosen_format(fmt, output, "table")
    to_file = output is not None and str(output) != "-"
    _check_format(fmt, to_file=to_file)
    portfolio = portfolio_or_none(
        path, observations, as_of, by, policy=policy, strict=strict, duplicates=duplicates
    )
    if portfolio is not None:
        _portfolio_results(portfolio, fmt, output if to_file else None)
        return
    ev = _evaluate(path, observations, as_of, policy=policy, strict=strict, duplicates=duplicates)
    pack = _commentary_only(path)
    if to_file:
        assert output is not None
        _write(ev, output, fmt, pack)
    else:
        _echo(ev, fmt, pack)


def _commentary_only(path: Path) -> Any:
    """The folder's commentary, for the exports (branding and templates are the pack's)."""
    from stratkit.reporting.commentary import COMMENTARY_FILE, read_commentary
    from stratkit.reporting.pack import PackOptions

    found = (path if path.is_dir() else path.parent) / COMMENTARY_FILE
    return PackOptions(commentary=read_commentary(found)) if found.is_file() else None


# --- report -----------------------------------------------------------------------


def _output_file(value: str | None) -> Path | None:
    """``-o``'s file; a name ending in a slash means a folder, which is not a file."""
    if value is None:
        return None
    if value.endswith(("/", os.sep)):
        raise click.BadParameter(
            f"{value!r} names a folder; give a file name such as {value}report.html",
            param_hint="'-o'",
        )
    return Path(value)


@main.command(
    epilog="""\b
Examples:
  stratkit report examples/kmpt_2023_26 -o kmpt-report.html
  stratkit report my-trust --as-of 2025-03-31 --format md -o report.md
  stratkit report my-trust --format md -o -        (Markdown on stdout)
  stratkit report my-trust -o results.csv          (the format from the suffix)
  stratkit report my-trust -o pack.pdf             (a PDF: needs the pdf extra)
  stratkit report my-trust --ambition 2 -o people-committee.html
  stratkit report my-trust --forum "Quality and Safety Committee" -o qsc.pdf

The format is --format, else the output's suffix (.html, .md, .txt, .csv,
.json, .xlsx, .pdf); a suffix stratkit does not write is an error. The HTML
is one self-contained file (no network access needed to open it), printable
on A4 landscape. The pack reads commentary.yaml, branding.yaml and
templates/ from the strategy folder when they are there."""
)
@click.argument("path", type=click.Path(path_type=Path))
@_output_option("File to write ('-' for stdout). Default: report.FORMAT here.")
@click.option(
    "--ambition",
    "ambitions",
    multiple=True,
    metavar="ID",
    help="A committee pack of this ambition or enabler only (repeat for several).",
)
@click.option(
    "--forum",
    metavar="NAME",
    help="A committee pack of the outcomes this forum oversees.",
)
@_format_option(None, "The output format. Default: from the output's suffix, else html.")
@_AS_OF
@_OBS
@_POLICY
@MAX_BYTES_OPTION
@_STRICT
@_DUPLICATES
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
    ambitions: tuple[str, ...],
    forum: str | None,
    strict: bool,
    duplicates: str,
    by: str | None,
    entity: tuple[str, ...],
) -> None:
    """Write the board report: summary, roll-ups, every outcome, SPC charts.

    For a portfolio (observations with an org column, or --by), the portfolio
    pack: the total's chart, the SPC matrix across entities, the league table
    and a small chart per entity.
    """
    from stratkit.reporting import load_pack

    fmt = _chosen_format(fmt, output, "html")
    _check_format(fmt, to_file=str(output) != "-")
    portfolio = portfolio_or_none(
        path, observations, as_of, by, policy=policy, strict=strict, duplicates=duplicates
    )
    if portfolio is None and entity:
        raise click.UsageError("--entity needs a portfolio: observations with an entity column")
    if portfolio is not None:
        _portfolio_pack(portfolio, output, fmt, entity)
        return
    ev = _evaluate(path, observations, as_of, policy=policy, strict=strict, duplicates=duplicates)
    pack = load_pack(path if path.is_dir() else path.parent, ambitions=ambitions, forum=forum)
    if str(output) == "-":
        _echo(ev, fmt, pack)
        return
    suffix = {"table": "txt"}.get(fmt, fmt)
    _write(ev, output or Path(f"report.{suffix}"), fmt, pack)
    _missing_commentary(ev, pack)


def _missing_commentary(ev: Any, pack: Any) -> None:
    """A note on stderr naming the off-track outcomes with no commentary on their latest data."""
    from stratkit.reporting._pack_context import missing_commentary
    from stratkit.reporting.pack import select_outcomes

    chosen = set(select_outcomes(ev.strategy, pack).outcome_ids)
    missing = missing_commentary(ev, pack, chosen)
    if missing:
        click.echo(
            f"note: no commentary yet for off-track outcome{'s' if len(missing) != 1 else ''} "
            f"{', '.join(missing)} (add it to commentary.yaml)",
            err=True,
        )


def _portfolio_pack(
    portfolio: Any, output: Path | None, fmt: str, entity: tuple[str, ...]
) -> None:
    """Write the portfolio pack (HTML) of every entity, or of those chosen."""
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
        f"wrote {target} (portfolio pack: {n} entities, data as of {portfolio.as_of.isoformat()})",
        err=True,
    )
