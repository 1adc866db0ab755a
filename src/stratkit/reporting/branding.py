"""A trust's branding for the board pack: its name, logo and colours.

Written in ``branding.yaml`` beside ``strategy.yaml``::

    name: Example NHS Trust
    logo: logo.png          # a file in the strategy folder: png, jpg, gif, webp or svg
    colours:
      primary: "#005eb8"    # headings, rules and links
      accent: "#41b6e6"     # the header band and table heads

The logo is embedded in the HTML as a ``data:`` address, so the pack stays one
self-contained file; an SVG logo is shown as an image, so nothing in it can run.
Colours are checked: a primary colour must keep headings readable on white
(contrast at least 4.5:1). The status colours are never rebranded: they carry
meaning, and are always printed with their words.

>>> from stratkit.reporting.branding import contrast_ratio
>>> round(contrast_ratio("#005eb8", "#ffffff"), 1)
6.4
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import attrs

from stratkit.errors import PackFileError, Problem

__all__ = ["BRANDING_FILE", "Branding", "contrast_ratio", "read_branding"]

BRANDING_FILE = "branding.yaml"
MAX_LOGO_BYTES = 1_000_000
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}


@attrs.frozen(kw_only=True)
class Branding:
    """Name, logo (a ``data:`` address) and colours (``#rrggbb``) of the pack."""

    name: str = ""
    logo_data_uri: str = ""
    primary: str = "#005eb8"
    accent: str = "#e8edee"


def _hex6(colour: str) -> str:
    c = colour.lstrip("#")
    return "#" + ("".join(ch * 2 for ch in c) if len(c) == 3 else c).lower()


def contrast_ratio(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""

    def luminance(colour: str) -> float:
        c = _hex6(colour)
        channels = [int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def read_branding(path: str | Path) -> Branding:
    """Read ``branding.yaml``; :class:`~stratkit.errors.PackFileError` lists every problem."""
    from stratkit.io._yaml import read_document

    p = Path(path)
    file = str(p)
    doc, problems, _unsafe = read_document(p.read_bytes(), file)
    found: list[Problem] = list(problems)
    if doc is None:
        raise PackFileError(file, found)

    def problem(where: str, message: str, expected: str, found_text: str | None = None) -> None:
        line, column = doc.position(where)
        found.append(
            Problem(
                file=file,
                line=line,
                column=column,
                path=where,
                message=message,
                expected=expected,
                found=found_text,
            )
        )

    data: Any = doc.data
    if not isinstance(data, dict):
        problem("", "the file must be a mapping", "name:, logo:, colours:")
        raise PackFileError(file, found)
    for key in data:
        if key not in ("name", "logo", "colours"):
            problem(str(key), f"unknown field {key!r}", "name, logo, colours")
    name = data.get("name") or ""
    if not isinstance(name, str):
        problem("name", "not text", "the trust's name")
        name = ""
    logo = ""
    if data.get("logo") is not None:
        logo = _logo(p.parent, data["logo"], problem)
    colours: dict[str, str] = {}
    raw = data.get("colours") or {}
    if not isinstance(raw, dict):
        problem("colours", "not a mapping", "primary: and accent: colours")
        raw = {}
    for key, value in raw.items():
        where = f"colours.{key}"
        if key not in ("primary", "accent"):
            problem(where, f"unknown colour {key!r}", "primary, accent")
        elif not isinstance(value, str) or not _COLOUR.match(value.strip()):
            problem(where, "not a colour", 'a hex colour in quotes: "#005eb8"', repr(value))
        else:
            colours[key] = _hex6(value.strip())
    primary = colours.get("primary")
    if primary is not None and contrast_ratio(primary, "#ffffff") < 4.5:
        problem(
            "colours.primary",
            "too light for headings on white",
            "a contrast of at least 4.5:1 with white",
            f"{contrast_ratio(primary, '#ffffff'):.1f}:1",
        )
    if found:
        raise PackFileError(file, found)
    return Branding(name=name.strip(), logo_data_uri=logo, **colours)


def _logo(folder: Path, value: Any, problem: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        problem("logo", "not a file name", "a file in the strategy folder: logo.png")
        return ""
    kind = _LOGO_TYPES.get(Path(value).suffix.lower())
    if kind is None:
        problem("logo", "not an image file", ", ".join(sorted(_LOGO_TYPES)), repr(value))
        return ""
    root = folder.resolve()
    target = (folder / value).resolve()
    if root != target.parent and root not in target.parents:
        problem("logo", "outside the strategy folder", "a file in the strategy folder")
        return ""
    if not target.is_file():
        problem("logo", "no such file", f"a file in {folder}", repr(value))
        return ""
    size = target.stat().st_size
    if size > MAX_LOGO_BYTES:
        problem("logo", "too large to embed", f"at most {MAX_LOGO_BYTES:,} bytes", f"{size:,}")
        return ""
    return f"data:{kind};base64,{base64.b64encode(target.read_bytes()).decode('ascii')}"
