"""Hostile XML is refused, quickly, with a stratkit error naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratkit.errors import StrategyFileError, UnsafeFileError
from stratkit.io import from_stratml
from stratkit.io.stratml import read_stratml
from stratkit.io.stratml._safe import MAX_BYTES, MAX_DEPTH, MAX_TEXT

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<StrategicPlan><Name>&lol9;</Name></StrategicPlan>
"""


def _plan(name: str) -> bytes:
    return (
        '<?xml version="1.0"?>\n<StrategicPlan><Name>' + name + "</Name><StrategicPlanCore>"
        "<Goal><Name>G</Name><Description/></Goal></StrategicPlanCore>"
        "<AdministrativeInformation><StartDate>2024-04-01</StartDate><EndDate>2027-03-31"
        "</EndDate></AdministrativeInformation></StrategicPlan>"
    ).encode()


def test_a_harmless_plan_reads() -> None:
    assert read_stratml(_plan("A plan")).title == "A plan"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(BILLION_LAUGHS, id="billion laughs"),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<StrategicPlan><Name>&x;</Name></StrategicPlan>",
            id="external entity (file)",
        ),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
            b"<StrategicPlan><Name>&x;</Name></StrategicPlan>",
            id="external entity (network)",
        ),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY % x SYSTEM "http://127.0.0.1:9/x.dtd">'
            b"%x;]><StrategicPlan/>",
            id="external parameter entity",
        ),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE StrategicPlan SYSTEM "http://127.0.0.1:9/s.dtd">'
            b"<StrategicPlan/>",
            id="external DTD",
        ),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "'
            + b"x" * 100_000
            + b'">]><StrategicPlan><Name>'
            + b"&a;" * 10_000
            + b"</Name></StrategicPlan>",
            id="quadratic blow-up",
        ),
    ],
)
def test_entities_and_dtds_are_refused(raw: bytes) -> None:
    with pytest.raises(UnsafeFileError, match="DOCTYPE") as info:
        read_stratml(raw, "hostile.xml")
    assert info.value.file == "hostile.xml"
    assert "hostile.xml" in str(info.value)


def test_deep_nesting_is_refused() -> None:
    depth = 100_000
    raw = b"<StrategicPlan>" + b"<a>" * depth + b"</a>" * depth + b"</StrategicPlan>"
    with pytest.raises(UnsafeFileError, match="nested too deeply") as info:
        read_stratml(raw, "deep.xml")
    assert str(MAX_DEPTH) in str(info.value)


def test_huge_text_in_one_element_is_refused() -> None:
    raw = _plan("x" * (MAX_TEXT + 1))
    assert len(raw) < MAX_BYTES
    with pytest.raises(UnsafeFileError, match="text too long"):
        read_stratml(raw, "huge.xml")


def test_a_file_too_large_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "large.xml"
    path.write_bytes(b"<StrategicPlan>" + b" " * MAX_BYTES + b"</StrategicPlan>")
    with pytest.raises(UnsafeFileError, match="file too large") as info:
        from_stratml(path)
    assert info.value.file == str(path)


def test_malformed_xml_is_a_file_error_with_its_line() -> None:
    with pytest.raises(StrategyFileError, match="not well-formed") as info:
        read_stratml(b"<StrategicPlan>\n<Name>x</Nme>\n</StrategicPlan>", "broken.xml")
    assert not isinstance(info.value, UnsafeFileError)
    assert info.value.problems[0].line == 2


def test_an_undeclared_entity_is_refused_not_expanded() -> None:
    with pytest.raises(StrategyFileError, match="not well-formed"):
        read_stratml(b"<StrategicPlan><Name>&x;</Name></StrategicPlan>", "entity.xml")


@pytest.mark.parametrize("depth", [20, 100_000])
def test_deeply_nested_stratkit_data_is_refused(depth: int) -> None:
    import stratkit
    from stratkit.io.stratml import stratml_text

    text = stratml_text(stratkit.examples.load("kmpt_2020_23"), part=1)
    nested = "[" * depth + "]" * depth
    hostile = text.replace(
        'stratkit-data: {"format":1,"fields":{',
        'stratkit-data: {"format":1,"fields":{"notes":' + nested + ",",
        1,
    )
    assert hostile != text
    with pytest.raises(StrategyFileError, match="nests deeper than") as info:
        read_stratml(hostile.encode(), "nested.xml")
    assert info.value.file == "nested.xml"
