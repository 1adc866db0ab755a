"""CSV text as spreadsheets write it, read strictly and located.

Decoding: UTF-8 with or without a byte-order mark, UTF-16 with its mark (what
Excel's "Unicode Text" writes), or an encoding the caller names. Separator:
``,``, ``;`` or a tab, found from the header line. Parsing never loses rows
silently: a quote that is never closed, a field over
:data:`MAX_FIELD_CHARS` characters, a byte that is not text or a NUL
character is a located problem, and reading resumes on the next line, so every later problem is
found too.
"""

from __future__ import annotations

import codecs
import csv
import io

import attrs

from stratkit.errors import Problem

MAX_FIELD_CHARS = 131_072
"""The longest field (cell) a CSV may hold, in characters: a longer one is a located problem."""

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, file: str, encoding: str | None) -> str:
    """The text of a CSV file's bytes; undecodable bytes raise ``ValueError`` with the line."""
    if encoding is None:
        encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
        if encoding is None and len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0]:
            encoding = "utf-16-le"  # UTF-16 without its mark: every other byte is zero
        encoding = encoding or "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _DecodeProblem(
            Problem(
                file=file,
                line=line,
                message=f"byte {data[exc.start : exc.start + 1]!r} is not {encoding} text",
                hint=(
                    "save the file as 'CSV UTF-8', or name its encoding, "
                    "for example read_observations(..., encoding='cp1252')"
                ),
            )
        ) from None
    except LookupError:
        raise _DecodeProblem(
            Problem(file=file, message=f"unknown encoding {encoding!r}")
        ) from None


class _DecodeProblem(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def sniff_delimiter(header_line: str) -> str:
    """``,``, ``;`` or tab: whichever the header line (outside quotes) has most of."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@attrs.define
class CsvRows:
    """Rows of a CSV: the header, each row's cells and the line each row starts on."""

    header: list[str]
    header_line: int
    rows: list[list[str]]
    lines: list[int]
    comments: list[str]
    delimiter: str
    problems: list[Problem]


def _comments(text: str) -> tuple[list[str], int, str]:
    # Leading comment lines end at "\n"; the rows go to csv whole, since a quoted
    # cell may hold line breaks (and str.splitlines would split at \x1e or \x85).
    comments = []
    rest = text
    while True:
        first, newline, tail = rest.partition("\n")
        if not first.lstrip().startswith("#"):
            break
        comments.append(first.rstrip("\r").lstrip().lstrip("#").strip())
        rest = tail if newline else ""
    return comments, len(comments), rest


def _line_offset(text: str, lines: int) -> int:
    """The offset of the start of the line after the first ``lines`` lines."""
    pos = 0
    for _ in range(lines):
        found = text.find("\n", pos)
        if found < 0:
            return len(text)
        pos = found + 1
    return pos


def _nul_problem(file: str, line: int) -> Problem:
    return Problem(
        file=file,
        line=line,
        message="a NUL character (\\x00) in this row: no text file holds one",
        hint="the file may be damaged: save it again from its spreadsheet, or delete it",
    )


def _csv_problem(exc: csv.Error, file: str, start: int, reached: int) -> Problem:
    """The problem of a row that ``csv`` cannot read, which starts on line ``start``."""
    text = str(exc)
    if "NUL" in text:  # Python before 3.11 refuses a NUL itself
        return _nul_problem(file, start)
    if "field larger than field limit" in text:
        message = f"a cell longer than {MAX_FIELD_CHARS:,} characters"
        hint = "is a quote left open?" if reached > start else None
    elif "unexpected end of data" in text or "EOF" in text:
        message = "a quote opens in this row and never closes"
        hint = "the rest of the file would be read as one cell; close the quote"
    elif reached > start:
        message = f"a quote opens in this row and is still open on line {reached}"
        hint = "close it; a quote inside a quoted cell is written twice"
    else:
        message = f"not CSV: {exc}"
        hint = "a quoted cell must end with a quote followed by the separator"
    return Problem(file=file, line=start, message=message, hint=hint)


def read_rows(text: str, file: str, delimiter: str | None = None) -> CsvRows:
    """Split CSV text into rows, each with the line it starts on; problems located."""
    comments, offset, rest = _comments(text)
    header_text = rest.partition("\n")[0]
    sep = delimiter or sniff_delimiter(header_text)
    problems: list[Problem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    header_line = offset + 1
    base = offset  # lines before the text being parsed
    chunk = rest
    nul = "\x00" in rest  # one scan in C; rows are looked at only when there is one
    while True:
        reader = csv.reader(io.StringIO(chunk, newline=""), delimiter=sep, strict=True)
        previous = 0
        try:
            for row in reader:
                start = base + previous + 1
                previous = reader.line_num
                if header is None:
                    header, header_line = row, start
                    continue
                if nul and any("\x00" in cell for cell in row):
                    problems.append(_nul_problem(file, start))
                    continue
                rows.append(row)
                lines.append(start)
            break
        except csv.Error as exc:
            start = base + previous + 1
            problems.append(_csv_problem(exc, file, start, base + reader.line_num))
            # resume on the line after the one the bad row started on
            skip = start - base
            chunk = chunk[_line_offset(chunk, skip) :]
            base += skip
            if not chunk:
                break
    return CsvRows(
        header=header or [],
        header_line=header_line,
        rows=rows,
        lines=lines,
        comments=comments,
        delimiter=sep,
        problems=problems,
    )
