"""The output folder's lock, in-process: builds take turns, the waiting one hears who holds it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ametijuhend_cli.building.outputs import _process, folder_lock, lock_holder
from ametijuhend_cli.errors import Message

fcntl = pytest.importorskip("fcntl")

PROC_LOCKS = pytest.mark.skipif(
    not Path("/proc/locks").exists(), reason="the holder is read from /proc/locks"
)


def _held_elsewhere(folder: Path) -> bool:
    """Return whether another open file holds the lock on ``folder`` (tried without waiting)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.fixture
def child() -> Iterator[subprocess.Popen[bytes]]:
    """Return a sleeping process named like the tool: python -c … /x/ametijuhend build -q."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "/x/ametijuhend", "build", "-q"]
    )
    try:
        yield _started(proc)
    finally:
        proc.kill()
        proc.wait()


def _started(proc: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
    """Return ``proc`` once the system lists its command line (empty for a moment after exec)."""
    for _ in range(500):
        if Path(f"/proc/{proc.pid}/cmdline").read_bytes():
            break
        time.sleep(0.01)
    return proc


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        return fh.read().rpartition(")")[2].split()[0]


def test_an_uncontended_lock_is_taken_at_once_and_held_until_the_end(tmp_path: Path) -> None:
    heard: list[tuple[Path, str]] = []
    with folder_lock(tmp_path, lambda folder, who: heard.append((folder, str(who)))):
        assert _held_elsewhere(tmp_path)
    assert not _held_elsewhere(tmp_path)
    assert heard == []


@PROC_LOCKS
def test_a_build_waits_for_the_holder_and_hears_who_it_is(tmp_path: Path) -> None:
    heard: list[tuple[Path, str]] = []
    told = threading.Event()
    inside = threading.Event()

    def on_wait(folder: Path, who: Message) -> None:
        heard.append((folder, str(who)))
        told.set()

    def build() -> None:
        with folder_lock(tmp_path, on_wait):
            inside.set()

    other = os.open(tmp_path, os.O_RDONLY)  # the other build
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        waiting = threading.Thread(target=build, daemon=True)
        waiting.start()
        assert told.wait(10), "on_wait was not called"
        time.sleep(0.2)
        assert not inside.is_set(), "the lock was taken while another held it"
    finally:
        os.close(other)  # the other build ends
    waiting.join(10)
    assert inside.is_set(), "the lock was not taken once it was free"
    [(folder, who)] = heard
    assert folder == tmp_path
    assert who.startswith(f"process {os.getpid()} (")
    assert who.endswith(")")
    assert "stopped" not in who


def test_a_build_without_a_listener_waits_too(tmp_path: Path) -> None:
    inside = threading.Event()

    def build() -> None:
        with folder_lock(tmp_path):
            inside.set()

    other = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        waiting = threading.Thread(target=build, daemon=True)
        waiting.start()
        assert not inside.wait(0.3), "the lock was taken while another held it"
    finally:
        os.close(other)
    waiting.join(10)
    assert inside.is_set()


def test_without_fcntl_there_is_no_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` fails, as on Windows
    heard: list[str] = []
    other = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        with folder_lock(tmp_path, lambda _, who: heard.append(str(who))):
            pass  # not held up by the other holder
    finally:
        os.close(other)
    assert heard == []


@PROC_LOCKS
def test_the_holder_of_a_lock(tmp_path: Path) -> None:
    assert str(lock_holder(tmp_path)) == "another process"  # nobody holds it: not listed
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert str(lock_holder(tmp_path)).startswith(f"process {os.getpid()} (")
        # a lock on another folder is not this one's
        (tmp_path / "other").mkdir()
        assert str(lock_holder(tmp_path / "other")) == "another process"
    finally:
        os.close(fd)


def test_the_holder_of_a_folder_that_went_is_another_process(tmp_path: Path) -> None:
    assert str(lock_holder(tmp_path / "gone")) == "another process"


@PROC_LOCKS
def test_the_holder_is_named_from_the_tools_name_on(child: subprocess.Popen[bytes]) -> None:
    assert str(_process(str(child.pid))) == f"process {child.pid} (ametijuhend build -q)"


@PROC_LOCKS
@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs SIGSTOP")
def test_a_stopped_holder_is_said_to_be_stopped(child: subprocess.Popen[bytes]) -> None:
    os.kill(child.pid, signal.SIGSTOP)
    for _ in range(200):
        if _state(child.pid) == "T":
            break
        time.sleep(0.01)
    assert str(_process(str(child.pid))) == (
        f"process {child.pid} (ametijuhend build -q), which is stopped (resume it with 'fg', "
        "or end it)"
    )
    os.kill(child.pid, signal.SIGCONT)
    for _ in range(200):
        if _state(child.pid) != "T":
            break
        time.sleep(0.01)
    assert str(_process(str(child.pid))) == f"process {child.pid} (ametijuhend build -q)"


@PROC_LOCKS
def test_a_holder_of_another_name_is_named_whole_and_escaped() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "\x1b[2J"])
    try:
        _started(proc)
        python = Path(sys.executable).name
        assert str(_process(str(proc.pid))) == (
            f"process {proc.pid} ({python} -c import time; time.sleep(60) \\x1b[2J)"
        )
    finally:
        proc.kill()
        proc.wait()


@PROC_LOCKS
def test_a_holder_that_ended_and_was_not_reaped_is_named_by_its_number() -> None:
    # what /proc/locks lists is the process that took the lock: its forked children may
    # hold it on after it ended, and a parent that does not reap it leaves a zombie
    proc = subprocess.Popen([sys.executable, "-c", ""])
    try:
        for _ in range(500):
            if _state(proc.pid) == "Z":
                break
            time.sleep(0.01)
        assert Path(f"/proc/{proc.pid}/cmdline").read_bytes() == b""
        assert str(_process(str(proc.pid))) == f"process {proc.pid}"
    finally:
        proc.wait()


def test_a_holder_the_system_does_not_tell() -> None:
    assert str(_process("")) == "another process"
    assert str(_process("-1")) == "another process"
    assert str(_process("4194305")) == "process 4194305"  # above any pid_max: no such process
