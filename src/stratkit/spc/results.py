"""Result types of :mod:`stratkit.spc`: :class:`SPCResult` and :class:`SPCTable`."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MIN_POINTS_FOR_ICONS",
    "AssuranceIcon",
    "ImprovementDirection",
    "PointType",
    "SPCResult",
    "SPCTable",
    "SpecialCauseType",
    "VariationIcon",
    "spc_icons_available",
]

ImprovementDirection = Literal["increase", "decrease", "neutral"]
SpecialCauseType = Literal[
    "Common Cause",
    "Above UCL",
    "Below LCL",
    "7 Point Trend (Increasing)",
    "7 Point Trend (Decreasing)",
    "2 in 3 Above CL",
    "2 in 3 Below CL",
    "7 Points Above CL",
    "7 Points Below CL",
    "Missing",
]
PointType = Literal[
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
    "missing",
]
VariationIcon = Literal[
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
]
AssuranceIcon = Literal["pass", "fail", "inconsistent"]

#: Making Data Count shows no variation or assurance icon for a measure with
#: fewer than this many (non-missing) points. stratkit still computes both
#: icons exactly as the reference does; use :func:`spc_icons_available` to
#: decide whether to *show* them.
MIN_POINTS_FOR_ICONS = 15

FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]


def spc_icons_available(n_points: int) -> bool:
    """Whether Making Data Count would show icons for a chart of ``n_points`` points.

    >>> spc_icons_available(14), spc_icons_available(15)
    (False, True)
    """
    return n_points >= MIN_POINTS_FOR_ICONS


@attrs.frozen(kw_only=True, eq=False)
class SPCResult:
    """An XmR chart of one series, point by point, with its two icons.

    Per-point arrays (all the same length, sorted by date) are read-only numpy
    arrays: ``dates`` (``datetime64[D]``), ``values``, ``mean``, ``lpl``,
    ``upl`` (NaN where the limits are undefined), ``rebase_group`` (0, 1, ...),
    ``special_cause_type`` and ``point_type`` (object arrays of the labels in
    :data:`SpecialCauseType` / :data:`PointType`; a missing value has
    ``"Missing"`` / ``"missing"``), and ``short_group_warning`` (its rebase
    group has 12 non-missing points or fewer).

    Per series: ``variation_icon`` (:data:`VariationIcon`, read from the last
    non-missing point), ``assurance_icon`` (``"pass"``, ``"fail"``,
    ``"inconsistent"``, or None without a target or with a neutral direction),
    and the options it was computed with. ``unit`` is the values' unit as text
    when they were a pint quantity (``target`` is then in that unit).

    Equality is identity (``eq=False``): compare the arrays you care about.
    """

    series_id: Hashable | None = None
    dates: npt.NDArray[np.datetime64]
    values: FloatArray
    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    rebase_group: npt.NDArray[np.int64]
    special_cause_type: ObjectArray
    point_type: ObjectArray
    short_group_warning: npt.NDArray[np.bool_]
    variation_icon: VariationIcon
    assurance_icon: AssuranceIcon | None
    improvement_direction: ImprovementDirection
    target: float | None
    unit: str | None = None
    fix_after_n_points: int | None = None
    screen_outliers: bool = True

    @property
    def n_points(self) -> int:
        """Number of points, missing ones included."""
        return int(self.values.size)

    def __repr__(self) -> str:
        """``<SPCResult 24 points, 2023-04-30 to 2025-03-31: mean 86.06, limits 79.53 to
        92.6; common_cause, pass>``."""
        sid = None if self.series_id is None else " ".join(str(self.series_id).split())
        if sid is not None and len(sid) > 20:
            sid = sid[:19] + "…"
        head = "<SPCResult " if sid is None else f"<SPCResult {sid} "
        text = head + f"{self.n_points} points"
        if self.n_points:
            text += f", {self.dates[0]} to {self.dates[-1]}"
        mean, lpl, upl = self.latest_limits
        if mean is not None:
            text += f": mean {mean:.4g}"
            if lpl is not None and upl is not None:
                text += f", limits {lpl:.4g} to {upl:.4g}"
        icons = [self.variation_icon] + ([self.assurance_icon] if self.assurance_icon else [])
        return text + f"; {', '.join(icons)}>"

    def _repr_html_(self) -> str:
        """The chart, as the report draws it (an inline SVG)."""
        from stratkit.reporting.notebook import spc_html

        return str(spc_html(self))

    def plot(self, ax: Any = None, *, title: str | None = None) -> Any:
        """Draw the chart with matplotlib and return the ``Axes`` (needs the plot extra).

        Making Data Count's conventions: the values as a grey line with
        points coloured by type (blue improvement, orange concern, purple
        neutral), the mean solid, the process limits dashed, the target as a
        red dashed line, one segment per rebase group.

        Args:
            ax: the matplotlib ``Axes`` to draw on; a new figure's when ``None``.
            title: the chart's title (default: none).

        Raises:
            MissingExtraError: matplotlib is not installed
                (``pip install "stratkit-nhs[plot]"``).
        """
        from stratkit.reporting.plot import plot_spc

        return plot_spc(self, ax=ax, title=title)

    @property
    def n_missing(self) -> int:
        """Number of missing (NaN/None) values."""
        return int(np.isnan(self.values).sum())

    @property
    def icons_available(self) -> bool:
        """Whether Making Data Count would show icons (>= 15 non-missing points)."""
        return spc_icons_available(self.n_points - self.n_missing)

    @property
    def latest_limits(self) -> tuple[float | None, float | None, float | None]:
        """``(mean, lpl, upl)`` at the last non-missing point (``None`` where undefined).

        The centre line and process limits a Making Data Count summary table
        quotes beside the latest value.
        """
        last = _last_point(self.values)
        if last is None:
            return None, None, None
        return (
            _finite(self.mean[last]),
            _finite(self.lpl[last]),
            _finite(self.upl[last]),
        )

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain, JSON-ready data (NaN as ``None``, dates as ISO text).

        The series' fields, the icons (with ``icons_available``), the latest
        ``mean``, ``lpl`` and ``upl``, and ``points``: one dict per point with
        its date, value, mean, limits, rebase group, special-cause type,
        point type and short-group warning.
        """
        mean, lpl, upl = self.latest_limits
        sid = self.series_id
        dates = self.dates.astype("datetime64[D]").astype(str).tolist()
        points = [
            {
                "date": dates[i],
                "value": _finite(self.values[i]),
                "mean": _finite(self.mean[i]),
                "lpl": _finite(self.lpl[i]),
                "upl": _finite(self.upl[i]),
                "rebase_group": int(self.rebase_group[i]),
                "special_cause_type": str(self.special_cause_type[i]),
                "point_type": str(self.point_type[i]),
                "short_group_warning": bool(self.short_group_warning[i]),
            }
            for i in range(self.n_points)
        ]
        return {
            "series_id": sid if sid is None or isinstance(sid, (str, int)) else str(sid),
            "unit": self.unit,
            "improvement_direction": self.improvement_direction,
            "target": None if self.target is None else _finite(self.target),
            "fix_after_n_points": self.fix_after_n_points,
            "screen_outliers": self.screen_outliers,
            "n_points": self.n_points,
            "n_missing": self.n_missing,
            "n_rebase_groups": int(np.unique(self.rebase_group).size),
            "icons_available": self.icons_available,
            "variation_icon": self.variation_icon,
            "assurance_icon": self.assurance_icon,
            "mean": mean,
            "lpl": lpl,
            "upl": upl,
            "points": points,
        }

    def to_frame(self) -> pd.DataFrame:
        """The points as a pandas DataFrame (needs the optional pandas dependency)."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            {
                "x": self.dates,
                "y": self.values,
                "rebase_group": self.rebase_group,
                "mean": self.mean,
                "lpl": self.lpl,
                "upl": self.upl,
                "special_cause_type": self.special_cause_type,
                "point_type": self.point_type,
                "short_group_warning": self.short_group_warning,
            }
        )
        return frame


def _finite(x: Any) -> float | None:
    value = float(x)
    return value if np.isfinite(value) else None


def _last_point(values: FloatArray) -> int | None:
    present = np.flatnonzero(~np.isnan(values))
    return int(present[-1]) if present.size else None


_POINT_FIELDS = (
    "dates",
    "values",
    "mean",
    "lpl",
    "upl",
    "rebase_group",
    "special_cause_type",
    "point_type",
    "short_group_warning",
)


@attrs.frozen(kw_only=True, eq=False)
class SPCTable:
    """XmR charts of many series in long form, as returned by ``spc_many``.

    Rows are sorted by series (in order of first appearance in the input) and
    then by date; ``source_index[i]`` is the position in the caller's input of
    row ``i``, so ``values[np.argsort(source_index)]`` restores the input
    order. Per-row arrays: ``series_id``, ``dates``, ``values``, ``mean``,
    ``lpl``, ``upl``, ``rebase_group``, ``special_cause_type``, ``point_type``,
    ``short_group_warning``, ``source_index``.

    Per-series arrays (index ``k`` is the ``k``-th series): ``ids``,
    ``starts`` (series ``k`` is rows ``starts[k]:starts[k + 1]``),
    ``n_points``, ``n_missing``, ``n_rebase_groups``, ``variation_icon``,
    ``assurance_icon`` (None where there is none), ``improvement_direction``,
    ``target`` (NaN = no target), ``fix_after_n_points`` (0 = not fixed) and
    ``screen_outliers``. ``unit`` applies to every value and target.

    ``len(table)`` is the number of series; iterating yields one
    :class:`SPCResult` per series; ``table.series(id)`` picks one by its id,
    ``table.at(k)`` by its position.
    """

    series_id: npt.NDArray[Any]
    dates: npt.NDArray[np.datetime64]
    values: FloatArray
    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    rebase_group: npt.NDArray[np.int64]
    special_cause_type: ObjectArray
    point_type: ObjectArray
    short_group_warning: npt.NDArray[np.bool_]
    source_index: npt.NDArray[np.int64]
    ids: npt.NDArray[Any]
    starts: npt.NDArray[np.int64]
    n_missing: npt.NDArray[np.int64]
    n_rebase_groups: npt.NDArray[np.int64]
    variation_icon: ObjectArray
    assurance_icon: ObjectArray
    improvement_direction: ObjectArray
    target: FloatArray
    fix_after_n_points: npt.NDArray[np.int64]
    screen_outliers: npt.NDArray[np.bool_]
    unit: str | None = None

    @property
    def n_points(self) -> npt.NDArray[np.int64]:
        """Points per series, missing ones included."""
        return np.diff(self.starts)

    @property
    def n_rows(self) -> int:
        """Total number of points over all series."""
        return int(self.values.size)

    def __len__(self) -> int:
        return int(self.ids.size)

    def __repr__(self) -> str:
        """``<SPCTable 72 series, 1,728 points>``."""
        return f"<SPCTable {len(self):,} series, {self.n_rows:,} points>"

    def __iter__(self) -> Iterator[SPCResult]:
        for k in range(len(self)):
            yield self._result(k)

    def __contains__(self, series_id: object) -> bool:
        return bool(np.any(self.ids == series_id))

    def series(self, series_id: Hashable) -> SPCResult:
        """The chart of one series; raises ``KeyError`` for an unknown id."""
        hits = np.flatnonzero(self.ids == series_id)
        if hits.size == 0:
            msg = f"no series {series_id!r} in this SPC table"
            raise KeyError(msg)
        return self._result(int(hits[0]))

    def at(self, k: int) -> SPCResult:
        """The chart of the ``k``-th series (``ids[k]``), without searching for its id."""
        if not 0 <= k < len(self):
            msg = f"series index {k} out of range for {len(self)} series"
            raise IndexError(msg)
        return self._result(k)

    def _result(self, k: int) -> SPCResult:
        rows = slice(int(self.starts[k]), int(self.starts[k + 1]))
        target = float(self.target[k])
        fix = int(self.fix_after_n_points[k])
        points = {name: getattr(self, name)[rows] for name in _POINT_FIELDS}
        return SPCResult(
            series_id=self.ids[k].item() if isinstance(self.ids[k], np.generic) else self.ids[k],
            variation_icon=self.variation_icon[k],
            assurance_icon=self.assurance_icon[k],
            improvement_direction=self.improvement_direction[k],
            target=None if np.isnan(target) else target,
            unit=self.unit,
            fix_after_n_points=fix or None,
            screen_outliers=bool(self.screen_outliers[k]),
            **points,
        )

    def to_frame(self, level: Literal["points", "series"] = "points") -> pd.DataFrame:
        """A pandas DataFrame of the points (default) or of the series.

        pandas is an optional dependency, imported only here.
        """
        import pandas as pd

        if level == "series":
            series: pd.DataFrame = pd.DataFrame(
                {
                    "series_id": self.ids,
                    "n_points": self.n_points,
                    "n_missing": self.n_missing,
                    "n_rebase_groups": self.n_rebase_groups,
                    "improvement_direction": self.improvement_direction,
                    "target": self.target,
                    "variation_icon": self.variation_icon,
                    "assurance_icon": self.assurance_icon,
                }
            )
            return series
        data: dict[str, Any] = {"series_id": self.series_id, "x": self.dates, "y": self.values}
        data |= {name: getattr(self, name) for name in _POINT_FIELDS[2:]}
        data["source_index"] = self.source_index
        points: pd.DataFrame = pd.DataFrame(data)
        return points
