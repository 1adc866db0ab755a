"""Safe YAML (and JSON) reading that keeps the line and column of every value.

The file is composed into a node graph by PyYAML's safe composer (which
builds no objects) and walked here:

* only the standard YAML tags are accepted: any tag that would construct an
  object (``!!python/object``, custom ``!tags``) is refused;
* anchors, aliases and merge keys (``&a``, ``*a``, ``<<``) are refused, so an
  alias bomb costs nothing;
* duplicate mapping keys are reported (YAML would keep the last silently);
* files larger than :data:`MAX_BYTES`, or not UTF-8, are refused before parsing.

JSON is read with the same walker (it is valid YAML for these purposes), so
JSON files get the same positions and checks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import yaml

from stratkit.errors import Problem

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Document", "read_document"]

MAX_BYTES = 5_000_000
"""The largest strategy file accepted (5 MB; KMPT's whole strategy is ~100 kB)."""
MAX_DEPTH = 64
"""The deepest nesting accepted."""

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

try:  # the C composer is faster where libyaml is present
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


@attrs.frozen(kw_only=True)
class Document:
    """A parsed file: plain data, and where each value and key sits (1-based)."""

    data: Any
    positions: dict[str, tuple[int, int]]
    key_positions: dict[str, tuple[int, int]]
    raw_numbers: dict[str, str] = attrs.field(factory=dict)
    """The text of each number as written (``1.10`` stays ``"1.10"`` for an id)."""

    def position(self, path: str, *, key: bool = False) -> tuple[int | None, int | None]:
        """The position of ``path``, or of its nearest enclosing value."""
        table = self.key_positions if key else self.positions
        if path in table:
            return table[path]
        if key and path in self.positions:
            return self.positions[path]
        while path:
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
            if path in self.positions:
                return self.positions[path]
        return self.positions.get("", (None, None))


class _Refused(Exception):
    def __init__(self, problem: Problem, *, unsafe: bool = False) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.unsafe = unsafe


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Walker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[str, tuple[int, int]] = {}
        self.key_positions: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.raw_numbers: dict[str, str] = {}
        self.constructor = yaml.SafeLoader("")

    def problem(self, node: yaml.Node, path: str, message: str, **kw: Any) -> Problem:
        return Problem(
            file=self.file,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
            path=path,
            message=message,
            **kw,
        )

    def walk(self, node: yaml.Node, path: str, depth: int) -> Any:
        if id(node) in self.seen:
            raise _Refused(
                self.problem(
                    node,
                    path,
                    "anchors and aliases (&name, *name) are not allowed",
                    hint="write the value out in full; aliases can expand without bound",
                ),
                unsafe=True,
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(
                self.problem(node, path, f"nested deeper than {MAX_DEPTH} levels"), unsafe=True
            )
        if node.tag not in _STANDARD_TAGS:
            raise _Refused(
                self.problem(
                    node,
                    path,
                    f"YAML tag {node.tag!r} is not allowed",
                    hint="strategy files hold plain text, numbers, dates, lists and mappings",
                ),
                unsafe=True,
            )
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _Refused(
                        self.problem(key_node, path, "merge keys (<<) are not allowed"),
                        unsafe=True,
                    )
                key = self.walk(key_node, _join(path, "<key>"), depth + 1)
                if not isinstance(key, (str, int, float, dt.date)) or isinstance(key, bool):
                    self.problems.append(
                        self.problem(key_node, path, "a key must be text", found=repr(key))
                    )
                    continue
                key_text = key if isinstance(key, str) else str(key)
                child = _join(path, key_text)
                if key_text in out:
                    self.problems.append(
                        self.problem(
                            key_node,
                            child,
                            f"duplicate key {key_text!r}",
                            hint="YAML would silently keep only the last",
                        )
                    )
                    continue
                self.key_positions[child] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                out[key_text if isinstance(key, str) else key] = self.walk(
                    value_node, child, depth + 1
                )
            self.positions.pop(_join(path, "<key>"), None)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [
                self.walk(item, _join(path, i), depth + 1) for i, item in enumerate(node.value)
            ]
        try:
            value = self.constructor.construct_object(node)
        except ValueError:
            if node.tag != "tag:yaml.org,2002:timestamp":
                raise
            # shaped like a date but none ("2026-31-03"): keep the text, and let
            # the field it is read into say what it expected
            return str(node.value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.raw_numbers[path] = str(node.value)
        return value


def _refuse_deep_nesting(
    text: str, file: str, *, limit: int = 4 * MAX_DEPTH, loader: type[Any] = _Loader
) -> None:
    """Refuse deep nesting before composing: PyYAML composes recursively, and
    100,000 nested brackets (200 kB) overflow the C stack and kill the process.

    The event parser keeps its own stack, so counting its events is safe. The
    default bound is looser than :data:`MAX_DEPTH`, so that the walker, which
    knows the field path, reports the files that are only a little too deep.
    A syntax error stops the count (the caller reports it).
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limit:
                    mark = event.start_mark
                    raise _Refused(
                        Problem(
                            file=file,
                            line=mark.line + 1 if mark else None,
                            column=mark.column + 1 if mark else None,
                            message=f"nested deeper than {MAX_DEPTH} levels",
                        ),
                        unsafe=True,
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        if loader is _Loader:
            raise


def _refuse_if_too_deep(text: str, file: str) -> None:
    """Called when the fast parser failed: was the file simply nested too deep?

    Newer libyaml builds (PyYAML 6.0.4 wheels) refuse about 1,000 levels of
    nesting in their scanner, before emitting any event, so the count above
    never sees it. Rather than recognise that error by its wording (which
    differs between versions), re-count the nesting with PyYAML's pure-Python
    parser, which has no such limit and keeps its own stack, stopping at the
    first level past :data:`MAX_DEPTH` or at the first syntax error. This
    runs only for files that already failed to parse.
    """
    _refuse_deep_nesting(text, file, limit=MAX_DEPTH, loader=yaml.SafeLoader)


def _decode(raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Refused(
            Problem(
                file=file,
                line=line,
                column=column,
                message="the file is not UTF-8 text",
                found=f"byte 0x{raw[exc.start]:02x}",
                hint="save the file as UTF-8",
            )
        ) from None
    return text.removeprefix("\ufeff")


def read_document(raw: bytes, file: str) -> tuple[Document | None, list[Problem], bool]:
    """Parse ``raw`` safely.

    Returns the document (``None`` when it could not be read), the problems
    found, and whether the file was refused as unsafe.
    """
    try:
        if len(raw) > MAX_BYTES:
            raise _Refused(
                Problem(
                    file=file,
                    message="file too large",
                    expected=f"at most {MAX_BYTES:,} bytes",
                    found=f"more than {MAX_BYTES:,} bytes",  # load() reads no further
                ),
                unsafe=True,
            )
        text = _decode(raw, file)
        if not text.strip():
            raise _Refused(
                Problem(
                    file=file,
                    message="the file is empty",
                    expected="a strategy (see `stratkit init`)",
                )
            )
        syntax = "JSON" if file.lower().endswith(".json") else "YAML"
        try:
            _refuse_deep_nesting(text, file)
            node = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            _refuse_if_too_deep(text, file)
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            column = mark.column + 1 if mark else None
            raise _Refused(
                Problem(
                    file=file,
                    line=line,
                    column=column,
                    message=f"not valid {syntax}: {exc.problem or exc}",
                )
            ) from None
        except yaml.YAMLError as exc:
            _refuse_if_too_deep(text, file)
            raise _Refused(Problem(file=file, message=f"not valid {syntax}: {exc}")) from None
        if node is None:
            raise _Refused(
                Problem(
                    file=file,
                    message="the file is empty",
                    expected="a strategy (see `stratkit init`)",
                )
            )
        walker = _Walker(file)
        data = walker.walk(node, "", 0)
    except _Refused as refused:
        return None, [refused.problem], refused.unsafe
    except RecursionError:
        return None, [Problem(file=file, message=f"nested deeper than {MAX_DEPTH} levels")], True
    return (
        Document(
            data=data,
            positions=walker.positions,
            key_positions=walker.key_positions,
            raw_numbers=walker.raw_numbers,
        ),
        walker.problems,
        False,
    )
