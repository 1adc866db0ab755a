"""Fixtures for the StratML tests: the shared schemas and real plans, as lxml validators.

Tests that need ``shared/stratml`` fail when it is missing on CI (``CI`` set),
and are skipped elsewhere (an sdist has no ``shared`` folder beside it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from stratml_helpers import PART1_XSD, PART2_XSD, find_shared


@pytest.fixture(scope="session")
def shared() -> Path:
    found = find_shared()
    if found is None:
        message = (
            "StratML schemas not found in shared/stratml beside the repository "
            "(or STRATKIT_STRATML_DIR)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def schemas(shared: Path) -> dict[int, Any]:
    from lxml import etree

    return {
        1: etree.XMLSchema(etree.parse(str(shared / PART1_XSD))),
        2: etree.XMLSchema(etree.parse(str(shared / PART2_XSD))),
    }
