"""Entities: the organisations of a portfolio, and the groups they roll up into.

A lookup file names them. It is a CSV with a ``code`` column and optional
``name``, ``region`` and ``parent`` columns (the parent is the body that
oversees the organisation, such as its Integrated Care Board)::

    code,name,region,parent
    RXX,Example NHS Trust,Example Region,QXX

An entity not in the lookup is shown by its code. The code ``ALL`` is the
total of every entity; a row for it gives the total its name (``England``).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

import attrs

from stratkit.errors import ObservationsError, Problem

__all__ = ["TOTAL", "Entity", "EntityLevel", "read_entities"]

TOTAL = "ALL"
"""The code of the aggregate of every entity in a portfolio."""

EntityLevel = Literal["entity", "parent", "region", "total"]


@attrs.frozen(kw_only=True)
class Entity:
    """One organisation (or an aggregate of several) in a portfolio.

    ``level`` is ``"entity"`` for an organisation in the data, and
    ``"parent"``, ``"region"`` or ``"total"`` for an aggregate of the
    organisations under that parent, in that region, or of all of them.
    """

    code: str
    name: str = ""
    region: str = ""
    parent: str = ""
    level: EntityLevel = "entity"

    @property
    def label(self) -> str:
        """The name, or the code when there is no name (``"RF4"``)."""
        return self.name or self.code

    def to_dict(self) -> dict[str, str]:
        """Plain data for JSON."""
        return {
            "code": self.code,
            "name": self.label,
            "region": self.region,
            "parent": self.parent,
            "level": self.level,
        }


def read_entities(source: str | os.PathLike[str] | Iterable[Entity]) -> dict[str, Entity]:
    """Read a lookup file (or take entities) as ``code -> Entity``.

    Raises :class:`~stratkit.errors.ObservationsError` naming the file and
    line for a missing ``code`` column, an empty code or a code given twice.
    """
    if not isinstance(source, (str, os.PathLike)):
        return {e.code: e for e in source}
    path = Path(source)
    name = str(path)
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    if "code" not in header:
        raise ObservationsError(
            [
                Problem(
                    file=name,
                    line=1,
                    message="no 'code' column",
                    expected="code,name,region,parent",
                    found=",".join(header),
                )
            ],
            name,
        )
    out: dict[str, Entity] = {}
    problems: list[Problem] = []
    for line, row in enumerate(reader, start=2):
        cells = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        code = cells.get("code", "")
        if not code:
            problems.append(Problem(file=name, line=line, path="code", message="empty code"))
            continue
        if code in out:
            problems.append(
                Problem(file=name, line=line, path="code", message=f"code {code!r} given twice")
            )
            continue
        out[code] = Entity(
            code=code,
            name=cells.get("name", ""),
            region=cells.get("region", ""),
            parent=cells.get("parent", ""),
        )
    if problems:
        raise ObservationsError(problems, name)
    return out


def entity_for(code: str, lookup: Mapping[str, Entity]) -> Entity:
    """The lookup's entry for ``code``, or a bare entity named by its code."""
    return lookup.get(code) or Entity(code=code)
