"""Monthly commentary: what the data shows, the actions, who owns them, and when the
outcome is expected to recover, per outcome and period.

A trust writes it in ``commentary.yaml`` beside ``strategy.yaml`` (``stratkit init``
writes an empty one with instructions)::

    commentary:
      - outcome: "1.1.1"
        period: 2025-03            # the month the commentary is about
        narrative: >
          Referrals rose 12 % after the new triage line opened; ...
        actions:
          - Two extra liaison nurses on weekend shifts from May.
        owner: Director of Nursing
        expected_recovery: 2025-09  # a month, or a date

The board pack shows each outcome's latest commentary on its card, and lists the
off-track outcomes whose latest data has no commentary yet.

>>> from stratkit.reporting.commentary import read_commentary_text
>>> c = read_commentary_text('''
... commentary:
...   - outcome: "1.1.1"
...     period: 2025-03
...     narrative: Referrals rose after the new triage line opened.
...     expected_recovery: 2025-09
... ''')
>>> c.latest("1.1.1", dt.date(2025, 3, 31)).narrative
'Referrals rose after the new triage line opened.'
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import attrs

from stratkit.errors import PackFileError, Problem

__all__ = [
    "COMMENTARY_FILE",
    "Comment",
    "Commentary",
    "month_of",
    "read_commentary",
    "read_commentary_text",
]

COMMENTARY_FILE = "commentary.yaml"
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_FIELDS = ("outcome", "period", "narrative", "actions", "owner", "expected_recovery")


@attrs.frozen(kw_only=True)
class Comment:
    """The commentary on one outcome for one month."""

    outcome_id: str
    period: dt.date
    """The first day of the month the commentary is about."""
    narrative: str
    actions: tuple[str, ...] = ()
    owner: str = ""
    expected_recovery: dt.date | None = None
    """When the outcome is expected to be back on track (a month is its first day)."""
    recovery_is_month: bool = False
    """``expected_recovery`` was written as a month (``2025-09``), not a date."""


@attrs.frozen(kw_only=True)
class Commentary:
    """Every comment of a commentary file, in file order."""

    comments: tuple[Comment, ...] = ()
    file: str | None = None

    def latest(self, outcome_id: str, as_of: dt.date) -> Comment | None:
        """The outcome's latest comment for a month on or before ``as_of``."""
        limit = month_of(as_of)
        found = [c for c in self.comments if c.outcome_id == outcome_id and c.period <= limit]
        return max(found, key=lambda c: c.period) if found else None

    def outcome_ids(self) -> set[str]:
        """The outcomes that have any comment."""
        return {c.outcome_id for c in self.comments}


def month_of(d: dt.date) -> dt.date:
    """The first day of ``d``'s month."""
    return d.replace(day=1)


def _month_or_date(value: Any) -> tuple[dt.date, bool] | None:
    """``(date, written as a month)`` from a date, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    m = _MONTH.match(str(value).strip()) if isinstance(value, (str, int)) else None
    if m is None:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    try:
        return dt.date(year, month, int(day) if day else 1), day is None
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _entry(item: Any, path: str, problem: Any) -> Comment | None:
    if not isinstance(item, dict):
        problem(path, "each entry must be a mapping", "outcome, period, narrative, ...")
        return None
    ok = True
    for key in item:
        if key not in _FIELDS:
            problem(f"{path}.{key}", f"unknown field {key!r}", ", ".join(_FIELDS))
            ok = False
    outcome = _text(item.get("outcome"))
    if outcome is None:
        problem(f"{path}.outcome", "missing or empty", 'the outcome id, in quotes: "1.1.1"')
        ok = False
    period = _month_or_date(item.get("period"))
    if period is None:
        problem(f"{path}.period", "missing or not a month", "YYYY-MM (or YYYY-MM-DD)")
        ok = False
    narrative = _text(item.get("narrative"))
    if narrative is None:
        problem(f"{path}.narrative", "missing or empty", "what the data shows, in words")
        ok = False
    actions_raw = item.get("actions", ())
    if isinstance(actions_raw, str):
        actions_raw = [actions_raw]
    actions: list[str] = []
    if not isinstance(actions_raw, (list, tuple)):
        problem(f"{path}.actions", "not a list", "a list of actions (text)")
        ok = False
    else:
        for i, a in enumerate(actions_raw):
            t = _text(a)
            if t is None:
                problem(f"{path}.actions[{i}]", "not text", "an action, in words")
                ok = False
            else:
                actions.append(t)
    owner = item.get("owner")
    if owner is not None and _text(owner) is None:
        problem(f"{path}.owner", "not text", "a role, for example Director of Nursing")
        ok = False
    recovery = None
    if item.get("expected_recovery") is not None:
        recovery = _month_or_date(item["expected_recovery"])
        if recovery is None:
            problem(f"{path}.expected_recovery", "not a month or date", "YYYY-MM or YYYY-MM-DD")
            ok = False
    if not ok or outcome is None or period is None or narrative is None:
        return None
    return Comment(
        outcome_id=outcome,
        period=month_of(period[0]),
        narrative=narrative,
        actions=tuple(actions),
        owner=_text(owner) or "",
        expected_recovery=None if recovery is None else recovery[0],
        recovery_is_month=bool(recovery and recovery[1]),
    )


def read_commentary_text(text: str, file: str = COMMENTARY_FILE) -> Commentary:
    """Parse commentary from YAML text; :class:`~stratkit.errors.PackFileError` lists
    every problem at once, each with its line and field."""
    from stratkit.io._yaml import read_document

    doc, problems, _unsafe = read_document(text.encode("utf-8"), file)
    found: list[Problem] = list(problems)
    if doc is None:
        raise PackFileError(file, found)

    def problem(path: str, message: str, expected: str) -> None:
        line, column = doc.position(path)
        found.append(
            Problem(
                file=file, line=line, column=column, path=path, message=message, expected=expected
            )
        )

    data = doc.data
    comments: list[Comment] = []
    if not isinstance(data, dict) or set(data) - {"commentary"}:
        problem("", "the file must hold one key, `commentary:`", "commentary: [entries]")
    else:
        entries = data.get("commentary") or []
        if not isinstance(entries, list):
            problem("commentary", "not a list", "a list of entries (- outcome: ...)")
            entries = []
        seen: dict[tuple[str, dt.date], int] = {}
        for i, item in enumerate(entries):
            entry: Any
            if isinstance(item, dict) and isinstance(item.get("outcome"), (int, float)):
                # an unquoted id keeps the digits as written ("1.10", not 1.1)
                raw = doc.raw_numbers.get(f"commentary[{i}].outcome")
                entry = {**item, "outcome": raw or item["outcome"]}
            else:
                entry = item
            c = _entry(entry, f"commentary[{i}]", problem)
            if c is None:
                continue
            key = (c.outcome_id, c.period)
            if key in seen:
                problem(
                    f"commentary[{i}]",
                    f"a second entry for outcome {c.outcome_id} in {c.period:%Y-%m}",
                    f"one entry per outcome and month (the first is commentary[{seen[key]}])",
                )
                continue
            seen[key] = i
            comments.append(c)
    if found:
        raise PackFileError(file, found)
    return Commentary(comments=tuple(comments), file=file)


def read_commentary(path: str | Path) -> Commentary:
    """Read a commentary file (``commentary.yaml``)."""
    p = Path(path)
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PackFileError(
            str(p), [Problem(file=str(p), message="the file is not UTF-8 text")]
        ) from None
    return read_commentary_text(text, str(p))
