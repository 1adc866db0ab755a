"""Commands about strategy files: ``validate``, ``lint``, ``init`` and ``schema``."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import click

from stratkit.cli._app import (
    _DUPLICATES,
    _OBS,
    MAX_BYTES_OPTION,
    _count,
    _Failure,
    _handle_errors,
    _load,
    _shown,
    echo_safe,
    main,
    max_bytes,
)

# --- validate ---------------------------------------------------------------------


@main.command(
    epilog="""\b
Examples:
  stratkit validate examples/kmpt_2023_26
  stratkit validate my-trust/strategy.yaml

  stratkit validate my-trust --observations exports/2025-10.xlsx

The observations beside the strategy (every observations*.csv and .xlsx, or
the files observations.list names) are checked too, against the strategy.

Like a linter, the findings go to stdout, one a line (file, line, column and
field path, or sheet and cell), then a summary line; errors that stop the
check (a file that cannot be read) go to stderr. Exit status: 0 when valid,
1 when the strategy or the observations have problems."""
)
@click.argument("path", type=click.Path(path_type=Path))
@_OBS
@_DUPLICATES
@MAX_BYTES_OPTION
@_handle_errors
def validate(path: Path, observations: Path | None, duplicates: str) -> None:
    """Check a strategy file and its observations, and report every problem at once."""
    from stratkit.errors import StrategyFileError, UnsafeFileError
    from stratkit.io import load, resolve_strategy_path

    # no file, one that cannot be read, or one refused unread (too large, unsafe) is an
    # error of the command (stderr), not a finding
    try:
        resolved = resolve_strategy_path(path)
        resolved.open("rb").close()
    except StrategyFileError as exc:
        raise _Failure("; ".join(str(p) for p in exc.problems)) from None
    except OSError as exc:
        raise _Failure(f"{path}: cannot read file: {exc.strerror}") from None
    try:
        strategy = load(path, max_bytes=max_bytes())
    except UnsafeFileError as exc:
        raise _Failure("; ".join(str(p) for p in exc.problems)) from None
    except StrategyFileError as exc:
        n = len(exc.problems)
        for problem in exc.problems:
            click.echo(str(problem))
        click.echo(f"{exc.file}: invalid, {n} problem{'s' if n != 1 else ''}")
        click.get_current_context().exit(1)
    outcomes = list(strategy.outcomes())
    measured = sum(1 for o in outcomes if o.measure is not None and o.target is not None)
    objectives = sum(len(a.objectives) for a in strategy.ambitions)
    echo_safe(
        f"{_shown(path)}: valid. {strategy.title}: {len(strategy.ambitions)} ambitions "
        f"and enablers, {objectives} objectives, {len(outcomes)} outcomes "
        f"({measured} with a measure and a target)."
    )
    _validate_observations(path, strategy, observations, duplicates)


def _validate_observations(
    path: Path, strategy: Any, given: Path | None, duplicates: str = "error"
) -> None:
    """Check the observations against the strategy: every problem on stdout, exit 1."""
    from stratkit.cli._app import _observations_source
    from stratkit.errors import ObservationsError
    from stratkit.io import read_observations

    source = _observations_source(path, given)
    if source is None:
        click.echo("no observations to check (no observations*.csv beside the strategy)")
        return
    try:
        obs = read_observations(source, strategy=strategy, strict=True, duplicates=duplicates)
    except ObservationsError as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        n = len(exc.problems)
        click.echo(f"{exc.source}: invalid, {n} problem{'s' if n != 1 else ''}")
        click.get_current_context().exit(1)
    files = ", ".join(dict.fromkeys(obs.files)) or str(source)
    latest = obs.latest_end()
    n = len(obs.outcome_ids())
    click.echo(
        f"{files}: valid. {len(obs)} observation{'s' if len(obs) != 1 else ''} of "
        f"{n} outcome{'s' if n != 1 else ''}"
        + (f", the latest period ending {latest.isoformat()}." if latest else ".")
    )


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
@MAX_BYTES_OPTION
@_handle_errors
def lint(path: Path, fmt: str) -> None:
    """List what each outcome is missing to be judged (measure, target, baseline, ...).

    Each finding has a stable code (SK401 no measure, SK402 no unit, SK403 no
    target value, SK404 no baseline, SK405 no deadline, SK406 no owner, SK407
    no data source; SK409 no forum oversees the outcome, SK410 a governance
    value that neither cites a source nor is marked inferred).
    """
    from stratkit.model import governance_findings

    strategy = _load(path)
    report = _measurability(strategy)
    findings = _lint_findings(report) + [
        {
            "outcome_id": g.outcome_id,
            "code": g.code,
            "criterion": g.criterion,
            "message": g.message,
        }
        for g in governance_findings(strategy)
    ]
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
            echo_safe(f"{f['code']} {f['message']}")
        n_out = len({f["outcome_id"] for f in findings if f["outcome_id"] is not None})
        click.echo(
            f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in {n_out} of "
            f"{_count(strategy)} outcomes; measurability score "
            f"{report.score * 100:.0f}%",
            err=True,
        )
    if findings:
        click.get_current_context().exit(1)


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


# --- init -------------------------------------------------------------------------


def _scaffold_files(example: str | None, folder: Path | None) -> dict[str, bytes]:
    """Relative path -> content of the files ``init`` writes."""
    if example is None and folder is None:
        from importlib import resources

        root = resources.files("stratkit") / "_scaffold"
        return {
            entry.name: entry.read_bytes()
            for entry in sorted(root.iterdir(), key=lambda e: e.name)
            if entry.is_file() and entry.name.endswith((".yaml", ".csv", ".md"))
        }
    from stratkit.cli._init_source import InitSourceError, scaffold_files

    if example is not None:
        from stratkit import examples

        try:
            folder = examples.path(example)  # a name from examples.names(), never a path
        except KeyError as exc:
            as_path = "/" in example or os.sep in example
            hint = "; to copy a folder, use --from-folder" if as_path else ""
            raise click.BadParameter(str(exc.args[0]) + hint, param_hint="'--from'") from None
    assert folder is not None
    try:
        return scaffold_files(folder)
    except InitSourceError as exc:
        raise click.BadParameter(str(exc), param_hint="'--from-folder'") from None


def _target_folder(value: str) -> Path:
    if not value.strip():
        raise click.BadParameter("give a folder name (an empty name would mean this folder)")
    return Path(value)


def _write_scaffold(directory: Path, files: dict[str, bytes]) -> None:
    """Write every file or none: on any failure, what was written is removed."""
    made_dirs = [p for p in (directory, *directory.parents) if not os.path.lexists(p)]
    written: list[Path] = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            dest = directory / rel
            for folder in reversed(dest.relative_to(directory).parents[:-1]):
                sub = directory / folder  # a sub-folder such as templates/
                if not os.path.lexists(sub):
                    sub.mkdir()
                    made_dirs.insert(0, sub)
            with dest.open("xb") as fh:
                written.append(dest)
                fh.write(content)
    except BaseException:
        for dest in reversed(written):
            dest.unlink(missing_ok=True)
        for folder in made_dirs:  # innermost first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


@main.command(
    epilog="""\b
Examples:
  stratkit init my-trust --blank              a commented template to fill in
  stratkit init my-trust --from kmpt_2023_26  a copy of the KMPT worked example
  stratkit init my-trust --from-folder ../their-trust
                                              a copy of another strategy folder
  stratkit validate my-trust

Existing files are never overwritten: init stops and names them."""
)
@click.argument(
    "directory",
    type=click.Path(file_okay=False),
    callback=lambda ctx, param, value: _target_folder(value),
)
@click.option(
    "--from", "example", metavar="EXAMPLE", help="Copy a worked example (see the list below)."
)
@click.option(
    "--from-folder",
    "source",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Copy another strategy folder's strategy, README, observations, pack files.",
)
@click.option("--blank", is_flag=True, help="A blank, commented template (the default).")
@_handle_errors
def init(directory: Path, example: str | None, source: Path | None, blank: bool) -> None:
    """Start a strategy folder: strategy.yaml, observations.csv and a README.

    --from takes an example's name (not a path); --from-folder a folder of
    your own. Either copies only strategy.yaml, README.md, observations*
    (.csv, .xlsx, .md), commentary.yaml, branding.yaml and its logo, and
    templates/; a symbolic link that leads outside the folder is refused.
    If anything fails, nothing is left.

    The blank template's comments teach the file format; it validates as it
    is, so you can change it one step at a time and validate as you go.
    Examples available: kmpt_2023_26, kmpt_2020_23.
    """
    if sum((example is not None, source is not None, blank)) > 1:
        raise click.UsageError("choose one of --from EXAMPLE, --from-folder DIR and --blank")
    files = _scaffold_files(example, source)
    clashes = [rel for rel in files if os.path.lexists(directory / rel)]  # broken links too
    if clashes:
        raise _Failure(
            f"{directory} already has {', '.join(clashes)}; nothing was written "
            "(init never overwrites: choose another folder or move them)"
        )
    _write_scaffold(directory, files)
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
