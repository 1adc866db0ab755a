"""The report's variation and assurance icons: :mod:`stratkit.spc.icons`, or "" for none."""

from __future__ import annotations

from stratkit.spc.icons import assurance_icon_svg, variation_icon_svg

__all__ = ["assurance_svg", "variation_svg"]


def variation_svg(icon: str, size: int = 28) -> str:
    """The variation icon's SVG, or ``""`` when there is no icon (or an unknown one)."""
    if not icon:
        return ""
    try:
        return variation_icon_svg(icon, size=size)
    except ValueError:
        return ""


def assurance_svg(icon: str, size: int = 28) -> str:
    """The assurance icon's SVG, or ``""`` when there is no icon (or an unknown one)."""
    if not icon:
        return ""
    try:
        return assurance_icon_svg(icon, size=size)
    except ValueError:
        return ""
