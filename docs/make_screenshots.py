"""Make the board pack screenshots shown in the docs (the front page and one card).

Run from the repository root, with Debian's chromium installed::

    .venv/bin/python docs/make_screenshots.py

It renders the KMPT example's pack (illustrative data, as of 2025-03-31), cuts out
the front page and the card of outcome 2.2.1, and photographs each in headless
Chromium into docs/_static/pack-front.png and docs/_static/pack-card.png (and the
top of the whole pack, for the README, into docs/_static/report-screenshot.png).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import stratkit
from stratkit._api import evaluate
from stratkit.reporting import report

STATIC = Path(__file__).resolve().parent / "_static"
CARD = "2.2.1"


def shoot(html: str, out: Path, width: int, height: int) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(  # noqa: S603 - chromium from PATH, our own arguments
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--hide-scrollbars",
                f"--user-data-dir={Path(tmp) / 'profile'}",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    print(f"wrote {out}")


def main() -> None:
    name = "kmpt_2023_26"
    ev = evaluate(
        stratkit.examples.load(name),
        stratkit.examples.load_observations(name),
        as_of=dt.date(2025, 3, 31),
    )
    html = report(ev, format="html")
    head, body_end = html[: html.index("<body>") + 6], "</body></html>\n"
    front = html[html.index('<section class="front"') : html.index("<nav")]
    shoot(head + front + body_end, STATIC / "pack-front.png", 1200, 800)
    card = re.search(
        rf'<section class="card[^"]*" id="outcome-{re.escape(CARD)}".*?</section>', html, re.S
    )
    assert card is not None
    shoot(head + card.group(0) + body_end, STATIC / "pack-card.png", 1200, 420)
    # the README's picture: the top of the whole pack
    shoot(html, STATIC / "report-screenshot.png", 1400, 1000)


if __name__ == "__main__":
    main()
