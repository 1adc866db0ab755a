"""StratML (ISO 17469-1, Strategy Markup Language): publish a strategy, bring a plan in.

:func:`to_stratml` writes a strategy as a StratML Part 1 Strategic Plan or a
Part 2 Performance Plan (a Performance Report when given an evaluation);
:func:`from_stratml` reads any Part 1 or Part 2 document back into a
strategy. What StratML cannot express travels in its ``OtherInformation``
elements, so that a file stratkit wrote comes back exactly; a plan written by
anyone else is read without guessing (see the how-to in the documentation).

>>> import stratkit, tempfile, pathlib
>>> s = stratkit.examples.load("kmpt_2023_26")
>>> with tempfile.TemporaryDirectory() as d:
...     path = to_stratml(s, pathlib.Path(d) / "kmpt.xml", part=2)
...     from_stratml(path) == s
True
"""

from __future__ import annotations

import os
from pathlib import Path

from stratkit._files import write_atomically
from stratkit.errors import SaveError, StrategyFileError
from stratkit.io.stratml._export import EvaluationLike, stratml_text
from stratkit.io.stratml._import import read_stratml, read_stratml_observations
from stratkit.io.stratml._safe import MAX_BYTES
from stratkit.model import Observations, Strategy

__all__ = [
    "EvaluationLike",
    "from_stratml",
    "read_stratml",
    "read_stratml_observations",
    "stratml_observations",
    "stratml_text",
    "to_stratml",
]


def to_stratml(
    strategy: Strategy,
    path: str | os.PathLike[str],
    part: int = 1,
    evaluation: EvaluationLike | None = None,
) -> Path:
    """Write ``strategy`` to ``path`` as a StratML document; returns the path written.

    ``part=1`` writes a Strategic Plan (ISO 17469-1): organisation, vision,
    mission, values, goals (ambitions and enablers) and objectives, with the
    outcomes listed in each objective. ``part=2`` writes a Performance Plan
    (ANSI/AIIM 22:2011 schema of 2016): the same, and each outcome as a
    performance indicator with its target results (interim and final).
    Given an ``evaluation`` of the strategy (``stratkit.evaluate(...)``),
    Part 2 becomes a Performance Report: each indicator also has its actual
    results (the observed values by period) and its status and reason.

    The file is written in one step (never half-written); an unwritable
    destination raises :class:`~stratkit.errors.SaveError`.
    """
    p = Path(path)
    text = stratml_text(strategy, part=part, evaluation=evaluation)
    try:
        write_atomically(p, text)
    except OSError as exc:
        raise SaveError(exc.errno, f"cannot write StratML to {p}: {exc.strerror}") from None
    return p


def _read_bytes(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            return fh.read(MAX_BYTES + 1), str(p)
    except OSError as exc:
        from stratkit.errors import Problem

        raise StrategyFileError(
            str(p), [Problem(file=str(p), message=f"cannot read file: {exc.strerror}")]
        ) from None


def stratml_observations(path: str | os.PathLike[str]) -> tuple[Strategy, Observations]:
    """The strategy in a StratML Part 2 report and the observations in its actual results.

    Returns ``(strategy, observations)``, ready for :func:`stratkit.evaluate`.
    From a Performance Report stratkit wrote, the observations are the ones
    the report was evaluated from (to 15 significant digits), marked
    illustrative when those were. From other plans, an actual result becomes
    an observation when it has a number, an end date and a unit stratkit
    knows; every actual result also stays in its outcome's notes.
    """
    raw, file = _read_bytes(path)
    strategy, observations = read_stratml_observations(raw, file)
    return strategy, observations


def from_stratml(path: str | os.PathLike[str]) -> Strategy:
    """Read the strategy in a StratML Part 1 or Part 2 file.

    Namespace prefixes and the older Part 2 element names are accepted. A
    file stratkit wrote comes back exactly as it was; in any other plan each
    goal, objective and performance indicator becomes an ambition, an
    objective and an outcome, and what the model cannot hold without guessing
    (a free-text unit, target and actual results without a direction) is kept
    in the notes. Raises :class:`~stratkit.errors.UnsafeFileError` for a file
    refused for safety (a DOCTYPE, entities, too large or too deeply nested)
    and :class:`~stratkit.errors.StrategyFileError` for any other problem.
    """
    raw, file = _read_bytes(path)
    return read_stratml(raw, file)
