"""Reading the parts of a parsed StratML tree: children by name, their text, dates."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

__all__ = ["child", "children", "clean_of", "date_of", "text_of"]


def child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    for c in element:
        if c.tag == name:
            return c
    return None


def children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [c for c in element if c.tag == name]


def text_of(element: ET.Element | None, name: str) -> str | None:
    """The text of a child as written (``None`` when the child is absent)."""
    c = child(element, name)
    return None if c is None else "".join(c.itertext())


def clean_of(element: ET.Element | None, name: str) -> str | None:
    """The text of a child without surrounding space; ``None`` when absent or empty."""
    text = text_of(element, name)
    return text.strip() or None if text is not None else None


def date_of(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
