"""One way to make a click test runner, on every click the ``cli`` extra allows."""

from __future__ import annotations

import inspect

from click.testing import CliRunner


def cli_runner() -> CliRunner:
    """A CliRunner whose ``result.stderr`` is captured apart from stdout.

    Click 8.2 always separates them; before 8.2 that needed ``mix_stderr=False``
    (a parameter 8.2 removed). Tests make their runners here, never with a
    bare ``CliRunner()``, so that the suite passes on the lowest click too.
    """
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()
