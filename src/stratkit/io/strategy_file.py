"""Load and save strategy files: YAML for people, JSON for machines.

>>> import stratkit, tempfile, pathlib
>>> s = stratkit.examples.load("kmpt_2023_26")
>>> with tempfile.TemporaryDirectory() as d:
...     path = stratkit.save(s, pathlib.Path(d) / "strategy.yaml")
...     stratkit.load(path) == s
True
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from stratkit._files import write_atomically
from stratkit.errors import SaveError, StrategyFileError, UnsafeFileError
from stratkit.io._convert import FAILED, Structurer, json_schema, unstructure
from stratkit.io._units_block import declared_units_of
from stratkit.io._yaml import read_document
from stratkit.model import Strategy

__all__ = [
    "FORMAT_VERSION",
    "dumps",
    "load",
    "loads",
    "resolve_strategy_path",
    "save",
    "strategy_schema",
]

FORMAT_VERSION = 1
"""The version of the strategy file format written by this release."""
_VERSION_KEY = "stratkit_format"
_HEADER = (
    "# A stratkit strategy file (format {version}).\n"
    "# Edit it by hand; check it with `stratkit validate`. The format is described\n"
    "# in the stratkit documentation, and its JSON Schema by `stratkit schema`.\n"
)
_NAMES = ("strategy.yaml", "strategy.yml", "strategy.json")


def resolve_strategy_path(path: str | os.PathLike[str]) -> Path:
    """A strategy file, or the ``strategy.yaml`` inside a folder."""
    p = Path(path)
    if p.is_dir():
        for name in _NAMES:
            if (p / name).is_file():
                return p / name
        raise StrategyFileError(
            str(p),
            [_problem(str(p), "no strategy file in this folder", expected=" or ".join(_NAMES))],
        )
    return p


def _problem(file: str, message: str, **kw: Any) -> Any:
    from stratkit.errors import Problem

    return Problem(file=file, message=message, **kw)


def loads(raw: bytes | str, *, file: str = "<string>") -> Strategy:
    """Load a strategy from YAML or JSON text; every problem is reported at once."""
    data_bytes = raw.encode("utf-8") if isinstance(raw, str) else raw
    doc, problems, unsafe = read_document(data_bytes, file)
    if doc is None:
        raise (UnsafeFileError if unsafe else StrategyFileError)(file, problems)
    structurer = Structurer(file, lambda path, key: doc.position(path, key=key))
    structurer.raw_numbers = doc.raw_numbers
    data = doc.data
    if not isinstance(data, dict):
        structurer.add(
            "", "the top level must be a mapping of strategy fields", found=type(data).__name__
        )
        raise StrategyFileError(file, [*problems, *structurer.problems])
    data = dict(data)
    version = data.pop(_VERSION_KEY, FORMAT_VERSION)
    if version != FORMAT_VERSION:
        structurer.add(
            _VERSION_KEY,
            "unsupported format version",
            expected=str(FORMAT_VERSION),
            found=repr(version),
        )
    with declared_units_of(data, structurer):
        strategy = structurer.structure(data, Strategy, "")
    all_problems = list(dict.fromkeys([*problems, *structurer.problems]))
    if all_problems or strategy is FAILED:
        raise StrategyFileError(file, all_problems)
    assert isinstance(strategy, Strategy)
    return strategy


def load(path: str | os.PathLike[str]) -> Strategy:
    """Load a strategy from a YAML or JSON file, or a folder holding ``strategy.yaml``.

    Raises :class:`~stratkit.errors.StrategyFileError` listing every problem
    with its file, line, column and field path.
    """
    p = resolve_strategy_path(path)
    try:
        with p.open("rb") as fh:
            from stratkit.io._yaml import MAX_BYTES

            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise StrategyFileError(
            str(p), [_problem(str(p), f"cannot read file: {exc.strerror}")]
        ) from None
    return loads(raw, file=str(p))


def _to_data(strategy: Strategy) -> dict[str, Any]:
    return {_VERSION_KEY: FORMAT_VERSION, **unstructure(strategy)}


def dumps(strategy: Strategy, *, format: str = "yaml") -> str:
    """The strategy as YAML (``format="yaml"``) or JSON text; deterministic."""
    data = _to_data(strategy)
    if format == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
        return _YAML_UNREADABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    if format != "yaml":
        raise ValueError(f"format must be 'yaml' or 'json', not {format!r}")
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
        indent=2,
    )
    return _HEADER.format(version=FORMAT_VERSION) + body


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")  # pragma: no cover


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, and writes long text as folded blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# Characters that JSON leaves raw but the (YAML) reader refuses or reads as a
# line break: C1 controls, DEL, NEL and the Unicode line and paragraph separators.
_YAML_UNREADABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(c in value for c in "\x85\u2028\u2029"):  # only double quotes keep these
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


def save(strategy: Strategy, path: str | os.PathLike[str], *, format: str | None = None) -> Path:
    """Write ``strategy`` to ``path`` (YAML, or JSON for a ``.json`` name).

    A folder gets ``strategy.yaml`` inside it. The text is written to a
    temporary file beside the destination and renamed over it, so a failure
    never leaves a half-written file. Returns the path written.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "strategy.yaml"
    fmt = format or ("json" if p.suffix.lower() == ".json" else "yaml")
    text = dumps(strategy, format=fmt)
    try:
        write_atomically(p, text)
    except OSError as exc:
        raise SaveError(exc.errno, f"cannot write strategy to {p}: {exc.strerror}") from None
    return p


def strategy_schema() -> dict[str, Any]:
    """The JSON Schema of the strategy file format, generated from the model."""
    schema = json_schema(Strategy)
    schema["title"] = "stratkit strategy file"
    schema["properties"] = {
        _VERSION_KEY: {"const": FORMAT_VERSION, "description": "format version"},
        **schema["properties"],
    }
    return schema
