"""``docs/reference/api.md`` lists every name in ``stratkit.__all__``, and only those."""

from __future__ import annotations

import re
from pathlib import Path

import stratkit

API_PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "api.md"


def _listed() -> set[str]:
    """The names in the page's definition-list terms (lines of `name`, `name`, ...)."""
    names: set[str] = set()
    for line in API_PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("`") and not line.startswith("```"):
            names.update(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", line))
    return names


def test_every_public_name_is_listed() -> None:
    missing = set(stratkit.__all__) - _listed()
    assert not missing, f"add to docs/reference/api.md: {sorted(missing)}"


def test_only_public_names_are_listed() -> None:
    extra = _listed() - set(stratkit.__all__)
    assert not extra, f"not public: remove from docs/reference/api.md: {sorted(extra)}"
