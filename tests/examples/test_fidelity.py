"""Fidelity of the KMPT examples: figures, codes and ids against their sources.

Three rules the examples follow, checked here:

* every **external figure** in a note (a percentage, an amount of money, a
  figure in millions or thousands, a range) that is not in the outcome's own
  words or quoted from the source texts names its source or says
  "unconfirmed";
* every **measure code** (MHSDS, ECDS, NOF and the like) is in the list of
  codes confirmed in a primary source below, or the text beside it says
  "unconfirmed";
* **ids follow source order**: objectives and outcomes are numbered in the
  order their words appear in the source text.

The lists below are the record of what was checked; a code moves into
``CONFIRMED_CODES`` only with the primary source that confirms it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import stratkit
from stratkit.model import Outcome, Strategy

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: Codes confirmed in a primary source: NHS England's production code for the
#: Mental Health Services Monthly Statistics (measure metadata), its Core Data
#: Pack, or the publisher's own statistics page (source/measures-research.md).
CONFIRMED_CODES = {
    "PLS122": "MHSMS measure metadata, uec_measure_ids; Core Data Pack PLS123 / PLS122",
    "PLS123": "MHSMS measure metadata, uec_measure_ids; Core Data Pack PLS123 / PLS122",
    "CCR73": "MHSMS measure metadata, uec_measure_ids; Core Data Pack CCR120 / CCR73",
    "CCR118": "MHSMS measure metadata, uec_measure_ids",
    "CCR119": "MHSMS measure metadata, uec_measure_ids",
    "CCR120": "MHSMS measure metadata, uec_measure_ids; Core Data Pack CCR120 / CCR73",
    "KH03": "NHS England's Bed Availability and Occupancy statistics page",
}

#: Tokens the code pattern matches that are not measure codes.
NOT_CODES = {"CO2", "FY2022", "FY2024", "FY2025", "FY2034"}

#: Figures in notes that are not external: the encoding's own arithmetic or
#: reading, each with the reason.
NOT_EXTERNAL = {
    ("kmpt_2023_26", "4.2.1", "100 %"): '"All" encoded as 100 %',
    ("kmpt_2020_23", "1.6.2", "100 %"): '"All" encoded as 100 %',
    ("kmpt_2023_26", "5.2.3", "95%"): "the trajectory of a 5% annual reduction",
    ("kmpt_2023_26", "5.2.4", "95%"): "the trajectory of a 5% annual reduction",
    ("kmpt_2023_26", "1.2.4", "1,000"): "the unit of the rate (per 1,000 bed days)",
    ("kmpt_2023_26", "3.3.1", "100,000"): "the unit of a suggested rate (per 100,000)",
}

_CODE = re.compile(r"\b(?:[A-Z][A-Za-z]*_)?[A-Z]{2,}[A-Za-z_]*\d+[A-Za-z0-9]*\b")
_FIGURE = re.compile(
    r"(?<![\w.])(?:£\s?)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?-\s?\d+(?:\.\d+)?)?"
    r"(?:\s?%|\s?pp\b|\s?per ?cent\b|\s?million\b)?(?![\w.]*\w)"
)
_FLAGS = ("unconfirmed", "source:", "http", "briefing (")


def _norm(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[•✦*]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _strategy(name: str) -> Strategy:
    return stratkit.load(EXAMPLES / name)


def _sources(name: str) -> str:
    folder = EXAMPLES / name / "source"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if name == "kmpt_2020_23":  # it cites the briefing shipped with its successor
        texts += [
            p.read_text(encoding="utf-8")
            for p in (EXAMPLES / "kmpt_2023_26" / "source").glob("*.txt")
        ]
    return _norm(" ".join(texts))


def _is_figure(token: str) -> bool:
    """A statistic, not an id, a year, a count of months or a date."""
    core = token.replace("£", "").strip()
    if re.fullmatch(r"(19|20)\d\d(\s?-\s?\d\d(\d\d)?)?", core):
        return False  # a year or a span of years
    marked = bool(re.search(r"%|pp|per ?cent|million|£|,", token)) or "-" in core
    return marked and not re.fullmatch(r"\d+(\.\d+){2,}", core)


def _note_figures(name: str) -> Iterator[tuple[str, str, str]]:
    """``(where, figure, note)`` for every figure in the notes of an example."""
    s = _strategy(name)
    sources = _sources(name)
    notes: list[tuple[str, str, str]] = [("strategy", "", n) for n in s.notes]
    if s.governance is not None:
        notes += [("governance", "", n) for n in s.governance.notes]
    notes += [(o.id, o.statement, n) for o in s.outcomes() for n in o.notes]
    for where, statement, note in notes:
        quoted = [q for q in re.findall(r'"([^"]+)"', note) if _norm(q) in sources]
        for token in _FIGURE.findall(note):
            figure = token.strip()
            if not _is_figure(figure):
                continue
            number = re.sub(r"[£%]|pp|per ?cent|million", "", figure).strip()
            if number in statement or any(number in q for q in quoted):
                continue
            yield where, figure, note


@pytest.mark.parametrize("name", ["kmpt_2023_26", "kmpt_2020_23"])
def test_every_external_figure_in_a_note_is_sourced_or_flagged(name: str) -> None:
    unflagged = [
        (where, figure, note[:90])
        for where, figure, note in _note_figures(name)
        if (name, where, figure) not in NOT_EXTERNAL
        and not any(flag in note.lower() for flag in _FLAGS)
    ]
    assert unflagged == []


def test_the_list_of_figures_that_are_not_external_is_current() -> None:
    found = {
        (name, where, figure)
        for name in ("kmpt_2023_26", "kmpt_2020_23")
        for where, figure, _ in _note_figures(name)
    }
    assert set(NOT_EXTERNAL) <= found  # a stale entry would excuse nothing


def _texts(outcome: Outcome) -> Iterator[str]:
    yield from outcome.notes
    for a in outcome.ambiguities:
        yield a.question
        yield a.chosen
        yield from a.alternatives
    m = outcome.measure
    if m is not None:
        for text in (m.name, m.definition, m.numerator, m.denominator, m.data_source, m.code):
            if text:
                yield text


@pytest.mark.parametrize("name", ["kmpt_2023_26", "kmpt_2020_23"])
def test_every_measure_code_is_confirmed_or_flagged(name: str) -> None:
    unflagged = [
        (o.id, code, text[:90])
        for o in _strategy(name).outcomes()
        for text in _texts(o)
        for code in _CODE.findall(text)
        if code not in NOT_CODES
        and code not in CONFIRMED_CODES
        and "unconfirmed" not in text.lower()
    ]
    assert unflagged == []


def test_the_issues_unconfirmed_codes_are_flagged_where_they_appear() -> None:
    # MRS01/01a/01b, PHS014b, MH_Breach12hrs and MHS518 could not be confirmed
    seen = {}
    for o in _strategy("kmpt_2023_26").outcomes():
        for text in _texts(o):
            for code in _CODE.findall(text):
                seen.setdefault(code, []).append("unconfirmed" in text.lower())
    for code in ("MRS01", "MRS01a", "MRS01b", "PHS014b", "MH_Breach12hrs", "MHS518"):
        assert seen[code], code
        assert all(seen[code]), code


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("kmpt_2023_26", "kmpt-strategy-2023-26.txt"),
        ("kmpt_2020_23", "kmpt-organisational-strategy-2020-23.txt"),
    ],
)
def test_ids_follow_source_order(name: str, source: str) -> None:
    text = _norm((EXAMPLES / name / "source" / source).read_text(encoding="utf-8"))
    s = _strategy(name)
    for amb in s.ambitions:
        for oi, obj in enumerate(amb.objectives, 1):
            assert obj.id == f"{amb.id}.{oi}"
            positions = []
            for ui, outcome in enumerate(obj.outcomes, 1):
                assert outcome.id == f"{obj.id}.{ui}"
                words = _norm(outcome.statement).rstrip(".")
                at = text.find(words[:60])
                assert at >= 0, outcome.id
                positions.append(at)
            assert positions == sorted(positions), (obj.id, positions)
