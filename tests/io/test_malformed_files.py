"""The corpus of malformed strategy files: each is refused with the right error, at its place.

``tests/data/malformed/`` holds one file per mistake; ``EXPECTED`` below says,
for each, the error class and every problem reported (field path, line,
column, a fragment of the message). A file added to the folder without an
entry here fails ``test_every_file_has_an_expectation``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import stratkit
from stratkit.errors import StrategyFileError, UnsafeFileError

MALFORMED = Path(__file__).parent.parent / "data" / "malformed"
OUT = "ambitions[0].objectives[0].outcomes[0]"  # the outcome most files break
TGT = f"{OUT}.target"
FILE = StrategyFileError
UNSAFE = UnsafeFileError

# file name -> (error class, [(path, line, column, message fragment), ...]) in report order.
# Syntax errors are pinned by their place and stratkit's own words, not by the
# parser's description of the fault, which differs between PyYAML versions.
Expectation = tuple[type[StrategyFileError], list[tuple[str, int | None, int | None, str]]]
EXPECTED: dict[str, Expectation] = {
    "unknown_unit.yaml": (
        FILE,
        [(f"{TGT}.value", 24, 22, "unknown unit 'precent' (did you mean 'percent'")],
    ),
    "unknown_measure_unit.yaml": (
        FILE,
        [(f"{OUT}.measure.unit", 20, 21, "unknown unit 'percnt' (did you mean 'percent'")],
    ),
    "wrong_dimension.yaml": (
        FILE,
        [
            (
                f"{TGT}.value",
                24,
                22,
                ("unit does not match the measure's unit; expected a unit like '%', found h"),
            )
        ],
    ),
    "mixed_units_in_target.yaml": (
        FILE,
        [(f"{TGT}.baseline.value", 26, 24, "unit does not match the target's other values")],
    ),
    "reduce_target_above_baseline.yaml": (
        FILE,
        [
            (
                f"{TGT}.value",
                24,
                22,
                ("a decrease target cannot rise above its baseline, found 20 % after 16 %"),
            )
        ],
    ),
    "relative_change_wrong_sign.yaml": (
        FILE,
        [(f"{TGT}.change", 24, 23, "a decrease target's change must be negative")],
    ),
    "duplicate_outcome_id.yaml": (
        FILE,
        [
            (
                "ambitions[0].objectives[0].outcomes[1].id",
                29,
                17,
                "duplicate outcome id '1.1.1' (first used at outcomes[0])",
            )
        ],
    ),
    "duplicate_objective_id.yaml": (
        FILE,
        [("ambitions[0].objectives[1].id", 29, 13, "duplicate objective id '1.1'")],
    ),
    "duplicate_ambition_id.yaml": (
        FILE,
        [("ambitions[1].id", 29, 9, "duplicate ambition id '1'")],
    ),
    "duplicate_id_across_objectives.yaml": (
        FILE,
        [
            (
                "ambitions[0].objectives[1].outcomes[0].id",
                32,
                17,
                "duplicate id '1.1.1' (also ambitions[0].objectives[0].outcomes[0])",
            )
        ],
    ),
    "misspelt_field.yaml": (
        FILE,
        [
            (f"{OUT}.statment", 17, 13, "unknown field 'statment' in Outcome"),
            (OUT, 16, 13, "missing required field 'statement' in Outcome"),
        ],
    ),
    "misspelt_enum_value.yaml": (
        FILE,
        [
            (
                f"{TGT}.direction",
                23,
                26,
                (
                    "unknown direction; expected one of 'increase', 'decrease', "
                    "'towards', 'milestone', found 'decrese' "
                    "(did you mean 'decrease'?)"
                ),
            )
        ],
    ),
    "wrong_type_list_for_text.yaml": (
        FILE,
        [("ambitions[0].objectives[0].title", 14, 16, "expected text, found a list")],
    ),
    "wrong_type_text_for_int.yaml": (
        FILE,
        [(f"{OUT}.delivery_year", 17, 28, "expected a whole number, found str 'two'")],
    ),
    "missing_required_field.yaml": (
        FILE,
        [("", 2, 1, "missing required field 'period' in Strategy")],
    ),
    "python_object_tag.yaml": (
        UNSAFE,
        [
            (
                "title",
                3,
                8,
                ("YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
            )
        ],
    ),
    "python_name_tag.yaml": (
        UNSAFE,
        [("organisation.name", 5, 9, "YAML tag 'tag:yaml.org,2002:python/name:os.system'")],
    ),
    "custom_tag.yaml": (UNSAFE, [(f"{TGT}.value", 24, 22, "YAML tag '!include' is not allowed")]),
    "alias_bomb.yaml": (
        UNSAFE,
        [("b[0]", 2, 4, "anchors and aliases (&name, *name) are not allowed")],
    ),
    # The line and column are those of the anchored value (the alias is the same node).
    "alias.yaml": (UNSAFE, [("ambitions[0].objectives[0].title", 5, 9, "anchors and aliases")]),
    "merge_key.yaml": (UNSAFE, [(TGT, 22, 15, "merge keys (<<) are not allowed")]),
    "too_deep.yaml": (UNSAFE, [("title" + "[0]" * 64, 2, 72, "nested deeper than 64 levels")]),
    "non_utf8.yaml": (
        FILE,
        [("", 5, 24, "the file is not UTF-8 text, found byte 0xa3 (save the file as UTF-8)")],
    ),
    "empty.yaml": (FILE, [("", None, None, "the file is empty")]),
    "only_comments.yaml": (FILE, [("", None, None, "the file is empty")]),
    "top_level_list.yaml": (
        FILE,
        [("", 2, 1, "the top level must be a mapping of strategy fields, found list")],
    ),
    "top_level_text.yaml": (
        FILE,
        [("", 2, 1, "the top level must be a mapping of strategy fields, found str")],
    ),
    "invalid_yaml_syntax.yaml": (
        FILE,
        [("", 15, 17, "not valid YAML: ")],
    ),
    "bad_indentation.yaml": (FILE, [("", 8, 7, "not valid YAML: ")]),
    "duplicate_mapping_key.yaml": (
        FILE,
        [
            (
                f"{TGT}.value",
                25,
                15,
                "duplicate key 'value' (YAML would silently keep only the last)",
            )
        ],
    ),
    "non_text_key.yaml": (FILE, [("organisation", 6, 3, "a key must be text")]),
    "datetime_not_date.yaml": (
        FILE,
        [(f"{TGT}.deadline", 28, 25, "expected a date, not a date and time")],
    ),
    "not_a_date.yaml": (
        FILE,
        [
            (
                "period.start",
                7,
                10,
                "expected a date; expected YYYY-MM-DD, found str '1 April 2023'",
            )
        ],
    ),
    "interim_dates_out_of_order.yaml": (
        FILE,
        [
            (
                f"{TGT}.interim[1].date",
                31,
                25,
                "dates must increase: interim[1].date must come after interim[0].date",
            )
        ],
    ),
    "deadline_before_baseline.yaml": (
        FILE,
        [
            (
                f"{TGT}.deadline",
                28,
                25,
                "dates must increase: deadline must come after baseline.date",
            )
        ],
    ),
    "deadline_before_strategy.yaml": (
        FILE,
        [(f"{TGT}.deadline", 28, 25, "deadline before the strategy starts, found 2022-03-31")],
    ),
    "point_change_in_percent.yaml": (
        FILE,
        [
            (
                f"{TGT}.change",
                24,
                23,
                (
                    "a change in a percentage is written in percentage points; "
                    "expected 'pp', as in '+2 pp', found -2 %"
                ),
            )
        ],
    ),
    "milestone_completed_not_done.yaml": (
        FILE,
        [(f"{TGT}.milestones[0].completed", 24, 30, "a completion date needs status 'done'")],
    ),
    "kind_field_mismatch.yaml": (FILE, [(f"{TGT}.value", 24, 22, "not used by a zero target")]),
    "quantity_without_unit.yaml": (
        FILE,
        [(f"{TGT}.value", 24, 22, "a quantity needs its unit; expected text such as '14 %'")],
    ),
    "unsupported_format_version.yaml": (
        FILE,
        [("stratkit_format", 2, 18, "unsupported format version; expected 1, found 2")],
    ),
    "unknown_source.yaml": (
        FILE,
        [(f"{OUT}.source.document", 21, 25, "unknown source 'strategy-2032'")],
    ),
    "delivery_year_beyond_period.yaml": (
        FILE,
        [(f"{OUT}.delivery_year", 17, 28, "beyond the strategy's period; expected 1 to 3")],
    ),
    "many_errors.yaml": (
        FILE,
        [
            ("period.end", 8, 8, "expected a date"),
            ("ambitions[0].objectives[0].titel", 14, 9, "did you mean 'title'?"),
            ("ambitions[0].objectives[0]", 13, 9, "missing required field 'title' in Objective"),
            (f"{OUT}.measure.unit", 21, 21, "unknown unit 'precent'"),
            (f"{TGT}.direction", 24, 26, "did you mean 'decrease'?"),
        ],
    ),
    "json_errors.json": (
        FILE,
        [
            (f"{OUT}.measure.frequncy", 26, 17, "unknown field 'frequncy' in Measure"),
            (f"{TGT}.value", 31, 26, "unknown unit 'precent'"),
        ],
    ),
    "json_syntax.json": (FILE, [("", 4, 3, "not valid JSON: ")]),
    "json_wrong_type.json": (
        FILE,
        [(f"{TGT}.value", 30, 26, "a quantity needs its unit; expected text such as '14 %'")],
    ),
}


def test_the_corpus_is_large_enough() -> None:
    assert len(EXPECTED) >= 25


def test_every_file_has_an_expectation() -> None:
    on_disk = {p.name for p in MALFORMED.iterdir()}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file_is_refused_with_located_problems(name: str) -> None:
    path = MALFORMED / name
    error_class, expected = EXPECTED[name]
    start = time.perf_counter()
    with pytest.raises(StrategyFileError) as info:
        stratkit.load(path)
    elapsed = time.perf_counter() - start
    err = info.value
    assert type(err) is error_class
    assert err.file == str(path)
    found = [(p.path, p.line, p.column) for p in err.problems]
    assert found == [(path_, line, col) for path_, line, col, _ in expected]
    for problem, (_, line, col, fragment) in zip(err.problems, expected, strict=True):
        assert problem.file == str(path)
        assert fragment in str(problem)
        where = str(path) if line is None else f"{path}:{line}:{col}"
        assert str(problem).startswith(where)
        assert f"  - {problem}" in str(err)  # the error's text lists every problem
    assert str(err).startswith(f"{path}: {len(expected)} problem")
    if error_class is UnsafeFileError:
        assert elapsed < 1.0  # a safety property: refused before any expansion


def test_unsafe_files_are_refused_quickly_even_from_text() -> None:
    for name in ("alias_bomb.yaml", "python_object_tag.yaml", "merge_key.yaml", "too_deep.yaml"):
        raw = (MALFORMED / name).read_bytes()
        start = time.perf_counter()
        with pytest.raises(UnsafeFileError):
            stratkit.loads(raw)
        assert time.perf_counter() - start < 1.0


def test_a_much_bigger_alias_bomb_is_still_refused_at_once() -> None:
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 30)]
    start = time.perf_counter()
    with pytest.raises(UnsafeFileError, match="anchors and aliases"):
        stratkit.loads("\n".join(lines))
    assert time.perf_counter() - start < 1.0


def test_an_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    from stratkit.io._yaml import MAX_BYTES

    path = tmp_path / "strategy.yaml"
    filler = "# padding " + "x" * 88 + "\n"
    path.write_text(filler * (MAX_BYTES // len(filler) + 2), encoding="utf-8")
    assert path.stat().st_size > MAX_BYTES
    start = time.perf_counter()
    with pytest.raises(UnsafeFileError) as info:
        stratkit.load(path)
    assert time.perf_counter() - start < 1.0
    (problem,) = info.value.problems
    assert problem.message == "file too large"
    assert problem.expected == f"at most {MAX_BYTES:,} bytes"
    assert problem.found == f"more than {MAX_BYTES:,} bytes"  # not read past the bound


def test_a_file_at_the_size_bound_is_read(tmp_path: Path) -> None:
    from stratkit.io._yaml import MAX_BYTES

    valid = (MALFORMED.parent / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    padding = MAX_BYTES - len(valid.encode("utf-8"))
    text = valid + "#" * (padding - 1) + "\n"
    assert len(text.encode("utf-8")) == MAX_BYTES
    path = tmp_path / "strategy.yaml"
    path.write_text(text, encoding="utf-8")
    assert stratkit.load(path).title == "Test strategy"


def test_the_unsafe_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(UnsafeFileError):
        stratkit.loads(text)
    assert not marker.exists()


@pytest.mark.parametrize("depth", [300, 1_500, 100_000])
@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_pathologically_deep_nesting_is_refused_without_crashing(opening: str, depth: int) -> None:
    # PyYAML composes recursively: 100,000 nested brackets overflow the C stack
    # and kill the interpreter unless the depth is checked before composing.
    # Newer libyaml builds refuse ~1,000 levels themselves, in their own words;
    # stratkit's refusal must be the same whichever PyYAML is installed.
    closing = {"[": "]", "{a: ": "}", "- ": ""}[opening]
    text = "title:\n  " + opening * depth + "x" + closing * depth
    with pytest.raises(UnsafeFileError) as info:
        stratkit.loads(text)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].message == "nested deeper than 64 levels"
