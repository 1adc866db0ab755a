"""Variation and assurance icons as small, self-contained SVG drawings.

stratkit's own drawings following the Making Data Count visual convention:
a circle per icon; blue for improvement / a passing target, orange for concern
/ a failing target, grey for common cause and an inconsistent target, purple
for neutral special cause. Variation icons carry ``H`` (high) or ``L`` (low)
and a little run of points; assurance icons carry ``P``, ``F`` or ``?``.

Both functions are pure: the same arguments give the same string, with no
external references (no fonts, images or scripts), a ``<title>``, and
``role="img"`` with an ``aria-label`` for screen readers.
"""

from __future__ import annotations

from html import escape
from typing import Final

__all__ = [
    "ASSURANCE_ICONS",
    "BLUE",
    "GREY",
    "LETTER_COLOURS",
    "ORANGE",
    "PURPLE",
    "VARIATION_ICONS",
    "assurance_icon_svg",
    "variation_icon_svg",
]

#: Improvement, and a target the process passes consistently.
BLUE: Final = "#289de0"
#: Concern, and a target the process fails consistently.
ORANGE: Final = "#fab428"
#: Common cause variation, and a target that is hit and miss.
GREY: Final = "#a6a6a6"
#: Special cause with no improvement direction (neutral).
PURPLE: Final = "#7b3fa0"

#: The letter inside an icon is a darker shade of its ring's colour, so that it reads at
#: WCAG AA contrast (at least 4.5:1) on the icon's white face; the Making Data Count
#: colours themselves (orange 1.8:1, blue 3.0:1) are too light for text.
LETTER_COLOURS: Final[dict[str, str]] = {
    BLUE: "#1d6fa0",
    ORANGE: "#9a5a00",
    GREY: "#636363",
    PURPLE: PURPLE,
}

# icon -> (colour, letter, default title, trail of points: "up", "down", "flat")
VARIATION_ICONS: Final[dict[str, tuple[str, str, str, str]]] = {
    "common_cause": (GREY, "", "Common cause variation", "flat"),
    "improvement_high": (BLUE, "H", "Special cause variation: improvement (high)", "up"),
    "improvement_low": (BLUE, "L", "Special cause variation: improvement (low)", "down"),
    "concern_high": (ORANGE, "H", "Special cause variation: concern (high)", "up"),
    "concern_low": (ORANGE, "L", "Special cause variation: concern (low)", "down"),
    "neutral_high": (PURPLE, "H", "Special cause variation: neutral (high)", "up"),
    "neutral_low": (PURPLE, "L", "Special cause variation: neutral (low)", "down"),
}
ASSURANCE_ICONS: Final[dict[str, tuple[str, str, str]]] = {
    "pass": (BLUE, "P", "Assurance: the target is consistently met"),
    "fail": (ORANGE, "F", "Assurance: the target is consistently missed"),
    "inconsistent": (GREY, "?", "Assurance: the target is hit and miss"),
}

_TRAILS: Final = {
    "flat": ((24, 74), (36, 70), (48, 75), (60, 71), (72, 74)),
    "up": ((24, 80), (36, 76), (48, 71), (60, 66), (72, 61)),
    "down": ((24, 61), (36, 66), (48, 71), (60, 76), (72, 80)),
}


def _check_size(size: float) -> str:
    if isinstance(size, bool) or not isinstance(size, int | float) or not size > 0:
        msg = f"size must be a positive number of pixels; found {size!r}"
        raise ValueError(msg)
    return f"{size:g}"


def _svg(size: float, label: str, body: list[str]) -> str:
    px = _check_size(size)
    text = escape(label, quote=True)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" '
        f'viewBox="0 0 100 100" role="img" aria-label="{text}">'
    )
    return "".join([head, f"<title>{text}</title>", *body, "</svg>"])


def _ring(colour: str) -> str:
    return f'<circle cx="50" cy="50" r="45" fill="#ffffff" stroke="{colour}" stroke-width="8"/>'


def _letter(letter: str, colour: str, y: int) -> str:
    return (
        f'<text x="50" y="{y}" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
        f'font-size="40" font-weight="bold" fill="{LETTER_COLOURS.get(colour, colour)}">'
        f"{escape(letter)}</text>"
    )


def variation_icon_svg(icon: str, *, size: float = 32, title: str | None = None) -> str:
    """The SVG of a variation icon.

    Args:
        icon: one of ``common_cause``, ``improvement_high``, ``improvement_low``,
            ``concern_high``, ``concern_low``, ``neutral_high``, ``neutral_low``
            (``SPCResult.variation_icon``).
        size: width and height in pixels.
        title: accessible name (``<title>`` and ``aria-label``); escaped. A
            plain-English default describes the icon.

    Raises:
        ValueError: an unknown icon name or a non-positive size.

    >>> svg = variation_icon_svg("improvement_high")
    >>> svg.startswith("<svg") and ">H</text>" in svg and "#289de0" in svg
    True
    """
    if icon not in VARIATION_ICONS:
        msg = f"unknown variation icon {icon!r}; expected one of {', '.join(VARIATION_ICONS)}"
        raise ValueError(msg)
    colour, letter, default_title, trail = VARIATION_ICONS[icon]
    body = [_ring(colour)]
    if letter:
        body.append(_letter(letter, colour, 50))
    points = _TRAILS[trail]
    line = " ".join(f"{x},{y}" for x, y in points)
    body.append(f'<polyline points="{line}" fill="none" stroke="{GREY}" stroke-width="3"/>')
    for k, (x, y) in enumerate(points):
        # the last points carry the signal colour; common cause stays grey
        fill = colour if k >= len(points) - 2 else GREY
        body.append(f'<circle cx="{x}" cy="{y}" r="5" fill="{fill}"/>')
    return _svg(size, default_title if title is None else title, body)


def assurance_icon_svg(icon: str, *, size: float = 32, title: str | None = None) -> str:
    """The SVG of an assurance icon.

    Args:
        icon: ``"pass"``, ``"fail"`` or ``"inconsistent"``
            (``SPCResult.assurance_icon``; there is no icon for None).
        size: width and height in pixels.
        title: accessible name (``<title>`` and ``aria-label``); escaped.

    Raises:
        ValueError: an unknown icon name or a non-positive size.

    >>> "F</text>" in assurance_icon_svg("fail")
    True
    """
    if icon not in ASSURANCE_ICONS:
        msg = f"unknown assurance icon {icon!r}; expected one of {', '.join(ASSURANCE_ICONS)}"
        raise ValueError(msg)
    colour, letter, default_title = ASSURANCE_ICONS[icon]
    body = [
        _ring(colour),
        _letter(letter, colour, 64),
        (
            f'<line x1="22" y1="30" x2="78" y2="30" stroke="{colour}" stroke-width="4" '
            'stroke-dasharray="6 4"/>'
        ),
    ]
    return _svg(size, default_title if title is None else title, body)
