"""Unit conversion for the evaluation: one pint call per pair of units, then plain floats.

A strategy of thousands of outcomes uses a handful of units, and its
quantities share pint's unit objects. :class:`Factors` keys its caches first
on the identity of those objects (an integer hash), then on their value
(pint's hash, computed in Python), so that converting an outcome's numbers
costs a dictionary look-up and a multiplication. Every object keyed by
identity is kept alive by the cache, so an identity cannot be reused while
the cache lives.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from stratkit.model import Measure
from stratkit.model._common import Frequency
from stratkit.units import Unit, convert_magnitudes, format_unit, natural_range, parse_unit

__all__ = ["Factors", "MeasureFacts", "tidy", "tidy_one"]


class MeasureFacts(NamedTuple):
    """What the evaluation needs of a measure, worked out once per measure."""

    unit: Unit | None
    text: str
    """The unit as written in files ("" without a unit)."""
    annual: bool | None
    """Whether the measure is annual (``None``: its frequency is not recorded)."""
    floor: float
    ceiling: float


_NO_MEASURE = MeasureFacts(unit=None, text="", annual=None, floor=-math.inf, ceiling=math.inf)


def tidy_one(x: float) -> float:
    """One converted value to 13 significant digits (see :func:`tidy`)."""
    return float(f"{x:.13g}") if math.isfinite(x) else x


def tidy(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Converted values rounded to 13 significant digits, in place.

    A unit conversion multiplies by a factor that binary floating point cannot
    always hold exactly: 0.57 as a fraction is 56.99999999999999 %. Thirteen
    significant digits is far beyond any measure's precision and removes that
    noise, so 0.57 becomes 57 % exactly.
    """
    finite = np.isfinite(values) & (values != 0)
    if not finite.any():
        return values
    v = values[finite]
    with np.errstate(all="ignore"):
        scale = 10.0 ** (12 - np.floor(np.log10(np.abs(v))))
        rounded = np.round(v * scale) / scale
    values[finite] = np.where(np.isfinite(rounded), rounded, v)
    return values


class Factors:
    """Conversion factors, unit texts and natural ranges, each computed once."""

    def __init__(self) -> None:
        self._by_value: dict[tuple[Any, Any], float] = {}
        # identity-keyed: (factor, the two keyed objects, kept alive)
        self._by_id: dict[tuple[int, int], tuple[float, Any, Any]] = {}
        self._by_text: dict[tuple[str, int], tuple[float, Any]] = {}
        self._range: dict[Any, tuple[float, float]] = {}
        self._text: dict[int, tuple[str, Any]] = {}
        self._measure: dict[int, tuple[MeasureFacts, Any]] = {}
        self.dimensionless = parse_unit("")

    def measure(self, m: Measure | None) -> MeasureFacts:
        """``m``'s unit, unit text, whether it is annual and its natural range."""
        if m is None:
            return _NO_MEASURE
        hit = self._measure.get(id(m))
        if hit is None:
            unit, freq = m.unit, m.frequency
            floor, ceiling = self.range(unit) if m.range is None else m.range_in_unit()
            facts = MeasureFacts(
                unit=unit,
                text=self.text(unit) if unit is not None else "",
                annual=None if freq is None else freq is Frequency.ANNUAL,
                floor=floor,
                ceiling=ceiling,
            )
            hit = self._measure[id(m)] = (facts, m)
        return hit[0]

    def _factor(self, found: Unit, expected: Unit, oid: str) -> float:
        """The factor from ``found`` to ``expected``, keyed on their values (slow path)."""
        key = (found._units, expected._units)
        f = self._by_value.get(key)
        if f is None:
            ones = np.ones(1)
            f = float(convert_magnitudes(ones, found, expected, f"outcome {oid}")[0])
            self._by_value[key] = f
        return f

    def __call__(self, found: Unit, expected: Unit, oid: str) -> float:
        """The factor from ``found`` to ``expected``; ``oid`` names the outcome on error."""
        key = (id(found), id(expected))
        hit = self._by_id.get(key)
        if hit is None:
            hit = (self._factor(found, expected, oid), found, expected)
            self._by_id[key] = hit
        return hit[0]

    def text_unit(self, text: str, expected: Unit, oid: str) -> float:
        """The factor from the unit written ``text`` (an observation's) to ``expected``."""
        key = (text, id(expected))
        hit = self._by_text.get(key)
        if hit is None:
            hit = (self(parse_unit(text), expected, oid), expected)
            self._by_text[key] = hit
        return hit[0]

    def value(self, q: Any, unit: Unit, oid: str, *, tidy: bool = True) -> float:
        """Quantity ``q``'s magnitude in ``unit``, tidied when converted.

        Not tidied (``tidy=False``) when it is a factor in further arithmetic,
        whose result the caller tidies instead (a rounded -97.8243416972 %
        would move ``b * (1 + change)`` by 1e-12).
        """
        found = q._units
        key = (id(found), id(unit))
        hit = self._by_id.get(key)
        if hit is None:
            hit = (self._factor(q.units, unit, oid), found, unit)
            self._by_id[key] = hit
        f = hit[0]
        if f == 1.0:
            return float(q.magnitude)
        return tidy_one(float(q.magnitude) * f) if tidy else float(q.magnitude) * f

    def range(self, unit: Unit | None) -> tuple[float, float]:
        """The natural range of a measure in ``unit`` (unbounded without a unit)."""
        if unit is None:
            return (-math.inf, math.inf)
        key = unit._units
        found = self._range.get(key)
        if found is None:
            found = self._range[key] = natural_range(unit)
        return found

    def text(self, unit: Unit) -> str:
        """``unit`` as written in files."""
        hit = self._text.get(id(unit))
        if hit is None:
            hit = self._text[id(unit)] = (format_unit(unit), unit)
        return hit[0]
