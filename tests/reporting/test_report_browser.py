"""The HTML board pack in a real headless browser (Debian's ``chromium``).

Each page is loaded with every network request routed to a local proxy that
only counts them, and with the browser's console logged to stderr. The page
must make no request and log nothing; the hostile strategy's markup must stay
text (no script runs, no element is injected); a screenshot is taken.

Chromium's own background traffic (update checks to Google hosts) is not the
page's and is ignored; a control page with an external image shows that the
proxy does see the page's requests.
"""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from samples import evaluate_folder, write_sample

from stratkit.reporting import write_report

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium on PATH (apt-get install chromium)"
)

_BROWSER_HOSTS = (
    ".google.com",
    ".googleapis.com",
    ".gstatic.com",
    ".gvt1.com",
    ".googleusercontent.com",
    ".chromium.org",
)


class _Proxy:
    """A TCP listener that records the first line of every request and closes it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    data = conn.recv(4096)
                except OSError:
                    data = b""
                self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))

    def page_requests(self) -> list[str]:
        """Requests that are not Chromium's own background traffic."""
        out = []
        for line in self.requests:
            parts = line.split()
            target = parts[1] if len(parts) > 1 else line
            host = target.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
            if not host.endswith(_BROWSER_HOSTS):
                out.append(line)
        return out

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def proxy() -> Iterator[_Proxy]:
    p = _Proxy()
    yield p
    p.close()


def chromium(
    page: Path, tmp_path: Path, proxy: _Proxy, *args: str
) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        f"--proxy-server=http://127.0.0.1:{proxy.port}",
        "--proxy-bypass-list=<-loopback>",
        "--enable-logging=stderr",
        "--v=0",
        *args,
        page.resolve().as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(dom: str) -> _Tags:
    t = _Tags()
    t.feed(dom)
    return t


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def kmpt_report(kmpt: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(kmpt, tmp_path_factory.mktemp("kmpt") / "kmpt-report.html")


def test_harness_sees_page_requests_and_console(tmp_path: Path, proxy: _Proxy) -> None:
    page = tmp_path / "control.html"
    page.write_text(
        '<html><body><img src="http://example.org/x.png">'
        '<script>console.error("control")</script></body></html>',
        encoding="utf-8",
    )
    run = chromium(page, tmp_path, proxy, "--dump-dom")
    assert any("example.org" in r for r in proxy.page_requests()), proxy.requests
    assert any("control" in line for line in console(run.stderr)), run.stderr[-2000:]


def test_kmpt_report_renders_offline_without_errors(
    kmpt_report: Path, tmp_path: Path, proxy: _Proxy
) -> None:
    run = chromium(kmpt_report, tmp_path, proxy, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console(run.stderr) == []
    assert proxy.page_requests() == []
    dom = parse(run.stdout)
    tags = [t for t, _ in dom.tags]
    assert "script" not in tags
    assert tags.count("svg") > 50  # the charts and icons were parsed as SVG
    assert "KMPT 3 Year Strategy 2023-2026" in "".join(dom.text)

    shot = tmp_path / "kmpt.png"
    run = chromium(
        kmpt_report,
        tmp_path,
        proxy,
        f"--screenshot={shot}",
        "--window-size=1400,1000",
        "--hide-scrollbars",
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert png_size(shot) == (1400, 1000)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    assert proxy.page_requests() == []


def test_kmpt_report_prints_on_a4_landscape(
    kmpt_report: Path, tmp_path: Path, proxy: _Proxy
) -> None:
    import re

    pdf = tmp_path / "kmpt.pdf"
    run = chromium(kmpt_report, tmp_path, proxy, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert run.returncode == 0, run.stderr[-2000:]
    boxes = set(re.findall(rb"/MediaBox \[([^\]]*)\]", pdf.read_bytes()))
    assert boxes, "no page in the PDF"
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box.split())
        # A4 landscape: 297 mm x 210 mm = 841.9 pt x 595.3 pt
        assert abs((x1 - x0) - 841.9) < 1.5
        assert abs((y1 - y0) - 595.3) < 1.5


def _inert_dom(page: Path, tmp_path: Path, proxy: _Proxy) -> Any:
    """The page's DOM as Chromium built it, after checking that no script ran, nothing was
    fetched, and no element can run one (no script, image, frame or handler; no link
    other than to the page itself or the web)."""
    run = chromium(page, tmp_path, proxy, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert not any("pwned" in line for line in console(run.stderr)), console(run.stderr)
    assert console(run.stderr) == []
    assert proxy.page_requests() == []
    dom = parse(run.stdout)
    for tag, attrs in dom.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed")
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith(("#", "http://", "https://")), href
    return dom


def test_hostile_report_runs_no_script(tmp_path: Path, proxy: _Proxy) -> None:
    ev = evaluate_folder(write_sample(tmp_path / "hostile", hostile_text=True))
    page = write_report(ev, tmp_path / "hostile.html")
    dom = _inert_dom(page, tmp_path, proxy)
    text = "".join(dom.text)
    assert "<script>alert(" in text
    assert "onerror=console.error" in text


def test_hostile_commentary_and_branding_run_no_script(tmp_path: Path, proxy: _Proxy) -> None:
    import yaml
    from samples import HOSTILE, hostile_id

    from stratkit.reporting import load_pack

    folder = write_sample(tmp_path / "hostile", hostile_text=True)
    entry = {
        "outcome": hostile_id("4.1.2"),
        "period": "2025-03",
        "narrative": f"narrative {HOSTILE}",
        "actions": [f"action {HOSTILE}"],
        "owner": f"owner {HOSTILE}",
        "expected_recovery": "2025-09",
    }
    (folder / "commentary.yaml").write_text(
        yaml.safe_dump({"commentary": [entry]}, allow_unicode=True), encoding="utf-8"
    )
    name = f"</style><script>console.error('pwned-style')</script> {HOSTILE}"
    (folder / "branding.yaml").write_text(
        yaml.safe_dump({"name": name}, allow_unicode=True), encoding="utf-8"
    )
    ev = evaluate_folder(folder)
    page = write_report(ev, tmp_path / "hostile-pack.html", pack=load_pack(folder))
    dom = _inert_dom(page, tmp_path, proxy)
    text = "".join(dom.text)
    assert "narrative <script>alert(" in text  # the commentary, shown as text
    assert "action <script>alert(" in text
    assert "</style><script>console.error('pwned-style')</script>" in text  # the name
