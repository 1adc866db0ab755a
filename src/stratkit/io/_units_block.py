"""A strategy file's ``units:`` block, declared before the rest of the file is read.

Measures and targets name their units as they are read, so the units a file
declares must be in the registry first; and while the file is read, only the
built-in units and *its own* declared units are accepted
(:func:`stratkit.units.unit_scope`), whatever other strategies the process
has loaded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from stratkit.errors import UnitError

__all__ = ["declared_units_of"]


@contextlib.contextmanager
def declared_units_of(data: Any, structurer: Any) -> Iterator[None]:
    """Declare the units of ``data["units"]`` and read the file within their scope.

    A declaration that conflicts with a unit already in the registry is a
    problem at ``units[i]``; the file's reading goes on, so every other
    problem is reported too.
    """
    from stratkit.io._convert import FAILED, Structurer
    from stratkit.model import UnitDeclaration
    from stratkit.units import unit_scope

    names: set[str] = set()
    block = data.get("units") if isinstance(data, dict) else None
    if isinstance(block, list):
        quiet = Structurer(structurer.file)  # the main pass reports its shape problems
        for i, item in enumerate(block):
            declaration = quiet.structure(item, UnitDeclaration, f"units[{i}]")
            if declaration is FAILED:
                continue
            try:
                names.update(declaration.declare())
            except UnitError as exc:
                structurer.add(f"units[{i}]", str(exc))
                # the conflict is the problem; the names it uses are not others as well
                names.update((declaration.name, declaration.name + "s", *declaration.aliases))
    with unit_scope(names):
        yield
