"""Safe YAML (and JSON) reading that keeps the line and column of every value.

The parser's events (libyaml's C parser where installed) are built into plain
data here, in one pass with an explicit stack, by rules stricter than YAML's:

* only the standard YAML tags are accepted: any tag that would construct an
  object (``!!python/object``, custom ``!tags``) is refused;
* anchors, aliases and merge keys (``&a``, ``*a``, ``<<``) are refused, so an
  alias bomb costs nothing;
* duplicate mapping keys are reported (YAML would keep the last silently);
* nesting deeper than :data:`MAX_DEPTH` is refused as it arrives;
* a scalar a tag cannot read (``!!int abc``, ``!!bool maybe``) is a located
  problem, and numbers longer than :data:`MAX_NUMBER_CHARS` are refused before
  they are converted;
* files larger than ``max_bytes`` (:data:`MAX_BYTES` by default), or not
  UTF-8, are refused before parsing.

Line and column numbers are found only when there is a problem to place, by
a second pass; a valid file is parsed once.

JSON is read with the same builder (it is valid YAML for these purposes), so
JSON files get the same positions and checks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

import yaml

from stratkit._safe_text import clip
from stratkit.errors import Problem

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NUMBER_CHARS", "Document", "read_document"]

MAX_BYTES = 20_000_000
"""The largest strategy file read by default: 20 MB, about 40,000 outcomes
(KMPT's whole strategy is about 100 kB). ``load(..., max_bytes=)`` changes it."""
MAX_DEPTH = 64
"""The deepest nesting accepted."""
MAX_NUMBER_CHARS = 100
"""The longest number read (a longer one is refused before it is converted,
so a 5,000-digit integer costs nothing); quote text that looks like a number."""

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

try:  # the C composer is faster where libyaml is present
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


class Document:
    """A parsed file: plain data, and where each value and key sits (1-based).

    Positions are only needed to place problems, so they are found on first
    use, by a second pass over the text: a valid file is parsed once.
    """

    def __init__(
        self,
        data: Any,
        raw_numbers: dict[str, str],
        locate: Callable[[], tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]],
    ) -> None:
        self.data = data
        self.raw_numbers = raw_numbers
        """The text of each number as written (``1.10`` stays ``"1.10"`` for an id)."""
        self._locate = locate
        self._tables: tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]] | None = None

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        """Field path -> (line, column) of its value."""
        return self._positions()[0]

    @property
    def key_positions(self) -> dict[str, tuple[int, int]]:
        """Field path -> (line, column) of its key."""
        return self._positions()[1]

    def _positions(self) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        if self._tables is None:
            self._tables = self._locate()
        return self._tables

    def position(self, path: str, *, key: bool = False) -> tuple[int | None, int | None]:
        """The position of ``path``, or of its nearest enclosing value."""
        positions, key_positions = self._positions()
        table = key_positions if key else positions
        if path in table:
            return table[path]
        if key and path in positions:
            return positions[path]
        while path:
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
            if path in positions:
                return positions[path]
        return positions.get("", (None, None))


class _Refused(Exception):
    def __init__(self, problem: Problem, *, unsafe: bool = False) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.unsafe = unsafe


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP, _SEQ, _MERGE = _TAG + "map", _TAG + "seq", _TAG + "merge"
_TAG_NAMES = {_INT: "a whole number", _FLOAT: "a number", _BOOL: "true or false"}
_TAG_NAMES[_TIMESTAMP] = "a date"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
_NOTHING = object()  # no key read yet / the value of a refused key, dropped


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = ("accept", "is_map", "key", "key_text", "mark", "path", "value")

    def __init__(self, value: Any, path: str, mark: Any) -> None:
        self.value = value
        self.path = path
        self.mark = mark
        self.is_map = isinstance(value, dict)
        self.key: Any = _NOTHING  # the key whose value comes next, once read
        self.key_text = ""
        self.accept = True  # whether that value is kept (not after a refused key)


class _Builder:
    """Builds plain data from the parser's events in one pass, with its own stack.

    No node graph, no recursion: nesting is counted as it arrives, so a file
    nested too deeply is refused at the first level past :data:`MAX_DEPTH`,
    with the field path. Positions are recorded only when ``locate`` is set.
    """

    def __init__(self, file: str, *, locate: bool = False) -> None:
        self.file = file
        self.locate = locate
        self.positions: dict[str, tuple[int, int]] = {}
        self.key_positions: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.raw_numbers: dict[str, str] = {}
        self.anchors: dict[str, Any] = {}
        self.resolve: Callable[..., str] = yaml.resolver.Resolver().resolve
        constructor = yaml.constructor.SafeConstructor()
        self.readers: dict[str, Callable[[yaml.ScalarNode], Any]] = {
            _INT: constructor.construct_yaml_int,
            _FLOAT: constructor.construct_yaml_float,
            _TIMESTAMP: constructor.construct_yaml_timestamp,
        }

    def problem(self, mark: Any, path: str, message: str, **kw: Any) -> Problem:
        return Problem(
            file=self.file,
            line=mark.line + 1 if mark is not None else None,
            column=mark.column + 1 if mark is not None else None,
            path=path,
            message=message,
            **kw,
        )

    def refuse_tag(self, mark: Any, path: str, tag: str) -> _Refused:
        return _Refused(
            self.problem(
                mark,
                path,
                f"YAML tag {tag!r} is not allowed",
                hint="strategy files hold plain text, numbers, dates, lists and mappings",
            ),
            unsafe=True,
        )

    def build(self, events: Iterable[Any]) -> Any:
        stack: list[_Frame] = []
        root: Any = _NOTHING
        documents = 0
        for event in events:
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                root = self.deliver(stack, frame.value, _MAP, frame.mark, root)
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Refused(
                        self.problem(
                            event.start_mark,
                            "",
                            "the file holds more than one YAML document (---)",
                            hint="a strategy file is one document",
                        )
                    )
                continue
            if kind not in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent):
                if kind is yaml.AliasEvent:
                    self.refuse_alias(stack, event)
                continue  # stream and document boundaries
            path = self.path_of(stack)
            mark = event.start_mark
            if len(stack) > MAX_DEPTH:
                raise _Refused(
                    self.problem(mark, path, f"nested deeper than {MAX_DEPTH} levels"),
                    unsafe=True,
                )
            if event.anchor is not None:
                self.anchors[event.anchor] = mark
            if self.locate and not (stack and stack[-1].is_map and stack[-1].key is _NOTHING):
                self.positions[path] = (mark.line + 1, mark.column + 1)
            tag = event.tag
            if kind is yaml.ScalarEvent:
                if tag is None or tag == "!":
                    tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)
                value = self.scalar(event, tag, path)
                root = self.deliver(stack, value, tag, mark, root)
                continue
            is_map = kind is yaml.MappingStartEvent
            if tag not in (None, "!", _MAP if is_map else _SEQ):
                if tag not in _STANDARD_TAGS:
                    raise self.refuse_tag(mark, path, tag)
                self.problems.append(
                    self.problem(
                        mark,
                        path,
                        f"YAML tag {tag!r} cannot mark a {'mapping' if is_map else 'list'}",
                    )
                )
            stack.append(_Frame({} if is_map else [], path, mark))
        return None if root is _NOTHING else root

    def path_of(self, stack: list[_Frame]) -> str:
        if not stack:
            return ""
        parent = stack[-1]
        if parent.is_map:
            if parent.key is _NOTHING:
                return _join(parent.path, "<key>")
            return _join(parent.path, parent.key_text)
        return _join(parent.path, len(parent.value))

    def refuse_alias(self, stack: list[_Frame], event: Any) -> None:
        mark = self.anchors.get(event.anchor, event.start_mark)
        raise _Refused(
            self.problem(
                mark,
                self.path_of(stack),
                "anchors and aliases (&name, *name) are not allowed",
                hint="write the value out in full; aliases can expand without bound",
            ),
            unsafe=True,
        )

    def scalar(self, event: Any, tag: str, path: str) -> Any:
        text: str = event.value
        if tag in (_STR, _MERGE):  # a merge key is refused as a key, below
            return text
        if tag not in _STANDARD_TAGS:
            raise self.refuse_tag(event.start_mark, path, tag)
        explicit = event.tag not in (None, "!")
        if tag == _NULL:
            return None
        if tag in (_INT, _FLOAT) and len(text) > MAX_NUMBER_CHARS:
            self.problems.append(
                self.problem(
                    event.start_mark,
                    path,
                    f"number too long (more than {MAX_NUMBER_CHARS} characters)",
                    found=clip(text, 20),
                    hint="put text in quotes",
                )
            )
            return text
        try:
            if tag == _BOOL:
                value: Any = _BOOLS[text.lower()]
            elif tag == _INT and _DECIMAL.fullmatch(text):
                value = int(text)
            elif tag == _FLOAT and _PLAIN_FLOAT.fullmatch(text):
                value = float(text)
            elif tag in (_INT, _FLOAT, _TIMESTAMP):
                # PyYAML's readers for 0x1f, 1_000, 1:30, .inf and dates, called
                # directly: construct_object would keep every node alive
                node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark)
                value = self.readers[tag](node)
            else:  # !!map or !!seq on a scalar
                raise ValueError(tag)
        except Exception:  # each constructor fails its own way: ValueError, KeyError, ...
            if tag == _TIMESTAMP and not explicit:
                # shaped like a date but none ("2026-31-03"): keep the text, and let
                # the field it is read into say what it expected
                return text
            what = _TAG_NAMES.get(tag, "a mapping" if tag == _MAP else "a list")
            self.problems.append(
                self.problem(
                    event.start_mark,
                    path,
                    f"cannot read the text as {what} (it is tagged {tag.replace(_TAG, '!!')})",
                    found=clip(text, 40),
                )
            )
            return text
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.raw_numbers[path] = text
        return value

    def deliver(self, stack: list[_Frame], value: Any, tag: str, mark: Any, root: Any) -> Any:
        """Put a finished value into its parent (or return it as the root)."""
        if not stack:
            return value
        parent = stack[-1]
        if not parent.is_map:
            parent.value.append(value)
            return root
        if parent.key is _NOTHING:  # this value is a key
            self.read_key(parent, value, tag, mark)
            return root
        if parent.accept:
            parent.value[parent.key] = value
        parent.key = _NOTHING
        return root

    def read_key(self, parent: _Frame, key: Any, tag: str, mark: Any) -> None:
        parent.key = key
        parent.key_text = key if isinstance(key, str) else "<key>"
        parent.accept = False  # until the key is found good
        if tag == _MERGE:
            raise _Refused(
                self.problem(mark, parent.path, "merge keys (<<) are not allowed"), unsafe=True
            )
        if not isinstance(key, (str, int, float, dt.date)) or isinstance(key, bool):
            self.problems.append(
                self.problem(mark, parent.path, "a key must be text", found=clip(key))
            )
            return
        key_text = key if isinstance(key, str) else str(key)
        parent.key_text = key_text
        child = _join(parent.path, key_text)
        if key_text in parent.value or key in parent.value:
            self.problems.append(
                self.problem(
                    mark,
                    child,
                    f"duplicate key {clip(key_text)}",
                    hint="YAML would silently keep only the last",
                )
            )
            return
        if self.locate:
            self.key_positions[child] = (mark.line + 1, mark.column + 1)
        parent.accept = True


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


def _events(text: str, file: str, syntax: str) -> Iterable[yaml.Event]:
    """The parser's events, a syntax error turned into a located refusal."""
    try:
        yield from yaml.parse(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        _refuse_if_too_deep(text, file)
        mark = exc.problem_mark or exc.context_mark
        raise _Refused(
            Problem(
                file=file,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                message=f"not valid {syntax}: {exc.problem or exc}",
            )
        ) from None
    except yaml.YAMLError as exc:
        _refuse_if_too_deep(text, file)
        raise _Refused(Problem(file=file, message=f"not valid {syntax}: {exc}")) from None


def _empty(file: str) -> _Refused:
    return _Refused(
        Problem(
            file=file, message="the file is empty", expected="a strategy (see `stratkit init`)"
        )
    )


def read_document(
    raw: bytes, file: str, *, max_bytes: int = MAX_BYTES
) -> tuple[Document | None, list[Problem], bool]:
    """Parse ``raw`` safely, in one pass over the parser's events.

    Returns the document (``None`` when it could not be read), the problems
    found, and whether the file was refused as unsafe. Files longer than
    ``max_bytes`` are refused before parsing.
    """
    syntax = "JSON" if file.lower().endswith(".json") else "YAML"
    try:
        if len(raw) > max_bytes:
            raise _Refused(
                Problem(
                    file=file,
                    message="file too large",
                    expected=f"at most {max_bytes:,} bytes",
                    found=f"more than {max_bytes:,} bytes",  # load() reads no further
                    hint="raise the limit with max_bytes= (or --max-bytes) if you trust the file",
                ),
                unsafe=True,
            )
        text = _decode(raw, file)
        if not text.strip():
            raise _empty(file)
        builder = _Builder(file)
        data = builder.build(_events(text, file, syntax))
        if data is None and not builder.problems:
            raise _empty(file)
    except _Refused as refused:
        return None, [refused.problem], refused.unsafe
    except RecursionError:  # pragma: no cover - the builder keeps its own stack
        return None, [Problem(file=file, message=f"nested deeper than {MAX_DEPTH} levels")], True

    def locate() -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        again = _Builder(file, locate=True)
        again.build(_events(text, file, syntax))
        return again.positions, again.key_positions

    return Document(data, builder.raw_numbers, locate), builder.problems, False
