"""The policy: every judgement call an evaluation makes, with documented defaults.

A :class:`Policy` can be written in the strategy file (a ``policy:`` block),
given in its own file (``stratkit evaluate --policy FILE``) or passed to
:func:`stratkit.evaluate`; it is recorded in every result, so that a report can
say how each outcome was judged.

>>> from stratkit.model import Policy
>>> p = Policy()
>>> p.achievement, p.sustain, p.sustain_annual, p.min_points_trend
('sustained', 3, 1, 15)
>>> p.at_risk_tolerance, p.forecast_method, p.forecast_window, p.min_points_forecast
(0.1, 'ols', 12, 6)
"""

from __future__ import annotations

from typing import Any, Literal, get_args

import attrs

from stratkit.errors import InvalidStrategyError, Problem

__all__ = ["Achievement", "CombineRule", "ForecastMethod", "Policy"]

ForecastMethod = Literal["ols", "theil_sen"]
Achievement = Literal["sustained", "latest"]
CombineRule = Literal["none", "mean", "sum"]


def _bad(name: str, expected: str, value: Any) -> InvalidStrategyError:
    return InvalidStrategyError(
        [Problem(path=name, message=f"Policy.{name} must be {expected}", found=repr(value))]
    )


def _in_range(low: float, high: float) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not (low <= value <= high)
        ):
            raise _bad(attribute.name, f"a number from {low} to {high}", value)

    return check


def _int_at_least(low: int) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise _bad(attribute.name, f"a whole number of at least {low}", value)

    return check


def _one_of(kind: Any) -> Any:
    allowed = get_args(kind)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in allowed:
            raise _bad(attribute.name, " or ".join(repr(a) for a in allowed), value)

    return check


def _flag(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise _bad(attribute.name, "true or false", value)


@attrs.frozen(kw_only=True)
class Policy:
    """How outcomes are judged. Every default is chosen and justified here.

    ``achievement`` (default ``"sustained"``)
        What *achieved* needs. ``"sustained"`` follows NHS England's Making
        Data Count (no RAG rating from a single data point): the latest value
        meets the target **and** so do the ``sustain`` most recent values of
        the current rebase group (``sustain_annual`` for annual measures), **or**
        the latest value meets it and the SPC assurance is "pass" (the process
        limits are all on the right side of the target: it reliably meets it).
        A met latest value that is not yet sustained is *on track*; a met
        latest value beside a process whose assurance is "fail" (every limit
        on the wrong side of the target) is never *achieved* or *on track*: it
        is *at risk*, and the reason says why. ``"latest"`` keeps the old rule:
        the latest value meeting the target is achieved.
    ``sustain`` (default ``3``) and ``sustain_annual`` (default ``1``)
        The number of most recent values that must meet the target: three
        months (or weeks, or quarters) in a row, as a board asks before
        calling a target met; one year for an annual measure, whose next
        value is a year away.
    ``min_points_trend`` (default ``15``)
        A direction-only target ("reduce X", no figure) is judged from its SPC
        chart: special-cause improvement is on track, special-cause concern
        off track, common cause at risk ("no significant change yet"). With
        fewer points than this in the current rebase group it has no data, and
        the reason says how many more are needed: 15 is Making Data Count's
        minimum for showing the icons.
    ``at_risk_tolerance`` (default ``0.1``)
        An outcome behind its trajectory is *at risk* rather than *off track*
        while the shortfall is at most this share of the distance from the
        baseline to the target. Ten percent of the distance to travel: for a
        vacancy rate going from 16 % to 14 % that is 0.2 percentage points,
        about one month's noise in a trust-wide rate. A fixed share of the
        distance (not of the value) makes the rule the same in any unit and for
        either direction.
    ``tolerance_sigmas`` (default ``1.0``)
        Without a baseline there is no distance to travel; the tolerance is
        then this many standard deviations of the process itself (sigma = the
        mean moving range / 1.128, one third of the distance from the SPC mean
        to a process limit, from the current rebase group). A shortfall
        within one sigma is within the month-to-month noise: the rule means
        the same for a 95 % target as for an "eliminate" target.
    ``combine_periods`` (default ``"none"``)
        How a recurring target ("at least 95 % every year") combines shorter
        observations into one of its periods: ``"none"`` counts a period only
        when one observation covers it; ``"mean"`` and ``"sum"`` combine
        observations that together cover it (the mean for rates and scores,
        the sum for counts and money).
    ``forecast_method`` (default ``"ols"``)
        ``"ols"``: ordinary least squares on the last ``forecast_window``
        points, with a Student t prediction interval. ``"theil_sen"``: the
        median of pairwise slopes (robust to one-off spikes), with the same
        residual-based interval around the robust line.
    ``forecast_window`` (default ``12``)
        Points used for the forecast: a year of monthly data.
    ``min_points_forecast`` (default ``6``)
        Fewer points give no forecast: with under six points the interval is
        too wide to say anything.
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
        Whether to attach each outcome's Making Data Count SPC chart to its
        result (statuses use the chart either way), and whether its limits
        screen outlying moving ranges.
    """

    achievement: Achievement = attrs.field(default="sustained", validator=_one_of(Achievement))
    sustain: int = attrs.field(default=3, validator=_int_at_least(1))
    sustain_annual: int = attrs.field(default=1, validator=_int_at_least(1))
    min_points_trend: int = attrs.field(default=15, validator=_int_at_least(2))
    at_risk_tolerance: float = attrs.field(default=0.1, validator=_in_range(0.0, 10.0))
    tolerance_sigmas: float = attrs.field(default=1.0, validator=_in_range(0.0, 10.0))
    combine_periods: CombineRule = attrs.field(default="none", validator=_one_of(CombineRule))
    forecast_method: ForecastMethod = attrs.field(default="ols", validator=_one_of(ForecastMethod))
    forecast_window: int = attrs.field(default=12, validator=_int_at_least(2))
    min_points_forecast: int = attrs.field(default=6, validator=_int_at_least(3))
    interval: float = attrs.field(default=0.8, validator=_in_range(0.5, 0.999))
    stale_periods: float = attrs.field(default=2.0, validator=_in_range(0.0, 1000.0))
    milestone_warning_days: int = attrs.field(default=90, validator=_int_at_least(0))
    spc: bool = attrs.field(default=True, validator=_flag)
    screen_outliers: bool = attrs.field(default=True, validator=_flag)

    def to_dict(self) -> dict[str, Any]:
        """The policy as plain data, for JSON."""
        return attrs.asdict(self)
