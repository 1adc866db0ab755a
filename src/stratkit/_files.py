"""Writing a file so that a failure never leaves half of it: one mechanism for
strategies, observations and reports."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["new_file_mode", "write_atomically"]


def new_file_mode(path: Path) -> int:
    """The permissions a rewritten file gets: its old ones, else what ``open`` would give.

    A temporary file is created private (0o600); renamed over the destination
    as it is, it would lock out the group and others (and change an old file's mode).
    """
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends as given; or bytes) to ``path`` in one step.

    The text goes to a temporary file beside ``path``, is flushed to disk, given
    the permissions :func:`new_file_mode` says, and renamed over ``path``. On
    any :class:`OSError` the temporary file is removed and the error re-raised:
    the destination is left as it was.
    """
    directory = path.parent if str(path.parent) else Path(".")
    data = text.encode("utf-8") if isinstance(text, str) else text
    tmp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb", dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, new_file_mode(path))
        os.replace(tmp_name, path)
    except OSError:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
