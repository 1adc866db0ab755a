"""The variation and assurance SVG icons."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from stratkit.spc.icons import (
    BLUE,
    GREY,
    LETTER_COLOURS,
    ORANGE,
    PURPLE,
    assurance_icon_svg,
    variation_icon_svg,
)

SVG = "{http://www.w3.org/2000/svg}"

VARIATION = {
    "common_cause": (GREY, None),
    "improvement_high": (BLUE, "H"),
    "improvement_low": (BLUE, "L"),
    "concern_high": (ORANGE, "H"),
    "concern_low": (ORANGE, "L"),
    "neutral_high": (PURPLE, "H"),
    "neutral_low": (PURPLE, "L"),
}
ASSURANCE = {"pass": (BLUE, "P"), "fail": (ORANGE, "F"), "inconsistent": (GREY, "?")}


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == root.get("aria-label")
    return root


def _ring_colour(root: ET.Element) -> str | None:
    ring = root.find(f"{SVG}circle")
    assert ring is not None
    return ring.get("stroke")


def _letters(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(("icon", "expected"), VARIATION.items())
def test_variation_icon_colour_and_letter(icon: str, expected: tuple[str, str | None]) -> None:
    colour, letter = expected
    root = _parse(variation_icon_svg(icon))
    assert _ring_colour(root) == colour
    assert _letters(root) == ([] if letter is None else [letter])
    if letter is not None:
        text = next(root.iter(f"{SVG}text"))
        assert text.get("fill") == LETTER_COLOURS[colour]


@pytest.mark.parametrize(("icon", "expected"), ASSURANCE.items())
def test_assurance_icon_colour_and_letter(icon: str, expected: tuple[str, str]) -> None:
    colour, letter = expected
    root = _parse(assurance_icon_svg(icon))
    assert _ring_colour(root) == colour
    assert _letters(root) == [letter]


def test_icons_differ_from_each_other() -> None:
    drawings = [variation_icon_svg(i) for i in VARIATION] + [
        assurance_icon_svg(i) for i in ASSURANCE
    ]
    assert len(set(drawings)) == len(drawings)


@pytest.mark.parametrize("make", [variation_icon_svg, assurance_icon_svg])
def test_hostile_title_is_escaped(make: object) -> None:
    hostile = '<script>alert("x")</script> & "quotes"'
    icon = "common_cause" if make is variation_icon_svg else "pass"
    svg = make(icon, title=hostile)  # type: ignore[operator]
    assert "<script>" not in svg
    root = _parse(svg)
    assert root.get("aria-label") == hostile
    assert root.find(f"{SVG}title").text == hostile  # type: ignore[union-attr]
    assert not list(root.iter("script"))
    assert not list(root.iter(f"{SVG}script"))


def test_size_and_determinism() -> None:
    a = variation_icon_svg("concern_low", size=48, title="Waiting times")
    b = variation_icon_svg("concern_low", size=48, title="Waiting times")
    assert a == b
    root = _parse(a)
    assert root.get("width") == "48"
    assert root.get("height") == "48"
    assert root.get("aria-label") == "Waiting times"


def test_no_external_references() -> None:
    for svg in [variation_icon_svg(i) for i in VARIATION] + [
        assurance_icon_svg(i) for i in ASSURANCE
    ]:
        assert "href" not in svg
        assert "url(" not in svg
        assert "<image" not in svg


def test_unknown_icon_and_bad_size_raise() -> None:
    with pytest.raises(ValueError, match="unknown variation icon 'improvement'"):
        variation_icon_svg("improvement")
    with pytest.raises(ValueError, match="unknown assurance icon 'none'"):
        assurance_icon_svg("none")
    with pytest.raises(ValueError, match="size must be a positive number"):
        assurance_icon_svg("pass", size=0)


def test_default_titles_describe_the_icon() -> None:
    assert "concern" in _parse(variation_icon_svg("concern_high")).get("aria-label", "")
    assert "hit and miss" in _parse(assurance_icon_svg("inconsistent")).get("aria-label", "")
