"""The exceptions stratkit raises.

Every exception derives from :class:`StratkitError`, and each also subclasses
the builtin that fits it, so ``except ValueError`` keeps working in code that
does not know stratkit::

    StratkitError (Exception)
    ├── InvalidStrategyError (ValueError)     a strategy breaks a rule; .problems
    │   └── StrategyFileError                 ... found while loading a file
    │       ├── UnsafeFileError               the file is refused before parsing
    │       └── PackFileError                 commentary.yaml or branding.yaml is wrong
    ├── UnitError (ValueError)                 unit trouble
    │   ├── UnknownUnitError                  "95 precent": no such unit
    │   └── DimensionalityError (TypeError)   hours where a percent was expected
    ├── ObservationsError (ValueError)        observations table is malformed; .problems
    ├── ObservationsWarning (UserWarning)     rows set aside by a lenient read; .problems
    ├── SPCInputError (ValueError)            SPC input cannot be charted
    ├── SelectionError (ValueError)           a committee pack selects nothing known
    ├── SaveError (OSError)                   a file could not be written
    ├── ReportFormatError (ValueError)        an output format or file suffix stratkit cannot write
    └── MissingExtraError (ImportError)       an optional extra is needed (pip install ...)

A *missed target* is never an exception: evaluations report it as a finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

__all__ = [
    "DimensionalityError",
    "InvalidStrategyError",
    "MissingExtraError",
    "ObservationsError",
    "ObservationsWarning",
    "PackFileError",
    "Problem",
    "ReportFormatError",
    "SPCInputError",
    "SaveError",
    "SelectionError",
    "StrategyFileError",
    "StratkitError",
    "UnitError",
    "UnknownUnitError",
    "UnsafeFileError",
]


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with an input, with where it is.

    ``path`` is the field path inside the document, for example
    ``ambitions[1].objectives[0].outcomes[4].target.value``; ``line`` and
    ``column`` are 1-based positions in the file when they are known.
    """

    message: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None

    def location(self) -> str:
        """``file:line:column`` (as much as is known), then the field path."""
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        if self.path:
            where = f"{where} @ {self.path}" if where else self.path
        return where

    def __str__(self) -> str:
        text = self.message
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += f", found {self.found}"
        if self.hint is not None:
            text += f" ({self.hint})"
        where = self.location()
        # text from the file (a key, a value) cannot move the cursor or reorder the line
        from stratkit._safe_text import neutralise

        return neutralise(f"{where}: {text}" if where else text, one_line=True)


class StratkitError(Exception):
    """Root of every exception raised by stratkit."""

    _init_args: tuple[Any, ...] | None = None

    def __reduce__(self) -> Any:
        # An exception pickles as ``cls(*self.args)``; ours take other arguments,
        # and must cross process boundaries (multiprocessing, Dask, Spark).
        if self._init_args is None:
            return super().__reduce__()
        return (type(self), self._init_args, self.__dict__)


class _ProblemsMixin:
    problems: tuple[Problem, ...]

    def _init_problems(self, problems: Iterable[Problem], headline: str) -> str:
        self.problems = tuple(problems)
        lines = [headline]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class InvalidStrategyError(_ProblemsMixin, StratkitError, ValueError):
    """A strategy (or part of one) breaks one or more rules.

    ``problems`` lists every problem found, each with its field path.
    """

    def __init__(self, problems: Iterable[Problem], headline: str | None = None) -> None:
        problems = tuple(problems)
        n = len(problems)
        default = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__(self._init_problems(problems, headline or default))
        self._init_args = (problems, headline)


class StrategyFileError(InvalidStrategyError):
    """A strategy file could not be loaded; ``problems`` carry file, line and column."""

    def __init__(self, file: str, problems: Iterable[Problem]) -> None:
        problems = tuple(problems)
        self.file = file
        n = len(problems)
        super().__init__(problems, f"{file}: {n} problem{'s' if n != 1 else ''} found")
        self._init_args = (file, problems)


class UnsafeFileError(StrategyFileError):
    """The file was refused before it was parsed (size, aliases, object tags)."""


class PackFileError(StrategyFileError):
    """A board pack file in the strategy folder (``commentary.yaml``,
    ``branding.yaml``) could not be read; ``problems`` carry file, line and field."""


class SelectionError(StratkitError, ValueError):
    """A committee pack's selection (``--ambition``, ``--forum``) names nothing in the
    strategy, or selects no outcome."""


class UnitError(StratkitError, ValueError):
    """Something is wrong with a unit."""


class UnknownUnitError(UnitError):
    """A unit name stratkit does not know; ``suggestions`` holds close matches."""

    def __init__(
        self, name: str, suggestions: Iterable[str] = (), note: str | None = None
    ) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        self.note = note
        msg = f"unknown unit {name!r}"
        if note:
            msg += f": {note}"
        if self.suggestions:
            msg += f" (did you mean {' or '.join(repr(s) for s in self.suggestions)}?)"
        super().__init__(msg)
        self._init_args = (name, self.suggestions, note)


class DimensionalityError(UnitError, TypeError):
    """A value's unit cannot be converted to the unit required.

    Never converted silently: hours are not percent, and percent is not
    percentage points.
    """

    def __init__(self, found: str, expected: str, context: str = "") -> None:
        self.found_unit = found
        self.expected_unit = expected
        self.context = context
        msg = f"cannot convert {found!r} to {expected!r}: different dimensions"
        if context:
            msg = f"{context}: {msg}"
        super().__init__(msg)
        self._init_args = (found, expected, context)


class ObservationsError(_ProblemsMixin, StratkitError, ValueError):
    """An observations table is malformed; ``problems`` lists each bad row or column."""

    def __init__(self, problems: Iterable[Problem], source: str = "observations") -> None:
        problems = tuple(problems)
        self.source = source
        n = len(problems)
        super().__init__(
            self._init_problems(problems, f"{source}: {n} problem{'s' if n != 1 else ''} found")
        )
        self._init_args = (problems, source)


class ObservationsWarning(StratkitError, UserWarning):
    """Observations were read, but rows with problems were set aside.

    Issued by a lenient read (the default: one bad row never stops the
    others); ``problems`` lists each, located. Pass ``strict=True`` to
    :func:`~stratkit.io.read_observations` to have an
    :class:`ObservationsError` instead.
    """

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems = tuple(problems)
        super().__init__(message)
        self._init_args = (message, self.problems)


class SPCInputError(StratkitError, ValueError):
    """Values or options that an SPC chart cannot be computed from."""


class SaveError(StratkitError, OSError):
    """A file (strategy, observations, report) could not be written; the
    destination is left untouched.

    ``filename`` is the destination the caller named (never a temporary
    file) and ``strerror`` the reason.
    """

    def __str__(self) -> str:
        if self.filename is not None and self.strerror:
            return f"cannot write {self.filename}: {self.strerror}"
        return super().__str__()


class ReportFormatError(StratkitError, ValueError):
    """An output format, or a file suffix, that stratkit cannot write.

    The message names the file (when there is one), what was found, and the
    formats and suffixes that are known.
    """


class MissingExtraError(StratkitError, ImportError):
    """A feature needs an optional extra that is not installed.

    ``extra`` is the extra's name: ``pip install "stratkit-nhs[<extra>]"``
    installs it.
    """

    def __init__(self, feature: str, extra: str, detail: str = "") -> None:
        self.feature = feature
        self.extra = extra
        message = (
            f'{feature} needs the optional {extra!r} extra: pip install "stratkit-nhs[{extra}]"'
        )
        super().__init__(message + (f"; {detail}" if detail else ""))
        self._init_args = (feature, extra, detail)
