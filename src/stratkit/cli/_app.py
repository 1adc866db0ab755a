"""The ``stratkit`` group, error handling, and the helpers its commands share."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from stratkit._version import __version__

__all__ = ["main"]  # and the helpers the command modules import

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


# --- shared helpers ----------------------------------------------------------------


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


def _count(strategy: Any) -> int:
    return sum(1 for _ in strategy.outcomes())


# --- shared by evaluate and report --------------------------------------------------


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


def _evaluate(
    path: Path, observations: Path | None, as_of: dt.date | None, policy: Path | None = None
) -> Any:
    from stratkit import _api
    from stratkit.io import load_policy, read_observations

    strategy = _load(path)
    judged_by = load_policy(policy) if policy is not None else None
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
        return _api.evaluate(strategy, obs, as_of=as_of, policy=judged_by)
    finally:
        if tty:
            click.echo("\r\x1b[K", err=True, nl=False)


_OBS = click.option(
    "--observations",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Observations CSV. Default: the observations*.csv beside the strategy.",
)
_POLICY = click.option(
    "--policy",
    type=click.Path(path_type=Path, dir_okay=False),
    help=(
        "Policy file (YAML or JSON): how outcomes are judged. Default: the strategy "
        "file's policy: block, else the documented defaults."
    ),
)
_AS_OF = click.option(
    "--as-of",
    "as_of",
    callback=_date,
    metavar="YYYY-MM-DD",
    help=(
        "Judge performance as on this date. Default: the end of the latest period "
        "in the data (today when there is none)."
    ),
)
