"""Observations in and out: CSV files, workbooks, DataFrames, folders of monthly files.

The tidy CSV has one row per value::

    # illustrative: invented data for demonstration
    outcome_id,period,value,unit,numerator,denominator,note
    2.2.1,2024-05,15.2,%,,,
    2.1.1,FY2023/24,6.7,score,,,

Only ``outcome_id``, a period and a value (or a numerator and a denominator)
are required; the observations format reference lists every accepted form of
each column. :func:`read_observations` reads it from a path, a folder, a
glob, a list of those, a file object, an ``.xlsx`` workbook or a DataFrame
(pandas, polars, pyarrow); :func:`check_observations` checks observations
already read against a strategy.

A bad row never stops the others: by default it is set aside, and an
:class:`~stratkit.errors.ObservationsWarning` lists every problem, located
(``Observations.problems`` keeps them). With ``strict=True`` every problem is
raised at once in an :class:`~stratkit.errors.ObservationsError`. A file that
cannot be read as observations at all (no header, missing columns, too
large) is always an error.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import numpy as np

from stratkit.errors import ObservationsError, Problem
from stratkit.io.observations._build import build
from stratkit.io.observations._columns import Coded, factorize
from stratkit.io.observations._csvtext import MAX_FIELD_CHARS, decode
from stratkit.io.observations._duplicates import DUPLICATE_RULES, check_rule
from stratkit.io.observations._periods import (
    AmbiguousPeriodError,
    format_period,
    parse_period,
    period_of_day,
)
from stratkit.io.observations._reader import read_table
from stratkit.io.observations._sources import (
    LIST_FILE,
    MAX_BYTES,
    csv_table,
    expand,
    folder_files,
    frame_table,
    read_bytes,
    sheet_table,
)
from stratkit.io.observations._table import Rows, Table
from stratkit.io.observations._values import format_value, parse_value
from stratkit.io.observations._write import observations_to_frame, write_observations
from stratkit.model import Observations, Strategy

__all__ = [
    "DUPLICATE_RULES",
    "LIST_FILE",
    "MAX_BYTES",
    "MAX_FIELD_CHARS",
    "AmbiguousPeriodError",
    "check_observations",
    "folder_files",
    "format_period",
    "format_value",
    "observations_to_frame",
    "parse_period",
    "parse_value",
    "period_of_day",
    "read_observations",
    "write_observations",
]

_SHEET_SUFFIXES = (".xlsx", ".xlsm")


def _table(
    one: Any,
    *,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    decimal: str | None,
    max_bytes: int,
) -> Table:
    if isinstance(one, (str, os.PathLike)):
        p = Path(one)
        if p.suffix.lower() in _SHEET_SUFFIXES:
            if p.is_file() and p.stat().st_size > max_bytes:
                read_bytes(p, max_bytes)  # refuses, naming the limit
            return sheet_table(p, sheet, decimal=decimal)
        data = read_bytes(p, max_bytes)
        return csv_table(
            _decode(data, str(p), encoding), str(p), delimiter=delimiter, decimal=decimal
        )
    if hasattr(one, "read"):
        label = str(getattr(one, "name", "<stream>"))
        data = one.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ObservationsError(
                [Problem(file=label, message=f"over the {max_bytes:,}-byte limit")], label
            )
        text = _decode(data, label, encoding) if isinstance(data, bytes) else data
        return csv_table(text, label, delimiter=delimiter, decimal=decimal)
    return frame_table(one)


def _decode(data: bytes, label: str, encoding: str | None) -> str:
    from stratkit.io.observations._csvtext import _DecodeProblem

    try:
        return decode(data, label, encoding)
    except _DecodeProblem as exc:
        raise ObservationsError([exc.problem], label) from None


def _rows_of(obs: Observations) -> Rows:
    n = len(obs)
    return Rows(
        outcome_id=Coded(*factorize(obs.outcome_id.astype(object))),
        start=np.array(obs.start, dtype="datetime64[D]"),
        end=np.array(obs.end, dtype="datetime64[D]"),
        instant=np.zeros(n, dtype=bool),
        value=np.array(obs.value, dtype=np.float64),
        unit=obs.unit.astype(object),
        numerator=np.array(obs.numerator, dtype=np.float64),
        denominator=np.array(obs.denominator, dtype=np.float64),
        note=Coded(*factorize(obs.note.astype(object))),
        entity=Coded(*factorize(obs.entity.astype(object))),
        line=np.array(obs.row_line, dtype=np.int64),
        bad=np.zeros(n, dtype=bool),
        problems=[],
    )


def read_observations(
    source: Any,
    *,
    strategy: Strategy | None = None,
    strict: bool = False,
    entity: str = "org",
    dayfirst: bool | None = True,
    decimal: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    duplicates: str = "error",
    today: dt.date | None = None,
    max_bytes: int = MAX_BYTES,
    illustrative: bool | None = None,
) -> Observations:
    """Read observations from files, a folder, a workbook or a DataFrame.

    ``source`` is a CSV path (``,``, ``;`` or tab separated; UTF-8 with or
    without a byte-order mark, or UTF-16 as Excel writes it), an ``.xlsx``
    path (the ``excel`` extra; ``sheet`` names the worksheet), a folder (its
    :data:`LIST_FILE`, or else every ``observations*.csv`` and
    ``observations*.xlsx`` in name order), a glob pattern, a file object, a
    DataFrame (pandas, polars or pyarrow, through narwhals), an
    :class:`~stratkit.model.Observations`, or a list of any of these, read
    and combined in order.

    With ``strategy``, each row is also checked against its outcome: the
    outcome exists, the unit has the measure's dimension (a blank unit is the
    measure's unit), the value lies in the measure's ``range``, the period is
    one of the measure's frequency (a datetime is read as that period), and
    values are converted into the measure's unit.

    ``entity`` names the optional column of organisation codes (portfolios).
    ``dayfirst`` reads ``01/04/2023`` as 1 April (``True``, the UK order and
    the default), 4 January (``False``), or refuses it as ambiguous
    (``None``). ``decimal`` is the decimal mark (default ``","`` for a
    semicolon-separated file, else ``"."``). Two values for the same outcome,
    entity and period are a problem naming every row, unless ``duplicates``
    chooses a rule: ``"first"`` or ``"last"`` keeps that row (in reading
    order), ``"mean"`` averages the values and ``"sum"`` adds them. When every
    row of the group gives a numerator and a denominator, ``"mean"`` averages
    and ``"sum"`` adds those too, and a value that is their ratio (a unit such
    as ``%``) is worked out from the combined counts, so it still agrees with
    them (a rate of counts is never an average of rates); otherwise the
    counts are dropped. Values in different units are not combined (a
    problem): with ``strategy`` they are first converted to the measure's
    unit. Notes are joined. A period starting after ``today`` (default: today's date) is a
    problem. Files over ``max_bytes`` (default :data:`MAX_BYTES`) are refused.

    Rows with a problem are set aside and an
    :class:`~stratkit.errors.ObservationsWarning` lists every problem, with
    file and line (or sheet and cell); ``strict=True`` raises an
    :class:`~stratkit.errors.ObservationsError` with all of them instead.

    >>> import io
    >>> obs = read_observations(io.StringIO(
    ...     "outcome_id;period;value\\n2.2.1;Apr-24;15,8%\\n2.2.1;May 2024;15,2%\\n"))
    >>> obs.value.tolist(), obs.unit.tolist(), str(obs.end[-1])
    ([15.8, 15.2], ['%', '%'], '2024-05-31')
    """
    check_rule(duplicates)
    sources = expand(source)
    if len(sources) == 1 and isinstance(sources[0], Observations):
        obs = sources[0]
        if strategy is not None:
            obs = check_observations(
                obs, strategy, strict=strict, duplicates=duplicates, today=today
            )
        return _mark(obs, illustrative)
    tables: list[Table] = []
    labels: list[str] = []
    parts: list[tuple[int, Rows]] = []
    early: list[tuple[int, list[Problem]]] = []
    fatal: list[Problem] = []
    comments: list[str] = []
    for one in sources:
        f = len(labels)
        if isinstance(one, Observations):
            labels.append(one.source or "<observations>")
            parts.append((f, _rows_of(one)))
            comments.extend(["illustrative"] if one.illustrative else [])
            continue
        try:
            table = _table(
                one,
                sheet=sheet,
                encoding=encoding,
                delimiter=delimiter,
                decimal=decimal,
                max_bytes=max_bytes,
            )
        except ObservationsError as exc:
            fatal.extend(exc.problems)
            labels.append(exc.source)
            continue
        tables.append(table)
        labels.append(table.label)
        comments.extend(table.comments)
        rows, problems = read_table(table, entity=entity, dayfirst=dayfirst)
        if rows is None:
            fatal.extend(problems)
            continue
        parts.append((f, rows))
        early.append((f, problems))
    if fatal:
        label = ", ".join(dict.fromkeys(labels)) or "<observations>"
        raise ObservationsError(fatal, label)
    if len(tables) != len(labels):  # an Observations in the list: keep indices aligned
        tables = []
    origin = [c.split(":", 1)[1].strip() for c in comments if c.lower().startswith("source:")]
    named = [lb for lb in labels if not lb.startswith("<")]
    flagged = any("illustrative" in c.lower() for c in comments) or any(
        "illustrative" in Path(lb).name.lower() for lb in named
    )
    obs = build(
        parts,
        tables,
        labels,
        early,
        strategy=strategy,
        strict=strict,
        duplicates=duplicates,
        today=today or dt.date.today(),
        source="; ".join(dict.fromkeys(origin)) or ("; ".join(labels) if labels else None),
        illustrative=flagged,
    )
    return _mark(obs, illustrative)


def _mark(obs: Observations, illustrative: bool | None) -> Observations:
    if illustrative is not None and illustrative != obs.illustrative:
        import attrs

        obs = attrs.evolve(obs, illustrative=illustrative)
    return obs


def check_observations(
    observations: Observations,
    strategy: Strategy,
    *,
    strict: bool = False,
    duplicates: str = "error",
    today: dt.date | None = None,
) -> Observations:
    """Check observations already read against ``strategy``, as :func:`read_observations` does.

    Problems are located with the file and line each row was read from. The
    problems found when the observations were read are kept and listed first
    (raised again when ``strict``, not warned about again).
    """
    labels = list(observations.files) or [observations.source or "<observations>"]
    rows = _rows_of(observations)
    files = np.array(observations.row_file, dtype=np.int32)
    files[files < 0] = 0
    parts = [(int(f), _subset(rows, files == f)) for f in dict.fromkeys(files.tolist())]
    return build(
        parts,
        [],
        labels,
        [],
        strategy=strategy,
        strict=strict,
        duplicates=duplicates,
        today=today or dt.date.today(),
        source=observations.source,
        illustrative=observations.illustrative,
        carried=observations.problems,
    )


def _subset(rows: Rows, mask: Any) -> Rows:
    from stratkit.io.observations._table import take

    return take(rows, mask)
