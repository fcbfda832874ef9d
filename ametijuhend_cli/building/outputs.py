"""The build's output folder: where an output goes, and a lock so that builds take turns."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from ametijuhend_cli.errors import OutputError
from ametijuhend_cli.ids import check_slug
from ametijuhend_cli.messages import display_path


def output_path(folder: Path, pid: str, fmt: str) -> Path:
    """Return ``folder/<pid>.<fmt>``; raise OutputError for an id that could leave ``folder``."""
    try:
        check_slug(pid)
    except ValueError as exc:
        raise OutputError(f"refusing to write outside {display_path(folder)}: {exc}") from None
    return folder / f"{pid}.{fmt}"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold a lock on ``folder`` so that two builds into it take turns (where flock exists).

    The kernel drops the lock when the process ends, even by SIGKILL.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no lock; builds into one folder must not overlap
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
