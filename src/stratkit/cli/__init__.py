"""The ``stratkit`` command line (needs the ``cli`` extra: ``pip install ".[cli]"``).

Commands: ``validate``, ``lint``, ``evaluate``, ``report``, ``init``,
``schema``, ``units`` and ``convert``. Exit codes: 0 success; 1 an invalid file, lint
findings, or an error reading or writing; 2 a usage error (an unknown option, a missing
argument). Errors go to standard error as one clear message without a
traceback; ``--debug`` shows the traceback.

``main`` is the click group (the ``stratkit`` script's entry point);
``_files``, ``_results``, ``_units`` and ``_convert`` add their commands to it when imported.
"""

from stratkit.cli import _convert, _files, _results, _units  # noqa: F401 - imported to add their commands
from stratkit.cli._app import main

__all__ = ["main"]
