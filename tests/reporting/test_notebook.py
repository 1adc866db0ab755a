"""Notebook displays: an outcome's card, an SPC chart, ``SPCResult.plot`` and ``chart_svg``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
import numpy as np
import pytest
from test_report_edges import check_well_formed

import stratkit
from stratkit.reporting.svg import chart_svg

matplotlib = pytest.importorskip("matplotlib")  # in the test extra; skipped only without it
matplotlib.use("Agg")


def _dates(n: int) -> list[dt.date]:
    return [dt.date(2023 + (m // 12), m % 12 + 1, 28) for m in range(n)]


@pytest.fixture
def shifted() -> Any:
    """A series with a clear shift up: special-cause improvement points, a target."""
    values = [10.0] * 5 + [11.0, 9.0] * 5 + [15.0, 16.0, 15.5, 16.5, 15.0, 16.0, 15.5, 16.2]
    return stratkit.spc(values, _dates(len(values)), target=14.0)


def _charted(ev: Any) -> Any:
    return next(r for r in ev if r.spc is not None)


def test_outcome_result_html_is_the_reports_card_with_its_chart(sample_evaluation: Any) -> None:
    from stratkit.reporting.html import render_html

    result = _charted(sample_evaluation)
    html = result._repr_html_()
    check_well_formed(html)
    card = re.search(r"<section class=\"card.*?</section>", html, re.S)
    assert card is not None
    assert card.group(0) in render_html(sample_evaluation)  # the same card as the report
    assert 'class="spc"' in html  # the chart
    assert result.status.label in html
    assert "<style>" in html
    for rule in _css_rules(html):  # the pack's styles, kept to the card
        assert rule.startswith((".stratkit-card", "@media screen", "}")), rule
    assert "@page" not in html


def _css_rules(html: str) -> list[str]:
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    return [line.strip() for line in css.splitlines() if line.strip()]


def test_a_result_without_data_still_shows_its_card(sample_evaluation: Any) -> None:
    result = next(r for r in sample_evaluation if r.series is None)
    html = result._repr_html_()
    check_well_formed(html)
    assert f"{result.outcome_id} {result.outcome.statement}"[:30] in html
    assert result.status.label in html
    assert 'class="spc"' not in html  # nothing to chart


def test_hostile_text_stays_text_in_the_card(hostile_evaluation: Any) -> None:
    for result in hostile_evaluation:
        html = result._repr_html_()
        check_well_formed(html)
        assert "<script>" not in html
        assert "<img" not in html
        assert "&lt;script&gt;" in html


def test_spc_result_html_is_its_chart(shifted: Any) -> None:
    html = shifted._repr_html_()
    assert html == chart_svg(shifted)
    check_well_formed(html)


def test_chart_svg_accepts_an_spc_result(shifted: Any) -> None:
    svg = chart_svg(shifted)
    assert svg is not None
    check_well_formed(svg)
    present = int(np.isfinite(shifted.values).sum())
    assert svg.count("<circle cx=") == present + 2  # the points, and two legend dots
    assert "special cause, improvement" in svg
    assert "target" in svg  # the SPC result's own target is drawn


def test_plot_draws_every_point_and_the_limits(shifted: Any) -> None:
    ax = shifted.plot(title="Shift")
    try:
        assert ax.get_title() == "Shift"
        plotted = sum(len(c.get_offsets()) for c in ax.collections)
        assert plotted == int(np.isfinite(shifted.values).sum())
        labels = ax.get_legend_handles_labels()[1]
        assert {"mean", "process limits", "target", "improvement"} <= set(labels)
        lines = {line.get_label(): line for line in ax.get_lines()}
        np.testing.assert_allclose(
            lines["mean"].get_ydata(), shifted.mean[shifted.rebase_group == 0]
        )
    finally:
        import matplotlib.pyplot as plt

        plt.close(ax.figure)


def test_plot_draws_on_the_axes_given(sample_evaluation: Any) -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    spc = _charted(sample_evaluation).spc
    assert spc.plot(ax) is ax
    assert len(ax.collections) >= 1


def test_plot_without_matplotlib_names_the_extra(
    shifted: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    with pytest.raises(stratkit.MissingExtraError, match=r"stratkit-nhs\[plot\]"):
        shifted.plot()


def test_a_result_knows_its_evaluation(sample_evaluation: Any) -> None:
    for result in sample_evaluation:
        assert result.evaluation is sample_evaluation
    alone = attrs.evolve(_charted(sample_evaluation), evaluation_loader=None)
    assert alone.evaluation is None
    check_well_formed(alone._repr_html_())  # a result on its own still shows its card
