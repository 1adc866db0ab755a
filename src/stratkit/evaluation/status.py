"""Statuses, RAG colours, forecast verdicts and the stable finding codes.

A status is one of six words. Each maps to one RAG colour:

============== ====== =====================================================
status         RAG    meaning
============== ====== =====================================================
achieved       green  the target is met, and the met is sustained (the
                      policy's most recent values all meet it) or the
                      process reliably meets it (SPC assurance "pass")
on_track       green  on or ahead of the trajectory, or met but not yet
                      sustained; or, for a direction only, special-cause
                      improvement
at_risk        amber  behind the trajectory, within the policy's tolerance;
                      or met while the process's limits all miss the target
off_track      red    behind the trajectory beyond the tolerance, or missed
no_data        grey   judgeable, but no observation on or before ``as_of``
not_measurable grey   cannot be judged: no measure, no target, no baseline
============== ====== =====================================================

Roll-ups report the *worst* status, in this order (worst first)::

    off_track > at_risk > no_data > not_measurable > on_track > achieved

``no_data`` ranks above ``not_measurable`` because missing data for a
measurable outcome is a reporting failure the board can fix this month, while
an unmeasurable outcome is a known gap in the strategy itself.

Every verdict carries a stable code (``"SK130"``); :data:`CODES` lists them.
Codes never change meaning; new situations get new codes.
"""

from __future__ import annotations

import enum

__all__ = ["CODES", "RAG", "WORST_FIRST", "ForecastVerdict", "Status", "worst"]


class RAG(str, enum.Enum):
    """Red, amber, green, or grey when an outcome cannot be judged."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"

    def __str__(self) -> str:
        return str(self.value)


class Status(str, enum.Enum):
    """How an outcome stands against its target (compares equal to its string value)."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NOT_MEASURABLE = "not_measurable"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def rag(self) -> RAG:
        """The RAG colour: achieved and on track are green, at risk amber, off track red.

        >>> Status.AT_RISK.rag.value
        'amber'
        """
        return _RAG[self]

    @property
    def label(self) -> str:
        """The status in words for people: ``"On track"``."""
        return _LABELS[self]

    @property
    def severity(self) -> int:
        """Rank in the worst-first order: 0 for off track up to 5 for achieved."""
        return WORST_FIRST.index(self)

    @property
    def judged(self) -> bool:
        """Whether the outcome could be judged (not no data, not not measurable)."""
        return self not in (Status.NO_DATA, Status.NOT_MEASURABLE)


_RAG = {
    Status.ACHIEVED: RAG.GREEN,
    Status.ON_TRACK: RAG.GREEN,
    Status.AT_RISK: RAG.AMBER,
    Status.OFF_TRACK: RAG.RED,
    Status.NO_DATA: RAG.GREY,
    Status.NOT_MEASURABLE: RAG.GREY,
}
_LABELS = {
    Status.ACHIEVED: "Achieved",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.NO_DATA: "No data",
    Status.NOT_MEASURABLE: "Not measurable",
}

WORST_FIRST: tuple[Status, ...] = (
    Status.OFF_TRACK,
    Status.AT_RISK,
    Status.NO_DATA,
    Status.NOT_MEASURABLE,
    Status.ON_TRACK,
    Status.ACHIEVED,
)
"""Statuses from worst to best, the order roll-ups use for ``worst``."""


def worst(statuses: list[Status] | tuple[Status, ...]) -> Status | None:
    """The worst of ``statuses`` in :data:`WORST_FIRST` order; ``None`` if empty.

    >>> worst([Status.ACHIEVED, Status.NO_DATA, Status.ON_TRACK]).value
    'no_data'
    """
    if not statuses:
        return None
    return min(statuses, key=lambda s: s.severity)


class ForecastVerdict(str, enum.Enum):
    """Whether the forecast at the deadline meets the target."""

    LIKELY = "likely"
    """The whole forecast interval meets the target."""
    UNLIKELY = "unlikely"
    """The whole forecast interval misses the target."""
    UNCERTAIN = "uncertain"
    """The interval straddles the target."""

    def __str__(self) -> str:
        return str(self.value)


CODES: dict[str, tuple[Status | None, str]] = {
    # evaluation findings: code -> (status, meaning)
    "SK100": (Status.ACHIEVED, "the latest value meets the target (policy achievement='latest')"),
    "SK101": (Status.ACHIEVED, "every milestone is done"),
    "SK102": (Status.ACHIEVED, "the threshold was met in every period up to the deadline"),
    "SK103": (Status.ACHIEVED, "the target is met by the policy's most recent values in a row"),
    "SK104": (
        Status.ACHIEVED,
        "the latest value meets the target and the process reliably meets it (assurance pass)",
    ),
    "SK110": (Status.ON_TRACK, "not met yet, on or ahead of the trajectory"),
    "SK111": (Status.ON_TRACK, "direction-only target: special-cause improvement"),
    "SK112": (Status.ON_TRACK, "milestones: none overdue"),
    "SK113": (Status.ON_TRACK, "recurring threshold met in every period judged so far"),
    "SK114": (
        Status.ON_TRACK,
        "no baseline, so no trajectory: not met yet, the forecast meets the target",
    ),
    "SK115": (Status.ON_TRACK, "the latest value meets the target, not yet sustained"),
    "SK120": (Status.AT_RISK, "behind the trajectory, within the tolerance"),
    "SK121": (Status.AT_RISK, "direction-only target: common cause, no significant change yet"),
    "SK122": (Status.AT_RISK, "milestones: one not started and due soon"),
    "SK123": (Status.AT_RISK, "recurring threshold: latest period met, an earlier one missed"),
    "SK124": (
        Status.AT_RISK,
        "no baseline, so no trajectory: short of target, within tolerance",
    ),
    "SK125": (
        Status.AT_RISK,
        "the latest value meets the target, but the process limits all miss it (assurance fail)",
    ),
    "SK130": (Status.OFF_TRACK, "behind the trajectory beyond the tolerance"),
    "SK131": (Status.OFF_TRACK, "the deadline has passed and the target was missed"),
    "SK132": (Status.OFF_TRACK, "direction-only target: special-cause concern"),
    "SK133": (Status.OFF_TRACK, "milestones: one or more overdue"),
    "SK134": (Status.OFF_TRACK, "recurring threshold missed in the latest period judged"),
    "SK135": (Status.OFF_TRACK, "no baseline, so no trajectory: short of target beyond tolerance"),
    "SK136": (
        Status.OFF_TRACK,
        "no baseline, so no trajectory: the forecast misses the target",
    ),
    "SK200": (Status.NO_DATA, "no observation on or before the evaluation date"),
    "SK201": (Status.NO_DATA, "direction-only target: too few points for an SPC judgement"),
    "SK202": (Status.NO_DATA, "recurring threshold: no period of the target covered by data"),
    "SK203": (Status.NO_DATA, "milestones: progress not reported"),
    "SK204": (
        Status.NO_DATA,
        "annual rate with no baseline: no two periods a year apart to compare",
    ),
    "SK300": (Status.NOT_MEASURABLE, "no measure"),
    "SK301": (Status.NOT_MEASURABLE, "no target"),
    "SK302": (Status.NOT_MEASURABLE, "relative target with no baseline value recorded"),
    "SK303": (Status.NOT_MEASURABLE, "benchmark target with no benchmark value recorded"),
    "SK304": (Status.NOT_MEASURABLE, "annual-rate target with no start date or deadline"),
    # measurability findings: what is missing to judge an outcome
    "SK401": (None, "no measure"),
    "SK402": (None, "no unit"),
    "SK403": (None, "no target value"),
    "SK404": (None, "no baseline"),
    "SK405": (None, "no deadline"),
    "SK406": (None, "no owner"),
    "SK407": (None, "no data source"),
    "SK408": (None, "no observations"),
    # data findings
    "SK501": (None, "observations for an outcome id that is not in the strategy"),
    "SK502": (None, "the latest observation is stale"),
}
"""Every stable finding code: ``code -> (status it implies or None, meaning)``."""
