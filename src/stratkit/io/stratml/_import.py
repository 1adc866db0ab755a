"""Read a StratML Part 1 or Part 2 document into a strategy.

Elements written by stratkit carry the stratkit extension and come back
exactly. Elements written by anyone else are mapped without guessing: every
goal, objective and performance indicator becomes an ambition, an objective
and an outcome; what has no place in the model (a unit given as free text,
target and actual results without a direction, stakeholders, other
information) is kept as text in the outcome's or the strategy's notes, and
the outcome is left without a measure or a target, which ``stratkit lint``
then reports as missing.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from typing import Any

from stratkit.errors import Problem, StrategyFileError, UnitError
from stratkit.io._convert import FAILED, Structurer
from stratkit.io.stratml._mapping import ROOTS, read_extension, xml_text
from stratkit.io.stratml._safe import LINE_KEY, parse_xml
from stratkit.model import Strategy

__all__ = ["read_stratml", "read_stratml_observations"]

# What stratkit writes in an observed value's Description: not a note of the value.
_STOCK_NOTES = ("Observed", "Observed (illustrative data)")


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    for c in element:
        if c.tag == name:
            return c
    return None


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [c for c in element if c.tag == name]


def _raw(element: ET.Element | None, name: str) -> str | None:
    """The text of a child as written (``None`` when the child is absent)."""
    c = _child(element, name)
    return None if c is None else "".join(c.itertext())


def _clean(element: ET.Element | None, name: str) -> str | None:
    """The text of a child without surrounding space; ``None`` when absent or empty."""
    text = _raw(element, name)
    return text.strip() or None if text is not None else None


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


class _Reader:
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

    def extension(self, element: ET.Element, path: str) -> dict[str, Any] | None:
        other = _child(element, "OtherInformation")
        _, payload, problem = read_extension(_raw(element, "OtherInformation"))
        if problem is not None:
            self.problems.append(
                Problem(
                    file=self.file,
                    line=self.line(other) if other is not None else None,
                    path=path,
                    message=problem,
                    hint="restore the line as stratkit wrote it, or delete it to read "
                    "the element as a plan written by another tool",
                )
            )
        return payload

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

    @staticmethod
    def resolve(native: str | None, exact: dict[str, Any], key: str) -> str | None:
        """A field written by stratkit: its exact text while the element still holds it."""
        wanted = exact.get(key)
        if isinstance(wanted, str) and xml_text(wanted) == (native or ""):
            return wanted
        return native or None

    def stakeholders(self, element: ET.Element, where: str) -> None:
        for s in _children(element, "Stakeholder"):
            name = _clean(s, "Name")
            kind = s.get("StakeholderTypeType")
            text = " ".join(p for p in (name, f"({kind})" if kind else None) if p)
            described = _clean(s, "Description")
            if described:
                text += f" - {described}" if text else described
            roles = [_role_text(r) for r in _children(s, "Role")]
            roles = [r for r in roles if r]
            if roles:
                text += ("; " if text else "") + "roles: " + "; ".join(roles)
            self.keep(f"stakeholder of {where}", text)

    # --- the plan -----------------------------------------------------------------------

    def plan(self) -> dict[str, Any]:
        root = self.root
        part = 2 if root.tag == ROOTS[2] else 1
        payload = self.extension(root, "")
        core = _child(root, "StrategicPlanCore")
        data: dict[str, Any]
        if payload is not None:
            self.illustrative = payload.get("illustrative") is True
            data = dict(payload["fields"])
            exact = payload.get("exact", {})
            org = _child(core, "Organization")
            written = data.get("organisation", {})
            organisation = dict(written) if isinstance(written, dict) else {}
            if not isinstance(written, dict):
                self.problems.append(
                    Problem(
                        file=self.file,
                        path="organisation",
                        message="the plan's stratkit-data gives the organisation as "
                        f"{type(written).__name__}",
                        expected="a mapping of organisation fields",
                    )
                )
            organisation["name"] = self.resolve(_raw(org, "Name"), exact, "organisation.name")
            short = self.resolve(_raw(org, "Acronym"), exact, "organisation.short_name")
            if short is not None:
                organisation["short_name"] = short
            data["title"] = self.resolve(_raw(root, "Name"), exact, "title")
            data["organisation"] = organisation
            for key in ("vision", "mission"):
                value = self.resolve(
                    _raw(_child(core, key.capitalize()), "Description"), exact, key
                )
                if value is not None:
                    data[key] = value
            values = [
                self.resolve(_raw(v, "Name"), exact, f"values[{i}]")
                for i, v in enumerate(_children(core, "Value"))
            ]
            if values:
                data["values"] = values
            admin = _child(root, "AdministrativeInformation")
            data["period"] = {"start": _raw(admin, "StartDate"), "end": _raw(admin, "EndDate")}
        else:
            data = self.foreign_plan(core)
        data["ambitions"] = [
            self.goal(g, f"ambitions[{i}]", i + 1, part)
            for i, g in enumerate(_children(core, "Goal"))
        ]
        written_notes = data.get("notes", [])
        if self.notes and isinstance(written_notes, list):
            data["notes"] = [*written_notes, *self.notes]
        return data

    def foreign_plan(self, core: ET.Element | None) -> dict[str, Any]:
        root = self.root
        title = _clean(root, "Name") or "(a StratML plan with no name)"
        self.keep("plan description", _clean(root, "Description"))
        self.keep("plan other information", _clean(root, "OtherInformation"))
        orgs = _children(core, "Organization")
        organisation: dict[str, Any] = {}
        for i, org in enumerate(orgs):
            label = "organisation" if i == 0 else f"organisation {i + 1}"
            name = _clean(org, "Name")
            if i == 0 and name:
                organisation["name"] = name
                if _clean(org, "Acronym"):
                    organisation["short_name"] = _clean(org, "Acronym")
            else:
                self.keep(label, " ".join(filter(None, [name, _clean(org, "Acronym")])))
            self.keep(f"{label} identifier", _clean(org, "Identifier"))
            self.keep(f"{label} description", _clean(org, "Description"))
            self.stakeholders(org, label)
        if "name" not in organisation:
            organisation["name"] = title
            self.notes.append(
                "stratkit: the StratML file names no organisation; the plan's name is used"
            )
        data: dict[str, Any] = {"title": title, "organisation": organisation}
        vision = _clean(_child(core, "Vision"), "Description")
        mission = _clean(_child(core, "Mission"), "Description")
        if vision:
            data["vision"] = vision
        if mission:
            data["mission"] = mission
        values = []
        for v in _children(core, "Value"):
            name, described = _clean(v, "Name"), _clean(v, "Description")
            text = f"{name}: {described}" if name and described else name or described
            if text:
                values.append(text)
        if values:
            data["values"] = values
        admin = _child(root, "AdministrativeInformation")
        data["period"] = self.period(admin)
        source = _clean(admin, "Source")
        if source:
            doc = {"id": "stratml", "title": title, "url": source}
            published = _clean(admin, "PublicationDate")
            if published:
                doc["date"] = published
            data["sources"] = [doc]
        submitter = _child(admin, "Submitter")
        if submitter is None:
            submitter = _child(root, "Submitter")
        if submitter is not None:
            who = [
                t
                for n in ("GivenName", "FirstName", "Surname", "LastName", "EmailAddress")
                if (t := _clean(submitter, n))
            ]
            self.keep("submitter", " ".join(who))
        return data

    def period(self, admin: ET.Element | None) -> dict[str, str]:
        start = _date(_raw(admin, "StartDate"))
        end = _date(_raw(admin, "EndDate"))
        found = sorted(
            d
            for tag in ("StartDate", "EndDate", "PublicationDate")
            for e in self.root.iter(tag)
            if (d := _date("".join(e.itertext()))) is not None
        )
        results = sorted(
            d
            for tag in ("TargetResult", "ActualResult")
            for r in self.root.iter(tag)
            for e in _children(r, "EndDate")
            if (d := _date("".join(e.itertext()))) is not None
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

    def goal(self, goal: ET.Element, path: str, n: int, part: int) -> dict[str, Any]:
        self.mark(path, goal)
        payload = self.extension(goal, path)
        data: dict[str, Any]
        if payload is not None:
            exact = payload.get("exact", {})
            data = dict(payload["fields"])
            data["id"] = self.resolve(_raw(goal, "SequenceIndicator"), exact, "id")
            self.used.add(str(data["id"]))
            data["title"] = self.resolve(_raw(goal, "Name"), exact, "title")
            statement = self.resolve(_raw(goal, "Description"), exact, "statement")
            if statement is not None:
                data["statement"] = statement
        else:
            gid = self.new_id(_clean(goal, "SequenceIndicator"), str(n))
            name, described = _clean(goal, "Name"), _clean(goal, "Description")
            data = {"id": gid, "title": name or described or f"Goal {gid}"}
            if name and described:
                data["statement"] = described
            self.keep(f"goal {gid} identifier", _clean(goal, "Identifier"))
            self.keep(f"goal {gid} other information", _clean(goal, "OtherInformation"))
            self.stakeholders(goal, f"goal {gid}")
        data["objectives"] = [
            self.objective(o, f"{path}.objectives[{i}]", i + 1, str(data.get("id")), part)
            for i, o in enumerate(_children(goal, "Objective"))
        ]
        return data

    def objective(
        self, element: ET.Element, path: str, n: int, goal_id: str, part: int
    ) -> dict[str, Any]:
        self.mark(path, element)
        payload = self.extension(element, path)
        data: dict[str, Any]
        if payload is not None:
            exact = payload.get("exact", {})
            data = dict(payload["fields"])
            data["id"] = self.resolve(_raw(element, "SequenceIndicator"), exact, "id")
            self.used.add(str(data["id"]))
            data["title"] = self.resolve(_raw(element, "Name"), exact, "title")
            looks_like = _looks_like(_raw(element, "Description"), data.get("looks_like"))
            data.pop("looks_like", None)
            if looks_like:
                data["looks_like"] = looks_like
        else:
            oid = self.new_id(_clean(element, "SequenceIndicator"), f"{goal_id}.{n}")
            name, described = _clean(element, "Name"), _clean(element, "Description")
            data = {"id": oid, "title": name or described or f"Objective {oid}"}
            if name and described:
                data["looks_like"] = [described]
            self.keep(f"objective {oid} identifier", _clean(element, "Identifier"))
            self.keep(f"objective {oid} other information", _clean(element, "OtherInformation"))
            self.stakeholders(element, f"objective {oid}")
        indicators = _children(element, "PerformanceIndicator")
        if indicators:
            data["outcomes"] = [
                self.indicator(pi, f"{path}.outcomes[{k}]", k + 1, str(data.get("id")))
                for k, pi in enumerate(indicators)
            ]
        return data

    def indicator(self, pi: ET.Element, path: str, k: int, objective_id: str) -> dict[str, Any]:
        self.mark(path, pi)
        payload = self.extension(pi, path)
        if payload is not None:
            exact = payload.get("exact", {})
            data = dict(payload["fields"])
            data["id"] = self.resolve(_raw(pi, "SequenceIndicator"), exact, "id")
            self.used.add(str(data["id"]))
            if isinstance(data.get("measure"), dict):
                data["measure"] = {
                    **data["measure"],
                    "name": self.resolve(_raw(pi, "MeasurementDimension"), exact, "measure.name"),
                    "unit": self.resolve(_raw(pi, "UnitOfMeasurement"), exact, "measure.unit")
                    or "",
                }
                self.observed(pi, data["id"], data["measure"]["unit"])
            return data
        return self.foreign_indicator(pi, k, objective_id)

    def observed(self, pi: ET.Element, outcome_id: Any, unit: Any) -> None:
        """Keep each actual result with a number and a date, in a unit stratkit knows."""
        if not isinstance(outcome_id, str) or not isinstance(unit, str):
            return
        for r in pi.iter("ActualResult"):
            end = _date(_raw(r, "EndDate"))
            number = _clean(r, "NumberOfUnits")
            try:
                value = float(number) if number else math.nan
            except ValueError:
                value = math.nan
            if end is None or not math.isfinite(value):
                continue
            start = _date(_raw(r, "StartDate")) or end
            note = _clean(r, "Description") or ""
            if note in _STOCK_NOTES:
                note = ""
            self.actuals.append((outcome_id, start, end, value, unit, note, self.line(r) or 0))

    def foreign_indicator(self, pi: ET.Element, k: int, objective_id: str) -> dict[str, Any]:
        oid = self.new_id(_clean(pi, "SequenceIndicator"), f"{objective_id}.{k}")
        dimension = _clean(pi, "MeasurementDimension")
        unit = _clean(pi, "UnitOfMeasurement")
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
        if _clean(pi, "Identifier"):
            notes.append(f"StratML identifier: {_clean(pi, 'Identifier')}")
        for rel in _children(pi, "Relationship"):
            text = " ".join(
                t
                for n in ("Name", "Description", "ReferentIdentifier")
                for e in _children(rel, n)
                if (t := "".join(e.itertext()).strip())
            )
            kind_attr = rel.get("RelationshipType")
            if text or kind_attr:
                notes.append(f"StratML relationship{' ' + kind_attr if kind_attr else ''}: {text}")
        for instance in _children(pi, "MeasurementInstance"):
            for tag, label in (
                ("TargetResult", "target result"),
                ("ActualResult", "actual result"),
            ):
                notes.extend(
                    f"StratML {label}: {_result_text(r, unit)}" for r in _children(instance, tag)
                )
        other = _clean(pi, "OtherInformation")
        if other:
            notes.append(f"StratML other information: {other}")
        notes.append(
            "stratkit: no direction of improvement and no target in stratkit's terms "
            "(StratML has neither); add a target to judge this outcome"
        )
        data["notes"] = notes
        return data


def _looks_like(native: str | None, written: Any) -> Any:
    """An objective's "what it will look like": as stratkit wrote it, unless edited since.

    stratkit writes the statements one a line in the objective's ``Description``
    (and exactly in its extension); an edited ``Description`` wins, a line a
    statement.
    """
    if isinstance(written, list) and all(isinstance(w, str) for w in written):
        if xml_text("\n".join(written)) == (native or ""):
            return written
    elif native is None and written is not None:
        return written  # not a list of text: let the structurer say what is wrong
    return [line for line in (native or "").splitlines() if line.strip()]


def _role_text(role: ET.Element) -> str:
    name, described = _clean(role, "Name"), _clean(role, "Description")
    types = [t for e in _children(role, "RoleType") if (t := "".join(e.itertext()).strip())]
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
    start, end = _clean(result, "StartDate"), _clean(result, "EndDate")
    parts = []
    if start and end:
        parts.append(f"{start} to {end}")
    elif end:
        parts.append(f"by {end}")
    elif start:
        parts.append(f"from {start}")
    number = _clean(result, "NumberOfUnits")
    if number:
        parts.append(f"{number} {unit}" if unit else number)
    descriptor = _child(result, "Descriptor")
    if descriptor is not None:
        pair = [t for n in ("DescriptorName", "DescriptorValue") if (t := _clean(descriptor, n))]
        if pair:
            parts.append(": ".join(pair))
    described = _clean(result, "Description")
    if described:
        parts.append(described)
    return "; ".join(parts) if parts else "(no date, number or description)"


def _read(raw: bytes, file: str) -> tuple[Strategy, _Reader]:
    root = parse_xml(raw, file)
    if root.tag not in ROOTS.values():
        raise StrategyFileError(
            file,
            [
                Problem(
                    file=file,
                    line=1,
                    message="not a StratML document",
                    expected="a StrategicPlan (Part 1) or PerformancePlanOrReport (Part 2) "
                    "root element",
                    found=repr(root.tag),
                )
            ],
        )
    reader = _Reader(root, file)
    data = reader.plan()
    structurer = Structurer(file, reader.where)
    strategy = structurer.structure(data, Strategy, "")
    problems = [*reader.problems, *structurer.problems]
    if problems or strategy is FAILED:
        raise StrategyFileError(file, problems)
    assert isinstance(strategy, Strategy)
    return strategy, reader


def read_stratml(raw: bytes, file: str = "<string>") -> Strategy:
    """The strategy in a StratML document (bytes), every problem reported at once."""
    return _read(raw, file)[0]


def read_stratml_observations(raw: bytes, file: str = "<string>") -> tuple[Strategy, Any]:
    """The strategy in a StratML document and the observations in its actual results.

    Returns ``(strategy, observations)``. An actual result becomes an
    observation when it has a number and an end date and its indicator's unit
    is one stratkit knows (always so for a report stratkit wrote); the others
    stay in the outcomes' notes.
    """
    from stratkit.model import Observations

    strategy, reader = _read(raw, file)
    rows = reader.actuals
    observations = Observations.from_columns(
        outcome_id=[r[0] for r in rows],
        start=[r[1] for r in rows],
        end=[r[2] for r in rows],
        value=[r[3] for r in rows],
        unit=[r[4] for r in rows],
        note=[r[5] for r in rows],
        row_file=[0] * len(rows),
        row_line=[r[6] for r in rows],
        files=(file,),
        source=file,
        illustrative=reader.illustrative,
    )
    return strategy, observations
