"""The KMPT example's report: golden Markdown, deterministic HTML, and its structure.

Regenerate the golden file after an intended change with::

    STRATKIT_REGEN_GOLDEN=1 pytest tests/reporting/test_report_kmpt.py

and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from samples import evaluate_kmpt

from stratkit.reporting import report, write_report

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "kmpt_2023_26_report.md"


@pytest.fixture(scope="module")
def evaluation() -> Any:
    return evaluate_kmpt()


@pytest.fixture(scope="module")
def html(evaluation: Any) -> str:
    return report(evaluation, format="html")


def test_golden_markdown(evaluation: Any) -> None:
    text = report(evaluation, format="md")
    if os.environ.get("STRATKIT_REGEN_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8", newline="\n")
    assert GOLDEN.is_file(), "no golden file: run with STRATKIT_REGEN_GOLDEN=1"
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_same_input_same_bytes(evaluation: Any, html: str, tmp_path: Path) -> None:
    again = evaluate_kmpt()  # a fresh evaluation, not the cached one
    assert report(again, format="html") == html
    assert report(again, format="md") == report(evaluation, format="md")
    for fmt in ("table", "csv", "json"):
        assert report(again, format=fmt) == report(evaluation, format=fmt)
    a = write_report(evaluation, tmp_path / "a.html")
    b = write_report(again, tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes() == html.encode("utf-8")


def test_self_contained(html: str) -> None:
    assert "<script" not in html
    assert "<link" not in html
    assert "@import" not in html
    assert "url(" not in html
    assert not re.search(r"\ssrc=", html)
    # the only links: fragments inside the page, and http(s) source documents
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("#", "https://", "http://")), href


def test_printable_and_accessible(html: str, evaluation: Any) -> None:
    assert "size: A4 landscape" in html
    assert "counter(pages)" in html  # page numbers in print
    assert '<html lang="en-GB">' in html
    assert html.count("<h1>") == 1
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html
    # the status word is always printed beside its colour
    for r in evaluation.results:
        assert f'>{r.status.label} <span class="rag-word">({r.rag.value})</span>' in html
    assert html.count('role="img"') >= sum(1 for r in evaluation.results if r.spc is not None)


def test_contents(html: str, evaluation: Any) -> None:
    s = evaluation.strategy
    assert s.title in html
    assert s.organisation.name in html
    assert "Data as of 31 Mar 2025" in html
    assert "Illustrative data" in html  # the banner: the example's data is invented
    assert "Mission:" in html
    assert "Vision:" in html
    for r in evaluation.results:
        assert f'id="outcome-{r.outcome_id}"' in html
    for a in s.ambitions:
        assert f'<th scope="row">{a.id}</th>' in html
    charts = html.count('class="spc"')
    assert charts == sum(
        1
        for r in evaluation.results
        if r.spc is not None or (r.series is not None and len(r.series) > 0)
    )
    assert "process limits" in html
    assert "improvement" in html


def test_real_data_has_no_banner(evaluation: Any) -> None:
    import attrs

    real = attrs.evolve(evaluation, illustrative=False)
    assert "Illustrative data" not in report(real, format="html")
    assert "Illustrative data" not in report(real, format="md")
