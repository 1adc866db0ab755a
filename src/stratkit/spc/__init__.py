"""NHS "Making Data Count" statistical process control (XmR charts), for any series.

:func:`spc` charts one series; :func:`spc_many` charts thousands held as one
long table, in one vectorised pass. Both reproduce the R package
NHSRplotthedots 0.2.2 exactly (mean, limits, every special-cause flag, point
types and both icons), and both define what that package leaves undefined:

* **Missing values** (NaN or None) are dropped before anything is computed:
  the moving range spans the gap between the neighbouring present points, and
  trends, two-in-three and shifts run across the gap, as on a chart with a
  gap. The missing point is reported back with ``point_type == "missing"`` and
  ``special_cause_type == "Missing"``; its mean and limits are those of its
  rebase group. Icons are read from the last non-missing point and its group.
* **Duplicate dates** within a series raise :class:`~stratkit.errors.SPCInputError`
  naming the series and the date.
* **One point** (in a series or a rebase group): NaN limits, common cause.
* **Infinite values** raise ``SPCInputError``.
* **Unsorted input** is sorted by date within each series; results are
  returned sorted (``SPCTable.source_index`` maps rows back to the input).
* ``fix_after_n_points`` below 12 and an unknown ``improvement_direction``
  raise ``SPCInputError`` naming the option.
* A **rebase date** starts a new group at the first point on or after it (a
  date after the last point does nothing; one on or before the first point
  numbers every group from 1, as a rebase mark on the first point does in the
  reference).

The package stands on its own: it imports nothing from the rest of stratkit
but :mod:`stratkit.errors` (and pint, lazily, for quantities; and, lazily,
the chart drawing of :mod:`stratkit.reporting` when a result is displayed:
``SPCResult._repr_html_`` and ``SPCResult.plot``), and
:mod:`stratkit.evaluation` builds on it, never the reverse.
:mod:`stratkit.spc.rules` holds the special-cause rules and their codes, and
:mod:`stratkit.spc.icons` draws the variation and assurance icons as SVG.
``stratkit.spc`` itself can be called: ``stratkit.spc(values, dates)`` is
:func:`spc`.
"""

import sys as _sys
import types as _types
from typing import Any as _Any

from stratkit.spc._charts import spc, spc_many
from stratkit.spc._input import IMPROVEMENT_DIRECTIONS
from stratkit.spc.results import (
    MIN_POINTS_FOR_ICONS,
    AssuranceIcon,
    ImprovementDirection,
    PointType,
    SPCResult,
    SPCTable,
    SpecialCauseType,
    VariationIcon,
    spc_icons_available,
)

__all__ = [
    "IMPROVEMENT_DIRECTIONS",
    "MIN_POINTS_FOR_ICONS",
    "AssuranceIcon",
    "ImprovementDirection",
    "PointType",
    "SPCResult",
    "SPCTable",
    "SpecialCauseType",
    "VariationIcon",
    "spc",
    "spc_icons_available",
    "spc_many",
]


class _CallableModule(_types.ModuleType):
    """``stratkit.spc`` is both this package and the function :func:`spc`.

    Importing the package binds ``stratkit.spc`` to the module, which would
    hide the function ``stratkit.spc(values, dates)`` of the top-level API;
    calling the module calls the function, so both spellings work.
    """

    def __call__(self, *args: _Any, **kwargs: _Any) -> SPCResult:
        return spc(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallableModule
