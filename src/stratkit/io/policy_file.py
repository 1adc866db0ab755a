"""Read a policy file: the fields of :class:`~stratkit.model.Policy` as YAML or JSON.

The same fields as a strategy file's ``policy:`` block, at the top level (a
top-level ``policy:`` key holding them is accepted too, so the block can be
copied out of a strategy file as it is). ``stratkit evaluate --policy FILE``
and ``stratkit report --policy FILE`` use it.

>>> from stratkit.io import loads_policy
>>> loads_policy("achievement: latest\\nsustain: 2\\n").achievement
'latest'
"""

from __future__ import annotations

import os
from pathlib import Path

from stratkit.errors import Problem, StrategyFileError, UnsafeFileError
from stratkit.io._convert import FAILED, Structurer
from stratkit.io._yaml import MAX_BYTES, read_document
from stratkit.model import Policy

__all__ = ["load_policy", "loads_policy"]


def loads_policy(raw: bytes | str, *, file: str = "<string>") -> Policy:
    """A :class:`~stratkit.model.Policy` from YAML or JSON text; every problem at once.

    Raises :class:`~stratkit.errors.StrategyFileError` naming the file, line and
    field of each problem.
    """
    data_bytes = raw.encode("utf-8") if isinstance(raw, str) else raw
    doc, problems, unsafe = read_document(data_bytes, file)
    if doc is None:
        raise (UnsafeFileError if unsafe else StrategyFileError)(file, problems)
    structurer = Structurer(file, lambda path, key: doc.position(path, key=key))
    data, path = doc.data, ""
    if data is None:
        data = {}
    if isinstance(data, dict) and list(data) == ["policy"]:
        data, path = data["policy"], "policy"
    policy = structurer.structure(data, Policy, path)
    all_problems = [*problems, *structurer.problems]
    if all_problems or policy is FAILED:
        raise StrategyFileError(file, all_problems)
    assert isinstance(policy, Policy)
    return policy


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """A :class:`~stratkit.model.Policy` from a YAML or JSON file (see :func:`loads_policy`)."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        problem = Problem(file=str(p), message=f"cannot read file: {exc.strerror}")
        raise StrategyFileError(str(p), [problem]) from None
    return loads_policy(raw, file=str(p))
