"""Reports: HTML board pack, Markdown, terminal table, CSV, JSON, Excel, and the SVG they share.

:func:`report` renders an evaluation as text; :func:`write_report` writes any
format to a file (atomically), choosing the format from the file's suffix
unless it is given. Every format is one entry of one table,
:data:`OUTPUT_FORMATS`: its name, the suffixes that select it, and the
function that renders it. An unknown format or suffix is a
:class:`~stratkit.errors.ReportFormatError` that lists the known ones; a
format whose optional extra is not installed is a
:class:`~stratkit.errors.MissingExtraError` naming the extra. The HTML board
pack is rendered from Jinja2 templates that a trust can override
(:mod:`stratkit.reporting.html`); its commentary, branding and committee
selection come from :func:`load_pack`.

>>> import stratkit
>>> from stratkit.reporting import FORMATS, format_for
>>> FORMATS
('html', 'md', 'table', 'csv', 'json', 'xlsx', 'pdf')
>>> format_for("results.CSV")
'csv'
>>> format_for("results.docx")
Traceback (most recent call last):
...
stratkit.errors.ReportFormatError: results.docx: stratkit cannot write a '.docx' file; ...
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from stratkit._files import write_atomically
from stratkit.errors import MissingExtraError, ReportFormatError
from stratkit.reporting.pack import PackOptions, load_pack

__all__ = [
    "FORMATS",
    "OUTPUT_FORMATS",
    "OutputFormat",
    "PackOptions",
    "format_for",
    "load_pack",
    "output_format",
    "report",
    "write_report",
]


@attrs.frozen(kw_only=True)
class OutputFormat:
    """One output format: its name, the file suffixes that select it, and its renderer.

    ``render(evaluation, progress=..., width=..., color=..., pack=...)``
    returns the document: ``str`` for a text format, ``bytes`` for a binary one
    (``binary=True``), which can only be written to a file.
    """

    name: str
    suffixes: tuple[str, ...]
    description: str
    render: Callable[..., str | bytes] = attrs.field(repr=False)
    binary: bool = False
    extra: str | None = None
    """The optional extra the format needs (``pip install "stratkit-nhs[<extra>]"``)."""
    requires: tuple[str, ...] = ()
    """The modules that extra provides, checked before any work is done."""
    check: Callable[[], None] | None = attrs.field(default=None, repr=False)
    """A further check that the format can be written here (a system library)."""

    def check_available(self) -> None:
        """Raise :class:`~stratkit.errors.MissingExtraError` if it cannot be written here."""
        import importlib.util

        for module in self.requires:
            if importlib.util.find_spec(module) is None:
                raise MissingExtraError(f"{self.name} output", self.extra or module)
        if self.check is not None:
            self.check()


def _html(
    evaluation: Any,
    *,
    progress: Callable[[], None] | None = None,
    pack: PackOptions | None = None,
    **_: Any,
) -> str:
    from stratkit.reporting.html import render_html

    return render_html(evaluation, progress=progress, pack=pack)


def _markdown(evaluation: Any, *, pack: PackOptions | None = None, **_: Any) -> str:
    from stratkit.reporting.markdown import render_markdown

    return render_markdown(evaluation, pack=pack)


def _table(evaluation: Any, *, width: int = 120, color: bool = False, **_: Any) -> str:
    from stratkit.reporting.tabular import render_table

    return render_table(evaluation, width=width, color=color)


def _csv(evaluation: Any, *, pack: PackOptions | None = None, **_: Any) -> str:
    from stratkit.reporting.tabular import render_csv

    return render_csv(evaluation, None if pack is None else pack.commentary)


def _json(evaluation: Any, *, pack: PackOptions | None = None, **_: Any) -> str:
    from stratkit.reporting.tabular import render_json

    return render_json(evaluation, None if pack is None else pack.commentary)


def _xlsx(evaluation: Any, *, pack: PackOptions | None = None, **_: Any) -> bytes:
    from stratkit.reporting.excel import render_xlsx

    return render_xlsx(evaluation, None if pack is None else pack.commentary)


def _pdf(
    evaluation: Any,
    *,
    progress: Callable[[], None] | None = None,
    pack: PackOptions | None = None,
    **_: Any,
) -> bytes:
    from stratkit.reporting.pdf import pdf_bytes

    return pdf_bytes(evaluation, pack=pack, progress=progress)


def _pdf_check() -> None:
    from stratkit.reporting.pdf import _weasyprint

    _weasyprint()  # WeasyPrint and the Pango library it needs


_ALL = (
    OutputFormat(
        name="html",
        suffixes=(".html", ".htm"),
        description="the self-contained board pack",
        render=_html,
    ),
    OutputFormat(
        name="md",
        suffixes=(".md", ".markdown"),
        description="Markdown: the pack's text, without the charts",
        render=_markdown,
    ),
    OutputFormat(
        name="table",
        suffixes=(".txt",),
        description="a plain-text table for a terminal",
        render=_table,
    ),
    OutputFormat(
        name="csv",
        suffixes=(".csv",),
        description="one row per outcome; numbers as numbers, words in *_text columns",
        render=_csv,
    ),
    OutputFormat(
        name="json",
        suffixes=(".json",),
        description="everything, SPC included, with a format_version",
        render=_json,
    ),
    OutputFormat(
        name="xlsx",
        suffixes=(".xlsx",),
        description="an Excel workbook: results and observations (the excel extra)",
        render=_xlsx,
        binary=True,
        extra="excel",
        requires=("openpyxl",),
    ),
    OutputFormat(
        name="pdf",
        suffixes=(".pdf",),
        description="the board pack as a PDF, laid out by WeasyPrint (the pdf extra)",
        render=_pdf,
        binary=True,
        extra="pdf",
        check=_pdf_check,
    ),
)

#: Every output format by name, in the order :data:`FORMATS` lists them.
OUTPUT_FORMATS: Mapping[str, OutputFormat] = {f.name: f for f in _ALL}
#: The names of the output formats.
FORMATS: tuple[str, ...] = tuple(OUTPUT_FORMATS)
_ALIASES = {"markdown": "md", "txt": "table", "htm": "html"}
_SUFFIXES = {suffix: f.name for f in _ALL for suffix in f.suffixes}


def _known_suffixes() -> str:
    return ", ".join(_SUFFIXES)


def output_format(format: str) -> OutputFormat:
    """The :class:`OutputFormat` named ``format`` (``"markdown"`` and ``"txt"`` are aliases).

    Raises:
        ReportFormatError: no such format.
    """
    name = format.lower()
    found = OUTPUT_FORMATS.get(_ALIASES.get(name, name))
    if found is None:
        raise ReportFormatError(
            f"unknown output format {format!r}; use one of {', '.join(FORMATS)}"
        )
    return found


def format_for(path: str | os.PathLike[str]) -> str:
    """The output format a file's suffix selects (``"report.md"`` gives ``"md"``).

    Raises:
        ReportFormatError: the suffix is missing or not one stratkit writes.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if not suffix:
        raise ReportFormatError(
            f"{p}: no file suffix to choose the format from; add one "
            f"({_known_suffixes()}) or give the format"
        )
    found = _SUFFIXES.get(suffix)
    if found is None:
        raise ReportFormatError(
            f"{p}: stratkit cannot write a {p.suffix!r} file; use one of "
            f"{_known_suffixes()}, or give the format ({', '.join(FORMATS)})"
        )
    return found


def report(
    evaluation: Any,
    *,
    format: str = "html",
    progress: Callable[[], None] | None = None,
    width: int = 120,
    color: bool = False,
    pack: PackOptions | None = None,
) -> str:
    """The report of an evaluation as text.

    Args:
        evaluation: an ``Evaluation`` (from :func:`stratkit.evaluate`).
        format: ``"html"`` (the self-contained board pack), ``"md"``
            (Markdown, the same content less the charts), ``"table"`` (plain
            text for a terminal), ``"csv"`` or ``"json"``. The binary formats
            (``"xlsx"``, ``"pdf"``) are written with :func:`write_report`.
        progress: called after each outcome is drawn (HTML only), for a
            progress bar.
        width: the line width of the ``"table"`` format.
        color: colour the ``"table"`` format's status words (ANSI codes).
        pack: commentary, branding, templates and a committee selection for the
            HTML board pack (:func:`load_pack` reads them from a strategy folder);
            the Markdown report shows the commentary and the selection too.

    Raises:
        ReportFormatError: an unknown format, or a binary one.
    """
    fmt = output_format(format)
    if fmt.binary:
        raise ReportFormatError(
            f"{fmt.name} is a binary format, not text: write it to a file with "
            f"write_report(evaluation, 'report.{fmt.name}')"
        )
    return str(fmt.render(evaluation, progress=progress, width=width, color=color, pack=pack))


def write_report(
    evaluation: Any,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    progress: Callable[[], None] | None = None,
    pack: PackOptions | None = None,
) -> Path:
    """Write the report to ``path`` and return the path.

    The format is ``format`` when given, else the one the file's suffix
    selects (:func:`format_for`: ``.html``, ``.md``, ``.txt``, ``.csv``,
    ``.json``, ``.xlsx``, ``.pdf``; a PDF is laid out by WeasyPrint, see
    :mod:`stratkit.reporting.pdf`). ``pack`` is as for :func:`report`. The
    document is rendered in full, then written to a temporary file beside
    ``path`` and renamed over it, so a failure never leaves half a report (and
    an unknown suffix writes nothing).

    Raises:
        ReportFormatError: an unknown format, or a suffix stratkit does not write.
        MissingExtraError: the format needs an optional extra that is not installed.
        SaveError: the file cannot be written, or ``path`` is a symbolic link,
            device, folder or hard-linked file (named in the message).
    """
    p = Path(path)
    fmt = output_format(format if format is not None else format_for(p))
    fmt.check_available()
    document = fmt.render(evaluation, progress=progress, pack=pack)
    write_atomically(p, document)
    return p
