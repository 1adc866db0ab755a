"""A unit a strategy declares in its ``units:`` block."""

from __future__ import annotations

import re

import attrs

from stratkit.model._common import (
    Problems,
    brief,
    cut,
    non_empty_text,
    optional_text,
    to_tuple,
    tuple_of,
)

__all__ = ["UnitDeclaration"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@attrs.frozen(kw_only=True)
class UnitDeclaration:
    """A countable unit of the trust's own (``complaint``), or another name for a unit.

    Without ``same_as`` the unit is new and its own dimension: complaints never
    convert into attendances or into people. It may be written as ``name``,
    its plural (``name`` + ``s``) or any of ``aliases``. With ``same_as``,
    ``name`` and ``aliases`` are other names for that unit (``bed_night`` for
    ``bed_day``).
    """

    name: str = attrs.field(validator=non_empty_text)
    """Letters, digits and ``_`` (``complaint``, ``bed_night``)."""
    aliases: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=tuple_of(str))
    same_as: str | None = attrs.field(default=None, validator=optional_text)
    """An existing unit this is another name for."""
    description: str | None = attrs.field(default=None, validator=optional_text)
    """What one of it is ("a formal complaint received")."""

    def __repr__(self) -> str:
        same = f" = {cut(self.same_as, 30)}" if self.same_as else ""
        aliases = f" (also {brief(', '.join(self.aliases))})" if self.aliases else ""
        return f"<UnitDeclaration {cut(self.name, 30)}{same}{aliases}>"

    def __attrs_post_init__(self) -> None:
        p = Problems()
        for path, n in [("name", self.name)] + [
            (f"aliases[{i}]", a) for i, a in enumerate(self.aliases)
        ]:
            if not _NAME.match(n):
                p.add(
                    path,
                    "not a unit name",
                    expected="letters, digits and _, starting with a letter",
                    found=repr(n),
                )
        p.raise_if_any()

    def declare(self) -> tuple[str, ...]:
        """Add it to the unit registry (idempotent); returns every name it may be written as."""
        from stratkit.units import declare_unit

        return declare_unit(self.name, aliases=self.aliases, same_as=self.same_as)
