"""Writes never go through something that is not a plain file, fail with one error
class naming the user's file, and survive being killed half-way (issue 15)."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import time
from collections.abc import Callable
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


def _kills() -> int:
    """Kills per target: 40 by default; ``--kills N`` or ``STRATKIT_KILLS=N`` for a long run."""
    return int(os.environ.get("STRATKIT_KILLS", "40"))


def _versions(tmp_path: Path, name: str) -> tuple[Callable[[int], None], list[bytes]]:
    """``write(i)`` writes version ``i % 2`` of the file through the public API
    (``save`` or ``write_report``), and the bytes of both versions."""
    import attrs

    strategy = stratkit.examples.load("kmpt_2020_23" if name.endswith(".yaml") else "kmpt_2023_26")
    target = tmp_path / name
    if name.endswith(".yaml"):
        both = [strategy, attrs.evolve(strategy, title=strategy.title + " (revised)")]

        def write(i: int) -> None:
            stratkit.save(both[i % 2], target)

    else:
        days = [strategy.period.start + dt.timedelta(days=d) for d in (0, 1)]
        both = [stratkit.evaluate(strategy, None, as_of=day) for day in days]

        def write(i: int) -> None:
            stratkit.write_report(both[i % 2], target)

    contents = []
    for i in (0, 1):
        write(i)
        contents.append(target.read_bytes())
    assert contents[0] != contents[1]
    return write, contents


def _write_until_killed(write: Callable[[int], None], version: int, signal_fd: int) -> None:
    """The forked writer: write ``version`` again and again, telling the parent (one
    byte on ``signal_fd``) as each write of the file itself begins."""
    import stratkit._files as files

    check = files._check_destination

    def starting(path: Path) -> None:  # the first step of write_atomically
        os.write(signal_fd, b"w")
        check(path)

    files._check_destination = starting  # type: ignore[assignment]  # in this child only
    while True:
        write(version)


def _write_duration(target: Path, content: bytes) -> float:
    """The median time of one write of ``content`` to ``target`` (seconds)."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        write_atomically(target, content)
        times.append(time.perf_counter() - start)
    return sorted(times)[2]


def kill_writes(tmp_path: Path, name: str, kills: int, seed: int = 15) -> dict[str, int]:
    """SIGKILL ``save`` (``name`` ``*.yaml``) or ``write_report`` (``*.html``) ``kills``
    times, each at a random point of the write itself (from its first step to a little
    past its rename), asserting after each kill that the file is the old or the new
    version byte for byte and that the next write leaves no temporary file.

    Returns how many kills left the old file, the new one, and a temporary file.
    (Also run by ``benchmarks/bench_fuzz.py`` for kills per second.)
    """
    import select
    import warnings

    write, contents = _versions(tmp_path, name)
    target = tmp_path / name
    window = 1.3 * _write_duration(target, contents[0])
    rng = random.Random(seed)
    outcomes = {"old": 0, "new": 0, "temporary left": 0}
    for kill in range(kills):
        old = kill % 2
        write_atomically(target, contents[old])
        read_fd, signal_fd = os.pipe()
        with warnings.catch_warnings():  # Python 3.12 warns of fork with threads running
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child: write the other version until killed
            try:
                os.close(read_fd)
                _write_until_killed(write, 1 - old, signal_fd)
            finally:
                os._exit(1)
        os.close(signal_fd)
        try:
            ready, _, _ = select.select([read_fd], [], [], 60)
            assert ready, "the writer never began a write"
            assert os.read(read_fd, 1) == b"w", "the writer failed before writing"
            if kill >= 3 and outcomes["new"] == 0:
                # no kill has yet landed after the rename: the forked writer is
                # slower than the measured write (a cold or busy disk), so widen
                # the window until kills land across the whole write
                window = min(2 * window, 2.0)
            time.sleep(rng.uniform(0.0, window))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        finally:
            os.close(read_fd)
        found = target.read_bytes()
        assert found in contents, f"kill {kill}: the file is torn ({len(found):,} bytes)"
        outcomes["old" if found == contents[old] else "new"] += 1
        outcomes["temporary left"] += bool(_temporaries(tmp_path))
        # the next write removes whatever temporary file the kill left behind
        write_atomically(target, contents[old])
        assert _temporaries(tmp_path) == [], f"kill {kill}"
        assert target.read_bytes() == contents[old]
    write(0)  # and the public API's own next write too
    assert _temporaries(tmp_path) == []
    assert target.read_bytes() == contents[0]
    return outcomes


@posix
@pytest.mark.parametrize("name", ["strategy.yaml", "report.html"])
def test_killed_writes_leave_the_old_or_the_new_file_and_no_temporary(
    tmp_path: Path, name: str
) -> None:
    outcomes = kill_writes(tmp_path, name, _kills())
    # the kills landed across the write: before the rename and after it
    assert outcomes["old"] >= 1, outcomes
    assert outcomes["new"] >= 1, outcomes
    assert outcomes["temporary left"] >= 1, outcomes
