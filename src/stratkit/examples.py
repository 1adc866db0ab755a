"""The worked examples shipped with stratkit, loadable without a checkout.

>>> import stratkit
>>> stratkit.examples.names()
('kmpt_2020_23', 'kmpt_2023_26', 'nhs_ae_4h')
>>> s = stratkit.examples.load("kmpt_2023_26")
>>> s.organisation.code
'RXY'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stratkit.model import Observations, Strategy

__all__ = ["load", "load_observations", "names", "path"]


def _roots() -> list[Path]:
    here = Path(__file__).resolve().parent
    # installed wheel: examples are packaged under stratkit/_examples;
    # a source checkout (editable install): the repository's examples/ folder
    return [here / "_examples", here.parent.parent / "examples"]


def names() -> tuple[str, ...]:
    """The names of the examples available."""
    found: set[str] = set()
    for root in _roots():
        if root.is_dir():
            found.update(p.parent.name for p in root.glob("*/strategy.yaml"))
    return tuple(sorted(found))


def path(name: str) -> Path:
    """The folder of example ``name`` (one of :func:`names`; never a path)."""
    if name not in names():
        raise KeyError(f"no example {name!r}; available: {', '.join(names()) or 'none'}")
    for root in _roots():
        candidate = root / name
        if (candidate / "strategy.yaml").is_file():
            return candidate
    raise KeyError(f"no example {name!r}; available: {', '.join(names()) or 'none'}")


def load(name: str) -> Strategy:
    """Load example ``name``'s strategy."""
    from stratkit.io import load as load_file

    return load_file(path(name))


def load_observations(name: str) -> Observations:
    """Load example ``name``'s observations (the KMPT ones are illustrative, labelled as such)."""
    from stratkit.io import read_observations

    folder = path(name)
    files = sorted(folder.glob("observations*.csv"))
    if not files:
        raise KeyError(f"example {name!r} has no observations file")
    return read_observations(files[0])
