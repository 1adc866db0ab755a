"""The ``stratkit`` command line (needs the ``cli`` extra: ``pip install "stratkit-nhs[cli]"``).

Commands: ``validate``, ``lint``, ``evaluate``, ``report``, ``init`` and
``schema``. Exit codes: 0 success; 1 an invalid file, lint findings, or an
error reading or writing; 2 a usage error (an unknown option, a missing
argument). Errors go to standard error as one clear message without a
traceback; ``stratkit --debug ...`` shows the traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from stratkit._version import __version__

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Failure(Exception):
    """An error already worded for the user: printed as it is, exit status 1."""


def _stderr_is_terminal() -> bool:
    try:
        return bool(sys.stderr.isatty())
    except (AttributeError, ValueError):
        return False


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(dict)["debug"] = True


def _handle_errors(command: F) -> F:
    """Turn stratkit's and the system's errors into one message on stderr and exit 1.

    Also gives the command a ``--debug`` option, the same as ``stratkit --debug``.
    """

    @click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        callback=_set_debug,
        help="Show the full traceback when something fails.",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool((ctx.obj or {}).get("debug"))
        from stratkit.errors import StratkitError

        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (`stratkit evaluate ... | head`): stop quietly
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError, AttributeError):  # no real file descriptor
                pass
            ctx.exit(1)
        except _Failure as exc:
            if debug:
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except (StratkitError, OSError, KeyError, ValueError, TypeError) as exc:
            if debug:
                raise
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
                message = f"{exc.filename}: {exc.strerror}"
            click.echo(f"error: {message}", err=True)
            if not isinstance(exc, StratkitError):
                click.echo("(run `stratkit --debug ...` to see where it happened)", err=True)
            ctx.exit(1)
        return None

    return wrapper  # type: ignore[return-value]


@click.group(
    context_settings=_CONTEXT,
    epilog="""\b
Examples:
  stratkit init my-trust --blank
  stratkit validate my-trust
  stratkit report examples/kmpt_2023_26 -o kmpt-report.html
  stratkit evaluate my-trust --as-of 2025-03-31 --format csv > results.csv

Run `stratkit COMMAND --help` for a command's options.""",
)
@click.version_option(__version__, "-V", "--version", prog_name="stratkit")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn a strategy into data, and evaluate real performance against it.

    PATH arguments take a strategy file (YAML or JSON) or a folder that holds
    strategy.yaml.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


# --- validate ---------------------------------------------------------------------


@main.command(
    epilog="""\b
Examples:
  stratkit validate examples/kmpt_2023_26
  stratkit validate my-trust/strategy.yaml

Exit status: 0 when valid, 1 when the file has problems (each printed on
stderr with its file, line, column and field path)."""
)
@click.argument("path", type=click.Path(path_type=Path))
@_handle_errors
def validate(path: Path) -> None:
    """Check a strategy file and report every problem at once."""
    from stratkit.errors import StrategyFileError
    from stratkit.io import load

    try:
        strategy = load(path)
    except StrategyFileError as exc:
        n = len(exc.problems)
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{exc.file}: invalid, {n} problem{'s' if n != 1 else ''}", err=True)
        click.get_current_context().exit(1)
    outcomes = list(strategy.outcomes())
    measured = sum(1 for o in outcomes if o.measure is not None and o.target is not None)
    objectives = sum(len(a.objectives) for a in strategy.ambitions)
    click.echo(
        f"{_shown(path)}: valid. {strategy.title}: {len(strategy.ambitions)} ambitions "
        f"and enablers, {objectives} objectives, {len(outcomes)} outcomes "
        f"({measured} with a measure and a target)."
    )


def _shown(path: Path) -> str:
    from stratkit.io import resolve_strategy_path

    try:
        return str(resolve_strategy_path(path))
    except Exception:
        return str(path)


def _load(path: Path) -> Any:
    """Load a strategy; an invalid file prints every problem and exits 1."""
    from stratkit.errors import StrategyFileError
    from stratkit.io import load

    try:
        return load(path)
    except StrategyFileError as exc:
        if (click.get_current_context().obj or {}).get("debug"):
            raise
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        n = len(exc.problems)
        raise _Failure(
            f"{exc.file} is not a valid strategy file ({n} problem"
            f"{'s' if n != 1 else ''}; `stratkit validate` lists them)"
        ) from None


# --- lint -------------------------------------------------------------------------


def _measurability(strategy: Any) -> Any:
    from stratkit.evaluation.measurability import measurability

    return measurability(strategy)


@main.command(
    epilog="""\b
Examples:
  stratkit lint examples/kmpt_2023_26
  stratkit lint my-trust --format json

Exit status: 0 when every outcome can be judged, 1 when there are findings."""
)
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Findings as lines of text, or as JSON.",
)
@_handle_errors
def lint(path: Path, fmt: str) -> None:
    """List what each outcome is missing to be judged (measure, target, baseline, ...).

    Each finding has a stable code (SK401 no measure, SK402 no unit, SK403 no
    target value, SK404 no baseline, SK405 no deadline, SK406 no owner, SK407
    no data source).
    """
    strategy = _load(path)
    report = _measurability(strategy)
    findings = _lint_findings(report)
    if fmt == "json":
        click.echo(
            json.dumps(
                {"score": report.score, "n_outcomes": _count(strategy), "findings": findings},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for f in findings:
            click.echo(f"{f['code']} {f['message']}")
        n_out = len({f["outcome_id"] for f in findings})
        click.echo(
            f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in {n_out} of "
            f"{_count(strategy)} outcomes; measurability score "
            f"{report.score * 100:.0f}%",
            err=True,
        )
    if findings:
        click.get_current_context().exit(1)


def _count(strategy: Any) -> int:
    return sum(1 for _ in strategy.outcomes())


def _lint_findings(report: Any) -> list[dict[str, str]]:
    """The measurability report's findings as ``{outcome_id, code, criterion, message}``."""
    return [
        {
            "outcome_id": f.outcome_id,
            "code": f.code,
            "criterion": f.criterion,
            "message": f.message,
        }
        for f in report.findings
    ]


# --- evaluate ---------------------------------------------------------------------


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD") from None


def _observations_file(path: Path, given: Path | None) -> Path | None:
    if given is not None:
        return given
    folder = path if path.is_dir() else path.parent
    found = sorted(folder.glob("observations*.csv"))
    if len(found) > 1:
        click.echo(
            f"note: using {found[0].name} (also found {', '.join(p.name for p in found[1:])})",
            err=True,
        )
    return found[0] if found else None


def _evaluate(path: Path, observations: Path | None, as_of: dt.date | None) -> Any:
    from stratkit import _api
    from stratkit.io import read_observations

    strategy = _load(path)
    obs_path = _observations_file(path, observations)
    obs = None
    if obs_path is None:
        click.echo(
            "note: no observations*.csv beside the strategy and no --observations: "
            "every measured outcome will show no data",
            err=True,
        )
    else:
        obs = read_observations(obs_path)
    tty = _stderr_is_terminal()
    if tty:
        n = _count(strategy)
        click.echo(f"Evaluating {n} outcomes…", err=True, nl=False)
    try:
        return _api.evaluate(strategy, obs, as_of=as_of)
    finally:
        if tty:
            click.echo("\r\x1b[K", err=True, nl=False)


_OBS = click.option(
    "--observations",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Observations CSV. Default: the observations*.csv beside the strategy.",
)
_AS_OF = click.option(
    "--as-of",
    "as_of",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="Judge performance as on this date (default: the evaluator's).",
)


@main.command(
    epilog="""\b
Examples:
  stratkit evaluate examples/kmpt_2023_26 --as-of 2025-03-31
  stratkit evaluate my-trust --observations data/march.csv --format json
  stratkit evaluate my-trust --format csv > results.csv"""
)
@click.argument("path", type=click.Path(path_type=Path))
@_OBS
@_AS_OF
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="A table for people, or JSON / CSV for programs.",
)
@_handle_errors
def evaluate(path: Path, observations: Path | None, as_of: dt.date | None, fmt: str) -> None:
    """Judge every outcome against its target: status, reason, forecast, SPC."""
    from stratkit.reporting import report

    ev = _evaluate(path, observations, as_of)
    width = 120
    if fmt == "table" and sys.stdout.isatty():
        import shutil

        width = max(shutil.get_terminal_size((120, 24)).columns, 80)
    click.echo(report(ev, format=fmt, width=width), nl=False)


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
@_handle_errors
def report(
    path: Path,
    output: Path | None,
    fmt: str | None,
    as_of: dt.date | None,
    observations: Path | None,
) -> None:
    """Write the board report: roll-ups, every outcome, SPC charts."""
    from stratkit.reporting import report as render
    from stratkit.reporting import write_report

    if fmt is None:
        fmt = (
            "md"
            if output is not None and output.suffix.lower() in (".md", ".markdown")
            else "html"
        )
    ev = _evaluate(path, observations, as_of)
    n = len(ev.results)
    if str(output) == "-":
        click.echo(render(ev, format=fmt), nl=False)
        return
    target = output or Path(f"report.{fmt}")
    if _stderr_is_terminal() and fmt == "html" and n >= 10:
        with click.progressbar(length=n, label="Drawing charts", file=sys.stderr) as bar:
            write_report(ev, target, format=fmt, progress=lambda: bar.update(1))
    else:
        write_report(ev, target, format=fmt)
    as_of_text = ev.as_of.isoformat() if hasattr(ev.as_of, "isoformat") else str(ev.as_of)
    click.echo(f"wrote {target} ({n} outcomes, data as of {as_of_text})", err=True)


# --- init -------------------------------------------------------------------------


def _scaffold_files(name: str | None) -> dict[str, bytes]:
    """Relative path -> content of the files ``init`` writes."""
    if name is None:
        from importlib import resources

        root = resources.files("stratkit") / "_scaffold"
        return {
            entry.name: entry.read_bytes()
            for entry in sorted(root.iterdir(), key=lambda e: e.name)
            if entry.is_file() and entry.name.endswith((".yaml", ".csv", ".md"))
        }
    from stratkit import examples

    try:
        folder = examples.path(name)
    except KeyError as exc:
        raise click.BadParameter(str(exc.args[0]), param_hint="'--from'") from None
    files: dict[str, bytes] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_file() and not any(part.startswith((".", "_")) for part in rel.parts):
            files[rel.as_posix()] = p.read_bytes()
    return files


@main.command(
    epilog="""\b
Examples:
  stratkit init my-trust --blank              a commented template to fill in
  stratkit init my-trust --from kmpt_2023_26  a copy of the KMPT worked example
  stratkit validate my-trust

Existing files are never overwritten: init stops and names them."""
)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--from", "example", metavar="EXAMPLE", help="Copy a worked example (see the list below)."
)
@click.option("--blank", is_flag=True, help="A blank, commented template (the default).")
@_handle_errors
def init(directory: Path, example: str | None, blank: bool) -> None:
    """Start a strategy folder: strategy.yaml, observations.csv and a README.

    The blank template's comments teach the file format; it validates as it
    is, so you can change it one step at a time and validate as you go.
    Examples available: kmpt_2023_26, kmpt_2020_23.
    """
    if example is not None and blank:
        raise click.UsageError("choose one of --from EXAMPLE and --blank")
    files = _scaffold_files(example)
    clashes = [rel for rel in files if (directory / rel).exists()]
    if clashes:
        raise _Failure(
            f"{directory} already has {', '.join(clashes)}; nothing was written "
            "(init never overwrites: choose another folder or move them)"
        )
    for rel, content in files.items():
        dest = directory / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        with dest.open("xb") as fh:
            fh.write(content)
    listing = ", ".join(sorted(files)) if len(files) < 5 else f"{len(files)} files"
    click.echo(f"created {directory} with {listing}")
    click.echo(
        f"next: edit {directory / 'strategy.yaml'}, then run: stratkit validate {directory}",
        err=True,
    )


# --- schema -----------------------------------------------------------------------


@main.command(
    epilog="""\b
Examples:
  stratkit schema > strategy.schema.json

Point your editor's YAML language server at it to get completion and checks
while you edit strategy.yaml."""
)
@_handle_errors
def schema() -> None:
    """Print the JSON Schema of the strategy file format."""
    from stratkit.io import strategy_schema

    click.echo(json.dumps(strategy_schema(), indent=2, ensure_ascii=False))
