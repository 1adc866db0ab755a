"""Benchmark: StratML reading and writing, and how quickly hostile XML is refused.

Run from the repository root::

    .venv/bin/python benchmarks/bench_stratml.py [--repeat 5]

It prints, best of ``--repeat`` runs each, for the KMPT 2023-26 example as a
Part 2 performance plan (72 performance indicators):

* ``export``: ``stratml_text`` (the strategy to StratML text);
* ``hardened parse``: stratkit's hardened expat parse of that text alone;
* ``stdlib parse``: the baseline, ``xml.etree.ElementTree.fromstring`` of the
  same bytes, in the same run (the ratio is the price of the safety checks);
* ``import``: ``read_stratml`` end to end (parse, map, build the model);

then, for hostile files (a billion-laughs bomb, a million nested elements,
one element of 19 MB of text), the time to refuse each as a ratio of the
time to import the honest plan: a refusal must cost no more than reading a
real plan.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import stratkit
from stratkit.errors import UnsafeFileError
from stratkit.io.stratml import read_stratml, stratml_text
from stratkit.io.stratml._safe import MAX_BYTES, parse_xml

sys.path.insert(0, str(Path(__file__).parent))
from timing import best_of

BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]><StrategicPlan><Name>&lol9;</Name></StrategicPlan>"
)
DEEP = b"<StrategicPlan>" + b"<a>" * 1_000_000 + b"</a>" * 1_000_000 + b"</StrategicPlan>"
HUGE_TEXT = b"<StrategicPlan><Name>" + b"x" * (MAX_BYTES - 100) + b"</Name></StrategicPlan>"


def refuse(raw: bytes) -> None:
    try:
        read_stratml(raw, "hostile.xml")
    except UnsafeFileError:
        return
    raise AssertionError("a hostile file was read")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    strategy = stratkit.examples.load("kmpt_2023_26")
    text = stratml_text(strategy, part=2)
    raw = text.encode("utf-8")
    assert read_stratml(raw) == strategy
    t_export = best_of(lambda: stratml_text(strategy, part=2), repeat)[0]
    t_safe = best_of(lambda: parse_xml(raw, "kmpt.xml"), repeat)[0]
    t_stdlib = best_of(lambda: ET.fromstring(raw), repeat)[0]
    t_import = best_of(lambda: read_stratml(raw), repeat)[0]
    print(f"KMPT 2023-26, Part 2: {len(raw):,} bytes")
    print(f"  export          {t_export * 1e3:8.1f} ms")
    print(f"  hardened parse  {t_safe * 1e3:8.1f} ms")
    print(f"  stdlib parse    {t_stdlib * 1e3:8.1f} ms  (baseline)")
    print(f"  import          {t_import * 1e3:8.1f} ms")
    print(f"  hardened parse / stdlib parse: {t_safe / t_stdlib:.2f}x")
    for name, hostile in (
        ("billion laughs", BOMB),
        ("1,000,000 nested elements", DEEP),
        ("19 MB of text in one element", HUGE_TEXT),
    ):
        t = best_of(lambda h=hostile: refuse(h), repeat)[0]
        print(f"  refuse {name:30s} {t * 1e3:8.2f} ms = {t / t_import:.3f}x an import")


if __name__ == "__main__":
    main()
