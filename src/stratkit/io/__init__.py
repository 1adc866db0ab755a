"""File formats at the edge: strategy files (YAML, JSON, StratML), their schema, observations.

StratML (and its XML parser) is imported on first use, so that loading a YAML
strategy does not pay for it.
"""

from typing import TYPE_CHECKING, Any

from stratkit.io.observations import (
    format_period,
    observations_to_frame,
    parse_period,
    read_observations,
    write_observations,
)
from stratkit.io.policy_file import load_policy, loads_policy
from stratkit.io.strategy_file import (
    FORMAT_VERSION,
    dumps,
    load,
    loads,
    resolve_strategy_path,
    save,
    strategy_schema,
)

if TYPE_CHECKING:
    from stratkit.io.stratml import from_stratml, stratml_observations, to_stratml

_LAZY = {"from_stratml", "stratml_observations", "to_stratml"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from stratkit.io import stratml

        return getattr(stratml, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


__all__ = [
    "FORMAT_VERSION",
    "dumps",
    "format_period",
    "from_stratml",
    "load",
    "load_policy",
    "loads",
    "loads_policy",
    "observations_to_frame",
    "parse_period",
    "read_observations",
    "resolve_strategy_path",
    "save",
    "strategy_schema",
    "stratml_observations",
    "to_stratml",
    "write_observations",
]
