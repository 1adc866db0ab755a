"""The board pack as a PDF, laid out by WeasyPrint (the optional ``pdf`` extra).

WeasyPrint is a real print layout engine: it honours the pack's print styles (A4
landscape, the running header, ``Page n of m``, no card split across pages). It
needs the Pango text library from the operating system (Debian:
``apt-get install libpango-1.0-0 libpangoft2-1.0-0``).

>>> from stratkit.reporting.pdf import pdf_available
>>> isinstance(pdf_available(), bool)
True
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stratkit._files import write_atomically
from stratkit.errors import MissingExtraError
from stratkit.reporting.pack import PackOptions

__all__ = ["PDFUnavailableError", "pdf_available", "pdf_bytes", "write_pdf"]

_INSTALL = (
    "WeasyPrint also needs the Pango library "
    "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
)


class PDFUnavailableError(MissingExtraError):
    """WeasyPrint (or the Pango library it needs) is not installed: the ``pdf`` extra."""


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise PDFUnavailableError("a PDF", "pdf", detail=f"{_INSTALL} ({exc})") from None
    return weasyprint


def pdf_available() -> bool:
    """Whether :func:`write_pdf` can run here (WeasyPrint and Pango installed)."""
    try:
        _weasyprint()
    except PDFUnavailableError:
        return False
    return True


def pdf_bytes(
    evaluation: Any,
    *,
    pack: PackOptions | None = None,
    progress: Callable[[], None] | None = None,
) -> bytes:
    """The board pack laid out as PDF (its bytes)."""
    from stratkit.reporting.html import render_html

    weasyprint = _weasyprint()
    html = render_html(evaluation, pack=pack, progress=progress)
    data: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
    return data


def write_pdf(
    evaluation: Any,
    path: str | os.PathLike[str],
    *,
    pack: PackOptions | None = None,
    progress: Callable[[], None] | None = None,
) -> Path:
    """Write the board pack to ``path`` as a PDF, in one step: the file is written
    beside ``path`` and renamed over it, so a failure never leaves half a PDF
    (:func:`stratkit._files.write_atomically`, with its checks and errors)."""
    p = Path(path)
    write_atomically(p, pdf_bytes(evaluation, pack=pack, progress=progress))
    return p
