"""The scratch folder of a build in the temp directory, and removal of those killed builds left."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ametijuhend_cli.errors import Message, OutputError, msg
from ametijuhend_cli.messages import os_reason

#: Every scratch folder of a build is ``<temp>/ametijuhend-<random>`` with this file in it.
PREFIX = "ametijuhend-"
PID_FILE = "ametijuhend-build.pid"
_MARK = "ametijuhend build "


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """Yield a new scratch folder holding a pid file, removed again at the end.

    An exception, Ctrl-C or SIGTERM (which the CLI turns into an exception)
    removes it; a SIGKILL cannot, so the next build removes a folder whose pid
    file names a process that is gone (see :func:`remove_dead_scratch`).
    """
    try:
        made = tempfile.TemporaryDirectory(prefix=PREFIX)
    except OSError as exc:  # also "no usable temporary directory" on a full disk
        said = msg("cannot make a temporary folder: {reason}", reason=os_reason(exc))
        raise OutputError(said) from None
    with made as name:
        folder = Path(name)
        try:
            (folder / PID_FILE).write_text(f"{_MARK}{os.getpid()}\n", encoding="ascii")
        except OSError as exc:
            raise OutputError(cannot_write_scratch(folder, exc)) from None
        yield folder


def cannot_write_scratch(folder: Path, exc: OSError) -> Message:
    """Return the message that the temporary folder of a build could not be written."""
    return msg(
        "cannot write into the temporary folder {folder}: {reason}",
        folder=str(folder),
        reason=os_reason(exc),
    )


def _owner_pid(folder: Path) -> int | None:
    """Return the pid in a scratch folder's pid file, or None when it is not ours."""
    try:
        if folder.is_symlink() or not _owned(folder):
            return None
        text = (folder / PID_FILE).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError, AttributeError):
        return None
    if not text.startswith(_MARK) or not text.endswith("\n"):
        return None
    number = text[len(_MARK) : -1]
    return int(number) if number.isdigit() else None


def _owned(folder: Path) -> bool:
    """Return whether this user owns ``folder``. Windows has no owner ids (os.getuid), and
    there the temp directory is the user's own (%LOCALAPPDATA%\\Temp)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or folder.stat().st_uid == getuid()


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        # os.kill(pid, 0) would end that process there (TerminateProcess), not test it
        return _alive_on_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, as another user's process
        return True
    return True


def _alive_on_windows(pid: int, kernel32: Any = None, last_error: Any = None) -> bool:
    """Return whether the process ``pid`` runs (on Windows; when unsure, True: kept).

    ``kernel32`` and ``last_error`` are Windows' own unless a test gives others.
    """
    import ctypes

    if kernel32 is None:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
        last_error = ctypes.get_last_error  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:  # no such process, or one of another user's (access denied)
        return bool(last_error() != _ERROR_INVALID_PARAMETER)
    try:
        code = ctypes.c_ulong(0)
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == _STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


_QUERY_LIMITED_INFORMATION = 0x1000
_ERROR_INVALID_PARAMETER = 87
_STILL_ACTIVE = 259


def remove_dead_scratch(temp: Path | None = None) -> list[Path]:
    """Remove the scratch folders of builds that were killed; return them.

    A folder is removed only when it is provably a build's own: named like
    one, owned by this user, with a pid file in our format naming a process
    that no longer exists. Anything else in the temp directory is left alone.
    """
    removed = []
    try:
        base = Path(temp if temp is not None else tempfile.gettempdir())
        candidates = sorted(base.glob(PREFIX + "*"))
    except OSError:
        return []
    for folder in candidates:
        pid = _owner_pid(folder)
        if pid is None or pid == os.getpid() or _alive(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed
