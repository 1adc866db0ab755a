"""Every YAML example in ``docs/format.md`` loads, and together they cover the format.

Each ```` ```yaml ```` block of the page is either a whole strategy (it has a
``title``) or one outcome (it has an ``id`` and a ``statement``), which is
wrapped here into a minimal strategy before loading. A block that is neither,
or that does not load, fails the test with stratkit's own message.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import stratkit
from stratkit.io._convert import unstructure
from stratkit.model import Direction, Outcome, TargetKind

FORMAT_PAGE = Path(__file__).resolve().parents[2] / "docs" / "format.md"
_FENCE = re.compile(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[int, str]]:
    """``(line, text)`` of every yaml fence in the page."""
    page = FORMAT_PAGE.read_text(encoding="utf-8")
    return [(page.count("\n", 0, m.start()) + 1, m.group(1)) for m in _FENCE.finditer(page)]


BLOCKS = _blocks()


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def _as_strategy(text: str) -> str:
    """The block as a whole strategy file: as it is, or one outcome wrapped in one."""
    data = yaml.safe_load(text)
    assert isinstance(data, dict), "a yaml example must be a mapping"
    if "title" in data:
        return text
    assert {"id", "statement"} <= data.keys(), (
        "a yaml example is a whole strategy (with 'title') or one outcome (with 'id' and "
        "'statement')"
    )
    return (
        "title: Example\n"
        "organisation: {name: Example NHS Trust}\n"
        "period: {start: 2023-04-01, end: 2026-03-31}\n"
        "ambitions:\n"
        '  - id: "A"\n'
        "    title: Example ambition\n"
        "    objectives:\n"
        '      - id: "O"\n'
        "        title: Example objective\n"
        "        outcomes:\n"
        "          - " + _indent(text, 12).lstrip()
    )


def _load(line: int, text: str) -> stratkit.Strategy:
    try:
        return stratkit.loads(_as_strategy(text), file=f"docs/format.md (example at line {line})")
    except stratkit.StrategyFileError as exc:  # pragma: no cover - the failure message
        pytest.fail(str(exc), pytrace=False)


def _outcomes() -> list[Outcome]:
    return [o for line, text in BLOCKS for o in _load(line, text).outcomes()]


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 12


@pytest.mark.parametrize(("line", "text"), BLOCKS, ids=[f"line{n}" for n, _ in BLOCKS])
def test_example_loads(line: int, text: str) -> None:
    strategy = _load(line, text)
    # and survives a round trip through both forms
    assert stratkit.loads(stratkit.dumps(strategy)) == strategy
    assert stratkit.loads(stratkit.dumps(strategy, format="json")) == strategy


@pytest.mark.parametrize(("line", "text"), BLOCKS, ids=[f"line{n}" for n, _ in BLOCKS])
def test_example_matches_the_json_schema(line: int, text: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")

    def plain(value: Any) -> Any:  # YAML dates are strings in JSON
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    data = json.loads(json.dumps(yaml.safe_load(_as_strategy(text)), default=plain))
    jsonschema.validate(data, stratkit.strategy_schema())


def test_every_target_kind_has_an_example() -> None:
    kinds = {o.target.kind for o in _outcomes() if o.target is not None}
    assert kinds == set(TargetKind)


def test_the_hard_cases_have_examples() -> None:
    outcomes = _outcomes()
    targets = [o.target for o in outcomes if o.target is not None]
    assert any(t.direction is Direction.TOWARDS and t.band is not None for t in targets)
    assert any(t.interim for t in targets)
    assert any(t.baseline is not None and t.baseline.value is None for t in targets)
    assert any(o.ambiguities for o in outcomes)
    assert any(o.measure is None and o.target is None for o in outcomes)


def test_a_wrong_example_would_fail() -> None:
    """The wrapping does not hide mistakes: a misspelt unit in an outcome is refused."""
    bad = 'id: "1"\nstatement: x\nmeasure: {name: x, unit: precent}\n'
    with pytest.raises(stratkit.StrategyFileError, match="unknown unit 'precent'"):
        stratkit.loads(_as_strategy(bad))


_TEXT_FENCE = re.compile(r"^```text[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _csv_examples() -> list[str]:
    """The observations CSV examples: text fences whose header starts ``outcome_id,``."""
    page = FORMAT_PAGE.read_text(encoding="utf-8")
    found = []
    for m in _TEXT_FENCE.finditer(page):
        lines = [ln for ln in m.group(1).splitlines() if not ln.lstrip().startswith("#")]
        if lines and lines[0].startswith("outcome_id,"):
            found.append(m.group(1))
    return found


def test_the_observations_example_reads_and_fits_the_outcomes() -> None:
    examples = _csv_examples()
    assert examples, "the page shows the observations CSV"
    outcomes = {o.id: o for o in _outcomes()}
    for text in examples:
        observations = stratkit.read_observations(io.StringIO(text))
        for outcome_id in observations.outcome_ids():
            measure = outcomes[outcome_id].measure
            assert measure is not None
            # in the measure's unit, or one of the same dimension
            observations.series(outcome_id, unit=measure.unit)


# --- The docs attribute to KMPT only what the KMPT example (and so its sources) says.
# The page teaches with KMPT's outcomes and with a fictional "Example NHS Trust".
# Every example outcome that carries a KMPT statement must show exactly what
# examples/kmpt_2023_26/strategy.yaml encodes for it (a subset of its fields,
# each equal); every other example must say it is the fictional trust's; every
# statement quoted in prose must be KMPT's, word for word; and a whole-strategy
# example may not put invented facts under KMPT's name.

ROOT = Path(__file__).resolve().parents[2]
KMPT = stratkit.load(ROOT / "examples" / "kmpt_2023_26")
KMPT_BY_STATEMENT = {" ".join(o.statement.split()): o for o in KMPT.outcomes()}
FICTIONAL = "Example NHS Trust"


def _subset_mismatches(shown: Any, truth: Any, path: str = "") -> list[str]:
    """Where ``shown`` differs from ``truth``: every key shown must hold the same value."""
    if isinstance(shown, dict) and isinstance(truth, dict):
        out = []
        for key, value in shown.items():
            if key not in truth:
                out.append(f"{path}{key}: shown as {value!r}, not in the KMPT example")
            else:
                out += _subset_mismatches(value, truth[key], f"{path}{key}.")
        return out
    return [] if shown == truth else [f"{path.rstrip('.')}: shown {shown!r}, KMPT has {truth!r}"]


def _outcome_blocks() -> list[tuple[int, stratkit.Outcome]]:
    out = []
    for line, text in BLOCKS:
        if "title" in yaml.safe_load(text):
            continue
        strategy = stratkit.loads(_as_strategy(text), file=f"docs/format.md:{line}")
        out += [(line, o) for o in strategy.outcomes()]
    return out


OUTCOME_BLOCKS = _outcome_blocks()


def test_the_page_shows_kmpt_and_fictional_outcomes() -> None:
    kmpt = [o for _, o in OUTCOME_BLOCKS if " ".join(o.statement.split()) in KMPT_BY_STATEMENT]
    fictional = [o for _, o in OUTCOME_BLOCKS if FICTIONAL in o.statement]
    assert len(kmpt) >= 12
    assert len(fictional) >= 3
    assert len(kmpt) + len(fictional) == len(OUTCOME_BLOCKS)


@pytest.mark.parametrize(
    ("line", "outcome"), OUTCOME_BLOCKS, ids=[f"line{line}" for line, _ in OUTCOME_BLOCKS]
)
def test_an_example_outcome_is_kmpts_as_encoded_or_says_it_is_fictional(
    line: int, outcome: stratkit.Outcome
) -> None:
    statement = " ".join(outcome.statement.split())
    if FICTIONAL in statement:
        assert statement not in KMPT_BY_STATEMENT
        return
    assert statement in KMPT_BY_STATEMENT, (
        f"docs/format.md:{line}: {outcome.id} is neither a KMPT statement (word for word) nor "
        f"marked as the fictional {FICTIONAL}'s"
    )
    truth = KMPT_BY_STATEMENT[statement]
    assert outcome.id == truth.id
    assert _subset_mismatches(unstructure(outcome), unstructure(truth)) == []


def test_statements_quoted_in_prose_are_kmpts_word_for_word() -> None:
    page = FORMAT_PAGE.read_text(encoding="utf-8")
    quoted = [" ".join(q.split()) for q in re.findall(r'\*"(.+?)"\*', page, flags=re.DOTALL)]
    assert len(quoted) >= 12
    assert [q for q in quoted if q not in KMPT_BY_STATEMENT] == []


def test_a_whole_strategy_example_is_not_under_kmpts_name() -> None:
    for line, text in BLOCKS:
        data = yaml.safe_load(text)
        if "title" not in data:
            continue
        name = data["organisation"]["name"]
        if name == KMPT.organisation.name:
            # only what the KMPT example says may stand under KMPT's name
            shown = {k: v for k, v in data.items() if k not in ("ambitions", "sources")}
            truth = unstructure(KMPT)
            loaded = unstructure(stratkit.loads(text, file=f"docs/format.md:{line}"))
            assert _subset_mismatches({k: loaded[k] for k in shown}, truth) == []
        else:
            assert name == FICTIONAL, f"docs/format.md:{line}: organisation {name!r}"
