"""Read project files safely: regular files inside the project, of a bounded size."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ametijuhend_cli.errors import DataError, Message, Problem, msg
from ametijuhend_cli.messages import display_path

#: A YAML source or template larger than this is no job description (the
#: largest library of an agency is a few hundred kilobytes).
MAX_SOURCE_BYTES = 8 * 1024 * 1024
#: A Word document (the reference document, an imported one) may hold images.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024

_REGULAR_HINT = msg(
    "project files must be regular files inside the project; "
    "replace the link or special file with the file itself"
)
_KINDS = (
    (stat.S_ISDIR, msg("a folder")),
    (stat.S_ISFIFO, msg("a named pipe (FIFO)")),
    (stat.S_ISCHR, msg("a device")),
    (stat.S_ISBLK, msg("a device")),
    (stat.S_ISSOCK, msg("a socket")),
)
#: Opened without waiting for a writer (a FIFO) or becoming a terminal's.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def _refuse(path: Path, message: Message, hint: Message | None = _REGULAR_HINT) -> DataError:
    return DataError([Problem(path=display_path(path), message=message, hint=hint)])


def _kind(mode: int) -> Message:
    """Return what a file that is not regular is, in words."""
    return next((name for test, name in _KINDS if test(mode)), msg("not a regular file"))


def exists(path: Path) -> bool:
    """Return whether anything (a file, a link, even a broken one, a pipe) is at ``path``."""
    return os.path.lexists(path)


def is_inside(path: Path, root: Path) -> bool:
    """Return whether ``path``, with every link resolved (it need not exist), lies in ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return False
    return True


def _resolve(path: Path, root: Path | None) -> str:
    """Return the real path of ``path``; raise DataError if it leads out of ``root``."""
    if root is not None and (plain := _plainly_below(str(path), str(root))) is not None:
        return plain
    try:
        real = os.path.realpath(path, strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise _refuse(path, msg("the file is a link to nothing (a broken link)")) from None
        raise _refuse(path, msg("the file does not exist"), hint=None) from None
    except (OSError, RuntimeError):  # a loop of links
        raise _refuse(path, msg("the file is a link that cannot be followed")) from None
    if root is None or _below(real, str(root)):
        # a real path has no link, '.' or '..' in it: if it lies below ``root`` as
        # written, that is ``root``'s real path too (the project's root is kept
        # resolved), and resolving it again for every file read is not needed
        return real
    try:
        Path(real).relative_to(root.resolve())
    except ValueError:
        where = (
            msg("the file is a link to a file outside the project")
            if path.is_symlink()
            else msg("the file is outside the project (in a linked folder)")
        )
        raise _refuse(path, msg("{where}; it is not read", where=where)) from None
    return real


def _plainly_below(path: str, root: str) -> str | None:
    """Return ``path`` when it lies below ``root`` as written and no part below ``root`` is a link.

    The usual project file, found at a fraction of realpath's cost: realpath
    looks at every folder from the top of the file system, this only at those
    below the project's root (kept resolved; were it not, the file would still
    lie in it). A link, '.' or '..', a path not written below ``root`` or a part
    that cannot be looked at is left to realpath (None), which says what is wrong.
    """
    if os.name != "posix" or not _below(path, root) or len(path) == len(root):
        return None
    parts = path[len(root) + 1 :].split(os.sep)
    if "" in parts or "." in parts or ".." in parts:
        return None
    current = root
    for part in parts:
        current = current + os.sep + part
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return None
        except OSError:
            return None
    return path


def _below(real: str, folder: str) -> bool:
    """Return whether the real path ``real`` lies in ``folder``, compared as written."""
    return real.startswith(folder) and real[len(folder) : len(folder) + 1] in (os.sep, "")


def read_project_file(path: Path, root: Path | None, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """Return the bytes of ``path``, a regular file inside ``root`` of at most ``limit`` bytes.

    Links are followed only when they stay inside ``root`` (None: a file named
    on the command line, which may be anywhere); folders, named
    pipes, devices and sockets are refused without being read (a pipe is
    opened without waiting for a writer), and a file is never read past
    ``limit``. Every refusal is a DataError naming the file, never its content.
    """
    real = _resolve(path, root)
    try:
        fd = os.open(real, _OPEN_FLAGS | _NOFOLLOW | _BINARY)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the last part became a link after resolving
            raise _refuse(path, msg("the file is a link that cannot be followed")) from None
        if exc.errno == errno.EISDIR:
            raise _refuse(path, msg("expected a file, found a folder")) from None
        raise _refuse(
            path, msg("cannot read the file: {strerror}", strerror=str(exc.strerror)), hint=None
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            raise _refuse(
                path, msg("expected a regular file, found {kind}; it is not read", kind=kind)
            )
        if info.st_size > limit:
            raise _too_big(path, limit)
        return _read_bounded(fd, path, limit)
    finally:
        os.close(fd)


def _too_big(path: Path, limit: int) -> DataError:
    return _refuse(
        path,
        msg("the file is larger than {size} MB; it is not read", size=limit // (1024 * 1024)),
        hint=msg("is it the right file? a job description source is far smaller"),
    )


def _read_bounded(fd: int, path: Path, limit: int) -> bytes:
    """Return what ``fd`` holds, refusing more than ``limit`` bytes (a file that grows)."""
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
        except OSError as exc:
            raise _refuse(
                path, msg("cannot read the file: {strerror}", strerror=str(exc.strerror)), hint=None
            ) from None
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise _too_big(path, limit)
        chunks.append(chunk)


def read_checked(path: Path, root: Path | None, limit: int = MAX_SOURCE_BYTES) -> bytes | None:
    """Return the bytes of ``path`` as read_project_file does, or None where it refuses."""
    try:
        return read_project_file(path, root, limit)
    except DataError:
        return None
