"""Whatever a file holds, loading it gives a strategy or a StrategyFileError, nothing else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies as sks
import stratkit
from stratkit.errors import StrategyFileError
from stratkit.model import Strategy

# keys a strategy file uses, so that the generated documents get deep into the model
_KEYS = [
    "title",
    "organisation",
    "name",
    "period",
    "start",
    "end",
    "ambitions",
    "id",
    "objectives",
    "outcomes",
    "statement",
    "measure",
    "unit",
    "target",
    "kind",
    "direction",
    "value",
    "baseline",
    "date",
    "deadline",
    "interim",
    "change",
    "rate",
    "band",
    "milestones",
    "status",
    "completed",
    "every",
    "benchmark",
    "delivery_year",
    "source",
    "document",
    "sources",
    "governance",
    "forums",
    "frequency",
    "stratkit_format",
]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.sampled_from(
        [
            "14 %",
            "2 pp",
            "6.9 score",
            "level",
            "decrease",
            "zero",
            "milestone",
            "done",
            "annual",
            "1",
            "x",
            "",
            "2024-13-01",
            "precent",
            "1e400 %",
        ]
    ),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2040, 1, 1)),
    st.text(max_size=5),
)
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=4), inner, max_size=5)
    ),
    max_leaves=25,
)


def _load(text: str) -> None:
    try:
        stratkit.loads(text)
    except StrategyFileError as err:
        assert err.problems  # noqa: PT017 - loading may succeed; a refusal must say why
        for p in err.problems:
            assert p.message
            assert p.file == "<string>"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_KEYS), _DOCS, max_size=8))
def test_any_yaml_document_loads_or_is_refused_with_problems(doc: dict[str, Any]) -> None:
    _load(yaml.safe_dump(doc, allow_unicode=True))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_loads_or_is_refused_with_problems(text: str) -> None:
    _load(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_load_or_are_refused_with_problems(raw: bytes) -> None:
    try:
        stratkit.loads(raw)
    except StrategyFileError as err:
        assert err.problems  # noqa: PT017 - loading may succeed; a refusal must say why


_TOKENS = st.sampled_from(
    [
        "~",
        "[]",
        "{}",
        "[1, 2]",
        "1",
        "-1",
        "0",
        "1.5",
        "true",
        "2024-02-30",
        "2024-01-01 10:00",
        "''",
        "14 %",
        "-14 pp",
        "6 score",
        "-5 %",
        "5 %",
        "0 GBP",
        "3 hour",
        "done",
        "in_progress",
        "towards",
        "increase",
        "decrease",
        "milestone",
        "zero",
        "level",
        "annual",
        "2100-01-01",
        "1900-01-01",
        "['5 %', '1 %']",
    ]
)
_EDITS = st.lists(
    st.tuples(st.integers(0, 10**6), st.sampled_from(["delete", "set", "repeat"]), _TOKENS),
    min_size=1,
    max_size=3,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sks.strategies(max_ambitions=2), _EDITS)
def test_an_edited_file_loads_and_round_trips_or_is_refused(
    strategy: Strategy, edits: list[Any]
) -> None:
    lines = stratkit.dumps(strategy).splitlines(keepends=True)
    for where, edit, token in edits:
        i = where % len(lines)
        if edit == "delete" and len(lines) > 1:
            lines.pop(i)
        elif edit == "repeat":
            lines.insert(i, lines[i])
        elif ": " in lines[i]:
            lines[i] = lines[i].split(": ")[0] + ": " + token + "\n"
    try:
        loaded = stratkit.loads("".join(lines))
    except StrategyFileError as err:
        assert err.problems  # noqa: PT017 - loading may succeed; a refusal must say why
        return
    text = stratkit.dumps(loaded)
    assert stratkit.loads(text) == loaded
    assert stratkit.dumps(stratkit.loads(text)) == text
