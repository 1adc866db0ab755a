"""The :class:`Evaluation`: every outcome's result, roll-ups, and exports."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from stratkit.evaluation._export import parents_of, results_frame
from stratkit.evaluation.measurability import Finding, MeasurabilityReport
from stratkit.evaluation.policy import Policy
from stratkit.evaluation.results import OutcomeResult
from stratkit.evaluation.rollup import Rollup, rollup
from stratkit.model import Strategy

__all__ = ["FORMAT_VERSION", "Evaluation"]

#: The version of the layout of :meth:`Evaluation.to_dict` (and ``evaluate --format json``).
#: Version 1 had no ``format_version`` key and no SPC fields.
FORMAT_VERSION = 2


@attrs.frozen(kw_only=True, eq=False)
class Evaluation:
    """A strategy evaluated against observations as of a date.

    Iterating gives the per-outcome results in strategy order;
    ``evaluation["2.2.1"]`` looks one up. ``unknown_outcome_ids`` lists ids
    found in the observations but not in the strategy: they are reported
    here, never dropped silently.

    The verdicts are computed, all at once, by :func:`evaluate`; the
    per-outcome objects in ``results`` (and the ``measurability`` report) are
    built on first access, so that a national portfolio of 15,000 outcomes
    can be evaluated and summarised as columns without building them.
    """

    strategy: Strategy = attrs.field(repr=False)
    as_of: dt.date
    policy: Policy
    unknown_outcome_ids: tuple[str, ...] = ()
    illustrative: bool = False
    source: str | None = None
    build_results: Callable[[], tuple[OutcomeResult, ...]] = attrs.field(repr=False)
    build_measurability: Callable[[], MeasurabilityReport] = attrs.field(repr=False)
    columns: dict[str, Any] = attrs.field(factory=dict, repr=False)
    """The verdicts as columns (numpy arrays, one row per outcome in strategy order):
    ``outcome_id``, ``status`` (the status value; None for outcomes judged
    outside the vectorised core: milestones, recurring thresholds, outcomes
    that cannot be measured), ``code``, ``n_points``, ``latest_value``,
    ``target_value``, ``baseline_value``, ``expected``, ``gap``, ``progress``,
    ``deviation``, ``forecast``, ``forecast_low``, ``forecast_high``,
    ``forecast_verdict``, ``forecast_probability``, ``forecast_clipped``,
    ``variation_icon``, ``assurance_icon`` (None without a chart) and
    ``spc_conflict`` (where the status and the SPC icons disagree, in words;
    None where they agree). Built without any per-outcome object: the fast
    path for national portfolios."""
    _cache: dict[str, Any] = attrs.field(init=False, factory=dict, repr=False)

    @property
    def results(self) -> tuple[OutcomeResult, ...]:
        """Every outcome's result, in strategy order."""
        found = self._cache.get("results")
        if found is None:
            found = self._cache["results"] = self.build_results()
            mine = self._itself
            for r in found:  # each result knows its evaluation (one shared, cheap loader)
                object.__setattr__(r, "evaluation_loader", mine)
        return found

    def _itself(self) -> Evaluation:
        return self

    @property
    def measurability(self) -> MeasurabilityReport:
        """The strategy's measurability report (observations checked)."""
        found = self._cache.get("measurability")
        if found is None:
            found = self._cache["measurability"] = self.build_measurability()
        return found

    @property
    def _by_id(self) -> dict[str, OutcomeResult]:
        found = self._cache.get("by_id")
        if found is None:
            found = self._cache["by_id"] = {r.outcome_id: r for r in self.results}
        return found

    def __repr__(self) -> str:
        """``<Evaluation of 'title' as of 2025-03-31: 72 outcomes (16 off track, ...)>``."""
        from stratkit.model._common import brief, plural

        counts = self.overall.counts
        parts = [f"{n} {s.label.lower()}" for s, n in counts.items() if n]
        text = (
            f"<Evaluation of {brief(self.strategy.title)} as of {self.as_of.isoformat()}: "
            f"{plural(len(self), 'outcome')}"
        )
        text += f" ({', '.join(parts)})" if parts else ""
        return text + (" (illustrative data)>" if self.illustrative else ">")

    def __iter__(self) -> Iterator[OutcomeResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, outcome_id: str) -> OutcomeResult:
        found = self._by_id.get(outcome_id)
        if found is None:
            close = difflib.get_close_matches(outcome_id, list(self._by_id), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise KeyError(f"no outcome {outcome_id!r} in this evaluation{hint}")
        return found

    def __contains__(self, outcome_id: object) -> bool:
        return outcome_id in self._by_id

    def objectives(self) -> tuple[Rollup, ...]:
        """One roll-up per objective, in strategy order."""
        return tuple(
            rollup(obj.id, obj.title, "objective", [self._by_id[o.id] for o in obj.outcomes])
            for obj in self.strategy.objectives()
        )

    def ambitions(self) -> tuple[Rollup, ...]:
        """One roll-up per strategic ambition or enabler (``level`` says which)."""
        return tuple(
            rollup(a.id, a.title, a.kind.value, [self._by_id[o.id] for o in a.outcomes()])
            for a in self.strategy.ambitions
        )

    def findings(self) -> tuple[Finding, ...]:
        """Data and measurability findings, each with its stable code.

        ``SK501`` for each outcome id in the observations that is not in the
        strategy, ``SK502`` for each outcome whose latest observation is
        stale, then the measurability findings (``SK401`` to ``SK408``).
        Verdicts on targets are in the results (``OutcomeResult.code``).
        """
        unknown = tuple(
            Finding(
                code="SK501",
                outcome_id=oid,
                criterion="outcome_id",
                message=f"observations for {oid!r}, which is not an outcome of the strategy",
            )
            for oid in self.unknown_outcome_ids
        )
        stale = tuple(
            Finding(
                code="SK502",
                outcome_id=r.outcome_id,
                criterion="freshness",
                message=f"outcome {r.outcome_id}: the latest observation ends "
                f"{r.freshness.latest_end} and is {r.freshness.age_days} days old "
                f"(more than {r.freshness.allowed_days} allowed)",
            )
            for r in self.results
            if r.freshness.stale
        )
        return unknown + stale + self.measurability.findings

    @property
    def overall(self) -> Rollup:
        """The roll-up of every outcome in the strategy."""
        return rollup(
            self.strategy.organisation.code or "strategy",
            self.strategy.title,
            "strategy",
            self.results,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready data: results, roll-ups, measurability and the policy.

        ``format_version`` (:data:`FORMAT_VERSION`) changes when a key is
        removed or renamed or its meaning changes; new keys may be added
        without changing it. Each result carries its ``ambition_id`` and
        ``objective_id`` and its SPC chart in full (``spc``, or ``None``).
        """
        parents = parents_of(self.strategy)
        results = []
        for r in self.results:
            d = r.to_dict()
            ambition_id, objective_id = parents.get(r.outcome_id, ("", ""))
            results.append(
                {"outcome_id": d.pop("outcome_id")}
                | {
                    "ambition_id": ambition_id,
                    "objective_id": objective_id,
                }
                | d
            )
        return {
            "format_version": FORMAT_VERSION,
            "strategy": self.strategy.title,
            "organisation": self.strategy.organisation.name,
            "as_of": self.as_of.isoformat(),
            "illustrative": self.illustrative,
            "source": self.source,
            "policy": self.policy.to_dict(),
            "unknown_outcome_ids": list(self.unknown_outcome_ids),
            "overall": self.overall.to_dict(),
            "ambitions": [r.to_dict() for r in self.ambitions()],
            "objectives": [r.to_dict() for r in self.objectives()],
            "measurability": self.measurability.to_dict(),
            "results": results,
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The evaluation as JSON text: deterministic (same input, same bytes)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def to_frame(self) -> Any:
        """One row per outcome as a pandas DataFrame (needs the optional pandas extra).

        Indexed by ``outcome_id``; columns ``ambition_id``, ``objective_id``,
        ``statement``, ``owner``, ``status`` (an ordered categorical, worst
        first: ``frame[frame.status < "on_track"]`` is what needs attention),
        ``rag``, ``code``, ``as_of``, ``unit``, the numbers behind the verdict
        (``latest_value``, ``target_value``, ``gap``, ``forecast``, ...), the
        SPC ``spc_mean``, ``spc_lpl``, ``spc_upl``, ``variation_icon`` and
        ``assurance_icon``, and freshness (``age_days``, ``stale``). Numbers
        are floats (NaN where there is none), dates are datetimes.
        """
        return results_frame(self.results, self.strategy, self.as_of)

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write an Excel workbook and return its path (needs the optional excel extra).

        Sheet ``results`` has one row per outcome (the columns of
        :meth:`to_frame`, with the words of the report beside the numbers);
        sheet ``observations`` has every observation used, one row each.
        Written atomically, like every stratkit file.

        Raises:
            MissingExtraError: openpyxl is not installed
                (``pip install "stratkit-nhs[excel]"``).
        """
        from stratkit.reporting import write_report

        return write_report(self, path, format="xlsx")

    def _repr_html_(self) -> str:
        from stratkit.reporting.notebook import (  # type: ignore[import-not-found,unused-ignore]
            evaluation_html,
        )

        return str(evaluation_html(self))
