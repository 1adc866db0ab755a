"""The SPC package stands alone: it imports nothing from the evaluation (or io, or reporting)."""

from __future__ import annotations

import json
import subprocess
import sys

import stratkit
from stratkit import spc as spc_package


def test_spc_imports_no_other_capability() -> None:
    code = (
        "import json, sys; import stratkit.spc, stratkit.spc.rules, stratkit.spc.icons; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('stratkit'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    others = {
        m for m in loaded - {"stratkit"} if m.split(".")[1] not in ("spc", "errors", "_version")
    }
    assert others == set(), others


def test_the_package_is_the_function_too() -> None:
    chart = stratkit.spc([1.0, 2.0, 3.0], ["2024-01-01", "2024-02-01", "2024-03-01"])
    assert chart.mean[0] == 2.0
    assert spc_package.spc_many is stratkit.spc_many
    assert stratkit.SPCResult is spc_package.SPCResult
