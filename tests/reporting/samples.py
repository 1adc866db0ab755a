"""A small strategy and observations for report and CLI tests, plain or hostile.

``strategy_data(text)`` builds the strategy as plain data; ``text(name)`` gives
every piece of free text (titles, statements, notes, ids, ...), so the same
shape serves both a readable strategy and one whose every text field holds
hostile markup.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HOSTILE = (
    '<script>alert("x");console.error("pwned-script")</script>'
    "<img src=x onerror=console.error('pwned-onerror')>"
    '<a href="javascript:alert(2)">click</a>[md](javascript:alert(3))'
    "<svg onload=alert(4)></svg>' \" & | *"
)


def plain(name: str) -> str:
    return name


def hostile(name: str) -> str:
    return f"{name} {HOSTILE}"


def hostile_id(ident: str) -> str:
    # ids follow stratkit.model.ID_PATTERN (markup cannot get into one); these
    # use the characters it allows that mean something in anchors and selectors
    return f"{ident}:x_-.y"


def strategy_data(
    text: Callable[[str], str] = plain, ident: Callable[[str], str] = plain
) -> dict[str, Any]:
    """The sample strategy as data for a YAML file."""
    return {
        "title": text("Sample Trust Strategy 2023-2026"),
        "organisation": {"name": text("Sample NHS Trust"), "code": text("RZZ")},
        "period": {"start": "2023-04-01", "end": "2026-03-31"},
        "mission": text("Brilliant care through brilliant people"),
        "vision": text("Partners in the best care"),
        "values": [text("Respect"), text("Open")],
        "sources": [
            {
                "id": ident("src"),
                "title": text("The strategy document"),
                "url": "javascript:alert(9)"
                if text is not plain
                else "https://example.org/strategy",
                "publisher": text("Sample Trust"),
            }
        ],
        "ambitions": [
            {
                "id": ident("1"),
                "title": text("People we care for"),
                "kind": "ambition",
                "statement": text("We will care well"),
                "objectives": [
                    {
                        "id": ident("1.1"),
                        "title": text("Timely crisis care"),
                        "looks_like": [text("Fast triage")],
                        "outcomes": [
                            {
                                "id": ident("1.1.1"),
                                "statement": text(
                                    "95% of crisis presentations triaged within 1 hour"
                                ),
                                "owner": text("Chief Operating Officer"),
                                "delivery_year": 1,
                                "source": {"document": ident("src"), "location": text("page 4")},
                                "measure": {
                                    "name": text("Triage within 1 hour"),
                                    "unit": "%",
                                    "definition": text("Share triaged within one hour"),
                                    "numerator": text("Triaged in time"),
                                    "denominator": text("All presentations"),
                                    "data_source": text("Trust EPR"),
                                    "frequency": "monthly",
                                    "code": text("EPR-1"),
                                },
                                "target": {
                                    "kind": "level",
                                    "direction": "increase",
                                    "value": "95 %",
                                    "baseline": {
                                        "value": "80 %",
                                        "date": "2023-03-31",
                                        "period": text("March 2023"),
                                        "source": text("EPR"),
                                    },
                                    "deadline": "2026-03-31",
                                },
                                "notes": [text("Counted per presentation")],
                                "ambiguities": [
                                    {
                                        "about": text("target"),
                                        "question": text("Which ED?"),
                                        "chosen": text("All EDs"),
                                        "alternatives": [text("Main ED only")],
                                    }
                                ],
                            },
                            {
                                "id": ident("1.1.2"),
                                "statement": text("Decrease violence on wards by 15%"),
                                "measure": {
                                    "name": text("Incidents"),
                                    "unit": "incident",
                                    "frequency": "monthly",
                                },
                                "target": {
                                    "kind": "relative_change",
                                    "direction": "decrease",
                                    "change": "-15 %",
                                    "deadline": "2026-03-31",
                                },
                            },
                        ],
                    }
                ],
            },
            {
                "id": ident("4"),
                "title": text("Digital"),
                "kind": "enabler",
                "objectives": [
                    {
                        "id": ident("4.1"),
                        "title": text("Data for leaders"),
                        "outcomes": [
                            {
                                "id": ident("4.1.1"),
                                "statement": text(
                                    "Our leaders have increased access to reliable data"
                                ),
                            },
                            {
                                "id": ident("4.1.2"),
                                "statement": text("Vacancy rate down to 14%"),
                                "measure": {
                                    "name": text("Vacancy rate"),
                                    "unit": "%",
                                    "frequency": "monthly",
                                    "data_source": text("ESR"),
                                },
                                "target": {
                                    "kind": "level",
                                    "direction": "decrease",
                                    "value": "14 %",
                                    "baseline": {"value": "17 %", "date": "2023-03-31"},
                                    "interim": [
                                        {"date": "2024-03-31", "value": "16 %"},
                                        {"date": "2025-03-31", "value": "15 %"},
                                    ],
                                    "deadline": "2026-03-31",
                                },
                            },
                        ],
                    }
                ],
            },
        ],
    }


def observations_csv(ident: Callable[[str], str] = plain, *, illustrative: bool = True) -> str:
    """24 months of invented data for 1.1.1 and 4.1.2, and one row for an unknown id."""
    out = io.StringIO()
    if illustrative:
        out.write("# illustrative: invented data for tests\n")
    if ident is not plain:
        out.write(f"# source: {HOSTILE}\n")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["outcome_id", "period", "value", "unit", "note"])
    triage = [
        82,
        83,
        81,
        84,
        85,
        83,
        86,
        87,
        85,
        88,
        87,
        89,
        88,
        90,
        89,
        91,
        92,
        90,
        93,
        92,
        94,
        93,
        95,
        96,
    ]
    vacancy = [
        17.1,
        16.8,
        17.0,
        16.9,
        16.5,
        16.6,
        16.4,
        16.7,
        16.2,
        16.3,
        16.0,
        16.1,
        15.9,
        16.2,
        15.8,
        16.0,
        15.7,
        15.9,
        16.3,
        16.5,
        16.4,
        16.6,
        16.8,
        16.7,
    ]
    month = dt.date(2023, 4, 1)
    for a, b in zip(triage, vacancy, strict=True):
        period = f"{month.year:04d}-{month.month:02d}"
        w.writerow([ident("1.1.1"), period, a, "%", ""])
        w.writerow([ident("4.1.2"), period, b, "%", ""])
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    w.writerow(["9.9.9", "2024-01", 1, "%", "not in the strategy"])
    return out.getvalue()


def write_sample(folder: Path, *, hostile_text: bool = False, observations: bool = True) -> Path:
    """Write ``strategy.yaml`` (and ``observations.csv``) into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    text = hostile if hostile_text else plain
    ident = hostile_id if hostile_text else plain
    data = strategy_data(text, ident)
    (folder / "strategy.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    if observations:
        (folder / "observations.csv").write_text(observations_csv(ident), encoding="utf-8")
    return folder


def evaluate_folder(folder: Path, as_of: dt.date = dt.date(2025, 3, 31)) -> Any:
    """Load and evaluate a sample folder."""
    import stratkit
    from stratkit.evaluation import evaluate
    from stratkit.io import read_observations

    strategy = stratkit.load(folder)
    obs_file = folder / "observations.csv"
    observations = read_observations(obs_file) if obs_file.exists() else None
    return evaluate(strategy, observations, as_of=as_of)


KMPT_AS_OF = dt.date(2025, 3, 31)


def evaluate_kmpt() -> Any:
    """The KMPT 2023-26 example evaluated as of 31 March 2025 (skips without the example)."""
    import pytest

    import stratkit
    from stratkit._api import evaluate

    name = "kmpt_2023_26"
    if name not in stratkit.examples.names():
        pytest.skip("the KMPT example is not in this checkout")
    return evaluate(
        stratkit.examples.load(name), stratkit.examples.load_observations(name), as_of=KMPT_AS_OF
    )
