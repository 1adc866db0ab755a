"""Fixtures for the StratML tests: the shared schemas and real plans, and lxml validators.

The schemas and the three real plans live in the sibling ``shared/stratml``
folder (beside the repository in CI, or in any ancestor folder of the
checkout), or in the folder named by ``STRATKIT_STRATML_DIR``. Tests that need
them fail when they are missing on CI (``CI`` set), and are skipped elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
PART1_XSD = "StrategicPlanISOVersion20140401.xsd"
PART2_XSD = "PerformancePlanOrReport20160216.xsd"
SAMPLES = ("PMOAI.xml", "SMLC2011.xml", "StratTest.xml")


def find_shared() -> Path | None:
    """The folder holding the StratML schemas, found without assuming the checkout's path."""
    given = os.environ.get("STRATKIT_STRATML_DIR")
    candidates = [Path(given)] if given else []
    candidates += [p / "shared" / "stratml" for p in REPO.parents]
    for c in candidates:
        if (c / PART1_XSD).is_file() and (c / PART2_XSD).is_file():
            return c
    return None


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


def schema_errors(schema: Any, text: str | bytes) -> list[str]:
    """Every error the schema finds in the document (empty when it validates)."""
    from lxml import etree

    raw = text.encode("utf-8") if isinstance(text, str) else text
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.fromstring(raw, parser)
    schema.validate(doc)
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
