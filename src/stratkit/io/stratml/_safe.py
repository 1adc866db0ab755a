"""Reading XML that may be hostile: no DTD, no entities, no network, bounded size.

StratML files come from anywhere, so they are parsed with the standard
library's expat parser hardened as ``defusedxml`` hardens it, and more:

* any document type declaration (``<!DOCTYPE ...>``) is refused as soon as it
  starts, so no entity can be declared: no billion laughs, no quadratic
  blow-up, no external entity, no DTD fetched over the network;
* external and unparsed entity handlers refuse too, as a second line;
* the file is at most :data:`MAX_BYTES`, elements nest at most
  :data:`MAX_DEPTH` deep, and one element's text is at most :data:`MAX_TEXT`
  characters; each limit is checked while parsing, so a hostile file is
  refused quickly, before it is read whole into memory as a tree.

Every refusal is an :class:`~stratkit.errors.UnsafeFileError` naming the file
and, where known, the line.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, NoReturn
from xml.parsers import expat

from stratkit.errors import Problem, StrategyFileError, UnsafeFileError

__all__ = ["LINE_KEY", "MAX_BYTES", "MAX_DEPTH", "MAX_TEXT", "local_name", "parse_xml"]

MAX_BYTES = 20_000_000
"""The largest StratML file read (bytes)."""
MAX_DEPTH = 40
"""The deepest element nesting accepted (a StratML Part 2 report nests about 9 deep)."""
MAX_TEXT = 1_000_000
"""The most characters of text one element may hold."""
LINE_KEY = " line"
"""The attribute holding each element's line in the file (no XML attribute can be named so)."""


class _Refused(Exception):
    def __init__(self, message: str, expected: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected


def local_name(tag: str) -> str:
    """``Goal`` from ``stratml:Goal`` or ``{urn:...}Goal``: namespaces do not matter here."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def parse_xml(raw: bytes, file: str) -> ET.Element:
    """Parse ``raw`` safely into an element tree (tags without namespace prefixes).

    Raises :class:`~stratkit.errors.UnsafeFileError` for a file refused for
    safety, and :class:`~stratkit.errors.StrategyFileError` for a file that is
    not well-formed XML.
    """
    if len(raw) > MAX_BYTES:
        _unsafe(file, None, "file too large", f"at most {MAX_BYTES:,} bytes")
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    depth = 0
    text_size = [0]

    def refuse_dtd(*args: Any) -> None:
        raise _Refused(
            "document type declarations (DOCTYPE) are refused: they can declare "
            "entities that expand without bound or fetch other files",
            "an XML document without a DOCTYPE",
        )

    def refuse_entity(*args: Any) -> int:
        raise _Refused("entity declarations and external entities are refused")

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise _Refused("elements nested too deeply", f"at most {MAX_DEPTH} levels")
        text_size[0] = 0
        attrs = {local_name(k): v for k, v in attributes.items() if not k.startswith("xmlns")}
        attrs[LINE_KEY] = str(parser.CurrentLineNumber)
        builder.start(local_name(name), attrs)

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        text_size[0] = 0
        builder.end(local_name(name))

    def data(text: str) -> None:
        text_size[0] += len(text)
        if text_size[0] > MAX_TEXT:
            raise _Refused("text too long in one element", f"at most {MAX_TEXT:,} characters")
        builder.data(text)

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.buffer_text = True
    try:
        parser.Parse(raw, True)
    except _Refused as exc:
        _unsafe(file, parser.CurrentLineNumber, exc.message, exc.expected)
    except expat.ExpatError as exc:
        raise StrategyFileError(
            file,
            [
                Problem(
                    file=file,
                    line=exc.lineno,
                    column=exc.offset + 1,
                    message=f"not well-formed XML: {expat.ErrorString(exc.code)}",
                )
            ],
        ) from None
    return builder.close()


def _unsafe(file: str, line: int | None, message: str, expected: str | None) -> NoReturn:
    raise UnsafeFileError(
        file, [Problem(file=file, line=line, message=message, expected=expected)]
    ) from None
