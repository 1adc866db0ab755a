"""The KMPT board pack in print: the PDF from WeasyPrint (page count, the front page on
one page, page numbers and running header, a rendered page checked with poppler's
``pdftoppm``, no near-empty page), and the HTML printed and shown at 800 px in
headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from stratkit.reporting import report, write_report

PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
CHROMIUM = shutil.which("chromium")
MOST_PAGES = 40


@pytest.fixture(scope="module")
def document(kmpt: Any) -> Any:
    weasyprint = pytest.importorskip("weasyprint")
    return weasyprint.HTML(string=report(kmpt, format="html")).render()


@pytest.fixture(scope="module")
def pdf(document: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "kmpt.pdf"
    document.write_pdf(path)
    return path


def test_kmpt_pack_prints_in_at_most_40_pages(document: Any) -> None:
    assert len(document.pages) <= MOST_PAGES


def test_front_page_is_one_page(document: Any) -> None:
    first, second = document.pages[0], document.pages[1]
    assert "front" in first.anchors
    assert "icon-summary" in second.anchors  # the summary table starts the second page
    assert all("front" not in p.anchors for p in document.pages[1:])


def test_every_card_starts_on_a_page(document: Any, kmpt: Any) -> None:
    anchors = [a for p in document.pages for a in p.anchors if a.startswith("outcome-")]
    assert sorted(anchors) == sorted(f"outcome-{r.outcome_id}" for r in kmpt.results)


def test_no_card_is_split_across_pages(document: Any, kmpt: Any) -> None:
    pages_of: dict[str, int] = {}
    for page in document.pages:
        # the layout boxes of the page (WeasyPrint's page box tree)
        seen = {
            box.element.get("id")
            for box in page._page_box.descendants()
            if getattr(box, "element", None) is not None
            and box.element.tag == "section"
            and (box.element.get("class") or "").startswith("card")
        }
        for ident in seen:
            pages_of[ident] = pages_of.get(ident, 0) + 1
    assert len(pages_of) == len(kmpt.results)
    assert [i for i, n in pages_of.items() if n > 1] == []


@pytest.mark.skipif(PDFTOTEXT is None, reason="needs poppler-utils (pdftotext)")
def test_page_numbers_and_running_header(pdf: Path, document: Any) -> None:
    n = len(document.pages)
    for page in (1, n):
        text = subprocess.run(
            [str(PDFTOTEXT), "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"Page {page} of {n}" in text
        assert "KMPT 3 Year Strategy 2023-2026" in text
        assert "Data as of 31 Mar 2025" in text
        assert "Illustrative data" in text  # invented data is labelled on every page


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5"
    width, height = int(parts[1]), int(parts[2])
    return width, height, parts[4][-width * height :]


@pytest.mark.skipif(PDFTOPPM is None, reason="needs poppler-utils (pdftoppm)")
def test_rendered_pages_are_a4_landscape_and_none_is_near_empty(
    pdf: Path, document: Any, tmp_path: Path
) -> None:
    subprocess.run([str(PDFTOPPM), "-r", "24", "-gray", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) == len(document.pages)
    for i, page in enumerate(pages):
        width, height, pixels = _pgm(page)
        assert abs(width / height - 297 / 210) < 0.02  # A4 landscape
        # the body, between the running header and the footer (15 mm and 14 mm)
        top, bottom = int(height * 16 / 210), int(height * (210 - 15) / 210)
        inked = [y for y in range(top, bottom) if min(pixels[y * width : (y + 1) * width]) < 200]
        assert inked, f"page {i + 1} is blank"
        if i < len(pages) - 1:  # every page but the last is at least a third full
            assert (inked[-1] - top) / (bottom - top) > 0.33, f"page {i + 1} is near empty"


@pytest.fixture(scope="module")
def kmpt_html(kmpt: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(kmpt, tmp_path_factory.mktemp("html") / "kmpt.html")


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_chromium_prints_the_pack_in_at_most_40_pages(kmpt_html: Path, tmp_path: Path) -> None:
    import re

    out = tmp_path / "kmpt.pdf"
    run = _chromium(
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--print-to-pdf={out}",
        "--no-pdf-header-footer",
        kmpt_html.as_uri(),
    )
    assert run.returncode == 0, run.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", out.read_bytes()))
    assert 0 < pages <= MOST_PAGES
    if PDFTOTEXT is not None:  # the front page is one page in Chromium too

        def page_text(n: int) -> str:
            return subprocess.run(
                [str(PDFTOTEXT), "-f", str(n), "-l", str(n), str(out), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout

        assert "Needs attention" in page_text(1)
        assert "Outcomes at a glance" in page_text(2)
        assert "Needs attention" not in page_text(2)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_nothing_overflows_at_800_px(kmpt_html: Path, tmp_path: Path) -> None:
    import re

    # a copy of the page with a probe script (the pack itself has none)
    probe = tmp_path / "probe.html"
    probe.write_text(
        kmpt_html.read_text(encoding="utf-8").replace(
            "</body>",
            "<script>document.title = 'width ' + document.documentElement.scrollWidth;"
            "</script></body>",
        ),
        encoding="utf-8",
    )
    run = _chromium(
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=800,900",
        "--dump-dom",
        probe.as_uri(),
    )
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r"<title>width (\d+)</title>", run.stdout)
    assert found is not None, run.stdout[:500]
    assert int(found.group(1)) <= 800
