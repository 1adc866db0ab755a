"""The ``convert`` command: a strategy between YAML, JSON and StratML, by suffix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from stratkit.cli._app import (
    _AS_OF,
    _DUPLICATES,
    _handle_errors,
    _load,
    failure_listing,
    main,
)

_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xml": "stratml"}


def _format_of(path: Path, what: str) -> str:
    fmt = _FORMATS.get(path.suffix.lower())
    if what == "SRC" and fmt != "stratml":
        return "strategy"  # a YAML or JSON file, or a folder holding strategy.yaml
    if fmt is None:
        raise click.BadParameter(
            f"{path}: cannot tell the format from the suffix {path.suffix or '(none)'!r}; "
            "use .yaml or .yml (YAML), .json (JSON) or .xml (StratML)",
            param_hint=what,
        )
    return fmt


def _read(path: Path, fmt: str) -> Any:
    if fmt == "strategy":
        return _load(path)
    from stratkit.errors import StrategyFileError
    from stratkit.io import from_stratml

    try:
        return from_stratml(path)
    except StrategyFileError as exc:
        raise failure_listing(exc, "cannot be read as a StratML plan ({n})") from None


@main.command(
    epilog="""\b
Examples:
  stratkit convert examples/kmpt_2023_26 kmpt.xml            StratML Part 1
  stratkit convert my-trust plan.xml --part 2                Part 2 performance plan
  stratkit convert my-trust report.xml --part 2 --observations data.csv --as-of 2025-03-31
  stratkit convert someone-elses-plan.xml strategy.yaml      StratML into stratkit
  stratkit convert strategy.yaml strategy.json

A StratML file stratkit wrote converts back exactly; what a plan written by
another tool cannot say (a unit as free text, no direction of improvement) is
kept in the notes and reported by `stratkit lint`."""
)
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("dest", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--part",
    type=click.Choice(["1", "2"]),
    default="1",
    show_default=True,
    help="StratML output: 1 a Strategic Plan, 2 a Performance Plan (with indicators and "
    "target results).",
)
@click.option(
    "--observations",
    type=click.Path(path_type=Path, dir_okay=False),
    help="With --part 2: evaluate against this observations CSV and write a Performance "
    "Report with the actual results, statuses and reasons.",
)
@_AS_OF
@_DUPLICATES
@_handle_errors
def convert(  # noqa: PLR0917 - click passes the arguments and options by name
    src: Path,
    dest: Path,
    part: str,
    observations: Path | None,
    as_of: dt.date | None,
    duplicates: str,
) -> None:
    """Convert a strategy between YAML, JSON and StratML (ISO 17469), by file suffix."""
    src_fmt, dest_fmt = _format_of(src, "SRC"), _format_of(dest, "DEST")
    if dest_fmt != "stratml" and (part != "1" or observations is not None):
        raise click.UsageError("--part and --observations apply to a StratML (.xml) DEST only")
    if observations is not None and part != "2":
        raise click.UsageError("results go in a Performance Report: add --part 2")
    if as_of is not None and observations is None:
        raise click.UsageError("--as-of needs --observations")
    if duplicates != "error" and observations is None:
        raise click.UsageError("--duplicates needs --observations")
    strategy = _read(src, src_fmt)
    if dest_fmt == "stratml":
        from stratkit.io import to_stratml

        evaluation = None
        if observations is not None:
            from stratkit import _api

            evaluation = _api.evaluate(strategy, observations, as_of=as_of, duplicates=duplicates)
        to_stratml(strategy, dest, part=int(part), evaluation=evaluation)
        kind = {
            "1": "StratML Part 1 Strategic Plan",
            "2": "StratML Part 2 Performance " + ("Report" if evaluation is not None else "Plan"),
        }[part]
    else:
        from stratkit.io import save

        save(strategy, dest, format=dest_fmt)
        kind = dest_fmt.upper()
    n_obj = sum(len(a.objectives) for a in strategy.ambitions)
    n_out = sum(1 for _ in strategy.outcomes())
    click.echo(
        f"wrote {dest} ({kind}: {len(strategy.ambitions)} ambitions and enablers, "
        f"{n_obj} objectives, {n_out} outcomes)",
        err=True,
    )
