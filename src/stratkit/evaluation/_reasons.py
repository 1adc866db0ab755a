"""Reasons in words: one sentence per verdict, naming the numbers, units and period."""

from __future__ import annotations

import datetime as dt
import math

from stratkit._display import day_text, diff_text, number_text, period_text, value_text

__all__ = [
    "conflict_text",
    "distinct",
    "forecast_phrase",
    "period_label",
    "tolerance_phrase",
    "towards_reason",
    "trend_reason",
    "value_reason",
]


def period_label(start: dt.date, end: dt.date) -> str:
    """A period in words: ``"Feb 2025"``, ``"FY2023/24"``, ``"Q3 2024/25"``, ``"31 Mar 2025"``."""
    return period_text(start, end)


def _digits(value: float, unit: str, digits: int) -> str:
    text = value_text(value, unit)
    short = number_text(value)
    longer = f"{value:,.{digits}g}" if abs(value) >= 1000 else f"{value:.{digits}g}"
    return text.replace(short.lstrip("-"), longer.lstrip("-"), 1)


def distinct(a: float, b: float, unit: str) -> tuple[str, str]:
    """``a`` and ``b`` as text with enough digits that unequal values read as unequal.

    >>> distinct(89.996, 90.0, "%")
    ('89.996 %', '90 %')
    >>> distinct(15.2, 14.0, "%")
    ('15.2 %', '14 %')
    """
    ta, tb = value_text(a, unit), value_text(b, unit)
    if ta != tb or not (math.isfinite(a) and math.isfinite(b)) or a == b:
        return ta, tb
    for digits in range(3, 16):
        ta, tb = _digits(a, unit, digits), _digits(b, unit, digits)
        if ta != tb:
            break
    return ta, tb


def _side(latest: float, target: float) -> str:
    if latest > target:
        return "above"
    if latest < target:
        return "below"
    return "at"


def tolerance_phrase(tolerance: float, unit: str, *, from_baseline: bool, share: float) -> str:
    """The tolerance in the measure's unit, and the rule it comes from.

    >>> tolerance_phrase(0.2, "%", from_baseline=True, share=0.1)
    '0.2 pp, 10 % of the distance from the baseline to the target'
    >>> tolerance_phrase(1.5, "%", from_baseline=False, share=1.0)
    '1.5 pp, one standard deviation of the process (from its SPC chart)'
    """
    tol = diff_text(tolerance, unit, signed=False)
    if from_baseline:
        return (
            f"{tol}, {number_text(share * 100)} % of the distance from the baseline to the target"
        )
    sigmas = (
        "one standard deviation" if share == 1 else f"{number_text(share)} standard deviations"
    )
    return f"{tol}, {sigmas} of the process (from its SPC chart)"


def conflict_text(bits: int) -> str:
    """Where a status and the SPC icons tell different stories, in words (bits of ``_core``)."""
    parts = []
    if bits & 1:
        parts.append("its assurance icon says the process consistently misses the target")
    if bits & 2:
        parts.append("its chart shows special-cause concern")
    if bits & 4:
        parts.append("its assurance icon says the process consistently meets the target")
    if bits & 8:
        parts.append("its chart shows special-cause improvement")
    return "; ".join(parts)


def value_reason(
    *,
    code: int,
    name: str,
    unit: str,
    latest: float,
    period: str,
    target: float,
    sense: float,
    expected: float,
    tolerance: str,
    deadline: dt.date,
    forecast: str = "",
    met_run: int = 0,
    sustain: int = 1,
    trajectory_from: dt.date | None = None,
    frequency: str = "period",
) -> str:
    """The reason for a value target (level, change, rate, zero, benchmark).

    ``forecast`` is the forecast in words (:func:`forecast_phrase`), used
    when there is no trajectory and the forecast decides the status;
    ``tolerance`` the tolerance in words (:func:`tolerance_phrase`);
    ``trajectory_from`` the date the trajectory starts when it starts after
    the latest value's period (a baseline dated later).
    """
    word = "at least" if sense > 0 else "at most"
    shown, tgt = distinct(latest, target, unit)
    if target == 0 and word == "at most":
        tgt = "zero"
    now = f"{name}: {shown} ({period})"
    side = _side(latest, target)
    shown_e, exp = distinct(latest, expected, unit)
    bound = tgt if tgt == "zero" else f"{word} {tgt}"
    if code == 100:
        return f"{now} meets the target of {bound}."
    if code == 103:
        if sustain == 1:
            return f"{now} meets the target of {bound}."
        return f"{now} meets the target of {bound}, as did the {sustain - 1} before it."
    if code == 104:
        return (
            f"{now} meets the target of {bound}, and the SPC chart says the process "
            "reliably meets it (its limits are all on the right side of the target)."
        )
    if code == 115:
        run = f"{met_run} {frequency}{'s' if met_run != 1 else ''} in a row"
        return (
            f"{now} meets the target of {bound}: {run} so far, and {sustain} in a row "
            "are needed to call it achieved."
        )
    if code == 125:
        return (
            f"{now} meets the target of {bound}, but the SPC chart's process limits are "
            "all on the wrong side of it: the process does not reliably meet the target, "
            "so it is not counted as achieved or on track."
        )
    if code == 131:
        return (
            f"{now} is {side} the {tgt} target, and the deadline ({day_text(deadline)}) "
            "has passed."
        )
    now_e = f"{name}: {shown_e} ({period})"
    if code == 110:
        return (
            f"{now_e} has not reached the {tgt} target yet but is on trajectory: "
            f"{exp} was expected for {period}."
        )
    if code == 120:
        return (
            f"{now_e} is {side} the {tgt} target and a little behind the trajectory, "
            f"which expected {exp} for {period}: within the tolerance of {tolerance}."
        )
    if code == 130:
        return (
            f"{now_e} is {side} the {tgt} target and behind the trajectory, which expected "
            f"{exp} for {period}: beyond the tolerance of {tolerance}."
        )
    why = _why_no_trajectory(trajectory_from)
    if code == 114:
        return (
            f"{now} has not reached the {tgt} target yet; {why}, but the forecast meets "
            f"it: {forecast}."
        )
    if code == 136:
        return f"{now} is {side} the {tgt} target; {why}, and the forecast misses it: {forecast}."
    return f"{now} is {side} the {tgt} target; " + _no_trajectory(code, why, tolerance, forecast)


def _why_no_trajectory(trajectory_from: dt.date | None) -> str:
    if trajectory_from is not None:
        return (
            f"the trajectory starts on {day_text(trajectory_from)}, after this value's period, "
            "so there is no trajectory to compare it with"
        )
    return "with no baseline there is no trajectory"


def _no_trajectory(code: int, why: str, tolerance: str, forecast: str) -> str:
    judged = f"{why}, so it is judged by its distance from the target"
    if not tolerance:
        return (
            f"{judged}; with a single value there is no measure of its variation, so no tolerance."
        )
    within = "within" if code == 124 else "beyond"
    uncertain = f" The forecast is uncertain: {forecast}." if forecast else ""
    return f"{judged}: {within} the tolerance of {tolerance}.{uncertain}"


def forecast_phrase(
    *,
    value: float,
    low: float,
    high: float,
    level: float,
    deadline: dt.date,
    unit: str,
    clipped: bool = False,
    probability: float = math.nan,
) -> str:
    """``"12.5 % by 31 Mar 2026 (80% interval 11.9 % to 13 %)"``.

    A forecast cut at the values the measure can take says so, and gives the
    chance of meeting the target rather than an interval squeezed to nothing:

    >>> import datetime as dt
    >>> text = forecast_phrase(value=100, low=100, high=100, level=0.8, unit="%",
    ...                        deadline=dt.date(2026, 3, 31), clipped=True, probability=0.973)
    >>> import textwrap
    >>> print(textwrap.fill(text, 72))
    100 % by 31 Mar 2026, where the trend line reaches the limit of what the
    measure can be (a 97 % chance of meeting the target)
    """
    at = f"{value_text(value, unit)} by {day_text(deadline)}"
    interval = f"{level * 100:.0f}% interval {value_text(low, unit)} to {value_text(high, unit)}"
    if not clipped:
        return f"{at} ({interval})"
    chance = (
        f"a {_percent(probability)} chance of meeting the target"
        if math.isfinite(probability)
        else ""
    )
    if value in (low, high):  # the line itself runs past the limit
        return f"{at}, where the trend line reaches the limit of what the measure can be" + (
            f" ({chance})" if chance else ""
        )
    cut = f"the {interval} is cut at the limit of what the measure can be"
    return f"{at} ({chance}; {cut})" if chance else f"{at} ({cut})"


def _percent(p: float) -> str:
    if p > 0.995:
        return "more than 99 %"
    if p < 0.005:
        return "less than 1 %"
    return f"{p * 100:.0f} %"


def towards_reason(
    *,
    code: int,
    name: str,
    unit: str,
    latest: float,
    period: str,
    region: str,
    distance: float,
    expected_distance: float,
    tolerance: str,
    deadline: dt.date,
    forecast: str = "",
    met_run: int = 0,
    sustain: int = 1,
    trajectory_from: dt.date | None = None,
    frequency: str = "period",
) -> str:
    """The reason for a towards target (parity or a band)."""
    now = f"{name}: {value_text(latest, unit)} ({period})"
    if code in (100, 103, 104):
        return f"{now} is within the target {region}."
    if code == 115:
        run = f"{met_run} {frequency}{'s' if met_run != 1 else ''} in a row"
        return (
            f"{now} is within the target {region}: {run} so far, and {sustain} in a row "
            "are needed to call it achieved."
        )
    if code == 125:
        return (
            f"{now} is within the target {region}, but the SPC chart's process limits "
            "fall outside it: the process does not reliably stay within it."
        )
    far_now, far_exp = distinct(distance, expected_distance, "pp" if unit == "%" else unit)
    far = f"{now} is {far_now} from the target {region}"
    if code == 131:
        return f"{far}, and the deadline ({day_text(deadline)}) has passed."
    if code in (110, 120, 130):
        verdict = {
            110: "on trajectory",
            120: "a little behind the trajectory",
            130: "behind the trajectory",
        }[code]
        within = {110: "", 120: f": within the tolerance of {tolerance}"}.get(
            code, f": beyond the tolerance of {tolerance}"
        )
        return (
            f"{far}: {verdict}, which expected to be within {far_exp} of it for {period}{within}."
        )
    why = _why_no_trajectory(trajectory_from)
    if code == 114:
        return f"{far}; {why}, but the forecast reaches it: {forecast}."
    if code == 136:
        return f"{far}; {why}, and the forecast does not reach it: {forecast}."
    return f"{far}; " + _no_trajectory(code, why, tolerance, forecast)


def trend_reason(
    *,
    code: int,
    name: str,
    unit: str,
    latest: float,
    period: str,
    slope_per_year: float,
    slope_points: int,
    n: int,
    sense: float,
    min_points: int,
) -> str:
    """The reason for a direction-only target, judged from its SPC chart.

    >>> text = trend_reason(code=201, name="Restraint", unit="incident", latest=84,
    ...                     period="Mar 2025", slope_per_year=-2.0, slope_points=12, n=10,
    ...                     sense=-1, min_points=15)
    >>> import textwrap
    >>> print(textwrap.fill(text, 72))
    Restraint has 10 values in its current SPC period up to Mar 2025: 15 are
    needed to judge a direction from its SPC chart, so 5 more.
    """
    if code == 201:
        more = min_points - n
        return (
            f"{name} has {n} value{'s' if n != 1 else ''} in its current SPC period up to "
            f"{period}: {min_points} are needed to judge a direction from its SPC chart, "
            f"so {more} more."
        )
    wanted = "up" if sense > 0 else "down"
    now = f"{name}: {value_text(latest, unit)} ({period})"
    slope = ""
    if math.isfinite(slope_per_year) and slope_points:
        move = diff_text(slope_per_year, unit)
        slope = f" The fitted trend over the last {slope_points} values is {move} a year."
    if code == 111:
        return (
            f"{now}: the SPC chart shows special-cause improvement, so it is improving "
            f"(the aim is for it to go {wanted}).{slope}"
        )
    if code == 132:
        return (
            f"{now}: the SPC chart shows special-cause concern, a significant move the "
            f"wrong way (the aim is for it to go {wanted}).{slope}"
        )
    return (
        f"{now}: the SPC chart shows only common-cause variation, so no significant "
        f"change yet (the aim is for it to go {wanted}).{slope}"
    )
