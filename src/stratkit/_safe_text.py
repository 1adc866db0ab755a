"""Text from a file made safe to show: short in messages, inert in terminals,
Markdown and spreadsheets.

A strategy's titles, ids and statements come from whoever wrote the file.
Printed raw, ``"X\\x1b]0;PWNED\\x07"`` retitles the reader's terminal, a right-to-left
override (U+202E) makes ``exe.txt`` read ``txt.exe``, and a spreadsheet runs
``=HYPERLINK(...)`` as a formula. Every output path passes such text through
one of these functions. No imports: any layer may use them.
"""

from __future__ import annotations

import re

__all__ = ["clip", "csv_cell", "json_safe", "neutralise"]

# C0 controls but tab and newline, DEL, C1 controls, and the Unicode format
# characters that reorder or hide text: bidi embeddings, overrides and
# isolates, the marks, zero-width characters and the BOM.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
_UNSAFE_ONE_LINE = re.compile(_UNSAFE.pattern[:-1] + "\t\n]")


def neutralise(text: str, *, one_line: bool = False) -> str:
    """``text`` with control and bidi characters shown as ``\\x1b`` / ``\\u202e`` escapes.

    Tabs and newlines are kept unless ``one_line`` (then they are escaped too).

    >>> neutralise("X\\x1b]0;PWNED\\x07 \\u202eabc")
    'X\\\\x1b]0;PWNED\\\\x07 \\\\u202eabc'
    """
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_safe(text: str) -> str:
    """JSON text with the characters :func:`neutralise` escapes written as ``\\uXXXX``:
    the same data for a program, inert on a terminal.

    (``json.dumps`` escapes C0 controls itself; C1 controls and bidi
    characters it leaves raw unless ``ensure_ascii``.)
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text) if _UNSAFE.search(text) else text


def clip(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut to about ``limit`` characters, saying how long it was.

    For messages about input that may be huge (a 1 MB key, a 5,000-digit number).

    >>> clip("x" * 100, 10)
    "'xxxxxxxxxx'... (100 characters)"
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}... ({len(value):,} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a {value.bit_length():,}-bit whole number"
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"):
# = + - @, and tab or carriage return (which some readers strip before parsing).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(text: str) -> str:
    """``text`` safe for a CSV cell a spreadsheet may open: a leading formula
    character gets a ``'`` before it, so ``=HYPERLINK(...)`` shows as text.

    Plain signed numbers (``-5``, ``+2.5``) are left as they are.

    >>> csv_cell("=1+1"), csv_cell("@SUM(A1)"), csv_cell("-5"), csv_cell("2.2.1")
    ("'=1+1", "'@SUM(A1)", '-5', '2.2.1')
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
