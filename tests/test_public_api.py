"""The public surface: ``stratkit.__all__`` is exactly what the package offers, and is cheap."""

from __future__ import annotations

import json
import subprocess
import sys
import types

import pytest

import stratkit


def _submodules() -> set[str]:
    return {name for name, value in vars(stratkit).items() if isinstance(value, types.ModuleType)}


def test_all_has_no_duplicates() -> None:
    assert len(set(stratkit.__all__)) == len(stratkit.__all__)


@pytest.mark.parametrize("name", sorted(stratkit.__all__))
def test_every_name_in_all_resolves(name: str) -> None:
    value = getattr(stratkit, name)
    assert value is not None
    if isinstance(value, type) or callable(value):
        assert getattr(value, "__module__", "").startswith("stratkit"), name


def test_dir_lists_every_public_name() -> None:
    assert set(stratkit.__all__) <= set(dir(stratkit))


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Strategie'"):
        _ = stratkit.Strategie  # type: ignore[attr-defined]
    with pytest.raises(ImportError, match="cannot import name 'nothing_here'"):
        from stratkit import nothing_here  # type: ignore[attr-defined]  # noqa: F401


def test_every_public_attribute_is_in_all() -> None:
    """No public (non-underscore) module attribute is missing from ``__all__``.

    Submodules that become attributes once imported (``stratkit.io``) are not
    API names unless listed; everything else must be in ``__all__`` or be
    private (the ``__init__`` should import helpers as ``_importlib`` etc.).
    """
    for name in stratkit.__all__:
        getattr(stratkit, name)
    public = {n for n in vars(stratkit) if not n.startswith("_")}
    assert public - _submodules() - set(stratkit.__all__) == set()


def test_the_nouns_and_verbs_of_the_design_are_public() -> None:
    expected = {
        "Strategy",
        "Ambition",
        "Objective",
        "Outcome",
        "Measure",
        "Target",
        "Baseline",
        "Direction",
        "TargetKind",
        "Observations",
        "load",
        "loads",
        "save",
        "dumps",
        "read_observations",
        "StratkitError",
        "InvalidStrategyError",
        "StrategyFileError",
        "UnsafeFileError",
        "UnitError",
        "DimensionalityError",
    }
    assert expected <= set(stratkit.__all__)


def test_errors_subclass_the_fitting_builtins() -> None:
    assert issubclass(stratkit.InvalidStrategyError, ValueError)
    assert issubclass(stratkit.UnsafeFileError, stratkit.StrategyFileError)
    assert issubclass(stratkit.DimensionalityError, TypeError)
    assert issubclass(stratkit.DimensionalityError, stratkit.UnitError)
    assert issubclass(stratkit.SaveError, OSError)
    for name in stratkit.errors.__all__:
        cls = getattr(stratkit.errors, name)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            assert issubclass(cls, stratkit.StratkitError), name


_PROBE = """
import json, sys, time
t0 = time.perf_counter()
import stratkit
elapsed = time.perf_counter() - t0
heavy = sorted(m for m in ("pint", "numpy", "pandas", "yaml", "attrs", "jinja2", "click")
               if m in sys.modules)
print(json.dumps({"elapsed": elapsed, "heavy": heavy}))
"""


def _probe() -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_import_stratkit_does_not_import_pint_or_numpy() -> None:
    result = _probe()
    heavy = result["heavy"]
    assert isinstance(heavy, list)
    assert "pint" not in heavy
    assert "numpy" not in heavy
    assert "pandas" not in heavy


def test_import_stratkit_is_fast() -> None:
    # a safety margin, not a benchmark: the best of three cold imports
    best = min(float(_probe()["elapsed"]) for _ in range(3))  # type: ignore[arg-type]
    assert best < 0.5


def test_import_time_report_shows_no_pint() -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import stratkit"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    modules = {
        line.rsplit("|", 1)[-1].strip()
        for line in out.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "stratkit" in modules
    assert not {m for m in modules if m.split(".")[0] in ("pint", "numpy")}


def _errors() -> list[BaseException]:
    from stratkit.errors import Problem

    problem = Problem(
        message="unknown unit",
        path="ambitions[0].id",
        file="s.yaml",
        line=3,
        column=7,
        expected="a unit",
        found="'precent'",
        hint="did you mean?",
    )
    return [
        stratkit.InvalidStrategyError([problem]),
        stratkit.InvalidStrategyError([problem, problem], "two problems"),
        stratkit.StrategyFileError("s.yaml", [problem]),
        stratkit.UnsafeFileError("s.yaml", [problem]),
        stratkit.UnknownUnitError("precent", ["percent"]),
        stratkit.DimensionalityError("h", "%", "outcome 1.1.1"),
        stratkit.ObservationsError([problem], "obs.csv"),
        stratkit.SaveError(2, "cannot write"),
        stratkit.SPCInputError("too few points"),
        stratkit.UnitError("cannot read unit"),
    ]


@pytest.mark.parametrize("error", _errors(), ids=lambda e: type(e).__name__)
def test_errors_survive_pickling(error: BaseException) -> None:
    """Errors cross process boundaries (multiprocessing, Dask, Spark) intact."""
    import pickle

    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert again.args == error.args
    assert vars(again) == vars(error)
