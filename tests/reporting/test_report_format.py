"""Formatting primitives: fixed, locale-free, and escaping that always holds."""

from __future__ import annotations

import datetime as dt
import html
import math
from html.parser import HTMLParser

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratkit._safe_text import neutralise
from stratkit.reporting._format import (
    as_date,
    fmt_date,
    fmt_number,
    fmt_signed,
    fmt_value,
    icon_words,
    plain_number,
)
from stratkit.reporting.html import esc
from stratkit.reporting.markdown import md


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (14.0, "14"),
        (14.25, "14.25"),
        (14.256, "14.26"),
        (6.9, "6.9"),
        (-0.001, "-0.001"),
        (0.05123, "0.0512"),
        (-0.0, "0"),
        (1250.4, "1,250"),
        (None, "–"),
        (float("nan"), "–"),
        (float("inf"), "–"),
        (np.float64(95.5), "95.5"),
    ],
)
def test_fmt_number(value: object, text: str) -> None:
    assert fmt_number(value) == text


def test_fmt_value_and_signed() -> None:
    assert fmt_value(95, "%") == "95 %"
    assert fmt_value(393, "bed_day") == "393 bed days"
    assert fmt_value(1, "bed_day") == "1 bed day"
    assert fmt_value(0.4, "GBPm") == "£0.4m"
    assert fmt_value(-1.8, "GBPm") == "-£1.8m"
    assert fmt_value(236, "person") == "236 people"
    assert fmt_value(147500, "m3") == "147,500 m³"
    assert fmt_value(22.7, "incident / thousand_bed_day") == "22.7 incidents per 1,000 bed days"
    assert fmt_value(-1200, "GBP") == "-£1,200"
    assert fmt_value(6.9, "") == "6.9"
    assert fmt_value(None, "%") == "–"
    assert fmt_signed(0.4, "pp") == "+0.4 pp"
    assert fmt_signed(-0.4, "pp") == "-0.4 pp"
    assert fmt_signed(0, "pp") == "0 pp"
    # a difference between two percents is in percentage points
    assert fmt_signed(-0.3, "%") == "-0.3 pp"
    assert fmt_signed(0.02, "score") == "+0.02 score"


def test_dates() -> None:
    assert as_date(np.datetime64("2025-03-31")) == dt.date(2025, 3, 31)
    assert as_date(np.datetime64("NaT")) is None
    assert as_date(dt.datetime(2025, 3, 31, 12, 0)) == dt.date(2025, 3, 31)
    assert as_date("2025-03-31") == dt.date(2025, 3, 31)
    assert as_date("not a date") is None
    assert fmt_date(None) == "–"


def test_plain_number_keeps_precision() -> None:
    assert plain_number(0.1 + 0.2) == repr(0.1 + 0.2)
    assert plain_number(96.0) == "96"
    assert plain_number(math.nan) == ""


def test_icon_words() -> None:
    assert icon_words("improvement_low", "fail") == (
        "special cause improvement (low); target consistently missed"
    )
    assert icon_words("", "") == ""


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_fmt_number_is_total(x: float) -> None:
    text = fmt_number(x)
    assert text
    assert "nan" not in text.lower()
    assert text != "-0"


@given(st.text())
def test_esc_round_trips_and_leaves_no_markup(text: str) -> None:
    escaped = esc(text)
    assert not any(c in escaped for c in "<>\"'")
    # control and bidi characters come back as their visible escapes, the rest as they were
    assert html.unescape(escaped) == neutralise(text)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
    | st.sampled_from(
        [
            "[x](javascript:alert(1))",
            "<script>x</script>",
            "*a* _b_ `c`",
            "![i](http://e/x.png)",
            "<http://e.org>",
            "&lt;b&gt;",
            "a | b",
            "\\[x\\](y)",
            "<!-- x -->",
        ]
    )
)
def test_md_text_renders_as_plain_text(text: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(f"x {md(text)}")
    parser = _Tags()
    parser.feed(rendered)
    assert set(parser.tags) <= {"p"}, (text, rendered)


def test_table_colour_is_optional_and_keeps_the_words(sample_evaluation: object) -> None:
    from stratkit.reporting import report

    plain = report(sample_evaluation, format="table")
    coloured = report(sample_evaluation, format="table", color=True)
    assert "\x1b[" not in plain
    assert "\x1b[90mNot measurable" in coloured
    assert (
        coloured.replace("\x1b[0m", "")
        .replace("\x1b[90m", "")
        .replace("\x1b[32m", "")
        .replace("\x1b[33m", "")
        .replace("\x1b[31m", "")
        == plain
    )
