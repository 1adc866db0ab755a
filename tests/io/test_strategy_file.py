"""Strategy files: every rule of the reader and the converter, with positions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import strategies as sks
import stratkit
from stratkit.errors import Problem, SaveError, StrategyFileError
from stratkit.model import Strategy

VALID = Path(__file__).parent.parent / "data" / "valid" / "minimal.yaml"
BASE = VALID.read_text(encoding="utf-8")
OUT = "ambitions[0].objectives[0].outcomes[0]"


def problems_of(text: str | bytes, file: str = "strategy.yaml") -> list[Problem]:
    with pytest.raises(StrategyFileError) as info:
        stratkit.loads(text, file=file)
    assert all(p.file == file for p in info.value.problems)
    return list(info.value.problems)


def edit(*pairs: tuple[str, str]) -> str:
    text = BASE
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    return text


def one(text: str, file: str = "strategy.yaml") -> Problem:
    found = problems_of(text, file)
    assert len(found) == 1, found
    return found[0]


# --- the converter's rules --------------------------------------------------------


def test_null_where_a_value_is_required() -> None:
    p = one(edit(("title: Safe care", "title: ~")))
    assert (p.path, p.line, p.column) == ("ambitions[0].objectives[0].title", 14, 16)
    assert str(p).endswith("a value is required here, found nothing (null)")


def test_a_quantity_that_is_not_text() -> None:
    p = one(edit(("value: 14 %", "value: [14, '%']")))
    assert (p.path, p.line) == (f"{OUT}.target.value", 24)
    assert p.message == "expected a quantity"
    assert (p.expected, p.found) == ("text such as '95 %'", "a list")


def test_a_quantity_that_does_not_start_with_a_number() -> None:
    p = one(edit(("value: 14 %", "value: fourteen %")))
    assert (p.path, p.line, p.column) == (f"{OUT}.target.value", 24, 22)
    assert p.message == "cannot read 'fourteen %' as a quantity; expected a number then a unit"


def test_a_unit_that_is_not_text() -> None:
    p = one(edit(("unit: '%'", "unit: 5")))
    assert (p.path, p.line, p.column) == (f"{OUT}.measure.unit", 20, 21)
    assert (p.message, p.found) == ("expected a unit", "int 5")


def test_a_unit_that_cannot_be_parsed() -> None:
    p = one(edit(("unit: '%'", "unit: '% /'")))
    assert p.path == f"{OUT}.measure.unit"
    assert p.message == "cannot read unit '% /'"


def test_a_mapping_where_a_list_is_expected() -> None:
    found = problems_of(edit(("ambitions:\n", "ambitions: {}\nx:\n")))
    assert [(p.path, p.line, p.message) for p in found] == [
        ("x", 10, "unknown field 'x' in Strategy"),
        ("ambitions", 9, "expected a list"),
    ]


def test_text_where_a_mapping_is_expected() -> None:
    p = one(edit(("organisation:\n  name: Test NHS Trust", "organisation: Test NHS Trust")))
    assert (p.path, p.line, p.column) == ("organisation", 4, 15)
    assert p.message == "expected a mapping of Organisation fields"
    assert p.found == "str 'Test NHS Trust'"


def test_a_band_needs_two_items() -> None:
    p = one(
        edit(
            (
                "direction: decrease\n              value: 14 %",
                "direction: towards\n              value: 14 %\n              band: ['10 %']",
            ),
            ("                value: 16 %\n", ""),
        )
    )
    assert (p.path, p.line) == (f"{OUT}.target.band", 25)
    assert (p.message, p.found) == ("expected a list of 2 items", "1 items")


def test_an_unknown_field_lists_the_known_ones_and_a_number_key_is_named() -> None:
    p = one(edit(("  name: Test NHS Trust", "  name: Test NHS Trust\n  123: x")))
    assert (p.path, p.line, p.column) == ("organisation.123", 6, 3)
    assert p.expected == "one of name, code, short_name, population_served"


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("true", "bool True"),
        ("no", "bool False"),
        ("2023-04-01 10:00:00", None),
    ],
)
def test_text_that_yaml_reads_as_a_boolean_or_a_time(written: str, found: str | None) -> None:
    p = one(edit(("- id: '1'\n", f"- id: {written}\n")))
    assert (p.path, p.line, p.column) == ("ambitions[0].id", 10, 9)
    assert p.message == "expected text"
    assert p.found == (found or "datetime datetime.datetime(2023, 4, 1, 10, 0)")


def test_text_that_yaml_reads_as_a_date_is_kept_as_typed() -> None:
    s = stratkit.loads(
        edit(
            (
                "title: Test strategy\n",
                (
                    "title: Test strategy\nsources:\n"
                    "  - id: 2023-10-17\n    title: T\n    date: 2023-10-17\n"
                ),
            )
        )
    )
    assert (s.sources[0].id, s.sources[0].date) == ("2023-10-17", "2023-10-17")
    assert "date: '2023-10-17'" in stratkit.dumps(s)


@pytest.mark.parametrize(
    "written", ["1.10", "1.1", "2", "1e3", "0.50", "007", "0x1F", "1_000", "1:20"]
)
def test_an_unquoted_number_id_keeps_the_text_as_typed(written: str) -> None:
    s = stratkit.loads(edit(("- id: '1.1'", f"- id: {written}")))
    assert s.ambitions[0].objectives[0].id == written


def test_an_unquoted_number_outside_the_id_pattern_is_refused_as_an_id() -> None:
    p = one(edit(("- id: '1.1'", "- id: .inf")))
    assert (p.path, p.message) == ("ambitions[0].objectives[0].id", "not a valid id")


def test_a_lone_text_where_a_list_of_text_is_expected_is_one_item() -> None:
    s = stratkit.loads(edit(("title: Safe care", "title: Safe care\n        looks_like: Safer")))
    assert s.objective("1.1").looks_like == ("Safer",)


def test_a_list_where_a_list_of_mappings_is_expected_reports_each_bad_item() -> None:
    found = problems_of(
        edit(("title: Test strategy\n", "title: Test strategy\nsources: [a, b]\n"))
    )
    assert [(p.path, p.message) for p in found] == [
        ("sources[0]", "expected a mapping of SourceDocument fields"),
        ("sources[1]", "expected a mapping of SourceDocument fields"),
    ]


def test_a_model_rule_broken_in_a_file_gets_the_file_position() -> None:
    p = one(edit(("  end: 2026-03-31", "  end: 2020-03-31")))
    assert (p.path, p.line, p.column) == ("period.end", 8, 8)
    assert p.message == "the period must end after it starts"


def test_a_byte_order_mark_is_allowed() -> None:
    assert stratkit.loads(b"\xef\xbb\xbf" + BASE.encode()).title == "Test strategy"


def test_loads_takes_text_and_bytes_and_names_the_string() -> None:
    assert stratkit.loads(BASE) == stratkit.loads(BASE.encode("utf-8"))
    with pytest.raises(StrategyFileError) as info:
        stratkit.loads("")
    assert info.value.file == "<string>"


def test_a_missing_format_version_means_the_current_one() -> None:
    assert stratkit.loads(edit(("stratkit_format: 1\n", ""))) == stratkit.loads(BASE)


# --- files and folders -------------------------------------------------------------


def test_load_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(StrategyFileError) as info:
        stratkit.load(path)
    (p,) = info.value.problems
    assert (p.file, p.message) == (str(path), "cannot read file: No such file or directory")


def test_load_a_folder_without_a_strategy(tmp_path: Path) -> None:
    with pytest.raises(StrategyFileError) as info:
        stratkit.load(tmp_path)
    (p,) = info.value.problems
    assert (p.file, p.message) == (str(tmp_path), "no strategy file in this folder")
    assert p.expected == "strategy.yaml or strategy.yml or strategy.json"


@pytest.mark.parametrize("name", ["strategy.yaml", "strategy.yml", "strategy.json"])
def test_load_a_folder_finds_its_strategy(tmp_path: Path, name: str) -> None:
    original = stratkit.loads(BASE)
    stratkit.save(original, tmp_path / name)
    assert stratkit.io.resolve_strategy_path(tmp_path) == tmp_path / name
    assert stratkit.load(tmp_path) == original


def test_save_picks_json_by_the_suffix_and_yaml_otherwise(tmp_path: Path) -> None:
    s = stratkit.loads(BASE)
    json.loads(stratkit.save(s, tmp_path / "s.JSON").read_text(encoding="utf-8"))
    assert stratkit.save(s, tmp_path / "s.txt").read_text(encoding="utf-8").startswith("# ")
    forced = stratkit.save(s, tmp_path / "s.yaml", format="json")
    assert forced.read_text(encoding="utf-8").startswith("{")


def test_save_where_the_folder_does_not_exist_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "strategy.yaml"
    with pytest.raises(SaveError) as info:
        stratkit.save(stratkit.loads(BASE), target)
    assert isinstance(info.value, OSError)
    assert str(target) in str(info.value)
    assert not (tmp_path / "missing").exists()
    assert list(tmp_path.iterdir()) == []


def test_save_under_a_file_fails_and_leaves_the_file_alone(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me", encoding="utf-8")
    with pytest.raises(SaveError):
        stratkit.save(stratkit.loads(BASE), blocker / "strategy.yaml")
    assert blocker.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_a_failed_save_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    path = stratkit.save(stratkit.loads(BASE), tmp_path / "strategy.yaml")
    before = path.read_bytes()
    with pytest.raises(ValueError, match="format must be"):
        stratkit.save(stratkit.loads(BASE), path, format="toml")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["strategy.yaml"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="needs file permissions that apply (not root, POSIX)",
)
def test_save_into_a_read_only_folder_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    path = stratkit.save(stratkit.loads(BASE), tmp_path / "strategy.yaml")
    before = path.read_bytes()
    changed = stratkit.loads(BASE.replace("Test strategy", "Changed"))
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(SaveError):
            stratkit.save(changed, path)
    finally:
        tmp_path.chmod(0o700)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["strategy.yaml"]


def test_the_yaml_written_is_stable_and_readable() -> None:
    text = stratkit.dumps(stratkit.loads(BASE))
    assert text.startswith("# A stratkit strategy file (format 1).\n")
    assert "stratkit_format: 1\n" in text
    assert "  - id: '1'\n" in text  # lists indented under their key, ids quoted as text
    assert "value: 14 %\n" in text


def test_long_text_with_newlines_is_written_as_a_block() -> None:
    s = stratkit.loads(
        edit(("title: Test strategy", "title: Test strategy\nmission: |\n  One\n  Two"))
    )
    text = stratkit.dumps(s)
    assert "mission: |\n  One\n  Two\n" in text
    assert stratkit.loads(text).mission == "One\nTwo\n"


# --- the JSON Schema --------------------------------------------------------------


def test_schema_describes_the_format() -> None:
    schema = stratkit.strategy_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["stratkit_format"] == {"const": 1, "description": "format version"}
    assert set(schema["required"]) == {"title", "organisation", "period"}
    assert schema["additionalProperties"] is False
    target = schema["$defs"]["Target"]["properties"]
    assert target["kind"]["enum"] == [k.value for k in stratkit.TargetKind]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sks.strategies(max_ambitions=2))
def test_every_file_written_is_valid_against_the_schema(strategy: Strategy) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(stratkit.strategy_schema())
    data = json.loads(stratkit.dumps(strategy, format="json"))
    assert list(validator.iter_errors(data)) == []


def test_the_schema_rejects_what_the_loader_rejects() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(stratkit.strategy_schema())
    malformed = Path(__file__).parent.parent / "data" / "malformed"
    for name in ("json_errors.json", "json_wrong_type.json"):
        data = json.loads((malformed / name).read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)), name


def test_a_number_too_large_in_a_file_is_located() -> None:
    p = one(edit(("value: 14 %", "value: 1e400 %")))
    assert (p.path, p.line, p.column) == (f"{OUT}.target.value", 24, 22)
    assert p.message.startswith("cannot read '1e400 %' as a quantity; the number is too large")


# --- rules of the converter that the strategy format does not reach ------------------


def test_converter_rules_for_booleans_whole_numbers_and_lists() -> None:
    from stratkit.io._convert import FAILED, Structurer

    s = Structurer(file="f.yaml", where=lambda path, key: (7, 3))
    assert s.structure("yes", bool, "flag") is FAILED
    assert s.structure(True, bool, "ok") is True
    assert s.structure(True, int, "n") is FAILED
    assert s.structure("a", tuple[int, ...], "xs") is FAILED
    assert s.structure(["a"], tuple[str, ...], "ys") == ("a",)
    assert s.structure("a", tuple[str, ...], "zs") == ("a",)
    assert [(p.path, p.line, p.column, p.message, p.found) for p in s.problems] == [
        ("flag", 7, 3, "expected true or false", "str 'yes'"),
        ("n", 7, 3, "expected a whole number", "bool True"),
        ("xs", 7, 3, "expected a list", "str 'a'"),
    ]
    assert all(p.file == "f.yaml" for p in s.problems)


def test_the_schema_accepts_every_file_the_loader_accepts() -> None:
    import yaml

    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(stratkit.strategy_schema())
    text = edit(
        ("- id: '1.1'", "- id: 1.10"),
        ("title: Safe care", "title: Safe care\n        looks_like: Safer"),
    )
    stratkit.loads(text)  # the loader accepts it
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))
    assert list(validator.iter_errors(data)) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saving_keeps_permissions_and_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    import stat

    from stratkit.io import read_observations, write_observations

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    old_umask = os.umask(0o022)
    try:
        s = stratkit.loads(BASE)
        assert mode(stratkit.save(s, tmp_path / "new.yaml")) == 0o644
        existing = tmp_path / "existing.yaml"
        existing.write_text("old", encoding="utf-8")
        existing.chmod(0o664)
        assert mode(stratkit.save(s, existing)) == 0o664
        csv_path = tmp_path / "obs.csv"
        csv_path.write_text("outcome_id,period,value,unit\n1,2024-05,1,%\n", encoding="utf-8")
        csv_path.chmod(0o640)
        assert mode(write_observations(read_observations(csv_path), csv_path)) == 0o640
        assert mode(write_observations(read_observations(csv_path), tmp_path / "n.csv")) == 0o644
    finally:
        os.umask(old_umask)
