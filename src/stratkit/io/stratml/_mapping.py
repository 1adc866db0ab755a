"""What maps to what between stratkit and StratML, and the extension that carries the rest.

StratML has elements for names, descriptions, identifiers, stakeholders and
(Part 2) performance indicators with target and actual results; it has no
units beyond free text, no direction of improvement, no target kinds, no
baselines. Every element stratkit writes may therefore end its
``OtherInformation`` with one line::

    stratkit-data: {"format": 1, "fields": {...}, "exact": {...}}

``fields`` holds the stratkit fields that StratML cannot express, as in a
strategy file; ``exact`` holds the exact text of a field whose StratML element
could not hold it as it is (XML cannot carry most control characters, and
turns a carriage return into a line feed). On reading, the StratML elements
win: a field keeps its ``exact`` text only while its element still says what
stratkit wrote, so a plan edited in another StratML tool keeps the edits.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

__all__ = [
    "EXTENSION_PREFIX",
    "NAMESPACES",
    "ROOTS",
    "decimal_text",
    "read_extension",
    "write_extension",
    "xml_text",
]

PART1_NS = "urn:ISO:std:iso:17469:tech:xsd:stratml_core"
PART2_NS = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
NAMESPACES = {1: PART1_NS, 2: PART2_NS}
"""The XML namespace of each part of the standard."""
ROOTS = {1: "StrategicPlan", 2: "PerformancePlanOrReport"}
"""The root element of each part."""

MAX_DIGITS = 18
"""The most digits a number written in ``NumberOfUnits`` has (XML Schema's minimum support)."""

EXTENSION_PREFIX = "stratkit-data: "
EXTENSION_FORMAT = 1
_JSON_RAW = re.compile("[\ud800-\udfff\ufffe\uffff]")

# Characters XML 1.0 cannot hold in text (and U+FFFE/U+FFFF, which it refuses).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` as it comes back from an XML element: what XML cannot hold dropped,
    and carriage returns turned into line feeds (as every XML parser does)."""
    return _NOT_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


def decimal_text(value: float) -> str | None:
    """A number as ``xsd:decimal`` text for StratML readers, or ``None`` if it has none.

    Rounded to 15 significant digits (what a float holds reliably), written
    without an exponent, and left out (``None``) when not finite or when it
    would need more than the 18 digits every schema validator must support
    (stratkit reads its own numbers back from its extension, exactly).

    >>> decimal_text(1e-7), decimal_text(14.0), decimal_text(0.1 + 0.2), decimal_text(2.5e21)
    ('0.0000001', '14', '0.3', None)
    """
    if not math.isfinite(value):
        return None
    text = format(Decimal(format(float(value), ".15g")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        return None
    return text


def write_extension(human: str, fields: dict[str, Any], exact: dict[str, str], **meta: Any) -> str:
    """The text of an ``OtherInformation`` element: ``human`` then the data line.

    ``meta`` (the plan's: ``generator``, and for a report ``results_as_of`` and
    ``illustrative``) goes beside ``fields``.
    """
    payload: dict[str, Any] = {"format": EXTENSION_FORMAT, **meta, "fields": fields}
    if exact:
        payload["exact"] = exact
    line = EXTENSION_PREFIX + json.dumps(
        payload, ensure_ascii=False, separators=(",", ":"), default=_plain
    )
    # JSON escapes control characters; escape what XML refuses and JSON leaves as it is
    line = _JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", line)
    return f"{human}\n{line}" if human else line


MAX_JSON_DEPTH = 16
"""The deepest nesting of a stratkit-data line (a strategy's own data is about 8 deep)."""


def _too_deep(value: Any) -> bool:
    """Whether lists and mappings nest deeper than :data:`MAX_JSON_DEPTH` (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):  # dates, as strategy files write them
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} in a stratkit-data line")


def read_extension(text: str | None) -> tuple[str, dict[str, Any] | None, str | None]:
    """Split ``OtherInformation`` text into (human text, extension payload, problem).

    The payload is ``None`` when the element holds no extension (a plan not
    written by stratkit); the problem says why an extension could not be read.
    """
    if not text:
        return "", None, None
    start = text.rfind("\n" + EXTENSION_PREFIX)
    if start >= 0:
        human, line = text[:start], text[start + 1 :]
    elif text.startswith(EXTENSION_PREFIX):
        human, line = "", text
    else:
        return text, None, None
    try:
        payload = json.loads(line[len(EXTENSION_PREFIX) :])
    except json.JSONDecodeError as exc:
        return human, None, f"the stratkit-data line is not valid JSON: {exc.msg}"
    except RecursionError:
        payload = None
    if payload is None or _too_deep(payload):
        return human, None, f"the stratkit-data line nests deeper than {MAX_JSON_DEPTH} levels"
    if (
        not isinstance(payload, dict)
        or payload.get("format") != EXTENSION_FORMAT
        or not isinstance(payload.get("fields"), dict)
        or not isinstance(payload.get("exact", {}), dict)
    ):
        return (
            human,
            None,
            (f"the stratkit-data line is not stratkit data of format {EXTENSION_FORMAT}"),
        )
    return human, payload, None
