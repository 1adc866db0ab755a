"""The ``units`` command: every unit stratkit accepts, and a strategy's own."""

from __future__ import annotations

import json
from pathlib import Path

import click

from stratkit.cli._app import _handle_errors, _load, main


@main.command(
    epilog="""\b
Examples:
  stratkit units                           the built-in units
  stratkit units my-trust                  and the units my-trust declares
  stratkit units my-trust --format json

A strategy declares its own countable units (complaint, attendance, contact)
in a `units:` block; see the units page of the documentation."""
)
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A table, or JSON.",
)
@_handle_errors
def units(path: Path | None, fmt: str) -> None:
    """List the units a strategy may use: built in, then declared by the strategy."""
    from stratkit.units import list_units

    declared: set[str] = set()
    if path is not None:
        strategy = _load(path)
        declared = {u.name for u in strategy.units}
        declared |= {u.same_as for u in strategy.units if u.same_as}
    rows = [u for u in list_units() if not u.declared or u.name in declared]
    if fmt == "json":
        data = [
            {
                "name": u.name,
                "symbol": u.symbol,
                "also": list(u.names),
                "dimension": u.dimension,
                "declared": u.declared,
            }
            for u in rows
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    width = max(len(u.name) for u in rows)
    for u in rows:
        also = ", ".join(([u.symbol] if u.symbol else []) + list(u.names))
        origin = "declared" if u.declared else "built in"
        click.echo(f"{u.name:<{width}}  {origin:<8}  {u.dimension:<22}  {also}")
