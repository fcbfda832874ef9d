"""The standard streams in-process: a closed, full or short-writing standard output, and main()."""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ametijuhend_cli import __version__
from ametijuhend_cli.cli import main, streams

NO_SPACE = (
    "error: cannot print the output: No space left on device\n"
    "    hint: the disk is full: free some space and run the command again\n"
)


class ShortWrites(io.RawIOBase):
    """A raw stream that takes at most three bytes a write, as a pipe or a full disk may."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: object) -> int:
        taken = bytes(memoryview(b))[:3]  # type: ignore[arg-type]
        self.data += taken
        return len(taken)


class FullDisk(io.RawIOBase):
    """A raw stream on a full disk: every write fails until it has room (then it takes all)
    or its descriptor ``fd`` was turned to the null device (which takes all, as a real one
    does after streams.silence(): the stream left behind may be flushed when it goes)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.full = True

    def writable(self) -> bool:
        return True

    def write(self, b: object) -> int:
        if self.full and not _null_device(self.fd):
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(memoryview(b))  # type: ignore[arg-type]

    def fileno(self) -> int:
        return self.fd


class FailingStderr(io.StringIO):
    """Standard error that cannot be written either."""

    def write(self, text: str) -> int:
        raise OSError(errno.EIO, "Input/output error")


# pytest puts its own streams back into sys at each phase of a test (and guard() would
# detach them): each test sets its streams in its body, not in a fixture


def _stderr(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Return what the code under test prints to standard error from now on."""
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    return err


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[FullDisk]:
    """Return a stream on a full disk (its descriptor that of a file in ``tmp_path``)."""
    fd = os.open(tmp_path / "stdout", os.O_WRONLY | os.O_CREAT, 0o600)
    disk = FullDisk(fd)
    try:
        yield disk
    finally:
        disk.full = False  # what a test left in a buffer can go
        os.close(fd)


def _stdout_on(monkeypatch: pytest.MonkeyPatch, raw: io.RawIOBase) -> io.TextIOWrapper[Any]:
    """Return standard output on ``raw`` from now on, unbuffered as with python -u."""
    # what python -u does (typeshed wants a buffered stream under a TextIOWrapper)
    stream = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)  # type: ignore[type-var]
    monkeypatch.setattr(sys, "stdout", stream)
    return stream


def _null_device(fd: int) -> bool:
    return os.path.samestat(os.fstat(fd), os.stat(os.devnull))


def test_a_closed_descriptor_is_opened_on_the_null_device(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    _stderr(monkeypatch)
    saved = os.dup(0)
    try:
        os.close(0)  # started with '<&-': the next file opened would become standard input
        streams.guard()
        assert _null_device(0)
    finally:
        os.dup2(saved, 0)
        os.close(saved)


def test_a_closed_standard_output_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    _stderr(monkeypatch)
    streams.guard()
    assert sys.stdout.writable()
    with pytest.raises(streams.OutputError) as caught:
        print("lost?")
    assert caught.value.errno == errno.EBADF
    assert str(streams.message(caught.value)) == (
        "error: cannot print the output: standard output is closed\n"
        "    hint: nothing can be printed: run it without closing the output ('>&-'), or send "
        "the output to a file"
    )


def test_a_closed_standard_error_goes_to_the_null_device(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", None)
    streams.guard()
    try:
        assert _null_device(sys.stderr.fileno())
        print("said to nobody", file=sys.stderr)  # and no error
    finally:
        sys.stderr.close()


def test_standard_output_keeps_its_encoding_and_line_buffering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written = io.BytesIO()
    old = io.TextIOWrapper(written, encoding="latin-1", errors="replace", line_buffering=True)
    monkeypatch.setattr(sys, "stdout", old)
    streams.guard()
    assert isinstance(sys.stdout, streams._Output)
    assert (sys.stdout.encoding, sys.stdout.errors, sys.stdout.line_buffering) == (
        "latin-1",
        "replace",
        True,
    )
    print("õun €")
    assert written.getvalue() == b"\xf5un ?\n"


def test_an_unbuffered_standard_output_writes_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = ShortWrites()
    _stdout_on(monkeypatch, raw)
    streams.guard()
    print("ametijuhend-" * 5)
    sys.stdout.flush()
    assert bytes(raw.data) == b"ametijuhend-" * 5 + b"\n"  # not the first three bytes only


def test_a_full_disk_is_an_error_of_standard_output(
    monkeypatch: pytest.MonkeyPatch, full_disk: FullDisk
) -> None:
    _stdout_on(monkeypatch, full_disk)
    streams.guard()
    sys.stdout.write("small")  # into the buffer
    with pytest.raises(streams.OutputError) as caught:
        sys.stdout.flush()
    assert caught.value.errno == errno.ENOSPC
    with pytest.raises(streams.OutputError) as caught:
        sys.stdout.write("x" * 100_000)  # more than the buffer holds
    assert caught.value.errno == errno.ENOSPC
    assert str(streams.message(caught.value)) + "\n" == NO_SPACE


def test_a_full_disk_under_line_buffering_fails_at_the_end_of_the_line(
    monkeypatch: pytest.MonkeyPatch, full_disk: FullDisk
) -> None:
    _stdout_on(monkeypatch, full_disk).reconfigure(line_buffering=True)
    streams.guard()
    with pytest.raises(streams.OutputError) as caught:
        print("a line")  # written and flushed at its end
    assert str(streams.message(caught.value)) + "\n" == NO_SPACE


def test_output_that_cannot_reach_a_full_disk_fails_the_command(
    monkeypatch: pytest.MonkeyPatch, full_disk: FullDisk
) -> None:
    _stdout_on(monkeypatch, full_disk)
    stderr = _stderr(monkeypatch)
    streams.guard()
    print("the listing")
    assert streams.finish(0) == 1
    assert stderr.getvalue() == NO_SPACE
    # the rest goes to the null device: Python's own flush at exit finds nothing to fail on
    assert _null_device(full_disk.fd)


def test_the_exit_code_stands_when_the_output_was_written(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = _stderr(monkeypatch)
    written = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(written, encoding="utf-8"))
    print("all of it")
    assert streams.finish(2) == 2
    assert written.getvalue() == b"all of it\n"
    monkeypatch.setattr(sys, "stdout", None)
    assert streams.finish("message") == "message"
    assert stderr.getvalue() == ""


def test_the_message_of_an_error_of_the_machine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    file = os.fsencode(tmp_path / "out" / "a.docx")
    assert str(streams.message(OSError(errno.EROFS, "Read-only file system", file))) == (
        "error: Read-only file system (out/a.docx)\n"
        "    hint: the folder is on a read-only disk: write somewhere else"
    )
    assert str(streams.message(OSError(errno.ENOTSUP, "Operation not supported"))) == (
        "error: Operation not supported"  # no hint known
    )
    assert str(streams.message(OSError("without a number"))) == "error: without a number"


def test_lost_output_is_said_and_the_rest_silenced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stderr = _stderr(monkeypatch)
    with open(tmp_path / "stdout", "w", encoding="utf-8") as out:
        monkeypatch.setattr(sys, "stdout", out)
        streams.lost(BrokenPipeError(errno.EPIPE, "Broken pipe"))
        print("after", file=out, flush=True)
    assert stderr.getvalue() == "error: cannot print the output: Broken pipe\n"
    assert (tmp_path / "stdout").read_text(encoding="utf-8") == ""


def test_lost_output_of_a_standard_output_error_is_said_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = _stderr(monkeypatch)
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # no descriptor: nothing to silence
    streams.lost(streams.OutputError(errno.EFBIG, "File too large"))
    assert stderr.getvalue() == (
        "error: cannot print the output: File too large\n"
        "    hint: the file would be larger than this session allows ('ulimit -f')\n"
    )


def test_lost_output_when_standard_error_fails_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", FailingStderr())
    streams.lost(streams.OutputError(errno.ENOSPC, "No space left on device"))  # no exception


def _console(monkeypatch: pytest.MonkeyPatch) -> tuple[io.BytesIO, io.BytesIO]:
    """Return what main() prints to standard output and to standard error from now on."""
    out, err = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(err, encoding="utf-8"))
    return out, err


def _main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int | str | None:
    # as `python -m ametijuhend_cli`: the program's name is not the tool's
    monkeypatch.setattr(sys, "argv", ["/somewhere/ametijuhend_cli/__main__.py", *args])
    with pytest.raises(SystemExit) as done:
        main()
    sys.stderr.flush()
    return done.value.code


def test_main_prints_and_exits(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = _console(monkeypatch)
    assert _main(monkeypatch, "--version") == 0
    assert out.getvalue().decode() == f"ametijuhend, version {__version__}\n"
    assert err.getvalue() == b""


def test_main_names_the_tool_in_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = _console(monkeypatch)
    assert _main(monkeypatch, "--no-such-option") == 2
    assert out.getvalue() == b""
    assert err.getvalue().decode().startswith("Usage: ametijuhend [OPTIONS] COMMAND [ARGS]...")
    assert "'--no-such-option'" in err.getvalue().decode()


def test_main_when_its_own_help_cannot_be_printed(
    monkeypatch: pytest.MonkeyPatch, full_disk: FullDisk
) -> None:
    _stdout_on(monkeypatch, full_disk)
    stderr = _stderr(monkeypatch)
    assert _main(monkeypatch, "--help") == 1
    assert stderr.getvalue() == NO_SPACE  # no traceback
