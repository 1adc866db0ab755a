"""The fuzz suite (issue 15): mutated example strategies and observation files end
in a result or a ``StratkitError``, in time proportional to their size.

By default each test runs a fixed set of seeded cases (the same in every run
and on CI). ``pytest tests/fuzz --fuzz-examples 2000`` (or
``STRATKIT_FUZZ_EXAMPLES=2000``) runs that many fresh random cases instead.
``benchmarks/bench_fuzz.py`` measures the throughput and the slowest case
per byte.

Assertions about *how* the observations reader refuses a file belong to its
own tests; here it must only refuse with a ``StratkitError`` or read, in
bounded time.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import mutations

_LONG = int(os.environ.get("STRATKIT_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=_LONG or 25,
    derandomize=not _LONG,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
STRATEGIES = mutations.examples()
OBSERVATIONS = mutations.observation_files()

# The time bound: generous (the machine is shared and noisy), so it only
# catches a hang or a super-linear path; bench_fuzz.py gives the real figure.
SECONDS_BASE = 10.0
SECONDS_PER_BYTE = 1e-4


def _bound(raw: bytes) -> float:
    return SECONDS_BASE + SECONDS_PER_BYTE * len(raw)


@seed(15)
@FUZZ
@given(name=st.sampled_from(sorted(STRATEGIES)), case=st.integers(0, 2**32), n=st.integers(1, 4))
def test_node_mutations_load_or_are_refused(name: str, case: int, n: int) -> None:
    raw = mutations.mutate_nodes(STRATEGIES[name], random.Random(case), n)
    stage, seconds = mutations.timed(mutations.check, raw)
    assert stage in ("refused", "reported")
    assert seconds < _bound(raw), (stage, seconds, len(raw))


@seed(15)
@FUZZ
@given(name=st.sampled_from(sorted(STRATEGIES)), case=st.integers(0, 2**32), n=st.integers(1, 6))
def test_byte_mutations_load_or_are_refused(name: str, case: int, n: int) -> None:
    raw = mutations.mutate_bytes(STRATEGIES[name], random.Random(case), n)
    stage, seconds = mutations.timed(mutations.check, raw)
    assert stage in ("refused", "reported")
    assert seconds < _bound(raw), (stage, seconds, len(raw))


@pytest.mark.skipif(not OBSERVATIONS, reason="no example observations in this checkout")
@seed(15)
@FUZZ
@given(case=st.integers(0, 2**32), n=st.integers(1, 6))
def test_mutated_observations_are_read_or_refused(
    tmp_path_factory: pytest.TempPathFactory, case: int, n: int
) -> None:
    rng = random.Random(case)
    name = rng.choice(sorted(OBSERVATIONS))
    raw = mutations.mutate_bytes(OBSERVATIONS[name], rng, n)
    folder = tmp_path_factory.mktemp("obs")
    stage, seconds = mutations.timed(mutations.read_observations_bytes, raw, folder)
    assert stage in ("read", "refused")
    assert seconds < _bound(raw)


def test_the_example_strategies_survive_being_evaluated_with_their_data() -> None:
    import stratkit

    for name in stratkit.examples.names():
        observations = None
        if any(k.startswith(name + "/") for k in OBSERVATIONS):
            observations = stratkit.examples.load_observations(name)
        stage = mutations.check(STRATEGIES[name], observations=observations)
        assert stage == "reported", name


@pytest.mark.parametrize("value", mutations.HOSTILE_VALUES, ids=repr)
def test_every_hostile_value_in_every_field_of_the_minimal_file(value: object) -> None:
    """Each hostile value placed at each node of the minimal strategy, in turn."""
    import copy

    import yaml

    data = yaml.safe_load(STRATEGIES["minimal"])
    for path in mutations._containers(data)[1:]:
        mutated = copy.deepcopy(data)
        parent = mutations._get(mutated, path[:-1])
        parent[path[-1]] = copy.deepcopy(value)
        raw = yaml.safe_dump(mutated, allow_unicode=True).encode("utf-8")
        stage, seconds = mutations.timed(mutations.check, raw)
        assert stage in ("refused", "reported")
        assert seconds < _bound(raw), (path, seconds)
