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
