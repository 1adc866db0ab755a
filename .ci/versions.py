"""Print the installed version of every direct dependency (core and the given extras).

CI runs the suite twice, with the newest versions pip picks and with the lowest
versions pyproject.toml allows; this says which set each run used.
Usage: python .ci/versions.py LABEL [EXTRA ...]
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

label, extras = sys.argv[1], sys.argv[2:]
project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
requirements = list(project["dependencies"])
for extra in extras:
    requirements += project["optional-dependencies"][extra]
names = sorted(
    {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0] for r in requirements} - {"stratkit-nhs"},
    key=str.lower,
)
shown = []
for name in names:
    try:
        shown.append(f"{name}=={metadata.version(name)}")
    except metadata.PackageNotFoundError:
        shown.append(f"{name} (not installed)")
print(f"::: {label} dependency set: " + ", ".join(shown))
