"""Writing files: the one place that does, atomically, for every layer that writes."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ametijuhend_cli.errors import Message, OutputError, msg, with_hint
from ametijuhend_cli.messages import display_path, os_reason
from ametijuhend_cli.sources.files import read_checked


def _umask() -> int:
    """Return the user's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()
#: The permissions a new file gets from the user's umask.
_NEW_FILE_MODE = 0o666 & ~_UMASK

#: The temporary files write_atomic makes: ``.<id>.<format>.<random>.tmp``.
_OUR_TEMP = re.compile(r"^\.[a-z0-9][a-z0-9_-]*\.(?:md|docx|pdf)\.[a-z0-9_]{8}\.tmp$")


#: Said of a file written whole or not at all that could not be written.
NOT_WRITTEN = msg("it was not written (a file there before is as it was)")

_NO_RIGHTS = msg("you may not write there: choose another folder or ask for the rights")
#: What to do about an error of the machine rather than of the sources.
OS_HINTS = {
    errno.EMFILE: msg(
        "too many files are open at once: raise the limit ('ulimit -n') or run with --jobs 1"
    ),
    errno.ENFILE: msg(
        "the system has too many files open: close some programs, or run with --jobs 1"
    ),
    errno.ENOSPC: msg("the disk is full: free some space and run the command again"),
    errno.EDQUOT: msg("the disk quota is used up: free some space and run the command again"),
    errno.EROFS: msg("the folder is on a read-only disk: write somewhere else"),
    errno.EFBIG: msg("the file would be larger than this session allows ('ulimit -f')"),
    errno.EACCES: _NO_RIGHTS,
    errno.EPERM: _NO_RIGHTS,
    errno.EBADF: msg(
        "nothing can be printed: run it without closing the output ('>&-'), or send "
        "the output to a file"
    ),
    errno.EIO: msg("the disk reported an error: check it, then run the command again"),
}


def cannot_write(path: Path, exc: OSError, note: Message | None = None) -> OutputError:
    """Return the error that says ``path`` could not be written, and why (with ``note``, and
    what to do when the machine is the cause: a full or read-only disk, a size limit)."""
    shown = display_path(path)
    reason = exc.reason if isinstance(exc, HeldOpenError) else os_reason(exc)
    said = (
        msg("cannot write {path}: {reason}; {note}", path=shown, reason=reason, note=note)
        if note
        else msg("cannot write {path}: {reason}", path=shown, reason=reason)
    )
    # a file held open already says what to do: not "you may not write there"
    hint = None if isinstance(exc, HeldOpenError) else OS_HINTS.get(exc.errno or 0)
    return OutputError(with_hint(said, hint))


def write_file(path: Path, data: bytes, note: Message | None = None) -> bool:
    """Write ``data`` to ``path`` atomically; return False if it held ``data``; raise
    OutputError (with ``note`` after the reason) when it cannot be written."""
    try:
        return write_atomic(path, data)
    except OSError as exc:
        raise cannot_write(path, exc, note) from None


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to the new file ``path``: complete or not at all, never over a file
    that exists (FileExistsError, also for one that appears meanwhile); raise OSError."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        _create_from(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _create_from(tmp: str, target: Path) -> None:
    """Make ``target`` hold the complete file ``tmp``; raise FileExistsError if it exists.

    A hard link appears complete or not at all, and never replaces a file that
    appeared in the meantime (os.replace would). Where there are no hard links
    (os.link missing, or a file system without them: FAT, some network
    shares) the name is taken first, empty and exclusively, and then replaced.
    """
    link = getattr(os, "link", None)
    if link is not None:
        try:
            link(tmp, target)
            return
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.replace(tmp, target)


#: What os.link fails with where a file system has no hard links.
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV, errno.EACCES}


def remove_stale_temp_files(folder: Path, names: Iterable[str] | None = None) -> list[Path]:
    """Remove what killed builds left in ``folder``: our ``.<name>.<random>.tmp`` files.

    ``names`` are the folder's entries, sorted, when the caller has listed it.
    Call it holding the folder's lock, so that no running build's file is taken.
    """
    removed = []
    for name in sorted(os.listdir(folder)) if names is None else names:
        if not name.startswith(".") or not _OUR_TEMP.fullmatch(name):
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
    return write_output(path, data) is not None


def same_output(found: bytes | None, data: bytes, *, line_ends: bool = False) -> bool:
    """Return whether ``found`` (a file's bytes) holds ``data``; with ``line_ends``, also
    when it differs only by CRLF line ends, as git for Windows checks text out."""
    if found is None:
        return False
    if found == data:
        return True
    return line_ends and b"\r\n" in found and found.replace(b"\r\n", b"\n") == data


def write_output(path: Path, data: bytes, *, line_ends: bool = False) -> os.stat_result | None:
    """Write ``data`` to ``path`` as write_atomic does; return the written file's status
    (taken before the rename, which keeps it), or None when ``path`` held ``data`` (with
    ``line_ends``: or held it with CRLF line ends, which is left as it is)."""
    found = _lstat(path)
    # a link or a pipe where the output belongs is replaced, never read or followed
    regular = found is not None and stat.S_ISREG(found.st_mode)
    limit = 2 * len(data) if line_ends else len(data)  # CRLF: at most twice as long
    if regular and same_output(read_checked(path, None, limit), data, line_ends=line_ends):
        return None
    mode = found.st_mode & 0o777 if found is not None and regular else _NEW_FILE_MODE
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{_random_part()}.tmp"
        try:
            written = _write_new(tmp, data, mode)
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
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, PermissionError) and found is not None:
                raise held_open(exc, path) from None
            raise
        return written
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


class HeldOpenError(PermissionError):
    """A file that could not be replaced in a folder that can be written: open in a program.

    ``reason`` says so in the catalog's words (``strerror`` in English, as an
    OSError's is).
    """

    reason: Message


def held_open(exc: PermissionError, path: Path) -> HeldOpenError:
    """Return ``exc`` (a file that could not be replaced) saying what to do about it.

    The temporary file was written beside it, so the folder is writable: on
    Windows the file is open in a program, Word most likely.
    """
    said = exc.strerror or "permission denied"
    reason = msg(
        "{reason}; is it open in Word or another program? Close it there and run the command again",
        reason=os_reason(exc) if exc.strerror else msg("permission denied"),
    )
    error = HeldOpenError(
        exc.errno,
        f"{said}; is it open in Word or another program? Close it there and run the command again",
        os.fspath(path),
    )
    error.reason = reason
    return error


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _random_part() -> str:
    return secrets.token_hex(4)  # one read of the system's randomness


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _write_new(tmp: Path, data: bytes, mode: int) -> os.stat_result:
    """Write ``data`` into the new file ``tmp`` (which must not exist) with ``mode``; return
    its status (size and modification time, as the rename keeps them)."""
    try:
        fd = os.open(tmp, _FLAGS, mode)  # never more open than ``mode``: the umask only takes
    except FileNotFoundError:  # the folder was removed meanwhile (or is new): make it
        tmp.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, _FLAGS, mode)
    if mode & _UMASK and hasattr(os, "fchmod"):  # not on Windows before Python 3.13
        os.fchmod(fd, mode)  # a kept mode with bits the umask takes away
    # No fsync: the rename is atomic for every reader and survives a killed
    # build; an fsync per file would double the time of a large build for
    # protection against power loss only (and the sources can rebuild it).
    with os.fdopen(fd, "wb", buffering=0) as fh:  # unbuffered: no copy, no flush
        view = memoryview(data)
        while view:
            view = view[fh.write(view) :]
        return os.fstat(fd)
