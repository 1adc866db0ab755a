"""Reports: HTML board pack, Markdown, terminal table, and the SVG pieces they share.

:func:`report` renders an evaluation as text; :func:`write_report` writes it
to a file (atomically). The HTML board pack is rendered from Jinja2 templates
that a trust can override (:mod:`stratkit.reporting.html`); its commentary,
branding and committee selection come from :func:`load_pack`.

>>> import stratkit
>>> from stratkit.reporting import FORMATS
>>> FORMATS
('html', 'md', 'table', 'csv', 'json')
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stratkit._files import write_atomically
from stratkit.reporting.pack import PackOptions, load_pack

__all__ = ["FORMATS", "PackOptions", "load_pack", "report", "write_report"]

FORMATS: tuple[str, ...] = ("html", "md", "table", "csv", "json")
"""The text formats of :func:`report`; :func:`write_report` also writes ``"pdf"``."""
_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".json": "json",
    ".txt": "table",
    ".pdf": "pdf",
}


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
            text for a terminal), ``"csv"`` or ``"json"``.
        progress: called after each outcome is drawn (HTML only), for a
            progress bar.
        width: the line width of the ``"table"`` format.
        color: colour the ``"table"`` format's status words (ANSI codes).
        pack: commentary, branding, templates and a committee selection for the
            HTML board pack (:func:`load_pack` reads them from a strategy folder);
            the Markdown report shows the commentary and the selection too.

    Raises:
        ValueError: an unknown format.
    """
    if format == "html":
        from stratkit.reporting.html import render_html

        return render_html(evaluation, progress=progress, pack=pack)
    if format in ("md", "markdown"):
        from stratkit.reporting.markdown import render_markdown

        return render_markdown(evaluation, pack=pack)
    from stratkit.reporting import tabular

    if format == "table":
        return tabular.render_table(evaluation, width=width, color=color)
    if format == "csv":
        return tabular.render_csv(evaluation)
    if format == "json":
        return tabular.render_json(evaluation)
    if format == "pdf":
        raise ValueError("a PDF is not text: write it with write_report(evaluation, 'pack.pdf')")
    raise ValueError(f"format must be one of {', '.join(FORMATS)}; found {format!r}")


def write_report(
    evaluation: Any,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    progress: Callable[[], None] | None = None,
    pack: PackOptions | None = None,
) -> Path:
    """Write the report to ``path`` and return the path.

    The format comes from the file's suffix (``.html``, ``.md``, ``.csv``,
    ``.json``, ``.txt``, ``.pdf``) unless ``format`` is given. A PDF is laid
    out by WeasyPrint (the optional ``pdf`` extra, see :mod:`stratkit.reporting.pdf`).
    The text is written to a temporary file beside ``path`` and renamed over it, so a
    failure never leaves half a report. Any failure to write, or a ``path`` that is a
    symbolic link, device, folder or hard-linked file, raises
    :class:`~stratkit.errors.SaveError` naming ``path``.
    """
    p = Path(path)
    fmt = format or _SUFFIXES.get(p.suffix.lower(), "html")
    if fmt == "pdf":
        from stratkit.reporting.pdf import write_pdf

        return write_pdf(evaluation, p, pack=pack, progress=progress)
    text = report(evaluation, format=fmt, progress=progress, pack=pack)
    write_atomically(p, text)
    return p
