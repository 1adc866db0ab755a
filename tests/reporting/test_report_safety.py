"""Hostile markup in every text field of a strategy renders as plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
import samples
from samples import HOSTILE

from stratkit.reporting import report
from stratkit.reporting.html import safe_href
from stratkit.reporting.markdown import md
from stratkit.reporting.notebook import evaluation_html, strategy_html

_ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "main",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "p",
    "strong",
    "span",
    "div",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "a",
    "section",
    "figure",
    "dl",
    "dt",
    "dd",
    "ul",
    "li",
    "br",
    "em",
    "blockquote",
    "h6",
    "nav",
    "ol",
    "col",
    "colgroup",
    "details",
    "summary",
    # inline SVG
    "svg",
    "rect",
    "line",
    "polyline",
    "circle",
    "text",
    "g",
}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    c.close()
    return c


def assert_inert(html: str) -> _Collector:
    doc = parse(html)
    tags = {t for t, _ in doc.tags}
    assert "script" not in tags
    assert "img" not in tags
    assert tags <= _ALLOWED_TAGS, tags - _ALLOWED_TAGS
    for tag, attrs in doc.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "xlink:href", "action"):
                assert value is not None
                assert value.startswith(("#", "https://", "http://")), (tag, name, value)
    return doc


def test_hostile_strategy_html_is_inert(hostile_evaluation: Any) -> None:
    html = report(hostile_evaluation, format="html")
    doc = assert_inert(html)
    text = "".join(doc.text)
    # the markup is there, as text the reader can see
    assert '<script>alert("x");console.error("pwned-script")</script>' in text
    assert "<img src=x onerror=console.error('pwned-onerror')>" in text
    assert "javascript:alert(9)" in text  # the source's url, printed, not linked
    assert f"Data: {samples.HOSTILE}" in text  # the observations' "# source:" line
    assert text.count("<script>") >= 20


def test_plain_strategy_links_its_https_source(sample_evaluation: Any) -> None:
    doc = assert_inert(report(sample_evaluation, format="html"))
    hrefs = [a.get("href") for t, a in doc.tags if t == "a"]
    assert "https://example.org/strategy" in hrefs


@pytest.mark.parametrize("render", [evaluation_html])
def test_hostile_notebook_evaluation_is_inert(hostile_evaluation: Any, render: Any) -> None:
    doc = assert_inert(render(hostile_evaluation))
    assert "<script>" in "".join(doc.text)


def test_hostile_notebook_strategy_is_inert(hostile_evaluation: Any) -> None:
    html = strategy_html(hostile_evaluation.strategy)
    doc = assert_inert(html)
    assert "<script>" in "".join(doc.text)
    assert hostile_evaluation.strategy._repr_html_() == html


def test_hostile_markdown_is_inert(hostile_evaluation: Any) -> None:
    text = report(hostile_evaluation, format="md")
    assert "<script" not in text
    assert "<img" not in text
    assert "<svg" not in text
    assert re.search(r"(?<!\\)\]\(", text) is None  # no link: every ] is escaped
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(text)
    doc = assert_inert(html)
    assert "<script>" in "".join(doc.text)


def test_hostile_table_csv_json(hostile_evaluation: Any) -> None:
    import csv
    import io
    import json

    table = report(hostile_evaluation, format="table")
    assert "\x1b" not in table
    rows = list(csv.reader(io.StringIO(report(hostile_evaluation, format="csv"))))
    assert len(rows) == 1 + len(hostile_evaluation.results)
    assert all(HOSTILE in row[3] for row in rows[1:])  # statement, verbatim
    json.loads(report(hostile_evaluation, format="json"))


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ('https://x.org/"onmouseover=alert(1)', False),
        ("//evil.example", False),
        (None, False),
    ],
)
def test_safe_href(url: Any, ok: bool) -> None:
    href = safe_href(url)
    assert (href is not None) is ok
    if href is not None:
        assert '"' not in href
        assert "<" not in href


def test_markdown_escapes_links_and_html() -> None:
    assert md("[a](javascript:x)") == "\\[a\\](javascript:x)"
    assert md("<b>x</b> | y") == "&lt;b&gt;x&lt;/b&gt; \\| y"
    assert md("A&E &lt;script&gt;") == "A&E &lt;script&gt;"  # entities render as text
    assert md("line\nbreak") == "line break"
    assert md(None) == ""


def test_csv_defuses_formulas(sample_evaluation: Any) -> None:
    from stratkit.reporting.tabular import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("ok") == "ok"
    assert _cell(-5.0) == "-5.0"  # a number stays a number


def test_evaluation_repr_html_is_the_notebook_summary(sample_evaluation: Any) -> None:
    repr_html = getattr(sample_evaluation, "_repr_html_", None)
    if repr_html is None:
        pytest.skip("stand-in evaluation")
    assert repr_html() == evaluation_html(sample_evaluation)
