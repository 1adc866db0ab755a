# mypy: disable-error-code="misc"
# (attrs converters made by factories, so that their errors name the field, are
# beyond mypy's attrs plugin; the fields' own types are still checked.)
"""Governance: who leads the strategy, who approved it, which forum oversees what.

Every field is optional: a strategy file says only what its sources say. A
value read in a source cites it (``source``); a value the encoder inferred
says so in ``inferred``, so that a reader can tell the two apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs

from stratkit.model._common import (
    Frequency,
    Problems,
    brief,
    check_unique,
    enum_converter,
    non_empty_text,
    optional_text,
    plural,
    to_tuple,
    tuple_of,
)
from stratkit.model.outcome import Inference, SourceRef

__all__ = [
    "Approval",
    "Forum",
    "Governance",
    "GovernanceFinding",
    "check_inferences",
    "governance_findings",
]

_DATE_TEXT = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_inferences(obj: Any, p: Problems) -> None:
    """Each of ``obj.inferred`` must name one of its fields that holds a value."""
    names = {f.name for f in attrs.fields(type(obj)) if f.name not in ("inferred", "source")}
    for i, inference in enumerate(obj.inferred):
        field = re.split(r"[.\[]", inference.about, maxsplit=1)[0]
        if field not in names:
            p.add(
                f"inferred[{i}].about",
                f"no field {field!r} in {type(obj).__name__}",
                expected="one of " + ", ".join(sorted(names)),
                found=repr(inference.about),
            )
        elif getattr(obj, field) in (None, ()):
            p.add(
                f"inferred[{i}].about",
                f"{field!r} is empty: an inference needs a value it explains",
                found=repr(inference.about),
            )


_INFERRED: Any = {"default": (), "converter": to_tuple, "validator": tuple_of(Inference)}
_SOURCE: Any = {
    "default": None,
    "validator": attrs.validators.optional(attrs.validators.instance_of(SourceRef)),
}


@attrs.frozen(kw_only=True)
class Approval:
    """Who approved the strategy, and when."""

    body: str = attrs.field(validator=non_empty_text)
    """The approving body ("Trust Board")."""
    date: str | None = attrs.field(default=None, validator=optional_text)
    """As precisely as known: ``"2023"``, ``"2023-03"`` or ``"2023-03-29"``."""
    source: SourceRef | None = attrs.field(**_SOURCE)
    inferred: tuple[Inference, ...] = attrs.field(**_INFERRED)

    def __repr__(self) -> str:
        when = f" {brief(self.date, 12)}" if self.date else ""
        return f"<Approval by {brief(self.body)}{when}>"

    def __attrs_post_init__(self) -> None:
        p = Problems()
        if self.date is not None and not _DATE_TEXT.match(self.date.strip()):
            p.add(
                "date",
                "not a date",
                expected="YYYY, YYYY-MM or YYYY-MM-DD",
                found=repr(self.date),
            )
        check_inferences(self, p)
        p.raise_if_any()


@attrs.frozen(kw_only=True)
class Forum:
    """A meeting or body that oversees delivery: its chairs, members and remit."""

    name: str = attrs.field(validator=non_empty_text)
    frequency: Frequency | None = attrs.field(
        default=None, converter=enum_converter(Frequency, "frequency")
    )
    chairs: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=tuple_of(str))
    """The chairs' roles ("Chief Finance Officer"), not people's names."""
    members: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=tuple_of(str))
    """The members' roles."""
    reports_to: str | None = attrs.field(default=None, validator=optional_text)
    """The ``name`` of another forum of the strategy's governance."""
    oversees: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(str)
    )
    """Ids of the ambitions, objectives or outcomes it oversees; an ambition or
    objective stands for every outcome under it."""
    purpose: str | None = attrs.field(default=None, validator=optional_text)
    source: SourceRef | None = attrs.field(**_SOURCE)
    inferred: tuple[Inference, ...] = attrs.field(**_INFERRED)

    def __repr__(self) -> str:
        how = f" {self.frequency.value}" if self.frequency is not None else ""
        text = f"<Forum {brief(self.name)}{how}"
        if self.oversees:
            text += f", oversees {plural(len(self.oversees), 'item')}"
        return text + ">"

    def __attrs_post_init__(self) -> None:
        p = Problems()
        if self.reports_to is not None and self.reports_to == self.name:
            p.add("reports_to", "a forum cannot report to itself", found=repr(self.reports_to))
        check_unique(self.oversees, "oversees", "overseen", p)
        check_inferences(self, p)
        p.raise_if_any()


@attrs.frozen(kw_only=True)
class Governance:
    """How delivery of the strategy is led, approved and overseen."""

    executive_lead: str | None = attrs.field(default=None, validator=optional_text)
    """The executive who leads the strategy, as a role."""
    approval: Approval | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Approval))
    )
    forums: tuple[Forum, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Forum)
    )
    reporting_frequency: Frequency | None = attrs.field(
        default=None, converter=enum_converter(Frequency, "reporting_frequency")
    )
    """How often progress is reported when neither the outcome nor its forums say."""
    source: SourceRef | None = attrs.field(**_SOURCE)
    """Where the executive lead and the reporting frequency are stated."""
    inferred: tuple[Inference, ...] = attrs.field(**_INFERRED)
    notes: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=tuple_of(str))

    def __attrs_post_init__(self) -> None:
        p = Problems()
        names = [f.name for f in self.forums]
        check_unique(names, "forums", "forum", p)
        for i, forum in enumerate(self.forums):
            if forum.reports_to is not None and forum.reports_to not in names:
                import difflib

                close = difflib.get_close_matches(forum.reports_to, names, n=1, cutoff=0.5)
                p.add(
                    f"forums[{i}].reports_to",
                    f"unknown forum {forum.reports_to!r}",
                    expected="the name of another forum: " + ", ".join(repr(n) for n in names),
                    hint=f"did you mean {close[0]!r}?" if close else None,
                )
        _check_cycles(self.forums, p)
        check_inferences(self, p)
        p.raise_if_any()

    def __repr__(self) -> str:
        names = ", ".join(f.name for f in self.forums)
        text = f"<Governance: {plural(len(self.forums), 'forum')}"
        return text + (f" ({brief(names)})>" if names else ">")

    def forum(self, name: str) -> Forum:
        """The forum with this name; ``KeyError`` naming the forums otherwise."""
        for f in self.forums:
            if f.name == name:
                return f
        known = ", ".join(repr(f.name) for f in self.forums) or "none"
        raise KeyError(f"no forum {name!r}; the forums are {known}")


def _check_cycles(forums: Iterable[Forum], p: Problems) -> None:
    up = {f.name: f.reports_to for f in forums}
    for i, forum in enumerate(forums):
        seen = [forum.name]
        nxt = up.get(forum.name)
        while nxt is not None and nxt in up:
            if nxt == forum.name:
                p.add(
                    f"forums[{i}].reports_to",
                    "forums report to each other in a circle",
                    found=" -> ".join([*seen, nxt]),
                )
                break
            if nxt in seen:
                break
            seen.append(nxt)
            nxt = up.get(nxt)


# --- lint --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class GovernanceFinding:
    """A gap in a strategy's governance, with a stable code.

    ``SK409``: no forum oversees the outcome. ``SK410``: a governance value
    of a strategy encoded from sources cites none and is not marked as
    inferred (an unflagged inference).
    """

    code: str
    criterion: str
    """``"oversight"`` or ``"unflagged_inference"``."""
    path: str
    """The outcome id, or the field path (``governance.forums[1]``)."""
    message: str
    outcome_id: str | None = None


def governance_findings(strategy: Any) -> tuple[GovernanceFinding, ...]:
    """Outcomes no forum oversees, and governance values neither cited nor flagged.

    The second check applies to a strategy encoded from source documents
    (one with ``sources``): each value must cite where it is stated, or say
    that it is inferred and why.

    >>> import stratkit
    >>> governance_findings(stratkit.examples.load("kmpt_2023_26"))
    ()
    """
    found = [
        GovernanceFinding(
            code="SK409",
            criterion="oversight",
            path=out.id,
            outcome_id=out.id,
            message=f"outcome {out.id}: no forum oversees it",
        )
        for out in strategy.outcomes()
        if not strategy.forums_overseeing(out.id)
    ]
    if strategy.sources:
        found += _unflagged(strategy)
    return tuple(found)


def _unflagged(strategy: Any) -> list[GovernanceFinding]:
    out: list[GovernanceFinding] = []

    def check(
        path: str, label: str, obj: Any, fields: Iterable[str], outcome_id: str | None = None
    ) -> None:
        flagged = {re.split(r"[.\[]", i.about, maxsplit=1)[0] for i in obj.inferred}
        for name in fields:
            value = getattr(obj, name)
            if value in (None, ()) or name in flagged or getattr(obj, "source", None):
                continue
            out.append(
                GovernanceFinding(
                    code="SK410",
                    criterion="unflagged_inference",
                    path=f"{path}.{name}",
                    outcome_id=outcome_id,
                    message=f"{label}: {name} neither cites a source nor is marked inferred",
                )
            )

    gov = strategy.governance
    if gov is not None:
        check("governance", "governance", gov, ("executive_lead", "reporting_frequency"))
        if gov.approval is not None:
            check("governance.approval", "approval", gov.approval, ("body", "date"))
        for i, forum in enumerate(gov.forums):
            forum_fields = ("frequency", "chairs", "members", "reports_to", "oversees")
            check(f"governance.forums[{i}]", f"forum {forum.name!r}", forum, forum_fields)
    for ai, amb in enumerate(strategy.ambitions):
        apath = f"ambitions[{ai}]"
        check(apath, f"ambition {amb.id}", amb, ("owner",))
        for oi, obj in enumerate(amb.objectives):
            opath = f"{apath}.objectives[{oi}]"
            check(opath, f"objective {obj.id}", obj, ("owner",))
            for ui, o in enumerate(obj.outcomes):
                fields = ("owner", "reporting_frequency", "delivery_year")
                check(f"{opath}.outcomes[{ui}]", f"outcome {o.id}", o, fields, o.id)
    return out
