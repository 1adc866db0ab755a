"""Control characters and Unicode bidi overrides in any text field are neutralised
in the HTML pack, as they are in Markdown and on the terminal: shown as
``\\u202e``-style escapes, never passed to the reader's browser raw."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from samples import evaluate_folder, observations_csv, strategy_data

from stratkit.reporting import report
from stratkit.reporting.html import esc, render_card
from stratkit.reporting.notebook import evaluation_html, strategy_html
from stratkit.reporting.pack import load_pack

# a right-to-left override that makes "gnp.exe" read "exe.png", an isolate, a
# terminal title sequence, zero-width and BOM characters, a C1 control, a line
# separator, and HTML specials to show nothing is escaped twice
CONTROLS = "\u202egnp.exe\u202c \u2066x\u2069 \x1b]0;PWNED\x07 a\u200bb\ufeff\x85\u2028 <&>"
# what neutralise leaves of it, as the reader sees the page's text
SHOWN = "\\u202egnp.exe\\u202c \\u2066x\\u2069 \\x1b]0;PWNED\\x07 a\\u200bb\\ufeff\\x85\\u2028 <&>"
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


def _text(name: str) -> str:
    return f"{name} {CONTROLS}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("controls")
    (root / "strategy.yaml").write_text(
        yaml.safe_dump(strategy_data(_text), sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    rows = observations_csv().replace(
        "# illustrative: invented data for tests\n",
        f"# illustrative: invented data for tests\n# source: {CONTROLS}\n",
    )
    head, _, tail = rows.rpartition("\n1.1.1,2025-03,")
    value_row, _, rest = tail.partition("\n")
    note = '"' + f"note {CONTROLS}".replace('"', '""') + '"'
    rows = f"{head}\n1.1.1,2025-03,{value_row.rstrip(',')},{note}\n{rest}"
    (root / "observations.csv").write_text(rows, encoding="utf-8")
    comment = {
        "outcome": "1.1.1",
        "period": "2025-03",
        "narrative": _text("Referrals rose"),
        "actions": [_text("Two more nurses")],
        "owner": _text("Director of Nursing"),
        "expected_recovery": "2025-09",
    }
    (root / "commentary.yaml").write_text(
        yaml.safe_dump({"commentary": [comment]}, allow_unicode=True), encoding="utf-8"
    )
    (root / "branding.yaml").write_text(
        yaml.safe_dump({"name": _text("Example NHS Trust")}, allow_unicode=True),
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def evaluation(folder: Path) -> Any:
    return evaluate_folder(folder)


def _assert_neutral(html: str, at_least: int) -> None:
    found = UNSAFE.search(html)
    assert found is None, html[max(found.start() - 80, 0) : found.end() + 80]
    assert "&amp;amp;" not in html  # nothing escaped twice
    assert "&amp;lt;" not in html
    assert unescape(html).count(SHOWN) >= at_least


def test_the_pack_neutralises_every_field(folder: Path, evaluation: Any) -> None:
    html = report(evaluation, format="html", pack=load_pack(folder))
    # the title, organisation, mission, vision, values, source, ambitions,
    # objectives, outcomes, the data's source line, the commentary and the branding
    _assert_neutral(html, at_least=20)
    # the print header's CSS string: the escape shown as text, not a CSS escape of U+202E
    assert "\\202e" not in html
    for field in ("Referrals rose", "Two more nurses", "Director of Nursing", "Example NHS Trust"):
        assert f"{field} {SHOWN}" in unescape(html), field


def test_a_card_and_the_notebook_views_neutralise_too(folder: Path, evaluation: Any) -> None:
    pack = load_pack(folder)
    for result in evaluation:
        _assert_neutral(render_card(result, evaluation, pack=pack), at_least=1)
    _assert_neutral(evaluation_html(evaluation), at_least=1)
    _assert_neutral(strategy_html(evaluation.strategy), at_least=1)


def test_markdown_and_the_table_agree(evaluation: Any) -> None:
    assert UNSAFE.search(report(evaluation, format="md")) is None
    assert UNSAFE.search(report(evaluation, format="table")) is None


def test_a_trusts_own_template_cannot_print_them_raw(folder: Path, evaluation: Any) -> None:
    templates = folder.parent / "own-templates"
    templates.mkdir(exist_ok=True)
    # |e and a macro's output are markup, not text: they are neutralised all the same
    (templates / "card.html.j2").write_text(
        "{% macro m(t) %}<i>{{ t|e }}</i>{% endmacro %}"
        "<p>{{ card.statement|e }}</p>{{ m(card.statement) }}",
        encoding="utf-8",
    )
    pack = load_pack(folder)
    own = type(pack)(commentary=pack.commentary, branding=pack.branding, templates=templates)
    html = render_card(next(iter(evaluation)), evaluation, pack=own)
    _assert_neutral(html, at_least=2)


def test_esc_neutralises_without_escaping_twice() -> None:
    assert esc("a\u202eb <c>") == "a\\u202eb &lt;c&gt;"
    assert esc(None) == ""
