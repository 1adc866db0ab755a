"""The ``stratkit`` group, error handling, and the helpers its commands share."""

from __future__ import annotations

import datetime as dt
import functools
import io
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
            if _writes_to_stdout(command.__name__, kwargs):
                _check_stdout()
            result = command(*args, **kwargs)
            _flush_stdout()
            return result
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (`stratkit evaluate ... | head`): stop, exit 1
            _silence_stdout()
            ctx.exit(1)
        except _Failure as exc:
            if debug:
                raise
            _error(str(exc))
            ctx.exit(1)
        except (StratkitError, OSError, KeyError, ValueError, TypeError) as exc:
            if debug:
                raise
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
                message = f"{exc.filename}: {exc.strerror}"
            _error(str(message), hint=not isinstance(exc, StratkitError))
            ctx.exit(1)
        except Exception as exc:  # a bug: one line, not a traceback, unless --debug
            if debug:
                raise
            _error(f"unexpected {type(exc).__name__}: {exc}", hint=True)
            ctx.exit(1)
        return None

    return wrapper  # type: ignore[return-value]


def _error(message: str, *, hint: bool = False) -> None:
    """Print ``error: message`` on stderr (control characters made visible)."""
    from stratkit._safe_text import neutralise

    lines = neutralise(message).splitlines() or [""]
    if hint and len(lines) > 1:  # an unexpected error's message stays one line
        lines = [" ".join(line.strip() for line in lines)]
    click.echo(f"error: {lines[0]}", err=True)
    for line in lines[1:]:
        click.echo(line, err=True)
    if hint:
        click.echo("(run `stratkit --debug ...` to see where it happened)", err=True)


def echo_safe(text: str, *, err: bool = False) -> None:
    """``click.echo`` for text that holds file content: control and bidi characters
    (terminal escapes, right-to-left overrides) shown as escapes."""
    from stratkit._safe_text import neutralise

    click.echo(neutralise(text), err=err)


def _writes_to_stdout(name: str, kwargs: dict[str, Any]) -> bool:
    if name == "report":
        return str(kwargs.get("output")) == "-"
    return True


def _check_stdout() -> None:
    """Fail before any work when standard output is closed (``>&-``)."""
    stream = sys.stdout
    closed = stream is None
    if not closed:
        try:
            fd = stream.fileno()
        except (AttributeError, ValueError, io.UnsupportedOperation):
            return  # not backed by a descriptor (a test runner's buffer): fine
        try:
            os.fstat(fd)
        except OSError:
            closed = True
    if closed:
        raise _Failure("standard output is closed; nothing was written (redirect it to a file)")


def _flush_stdout() -> None:
    stream = sys.stdout
    if stream is None:
        return
    try:
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise _Failure(f"cannot write to standard output: {exc}") from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor
        pass


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
        return load(path, max_bytes=max_bytes())
    except StrategyFileError as exc:
        raise failure_listing(
            exc, "is not a valid strategy file ({n}; `stratkit validate` lists them)"
        ) from None


def failure_listing(exc: Any, headline: str) -> _Failure:
    """Print every problem of ``exc`` on stderr; the one-line failure that follows them.

    ``headline`` follows the file's name, with ``{n}`` for "N problem(s)". With
    ``--debug`` the error itself is raised again, for its traceback.
    """
    if (click.get_current_context().obj or {}).get("debug"):
        raise exc
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    n = len(exc.problems)
    return _Failure(f"{exc.file} " + headline.format(n=f"{n} problem{'s' if n != 1 else ''}"))


def _set_max_bytes(ctx: click.Context, param: click.Parameter, value: int | None) -> None:
    if value is not None:
        ctx.ensure_object(dict)["max_bytes"] = value


def max_bytes() -> int:
    """The ``--max-bytes`` given to this command, else the library's default."""
    from stratkit.io.strategy_file import MAX_BYTES

    ctx = click.get_current_context(silent=True)
    value = (ctx.obj or {}).get("max_bytes") if ctx is not None else None
    return int(value) if value is not None else MAX_BYTES


MAX_BYTES_OPTION = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    expose_value=False,
    callback=_set_max_bytes,
    metavar="N",
    help="Refuse a strategy file larger than N bytes. Default: 20000000 (about 40,000 outcomes).",
)


def _count(strategy: Any) -> int:
    return sum(1 for _ in strategy.outcomes())


# --- shared by evaluate and report --------------------------------------------------


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from stratkit.errors import InvalidStrategyError
    from stratkit.evaluation._as_of import checked_as_of

    try:  # the engine's own check, so the command and the library agree
        return checked_as_of(value)
    except InvalidStrategyError as exc:
        problem = exc.problems[0]
        raise click.BadParameter(
            f"{problem.found} is not a usable date; write YYYY-MM-DD, {problem.expected}"
        ) from None


def _observations_source(path: Path, given: Path | None) -> Path | None:
    """The observations to read: those given, or every observations file beside the strategy."""
    if given is not None:
        return given
    from stratkit.io.observations import folder_files

    folder = path if path.is_dir() else path.parent
    return folder if folder_files(folder) else None


def _read_observations(
    strategy: Any,
    source: Path,
    *,
    strict: bool,
    entity: str = "org",
    duplicates: str = "error",
) -> Any:
    """Read observations checked against ``strategy``; rows set aside are warnings on stderr.

    ``entity`` names the column of organisation codes (portfolios); ``duplicates``
    is the ``--duplicates`` rule.
    """
    obs, warn = read_observations_then_warn(
        strategy, source, strict=strict, entity=entity, duplicates=duplicates
    )
    warn()
    return obs


def read_observations_then_warn(
    strategy: Any,
    source: Path,
    *,
    strict: bool,
    entity: str = "org",
    duplicates: str = "error",
) -> tuple[Any, Callable[[], None]]:
    """As :func:`_read_observations`, but the warnings wait: the observations, and a
    function that prints them on stderr (for observations that may yet go unused)."""
    import warnings

    from stratkit.errors import ObservationsWarning
    from stratkit.io import read_observations

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ObservationsWarning)
        obs = read_observations(
            source, strategy=strategy, strict=strict, entity=entity, duplicates=duplicates
        )
    found: list[Any] = []
    for w in caught:
        if isinstance(w.message, ObservationsWarning):
            found.extend(w.message.problems)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)

    def warn() -> None:
        for problem in found:
            click.echo(f"warning: {problem}", err=True)
        if found:
            n = len(found)
            click.echo(
                f"warning: {n} observation problem{'s' if n != 1 else ''}: the rows concerned "
                "are not used (--strict makes them an error)",
                err=True,
            )

    return obs, warn


def _evaluate(
    path: Path,
    observations: Path | None,
    as_of: dt.date | None,
    *,
    policy: Path | None = None,
    strict: bool = False,
    duplicates: str = "error",
) -> Any:
    from stratkit.evaluation import evaluate
    from stratkit.io import load_policy

    strategy = _load(path)
    judged_by = load_policy(policy) if policy is not None else None
    source = _observations_source(path, observations)
    obs = None
    if source is None:
        click.echo(
            "note: no observations*.csv beside the strategy and no --observations: "
            "every measured outcome will show no data",
            err=True,
        )
    else:
        obs = _read_observations(strategy, source, strict=strict, duplicates=duplicates)
    tty = _stderr_is_terminal()
    if tty:
        n = _count(strategy)
        click.echo(f"Evaluating {n} outcomes…", err=True, nl=False)
    try:
        # as stratkit.evaluate does, the observations already checked against the strategy
        return evaluate(strategy, obs, as_of=as_of, policy=judged_by)
    finally:
        if tty:
            click.echo("\r\x1b[K", err=True, nl=False)


_OBS = click.option(
    "--observations",
    type=click.Path(path_type=Path),
    help=(
        "Observations: a CSV or .xlsx file, a folder or a glob ('data/obs_*.csv'). "
        "Default: every observations*.csv (and .xlsx) beside the strategy, in name order, "
        "or the files its observations.list names."
    ),
)
_STRICT = click.option(
    "--strict",
    is_flag=True,
    help="Refuse observations with any problem (default: set the bad rows aside and warn).",
)
# stratkit.io.observations.DUPLICATE_RULES, not imported here: the CLI starts without numpy
DUPLICATE_RULES = ("error", "first", "last", "mean", "sum")
_DUPLICATES = click.option(
    "--duplicates",
    type=click.Choice(DUPLICATE_RULES),
    default="error",
    show_default=True,
    help=(
        "Two values for the same outcome and period (and entity): error (the default) "
        "reports an error naming every row, and none of them is used; first or last keeps "
        "that row, in file order; mean or sum combines the values (and the numerators and "
        "denominators, when every row gives them: a rate is then worked out from the "
        "combined counts)."
    ),
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
