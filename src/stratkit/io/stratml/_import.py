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

import xml.etree.ElementTree as ET
from typing import Any

from stratkit.errors import Problem, StrategyFileError
from stratkit.io._convert import FAILED, Structurer
from stratkit.io.stratml._foreign import ForeignMapping
from stratkit.io.stratml._mapping import ROOTS, read_extension, xml_text
from stratkit.io.stratml._safe import parse_xml
from stratkit.io.stratml._tree import child, children, clean_of, text_of
from stratkit.model import Strategy

__all__ = ["read_stratml", "read_stratml_observations"]


class _Reader(ForeignMapping):
    """Reads a plan: elements stratkit wrote from their extension, the others as foreign."""

    def extension(self, element: ET.Element, path: str) -> dict[str, Any] | None:
        other = child(element, "OtherInformation")
        _, payload, problem = read_extension(text_of(element, "OtherInformation"))
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

    @staticmethod
    def resolve(native: str | None, exact: dict[str, Any], key: str) -> str | None:
        """A field written by stratkit: its exact text while the element still holds it."""
        wanted = exact.get(key)
        if isinstance(wanted, str) and xml_text(wanted) == (native or ""):
            return wanted
        return native or None

    def plan(self) -> dict[str, Any]:
        root = self.root
        part = 2 if root.tag == ROOTS[2] else 1
        payload = self.extension(root, "")
        core = child(root, "StrategicPlanCore")
        data: dict[str, Any]
        if payload is not None:
            self.illustrative = payload.get("illustrative") is True
            data = dict(payload["fields"])
            exact = payload.get("exact", {})
            org = child(core, "Organization")
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
            organisation["name"] = self.resolve(text_of(org, "Name"), exact, "organisation.name")
            short = self.resolve(text_of(org, "Acronym"), exact, "organisation.short_name")
            if short is not None:
                organisation["short_name"] = short
            data["title"] = self.resolve(text_of(root, "Name"), exact, "title")
            data["organisation"] = organisation
            for key in ("vision", "mission"):
                value = self.resolve(
                    text_of(child(core, key.capitalize()), "Description"), exact, key
                )
                if value is not None:
                    data[key] = value
            values = [
                self.resolve(text_of(v, "Name"), exact, f"values[{i}]")
                for i, v in enumerate(children(core, "Value"))
            ]
            if values:
                data["values"] = values
            admin = child(root, "AdministrativeInformation")
            data["period"] = {
                "start": text_of(admin, "StartDate"),
                "end": text_of(admin, "EndDate"),
            }
        else:
            data = self.foreign_plan(core)
        data["ambitions"] = [
            self.goal(g, f"ambitions[{i}]", i + 1, part)
            for i, g in enumerate(children(core, "Goal"))
        ]
        written_notes = data.get("notes", [])
        if self.notes and isinstance(written_notes, list):
            data["notes"] = [*written_notes, *self.notes]
        return data

    def goal(self, goal: ET.Element, path: str, n: int, part: int) -> dict[str, Any]:
        self.mark(path, goal)
        payload = self.extension(goal, path)
        data: dict[str, Any]
        if payload is not None:
            exact = payload.get("exact", {})
            data = dict(payload["fields"])
            data["id"] = self.resolve(text_of(goal, "SequenceIndicator"), exact, "id")
            self.used.add(str(data["id"]))
            data["title"] = self.resolve(text_of(goal, "Name"), exact, "title")
            statement = self.resolve(text_of(goal, "Description"), exact, "statement")
            if statement is not None:
                data["statement"] = statement
        else:
            gid = self.new_id(clean_of(goal, "SequenceIndicator"), str(n))
            name, described = clean_of(goal, "Name"), clean_of(goal, "Description")
            data = {"id": gid, "title": name or described or f"Goal {gid}"}
            if name and described:
                data["statement"] = described
            self.keep(f"goal {gid} identifier", clean_of(goal, "Identifier"))
            self.keep(f"goal {gid} other information", clean_of(goal, "OtherInformation"))
            self.stakeholders(goal, f"goal {gid}")
        data["objectives"] = [
            self.objective(o, f"{path}.objectives[{i}]", i + 1, str(data.get("id")), part)
            for i, o in enumerate(children(goal, "Objective"))
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
            data["id"] = self.resolve(text_of(element, "SequenceIndicator"), exact, "id")
            self.used.add(str(data["id"]))
            data["title"] = self.resolve(text_of(element, "Name"), exact, "title")
            looks_like = _looks_like(text_of(element, "Description"), data.get("looks_like"))
            data.pop("looks_like", None)
            if looks_like:
                data["looks_like"] = looks_like
        else:
            oid = self.new_id(clean_of(element, "SequenceIndicator"), f"{goal_id}.{n}")
            name, described = clean_of(element, "Name"), clean_of(element, "Description")
            data = {"id": oid, "title": name or described or f"Objective {oid}"}
            if name and described:
                data["looks_like"] = [described]
            self.keep(f"objective {oid} identifier", clean_of(element, "Identifier"))
            self.keep(f"objective {oid} other information", clean_of(element, "OtherInformation"))
            self.stakeholders(element, f"objective {oid}")
        indicators = children(element, "PerformanceIndicator")
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
            data["id"] = self.resolve(text_of(pi, "SequenceIndicator"), exact, "id")
            self.used.add(str(data["id"]))
            if isinstance(data.get("measure"), dict):
                data["measure"] = {
                    **data["measure"],
                    "name": self.resolve(
                        text_of(pi, "MeasurementDimension"), exact, "measure.name"
                    ),
                    "unit": self.resolve(text_of(pi, "UnitOfMeasurement"), exact, "measure.unit")
                    or "",
                }
                self.observed(pi, data["id"], data["measure"]["unit"])
            return data
        return self.foreign_indicator(pi, k, objective_id)


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
