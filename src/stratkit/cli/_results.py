"""Commands about results: ``evaluate`` (a table, JSON or CSV) and ``report`` (the board pack)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from stratkit._safe_text import json_safe, neutralise
from stratkit.cli import _app
from stratkit.cli._app import (
    _AS_OF,
    _OBS,
    _POLICY,
    _STRICT,
    MAX_BYTES_OPTION,
    _evaluate,
    _handle_errors,
    main,
)


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
@MAX_BYTES_OPTION
@_STRICT
@_handle_errors
def evaluate(
    path: Path,
    *,
    observations: Path | None,
    as_of: dt.date | None,
    policy: Path | None,
    fmt: str,
    strict: bool,
) -> None:
    """Judge every outcome against its target: status, reason, forecast, SPC."""
    from stratkit.reporting import report

    ev = _evaluate(path, observations, as_of, policy, strict)
    width, color = 120, False
    if fmt == "table" and sys.stdout.isatty():
        import shutil

        width = max(shutil.get_terminal_size((120, 24)).columns, 80)
        color = "NO_COLOR" not in os.environ  # https://no-color.org
    text = report(ev, format=fmt, width=width, color=color)
    if fmt == "json":  # the same data, with bidi and C1 characters as \u escapes
        text = json_safe(text)
    elif fmt == "csv" and sys.stdout.isatty():  # on screen: make them visible
        text = neutralise(text)
    click.echo(text, nl=False)


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
  stratkit report my-trust -o pack.pdf             (a PDF: needs the pdf extra)
  stratkit report my-trust --ambition 2 -o people-committee.html
  stratkit report my-trust --forum "Quality and Safety Committee" -o qsc.pdf

The HTML is one self-contained file (no network access needed to open it),
printable on A4 landscape. The pack reads commentary.yaml, branding.yaml and
templates/ from the strategy folder when they are there."""
)
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    callback=lambda ctx, param, value: _output_file(value),
    help="File to write ('-' for stdout). Default: report.html or report.md here.",
)
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "pdf"]),
    default=None,
    help=(
        "html (the board pack), md (Markdown) or pdf (the pack laid out by WeasyPrint). "
        "Default: from the output's suffix, else html."
    ),
)
@_AS_OF
@_OBS
@_POLICY
@MAX_BYTES_OPTION
@_STRICT
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
) -> None:
    """Write the board report: summary, roll-ups, every outcome, SPC charts."""
    from stratkit.reporting import load_pack, write_report
    from stratkit.reporting import report as render

    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ""
        fmt = "md" if suffix in (".md", ".markdown") else "pdf" if suffix == ".pdf" else "html"
    ev = _evaluate(path, observations, as_of, policy, strict)
    pack = load_pack(path if path.is_dir() else path.parent, ambitions=ambitions, forum=forum)
    n = len(ev.results)
    if str(output) == "-":
        if fmt == "pdf":
            raise click.UsageError("a PDF is not text: write it to a file (-o pack.pdf)")
        click.echo(render(ev, format=fmt, pack=pack), nl=False)
        return
    if fmt == "pdf":
        from stratkit.reporting.pdf import _weasyprint

        _weasyprint()  # say now, before any work, when the pdf extra is missing
    target = output or Path(f"report.{fmt}")
    if _app._stderr_is_terminal() and fmt in ("html", "pdf") and n >= 10:
        with click.progressbar(length=n, label="Drawing charts", file=sys.stderr) as bar:
            write_report(ev, target, format=fmt, progress=lambda: bar.update(1), pack=pack)
    else:
        write_report(ev, target, format=fmt, pack=pack)
    from stratkit.reporting.pack import select_outcomes

    shown = len(select_outcomes(ev.strategy, pack).outcome_ids)
    as_of_text = ev.as_of.isoformat() if hasattr(ev.as_of, "isoformat") else str(ev.as_of)
    of = f"{shown} of {n}" if shown != n else str(n)
    click.echo(f"wrote {target} ({of} outcomes, data as of {as_of_text})", err=True)
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
