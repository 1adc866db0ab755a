"""What a board pack holds beyond the evaluation: commentary, branding, the trust's own
templates, and which outcomes a committee reviews.

:func:`load_pack` reads them from a strategy folder: ``commentary.yaml``,
``branding.yaml`` and a ``templates/`` folder, each optional. A committee pack
selects ambitions (``ambitions=("1", "2")``) or what a forum oversees
(``forum="Quality and Safety Committee"``); the front page says what was selected.

>>> import stratkit
>>> from stratkit.reporting.pack import PackOptions, select_outcomes
>>> strategy = stratkit.examples.load("kmpt_2023_26")
>>> chosen = select_outcomes(strategy, PackOptions(ambitions=("2",)))
>>> chosen.description
'ambition 2 (People who work for us)'
>>> len(chosen.outcome_ids)
17
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from stratkit.errors import SelectionError
from stratkit.reporting.branding import BRANDING_FILE, Branding, read_branding
from stratkit.reporting.commentary import COMMENTARY_FILE, Commentary, read_commentary

__all__ = ["TEMPLATES_FOLDER", "PackOptions", "Selection", "load_pack", "select_outcomes"]

TEMPLATES_FOLDER = "templates"


def _ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


@attrs.frozen(kw_only=True)
class PackOptions:
    """The board pack's settings: commentary, branding, templates and selection."""

    commentary: Commentary = attrs.field(factory=Commentary)
    branding: Branding = attrs.field(factory=Branding)
    templates: Path | None = None
    """A folder of templates that override the built-in ones by file name."""
    ambitions: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    """Ambition (or enabler) ids: a pack of only these."""
    forum: str | None = None
    """A forum's name: a pack of only the outcomes it oversees."""


@attrs.frozen(kw_only=True)
class Selection:
    """The outcomes a pack shows (in strategy order) and, for a committee pack, what
    was selected in words (empty for the whole strategy)."""

    outcome_ids: tuple[str, ...]
    description: str = ""


def load_pack(
    folder: str | os.PathLike[str],
    *,
    ambitions: Iterable[str] = (),
    forum: str | None = None,
) -> PackOptions:
    """Read a strategy folder's ``commentary.yaml``, ``branding.yaml`` and
    ``templates/`` (each optional) into :class:`PackOptions`."""
    root = Path(folder)
    if root.is_file():
        root = root.parent
    commentary_path = root / COMMENTARY_FILE
    branding_path = root / BRANDING_FILE
    templates = root / TEMPLATES_FOLDER
    return PackOptions(
        commentary=read_commentary(commentary_path) if commentary_path.is_file() else Commentary(),
        branding=read_branding(branding_path) if branding_path.is_file() else Branding(),
        templates=templates if templates.is_dir() else None,
        ambitions=tuple(ambitions),
        forum=forum,
    )


def select_outcomes(strategy: Any, options: PackOptions | None) -> Selection:
    """The outcomes of the pack: every outcome, or those of the selected ambitions and
    of the forum's oversight (both given: outcomes in both).

    Raises:
        SelectionError: an unknown ambition or forum, or nothing selected.
    """
    every = [o.id for o in strategy.outcomes()]
    if options is None or (not options.ambitions and options.forum is None):
        return Selection(outcome_ids=tuple(every))
    chosen = set(every)
    words = []
    if options.ambitions:
        known = {a.id: a for a in strategy.ambitions}
        unknown = [a for a in options.ambitions if a not in known]
        if unknown:
            listing = ", ".join(f"{a.id} ({a.title})" for a in strategy.ambitions)
            raise SelectionError(
                f"no ambition {', '.join(repr(u) for u in unknown)} in {strategy.title}; "
                f"the ambitions and enablers are {listing}"
            )
        picked = list(dict.fromkeys(options.ambitions))
        ids = {o.id for a in picked for o in known[a].outcomes()}
        chosen &= ids
        names = [f"{known[a].kind.value} {a} ({known[a].title})" for a in picked]
        words.append(" and ".join(names))
    if options.forum is not None:
        overseen_by = getattr(strategy, "overseen_by", None)
        if overseen_by is None:
            raise SelectionError("this version of stratkit records no forum oversight")
        try:
            ids = {o.id for o in overseen_by(options.forum)}
        except KeyError as exc:
            raise SelectionError(str(exc.args[0]) if exc.args else str(exc)) from None
        chosen &= ids
        words.append(f"the outcomes the {options.forum} oversees")
    selected = tuple(i for i in every if i in chosen)
    description = "; ".join(words)
    if not selected:
        raise SelectionError(f"the pack would be empty: no outcome is in {description}")
    return Selection(outcome_ids=selected, description=description)
