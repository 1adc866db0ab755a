"""Reports of unusual inputs, well-formed HTML, and writing files."""

from __future__ import annotations

import datetime as dt
import os
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import stratkit
from stratkit.errors import MissingExtraError, ReportFormatError, SaveError
from stratkit.evaluation import evaluate
from stratkit.reporting import FORMATS, OUTPUT_FORMATS, report, write_report

_VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source"}
_SVG_EMPTY = {"rect", "line", "polyline", "circle", "path"}


class _Balance(HTMLParser):
    """Checks that every element is closed, in order (the SVG's empty elements may self-close)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = dict(attrs).get("id")
        if ident is not None:
            self.ids.append(ident)
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID | _SVG_EMPTY:
            self.errors.append(f"<{tag}/> is not an empty element")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def check_well_formed(html: str) -> _Balance:
    b = _Balance()
    b.feed(html)
    b.close()
    assert b.errors == []
    assert b.stack == []
    assert len(b.ids) == len(set(b.ids)), "duplicate ids"
    return b


def small(text: str) -> Any:
    return stratkit.loads(text)


def test_kmpt_html_is_well_formed(kmpt: Any) -> None:
    html = report(kmpt)
    check_well_formed(html)
    # every internal link points at an element of the page
    import re

    ids = set(check_well_formed(html).ids)
    for target in re.findall(r'href="#([^"]*)"', html):
        assert target in ids, target


def test_sample_html_is_well_formed(sample_evaluation: Any, hostile_evaluation: Any) -> None:
    check_well_formed(report(sample_evaluation))
    check_well_formed(report(hostile_evaluation))


def test_empty_strategy_renders_every_format() -> None:
    strategy = small(
        "title: Empty\norganisation: {name: Org}\nperiod: {start: 2025-04-01, end: 2028-03-31}\n"
        "ambitions:\n  - id: '1'\n    title: Nothing yet\n"
    )
    ev = evaluate(strategy, None, as_of=dt.date(2025, 6, 30))
    for fmt in FORMATS:
        if OUTPUT_FORMATS[fmt].binary:
            continue
        text = report(ev, format=fmt)
        assert text.endswith("\n")
    html = report(ev)
    check_well_formed(html)
    assert "Illustrative data" not in html
    assert "no observations" in html


def test_no_observations_no_charts(sample_evaluation: Any) -> None:
    ev = evaluate(sample_evaluation.strategy, None, as_of=dt.date(2025, 3, 31))
    html = report(ev)
    assert 'class="spc"' not in html
    assert "No observations to chart." in html
    assert html.count("No data <span") >= 1


def test_as_of_before_any_data(sample_evaluation: Any, sample_folder: Path) -> None:
    from stratkit.io import read_observations

    obs = read_observations(sample_folder / "observations.csv")
    ev = evaluate(sample_evaluation.strategy, obs, as_of=dt.date(2020, 1, 1))
    check_well_formed(report(ev))
    assert "Data as of 1 Jan 2020" in report(ev)


def test_unknown_format_is_a_stratkit_error_naming_the_known_ones() -> None:
    with pytest.raises(ReportFormatError, match="unknown output format 'docx'") as info:
        report(object(), format="docx")
    assert all(name in str(info.value) for name in FORMATS)
    assert isinstance(info.value, ValueError)  # still caught by `except ValueError`


def test_binary_formats_are_not_text(sample_evaluation: Any) -> None:
    for name in ("xlsx", "pdf"):
        with pytest.raises(ReportFormatError, match="binary format"):
            report(sample_evaluation, format=name)


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("r.html", "<!DOCTYPE html>"),
        ("r.md", "# Sample"),
        ("r.csv", "outcome_id,"),
        ("r.json", "{"),
        ("r.txt", "Outcome"),
        ("r.HTM", "<!DOCTYPE html>"),
        ("r.markdown", "# Sample"),
    ],
)
def test_write_report_by_suffix(
    sample_evaluation: Any, tmp_path: Path, name: str, start: str
) -> None:
    path = write_report(sample_evaluation, tmp_path / name)
    assert path.read_text(encoding="utf-8").startswith(start)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left


@pytest.mark.parametrize("name", ["r.unknown", "r.docx", "r", "r.html.bak"])
def test_write_report_refuses_a_suffix_it_does_not_write(
    sample_evaluation: Any, tmp_path: Path, name: str
) -> None:
    with pytest.raises(ReportFormatError) as info:
        write_report(sample_evaluation, tmp_path / name)
    message = str(info.value)
    assert name in message
    assert ".html" in message
    assert ".csv" in message  # the suffixes it does write
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_an_explicit_format_wins_over_the_suffix(sample_evaluation: Any, tmp_path: Path) -> None:
    path = write_report(sample_evaluation, tmp_path / "r.data", format="csv")
    assert path.read_text(encoding="utf-8").startswith("outcome_id,")


def test_every_suffix_selects_its_format(sample_evaluation: Any) -> None:
    from stratkit.reporting import format_for

    for fmt in OUTPUT_FORMATS.values():
        assert fmt.suffixes
        for suffix in fmt.suffixes:
            assert format_for(f"x{suffix.upper()}") == fmt.name


def test_pdf_without_its_extra_names_the_extra_and_writes_nothing(
    sample_evaluation: Any, tmp_path: Path
) -> None:
    problem: MissingExtraError | None = None
    try:
        write_report(sample_evaluation, tmp_path / "pack.pdf")
    except MissingExtraError as exc:
        problem = exc
    if problem is None:  # the pdf extra is installed: a real PDF
        assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
    else:
        assert problem.extra == "pdf"
        assert "stratkit-nhs[pdf]" in str(problem)
        assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_write_report_permissions_follow_umask(sample_evaluation: Any, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_report(sample_evaluation, tmp_path / "r.html")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_write_report_failure_leaves_nothing(sample_evaluation: Any, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    target.mkdir()  # a folder where the file should go: refused, one error class
    with pytest.raises(SaveError, match="is a folder") as info:
        write_report(sample_evaluation, target)
    assert info.value.filename == str(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]
    assert target.is_dir()


def test_strategy_notebook_summary() -> None:
    from stratkit.reporting.notebook import strategy_html

    if "kmpt_2023_26" not in stratkit.examples.names():
        pytest.skip("the KMPT example is not in this checkout")
    s = stratkit.examples.load("kmpt_2023_26")
    html = strategy_html(s)
    check_well_formed(html)
    assert ">72<" in html
    assert "People we care for" in html
    assert s._repr_html_() == html
