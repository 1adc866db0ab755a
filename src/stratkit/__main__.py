"""``python -m stratkit``: the same command line as ``stratkit``."""

from stratkit.cli import main

if __name__ == "__main__":  # pragma: no branch
    main(prog_name="stratkit")
