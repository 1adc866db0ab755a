"""Observations out: the tidy CSV (written atomically) and a pandas DataFrame."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from stratkit._files import write_atomically
from stratkit.errors import ObservationsError, Problem, SaveError
from stratkit.io.observations._periods import format_period
from stratkit.io.observations._table import COLUMNS as _COLUMNS
from stratkit.model import Observations


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


def _refuse_nul(obs: Observations, path: Path) -> NoReturn:
    """A NUL character cannot be written to a CSV (the reader refuses it): name each cell."""
    problems: list[Problem] = []
    if "\x00" in (obs.source or ""):
        problems.append(
            Problem(
                file=str(path),
                path="source",
                message="a NUL character (\\x00): a CSV file cannot hold one",
            )
        )
    for name in ("outcome_id", "unit", "note", "entity"):
        for i, cell in enumerate(getattr(obs, name).tolist()):
            if "\x00" in cell and len(problems) < 20:
                problems.append(
                    Problem(
                        file=str(path),
                        path=f"row {i + 1}, {name}",
                        message="a NUL character (\\x00): a CSV file cannot hold one",
                        hint="remove it from the observations before writing",
                    )
                )
    raise ObservationsError(problems, str(path))


def write_observations(obs: Observations, path: str | os.PathLike[str]) -> Path:
    """Write observations as the tidy CSV, atomically (temporary file, then rename).

    Entity codes, when there are any, go to an ``org`` column. A text cell
    holding a NUL character (which no CSV reader keeps) raises
    :class:`~stratkit.errors.ObservationsError` naming it, and nothing is
    written.
    """
    p = Path(path)
    text = _rows_text(obs)
    if "\x00" in text:  # one scan of the text; the cells are found only then
        _refuse_nul(obs, p)
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
