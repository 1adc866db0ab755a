"""Helpers for the StratML tests: where the shared schemas and real plans are, and lxml.

The schemas and the three real plans live in the sibling ``shared/stratml``
folder (beside the repository in CI, or in any ancestor folder of the
checkout), or in the folder named by ``STRATKIT_STRATML_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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


def schema_errors(schema: Any, text: str | bytes) -> list[str]:
    """Every error the schema finds in the document (empty when it validates)."""
    from lxml import etree

    raw = text.encode("utf-8") if isinstance(text, str) else text
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.fromstring(raw, parser)
    schema.validate(doc)
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
