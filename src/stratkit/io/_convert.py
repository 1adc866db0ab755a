"""One converter between the model and plain data, driven by the attrs fields.

The model knows nothing about files; this module reads each class's fields
and type hints and, from them alone, structures plain data into the model
(collecting *every* problem with its field path), unstructures the model into
plain data for YAML and JSON, and writes the JSON Schema of the format.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import operator
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from stratkit._safe_text import clip
from stratkit.errors import InvalidStrategyError, Problem
from stratkit.units import (
    QUANTITY_MARK,
    UNIT_MARK,
    format_magnitude,
    format_quantity,
    format_unit,
)

__all__ = ["FAILED", "Structurer", "json_schema", "unstructure"]


class _Failed:
    def __repr__(self) -> str:
        return "FAILED"


FAILED: Any = _Failed()
"""Returned in place of a value that could not be structured."""


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _join_relative(path: str, rel: str) -> str:
    if not rel:
        return path
    if rel.startswith("["):
        return path + rel
    return f"{path}.{rel}" if path else rel


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


@functools.cache
def _fields(cls: Any) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(f for f in attrs.fields(cls) if f.init)


@functools.cache
def _plan(cls: Any) -> tuple[tuple[tuple[attrs.Attribute[Any], str, Any], ...], frozenset[str]]:
    """How to structure ``cls``, worked out once: (field, name in files, type hint)
    for each field, and the set of names a file may use."""
    hints = _hints(cls)
    plan = tuple((f, f.name.lstrip("_"), hints[f.name]) for f in _fields(cls))
    return plan, frozenset(name for _, name, _ in plan)


def _split_optional(hint: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != len(typing.get_args(hint)):
            return (args[0] if len(args) == 1 else functools.reduce(operator.or_, args)), True
    return hint, False


def _mark(hint: Any) -> str | None:
    if typing.get_origin(hint) is typing.Annotated:
        for meta in typing.get_args(hint)[1:]:
            if meta in (QUANTITY_MARK, UNIT_MARK):
                return str(meta)
    return None


@functools.cache
def _rule(hint: Any) -> tuple[Any, bool, str | None]:
    """``hint`` without its ``None`` option, whether it had one, and how to
    structure it (a mark, ``"attrs"``, ``"tuple"``, ``"enum"`` or ``None``):
    worked out once per hint, not once per value."""
    hint, optional = _split_optional(hint)
    rule = _mark(hint)
    if rule is None:
        if attrs.has(hint):
            rule = "attrs"
        elif typing.get_origin(hint) is tuple:
            rule = "tuple"
        elif isinstance(hint, type) and issubclass(hint, enum.Enum):
            rule = "enum"
    return hint, optional, rule


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return f"{type(value).__name__} {clip(value)}"


_MAX_UNKNOWN_FIELDS = 20
"""Unknown fields reported one by one in a mapping; the rest are counted."""


class Structurer:
    """Turns plain data into model objects; every problem is kept in ``problems``.

    ``where(path, key)`` gives a (line, column) for a path, so that problems
    carry positions in the file they came from.
    """

    def __init__(
        self,
        file: str | None = None,
        where: Callable[[str, bool], tuple[int | None, int | None]] | None = None,
    ) -> None:
        self.file = file
        self.where = where or (lambda path, key: (None, None))
        self.problems: list[Problem] = []
        self.raw_numbers: Mapping[str, str] = {}

    def add(self, path: str, message: str, *, key: bool = False, **kw: Any) -> None:
        line, column = self.where(path, key)
        self.problems.append(
            Problem(file=self.file, line=line, column=column, path=path, message=message, **kw)
        )

    def structure(self, data: Any, hint: Any, path: str = "") -> Any:
        """Structure ``data`` as ``hint``; returns :data:`FAILED` after recording problems."""
        hint, optional, rule = _rule(hint)
        if data is None:
            if optional:
                return None
            self.add(path, "a value is required here", found="nothing (null)")
            return FAILED
        if rule == QUANTITY_MARK:
            return self._quantity(data, path)
        if rule == UNIT_MARK:
            return self._unit(data, path)
        if rule == "attrs":
            return self._attrs(data, hint, path)
        if rule == "tuple":
            return self._tuple(data, typing.get_args(hint), path)
        if rule == "enum":
            return self._enum(data, hint, path)
        if hint is dt.date:
            return self._date(data, path)
        if hint is str:
            if isinstance(data, str):
                return data
            if isinstance(data, (int, float)) and not isinstance(data, bool):
                # ids such as 1.10 written without quotes: keep the text as typed
                raw = self.raw_numbers.get(path)
                return raw if raw is not None else format_magnitude(data)
            if isinstance(data, dt.date) and not isinstance(data, dt.datetime):
                # a publication date written without quotes: YAML typed it, as typed
                return data.isoformat()
            self.add(path, "expected text", found=_describe(data))
            return FAILED
        if hint is int:
            if isinstance(data, int) and not isinstance(data, bool):
                return data
            self.add(path, "expected a whole number", found=_describe(data))
            return FAILED
        if hint is bool:
            if isinstance(data, bool):
                return data
            self.add(path, "expected true or false", found=_describe(data))
            return FAILED
        if hint is float:
            if isinstance(data, (int, float)) and not isinstance(data, bool):
                return float(data)
            self.add(path, "expected a number", found=_describe(data))
            return FAILED
        if typing.get_origin(hint) is typing.Literal:
            allowed = typing.get_args(hint)
            if isinstance(data, str) and data in allowed:
                return data
            self.add(
                path,
                "not one of the allowed values",
                expected="one of " + ", ".join(str(a) for a in allowed),
                found=_describe(data),
            )
            return FAILED
        if hint is Any:
            return data
        raise TypeError(f"no structuring rule for {hint!r}")  # pragma: no cover

    def _quantity(self, data: Any, path: str) -> Any:
        from stratkit.units import parse_quantity

        if isinstance(data, (int, float)) and not isinstance(data, bool):
            self.add(
                path,
                "a quantity needs its unit",
                expected=f"text such as '{format_magnitude(data)} %' or "
                f"'{format_magnitude(data)} score'",
                found=_describe(data),
            )
            return FAILED
        if not isinstance(data, str):
            self.add(
                path, "expected a quantity", expected="text such as '95 %'", found=_describe(data)
            )
            return FAILED
        try:
            q = parse_quantity(data)
        except InvalidStrategyError:  # pragma: no cover - parse raises UnitError
            raise
        except ValueError as exc:
            self.add(path, str(exc))
            return FAILED
        if not q._units:  # "95" in quotes is refused as 95 without them is
            self.add(
                path,
                "a quantity needs its unit",
                expected=f"text such as '{data.strip()} %' or '{data.strip()} score'",
                found=repr(data),
            )
            return FAILED
        return q

    def _unit(self, data: Any, path: str) -> Any:
        from stratkit.units import parse_unit

        if not isinstance(data, str):
            self.add(
                path,
                "expected a unit",
                expected="text such as '%' or 'score'",
                found=_describe(data),
            )
            return FAILED
        try:
            return parse_unit(data)
        except ValueError as exc:
            self.add(path, str(exc))
            return FAILED

    def _enum(self, data: Any, kind: type[enum.Enum], path: str) -> Any:
        try:
            return kind(data)
        except ValueError:
            allowed = [str(m.value) for m in kind]
            word = data if isinstance(data, str) and len(data) <= 40 else ""
            close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.5) if word else []
            self.add(
                path,
                f"unknown {path.rsplit('.', 1)[-1] or kind.__name__.lower()}",
                expected="one of " + ", ".join(repr(a) for a in allowed),
                found=clip(data),
                hint=f"did you mean {close[0]!r}?" if close else None,
            )
            return FAILED

    def _date(self, data: Any, path: str) -> Any:
        if isinstance(data, dt.datetime):
            self.add(path, "expected a date, not a date and time", found=repr(data.isoformat()))
            return FAILED
        if isinstance(data, dt.date):
            return data
        if isinstance(data, str):
            try:
                return dt.date.fromisoformat(data.strip())
            except ValueError:
                pass
        self.add(path, "expected a date", expected="YYYY-MM-DD", found=_describe(data))
        return FAILED

    def _tuple(self, data: Any, args: tuple[Any, ...], path: str) -> Any:
        if not isinstance(data, list):
            if isinstance(data, str) and args[-1] is Ellipsis and args[0] is str:
                return (data,)
            self.add(path, "expected a list", found=_describe(data))
            return FAILED
        if args and args[-1] is Ellipsis:
            items = [self.structure(item, args[0], _join(path, i)) for i, item in enumerate(data)]
        else:
            if len(data) != len(args):
                self.add(path, f"expected a list of {len(args)} items", found=f"{len(data)} items")
                return FAILED
            items = [
                self.structure(item, a, _join(path, i))
                for i, (item, a) in enumerate(zip(data, args, strict=True))
            ]
        return FAILED if any(i is FAILED for i in items) else tuple(items)

    def _attrs(self, data: Any, cls: type, path: str) -> Any:
        if not isinstance(data, Mapping):
            self.add(path, f"expected a mapping of {cls.__name__} fields", found=_describe(data))
            return FAILED
        plan, known = _plan(cls)
        names = [name for _, name, _ in plan]
        unknown = [key for key in data if key not in known]
        for key in unknown[:_MAX_UNKNOWN_FIELDS]:
            word = str(key)
            close = (
                difflib.get_close_matches(word, names, n=1, cutoff=0.6) if len(word) <= 40 else []
            )
            self.add(
                _join(path, word),
                f"unknown field {clip(key)} in {cls.__name__}",
                key=True,
                expected="one of " + ", ".join(names),
                hint=f"did you mean {close[0]!r}?" if close else None,
            )
        if len(unknown) > _MAX_UNKNOWN_FIELDS:
            self.add(
                path,
                f"{len(unknown) - _MAX_UNKNOWN_FIELDS:,} more unknown fields in {cls.__name__}",
                expected="one of " + ", ".join(names),
            )
        kwargs: dict[str, Any] = {}
        failed = False
        for f, name, hint in plan:
            if name not in data:
                if f.default is attrs.NOTHING:
                    self.add(path, f"missing required field {name!r} in {cls.__name__}")
                    failed = True
                continue
            value = self.structure(data[name], hint, _join(path, name))
            if value is FAILED:
                failed = True
            kwargs[name] = value
        if failed:
            return FAILED
        before = len(self.problems)
        try:
            return cls(**kwargs)
        except InvalidStrategyError as exc:
            for p in exc.problems:
                full = _join_relative(path, p.path)
                line, column = self.where(full, False)
                self.problems.append(
                    attrs.evolve(p, file=self.file, line=line, column=column, path=full)
                )
            if len(self.problems) == before:  # pragma: no cover - defensive
                self.add(path, str(exc))
            return FAILED


def unstructure(obj: Any) -> Any:
    """Plain data for YAML and JSON: fields in class order, empty and default ones left out."""
    cls: Any = type(obj)
    if attrs.has(cls):
        out: dict[str, Any] = {}
        for f in _fields(cls):
            value = getattr(obj, f.name)
            if (
                value is None
                or value == ()
                or (
                    f.default is not attrs.NOTHING
                    and not isinstance(f.default, attrs.Factory)  # type: ignore[arg-type]
                    and _same(value, f.default)
                )
            ):
                continue
            out[f.name.lstrip("_")] = unstructure(value)
        return out
    if isinstance(obj, tuple):
        return [unstructure(v) for v in obj]
    if isinstance(obj, enum.Enum):
        return obj.value
    if hasattr(obj, "magnitude"):
        return format_quantity(obj)
    if hasattr(obj, "dimensionality"):
        return format_unit(obj)
    return obj


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b) and not (isinstance(a, enum.Enum) and a == b):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # pragma: no cover - quantities of other dimensions
        return False


_QUANTITY_PATTERN = r"^\s*[£]?[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(\s*\S.*)?$"


def json_schema(root: type) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``root`` and every class it contains."""
    defs: dict[str, Any] = {}

    def schema(hint: Any) -> dict[str, Any]:
        hint, optional = _split_optional(hint)
        mark = _mark(hint)
        if mark == QUANTITY_MARK:
            s: dict[str, Any] = {
                "type": "string",
                "pattern": _QUANTITY_PATTERN,
                "description": "a number and its unit, e.g. '95 %', '6.9 score'",
                "examples": ["95 %", "6.9 score", "2 pp", "12 hour"],
            }
        elif mark == UNIT_MARK:
            s = {
                "type": "string",
                "description": "a unit, e.g. '%', 'score', 'incident'",
                "examples": ["%", "pp", "score", "incident / bed_day", "GBP", "tCO2e"],
            }
        elif attrs.has(hint):
            add_class(hint)
            s = {"$ref": f"#/$defs/{hint.__name__}"}
        elif typing.get_origin(hint) is tuple:
            args = typing.get_args(hint)
            if args[-1] is Ellipsis:
                s = {"type": "array", "items": schema(args[0])}
                if args[0] is str:  # the structurer reads a lone text as a list of one
                    s = {"anyOf": [s, {"type": "string"}]}
            else:
                s = {
                    "type": "array",
                    "prefixItems": [schema(a) for a in args],
                    "minItems": len(args),
                    "maxItems": len(args),
                }
        elif isinstance(hint, type) and issubclass(hint, enum.Enum):
            s = {"enum": [m.value for m in hint]}
        elif hint is dt.date:
            s = {"type": "string", "format": "date"}
        elif hint is str:
            # a number typed without quotes (id: 1.10) is kept as text, as typed; a
            # date typed without quotes is too, and reaches a validator as a string
            s = {"type": ["string", "number"]}
        elif hint is int:
            s = {"type": "integer"}
        elif hint is float:
            s = {"type": "number"}
        elif typing.get_origin(hint) is typing.Literal:
            s = {"enum": list(typing.get_args(hint))}
        elif hint is bool:
            s = {"type": "boolean"}
        else:
            s = {}
        if optional:
            s = {"anyOf": [s, {"type": "null"}]}
        return s

    def add_class(cls: type) -> None:
        if cls.__name__ in defs:
            return
        defs[cls.__name__] = {}
        hints = _hints(cls)
        props: dict[str, Any] = {}
        required: list[str] = []
        for f in _fields(cls):
            name = f.name.lstrip("_")
            props[name] = schema(hints[f.name])
            if f.default is attrs.NOTHING:
                required.append(name)
        doc = (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        defs[cls.__name__] = {
            "type": "object",
            "description": doc,
            "properties": props,
            "required": required,
            "additionalProperties": False,
        }

    add_class(root)
    top = dict(defs[root.__name__])
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **top, "$defs": defs}
