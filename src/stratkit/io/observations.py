"""Observations in and out: a tidy CSV, and pandas DataFrames.

The CSV has one row per value::

    # illustrative: invented data for demonstration
    outcome_id,period,value,unit,numerator,denominator,note
    2.2.1,2024-05,15.2,%,,,
    2.1.1,FY2023/24,6.7,score,,,

``period`` is a date (``2024-05-31``), a month (``2024-05``), a calendar
quarter (``2024-Q1``), an NHS financial quarter (``FY2024/25 Q1``), an NHS
financial year (``FY2023/24``) or a calendar year (``2024``); ``date`` may be
used instead of ``period``, or ``start`` and ``end``. ``numerator``,
``denominator`` and ``note`` are optional; so is ``org``, the code of the
organisation (site, team) a row is about, for portfolios (another column name
by ``read_observations(..., entity="site")``). Leading ``#`` lines are comments; a
comment containing the word "illustrative" marks the data as illustrative, and
``# source: ...`` records where it came from.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from stratkit._files import write_atomically
from stratkit.errors import ObservationsError, Problem, SaveError, UnitError
from stratkit.model import Observations
from stratkit.units import parse_unit

__all__ = [
    "format_period",
    "observations_to_frame",
    "parse_period",
    "read_observations",
    "write_observations",
]

_COLUMNS = ("outcome_id", "period", "value", "unit", "numerator", "denominator", "note")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_FY = re.compile(r"^(?:FY\s?)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})(?:\s*Q([1-4]))?$", re.IGNORECASE)
_CQ = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period written as text.

    >>> parse_period("FY2023/24")
    (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    >>> parse_period("2024-05")
    (datetime.date(2024, 5, 1), datetime.date(2024, 5, 31))
    """
    t = text.strip()
    if m := _MONTH.match(t):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"no month {month} in {text!r}")
        return dt.date(year, month, 1), _month_end(year, month)
    if m := _FY.match(t):
        year = int(m[1])
        second = int(m[2])
        if second % 100 != (year + 1) % 100:
            raise ValueError(f"{text!r} is not one financial year (e.g. FY2023/24)")
        if m[3]:
            q = int(m[3])
            first_month = 4 + 3 * (q - 1)
            y = year + (first_month - 1) // 12
            mth = (first_month - 1) % 12 + 1
            end_m = mth + 2
            return dt.date(y, mth, 1), _month_end(y, end_m)
        return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    if m := _CQ.match(t):
        year, q = int(m[1]), int(m[2])
        return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    if m := _YEAR.match(t):
        year = int(m[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if "/" in t:  # an explicit range, as format_period writes it: 2024-04-01/2024-06-30
        first, _, last = t.partition("/")
        start, end = dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip())
        if end < start:
            raise ValueError(f"{text!r} ends before it starts")
        return start, end
    day = dt.date.fromisoformat(t)
    return day, day


def format_period(start: dt.date, end: dt.date) -> str:
    """The shortest text :func:`parse_period` reads back as ``start`` to ``end``."""
    if start == end:
        return start.isoformat()
    if start.day == 1 and end == _month_end(start.year, start.month):
        return f"{start.year:04d}-{start.month:02d}"
    if (start.month, start.day) == (4, 1) and end == dt.date(start.year + 1, 3, 31):
        return f"FY{start.year}/{(start.year + 1) % 100:02d}"
    if (start.month, start.day) == (1, 1) and end == dt.date(start.year, 12, 31):
        return f"{start.year}"
    if (
        start.day == 1
        and start.month in (1, 4, 7, 10)
        and end == _month_end(start.year, start.month + 2)
    ):
        fy = start.year if start.month >= 4 else start.year - 1
        q = ((start.month - 4) % 12) // 3 + 1
        return f"FY{fy}/{(fy + 1) % 100:02d} Q{q}"
    return f"{start.isoformat()}/{end.isoformat()}"


def _number(text: str) -> float:
    text = text.strip()
    return float("nan") if text == "" else float(text)


def _read_rows(text: str, source: str, entity: str = "org") -> Observations:
    # Leading comment lines end at "\n"; the rows go to csv whole, since a quoted
    # cell may hold line breaks (and str.splitlines would split at \x1e or \x85).
    comments = []
    rest = text
    while True:
        first, newline, tail = rest.partition("\n")
        if not first.lstrip().startswith("#"):
            break
        comments.append(first.rstrip("\r").lstrip("# ").strip())
        rest = tail if newline else ""
    offset = len(comments)
    illustrative = any("illustrative" in c.lower() for c in comments)
    origin = next(
        (c.split(":", 1)[1].strip() for c in comments if c.lower().startswith("source:")), None
    )
    reader = csv.reader(io.StringIO(rest, newline=""))
    header = next(reader, None)
    problems: list[Problem] = []
    if header is None:
        raise ObservationsError(
            [Problem(file=source, message="no header row", expected=",".join(_COLUMNS))], source
        )
    header = [h.strip() for h in header]
    cols = {h: i for i, h in enumerate(header)}
    has_period = "period" in cols or "date" in cols or "start" in cols
    problems.extend(
        Problem(
            file=source,
            line=offset + 1,
            message=f"no {needed!r} column",
            expected=",".join(_COLUMNS),
            found=",".join(header),
        )
        for needed in ("outcome_id", "value", "unit")
        if needed not in cols
    )
    if not has_period:
        problems.append(
            Problem(
                file=source,
                line=offset + 1,
                message="no 'period' (or 'date', or 'start' and 'end') column",
            )
        )
    if problems:
        raise ObservationsError(problems, source)
    period_col = cols.get("period", cols.get("date"))
    ids: list[str] = []
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    values: list[float] = []
    units: list[str] = []
    nums: list[float] = []
    dens: list[float] = []
    notes: list[str] = []
    entities: list[str] = []
    lines: list[int] = []
    period_cache: dict[str, tuple[dt.date, dt.date]] = {}
    unit_ok: dict[str, str | None] = {}

    def cell(row: list[str], name: str) -> str:
        i = cols.get(name)
        return row[i] if i is not None and i < len(row) else ""

    previous = reader.line_num
    for row in reader:
        n = offset + previous + 1  # the line the row starts on
        previous = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        try:
            if period_col is not None:
                ptext = row[period_col] if period_col < len(row) else ""
                if ptext not in period_cache:
                    period_cache[ptext] = parse_period(ptext)
                start, end = period_cache[ptext]
            else:
                start = dt.date.fromisoformat(cell(row, "start").strip())
                end_text = cell(row, "end").strip()
                end = dt.date.fromisoformat(end_text) if end_text else start
        except ValueError:
            what = "period" if period_col is not None else "start/end"
            problems.append(
                Problem(
                    file=source,
                    line=n,
                    path=what,
                    message="cannot read the period",
                    expected="YYYY-MM-DD, YYYY-MM, FY2023/24, 2024-Q1 or YYYY",
                    found=repr(
                        row[period_col]
                        if period_col is not None and period_col < len(row)
                        else cell(row, "start")
                    ),
                )
            )
            continue
        unit_text = cell(row, "unit").strip()
        if unit_text not in unit_ok:
            try:
                parse_unit(unit_text)
                unit_ok[unit_text] = None
            except UnitError as exc:
                unit_ok[unit_text] = str(exc)
        if unit_ok[unit_text] is not None:
            problems.append(
                Problem(file=source, line=n, path="unit", message=str(unit_ok[unit_text]))
            )
            continue
        try:
            value = _number(cell(row, "value"))
            num = _number(cell(row, "numerator"))
            den = _number(cell(row, "denominator"))
        except ValueError:
            problems.append(
                Problem(
                    file=source,
                    line=n,
                    path="value",
                    message="not a number",
                    found=repr(cell(row, "value")),
                )
            )
            continue
        oid = cell(row, "outcome_id").strip()
        if not oid:
            problems.append(
                Problem(file=source, line=n, path="outcome_id", message="missing outcome id")
            )
            continue
        ids.append(oid)
        starts.append(start)
        ends.append(end)
        values.append(value)
        units.append(unit_text)
        nums.append(num)
        dens.append(den)
        notes.append(cell(row, "note"))
        entities.append(cell(row, entity).strip())
        lines.append(n)
    if problems:
        raise ObservationsError(problems, source)
    return Observations.from_columns(
        outcome_id=np.array(ids, dtype=str),
        start=np.array(starts, dtype="datetime64[D]"),
        end=np.array(ends, dtype="datetime64[D]"),
        value=np.array(values, dtype=np.float64),
        unit=np.array(units, dtype=str),
        numerator=np.array(nums, dtype=np.float64),
        denominator=np.array(dens, dtype=np.float64),
        note=np.array(notes, dtype=str),
        entity=np.array(entities, dtype=str),
        row_file=np.zeros(len(lines), dtype=np.int32),
        row_line=np.array(lines, dtype=np.int64),
        files=(source,),
        source=origin or source,
        illustrative=illustrative or "illustrative" in source.lower(),
    )


def read_observations(
    source: Any, *, illustrative: bool | None = None, entity: str = "org"
) -> Observations:
    """Read observations from a CSV path, CSV text in a file object, or a DataFrame.

    An :class:`~stratkit.model.Observations` is returned as it is. Every bad
    row is reported at once in an :class:`~stratkit.errors.ObservationsError`.
    ``entity`` names the column holding each row's organisation (site, team)
    code, for portfolios; the column is optional.
    """
    if isinstance(source, Observations):
        obs = source
    elif isinstance(source, (str, os.PathLike)):
        p = Path(source)
        try:
            with p.open(encoding="utf-8-sig", newline="") as fh:  # csv reads line breaks
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ObservationsError(
                [Problem(file=str(p), message=f"cannot read: {exc}")], str(p)
            ) from None
        obs = _read_rows(text, str(p), entity)
    elif hasattr(source, "read"):
        obs = _read_rows(source.read(), getattr(source, "name", "<stream>"), entity)
    elif hasattr(source, "columns") and hasattr(source, "to_csv"):
        obs = _from_frame(source, entity)
    else:
        raise TypeError(f"cannot read observations from {type(source).__name__}")
    if illustrative is not None and illustrative != obs.illustrative:
        import attrs

        obs = attrs.evolve(obs, illustrative=illustrative)
    return obs


def _from_frame(df: Any, entity: str) -> Observations:
    buffer = io.StringIO()
    frame = df.copy()
    for col in ("start", "end", "date"):
        if col in frame.columns and hasattr(frame[col], "dt"):
            frame[col] = frame[col].dt.strftime("%Y-%m-%d")
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_ALL)  # a lone "\r" in a cell too
    illustrative = bool(getattr(df, "attrs", {}).get("illustrative", False))
    name = str(getattr(df, "attrs", {}).get("source", "<DataFrame>"))
    obs = _read_rows(buffer.getvalue(), name, entity)
    if illustrative and not obs.illustrative:
        import attrs

        obs = attrs.evolve(obs, illustrative=True)
    return obs


def _rows_text(obs: Observations) -> str:
    buffer = io.StringIO()
    if obs.illustrative:
        buffer.write("# illustrative: invented data for demonstration, not real performance\n")
    if obs.source and not (obs.source.startswith("<") and obs.source.endswith(">")):
        # "<DataFrame>", "<stream>": a stand-in for a name, not a source
        buffer.write(f"# source: {obs.source}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    # csv quotes a cell holding "\n" but not one holding a lone "\r": quote those rows
    quoting = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    with_entity = bool(obs.entities())
    writer.writerow(_COLUMNS + (("org",) if with_entity else ()))
    for i in range(len(obs)):
        start = obs.start[i].astype(dt.date)
        end = obs.end[i].astype(dt.date)

        def num(x: float) -> str:
            from stratkit.units import format_magnitude

            return "" if np.isnan(x) else format_magnitude(float(x))

        row = [
            str(obs.outcome_id[i]),
            format_period(start, end),
            num(obs.value[i]),
            str(obs.unit[i]),
            num(obs.numerator[i]),
            num(obs.denominator[i]),
            str(obs.note[i]),
        ]
        if with_entity:
            row.append(str(obs.entity[i]))
        (quoting if any("\r" in cell for cell in row) else writer).writerow(row)
    return buffer.getvalue()


def write_observations(obs: Observations, path: str | os.PathLike[str]) -> Path:
    """Write observations as the tidy CSV, atomically (temporary file, then rename).

    Entity codes, when there are any, go to an ``org`` column.
    """
    p = Path(path)
    text = _rows_text(obs)
    try:
        write_atomically(p, text)
    except OSError as exc:  # a StratkitError, as save() raises
        raise SaveError(exc.errno, f"cannot write observations to {p}: {exc.strerror}") from None
    return p


def observations_to_frame(obs: Observations) -> Any:
    """A pandas DataFrame with one row per observation (needs the ``pandas`` extra).

    Entity codes, when there are any, are in an ``org`` column.
    """
    import pandas as pd

    frame = pd.DataFrame(
        {
            "outcome_id": obs.outcome_id.astype(object),
            "start": obs.start.astype("datetime64[ns]"),
            "end": obs.end.astype("datetime64[ns]"),
            "value": obs.value,
            "unit": obs.unit.astype(object),
            "numerator": obs.numerator,
            "denominator": obs.denominator,
            "note": obs.note.astype(object),
        }
    )
    if obs.entities():
        frame["org"] = obs.entity.astype(object)
    frame.attrs["illustrative"] = obs.illustrative
    if obs.source:
        frame.attrs["source"] = obs.source
    return frame
