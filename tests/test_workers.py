"""The build's worker pool, its worker side run in this process, and the scratch folders."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ametijuhend_cli import workers
from ametijuhend_cli.building import scratch
from ametijuhend_cli.workers import map_in_order, ordered_map


@pytest.fixture
def keep_signals() -> Iterator[None]:
    """Restore the handlers a worker's setup changes."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


class _Unpicklable(Exception):
    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("cannot pickle this")


def _square_or_fail(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    if n == 4:
        raise _Unpicklable("four")
    return n * n


def _serve_here(func: Callable[[int], int], tasks: list[object]) -> list[tuple[int, object]]:
    """Run the worker side in this process on ``tasks``; return what it sent back."""
    context = multiprocessing.get_context()
    mine, theirs = context.Pipe(duplex=True)
    for task in tasks:
        mine.send(task)
    workers._Worker(func, theirs, context.Event(), parent=os.getppid()).serve()
    got: list[tuple[int, object]] = []
    with contextlib.suppress(EOFError):  # the worker closed its end: nothing more comes
        while mine.poll():
            got.append(mine.recv())
    return got


def test_a_worker_serves_chunks_and_reports_exceptions(keep_signals: None) -> None:
    # the worker side, run here: results in chunks, a failing chunk sends its exception
    tasks: list[object] = [(0, [1, 2]), (1, [3]), (2, [4]), (3, [5]), None]
    got = _serve_here(_square_or_fail, tasks)
    assert len(got) == 4
    assert got[0] == (0, [1, 4]) and got[3] == (3, [25])
    assert isinstance(got[1][1], ValueError) and str(got[1][1]) == "three"
    # an exception that would not cross the pipe is sent as a RuntimeError naming it
    assert isinstance(got[2][1], RuntimeError) and str(got[2][1]) == "_Unpicklable: four"
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN


_CALLED: list[int] = []


def _terminated_at_two(n: int) -> int:
    _CALLED.append(n)
    if n == 2:
        os.kill(os.getpid(), signal.SIGTERM)  # as a stopped build's parent sends it
    return n


def test_sigterm_stops_a_worker_between_two_items_never_inside_one(keep_signals: None) -> None:
    _CALLED.clear()
    got = _serve_here(_terminated_at_two, [(0, [1]), (1, [2, 3, 4]), (2, [5]), None])
    # the item at hand was finished (an output written whole), the next not begun,
    # and the chunk cut short is not sent as if it were complete
    assert _CALLED == [1, 2]
    assert got == [(0, [1])]


@pytest.mark.parallel
def test_ordered_map_keeps_the_order_and_raises_a_workers_error() -> None:
    assert list(ordered_map(abs, list(range(-20, 0)), jobs=2, chunk=3)) == list(range(20, 0, -1))
    with pytest.raises(ValueError, match="three"):
        list(ordered_map(_square_or_fail, [1, 2, 3], jobs=2, chunk=1))
    assert list(ordered_map(abs, [], jobs=2, chunk=3)) == []


@pytest.mark.parallel
def test_map_in_order_runs_few_items_here_and_many_in_workers() -> None:
    pid = os.getpid()
    assert set(map_in_order(_pid, list(range(5)), 2, parallel_from=6)) == {pid}
    assert pid not in set(map_in_order(_pid, list(range(6)), 2, parallel_from=6))
    assert set(map_in_order(_pid, list(range(50)), 1, parallel_from=6)) == {pid}


def _pid(item: int) -> int:
    return os.getpid()


@pytest.mark.slow
@pytest.mark.parallel
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_150000_items_in_order_fed_as_the_workers_go(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More chunks than a pipe holds indices: the workers are fed as they finish."""
    if method == "spawn":
        monkeypatch.setenv(workers.NO_FORK, "1")
    else:  # make test-spawn sets it for the whole run
        monkeypatch.delenv(workers.NO_FORK, raising=False)
    assert workers.start_method() == method
    items = list(range(150_000))
    assert list(ordered_map(abs, items, jobs=2, chunk=32)) == items
    # large results, which fill a pipe while the parent is busy elsewhere
    big = list(map_in_order(_kilobytes, list(range(3000)), 2, parallel_from=16))
    assert big == [_kilobytes(i) for i in range(3000)]


def _kilobytes(n: int) -> str:
    return f"{n:06d}" * 350


@pytest.mark.parallel
def test_workers_are_spawned_where_fork_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.NO_FORK, "1")
    assert workers.start_method() == "spawn"
    assert list(ordered_map(abs, list(range(-40, 0)), jobs=2, chunk=8)) == list(range(40, 0, -1))
    with pytest.raises(ValueError, match="three"):
        list(ordered_map(_square_or_fail, [1, 2, 3], jobs=2, chunk=1))


_ORPHANS = """
import os, sys
from ametijuhend_cli.workers import map_in_order, ordered_map

def big(n):
    return "x" * 1_000_000  # never read: a worker blocks writing it

if __name__ == "__main__":
    results = ordered_map(big, list(range(64)), 2, 1)
    next(results)
    import multiprocessing
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    os._exit(1)  # gone without stopping its workers (killed, or a crash in C)
"""


@pytest.mark.parallel
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_end_when_their_parent_is_gone(method: str, tmp_path: Path) -> None:
    script = tmp_path / "orphans.py"
    script.write_text(_ORPHANS, encoding="utf-8")
    env = {**os.environ, **({workers.NO_FORK: "1"} if method == "spawn" else {})}
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60
    )
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 2, done.stdout + done.stderr
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids), "a worker outlived its parent"


def _alive(pid: int) -> bool:
    """Return whether ``pid`` runs (a zombie, reaped by no one yet, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


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

    monkeypatch.setattr(tempfile, "TemporaryDirectory", full)
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
        # Ctrl-C, just as the worker is forked (to the main thread: the test runner may
        # have threads of its own, where a signal to the process could land)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        real(self)
        started.append(self)

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", start)
    with pytest.raises(KeyboardInterrupt):
        list(ordered_map(abs, list(range(200)), 2, 10))
    assert len(started) == 2
    assert not any(p.is_alive() for p in started), "a worker was left running"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parallel
@pytest.mark.skipif(sys.version_info < (3, 12), reason="Python 3.12 and later warn of it")
def test_the_workers_are_forked_from_a_process_of_one_thread(project: Path) -> None:
    # a fork from a process with other threads can deadlock the child (a lock held
    # by a thread that the child does not have); Python 3.12+ warns (it cannot be made an
    # error: os.fork drops it), shown here on every fork. (pytest's own worker processes
    # have threads: their warning is filtered in pyproject)
    from conftest import many_positions

    many_positions(project, 70)  # enough to check and to build in workers
    done = subprocess.run(
        [sys.executable, "-W", "always:This process:DeprecationWarning", "-m", "ametijuhend_cli"]
        + ["build", "--jobs", "2", "--format", "md"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "multi-threaded" not in done.stderr
    assert len(list((project / "out").glob("*.md"))) == 70
