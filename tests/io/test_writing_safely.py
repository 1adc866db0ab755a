"""Writes never go through something that is not a plain file, fail with one error
class naming the user's file, and survive being killed half-way (issue 15)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import stratkit
from stratkit._files import write_atomically
from stratkit.errors import SaveError

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and signals")


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@posix
def test_a_symbolic_link_is_not_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    with pytest.raises(SaveError, match="symbolic link") as info:
        write_atomically(link, "new")
    assert info.value.filename == str(link)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "old"


@posix
def test_a_dangling_symbolic_link_is_not_replaced(tmp_path: Path) -> None:
    link = tmp_path / "report.html"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(SaveError, match="symbolic link"):
        write_atomically(link, "new")
    assert link.is_symlink()


@posix
def test_a_pipe_or_device_is_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(SaveError, match="not a plain file"):
        write_atomically(fifo, "new")
    assert fifo.is_fifo()


def test_a_folder_is_not_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(SaveError, match="is a folder"):
        write_atomically(folder, "new")
    assert folder.is_dir()


@posix
def test_a_hard_link_is_not_broken_silently(tmp_path: Path) -> None:
    first = tmp_path / "a.md"
    first.write_text("old", encoding="utf-8")
    os.link(first, tmp_path / "b.md")
    with pytest.raises(SaveError, match="hard link"):
        write_atomically(first, "new")
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "old"


def test_a_missing_folder_error_names_the_users_file(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "strategy.yaml"
    with pytest.raises(SaveError) as info:
        stratkit.save(stratkit.examples.load("kmpt_2023_26"), target)
    assert info.value.filename == str(target)
    assert str(target) in str(info.value)
    assert ".tmp" not in str(info.value)


def test_write_report_fails_with_save_error_too(tmp_path: Path) -> None:
    strategy = stratkit.examples.load("kmpt_2023_26")
    ev = stratkit.evaluate(strategy, None, as_of=strategy.period.start)
    target = tmp_path / "no-such-folder" / "report.md"
    with pytest.raises(SaveError) as info:
        stratkit.write_report(ev, target)
    assert info.value.filename == str(target)


def test_a_stale_temporary_file_is_cleaned_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "strategy.yaml"
    stale = tmp_path / ".strategy.yaml.abcd1234.tmp"
    stale.write_text("half a file", encoding="utf-8")
    other = tmp_path / ".other.yaml.abcd1234.tmp"  # another file's: not ours to remove
    other.write_text("x", encoding="utf-8")
    write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert _temporaries(tmp_path) == [other.name]


@posix
def test_a_live_writers_temporary_file_is_left_alone(tmp_path: Path) -> None:
    import fcntl

    live = tmp_path / ".strategy.yaml.live0000.tmp"
    with live.open("w") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        write_atomically(tmp_path / "strategy.yaml", "new")
        assert live.exists()


_WRITER = """
import sys, stratkit
from pathlib import Path
strategy = stratkit.examples.load("kmpt_2023_26")
ev = stratkit.evaluate(strategy, None, as_of=strategy.period.start)
target = Path(sys.argv[1])
print("ready", flush=True)
while True:
    if target.suffix == ".md":
        stratkit.write_report(ev, target)
    else:
        stratkit.save(strategy, target)
"""


@posix
@pytest.mark.parametrize("name", ["strategy.yaml", "report.md"])
def test_killed_writes_leave_the_old_or_the_new_file_and_no_temporary(
    tmp_path: Path, name: str
) -> None:
    target = tmp_path / name
    strategy = stratkit.examples.load("kmpt_2023_26")
    if name.endswith(".md"):
        ev = stratkit.evaluate(strategy, None, as_of=strategy.period.start)
        stratkit.write_report(ev, target)
    else:
        stratkit.save(strategy, target)
    expected = target.read_bytes()  # each write writes the same bytes
    rng = random.Random(15)
    for _ in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(target)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        assert target.read_bytes() == expected  # never torn, never missing
    # the next write removes whatever temporary file a kill left behind
    write_atomically(target, expected.decode("utf-8"))
    assert _temporaries(tmp_path) == []
