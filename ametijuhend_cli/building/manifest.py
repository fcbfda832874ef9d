"""The build manifest: content hashes of each position's inputs and outputs.

It lives in the output folder (``.ametijuhend-manifest``) and lets a build
skip every position whose inputs (its file, the library entries it uses, the
organization, the templates and the tool's version) and outputs are as they
were, without parsing or rendering anything.

One line per position, sorted by id, tab-separated: id, inputs digest, the library entries
(and other positions) it uses, its outputs as ``format=digest:size:mtime``,
the digest of its file, and its title, partitive title and unit (which other
positions print when they refer to it). A line ``#shared`` keeps the digest of
the organization and library files that last loaded without a problem and
the digests of their library entries. Lines are parsed
only for the positions a build looks at, so a manifest of a hundred thousand
positions costs little memory.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import tempfile
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ametijuhend_cli.errors import OutputError, msg
from ametijuhend_cli.messages import os_reason

MANIFEST_NAME = ".ametijuhend-manifest"
_HEADER = "ametijuhend-manifest 3"
_FIELDS = 8
_SHARED = "#shared"
#: The records of a build stay in memory up to this many bytes (some 1,000 positions).
_SPOOLED = 1 << 20
#: The longest line read from a manifest: a position's line holds a few digests and
#: the ids of the entries it uses; the shared line, a digest of every library entry.
#: A longer line is damage (or a file that is not ours): what follows is not read.
_MAX_LINE = 1 << 20
_MAX_SHARED = 64 << 20


@dataclass(frozen=True)
class Output:
    """A written output: its digest, and size and mtime to skip re-reading it."""

    digest: str
    size: int = -1
    mtime: int = -1

    @classmethod
    def of(cls, path: Path, data_digest: str) -> Output:
        """Return the record of ``path`` just written with content of ``data_digest``."""
        try:
            st = path.stat()
        except OSError:
            return cls(data_digest)
        return cls(data_digest, st.st_size, st.st_mtime_ns)

    def matches(self, path: str | Path) -> bool:
        """Return True when ``path`` is still the file this build wrote: a regular file (not
        a link) of the size and the modification time (to the nanosecond) it had then.

        Never the digest alone: a manifest is a file in the output folder, and a
        committed one could name the digest of any file. The time a file was
        written on this machine is what no commit can know, so a forged entry
        never makes an output current or a file the tool's own (to remove).
        """
        try:
            st = os.lstat(path)
        except OSError:
            return False
        return stat.S_ISREG(st.st_mode) and st.st_size == self.size and st.st_mtime_ns == self.mtime


@dataclass
class Entry:
    """What the manifest remembers of one position."""

    inputs: str
    deps: list[str]
    outputs: dict[str, Output] = field(default_factory=dict)
    source: str = ""
    title: str = ""
    partitive: str = ""
    unit: str = ""

    def line(self, pid: str) -> str:
        """Return the manifest line of this entry."""
        outputs = ",".join(
            f"{fmt}={o.digest}:{o.size}:{o.mtime}" for fmt, o in sorted(self.outputs.items())
        )
        deps = " ".join(sorted(self.deps))
        fields = (
            pid,
            self.inputs,
            deps,
            outputs,
            self.source,
            self.title,
            self.partitive,
            self.unit,
        )
        return "\t".join(fields)

    @classmethod
    def built(
        cls,
        inputs: str,
        deps: list[str],
        outputs: dict[str, Output],
        source: str,
        names: tuple[str, str, str],
    ) -> Entry:
        """Return the entry of a position just built; ``names`` are title, partitive, unit."""
        title, partitive, unit = names
        return cls(inputs, deps, outputs, source, title, partitive, unit)

    @classmethod
    def parse(cls, line: str) -> Entry:
        """Return the entry of a manifest line."""
        _, inputs, deps, outputs, source, title, partitive, unit = line.split("\t")
        parsed = {}
        for item in filter(None, outputs.split(",")):
            fmt, _, rest = item.partition("=")
            sha, size, mtime = rest.split(":")
            parsed[fmt] = Output(sha, int(size), int(mtime))
        return cls(inputs, deps.split(), parsed, source, title, partitive, unit)


class Manifest:
    """The manifest of one output folder, read and written as a stream.

    Nothing of it is held per position: the old file (sorted by id) is read
    alongside the positions a build looks at, in the same order; what the build
    records goes to a scratch file; writing merges the two into a new file.
    """

    def __init__(self, path: Path | None = None):
        #: the manifest file read (None: there is none, or it is of another version)
        self.path = path
        #: the digest of the organization and library files that loaded without a
        #: problem, and the digests of the library's entries by "kind/id"
        self.sources: str | None = None
        self.library: dict[str, str] = {}
        # closed by close() at the end of the build; in memory until it grows large
        # (a build of a few positions touches no temporary folder, a full disk included)
        self._recorded = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            _SPOOLED, "w+", encoding="utf-8"
        )
        self._last = ""
        self._sorted = True
        self._changed = False
        self._keep: Container[str] | None = None
        self._pdf: dict[str, Output] = {}

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Return the manifest in ``folder`` (empty when missing or unreadable)."""
        path = folder / MANIFEST_NAME
        try:
            fh = _open_regular(path)
            if fh is None:
                return cls()
            with fh:
                header, shared = (
                    fh.readline(len(_HEADER) + 1).rstrip("\n"),
                    fh.readline(_MAX_SHARED),
                )
        except (OSError, UnicodeDecodeError):
            return cls()
        if header != _HEADER:
            return cls()  # another version: a full build rebuilds it
        manifest = cls(path)
        if shared.startswith(_SHARED + "\t"):
            manifest._load_shared(shared.rstrip("\n"))
        return manifest

    def _load_shared(self, row: str) -> None:
        try:
            _, sources, library = row.split("\t")
            entries = json.loads(library)
        except ValueError:
            return
        if isinstance(entries, dict) and all(isinstance(v, str) for v in entries.values()):
            self.sources, self.library = sources, entries

    def _rows(self) -> Iterator[tuple[str, str]]:
        """Yield the id and line of each position in the file read, in its order."""
        if self.path is None:
            return
        try:
            fh = _open_regular(self.path)
            if fh is None:
                return
            with fh:
                fh.readline(len(_HEADER) + 1)  # checked by load, as the shared line is
                row = fh.readline(_MAX_SHARED)
                if row.startswith(_SHARED + "\t"):
                    row = fh.readline(_MAX_LINE)
                while row:
                    if len(row) >= _MAX_LINE and not row.endswith("\n"):
                        return  # damage: the positions not read yet are built again
                    row = row.rstrip("\n")
                    if row.count("\t") == _FIELDS - 1:
                        yield row.split("\t", 1)[0], row
                    row = fh.readline(_MAX_LINE)
        except (OSError, UnicodeDecodeError):
            return

    def entries(self, ids: Iterable[str]) -> Iterator[tuple[str, Entry | None]]:
        """Yield each of ``ids`` with its entry (None when it has none or it is damaged).

        In order of id, the file is read once alongside; ids out of order (a
        build of a few named positions) are looked up in one more pass.
        """
        wanted = list(ids)
        if wanted != sorted(wanted):
            asked = set(wanted)
            found = {pid: row for pid, row in self._rows() if pid in asked}
            for pid in wanted:
                yield pid, _parse(found.get(pid))
            return
        rows = self._rows()
        current = next(rows, None)
        for pid in wanted:
            while current is not None and current[0] < pid:
                current = next(rows, None)
            yield pid, _parse(current[1] if current is not None and current[0] == pid else None)

    def get(self, pid: str) -> Entry | None:
        """Return the entry of ``pid`` in the file read, or None."""
        return next(self.entries([pid]))[1]

    def record_build(self, pid: str, entry: Entry) -> None:
        """Record a position just built (formats not built this time stay valid when the
        inputs are the same: merged in when the manifest is written)."""
        self._record(pid, entry.line(pid))

    def invalidate(self, pid: str) -> None:
        """Make ``pid`` be rebuilt next time, still owning the outputs it has."""
        entry = self.get(pid)
        if entry is None:
            self.drop(pid)
            return
        entry.inputs = ""
        self._record(pid, entry.line(pid))

    def drop(self, pid: str) -> None:
        """Forget ``pid``."""
        self._record(pid, "")

    def _record(self, pid: str, line: str) -> None:
        try:
            self._recorded.write(f"{pid}\t{line}\n" if line else f"{pid}\n")
        except OSError as exc:
            raise OutputError(
                msg(
                    "cannot write the build's records into the temporary folder: {reason}; "
                    "the outputs written are complete",
                    reason=os_reason(exc),
                )
            ) from None
        self._sorted = self._sorted and pid > self._last
        self._last = pid
        self._changed = True

    def record_pdf(self, pid: str, output: Output) -> None:
        """Record the PDF just written of a position recorded in this build."""
        self._pdf[pid] = output
        self._changed = True

    def keep_only(self, ids: Container[str]) -> None:
        """Forget every position not in ``ids`` when the manifest is written."""
        self._keep = ids

    def _updates(self) -> Iterator[tuple[str, str]]:
        """Yield what this build recorded, by id in order, the last record of each."""
        self._recorded.seek(0)
        rows = (row.rstrip("\n").split("\t", 1) for row in self._recorded)
        pairs = ((r[0], r[1] if len(r) > 1 else "") for r in rows)
        if self._sorted:
            yield from pairs
        else:  # a build of a few named positions: few records
            yield from sorted(dict(pairs).items())

    def _merged(self) -> Iterator[str]:
        """Yield the lines of the new manifest: the old ones, updated, in order of id."""
        old = self._rows()
        current = next(old, None)
        for pid, line in self._updates():
            while current is not None and current[0] < pid:
                yield from self._kept(*current)
                current = next(old, None)
            previous = None
            if current is not None and current[0] == pid:
                previous, current = current[1], next(old, None)
            if line:
                yield from self._kept(pid, _merge(line, previous, self._pdf.get(pid)))
        while current is not None:
            yield from self._kept(*current)
            current = next(old, None)

    def _kept(self, pid: str, line: str) -> Iterator[str]:
        if self._keep is None or pid in self._keep:
            yield line

    def dumps(self) -> bytes:
        """Return the manifest file's content (see write, which streams it)."""
        buffer = io.StringIO()
        self._dump(buffer)
        return buffer.getvalue().encode()

    def _dump(self, out: TextIO) -> None:
        out.write(_HEADER + "\n")
        if self.sources is not None:
            library = json.dumps(self.library, sort_keys=True, ensure_ascii=False)
            out.write(f"{_SHARED}\t{self.sources}\t{library}\n")
        for line in self._merged():
            out.write(line + "\n")

    def write(self, folder: Path, shared: tuple[str | None, dict[str, str]]) -> None:
        """Write the manifest into ``folder`` (a temporary file, then a rename), unless
        nothing changed; ``shared`` are the sources digest and library digests."""
        if not self._changed and shared == (self.sources, self.library) and self._keep is None:
            return
        if self._keep is not None and not self._changed and self.path is not None:
            self._changed = any(pid not in self._keep for pid, _ in self._rows())
            if not self._changed and shared == (self.sources, self.library):
                return
        self.sources, self.library = shared
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / MANIFEST_NAME
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{MANIFEST_NAME}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                self._dump(fh)
            os.chmod(tmp, _mode(target))
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self.path = target

    def close(self) -> None:
        """Remove the scratch file of this build's records."""
        self._recorded.close()


def _open_regular(path: Path) -> TextIO | None:
    """Return ``path`` opened for reading if it is a regular file (not a link, a pipe or a
    device: a committed output folder is a project file too), else None."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, encoding="utf-8")


def _parse(line: str | None) -> Entry | None:
    if line is None:
        return None
    try:
        return Entry.parse(line)
    except ValueError:
        return None


def _merge(line: str, previous: str | None, pdf: Output | None) -> str:
    """Return the line of a position just built, with the outputs of the formats not
    built this time kept from ``previous`` when the inputs are the same, and its PDF."""
    entry = Entry.parse(line)
    old = _parse(previous)
    if old is not None and old.inputs == entry.inputs:
        entry.outputs = {**old.outputs, **entry.outputs}
    if pdf is not None:
        entry.outputs["pdf"] = pdf
    return entry.line(line.split("\t", 1)[0])


def _mode(path: Path) -> int:
    """Return the mode of ``path``, or what a new file gets from the umask."""
    try:
        st = os.lstat(path)  # a link where the manifest belongs is replaced, not followed
        if stat.S_ISREG(st.st_mode):
            return st.st_mode & 0o777
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
