"""Writing a file so that a failure never leaves half of it: one mechanism for
strategies, observations and reports.

:func:`write_atomically` writes beside the destination and renames over it.
It refuses a destination that is not a plain file (a symbolic link, a device
such as ``/dev/null``, a folder, a file with other hard links): replacing
one of those would silently change something else than the file named. Every
failure is a :class:`~stratkit.errors.SaveError` naming the destination,
never the temporary file. A temporary file left by a killed write
(``.NAME.xxxx.tmp``) is removed by the next write to the same name.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from stratkit.errors import SaveError

__all__ = ["new_file_mode", "write_atomically"]

try:  # POSIX: a writer holds a lock on its temporary file while it lives
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_STALE_SECONDS = 3600.0
"""Without file locks (Windows), a temporary file this old is taken as stale."""


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


def _check_destination(path: Path) -> None:
    """Refuse, with a reason, a destination that is not a plain file or absent."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SaveError(exc.errno, exc.strerror or str(exc), str(path)) from None
    if stat.S_ISLNK(info.st_mode):
        reason = "it is a symbolic link; stratkit replaces only plain files (write to its target)"
    elif stat.S_ISDIR(info.st_mode):
        reason = "it is a folder; give a file name"
    elif not stat.S_ISREG(info.st_mode):
        reason = "it is not a plain file (a device, pipe or socket); nothing was written"
    elif info.st_nlink > 1:
        reason = (
            f"it has {info.st_nlink - 1} other hard link(s) that replacing it would break; "
            "copy it first, or write elsewhere"
        )
    else:
        return
    code = errno.EISDIR if stat.S_ISDIR(info.st_mode) else errno.EEXIST
    raise SaveError(code, reason, str(path))


def _remove_stale_temporaries(directory: Path, name: str) -> None:
    """Remove ``.NAME.*.tmp`` files that no live writer holds (left by a killed write)."""
    prefix = f".{name}."
    try:
        entries = [e for e in os.scandir(directory) if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        if not entry.name.endswith(".tmp") or not entry.is_file(follow_symlinks=False):
            continue
        try:
            if fcntl is None:  # pragma: no cover - Windows
                import time

                if time.time() - entry.stat().st_mtime > _STALE_SECONDS:
                    os.unlink(entry.path)
                continue
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a writer lives
                os.unlink(entry.path)
            finally:
                os.close(fd)
        except OSError:
            continue  # held by a live writer, or already gone


def write_atomically(path: Path, text: str | bytes, *, encoding: str = "utf-8") -> None:
    """Write ``text`` (``\\n`` line ends as given), or ``bytes``, to ``path`` in one step.

    The text goes to a temporary file beside ``path``, is flushed to disk, given
    the permissions :func:`new_file_mode` says, and renamed over ``path``.
    Raises :class:`~stratkit.errors.SaveError` (its ``filename`` is ``path``)
    when ``path`` is not a plain file or cannot be written; the destination is
    then left as it was and the temporary file removed.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    _check_destination(path)
    _remove_stale_temporaries(directory, path.name)
    tmp_name: str | None = None
    try:
        binary = isinstance(text, bytes)
        with tempfile.NamedTemporaryFile(
            "wb" if binary else "w",
            encoding=None if binary else encoding,
            dir=directory,
            prefix=f".{path.name}.",
            suffix=".tmp",
            delete=False,
            newline=None if binary else "\n",
        ) as tmp:
            tmp_name = tmp.name
            if fcntl is not None:
                fcntl.flock(tmp.fileno(), fcntl.LOCK_EX)  # released when the file closes
            tmp.write(text)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, new_file_mode(path))
        os.replace(tmp_name, path)
    except OSError as exc:
        if tmp_name is not None and os.path.lexists(tmp_name):
            os.unlink(tmp_name)
        if isinstance(exc, SaveError):
            raise
        raise SaveError(exc.errno, exc.strerror or str(exc), str(path)) from None
    except BaseException:
        if tmp_name is not None and os.path.lexists(tmp_name):
            os.unlink(tmp_name)
        raise
