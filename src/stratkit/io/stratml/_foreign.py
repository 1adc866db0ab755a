"""The reader's state, and how a StratML plan stratkit did not write is mapped.

Nothing is guessed: each goal, objective and performance indicator becomes an
ambition, an objective and an outcome; a unit stratkit knows gives the
outcome a measure; everything else (free-text units, target and actual
results, stakeholders, identifiers, other information) is kept as text in the
outcome's or the strategy's notes.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from typing import Any

from stratkit.errors import Problem, UnitError
from stratkit.io.stratml._safe import LINE_KEY
from stratkit.io.stratml._tree import child, children, clean_of, date_of, text_of

__all__ = ["ForeignMapping"]

# What stratkit writes in an observed value's Description: not a note of the value.
_STOCK_NOTES = ("Observed", "Observed (illustrative data)")


class ForeignMapping:
    """What a reader keeps while it reads, and the mapping of elements without extension."""

    def __init__(self, root: ET.Element, file: str) -> None:
        self.root = root
        self.file = file
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.lines: dict[str, int] = {}
        self.used: set[str] = set()
        self.actuals: list[tuple[str, dt.date, dt.date, float, str, str, int]] = []
        self.illustrative = False
        self.reserved = {
            t.strip()
            for e in root.iter("SequenceIndicator")
            if (t := "".join(e.itertext())).strip()
        }

    # --- helpers -----------------------------------------------------------------------

    def line(self, element: ET.Element) -> int | None:
        text = element.get(LINE_KEY, "")
        return int(text) if text.isdigit() else None

    def mark(self, path: str, element: ET.Element) -> None:
        line = self.line(element)
        if line is not None:
            self.lines[path] = line

    def where(self, path: str, key: bool) -> tuple[int | None, int | None]:
        while path:
            if path in self.lines:
                return self.lines[path], None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None, None

    def new_id(self, given: str | None, fallback: str) -> str:
        """``given`` when it is free, else ``fallback`` made unique."""
        if given and given not in self.used:
            self.used.add(given)
            return given
        candidate, n = fallback, 1
        while candidate in self.used or candidate in self.reserved:
            n += 1
            candidate = f"{fallback}-{n}"
        self.used.add(candidate)
        return candidate

    def keep(self, label: str, text: str | None) -> None:
        if text:
            self.notes.append(f"StratML {label}: {text}")

    def stakeholders(self, element: ET.Element, where: str) -> None:
        for s in children(element, "Stakeholder"):
            name = clean_of(s, "Name")
            kind = s.get("StakeholderTypeType")
            text = " ".join(p for p in (name, f"({kind})" if kind else None) if p)
            described = clean_of(s, "Description")
            if described:
                text += f" - {described}" if text else described
            roles = [_role_text(r) for r in children(s, "Role")]
            roles = [r for r in roles if r]
            if roles:
                text += ("; " if text else "") + "roles: " + "; ".join(roles)
            self.keep(f"stakeholder of {where}", text)

    # --- the plan -----------------------------------------------------------------------

    def foreign_plan(self, core: ET.Element | None) -> dict[str, Any]:
        root = self.root
        title = clean_of(root, "Name") or "(a StratML plan with no name)"
        self.keep("plan description", clean_of(root, "Description"))
        self.keep("plan other information", clean_of(root, "OtherInformation"))
        orgs = children(core, "Organization")
        organisation: dict[str, Any] = {}
        for i, org in enumerate(orgs):
            label = "organisation" if i == 0 else f"organisation {i + 1}"
            name = clean_of(org, "Name")
            if i == 0 and name:
                organisation["name"] = name
                if clean_of(org, "Acronym"):
                    organisation["short_name"] = clean_of(org, "Acronym")
            else:
                self.keep(label, " ".join(filter(None, [name, clean_of(org, "Acronym")])))
            self.keep(f"{label} identifier", clean_of(org, "Identifier"))
            self.keep(f"{label} description", clean_of(org, "Description"))
            self.stakeholders(org, label)
        if "name" not in organisation:
            organisation["name"] = title
            self.notes.append(
                "stratkit: the StratML file names no organisation; the plan's name is used"
            )
        data: dict[str, Any] = {"title": title, "organisation": organisation}
        vision = clean_of(child(core, "Vision"), "Description")
        mission = clean_of(child(core, "Mission"), "Description")
        if vision:
            data["vision"] = vision
        if mission:
            data["mission"] = mission
        values = []
        for v in children(core, "Value"):
            name, described = clean_of(v, "Name"), clean_of(v, "Description")
            text = f"{name}: {described}" if name and described else name or described
            if text:
                values.append(text)
        if values:
            data["values"] = values
        admin = child(root, "AdministrativeInformation")
        data["period"] = self.period(admin)
        source = clean_of(admin, "Source")
        if source:
            doc = {"id": "stratml", "title": title, "url": source}
            published = clean_of(admin, "PublicationDate")
            if published:
                doc["date"] = published
            data["sources"] = [doc]
        submitter = child(admin, "Submitter")
        if submitter is None:
            submitter = child(root, "Submitter")
        if submitter is not None:
            who = [
                t
                for n in ("GivenName", "FirstName", "Surname", "LastName", "EmailAddress")
                if (t := clean_of(submitter, n))
            ]
            self.keep("submitter", " ".join(who))
        return data

    def period(self, admin: ET.Element | None) -> dict[str, str]:
        start = date_of(text_of(admin, "StartDate"))
        end = date_of(text_of(admin, "EndDate"))
        found = sorted(
            d
            for tag in ("StartDate", "EndDate", "PublicationDate")
            for e in self.root.iter(tag)
            if (d := date_of("".join(e.itertext()))) is not None
        )
        results = sorted(
            d
            for tag in ("TargetResult", "ActualResult")
            for r in self.root.iter(tag)
            for e in children(r, "EndDate")
            if (d := date_of("".join(e.itertext()))) is not None
        )
        said = []
        if start is None and found:
            start = found[0]
            said.append(f"start {start} (the earliest date in the file)")
        if end is None and start is not None:
            later = [d for d in results if d > start]
            if later:
                end = later[-1]
                said.append(f"end {end} (the latest result date in the file)")
            else:
                end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
                said.append(f"end {end} (one year from the start)")
        if start is None or end is None:
            self.problems.append(
                Problem(
                    file=self.file,
                    path="period",
                    message="the StratML file gives no dates, so the strategy's period is unknown",
                    expected="AdministrativeInformation with StartDate and EndDate",
                )
            )
            return {}
        if said:
            self.notes.append(
                "stratkit: the StratML file does not give the plan's period; assumed "
                + " and ".join(said)
                + ". Correct it if you know better."
            )
        return {"start": start.isoformat(), "end": end.isoformat()}

    # --- goals, objectives, indicators ------------------------------------------------

    def observed(self, pi: ET.Element, outcome_id: Any, unit: Any) -> None:
        """Keep each actual result with a number and a date, in a unit stratkit knows."""
        if not isinstance(outcome_id, str) or not isinstance(unit, str):
            return
        for r in pi.iter("ActualResult"):
            end = date_of(text_of(r, "EndDate"))
            number = clean_of(r, "NumberOfUnits")
            try:
                value = float(number) if number else math.nan
            except ValueError:
                value = math.nan
            if end is None or not math.isfinite(value):
                continue
            start = date_of(text_of(r, "StartDate")) or end
            note = clean_of(r, "Description") or ""
            if note in _STOCK_NOTES:
                note = ""
            self.actuals.append((outcome_id, start, end, value, unit, note, self.line(r) or 0))

    def foreign_indicator(self, pi: ET.Element, k: int, objective_id: str) -> dict[str, Any]:
        oid = self.new_id(clean_of(pi, "SequenceIndicator"), f"{objective_id}.{k}")
        dimension = clean_of(pi, "MeasurementDimension")
        unit = clean_of(pi, "UnitOfMeasurement")
        data: dict[str, Any] = {
            "id": oid,
            "statement": dimension
            or f"Performance indicator {k} of objective {objective_id} "
            "(no measurement dimension in the StratML file)",
        }
        notes: list[str] = []
        stage = pi.get("ValueChainStage")
        kind = pi.get("PerformanceIndicatorType") or pi.get("IndicatorType")
        if stage or kind:
            notes.append(
                "StratML indicator: "
                + ", ".join(filter(None, [f"value chain stage {stage}" if stage else None, kind]))
            )
        measure_unit = _stratkit_unit(unit)
        if dimension and measure_unit is not None:
            data["measure"] = {"name": dimension, "unit": measure_unit}
            self.observed(pi, oid, measure_unit)
        elif unit:
            notes.append(
                f"StratML unit of measurement (free text, not a unit stratkit knows): {unit}"
            )
        if clean_of(pi, "Identifier"):
            notes.append(f"StratML identifier: {clean_of(pi, 'Identifier')}")
        for rel in children(pi, "Relationship"):
            text = " ".join(
                t
                for n in ("Name", "Description", "ReferentIdentifier")
                for e in children(rel, n)
                if (t := "".join(e.itertext()).strip())
            )
            kind_attr = rel.get("RelationshipType")
            if text or kind_attr:
                notes.append(f"StratML relationship{' ' + kind_attr if kind_attr else ''}: {text}")
        for instance in children(pi, "MeasurementInstance"):
            for tag, label in (
                ("TargetResult", "target result"),
                ("ActualResult", "actual result"),
            ):
                notes.extend(
                    f"StratML {label}: {_result_text(r, unit)}" for r in children(instance, tag)
                )
        other = clean_of(pi, "OtherInformation")
        if other:
            notes.append(f"StratML other information: {other}")
        notes.append(
            "stratkit: no direction of improvement and no target in stratkit's terms "
            "(StratML has neither); add a target to judge this outcome"
        )
        data["notes"] = notes
        return data


def _role_text(role: ET.Element) -> str:
    name, described = clean_of(role, "Name"), clean_of(role, "Description")
    types = [t for e in children(role, "RoleType") if (t := "".join(e.itertext()).strip())]
    text = ": ".join(p for p in (name, described) if p)
    if types:
        text += f" ({', '.join(types)})" if text else ", ".join(types)
    return text


def _stratkit_unit(text: str | None) -> str | None:
    """The unit as stratkit writes it, when the free text is exactly a unit stratkit knows."""
    if not text:
        return None
    from stratkit.units import format_unit, parse_unit

    try:
        return format_unit(parse_unit(text))
    except UnitError:
        return None


def _result_text(result: ET.Element, unit: str | None) -> str:
    start, end = clean_of(result, "StartDate"), clean_of(result, "EndDate")
    parts = []
    if start and end:
        parts.append(f"{start} to {end}")
    elif end:
        parts.append(f"by {end}")
    elif start:
        parts.append(f"from {start}")
    number = clean_of(result, "NumberOfUnits")
    if number:
        parts.append(f"{number} {unit}" if unit else number)
    descriptor = child(result, "Descriptor")
    if descriptor is not None:
        pair = [t for n in ("DescriptorName", "DescriptorValue") if (t := clean_of(descriptor, n))]
        if pair:
            parts.append(": ".join(pair))
    described = clean_of(result, "Description")
    if described:
        parts.append(described)
    return "; ".join(parts) if parts else "(no date, number or description)"
