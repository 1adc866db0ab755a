"""Units a strategy declares, added to the one registry of the package.

The registry is one per process (:func:`stratkit.units.registry`). A unit a
strategy declares is added to it **idempotently, with a conflict check**: a
name, once declared, means the same unit for the rest of the process, so two
strategies that declare the same unit share it, and a strategy that declares
a name in another meaning is refused with an error naming both meanings.
Nothing a strategy declares can change what a unit of another strategy means.

Visibility is per strategy: while a strategy file is read, only the built-in
units and the units *that file* declares are accepted (:func:`unit_scope`),
so a file that forgets to declare ``complaint`` fails the same way whether or
not another strategy in the process declared it.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from stratkit.errors import UnitError

__all__ = ["UnitInfo", "declare_unit", "declared_meaning", "list_units", "unit_scope"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# every declared name (a unit or an alias) -> the canonical unit it means;
# a new unit means itself
_DECLARED: dict[str, str] = {}
_LOCK = threading.Lock()
_SCOPE: contextvars.ContextVar[frozenset[str] | None] = contextvars.ContextVar(
    "stratkit_unit_scope", default=None
)


def declared_meaning(name: str) -> str | None:
    """The canonical unit a declared ``name`` means (``None`` if not declared)."""
    meaning: str | None = _DECLARED.get(name)
    return meaning


def _registry() -> Any:
    from stratkit.units import registry

    return registry()


def _meaning_now(reg: Any, name: str) -> str | None:
    """What ``name`` means in the registry now (its canonical name), or ``None``."""
    if name in _DECLARED:
        return _DECLARED[name]
    if name in reg._units:
        return str(reg.get_name(name))
    return None


def declare_unit(
    name: str, *, aliases: Iterable[str] = (), same_as: str | None = None
) -> tuple[str, ...]:
    """Add a countable unit (its own dimension), or another name for a unit.

    With ``same_as``, ``name`` is another name for that existing unit (no new
    dimension). Otherwise ``name`` is a new countable unit, its own dimension,
    written also as ``name + "s"`` and as each of ``aliases``. Declaring what
    is already declared is a no-op; giving a name a second meaning raises
    :class:`~stratkit.errors.UnitError`. Returns every name declared.
    """
    aliases = tuple(aliases)
    for n in (name, *aliases):
        if not isinstance(n, str) or not _NAME.match(n):
            raise UnitError(
                f"cannot declare unit {n!r}: a unit name is letters, digits and _, "
                "starting with a letter (e.g. 'complaint', 'bed_night')"
            )
    with _LOCK:
        reg = _registry()
        if same_as is None:
            meaning = name
            existing = _meaning_now(reg, name)
            if existing is not None and name not in _DECLARED:
                raise UnitError(
                    f"cannot declare unit {name!r}: it is already a built-in unit "
                    "(use it as it is, or choose another name)"
                )
            if f"[{name}]" in reg._dimensions and name not in _DECLARED:
                raise UnitError(f"cannot declare unit {name!r}: its dimension is built in")
            plural = () if name.endswith("s") else (name + "s",)
            names = (name, *plural, *aliases)
        else:
            target = _single_unit(reg, same_as, name)
            meaning = _DECLARED.get(target, str(reg.get_name(target)))
            names = (name, *aliases)
        for n in dict.fromkeys(names):
            existing = _meaning_now(reg, n)
            if existing is not None and existing != meaning:
                raise UnitError(
                    f"cannot declare unit {n!r} as {meaning!r}: it already means {existing!r}"
                    + (
                        " (declared by another strategy in this process; units strategies "
                        "declare in one process must agree, so rename it in this file)"
                        if n in _DECLARED
                        else " (a built-in unit)"
                    )
                )
        if same_as is None and name not in _DECLARED:
            reg.define(f"{name} = [{name}]")
            _DECLARED[name] = meaning
        for n in dict.fromkeys(names):
            if _meaning_now(reg, n) is None:
                reg.define(f"@alias {meaning} = {n}")
                _DECLARED[n] = meaning
        _forget_caches()
    return tuple(dict.fromkeys(names))


def _single_unit(reg: Any, text: str, name: str) -> str:
    import pint

    try:
        unit = reg.Unit(text.strip())
    except (pint.UndefinedUnitError, ValueError, AttributeError, TypeError):
        raise UnitError(
            f"cannot declare {name!r} as another name for {text!r}: no such unit"
        ) from None
    items = list(unit._units.items())
    if len(items) != 1 or items[0][1] != 1:
        raise UnitError(
            f"cannot declare {name!r} as another name for {text!r}: "
            "an alias names one unit, not a combination"
        )
    return str(items[0][0])


def _forget_caches() -> None:
    from stratkit import units

    units._known_names.cache_clear()


@contextlib.contextmanager
def unit_scope(names: Iterable[str]) -> Iterator[None]:
    """Within the block, accept only built-in units and the declared ``names``."""
    token = _SCOPE.set(frozenset(names))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def out_of_scope(text: str) -> str | None:
    """The first declared name in ``text`` that the active scope does not allow."""
    scope = _SCOPE.get()
    if scope is None or not _DECLARED:
        return None
    tokens: list[str] = _TOKEN.findall(text)
    return next((t for t in tokens if t in _DECLARED and t not in scope), None)


def hidden_names() -> frozenset[str]:
    """Declared names the active scope does not allow (none outside a scope)."""
    scope = _SCOPE.get()
    if scope is None:
        return frozenset()
    return frozenset(n for n in _DECLARED if n not in scope)


def declarations_for(unit: Any) -> tuple[tuple[str, str], ...]:
    """``(name, meaning)`` of each declared unit in ``unit``, for pickling."""
    return tuple((n, _DECLARED[n]) for n in unit._units if n in _DECLARED)


def redeclare(pairs: Iterable[tuple[str, str]]) -> None:
    """Declare again, in this process, the units a pickled value needs."""
    for name, meaning in pairs:
        if name == meaning:
            declare_unit(name)
        else:
            declare_unit(name, same_as=meaning)


@attrs.frozen
class UnitInfo:
    """One unit of the registry, for ``stratkit units``."""

    name: str
    symbol: str | None
    names: tuple[str, ...]
    """Every other name it may be written as."""
    dimension: str
    declared: bool
    """Declared by a strategy in this process, not built in."""


def list_units() -> tuple[UnitInfo, ...]:
    """Every unit of the registry (built in, then declared), with its other names."""
    reg = _registry()
    others: dict[str, list[str]] = {}
    for key in reg._units:
        canonical = str(reg.get_name(key))
        if key != canonical:
            others.setdefault(canonical, []).append(key)
    out = []
    for key, definition in reg._units.items():
        if definition.name != key:
            continue
        symbol = definition.symbol if definition.has_symbol else None
        dims = reg.get_dimensionality(key)
        dimension = (
            " * ".join(d if e == 1 else f"{d} ** {e:g}" for d, e in sorted(dims.items()))
            or "dimensionless"
        )
        out.append(
            UnitInfo(
                name=key,
                symbol=symbol if symbol and symbol != "_" else None,
                names=tuple(n for n in others.get(key, []) if n != symbol),
                dimension=dimension,
                declared=key in _DECLARED,
            )
        )
    return tuple(sorted(out, key=lambda u: u.declared))
