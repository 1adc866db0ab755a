"""Reasons in words: one sentence per verdict, naming the numbers, units and period."""

from __future__ import annotations

import datetime as dt

from stratkit._display import diff_text, value_text

__all__ = [
    "forecast_phrase",
    "period_label",
    "towards_reason",
    "trend_reason",
    "value_reason",
]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def period_label(start: dt.date, end: dt.date) -> str:
    """A period in words: ``"Feb 2025"``, ``"FY2023/24"``, ``"Q3 2024/25"``, ``"31 Mar 2025"``."""
    if start == end:
        return _day(end)
    month_end = (end + dt.timedelta(days=1)).day == 1
    if start.day == 1 and month_end:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return f"{_MONTHS[start.month - 1]} {start.year}"
        if months == 12 and start.month == 4:
            return f"FY{start.year}/{(start.year + 1) % 100:02d}"
        if months == 12 and start.month == 1:
            return str(start.year)
        if months == 3 and start.month in (4, 7, 10, 1):
            fy = start.year if start.month >= 4 else start.year - 1
            q = {4: 1, 7: 2, 10: 3, 1: 4}[start.month]
            return f"Q{q} {fy}/{(fy + 1) % 100:02d}"
        return f"{_MONTHS[start.month - 1]} {start.year} to {_MONTHS[end.month - 1]} {end.year}"
    return f"{_day(start)} to {_day(end)}"


def _side(latest: float, target: float) -> str:
    if latest > target:
        return "above"
    if latest < target:
        return "below"
    return "at"


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
    tolerance: float,
    deadline: dt.date,
    forecast: str = "",
) -> str:
    """The reason for a value target (level, change, rate, zero, benchmark).

    ``forecast`` is the forecast in words (:func:`forecast_phrase`), used
    when there is no trajectory and the forecast decides the status.
    """
    now = f"{name} {value_text(latest, unit)} ({period})"
    word = "at least" if sense > 0 else "at most"
    tgt = "zero" if target == 0 and word == "at most" else value_text(target, unit)
    side = _side(latest, target)
    exp = value_text(expected, unit)
    tol = diff_text(tolerance, unit, signed=False)
    if code == 100:
        bound = tgt if tgt == "zero" else f"{word} {tgt}"
        return f"{now} meets the target of {bound}."
    if code == 131:
        return (
            f"{now} is {side} the {tgt} target, and the deadline ({deadline.isoformat()}) "
            "has passed."
        )
    if code == 110:
        return (
            f"{now} has not reached the {tgt} target yet but is on trajectory: "
            f"{exp} was expected by now."
        )
    if code == 120:
        return (
            f"{now} is {side} the {tgt} target and a little behind the trajectory, "
            f"which expected {exp} by now (within the {tol} tolerance)."
        )
    if code == 130:
        return f"{now} is {side} the {tgt} target; the trajectory expected {exp} by now."
    if code == 114:
        return (
            f"{now} has not reached the {tgt} target yet; with no baseline there is no "
            f"trajectory, but the forecast meets it: {forecast}."
        )
    if code == 136:
        return (
            f"{now} is {side} the {tgt} target; with no baseline there is no trajectory, "
            f"and the forecast misses it: {forecast}."
        )
    return f"{now} is {side} the {tgt} target; " + _no_trajectory(code, tolerance, tol, forecast)


def _no_trajectory(code: int, tolerance: float, tol: str, forecast: str) -> str:
    judged = (
        "with no baseline there is no trajectory, so it is judged by its distance from the target"
    )
    if tolerance <= 0:
        return f"{judged}, which allows no tolerance."
    within = "within" if code == 124 else "beyond"
    why = f" The forecast is uncertain: {forecast}." if forecast else ""
    return f"{judged}: {within} the tolerance of {tol}.{why}"


def forecast_phrase(
    *, value: float, low: float, high: float, level: float, deadline: dt.date, unit: str
) -> str:
    """``"12.5 % by 2026-03-31 (80% interval 11.9 % to 13 %)"``."""
    return (
        f"{value_text(value, unit)} by {deadline.isoformat()} ({level * 100:.0f}% interval "
        f"{value_text(low, unit)} to {value_text(high, unit)})"
    )


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
    tolerance: float,
    deadline: dt.date,
    forecast: str = "",
) -> str:
    """The reason for a towards target (parity or a band)."""
    now = f"{name} {value_text(latest, unit)} ({period})"
    if code == 100:
        return f"{now} is within the target {region}."
    far = f"{now} is {diff_text(distance, unit, signed=False)} from the target {region}"
    if code == 131:
        return f"{far}, and the deadline ({deadline.isoformat()}) has passed."
    if code in (110, 120, 130):
        verdict = {
            110: "on trajectory",
            120: "a little behind the trajectory",
            130: "behind the trajectory",
        }[code]
        return (
            f"{far}: {verdict}, which expected to be within "
            f"{diff_text(expected_distance, unit, signed=False)} of it by now."
        )
    if code == 114:
        return (
            f"{far}; with no baseline there is no trajectory, but the forecast reaches it: "
            f"{forecast}."
        )
    if code == 136:
        return (
            f"{far}; with no baseline there is no trajectory, and the forecast does not reach "
            f"it: {forecast}."
        )
    return f"{far}; " + _no_trajectory(
        code, tolerance, diff_text(tolerance, unit, signed=False), forecast
    )


def trend_reason(
    *,
    code: int,
    name: str,
    unit: str,
    latest: float,
    period: str,
    slope_per_year: float,
    n: int,
    sense: float,
    min_points: int,
) -> str:
    """The reason for a direction-only target."""
    if code == 201:
        return (
            f"{name} has {n} point{'s' if n != 1 else ''} up to {period}: at least "
            f"{min_points} are needed to see a trend."
        )
    move = "rising" if slope_per_year > 0 else "falling" if slope_per_year < 0 else "flat"
    wanted = "up" if sense > 0 else "down"
    now = f"{value_text(latest, unit)} in {period}"
    if move == "flat":
        return (
            f"{name} is flat over the last {n} points ({now}); the aim is for it to go {wanted}."
        )
    rate = diff_text(abs(slope_per_year), unit, signed=False)
    judgement = "the direction wanted" if code == 111 else "the wrong direction"
    return f"{name} is {move} by {rate} a year over the last {n} points ({now}), {judgement}."
