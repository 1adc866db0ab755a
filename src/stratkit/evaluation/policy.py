"""The policy an evaluation follows: :class:`stratkit.model.Policy`, re-exported here.

The policy lives in the model so that a strategy file can carry one (a
``policy:`` block); :func:`stratkit.evaluation.evaluate` uses the one it is
given, else the strategy's, else the defaults.
"""

from __future__ import annotations

from stratkit.model.policy import ForecastMethod, Policy

__all__ = ["ForecastMethod", "Policy"]
