"""Sphinx configuration for the stratkit documentation.

Build (warnings are errors; the doctests run in their own builder)::

    .venv/bin/sphinx-build -W --keep-going -b html docs docs/_build/html
    .venv/bin/sphinx-build -W --keep-going -b doctest docs docs/_build/doctest

No extension reaches the network: intersphinx is deliberately not used.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))  # stratkit_docs: tables generated from the code
sys.path.insert(1, str(HERE.parent / "src"))  # document this checkout, installed or not

import stratkit  # noqa: E402 - after the path set-up above

project = "stratkit"
author = "The stratkit developers"
copyright = "2026, The stratkit developers"
release = stratkit.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "stratkit_docs",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "requirements.txt"]
templates_path: list[str] = []

# --- MyST -------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3  # explicit #anchors for headings down to ###

# --- autodoc ----------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True}  # "Bases:" only where it matters (errors)
# ``Quantity`` and ``Unit`` are ``Annotated[Any, ...]`` aliases: keep their names.
# (Sphinx 9 prints an alias inside a union as "TypeAliasForwardRef('...')";
# the stratkit_docs extension makes it print the name.)
autodoc_type_aliases = {"Quantity": "stratkit.units.Quantity", "Unit": "stratkit.units.Unit"}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# --- doctest ----------------------------------------------------------------
# Every ``{doctest}`` fence in the pages runs in the doctest builder, and so
# does every ``>>>`` example in the docstrings autodoc pulls in (in the
# namespace of its own module: see stratkit_docs).
doctest_global_setup = """
import stratkit
"""

# --- HTML -------------------------------------------------------------------
html_theme = "alabaster"
html_title = f"stratkit {release}"
html_static_path = ["_static"]
html_css_files = ["stratkit.css"]
html_theme_options = {
    "description": "An NHS trust's strategy as data, and performance against it",
    "fixed_sidebar": True,
    "page_width": "1240px",  # room for the YAML examples and the field tables
    "sidebar_width": "230px",
    "body_max_width": "none",
    "show_relbars": True,
}
html_sidebars = {"**": ["about.html", "navigation.html", "relations.html", "searchbox.html"]}
