"""Mutations of the example strategies and observations, for the fuzz suite and
``benchmarks/bench_fuzz.py``.

Two levels: *node* mutations parse an example (a trusted file, with PyYAML)
and change one value, key or subtree to something hostile or clumsy, then
write YAML again; *byte* mutations edit the file's bytes (flip, insert a
hostile snippet, delete, duplicate). Both are driven by a ``random.Random``,
so hypothesis only has to draw a seed and the cases shrink to a seed.

``check(raw)`` runs what a user would run on the result and returns how far
it got; anything but a strategy or a ``StratkitError`` propagates.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import time
from pathlib import Path
from typing import Any

import yaml

import stratkit
from stratkit.errors import StratkitError

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "data" / "valid" / "minimal.yaml"

# Values that once escaped the loader or took minutes (issue 15), and their kin.
HOSTILE_VALUES: list[Any] = [
    None,
    True,
    "",
    " ",
    "9" * 5_000,
    10**400,
    -(10**30),
    1e308,
    float("inf"),
    float("nan"),
    "1e309 %",
    "-1e300 %",
    "-200 %",
    "-100 %",
    "95",
    "1 a" + " " * 5_000 + "b",
    "a" * 5_000,
    "x" * 100 + " / " + "y" * 100,
    "9999-12-31",
    dt.date(9999, 12, 31),
    dt.date(1, 1, 1),
    dt.datetime(2024, 1, 1, 12, 0),
    "X\x1b]0;PWNED\x07",
    "\u202egnp.exe",
    '=HYPERLINK("http://x/?"&A1,"x")',
    "@SUM(A1)",
    "# heading",
    "<script>alert(1)</script>",
    "precent",
    "14 precent",
    "1.1.1",
    [],
    {},
    [1, [2, [3]]],
    {"kind": "annual_rate"},
]

# Text spliced into a file at random: tags, anchors, nesting, broken quoting.
HOSTILE_SNIPPETS: list[bytes] = [
    b"!!timestamp x",
    b"!!float abc",
    b"!!int abc",
    b"!!bool maybe",
    b"!!python/object/apply:os.system ['true']",
    b"!include x",
    b"&a ",
    b"*a",
    b"<<: {kind: level}",
    b"[" * 200,
    b"{a: " * 100,
    b'"unterminated',
    b"'",
    b"\t",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"---\n",
    b"0x" + b"f" * 4_000,
    b"9" * 5_000,
    b"\x1b]0;PWNED\x07",
    "\u202e".encode(),
    b": ",
    b"- ",
    b"\n  ",
    b"? [a, b]\n: c\n",
]


def examples() -> dict[str, bytes]:
    """The strategies the fuzzer starts from: each example's file and a minimal one."""
    found = {"minimal": VALID.read_bytes()}
    for name in stratkit.examples.names():
        found[name] = (stratkit.examples.path(name) / "strategy.yaml").read_bytes()
    return found


def observation_files() -> dict[str, bytes]:
    """The examples' observation files."""
    found: dict[str, bytes] = {}
    for name in stratkit.examples.names():
        for p in sorted(stratkit.examples.path(name).glob("observations*.csv")):
            found[f"{name}/{p.name}"] = p.read_bytes()
    return found


def _containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _containers(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _containers(v, (*path, i))
    return out


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def mutate_nodes(raw: bytes, rng: random.Random, n: int = 1) -> bytes:
    """``n`` node-level mutations of a (trusted, valid) strategy file."""
    data = yaml.safe_load(raw)
    for _ in range(n):
        paths = _containers(data)
        path = rng.choice(paths[1:]) if len(paths) > 1 else ()
        if not path:
            continue
        parent = _get(data, path[:-1])
        key = path[-1]
        action = rng.randrange(6)
        if action == 0:  # a hostile value
            parent[key] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
        elif action == 1 and isinstance(parent, dict):  # drop a key
            del parent[key]
        elif action == 2 and isinstance(parent, dict):  # an unknown or hostile key
            parent[rng.choice(["unknown", "Title", "\x1b[2J", "valeu", 7])] = 1
        elif action == 3 and isinstance(parent, list):  # duplicate an item (same ids)
            parent.append(copy.deepcopy(parent[key]))
        elif action == 4:  # move a subtree elsewhere
            other = _get(data, rng.choice(paths))
            if isinstance(other, dict):
                other[f"moved_{key}"] = copy.deepcopy(parent[key])
            elif isinstance(other, list):
                other.append(copy.deepcopy(parent[key]))
        else:  # a number nudged: dates shifted, quantities rescaled
            value = parent[key]
            if isinstance(value, dt.date):
                parent[key] = value.replace(
                    year=min(max(value.year + rng.choice([-900, 900]), 1), 9999)
                )
            elif isinstance(value, str) and value[:1].isdigit():
                parent[key] = rng.choice(["-", "1e300", "0.", ""]) + value
    text = yaml.safe_dump(data, allow_unicode=rng.random() < 0.5, sort_keys=False)
    return text.encode("utf-8")


def mutate_bytes(raw: bytes, rng: random.Random, n: int = 1) -> bytes:
    """``n`` byte-level mutations: flip, insert a snippet or random bytes, delete, duplicate."""
    buf = bytearray(raw)
    for _ in range(n):
        at = rng.randrange(len(buf) + 1)
        action = rng.randrange(5)
        if action == 0 and buf:
            buf[min(at, len(buf) - 1)] = rng.randrange(256)
        elif action == 1:
            buf[at:at] = rng.choice(HOSTILE_SNIPPETS)
        elif action == 2:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        elif action == 3:
            del buf[at : at + rng.randrange(1, 200)]
        else:
            buf[at:at] = buf[at : at + rng.randrange(1, 2_000)]
    return bytes(buf)


def check(raw: bytes, *, observations: Any = None, file: str = "<fuzz>") -> str:
    """Load ``raw``; on success validate, evaluate and report it. Returns the stage
    reached: ``"refused"`` or ``"reported"``. A ``StratkitError`` from
    evaluate or report is also accepted (data that does not fit the strategy)."""
    from stratkit.reporting import report

    try:
        strategy = stratkit.loads(raw, file=file)
    except StratkitError as err:
        if not str(err):
            raise AssertionError("a refusal must say why") from err
        return "refused"
    try:
        ev = stratkit.evaluate(strategy, observations, as_of=strategy.period.end)
        report(ev, format="md")
        report(ev, format="csv")
    except StratkitError:
        return "refused"
    return "reported"


def read_observations_bytes(raw: bytes, folder: Path) -> str:
    """Read a (mutated) observations file: ``"read"`` or ``"refused"``, nothing else."""
    path = folder / "observations.csv"
    path.write_bytes(raw)
    try:
        stratkit.read_observations(path)
    except StratkitError:
        return "refused"
    return "read"


def timed(fn: Any, *args: Any, **kw: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - start
