"""The portfolio pack and table: golden text for the A&E example, deterministic, escaped.

Regenerate the golden file after an intended change with::

    STRATKIT_REGEN_GOLDEN=1 pytest tests/portfolio/test_portfolio_pack.py

and read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from portfolio_builders import rows, standard

import stratkit
from stratkit.portfolio import Entity, PortfolioEvaluation, evaluate_portfolio
from stratkit.portfolio.pack import render_pack, write_pack
from stratkit.portfolio.tabular import render_portfolio

AE = Path(__file__).resolve().parents[2] / "examples" / "nhs_ae_4h"
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "nhs_ae_4h_portfolio.txt"


def _ae() -> PortfolioEvaluation:
    return stratkit.evaluate(AE, AE / "observations.csv", by="org", entities=AE / "entities.csv")


@pytest.fixture(scope="module")
def ae() -> PortfolioEvaluation:
    return _ae()


def test_golden_table(ae: PortfolioEvaluation) -> None:
    text = render_portfolio(ae, format="table")
    if os.environ.get("STRATKIT_REGEN_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8", newline="\n")
    assert GOLDEN.is_file(), "no golden file: run with STRATKIT_REGEN_GOLDEN=1"
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_same_input_same_bytes(ae: PortfolioEvaluation, tmp_path: Path) -> None:
    again = _ae()
    a = write_pack(ae, tmp_path / "a.html")
    b = write_pack(again, tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
    assert ae.to_json() == again.to_json()


def test_the_pack_is_self_contained_and_escapes_what_it_is_given() -> None:
    evil = '<img src=x onerror="alert(1)">'
    pe = evaluate_portfolio(
        standard(),
        rows(["RX1", "RX2"]),
        entities=[Entity(code="RX1", name=evil, region="<b>North</b>", parent="QX1")],
    )
    html = render_pack(pe)
    assert "<img" not in html
    assert "<b>North" not in html
    assert "&lt;img src=x" in html
    assert "<script" not in html
    assert "<link" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_selection_shows_only_those_entities_and_refuses_unknown_codes(
    ae: PortfolioEvaluation,
) -> None:
    html = render_pack(ae, entities=["RCU"])
    assert html.count('class="multiple"') == 2
    assert "Portfolio of 1 of 274 entities" in html
    with pytest.raises(KeyError, match="NOPE"):
        render_pack(ae, entities=["NOPE"])
