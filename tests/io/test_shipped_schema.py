"""The JSON Schema shipped in the package is the one generated from the model."""

from __future__ import annotations

import json
import os
from importlib import resources

import stratkit.io

SCHEMA = resources.files("stratkit").joinpath("strategy.schema.json")


def test_shipped_schema_matches_the_model() -> None:
    generated = json.dumps(stratkit.io.strategy_schema(), indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("STRATKIT_REGEN_GOLDEN") == "1":  # documented way to refresh it
        with resources.as_file(SCHEMA) as path:
            path.write_text(generated, encoding="utf-8")
    assert SCHEMA.read_text(encoding="utf-8") == generated, (
        "src/stratkit/strategy.schema.json is out of date: "
        "run STRATKIT_REGEN_GOLDEN=1 pytest tests/io/test_shipped_schema.py"
    )
