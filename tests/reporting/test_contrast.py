"""Status text and icon letters read at WCAG AA contrast (at least 4.5:1)."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from stratkit.reporting.branding import contrast_ratio
from stratkit.spc.icons import (
    ASSURANCE_ICONS,
    VARIATION_ICONS,
    assurance_icon_svg,
    variation_icon_svg,
)

AA = 4.5


def _css() -> str:
    return (resources.files("stratkit.reporting") / "templates" / "pack.css").read_text("utf-8")


def test_the_contrast_ratio_is_the_wcag_formula() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    # The Making Data Count orange, as the pack once used it for text: about 1.8:1.
    assert contrast_ratio("#fab428", "#ffffff") == pytest.approx(1.81, abs=0.01)


@pytest.mark.parametrize("rag", ["green", "amber", "red", "grey"])
def test_each_status_badge_text_contrasts_with_its_background(rag: str) -> None:
    css = _css()
    colours = dict(re.findall(r"--(\w+):\s*(#[0-9a-fA-F]{6})", css))
    rule = re.search(rf"\.rag-{rag}\s*{{([^}}]*)}}", css)
    assert rule is not None
    text = re.search(r"(?<![-\w])color:\s*var\(--(\w+)\)", rule.group(1))
    background = re.search(r"background:\s*(#[0-9a-fA-F]{6})", rule.group(1))
    assert text is not None
    assert background is not None
    assert contrast_ratio(colours[text.group(1)], background.group(1)) >= AA
    # and on the white page, where the status word also appears
    assert contrast_ratio(colours[text.group(1)], "#ffffff") >= AA


def _letter_fill(svg: str) -> str:
    found = re.search(r'<text[^>]*fill="(#[0-9a-fA-F]{6})"', svg)
    assert found is not None, svg
    return found.group(1)


@pytest.mark.parametrize(
    "svg",
    [variation_icon_svg(i) for i, spec in VARIATION_ICONS.items() if spec[1]]
    + [assurance_icon_svg(i) for i in ASSURANCE_ICONS],
)
def test_each_icon_letter_contrasts_with_the_icon_face(svg: str) -> None:
    face = re.search(r'<circle[^>]*fill="(#[0-9a-fA-F]{6})"', svg)
    assert face is not None
    assert contrast_ratio(_letter_fill(svg), face.group(1)) >= AA
