"""The one check of an evaluation's ``as_of`` date, shared by
:func:`stratkit.evaluate` and :func:`stratkit.evaluation.evaluate`."""

from __future__ import annotations

import datetime as dt

__all__ = ["checked_as_of"]


def checked_as_of(value: dt.date | str | None) -> dt.date | None:
    """``value`` (a date or ISO text) as a date within the dates a strategy may hold
    (:data:`stratkit.model.EARLIEST_DATE` to :data:`stratkit.model.LATEST_DATE`);
    ``None`` stays ``None``.

    Raises:
        InvalidStrategyError: not a date (a datetime, unreadable text) or outside the
            range, located at ``as_of``.
    """
    from stratkit.errors import InvalidStrategyError, Problem
    from stratkit.model import EARLIEST_DATE, LATEST_DATE

    if value is None:
        return None
    when: dt.date | None = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, str) and len(value) <= 40:
        try:
            when = dt.date.fromisoformat(value.strip())
        except ValueError:
            when = None
    if when is None or not EARLIEST_DATE <= when <= LATEST_DATE:
        shown = value.isoformat() if isinstance(value, dt.date) else repr(value)[:60]
        raise InvalidStrategyError(
            [
                Problem(
                    path="as_of",
                    message="not a usable date",
                    expected=f"a date from {EARLIEST_DATE} to {LATEST_DATE}",
                    found=shown,
                )
            ]
        )
    return when
