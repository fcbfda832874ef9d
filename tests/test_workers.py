"""The build's worker pool, its worker side run in this process, and the scratch folders."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from ametijuhend_cli import workers
from ametijuhend_cli.building import scratch
from ametijuhend_cli.workers import ordered_map


@pytest.fixture
def keep_signals() -> Iterator[None]:
    """Restore the handlers a worker's setup changes."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


class _Unpicklable(Exception):
    def __reduce__(self) -> object:
        raise TypeError("cannot pickle this")


def _square_or_fail(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    if n == 4:
        raise _Unpicklable("four")
    return n * n


def test_a_worker_serves_chunks_and_reports_exceptions(keep_signals: None) -> None:
    # the worker side, run here: results in chunks, a failing chunk sends its exception
    job = workers._Job(_square_or_fail, [[1, 2], [3], [4], [5]])
    job.parent = os.getppid()  # as in a worker: its parent is the build
    context = multiprocessing.get_context("fork")
    tasks = context.SimpleQueue()
    for index in (0, 1, 2, 3, None):
        tasks.put(index)
    reader, writer = context.Pipe(duplex=False)
    job.serve(tasks, writer)
    got = [reader.recv() for _ in range(4)]
    with pytest.raises(EOFError):  # the worker closed its end: nothing more comes
        reader.recv()
    assert got[0] == (0, [1, 4]) and got[3] == (3, [25])
    assert isinstance(got[1][1], ValueError) and str(got[1][1]) == "three"
    # an exception that would not cross the pipe is sent as a RuntimeError naming it
    assert isinstance(got[2][1], RuntimeError) and str(got[2][1]) == "_Unpicklable: four"
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_sigterm_unwinds_a_worker_once(keep_signals: None) -> None:
    with pytest.raises(SystemExit) as stopped:
        workers._quit(signal.SIGTERM, None)
    assert stopped.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN  # a second one waits


def test_ordered_map_keeps_the_order_and_raises_a_workers_error() -> None:
    assert list(ordered_map(abs, list(range(-20, 0)), jobs=2, chunk=3)) == list(range(20, 0, -1))
    with pytest.raises(ValueError, match="three"):
        list(ordered_map(_square_or_fail, [1, 2, 3], jobs=2, chunk=1))


def test_only_dead_builds_scratch_folders_are_removed(tmp_path: Path) -> None:
    with scratch.scratch_folder() as live:
        assert (live / scratch.PID_FILE).read_text(encoding="ascii").endswith(f"{os.getpid()}\n")
        # a folder named like ours whose pid file names a process that is gone
        dead = tmp_path / f"{scratch.PREFIX}dead"
        dead.mkdir()
        pid_file = (live / scratch.PID_FILE).read_text(encoding="ascii")
        gone = 2**22 + 12345  # above the default pid_max: no such process
        (dead / scratch.PID_FILE).write_text(
            pid_file.replace(str(os.getpid()), str(gone)), encoding="ascii"
        )
        alive = tmp_path / f"{scratch.PREFIX}alive"
        alive.mkdir()
        (alive / scratch.PID_FILE).write_text(pid_file, encoding="ascii")
        foreign = tmp_path / f"{scratch.PREFIX}foreign"
        foreign.mkdir()
        (foreign / scratch.PID_FILE).write_text("something else\n", encoding="ascii")
        assert scratch.remove_dead_scratch(tmp_path) == [dead]
        assert alive.is_dir() and foreign.is_dir() and not dead.exists()
    assert not live.exists()


def test_a_link_named_like_a_scratch_folder_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / f"{scratch.PREFIX}link").symlink_to(target)
    assert scratch.remove_dead_scratch(tmp_path) == []
    assert target.is_dir() and (tmp_path / f"{scratch.PREFIX}link").is_symlink()


def test_no_temporary_folder_is_an_output_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from ametijuhend_cli.errors import OutputError

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scratch.tempfile, "TemporaryDirectory", full)
    with (
        pytest.raises(OutputError, match="cannot make a temporary folder: No space left"),
        scratch.scratch_folder(),
    ):
        pass


def test_ctrl_c_while_the_workers_start_is_held_back_not_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Ctrl-C that comes while a worker is forked stops the map once they are started."""
    real = multiprocessing.context.ForkProcess.start
    started: list[multiprocessing.context.ForkProcess] = []

    def start(self: multiprocessing.context.ForkProcess) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, just as the worker is forked
        real(self)
        started.append(self)

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", start)
    with pytest.raises(KeyboardInterrupt):
        list(ordered_map(abs, list(range(200)), 2, 10))
    assert len(started) == 2
    assert not any(p.is_alive() for p in started), "a worker was left running"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
