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
from stratkit.errors import StrategyFileError, UnsafeFileError
from stratkit.io._convert import FAILED, Structurer, json_schema, unstructure
from stratkit.io._units_block import declared_units_of
from stratkit.io._yaml import MAX_BYTES, read_document
from stratkit.model import Strategy

__all__ = [
    "FORMAT_VERSION",
    "MAX_BYTES",
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


def loads(raw: bytes | str, *, file: str = "<string>", max_bytes: int = MAX_BYTES) -> Strategy:
    """Load a strategy from YAML or JSON text; every problem is reported at once.

    Text longer than ``max_bytes`` (UTF-8) is refused with
    :class:`~stratkit.errors.UnsafeFileError` before it is parsed.
    """
    data_bytes = raw.encode("utf-8") if isinstance(raw, str) else raw
    doc, problems, unsafe = read_document(data_bytes, file, max_bytes=max_bytes)
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


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Strategy:
    """Load a strategy from a YAML or JSON file, or a folder holding ``strategy.yaml``.

    Raises :class:`~stratkit.errors.StrategyFileError` listing every problem
    with its file, line, column and field path. A file larger than
    ``max_bytes`` (default :data:`MAX_BYTES`, 20 MB, about 40,000 outcomes)
    is refused with :class:`~stratkit.errors.UnsafeFileError` before it is
    read in full; raise the limit for a file you trust.
    """
    p = resolve_strategy_path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise StrategyFileError(
            str(p), [_problem(str(p), f"cannot read file: {exc.strerror or exc}")]
        ) from None
    return loads(raw, file=str(p), max_bytes=max_bytes)


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


def save(
    strategy: Strategy,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    fresh: bool = False,
) -> Path:
    """Write ``strategy`` to ``path`` (YAML, or JSON for a ``.json`` name).

    A folder gets ``strategy.yaml`` inside it. The text is written to a
    temporary file beside the destination and renamed over it, so a failure
    never leaves a half-written file. Returns the path written.

    Saving over an existing YAML file keeps what a person wrote there
    (comments, key order, quoting, layout) wherever the content did not
    change, when the ``roundtrip`` extra (ruamel.yaml) is installed and the
    existing file passes the same safety checks as :func:`load`. Otherwise,
    or with ``fresh=True``, or for JSON, the file is written fresh from the
    strategy, in stratkit's own layout, and a hand-written file's comments
    are lost. Either way the file loads back to exactly ``strategy``.

    Raises :class:`~stratkit.errors.SaveError` naming ``path`` when it cannot
    be written, or is a symbolic link, a device or a file with other hard links.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "strategy.yaml"
    fmt = format or ("json" if p.suffix.lower() == ".json" else "yaml")
    text = None
    if fmt == "yaml" and not fresh and p.is_file():
        text = _edited(strategy, p)
    if text is None:
        text = dumps(strategy, format=fmt)
    write_atomically(p, text)
    return p


def _edited(strategy: Strategy, path: Path) -> str | None:
    """``path``'s text edited to hold ``strategy``, if that keeps the content exact."""
    from stratkit.errors import StratkitError
    from stratkit.io._roundtrip import available, edit_existing

    if not available():
        return None
    try:  # the file as it is now: only a valid strategy file is worth keeping
        before = load(path)
        current = path.read_text(encoding="utf-8")
    except (StratkitError, OSError, UnicodeDecodeError):
        return None
    if current == dumps(before):
        return None  # stratkit's own layout: rewritten in it, byte for byte stable
    if before == strategy:
        return current  # nothing changed: the file stays exactly as it is
    text = edit_existing(path, _to_data(before), _to_data(strategy), MAX_BYTES)
    if text is None:
        return None
    try:
        same = loads(text, file=str(path)) == strategy
    except StratkitError:
        same = False
    return text if same else None


def strategy_schema() -> dict[str, Any]:
    """The JSON Schema of the strategy file format, generated from the model."""
    schema = json_schema(Strategy)
    schema["title"] = "stratkit strategy file"
    schema["properties"] = {
        _VERSION_KEY: {"const": FORMAT_VERSION, "description": "format version"},
        **schema["properties"],
    }
    return schema
