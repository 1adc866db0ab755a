"""Sphinx directives that generate documentation from stratkit's own code.

Tables written by hand drift from the code; these cannot:

``{stratkit-fields} ClassName``
    A table of the fields of one type of the strategy file format, read from
    the JSON Schema that :func:`stratkit.strategy_schema` generates from the
    attrs classes (names, types, required or default) and from the fields'
    docstrings. The directive's body may add a meaning for a field without
    a docstring, one ``name: meaning`` a line. A body line naming a field
    that does not exist is a warning (so an error with ``-W``); so is a type
    of the schema that no ``stratkit-fields`` table documents.

``{stratkit-units}``
    A table of the units defined in ``src/stratkit/units.txt``, by section.

It also lets the section index pages (``tutorial/index``, ``howto/index``,
``explanation/index``, ``reference/index``) use a toctree ``:glob:`` that
matches nothing yet: pages are written in parallel by several people, and
Sphinx's "glob pattern didn't match any documents" warning has no type, so
``suppress_warnings`` cannot reach it. Only that warning, only on those
pages, is dropped; every other warning still fails a ``-W`` build.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import logging as pylogging
from importlib import resources
from typing import Any

import attrs
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

_ENV_KEY = "stratkit_fields_documented"


def _schema_defs() -> dict[str, Any]:
    import stratkit

    return stratkit.strategy_schema()["$defs"]


def _model_class(name: str) -> type:
    model = importlib.import_module("stratkit.model")
    return getattr(model, name)  # type: ignore[no-any-return]


def _attr_docs(cls: type) -> dict[str, str]:
    """The docstrings written under each field (``name: str = ...`` then ``\"\"\"...\"\"\"``)."""
    analyzer = ModuleAnalyzer.for_module(cls.__module__)
    docs = analyzer.find_attr_docs()
    out: dict[str, str] = {}
    for (owner, name), lines in docs.items():
        if owner == cls.__qualname__:
            out[name.lstrip("_")] = " ".join(line.strip() for line in lines if line.strip())
    return out


def _type_text(schema: dict[str, Any], *, short: bool = False) -> str:
    """The type of a field as a person writes it in the file (``short``: no example)."""
    if "anyOf" in schema:
        kinds = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(_type_text(k, short=short) for k in kinds)
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"{{ref}}`{name} <format-{name.lower()}>`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type")
    if kind == ["string", "number"]:  # text; a number typed without quotes is kept as typed
        kind = "string"
    if kind == "array":
        if "prefixItems" in schema:
            items = ", ".join(_type_text(s, short=True) for s in schema["prefixItems"])
            return f"a list of exactly {len(schema['prefixItems'])}: `[`{items}`]`"
        return f"list of {_type_text(schema['items'])}"
    if kind == "string":
        if schema.get("format") == "date":
            return "date (`YYYY-MM-DD`)"
        if "pattern" in schema:
            example = "" if short else ' (`"95 %"`)'
            return "{ref}`quantity <format-quantities>`" + example
        if "examples" in schema:
            example = "" if short else ' (`"%"`)'
            return "{ref}`unit <format-quantities>`" + example
        return "text"
    return {"integer": "whole number", "boolean": "`true` or `false`"}.get(kind, "any")


def _default_text(field: attrs.Attribute[Any]) -> str:
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    if default is None:
        return "optional"
    if default == ():
        return "optional (empty list)"
    if isinstance(default, enum.Enum):
        return f"optional, default `{default.value}`"
    return f"optional, default `{default!r}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class FieldsDirective(SphinxDirective):
    """``{stratkit-fields} ClassName``: the fields of one type of the file format."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        defs = _schema_defs()
        if name not in defs:
            logger.warning("stratkit-fields: %r is not a type of the strategy file format "
                           "(known: %s)", name, ", ".join(sorted(defs)),
                           location=self.get_location())
            return []
        cls = _model_class(name)
        schema = defs[name]
        documented = _attr_docs(cls)
        extra: dict[str, str] = {}
        for line in self.content:
            if not line.strip():
                continue
            field, _, meaning = line.partition(":")
            field = field.strip()
            if field not in schema["properties"]:
                logger.warning("stratkit-fields %s: no field %r (fields: %s)", name, field,
                               ", ".join(schema["properties"]), location=self.get_location())
                continue
            extra[field] = meaning.strip()
        fields = {f.name.lstrip("_"): f for f in attrs.fields(cls) if f.init}
        rows = ["| field | type in the file | required | meaning |",
                "| --- | --- | --- | --- |"]
        for field, prop in schema["properties"].items():
            required = "**required**" if field in schema["required"] else _default_text(
                fields[field])
            meaning = " ".join(m for m in (documented.get(field), extra.get(field)) if m)
            meaning = meaning[:1].upper() + meaning[1:]
            if not meaning:
                logger.warning("stratkit-fields %s: field %r has no docstring and no meaning "
                               "in the directive", name, field, location=self.get_location())
            rows.append(f"| `{field}` | {_cell(_type_text(prop))} | {required} "
                        f"| {_cell(meaning)} |")
        summary = inspect.getdoc(cls) or ""
        summary = summary.split("\n\n")[0].replace("\n", " ")
        text = f"{summary}\n\n" + "\n".join(rows) + "\n"
        self.env.note_dependency(inspect.getfile(cls))  # rebuild when the model changes
        seen: dict[str, set[str]] = getattr(self.env, _ENV_KEY, {})
        seen.setdefault(self.env.docname, set()).add(name)
        setattr(self.env, _ENV_KEY, seen)
        return self.parse_text_to_nodes(text)


def _unit_rows() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """``(section, [(unit, names, definition)])`` from ``units.txt``."""
    text = resources.files("stratkit").joinpath("units.txt").read_text(encoding="utf-8")
    sections: list[tuple[str, list[tuple[str, str, str]]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("# ---"):
            sections.append((line.strip("#- ").strip(), []))
            continue
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" = ")]
        unit, definition, *names = parts
        names = [n for n in names if n != "_"]
        if definition.startswith("[") and definition.endswith("]"):
            definition = f"its own dimension, `{definition}`"
        else:
            definition = f"`{definition}`"
        if not sections:
            sections.append(("units", []))
        sections[-1][1].append((unit, ", ".join(f"`{n}`" for n in [unit, *names]), definition))
    return sections


class UnitsDirective(SphinxDirective):
    """``{stratkit-units}``: the units of the registry, from ``units.txt``."""

    def run(self) -> list[nodes.Node]:
        out = []
        for section, rows in _unit_rows():
            out.append(f"**{section.capitalize()}**\n")
            out.append("| unit | write it as | definition |")
            out.append("| --- | --- | --- |")
            out += [f"| {unit} | {_cell(names)} | {_cell(definition)} |"
                    for unit, names, definition in rows]
            out.append("")
        self.env.note_dependency(str(resources.files("stratkit").joinpath("units.txt")))
        return self.parse_text_to_nodes("\n".join(out))


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, _ENV_KEY, {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str],
           other: BuildEnvironment) -> None:
    mine: dict[str, set[str]] = getattr(env, _ENV_KEY, {})
    mine.update(getattr(other, _ENV_KEY, {}))
    setattr(env, _ENV_KEY, mine)


def _check(app: Sphinx, env: BuildEnvironment) -> None:
    seen: dict[str, set[str]] = getattr(env, _ENV_KEY, {})
    if not seen:
        return
    documented = set().union(*seen.values())
    missing = sorted(set(_schema_defs()) - documented)
    if missing:
        logger.warning("stratkit-fields: no table documents %s", ", ".join(missing))


def _doctest_in_module(app: Sphinx, what: str, name: str, obj: Any, options: Any,  # noqa: PLR0917 - the event's signature
                       lines: list[str]) -> None:
    """Run a docstring's ``>>>`` examples in the namespace of the module that holds it.

    Docstring examples are written as ``python -m doctest`` reads them: with the
    module's own names in scope. Sphinx's doctest builder runs them with only
    ``doctest_global_setup``, so each docstring with an example gets a hidden
    ``testsetup`` that imports its module's names first.
    """
    if not any(line.lstrip().startswith(">>>") for line in lines):
        return
    module = name if what == "module" else getattr(obj, "__module__", None)
    if not isinstance(module, str) or not module.startswith("stratkit"):
        return
    lines[:0] = [
        ".. testsetup::",
        "",
        f"   globals().update(vars(__import__('importlib').import_module({module!r})))",
        "",
    ]


def _public_bases(app: Sphinx, name: str, obj: Any, options: Any, bases: list[type]) -> None:
    """Leave private mixins (``_ProblemsMixin``) out of "Bases:"."""
    bases[:] = [b for b in bases if not b.__name__.startswith("_")]


_OPTIONAL_GLOB_PAGES = ("tutorial/index", "howto/index", "explanation/index",
                        "reference/index")


class _EmptySectionGlob(pylogging.Filter):
    """Drop "toctree glob pattern didn't match" for the section index pages only."""

    def filter(self, record: pylogging.LogRecord) -> bool:
        if getattr(record, "subtype", None) != "empty_glob":
            return True
        source = str(getattr(getattr(record, "location", None), "source", "") or "")
        source = source.replace("\\", "/").removesuffix(".md")
        return not any(source.endswith("/" + page) for page in _OPTIONAL_GLOB_PAGES)


def _install_glob_filter(app: Sphinx) -> None:
    for handler in pylogging.getLogger(logging.NAMESPACE).handlers:
        if isinstance(handler, logging.WarningStreamHandler):
            # before Sphinx's own filters, which count every warning they pass
            handler.filters.insert(0, _EmptySectionGlob())


def _alias_by_name() -> None:
    """Print an ``autodoc_type_aliases`` alias by its name, also inside ``X | None``.

    Sphinx 9 formats a union's members with ``repr``, and the placeholder it
    uses for an alias has a debugging ``repr``, so ``Quantity | None`` came
    out as ``TypeAliasForwardRef('stratkit.units.Quantity') | None``.
    """
    from sphinx.util import inspect as sphinx_inspect

    sphinx_inspect.TypeAliasForwardRef.__repr__ = lambda self: str(self.name)  # type: ignore[method-assign]


def setup(app: Sphinx) -> dict[str, Any]:
    _alias_by_name()
    app.connect("builder-inited", _install_glob_filter)
    app.connect("autodoc-process-docstring", _doctest_in_module)
    app.connect("autodoc-process-bases", _public_bases)
    app.add_directive("stratkit-fields", FieldsDirective)
    app.add_directive("stratkit-units", UnitsDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
