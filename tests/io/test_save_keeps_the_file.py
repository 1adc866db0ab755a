"""Saving over a hand-written YAML file keeps what the person wrote (issue 12 item 5)."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import attrs
import pytest

import stratkit
from stratkit.units import parse_quantity

pytest.importorskip("ruamel.yaml")  # the roundtrip extra (in the test extra too)

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "data" / "valid" / "minimal.yaml"


def _copy(src: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "strategy.yaml"
    shutil.copyfile(src, dest)
    return dest


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _sources() -> list[Path]:
    found = [MINIMAL, ROOT / "src" / "stratkit" / "_scaffold" / "strategy.yaml"]
    found += [stratkit.examples.path(n) / "strategy.yaml" for n in stratkit.examples.names()]
    return found


@pytest.mark.parametrize("src", _sources(), ids=lambda p: p.parent.name)
def test_saving_an_unchanged_strategy_keeps_the_file_byte_for_byte(
    src: Path, tmp_path: Path
) -> None:
    path = _copy(src, tmp_path)
    stratkit.save(stratkit.load(path), path)
    assert path.read_bytes() == src.read_bytes()


def test_a_changed_value_changes_only_its_line(tmp_path: Path) -> None:
    src = stratkit.examples.path("kmpt_2023_26") / "strategy.yaml"
    path = _copy(src, tmp_path)
    strategy = stratkit.load(path)
    outcome = strategy.outcome("1.1.1")
    assert outcome.target is not None
    new_target = attrs.evolve(outcome.target, value=parse_quantity("96 %"))
    changed = _with_outcome(strategy, attrs.evolve(outcome, target=new_target))
    stratkit.save(changed, path)
    diff = _changed_lines(src.read_text(encoding="utf-8"), path.read_text(encoding="utf-8"))
    assert len(diff) == 2, diff
    assert "95 %" in diff[0]
    assert "96 %" in diff[1]
    assert stratkit.load(path) == changed


def _with_outcome(strategy: stratkit.Strategy, new: stratkit.Outcome) -> stratkit.Strategy:
    ambitions = []
    for a in strategy.ambitions:
        objectives = []
        for o in a.objectives:
            outcomes = tuple(new if x.id == new.id else x for x in o.outcomes)
            objectives.append(attrs.evolve(o, outcomes=outcomes))
        ambitions.append(attrs.evolve(a, objectives=tuple(objectives)))
    return attrs.evolve(strategy, ambitions=tuple(ambitions))


def test_a_removed_field_is_removed_and_comments_stay(tmp_path: Path) -> None:
    src = stratkit.examples.path("kmpt_2023_26") / "strategy.yaml"
    path = _copy(src, tmp_path)
    strategy = stratkit.load(path)
    assert strategy.organisation.code is not None
    changed = attrs.evolve(strategy, organisation=attrs.evolve(strategy.organisation, code=None))
    stratkit.save(changed, path)
    before, after = src.read_text(encoding="utf-8"), path.read_text(encoding="utf-8")
    diff = _changed_lines(before, after)
    assert len(diff) == 1
    assert diff[0].lstrip("-").strip().startswith("code:")
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert stratkit.load(path) == changed


def test_fresh_writes_stratkits_own_layout(tmp_path: Path) -> None:
    path = _copy(MINIMAL, tmp_path)
    strategy = stratkit.load(path)
    stratkit.save(strategy, path, fresh=True)
    assert path.read_text(encoding="utf-8") == stratkit.dumps(strategy)


def test_an_unsafe_or_invalid_existing_file_is_replaced_fresh(tmp_path: Path) -> None:
    strategy = stratkit.load(MINIMAL)
    path = tmp_path / "strategy.yaml"
    for text in ("a: &x 1\nb: *x\n", "title: !!python/name:os.system x\n", "[1, 2\n", "x: 1\n"):
        path.write_text(text, encoding="utf-8")
        stratkit.save(strategy, path)
        assert path.read_text(encoding="utf-8") == stratkit.dumps(strategy)


def test_json_is_always_written_fresh(tmp_path: Path) -> None:
    strategy = stratkit.load(MINIMAL)
    path = tmp_path / "strategy.json"
    path.write_text("{}", encoding="utf-8")
    stratkit.save(strategy, path)
    assert path.read_text(encoding="utf-8") == stratkit.dumps(strategy, format="json")
