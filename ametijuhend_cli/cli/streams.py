"""The standard streams and the environment: closed streams, a full disk, too many open files."""

from __future__ import annotations

import errno
import io
import os
import sys
from pathlib import Path

from ametijuhend_cli.errors import Message, msg, with_hint
from ametijuhend_cli.writing import OS_HINTS


class OutputError(OSError):
    """Standard output could not be written (closed, a full disk, a size limit)."""


class _ClosedOutput(io.TextIOBase):
    """Standard output when the command was started with it closed: writing fails loudly."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OutputError(errno.EBADF, "standard output is closed")


class _Output(io.TextIOWrapper):
    """Standard output whose failures say that they are standard output's."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as exc:
            raise OutputError(exc.errno, exc.strerror) from None

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise OutputError(exc.errno, exc.strerror) from None


def guard() -> None:
    """Give the process standard streams it can rely on.

    A closed descriptor 0, 1 or 2 would be handed to the next file opened (a
    source, an output) and a child process (git, LibreOffice) would write into
    it: each is opened on the null device instead. Output the command prints
    to a closed standard output is an error, not lost in silence.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != fd:  # a lower one was free: that cannot be, but do not leak it
                os.dup2(opened, fd)
                os.close(opened)
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    elif isinstance(sys.stdout, io.TextIOWrapper):
        stream = sys.stdout
        encoding, errors, lines = stream.encoding, stream.errors, stream.line_buffering
        buffer = stream.detach()
        if isinstance(buffer, io.RawIOBase):
            # unbuffered (python -u, PYTHONUNBUFFERED, as CI often sets): a short write to
            # a full disk would drop the rest in silence; a buffered writer writes all or fails
            buffer = io.BufferedWriter(buffer)
        sys.stdout = _Output(
            buffer, encoding=encoding, errors=errors, line_buffering=lines, write_through=True
        )
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the process)


def message(exc: OSError, *, printing: bool = False) -> Message:
    """Return the message of an error of the machine (the disk, the limits, a stream);
    ``printing``: it came while printing the output."""
    from ametijuhend_cli.messages import display_path, os_reason

    said = os_reason(exc)
    if exc.filename:
        said = msg(
            "{reason} ({path})", reason=said, path=display_path(Path(os.fsdecode(exc.filename)))
        )
    if printing or isinstance(exc, OutputError):
        said = msg("cannot print the output: {reason}", reason=said)
    return with_hint(msg("error: {text}", text=said), OS_HINTS.get(exc.errno or 0))


def finish(code: int | str | None) -> int | str | None:
    """Return the exit code once the printed output has reached standard output: 1 when it
    could not (a full disk), with the reason on standard error."""
    stream = sys.stdout
    try:
        if stream is not None:
            stream.flush()
    except OSError as exc:
        lost(exc)
        return 1
    return code


def silence() -> None:
    """Send what is left of standard output to the null device: after it failed once,
    Python would try to write it again at exit and print a traceback of its own."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def lost(exc: OSError) -> None:
    """Say that the output could not be written, and keep Python from trying again at exit."""
    silence()
    try:
        print(message(exc, printing=True), file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
