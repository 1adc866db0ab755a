"""The policy: every judgement call an evaluation makes, with documented defaults.

A :class:`Policy` is recorded in every result, so that a report can say how
each outcome was judged.

>>> from stratkit.evaluation import Policy
>>> p = Policy()
>>> p.at_risk_tolerance, p.forecast_method, p.forecast_window, p.min_points_forecast
(0.1, 'ols', 12, 6)
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

__all__ = ["Policy"]

ForecastMethod = Literal["ols", "theil_sen"]


def _in_range(low: float, high: float) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not (low <= value <= high)
        ):
            raise ValueError(
                f"Policy.{attribute.name} must be a number from {low} to {high}, found {value!r}"
            )

    return check


def _int_at_least(low: int) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(
                f"Policy.{attribute.name} must be a whole number of at least {low}, "
                f"found {value!r}"
            )

    return check


def _method(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in ("ols", "theil_sen"):
        raise ValueError(f"Policy.forecast_method must be 'ols' or 'theil_sen', found {value!r}")


@attrs.frozen(kw_only=True)
class Policy:
    """How outcomes are judged. Every default is chosen and justified here.

    ``at_risk_tolerance`` (default ``0.1``)
        An outcome behind its trajectory is *at risk* rather than *off track*
        while the shortfall is at most this share of the distance from the
        baseline to the target. Ten percent of the distance to travel: for a
        vacancy rate going from 16 % to 14 % that is 0.2 percentage points,
        about one month's noise in a trust-wide rate. A fixed share of the
        distance (not of the value) makes the rule the same in any unit and for
        either direction. Without a baseline it is this share of the target.
    ``forecast_method`` (default ``"ols"``)
        ``"ols"``: ordinary least squares on the last ``forecast_window``
        points, with a Student t prediction interval. ``"theil_sen"``: the
        median of pairwise slopes (robust to one-off spikes), with the same
        residual-based interval around the robust line.
    ``forecast_window`` (default ``12``)
        Points used for the forecast: a year of monthly data.
    ``min_points_forecast`` (default ``6``)
        Fewer points give no forecast (and, for a direction-only target, no
        trend): with under six points the interval is too wide to say
        anything and two noisy months can fake a trend.
    ``interval`` (default ``0.8``)
        The forecast interval's coverage: 80 %, the convention of NHS
        planning trajectories (a 1-in-10 chance each side).
    ``stale_periods`` (default ``2.0``)
        The latest observation is *stale* when it is older than this many of
        the measure's reporting periods (a monthly measure is normally one
        month behind; two months missing is stale). Staleness is reported; it
        never changes a status.
    ``milestone_warning_days`` (default ``90``)
        A milestone not yet started and due within this many days is at risk.
    ``spc`` and ``screen_outliers`` (default ``True``)
        Whether to attach a Making Data Count SPC chart to each result with
        enough points, and whether its limits screen outlying moving ranges.
    """

    at_risk_tolerance: float = attrs.field(default=0.1, validator=_in_range(0.0, 10.0))
    forecast_method: ForecastMethod = attrs.field(default="ols", validator=_method)
    forecast_window: int = attrs.field(default=12, validator=_int_at_least(2))
    min_points_forecast: int = attrs.field(default=6, validator=_int_at_least(3))
    interval: float = attrs.field(default=0.8, validator=_in_range(0.5, 0.999))
    stale_periods: float = attrs.field(default=2.0, validator=_in_range(0.0, 1000.0))
    milestone_warning_days: int = attrs.field(default=90, validator=_int_at_least(0))
    spc: bool = True
    screen_outliers: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The policy as plain data, for JSON."""
        return attrs.asdict(self)
