"""Writing outputs safely: atomic replacement, safe paths, a folder lock, leftover cleanup."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from ametijuhend_cli.errors import OutputError
from ametijuhend_cli.ids import check_slug
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.sources.files import read_checked


def _new_file_mode() -> int:
    """Return the permissions a new file gets from the user's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_NEW_FILE_MODE = _new_file_mode()

#: The temporary files write_atomic makes: ``.<id>.<format>.<random>.tmp``.
_OUR_TEMP = re.compile(r"^\.[a-z0-9][a-z0-9_-]*\.(?:md|docx|pdf)\.[a-z0-9_]{8}\.tmp$")


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


def remove_stale_temp_files(folder: Path, names: Iterable[str] | None = None) -> list[Path]:
    """Remove what killed builds left in ``folder``: our ``.<name>.<random>.tmp`` files.

    ``names`` are the folder's entries, sorted, when the caller has listed it.
    Call it holding the folder's lock, so that no running build's file is taken.
    """
    removed = []
    for name in sorted(os.listdir(folder)) if names is None else names:
        if not name.startswith(".") or not _OUR_TEMP.match(name):
            continue
        path = folder / name
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and a rename; return False if unchanged.

    The temporary file is in the same folder, so the rename is atomic: a reader
    (or a build killed at any moment) sees the complete old or the complete new
    file, never a part.
    """
    # a link or a pipe where the output belongs is replaced, never read or followed
    regular = path.is_file() and not path.is_symlink()
    if regular and read_checked(path, None, len(data)) == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777 if regular else _NEW_FILE_MODE
    except OSError:
        mode = _NEW_FILE_MODE
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{_random_part()}.tmp"
        try:
            _write_new(tmp, data, mode)
        except FileExistsError:
            continue  # someone else's: try another name, remove nothing
        except BaseException:
            # also a signal right after the file was made, before the name was
            # known to be ours: the random name is ours, nobody else's
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        try:
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return True
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"


def _random_part() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def _write_new(tmp: Path, data: bytes, mode: int) -> None:
    """Write ``data`` into the new file ``tmp`` (which must not exist) with ``mode``."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    # No fsync: the rename is atomic for every reader and survives a killed
    # build; an fsync per file would double the time of a large build for
    # protection against power loss only (and the sources can rebuild it).
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, mode)  # made private first; give it the mode of a normal file
