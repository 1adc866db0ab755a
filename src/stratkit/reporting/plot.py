"""An SPC chart drawn with matplotlib (``SPCResult.plot``), in the report's colours.

matplotlib is an optional extra (``pip install "stratkit-nhs[plot]"``),
imported only when a chart is drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stratkit.errors import MissingExtraError
from stratkit.reporting.svg import BLUE, GREY, INK, LIGHT, ORANGE, PURPLE, RED

__all__ = ["POINT_COLOURS", "plot_spc"]

#: The colour of each point type (common cause points are grey).
POINT_COLOURS = {
    "special_cause_improvement": BLUE,
    "special_cause_concern": ORANGE,
    "special_cause_neutral_high": PURPLE,
    "special_cause_neutral_low": PURPLE,
}
_LABELS = {
    "common_cause": "common cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "neutral",
    "special_cause_neutral_low": "neutral",
}


def plot_spc(spc: Any, ax: Any = None, *, title: str | None = None) -> Any:
    """Draw ``spc`` (an ``SPCResult``) on ``ax`` (a new figure's when ``None``); return ``ax``.

    Raises:
        MissingExtraError: matplotlib is not installed.
    """
    try:
        import matplotlib
    except ImportError:
        raise MissingExtraError("SPCResult.plot", "plot") from None
    del matplotlib
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(9, 3.5), layout="constrained")
    x = np.asarray(spc.dates, dtype="datetime64[D]")
    y = np.asarray(spc.values, dtype=np.float64)
    groups = np.asarray(spc.rebase_group)
    first = True
    for g in dict.fromkeys(groups.tolist()):
        sel = groups == g
        ax.plot(x[sel], spc.mean[sel], color=INK, lw=1.2, label="mean" if first else None)
        for limits, name in ((spc.upl, "process limits"), (spc.lpl, None)):
            ax.plot(
                x[sel],
                limits[sel],
                color=GREY,
                lw=1,
                ls=(0, (5, 3)),
                label=name if first else None,
            )
        first = False
    if spc.target is not None:
        ax.axhline(spc.target, color=RED, lw=1.5, ls=(0, (8, 4)), label="target")
    ax.plot(x, y, color=LIGHT, lw=1.5, zorder=2)
    kinds = np.asarray(spc.point_type).astype(str)
    for kind in dict.fromkeys(kinds.tolist()):
        if kind == "missing":
            continue
        sel = kinds == kind
        special = kind in POINT_COLOURS
        ax.scatter(
            x[sel],
            y[sel],
            color=POINT_COLOURS.get(kind, GREY),
            s=28 if special else 14,
            zorder=3,
            label=_LABELS.get(kind, kind.replace("_", " ")),
        )
    if spc.unit:
        ax.set_ylabel(str(spc.unit))
    if title:
        ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), loc="best", fontsize="small", frameon=False)
    ax.grid(axis="y", color="#eeeeee")
    return ax
