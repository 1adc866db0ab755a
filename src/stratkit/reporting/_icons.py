"""Variation and assurance icons, wherever the SPC package keeps them this release."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["assurance_svg", "variation_svg"]


def _module() -> Any:
    try:
        return importlib.import_module("stratkit.reporting.icons")
    except ImportError:  # an older layout
        try:
            return importlib.import_module("stratkit.report.icons")
        except ImportError:
            return None


def _call(function: str, icon: str, size: int) -> str:
    if not icon:
        return ""
    module = _module()
    draw: Callable[..., str] | None = getattr(module, function, None)
    if draw is None:
        return ""
    try:
        return draw(icon, size=size)
    except ValueError:
        return ""


def variation_svg(icon: str, size: int = 28) -> str:
    """The variation icon's SVG, or ``""`` when there is no icon (or no icon module)."""
    return _call("variation_icon_svg", icon, size)


def assurance_svg(icon: str, size: int = 28) -> str:
    """The assurance icon's SVG, or ``""`` when there is no icon (or no icon module)."""
    return _call("assurance_icon_svg", icon, size)
