"""Saving over a hand-written YAML file without losing what a person wrote.

With the ``roundtrip`` extra (ruamel.yaml) installed, :func:`stratkit.save`
over an existing YAML file edits that file instead of writing a fresh one:
its comments, key order, quoting and layout stay wherever the content did not
change; changed values are replaced, removed fields dropped, new fields added
(in the model's order). Lists are matched item by item in order.

The same safety rules as loading apply: the existing file must first load
with :func:`stratkit.load` (size limit, no tags, aliases or merge keys,
bounded nesting, no duplicate keys, a valid strategy); a file that does not,
or that ruamel.yaml cannot read, is replaced by a fresh file instead. The text
produced is loaded again and must give exactly the strategy being saved, or
a fresh file is written: a round trip never changes content.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

__all__ = ["available", "edit_existing"]


def available() -> bool:
    """Whether ruamel.yaml (the ``roundtrip`` extra) is installed."""
    try:
        import ruamel.yaml  # noqa: F401
    except ImportError:
        return False
    return True


def edit_existing(
    path: Path, old_data: dict[str, Any], new_data: dict[str, Any], max_bytes: int
) -> str | None:
    """``path``'s text changed from ``old_data`` to ``new_data``, or ``None`` to write fresh.

    ``old_data`` and ``new_data`` are the unstructured (canonical) forms of the
    strategy the file holds now and of the one being saved: a part of the file
    whose canonical content is the same in both is kept exactly as written
    (``1 hour`` stays, although stratkit would write ``1 h``).
    """
    if not available():
        return None
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = _yaml(YAML)
    try:
        tree = yaml.load(text)
    except Exception:  # ruamel reads some files stratkit's reader does not: write fresh
        return None
    if not isinstance(tree, CommentedMap):
        return None
    updated = _update(tree, old_data, new_data)
    out = io.StringIO()
    try:
        yaml.dump(updated, out)
    except Exception:  # pragma: no cover - ruamel cannot write a value: write fresh
        return None
    return out.getvalue()


def _yaml(factory: Any) -> Any:
    yaml = factory(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line the person wrote
    yaml.indent(mapping=2, sequence=4, offset=2)  # as stratkit writes: lists under their key
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    return yaml


_MISSING = object()


def _update(node: Any, old: Any, new: Any) -> Any:
    """``node`` (ruamel's, holding canonical ``old``) changed to hold ``new``,
    keeping every part whose canonical content did not change."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if old is not _MISSING and _same(old, new):
        return node
    if isinstance(new, dict) and isinstance(node, CommentedMap):
        old_map = old if isinstance(old, dict) else {}
        for key in [k for k in node if k not in new and k in old_map]:
            del node[key]  # a field the strategy no longer has
        for position, (key, value) in enumerate(new.items()):
            if key in node:
                node[key] = _update(node[key], old_map.get(key, _MISSING), value)
            elif key in old_map and _same(old_map[key], value):
                continue  # left out by the person, implied (a default): still implied
            else:
                node.insert(min(position, len(node)), key, _fresh(value))
        return node
    if isinstance(new, list) and isinstance(node, CommentedSeq):
        old_list = old if isinstance(old, list) else []
        del node[len(new) :]
        for i, value in enumerate(new):
            if i < len(node):
                before = old_list[i] if i < len(old_list) else _MISSING
                node[i] = _update(node[i], before, value)
            else:
                node.append(_fresh(value))
        return node
    return _fresh(new)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    if isinstance(old, bool) is not isinstance(new, bool):
        return False
    if isinstance(old, dt.datetime) is not isinstance(new, dt.datetime):
        return False
    try:
        return bool(old == new) and type(old == new) is bool
    except Exception:  # pragma: no cover - incomparable values
        return False


def _fresh(value: Any) -> Any:
    """A new value as ruamel should write it: multi-line text as a ``|`` block."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    if (
        isinstance(value, str)
        and "\n" in value
        and not any(c in value for c in "\x85\u2028\u2029")
    ):
        return LiteralScalarString(value)
    return value
