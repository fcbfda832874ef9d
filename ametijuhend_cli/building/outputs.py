"""The build's output folder: where an output goes, and a lock so that builds take turns."""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from ametijuhend_cli.errors import Message, OutputError, msg
from ametijuhend_cli.ids import check_slug
from ametijuhend_cli.messages import display_path, escaped, os_reason


def output_path(folder: Path, pid: str, fmt: str) -> Path:
    """Return ``folder/<pid>.<fmt>``; raise OutputError for an id that could leave ``folder``."""
    try:
        check_slug(pid)
    except ValueError as exc:
        reason = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
        said = msg(
            "refusing to write outside {folder}: {reason}",
            folder=display_path(folder),
            reason=reason,
        )
        raise OutputError(said) from None
    return folder / f"{pid}.{fmt}"


#: The file that holds the output folder's lock where there is no flock (Windows).
LOCK_NAME = ".ametijuhend-lock"


@contextlib.contextmanager
def folder_lock(
    folder: Path, on_wait: Callable[[Path, Message], None] | None = None
) -> Iterator[None]:
    """Hold a lock on ``folder`` so that two builds into it take turns.

    With flock (POSIX) the folder itself is locked; without it (Windows) the
    file LOCK_NAME in it, through filelock (msvcrt's lock there). Either way
    the system drops the lock when the process ends, even by SIGKILL; a build
    that was stopped (Ctrl-Z) keeps it. When another process holds it,
    ``on_wait`` hears who (as far as the system tells) before this one waits.
    The lock file stays: removing it would race with a build waiting for it.
    """
    try:
        import fcntl
    except ImportError:
        with _file_lock(folder, on_wait):
            yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(folder, lock_holder(folder))
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _file_lock(folder: Path, on_wait: Callable[[Path, Message], None] | None) -> Iterator[None]:
    """Hold the lock of the file LOCK_NAME in ``folder``; raise OutputError when it cannot
    be had."""
    with warnings.catch_warnings():  # "only soft file lock is available": what is meant
        warnings.simplefilter("ignore", UserWarning)
        from filelock import FileLock, Timeout

    path = folder / LOCK_NAME
    if path.is_symlink() or (path.exists() and not path.is_file()):  # never followed
        raise OutputError(
            msg(
                "cannot lock the output folder: {path} is not a regular file; remove it",
                path=display_path(path),
            )
        )
    lock = FileLock(os.fspath(path))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_wait is not None:
                on_wait(folder, msg("another process"))
            lock.acquire()
    except OSError as exc:
        raise OutputError(
            msg(
                "cannot lock the output folder with {path}: {reason}",
                path=display_path(path),
                reason=os_reason(exc),
            )
        ) from None
    try:
        yield
    finally:
        lock.release()


def lock_holder(folder: Path) -> Message:
    """Return who holds the lock on ``folder``: 'process 1234 (ametijuhend build), which is
    stopped' where the system lists its locks (Linux: /proc/locks), else 'another process'."""
    try:
        info = os.stat(folder)
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return _ANOTHER
    device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for line in lines:
        fields = line.split()
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == device:
            return _process(fields[4])
    return _ANOTHER


_ANOTHER = msg("another process")


def _process(pid: str) -> Message:
    """Return 'process 1234 (ametijuhend build --force)', with ', which is stopped' for a
    process stopped by Ctrl-Z or a signal (it keeps its lock until it goes on or ends)."""
    if not pid.isdigit():
        return _ANOTHER
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            words = [w.decode("utf-8", "replace") for w in fh.read().split(b"\0") if w]
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            state = fh.read().rpartition(")")[2].split()[:1]
    except OSError:
        return msg("process {pid}", pid=pid)
    if not words:  # a process that has ended and not yet been reaped (a zombie), or blanked it
        return msg("process {pid}", pid=pid)
    # "python …/ametijuhend build": from the program's own name on
    start = next(
        (i for i, w in enumerate(words) if " " not in w and Path(w).name.startswith("ametijuhend")),
        0,
    )
    command = " ".join(Path(words[start]).name.split() + words[start + 1 :])[:80]
    if state == ["T"]:
        return msg(
            "process {pid} ({command}), which is stopped (resume it with 'fg', or end it)",
            pid=pid,
            command=escaped(command),
        )
    return msg("process {pid} ({command})", pid=pid, command=escaped(command))
