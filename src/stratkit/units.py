"""The one unit registry of stratkit, and the helpers that parse and print units.

The registry is built from ``units.txt`` beside this module, a small and
documented pint definitions file: percent and percentage points (different
units), 0-10 survey scores, counts of people, patients, incidents, beds,
placements, bed days and referrals (each its own dimension), money in GBP,
tonnes of CO2e, kWh, cubic metres and time.

pint is imported on first use, not when ``stratkit`` is imported.

>>> from stratkit.units import parse_quantity, format_quantity
>>> format_quantity(parse_quantity("95 percent"))
'95 %'
>>> format_quantity(parse_quantity("2 percentage_points"))
'2 pp'
>>> parse_quantity("12 hours").to("minutes").magnitude
720
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any

from stratkit.errors import DimensionalityError, UnitError, UnknownUnitError

if TYPE_CHECKING:
    import numpy as np
    import pint
    from numpy.typing import NDArray

__all__ = [
    "MAX_MAGNITUDE",
    "MAX_QUANTITY_CHARS",
    "MAX_UNIT_CHARS",
    "Quantity",
    "Unit",
    "UnitInfo",
    "check_dimension",
    "check_magnitude",
    "convert_magnitudes",
    "declare_unit",
    "format_magnitude",
    "format_quantity",
    "format_unit",
    "is_percent",
    "list_units",
    "natural_range",
    "parse_quantity",
    "parse_unit",
    "quantity",
    "registry",
    "same_dimension",
    "unit_scope",
]

QUANTITY_MARK = "stratkit:quantity"
UNIT_MARK = "stratkit:unit"
Quantity = Annotated[Any, QUANTITY_MARK]
"""A pint quantity from :func:`registry`; written in files as text, ``"95 %"``."""
Unit = Annotated[Any, UNIT_MARK]
"""A pint unit from :func:`registry`; written in files as text, ``"%"``."""

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
# The number only, matched at the start: the unit is the rest of the text,
# stripped. No part of the pattern can backtrack over the unit, so reading a
# quantity is linear in its length (a lazy ``(?P<unit>.*?)\s*$`` was quadratic).
_QUANTITY_RE = re.compile(rf"\s*(?P<number>{_NUMBER})")
_INTEGER_RE = re.compile(r"[+-]?\d+")
MAX_QUANTITY_CHARS = 200
"""The longest quantity text read (``"95 %"`` is 4 characters); longer text is refused."""
MAX_UNIT_CHARS = 100
"""The longest unit text read; pint's parser is slow on very long expressions."""
MAX_MAGNITUDE = 1e15
"""The largest magnitude accepted in a quantity (either sign); larger ones are refused.

Far beyond any NHS measure (a trust's budget is about 1e9 GBP), and far enough
from a float's limit (1.8e308) that no calculation on it overflows.
"""
_SYMBOL_REWRITES = (("£", "GBP "), ("€", "EUR "))
_MONEY_SUFFIXES = {"m": "GBPm", "M": "GBPm", "million": "GBPm", "k": "kGBP", "K": "kGBP"}


@functools.cache
def registry() -> pint.UnitRegistry[Any]:
    """The package's unit registry, built once from ``units.txt``."""
    import pint

    reg: pint.UnitRegistry[Any] = pint.UnitRegistry(
        None, autoconvert_offset_to_baseunit=False, cache_folder=None
    )
    text = resources.files("stratkit").joinpath("units.txt").read_text(encoding="utf-8")
    reg.load_definitions(text.splitlines())
    # pint unpickles into its application registry, which knows neither our units
    # nor our quantities; a strategy sent to another process must come back in ours.
    reg.Quantity.__reduce__ = _reduce_quantity  # type: ignore[method-assign,assignment]
    reg.Unit.__reduce__ = _reduce_unit  # type: ignore[method-assign]
    return reg


def _reduce_quantity(q: Any) -> tuple[Any, tuple[Any, ...]]:
    from stratkit._declared_units import declarations_for

    declared = declarations_for(q.units)
    if declared:
        return _rebuild_quantity, (q.magnitude, str(q.units), declared)
    return _rebuild_quantity, (q.magnitude, str(q.units))


def _reduce_unit(u: Any) -> tuple[Any, tuple[Any, ...]]:
    from stratkit._declared_units import declarations_for

    declared = declarations_for(u)  # a declared unit travels with its declaration
    return (_rebuild_unit, (str(u), declared)) if declared else (_rebuild_unit, (str(u),))


def _rebuild_quantity(
    magnitude: Any, unit: str, declared: tuple[tuple[str, str], ...] = ()
) -> Quantity:
    return registry().Quantity(magnitude, _rebuild_unit(unit, declared))


def _rebuild_unit(unit: str, declared: tuple[tuple[str, str], ...] = ()) -> Unit:
    if declared:
        from stratkit._declared_units import redeclare

        redeclare(declared)
    return registry().Unit(unit)


@functools.cache
def _known_names() -> tuple[str, ...]:
    reg = registry()
    return tuple(sorted(set(reg._units.keys())))


def _suggest(name: str) -> list[str]:
    """Up to three close names, one per unit ("incident", not also "incidents").

    Only units of one dimension are offered, the dimension of the closest name:
    ``precent`` suggests ``percent``, not also ``project`` or ``placement``.
    """
    from stratkit._declared_units import hidden_names

    reg = registry()
    hidden = hidden_names()
    names = [n for n in _known_names() if n not in hidden]
    same_but_case = [n for n in names if n.lower() == name.lower()]  # "kwh" -> "kWh"
    suggestions: dict[str, str] = {}
    for n in same_but_case + difflib.get_close_matches(name, names, n=8, cutoff=0.6):
        suggestions.setdefault(reg.get_name(n), n)
    found = list(suggestions.values())
    if not found:
        return []
    dimension = reg.get_dimensionality(found[0])
    return [n for n in found if reg.get_dimensionality(n) == dimension][:3]


def _clean_unit_text(text: str) -> str:
    text = text.strip()
    for symbol, name in _SYMBOL_REWRITES:
        if text.startswith(symbol):
            text = name + text[len(symbol) :]
    return text.strip()


def parse_unit(text: str) -> Unit:
    """Parse a unit expression (``"%"``, ``"score"``, ``"incident / bed_day"``).

    An empty string is the dimensionless unit. Raises
    :class:`~stratkit.errors.UnknownUnitError` with close matches of the same
    dimension for a misspelt name, and :class:`~stratkit.errors.UnitError` for
    text longer than :data:`MAX_UNIT_CHARS` characters. Units a strategy declares
    (:func:`declare_unit`) are known too; while a strategy file is read, only
    the ones *it* declares (:func:`unit_scope`).
    """
    from stratkit._declared_units import out_of_scope

    hidden = out_of_scope(text)
    if hidden is not None:
        raise UnknownUnitError(
            hidden,
            note="declared by another strategy in this process, not by this one: "
            "declare it in this file's units",
        )
    return _parse_unit(text)


@functools.lru_cache(maxsize=1024)  # bounded: a fuzzed file holds endless distinct units
def _parse_unit(text: str) -> Unit:
    import pint

    if not isinstance(text, str):
        raise UnitError(f"expected a unit as text, found {type(text).__name__}")
    reg = registry()
    cleaned = _clean_unit_text(text)
    if not cleaned:
        return reg.dimensionless
    if len(cleaned) > MAX_UNIT_CHARS:
        raise UnitError(
            f"cannot read unit {_clip(cleaned)}: longer than {MAX_UNIT_CHARS} characters"
        )
    try:
        return reg.Unit(cleaned)
    except pint.UndefinedUnitError as exc:
        names = exc.unit_names  # pint < 0.24 gives one name as text, later a tuple
        bad = str((names if isinstance(names, str) else names[0]) if names else cleaned)
        raise UnknownUnitError(text.strip() or bad, _suggest(bad)) from None
    except Exception as exc:  # pint's parser raises whatever its tokenizer meets
        detail = f": {exc}" if str(exc) else ""
        raise UnitError(f"cannot read unit {text!r}{detail}") from None


def _clip(text: str, limit: int = 40) -> str:
    """``repr(text)``, cut to about ``limit`` characters (for messages about long input)."""
    return (
        repr(text)
        if len(text) <= limit
        else repr(text[:limit]) + f"... ({len(text):,} characters)"
    )


def check_magnitude(magnitude: Any, what: str = "a quantity") -> None:
    """Raise :class:`~stratkit.errors.UnitError` unless ``magnitude`` is a finite
    real number no larger than :data:`MAX_MAGNITUDE` in size."""
    if isinstance(magnitude, bool) or not isinstance(magnitude, (int, float)):
        try:
            magnitude = float(magnitude)
        except (TypeError, ValueError, OverflowError):
            raise UnitError(f"{what} must be a number, not {type(magnitude).__name__}") from None
    if isinstance(magnitude, float) and not math.isfinite(magnitude):
        raise UnitError(f"{what} must be a finite number, not {magnitude!r}")
    if abs(magnitude) > MAX_MAGNITUDE:
        raise UnitError(f"{what} is too large: at most {MAX_MAGNITUDE:g} in size")


def quantity(magnitude: float, unit: str | Unit) -> Quantity:
    """A scalar quantity; ``unit`` may be text or a unit.

    The magnitude must be finite and at most :data:`MAX_MAGNITUDE` in size.
    """
    check_magnitude(magnitude)
    reg = registry()
    u = parse_unit(unit) if isinstance(unit, str) else unit
    return reg.Quantity(magnitude, u)


def parse_quantity(text: str) -> Quantity:
    """Parse ``"95 %"``, ``"6.9 score"``, ``"£1.5 GBPm"``-style text into a quantity.

    The number comes first, then the unit; a bare number is dimensionless.
    Integers stay integers so that ``"95 %"`` prints back as ``"95 %"``.
    Text longer than :data:`MAX_QUANTITY_CHARS` and magnitudes beyond
    :data:`MAX_MAGNITUDE` are refused; reading takes time linear in the text.
    """
    if not isinstance(text, str):
        raise UnitError(f"expected text such as '95 %', found {type(text).__name__}")
    if len(text) > MAX_QUANTITY_CHARS:
        raise UnitError(
            f"cannot read {_clip(text)} as a quantity: longer than {MAX_QUANTITY_CHARS} characters"
        )
    raw = text.strip()
    prefix_unit = ""
    for symbol, name in _SYMBOL_REWRITES:
        if raw.startswith(symbol):
            raw = raw[len(symbol) :].strip()
            prefix_unit = name.strip()
    match = _QUANTITY_RE.match(raw)
    if match is None:
        raise UnitError(f"cannot read {text!r} as a quantity; expected a number then a unit")
    number_text = match["number"]
    number: float = int(number_text) if _INTEGER_RE.fullmatch(number_text) else float(number_text)
    if (isinstance(number, float) and not math.isfinite(number)) or abs(number) > MAX_MAGNITUDE:
        raise UnitError(
            f"cannot read {_clip(text)} as a quantity; the number is too large "
            f"(at most {MAX_MAGNITUDE:g} in size)"
        )
    unit_text = raw[match.end() :].strip()
    if prefix_unit == "GBP" and unit_text in _MONEY_SUFFIXES:
        unit_text = _MONEY_SUFFIXES[unit_text]  # "£1.5m" is 1.5 GBPm, not 1.5 GBP * metre
    elif prefix_unit and not _names_currency(unit_text):
        unit_text = f"{prefix_unit} {unit_text}".strip()
    return quantity(number, parse_unit(unit_text))


def _names_currency(text: str) -> bool:
    """Whether ``text`` already names money, as ``GBPm`` does in ``"£1.5 GBPm"``."""
    try:
        unit = parse_unit(text)
    except UnitError:
        return False
    return "[currency]" in unit.dimensionality


def format_magnitude(value: float) -> str:
    """The shortest text that reads back as the same number (``95``, ``6.9``)."""
    if isinstance(value, bool):
        raise UnitError("a boolean is not a magnitude")
    if isinstance(value, int):
        return str(value)
    value = float(value)
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def format_unit(unit: Unit) -> str:
    """Short, readable text for a unit: ``%``, ``pp``, ``score``, ``incident / bed_day``."""
    reg = registry()
    items = list(unit._units.items())
    if not items:
        return ""

    def name(n: str) -> str:
        symbol = reg.get_symbol(n)
        return symbol if symbol and symbol != "_" and symbol.isascii() else n

    def power(n: str, e: float) -> str:
        e_text = format_magnitude(e)
        return name(n) if e_text == "1" else f"{name(n)} ** {e_text}"

    num = [power(n, e) for n, e in items if e > 0]
    den = [power(n, -e) for n, e in items if e < 0]
    text = " * ".join(num) if num else "1"
    if den:
        text += " / " + " / ".join(den)
    return text


def format_quantity(q: Quantity) -> str:
    """``"95 %"``, ``"6.9 score"``, ``"2 pp"``: how quantities are written in files."""
    unit = format_unit(q.units)
    mag = format_magnitude(q.magnitude)
    return f"{mag} {unit}" if unit else mag


def same_dimension(a: Unit, b: Unit) -> bool:
    """Whether values in ``a`` can be converted to ``b``."""
    return bool(a.dimensionality == b.dimensionality)


def check_dimension(found: Unit, expected: Unit, context: str = "") -> None:
    """Raise :class:`~stratkit.errors.DimensionalityError` unless ``found`` converts."""
    if not same_dimension(found, expected):
        raise DimensionalityError(
            format_unit(found) or "dimensionless",
            format_unit(expected) or "dimensionless",
            context,
        )


def is_percent(unit: Unit) -> bool:
    """Whether ``unit`` is a ratio (percent, fraction, per thousand)."""
    return bool(unit.dimensionless)


# Dimensions whose quantities may be negative: money (a deficit) and
# percentage points (a fall). Every other dimension of the registry measures
# an amount of something (people, bed days, tonnes, hours) and cannot.
_SIGNED_DIMENSIONS = frozenset({"[currency]", "[percentage_point]"})


def natural_range(unit: Unit) -> tuple[float, float]:
    """The values a measure in ``unit`` can take, in ``unit``: ``(low, high)``.

    A survey score lies in 0 to 10; a count, a rate of counts, a mass, a
    volume or a time is never negative. Ratios (percent) are left unbounded:
    a percent may be a relative change (-12 %) or an occupancy above 100 %,
    and only the measure's definition could say which.

    >>> natural_range(parse_unit("score")), natural_range(parse_unit("bed_day"))
    ((0.0, 10.0), (0.0, inf))
    >>> natural_range(parse_unit("%")), natural_range(parse_unit("GBPm"))
    ((-inf, inf), (-inf, inf))
    """
    dims = dict(unit.dimensionality)
    if not dims or any(d in _SIGNED_DIMENSIONS for d in dims):
        return (-math.inf, math.inf)
    if set(dims) == {"[survey_score]"}:
        ten = float(registry().Quantity(10.0, "score").to(unit).magnitude)
        return (0.0, ten)
    return (0.0, math.inf)


def convert_magnitudes(
    values: NDArray[np.float64], found: Unit, expected: Unit, context: str = ""
) -> NDArray[np.float64]:
    """Convert an array of magnitudes from ``found`` to ``expected`` in one step.

    One multiplication per array, not one pint call per value.
    """
    import numpy as np

    check_dimension(found, expected, context)
    if found == expected:
        return np.asarray(values, dtype=np.float64)
    factor = float(registry().Quantity(1.0, found).to(expected).magnitude)
    return np.asarray(values, dtype=np.float64) * factor


from stratkit._declared_units import (  # noqa: E402  (they use the registry above)
    UnitInfo,
    declare_unit,
    list_units,
    unit_scope,
)
