"""Governance in the model: forums, oversight, lead, approval, cadence, inferences."""

from __future__ import annotations

import textwrap

import pytest

import stratkit
from stratkit.errors import InvalidStrategyError, StrategyFileError
from stratkit.model import (
    Approval,
    Forum,
    Frequency,
    Governance,
    Inference,
    SourceRef,
    governance_findings,
)

BASE = """\
stratkit_format: 1
title: Example NHS Trust Strategy 2024-2027 (illustrative)
organisation: {name: Example NHS Trust}
period: {start: 2024-04-01, end: 2027-03-31}
%s
ambitions:
  - id: "1"
    title: Care
    owner: Chief Nurse
    objectives:
      - id: "1.1"
        title: Access
        owner: Chief Operating Officer
        outcomes:
          - {id: "1.1.1", statement: Faster access, owner: Director of Operations}
          - {id: "1.1.2", statement: Shorter waits, reporting_frequency: quarterly}
      - id: "1.2"
        title: Safety
        outcomes:
          - {id: "1.2.1", statement: Fewer incidents}
  - id: "2"
    title: People
    objectives:
      - id: "2.1"
        title: Culture
        outcomes:
          - {id: "2.1.1", statement: Staff feel heard}
"""


def strategy(block: str) -> stratkit.Strategy:
    return stratkit.loads(BASE % textwrap.dedent(block).strip())


GOVERNED = """
governance:
  executive_lead: Director of Strategy
  approval: {body: Trust Board, date: 2024-03}
  forums:
    - name: Trust Board
      oversees: ["1", "2"]
    - name: Quality Committee
      frequency: monthly
      chairs: [Non-executive Director]
      members: [Chief Nurse, Medical Director]
      reports_to: Trust Board
      oversees: ["1.2"]
    - name: Access Group
      frequency: weekly
      reports_to: Quality Committee
      oversees: ["1.1.1"]
"""


def test_a_forum_oversees_outcomes_down_from_ambitions_and_objectives() -> None:
    s = strategy(GOVERNED)
    assert [o.id for o in s.overseen_by("Trust Board")] == ["1.1.1", "1.1.2", "1.2.1", "2.1.1"]
    assert [o.id for o in s.overseen_by("Quality Committee")] == ["1.2.1"]
    assert [o.id for o in s.overseen_by("Access Group")] == ["1.1.1"]
    assert [f.name for f in s.forums_overseeing("1.1.1")] == ["Trust Board", "Access Group"]
    with pytest.raises(KeyError, match=r"no forum 'Board'.*'Trust Board'"):
        s.overseen_by("Board")


def test_owner_and_reporting_cadence_fall_back_to_the_level_above() -> None:
    s = strategy(GOVERNED)
    assert s.owner_of("1.1.1") == "Director of Operations"
    assert s.owner_of("1.1.2") == "Chief Operating Officer"
    assert s.owner_of("1.2.1") == "Chief Nurse"
    assert s.owner_of("2.1.1") is None
    assert s.reporting_frequency_of("1.1.2") is Frequency.QUARTERLY  # its own
    assert s.reporting_frequency_of("1.1.1") is Frequency.WEEKLY  # the most frequent forum
    assert s.reporting_frequency_of("1.2.1") is Frequency.MONTHLY
    assert s.reporting_frequency_of("2.1.1") is None  # the Board's frequency is not given


def test_cadence_defaults_to_the_governance_when_no_forum_says() -> None:
    s = strategy("governance: {reporting_frequency: quarterly}")
    assert s.reporting_frequency_of("2.1.1") is Frequency.QUARTERLY


@pytest.mark.parametrize(
    ("block", "path", "message"),
    [
        (
            "governance: {forums: [{name: Board, reports_to: Bord}]}",
            "governance.forums[0].reports_to",
            "unknown forum 'Bord'",
        ),
        (
            "governance: {forums: [{name: A, reports_to: B}, {name: B, reports_to: A}]}",
            "governance.forums[0].reports_to",
            "in a circle",
        ),
        (
            "governance: {forums: [{name: A, oversees: ['1.3']}]}",
            "governance.forums[0].oversees[0]",
            "unknown ambition, objective or outcome '1.3'",
        ),
        (
            "governance: {forums: [{name: A}, {name: A}]}",
            "governance.forums[1].id",
            "duplicate forum id 'A'",
        ),
        (
            "governance: {approval: {body: Board, date: March 2023}}",
            "governance.approval.date",
            "not a date",
        ),
        (
            "governance: {forums: [{name: A, inferred: [{about: reports_to, reason: r}]}]}",
            "governance.forums[0].inferred[0].about",
            "'reports_to' is empty",
        ),
    ],
)
def test_governance_references_are_checked_with_their_place(
    block: str, path: str, message: str
) -> None:
    with pytest.raises(StrategyFileError) as info:
        strategy(block)
    found = [(p.path, p.message) for p in info.value.problems]
    assert any(p == path and message in m for p, m in found), found
    assert all(p.line is not None for p in info.value.problems)


def test_a_forum_cannot_report_to_itself() -> None:
    with pytest.raises(InvalidStrategyError, match="cannot report to itself"):
        Forum(name="Board", reports_to="Board")


def test_an_inference_must_name_a_field() -> None:
    with pytest.raises(InvalidStrategyError, match="no field 'chair'"):
        Forum(name="A", chairs=["CFO"], inferred=[Inference(about="chair", reason="r")])


def test_lint_finds_outcomes_no_forum_oversees() -> None:
    s = strategy(GOVERNED.replace('oversees: ["1", "2"]', 'oversees: ["1"]'))
    findings = governance_findings(s)
    assert [(f.code, f.outcome_id) for f in findings] == [("SK409", "2.1.1")]
    assert governance_findings(strategy(GOVERNED)) == ()


def test_without_governance_every_outcome_is_a_finding() -> None:
    s = strategy("")
    assert [f.outcome_id for f in governance_findings(s)] == ["1.1.1", "1.1.2", "1.2.1", "2.1.1"]


SOURCED = """
sources: [{id: briefing, title: Board briefing}]
governance:
  executive_lead: Director of Strategy
  source: {document: briefing, location: page 1}
  approval: {body: Trust Board, date: 2024-03}
  forums:
    - name: Trust Board
      oversees: ["1", "2"]
      source: {document: briefing, location: "8.3"}
    - name: Quality Committee
      reports_to: Trust Board
      oversees: ["1", "2"]
      inferred:
        - {about: reports_to, reason: the briefing says only that progress reaches the Board}
"""


def test_unflagged_inferences_are_found_in_a_strategy_encoded_from_sources() -> None:
    s = strategy(SOURCED)
    unflagged = [(f.code, f.path) for f in governance_findings(s)]
    # the approval cites nothing; the committee's oversight is neither cited nor flagged;
    # nor are the owners and the cadence the sample gives without citing a source
    assert unflagged == [
        ("SK410", "governance.approval.body"),
        ("SK410", "governance.approval.date"),
        ("SK410", "governance.forums[1].oversees"),
        ("SK410", "ambitions[0].owner"),
        ("SK410", "ambitions[0].objectives[0].owner"),
        ("SK410", "ambitions[0].objectives[0].outcomes[0].owner"),
        ("SK410", "ambitions[0].objectives[0].outcomes[1].reporting_frequency"),
    ]
    assert governance_findings(s)[0].message == (
        "approval: body neither cites a source nor is marked inferred"
    )


def test_a_source_that_is_not_listed_is_an_error() -> None:
    with pytest.raises(StrategyFileError, match="unknown source 'minutes'"):
        strategy(SOURCED.replace("document: briefing, location: page 1", "document: minutes"))


def test_governance_round_trips_through_the_file_format() -> None:
    s = strategy(SOURCED)
    assert stratkit.loads(stratkit.dumps(s)) == s
    assert stratkit.loads(stratkit.dumps(s, format="json")) == s


def test_built_in_python() -> None:
    gov = Governance(
        executive_lead="Chief Executive",
        approval=Approval(body="Board", date="2024", source=SourceRef(document="d")),
        forums=[Forum(name="Board", frequency="monthly", oversees=["1"])],
    )
    assert gov.forum("Board").frequency is Frequency.MONTHLY
    with pytest.raises(KeyError, match="the forums are 'Board'"):
        gov.forum("Committee")


def test_the_kmpt_example_has_no_unflagged_inference_and_every_outcome_overseen() -> None:
    s = stratkit.examples.load("kmpt_2023_26")
    assert governance_findings(s) == ()
    assert len(s.overseen_by("Transformation Group")) == 72
    assert s.reporting_frequency_of("2.2.1") is Frequency.MONTHLY
