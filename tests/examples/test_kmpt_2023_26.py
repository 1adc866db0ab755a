"""The KMPT 2023-26 worked example: exact structure, fidelity to the source, every figure.

The source text shipped with the example is the reference: every statement in
``strategy.yaml`` must appear in it word for word, and every figure in an
outcome's words must be encoded in that outcome's target or measure.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import NamedTuple

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import stratkit
from stratkit.model import Baseline, Frequency, Outcome, Strategy
from stratkit.units import format_unit, parse_quantity, parse_unit

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "kmpt_2023_26"
SOURCE = FOLDER / "source" / "kmpt-strategy-2023-26.txt"
BRIEFING = FOLDER / "source" / "kmpt-strategy-briefing-2023-10-17.txt"
END = dt.date(2026, 3, 31)


def _norm(text: str) -> str:
    """Text with HTML tags, bullet characters, bold marks and runs of whitespace removed."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[•✦*]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def strategy() -> Strategy:
    return stratkit.load(FOLDER)


@pytest.fixture(scope="module")
def source_text() -> str:
    return _norm(SOURCE.read_text(encoding="utf-8"))


def _outcomes() -> list[Outcome]:
    return list(stratkit.load(FOLDER).outcomes())


# --- structure ----------------------------------------------------------------


def test_six_pillars_three_of_them_enablers(strategy: Strategy) -> None:
    assert [a.id for a in strategy.ambitions] == ["1", "2", "3", "4", "5", "6"]
    assert [a.kind.value for a in strategy.ambitions] == ["ambition"] * 3 + ["enabler"] * 3


def test_seventeen_objectives_in_order(strategy: Strategy) -> None:
    ids = [o.id for o in strategy.objectives()]
    assert ids == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "3.3",
        "4.1",
        "4.2",
        "4.3",
        "5.1",
        "5.2",
        "5.3",
        "6.1",
        "6.2",
    ]


def test_seventy_two_outcomes_split_as_the_briefing_says(strategy: Strategy) -> None:
    assert len(list(strategy.outcomes())) == 72
    assert [len(list(a.outcomes())) for a in strategy.ambitions] == [13, 17, 12, 10, 13, 7]


def test_outcome_ids_number_each_objective_in_source_order(strategy: Strategy) -> None:
    for objective in strategy.objectives():
        expected = [f"{objective.id}.{i}" for i in range(1, len(objective.outcomes) + 1)]
        assert [o.id for o in objective.outcomes] == expected


def test_organisation_period_and_values(strategy: Strategy) -> None:
    assert strategy.organisation.code == "RXY"
    assert any("RXY" in n and "third-party" in n for n in strategy.notes)
    assert "1.8 million" in (strategy.organisation.population_served or "")
    assert (strategy.period.start, strategy.period.end) == (dt.date(2023, 4, 1), END)
    assert len(strategy.period.year_ends()) == 3
    assert strategy.values == (
        "respect",
        "open",
        "accountable",
        "working together",
        "innovation",
        "excellence",
    )
    briefing = _norm(BRIEFING.read_text(encoding="utf-8"))
    assert "(respect, open, accountable, working together, innovation and excellence)" in briefing


def test_governance_is_the_briefings(strategy: Strategy) -> None:
    governance = strategy.governance
    assert governance is not None
    briefing = _norm(BRIEFING.read_text(encoding="utf-8"))
    # the overall cadence is not stated: each outcome's is derived from its forums
    assert governance.reporting_frequency is None
    assert {strategy.reporting_frequency_of(o.id) for o in strategy.outcomes()} == {
        Frequency.MONTHLY
    }
    forums = {f.name: f for f in governance.forums}
    assert list(forums)[:2] == ["Transformation Group", "Strategy Deployment Group"]
    for name in ("Transformation Group", "Strategy Deployment Group"):
        forum = forums[name]
        assert forum.frequency is Frequency.MONTHLY
        assert f"monthly {name}" in briefing or f"{name}, a monthly" in briefing
        assert len(forum.chairs) == 2
        # roles as the briefing writes them (8.1 breaks one across a page: "- Officer")
        assert all(chair in briefing.replace(" - ", " ") for chair in forum.chairs)
        assert forum.members == ()  # the briefing names no members' roles
        assert [i.about for i in forum.inferred] == ["reports_to"]  # the chain is a reading
    assert "agreed by the Board in March 2023" in briefing
    assert governance.approval is not None
    assert (governance.approval.body, governance.approval.date) == ("Trust Board", "2023-03")
    assert governance.executive_lead is not None
    assert f"Report from: Dr Adrian Richardson, {governance.executive_lead}" in briefing
    assert [i.about for i in governance.inferred] == ["executive_lead"]
    cited = [governance.source, governance.approval.source, *(f.source for f in forums.values())]
    assert all(c is not None and c.document == "medway-hasc-2023-10-17" for c in cited)
    # nobody's owner is invented, and every outcome is overseen by the three internal forums
    assert all(
        a.owner is None and all(o.owner is None for o in a.objectives) for a in strategy.ambitions
    )
    for outcome in strategy.outcomes():
        assert [f.name for f in strategy.forums_overseeing(outcome.id)] == [
            "Transformation Group",
            "Strategy Deployment Group",
            "Trust Board",
        ]


def test_mission_and_vision_are_the_sources(strategy: Strategy, source_text: str) -> None:
    assert strategy.mission is not None
    assert strategy.vision is not None
    assert _norm(strategy.mission) in source_text
    assert _norm(strategy.vision) in source_text


# --- fidelity -------------------------------------------------------------------


@pytest.mark.parametrize("outcome", _outcomes(), ids=lambda o: o.id)
def test_outcome_statement_is_verbatim(outcome: Outcome, source_text: str) -> None:
    assert _norm(outcome.statement) in source_text


def test_objective_titles_and_looks_like_are_verbatim(
    strategy: Strategy, source_text: str
) -> None:
    missing = [o.title for o in strategy.objectives() if _norm(o.title) not in source_text]
    missing += [
        s for o in strategy.objectives() for s in o.looks_like if _norm(s) not in source_text
    ]
    assert missing == []
    counts = [len(o.looks_like) for o in strategy.objectives()]
    assert counts == [3, 4, 2, 4, 3, 3, 2, 3, 3, 2, 3, 2, 1, 1, 3, 3, 2]


def test_ambition_statements_and_rationales_are_verbatim(
    strategy: Strategy, source_text: str
) -> None:
    for ambition in strategy.ambitions:
        assert ambition.statement is not None
        assert ambition.rationale is not None
        assert _norm(ambition.statement) in source_text
        for paragraph in ambition.rationale.split("\n\n"):
            assert _norm(paragraph) in source_text, (ambition.id, paragraph[:60])


def test_every_outcome_cites_its_objective(strategy: Strategy) -> None:
    for objective in strategy.objectives():
        for outcome in objective.outcomes:
            assert outcome.source is not None
            assert outcome.source.document == "kmpt-2023-26"
            assert f"objective {objective.id}," in (outcome.source.location or "")


def test_no_milestone_status_is_written() -> None:
    # The sources report no progress: a status in the file would be a claim.
    data = yaml.safe_load((FOLDER / "strategy.yaml").read_text(encoding="utf-8"))
    written = [
        (outcome["id"], milestone["name"])
        for ambition in data["ambitions"]
        for objective in ambition["objectives"]
        for outcome in objective["outcomes"]
        for milestone in (outcome.get("target") or {}).get("milestones", [])
        if "status" in milestone or "completed" in milestone
    ]
    assert written == []


def test_context_figures_of_the_text_are_kept(strategy: Strategy, source_text: str) -> None:
    notes = _norm(" ".join(strategy.notes))
    for quoted in (
        "Each year we care for over 2,000 people in our hospitals",
        "54,000 people in the community",
        "a workforce of over 3,700 people from 66 nationalities",
        "In February 2022 we retained our good overall rating from the care Quality Commission",
    ):
        assert quoted in source_text
        assert quoted in notes


def test_nothing_invented_about_owners_years_or_progress(strategy: Strategy) -> None:
    for outcome in strategy.outcomes():
        assert outcome.owner is None
        assert outcome.delivery_year is None
        if outcome.target is not None:
            assert outcome.target.interim == ()
            for milestone in outcome.target.milestones:
                assert milestone.status.value == "unknown"
                assert milestone.completed is None


# --- every figure in the strategy -----------------------------------------------


class Figure(NamedTuple):
    """One figure of the strategy and how its outcome must encode it."""

    oid: str
    kind: str
    direction: str
    unit: str | None
    """The measure's unit (``None``: no measure)."""
    field: str | None
    """The target field holding the figure."""
    figure: str | None
    threshold: str | None
    """The measure's threshold ("within 1 hour")."""
    baseline: str | None
    deadline: dt.date


FIGURES = [
    Figure(*row)
    for row in [
        ("1.1.1", "level", "increase", "%", "value", "95 %", "1 hour", None, END),
        ("1.1.2", "level", "increase", "%", "value", "95 %", "12 hours", None, END),
        ("1.1.3", "level", "increase", "%", "value", "95 %", "6 weeks", None, END),
        ("1.2.3", "relative_change", "increase", "%", "change", "10 %", None, None, END),
        (
            "1.2.4",
            "relative_change",
            "decrease",
            "incident / thousand_bed_day",
            "change",
            "-15 %",
            None,
            None,
            END,
        ),
        (
            "1.2.5",
            "relative_change",
            "decrease",
            "incident / thousand_bed_day",
            "change",
            "-10 %",
            None,
            None,
            END,
        ),
        ("1.2.6", "level", "increase", "%", "value", "100 %", None, None, END),
        ("1.3.1", "level", "increase", "%", "value", "90 %", None, None, END),
        ("1.3.2", "relative_change", "increase", "person", "change", "10 %", None, None, END),
        ("2.1.1", "level", "increase", "score", "value", "6.9 score", None, "6.6 score", END),
        ("2.1.2", "level", "increase", "score", "value", "5.5 score", None, "5.2 score", END),
        ("2.1.3", "benchmark", "decrease", "%", "benchmark", "15 %", None, None, END),
        ("2.1.4", "level", "towards", "%", "value", "0 %", None, None, END),
        ("2.1.5", "level", "decrease", "%", "value", "3.5 %", None, None, END),
        ("2.1.6", "level", "increase", "score", "value", "7.1 score", None, "6.9 score", END),
        ("2.1.7", "level", "increase", "score", "value", "6.9 score", None, "6.7 score", END),
        ("2.1.8", "level", "increase", "score", "value", "7.1 score", None, "6.9 score", END),
        ("2.2.1", "level", "decrease", "%", "value", "14 %", None, None, END),
        ("2.2.2", "level", "decrease", "%", "value", "3.7 %", None, None, END),
        ("2.2.3", "level", "decrease", "%", "value", "14 %", None, None, END),
        ("2.3.1", "level", "increase", "%", "value", "95 %", None, None, END),
        ("2.3.2", "point_change", "increase", "%", "change", "2 pp", None, None, END),
        ("2.3.3", "level", "increase", "%", "value", "90 %", None, None, END),
        ("2.3.4", "level", "increase", "score", "value", "7.9 score", None, "7.6 score", END),
        ("3.1.2", "level", "increase", "%", "value", "85 %", "24 hours", None, END),
        ("3.1.3", "level", "increase", "%", "value", "85 %", "4 weeks", None, END),
        ("3.2.2", "relative_change", "decrease", "bed_day", "change", "-75 %", None, None, END),
        ("3.2.3", "level", "decrease", "%", "value", "85 %", None, None, END),
        ("3.2.4", "level", "increase", "%", "value", "95 %", "4 hours", None, END),
        ("3.3.2", "level", "increase", "%", "value", "85 %", None, None, END),
        ("3.3.3", "level", "increase", "%", "value", "85 %", None, None, END),
        ("4.1.1", "relative_change", "decrease", "hour", "change", "-25 %", None, None, END),
        ("4.2.1", "level", "increase", "%", "value", "100 %", None, None, END),
        ("5.1.1", "recurring", "increase", "GBPm", "value", "0 GBP", None, None, END),
        (
            "5.2.1",
            "relative_change",
            "decrease",
            "tCO2e",
            "change",
            "-80 %",
            None,
            None,
            dt.date(2035, 3, 31),
        ),
        (
            "5.2.2",
            "relative_change",
            "decrease",
            "tCO2e",
            "change",
            "-25 %",
            None,
            None,
            dt.date(2025, 3, 31),
        ),
        ("5.2.3", "annual_rate", "decrease", "tonne", "rate", "-5 %", None, None, END),
        ("5.2.4", "annual_rate", "decrease", "m3", "rate", "-5 %", None, None, END),
        (
            "5.2.5",
            "direction_only",
            "increase",
            None,
            None,
            None,
            None,
            None,
            dt.date(2025, 3, 31),
        ),
        ("6.1.1", "relative_change", "decrease", "m2", "change", "-10 %", None, None, END),
    ]
]


def _figure_of(outcome: Outcome, field: str) -> object:
    assert outcome.target is not None
    if field == "benchmark":
        assert outcome.target.benchmark is not None
        return outcome.target.benchmark.value
    return getattr(outcome.target, field)


@pytest.mark.parametrize("row", FIGURES, ids=[f.oid for f in FIGURES])
def test_figure_is_encoded(strategy: Strategy, row: Figure) -> None:
    oid, kind, direction, unit, field, figure, threshold, baseline, deadline = row
    outcome = strategy.outcome(oid)
    target = outcome.target
    assert target is not None
    assert (target.kind.value, target.direction.value) == (kind, direction)
    assert target.deadline == deadline
    if unit is None:
        assert outcome.measure is None
    else:
        assert outcome.measure is not None
        assert outcome.measure.unit == parse_unit(unit), format_unit(outcome.measure.unit)
    if field is not None:
        encoded = _figure_of(outcome, field)
        assert encoded == parse_quantity(str(figure))
        assert str(encoded.units) == str(parse_quantity(str(figure)).units)
    found_threshold = None if outcome.measure is None else outcome.measure.threshold
    if threshold is None:
        assert found_threshold is None
    else:
        assert found_threshold == parse_quantity(threshold)
    if baseline is None:
        assert target.baseline_value is None
    else:
        assert target.baseline is not None
        assert target.baseline_value == parse_quantity(baseline)
        assert target.baseline.date is None  # the text gives no survey year


# Numbers in outcome statements that are not target figures, and why.
NOT_TARGET_FIGURES = {
    ("2.3.1", "6"): "6-weekly supervision: part of the measure's definition",
    ("2.3.2", "7"): "band 7: the population counted",
    ("2.3.3", "7"): "band 7: the population counted",
    ("3.3.4", "14"): "the 14 levelling up goals: a count of goals, not a target",
}


@pytest.mark.parametrize("outcome", _outcomes(), ids=lambda o: o.id)
def test_every_number_in_the_words_is_in_the_data(outcome: Outcome) -> None:
    numbers = re.findall(r"\d+(?:\.\d+)?", outcome.statement)
    encoded: set[float] = set()
    target, measure = outcome.target, outcome.measure
    if target is not None:
        for q in (
            target.value,
            target.change,
            target.rate,
            target.baseline_value,
            target.benchmark.value if target.benchmark else None,
        ):
            if q is not None:
                encoded.add(abs(float(q.magnitude)))
        if target.deadline is not None:
            encoded.add(float(target.deadline.year))
    if measure is not None and measure.threshold is not None:
        encoded.add(float(measure.threshold.magnitude))
    for number in numbers:
        if (outcome.id, number) in NOT_TARGET_FIGURES:
            # still recorded: in the measure's words or in a note
            words = list(outcome.notes)
            if measure is not None:
                words += [measure.name, measure.numerator or "", measure.denominator or ""]
            assert any(re.search(rf"\b{number}\b", w) for w in words), (outcome.id, number)
            continue
        assert float(number) in encoded, f"{outcome.id}: {number} from {outcome.statement!r}"


def test_figured_outcomes_are_all_in_the_table(strategy: Strategy) -> None:
    figured = {o.id for o in strategy.outcomes() if re.search(r"\d", o.statement)} - {
        oid for oid, _ in NOT_TARGET_FIGURES
    }
    assert figured <= {f[0] for f in FIGURES}


def test_explicit_bound_where_the_text_spells_it(strategy: Strategy) -> None:
    assert strategy.outcome("2.2.3").target.bound.value == "at_most"  # type: ignore[union-attr]
    assert strategy.outcome("2.2.1").target.bound.value == "at_most"  # type: ignore[union-attr]
    recurring = strategy.outcome("5.1.1").target
    assert recurring is not None
    assert recurring.every is not None
    assert recurring.every.value == "annual"
    assert recurring.bound is not None
    assert recurring.bound.value == "at_least"


def test_eliminate_is_zero_and_milestones_are_milestones(strategy: Strategy) -> None:
    for oid in ("1.1.4", "5.1.2"):
        target = strategy.outcome(oid).target
        assert target is not None
        assert (target.kind.value, target.direction.value) == ("zero", "decrease")
    ruby = strategy.outcome("6.2.3").target
    assert ruby is not None
    assert ruby.kind.value == "milestone"
    assert [m.name for m in ruby.milestones] == ["Ruby Ward build completed"]
    teaching = strategy.outcome("2.2.4").target
    assert teaching is not None
    assert teaching.kind.value == "milestone"


# --- judgement calls are written down ---------------------------------------------

AMBIGUITIES = {
    "1.1.1": "measure",
    "1.1.2": "measure",
    "1.2.3": "target.change",
    "2.1.4": "target.value",
    "2.1.5": "measure",
    "2.2.2": "measure",
    "2.3.2": "target.change",
    "5.2.1": "target.deadline",
    "5.2.2": "target.deadline",
    "5.2.3": "target.deadline",
    "5.2.4": "target.deadline",
    "3.2.3": "target",
    "5.1.1": "measure",
    "6.1.1": "measure",
}


@pytest.mark.parametrize(("oid", "about"), sorted(AMBIGUITIES.items()))
def test_ambiguity_recorded(strategy: Strategy, oid: str, about: str) -> None:
    outcome = strategy.outcome(oid)
    entry = next(a for a in outcome.ambiguities if a.about == about)
    assert entry.chosen
    assert entry.alternatives


def test_unknown_baselines_are_said_not_invented(strategy: Strategy) -> None:
    for outcome in strategy.outcomes():
        target = outcome.target
        if target is None or target.kind.value not in (
            "relative_change",
            "point_change",
            "annual_rate",
        ):
            continue
        assert target.baseline_value is None, outcome.id
        assert target.target_level() is None
        assert any("baseline" in n and "until" in n for n in outcome.notes), outcome.id


def test_unmeasurable_outcomes_say_what_would_make_them_measurable(strategy: Strategy) -> None:
    bare = [
        o
        for o in strategy.outcomes()
        if o.measure is None and (o.target is None or o.target.kind.value == "direction_only")
    ]
    assert {o.id for o in bare} >= {
        "1.2.2",
        "3.3.1",
        "3.3.4",
        "4.1.2",
        "4.1.3",
        "5.1.4",
        "5.3.1",
        "6.1.4",
        "6.2.2",
    }
    for outcome in bare:
        assert any("measurable" in n for n in outcome.notes), outcome.id


def test_burnout_polarity_is_higher_is_better(strategy: Strategy) -> None:
    burnout = strategy.outcome("2.1.2")
    assert burnout.direction is not None
    assert burnout.direction.value == "increase"
    assert any("higher-is-better" in n for n in burnout.notes)


_CHANGING = [
    o
    for o in _outcomes()
    if o.target is not None
    and o.target.kind.value in ("relative_change", "point_change", "annual_rate")
]


@pytest.mark.parametrize("outcome", _CHANGING, ids=lambda o: o.id)
@given(start=st.floats(min_value=1.0, max_value=90.0))
def test_any_recorded_baseline_gives_a_target_on_the_better_side(
    outcome: Outcome, start: float
) -> None:
    # The encoding's sign and direction agree: whatever baseline KMPT records,
    # the target level is an improvement on it.
    assert outcome.target is not None
    assert outcome.measure is not None
    unit = format_unit(outcome.measure.unit)
    base = parse_quantity(f"{start} {unit}")
    target = attrs.evolve(outcome.target, baseline=Baseline(value=base, date=dt.date(2023, 3, 31)))
    level = target.target_level()
    assert level is not None
    moved = float(level.to(base.units).magnitude) - start
    assert moved > 0 if target.direction.value == "increase" else moved < 0


def test_readme_lists_every_ambiguity(strategy: Strategy) -> None:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8").splitlines()
    for outcome in strategy.outcomes():
        rows = [line for line in readme if line.startswith(f"| {outcome.id} |")]
        for ambiguity in outcome.ambiguities:
            assert any(f"`{ambiguity.about}`" in row for row in rows), (
                outcome.id,
                ambiguity.about,
            )


def test_readme_guides_another_trust() -> None:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "stratkit init my-trust --from kmpt_2023_26" in readme
    assert "stratkit validate my-trust" in readme


# --- loading ---------------------------------------------------------------------


def test_loads_through_stratkit_examples(strategy: Strategy) -> None:
    assert {"kmpt_2023_26", "kmpt_2020_23"} <= set(stratkit.examples.names())
    assert stratkit.examples.load("kmpt_2023_26") == strategy
    observations = stratkit.examples.load_observations("kmpt_2023_26")
    assert observations.illustrative is True


def test_save_and_load_gives_the_same_strategy(strategy: Strategy, tmp_path: Path) -> None:
    path = stratkit.save(strategy, tmp_path / "strategy.yaml")
    assert stratkit.load(path) == strategy


def test_the_readme_counts_the_shares_with_a_range(strategy: Strategy) -> None:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"every measure that is a share of a whole \((\d+) of them", readme)
    assert stated is not None
    share = (parse_quantity("0 %"), parse_quantity("100 %"))
    with_range = [
        o.id for o in strategy.outcomes() if o.measure is not None and o.measure.range == share
    ]
    assert len(with_range) == int(stated.group(1))


@pytest.mark.parametrize("name", ["kmpt_2023_26", "kmpt_2020_23"])
def test_no_note_or_comment_names_a_milestone_default_the_model_does_not_have(name: str) -> None:
    # the model's default milestone status is `unknown` (progress not reported)
    folder = FOLDER.parent / name
    for path in [folder / "strategy.yaml", folder / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert "not_started" not in text.replace("`not_started`", ""), path
        assert "not started" not in text.lower(), path
