"""``stratkit validate`` on strategies with observations: golden output files.

Each case writes a folder (Example NHS Trust, illustrative figures), runs
``stratkit validate`` in it and compares standard output, standard error and
the exit status with ``tests/data/golden/validate_<case>.txt``. After a
deliberate change to the messages, regenerate them with::

    STRATKIT_REGEN_GOLDEN=1 .venv/bin/pytest tests/cli/test_cli_validate_golden.py

and review the diff before committing it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from cli_runner import cli_runner
from stratkit.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io"))
from obs_samples import CLEAN_CSV, STRATEGY_YAML

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden"

HEADER = "outcome_id,period,value,unit,numerator,denominator,note\n"

CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "clean": ({"observations.csv": CLEAN_CSV}, ["trust"]),
    "monthly_files": (
        {
            "observations_2024-04.csv": HEADER + "4h,2024-04,77.4,%,774,1000,\n"
            "4h,2024-05,79.25,%,,,\nfalls,2024-04,12,incident,,,\n",
            "observations_2024-05.csv": HEADER + "4h,2024-05,79.3,%,,,\n"
            "4h,2024-06,80.5,%,1610,2000,winter plan\nfalls,2024-05,11,incident,,,\n",
        },
        ["trust"],
    ),
    "every_problem": (
        {
            "observations.csv": HEADER
            + "4h,2024-04,77.4,incident,,,\n"
            + "nope,2024-04,1,%,,,\n"
            + "falls,2024-Q2,30,incident,,,\n"
            + "4h,2024-05,50.0,%,179,200,\n"
            + "4h,2024-06,250,%,,,\n"
            + "falls,May,3,incident,,,\n"
            + "falls,2024-06,inf,incident,,,\n"
            + 'survey,FY2023/24,6.9,score,,,"provisional\n'
            + "falls,2024-07,4,incident,,,\n",
        },
        ["trust"],
    ),
    "explicit_file": (
        {"data/export.csv": "outcome_id;period;value\n4h;Apr-24;77,4%\nfalls;Apr-24;12\n"},
        ["trust", "--observations", "trust/data/export.csv"],
    ),
}


def run(tmp_path: Path, files: dict[str, str], args: list[str]) -> str:
    folder = tmp_path / "trust"
    folder.mkdir()
    (folder / "strategy.yaml").write_text(STRATEGY_YAML, encoding="utf-8")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    result = cli_runner().invoke(main, ["validate", *args])
    return (
        f"$ stratkit validate {' '.join(args)}\n"
        f"[stdout]\n{result.stdout}[stderr]\n{result.stderr}[exit {result.exit_code}]\n"
    )


@pytest.mark.parametrize("case", list(CASES))
def test_validate_golden(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files, args = CASES[case]
    got = run(tmp_path, files, args)
    golden = GOLDEN / f"validate_{case}.txt"
    if os.environ.get("STRATKIT_REGEN_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")
