"""What ``stratkit init`` copies from a source folder (a worked example or a folder
the user names): the scaffold's files only, never anything through a link that
leads outside the folder.

The scaffold is what stratkit itself reads from a strategy folder:
``strategy.yaml``, ``README.md``, the ``observations*`` files (``.csv``,
``.xlsx`` and their ``.md`` notes), ``commentary.yaml``, ``branding.yaml`` with
the logo it names, and the files of a ``templates/`` folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["InitSourceError", "is_scaffold_file", "scaffold_files"]

TOP_LEVEL = ("strategy.yaml", "README.md", "commentary.yaml", "branding.yaml")
OBSERVATION_SUFFIXES = (".csv", ".xlsx", ".md")
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
TEMPLATES = "templates"
# branding.yaml's top-level ``logo:`` line, read without running a YAML parser
# over a file that is only being copied
_LOGO_LINE = re.compile(r"^logo:[ \t]*(['\"]?)([^'\"#\r\n]*?)\1[ \t]*(#.*)?$", re.MULTILINE)


class InitSourceError(Exception):
    """A source folder ``init`` will not copy from, worded for the user."""


def is_scaffold_file(name: str) -> bool:
    """A top-level file ``init`` copies."""
    return name in TOP_LEVEL or (
        name.startswith("observations") and name.endswith(OBSERVATION_SUFFIXES)
    )


def scaffold_files(folder: Path) -> dict[str, bytes]:
    """Relative path -> content of the scaffold's files in ``folder``.

    Raises:
        InitSourceError: ``folder`` is not a folder, has no ``strategy.yaml``, or a
            file to copy is a symbolic link that leads outside it (or nowhere).
    """
    if not folder.is_dir():
        raise InitSourceError(f"{folder} is not a folder")
    root = folder.resolve()
    files: dict[str, bytes] = {}
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if is_scaffold_file(entry.name):
            content = _read_inside(root, entry)
            if content is not None:
                files[entry.name] = content
    if "strategy.yaml" not in files:
        raise InitSourceError(f"{folder} has no strategy.yaml")
    logo = _logo(files.get("branding.yaml"))
    if logo is not None:
        content = _read_inside(root, root / logo)
        if content is not None:
            files[Path(logo).as_posix()] = content
    files.update(_templates(root))
    return files


def _inside(root: Path, path: Path) -> bool:
    return path == root or root in path.parents


def _read_inside(root: Path, entry: Path) -> bytes | None:
    """The bytes of ``entry`` if it is a file inside ``root`` (``None`` for a folder
    or anything else that is not a plain file)."""
    target = entry.resolve()
    if not _inside(root, target):
        what = f"is a symbolic link to {target}" if entry.is_symlink() else "leads"
        raise InitSourceError(
            f"{entry} {what} outside {root}; init copies only files inside the source folder"
        )
    if entry.is_symlink() and not target.exists():
        raise InitSourceError(f"{entry} is a broken symbolic link")
    if not target.is_file():
        return None
    return target.read_bytes()


def _logo(branding: bytes | None) -> str | None:
    """The logo file branding.yaml names, when it is a relative image path."""
    if branding is None:
        return None
    found = _LOGO_LINE.search(branding.decode("utf-8", errors="replace"))
    if found is None:
        return None
    name = found[2].strip()
    if not name or os.path.isabs(name) or not name.lower().endswith(LOGO_SUFFIXES):
        return None
    return name


def _templates(root: Path) -> dict[str, bytes]:
    """Every file of ``templates/`` (its sub-folders too), by relative path."""
    folder = root / TEMPLATES
    if not (folder.is_dir() or folder.is_symlink()):
        return {}
    if _read_inside(root, folder) is not None:  # a file called templates: not ours
        return {}
    base = folder.resolve()
    files: dict[str, bytes] = {}
    for here, dirs, names in os.walk(base):
        current = Path(here)
        for name in sorted(dirs):
            sub = current / name
            if sub.is_symlink():
                _read_inside(root, sub)  # refused when it leads outside
        dirs[:] = sorted(d for d in dirs if not (current / d).is_symlink())
        for name in sorted(names):
            content = _read_inside(root, current / name)
            if content is not None:
                rel = (current / name).relative_to(base).as_posix()
                files[f"{TEMPLATES}/{rel}"] = content
    return files
