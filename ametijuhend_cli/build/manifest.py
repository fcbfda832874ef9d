"""The build manifest: content hashes of each position's inputs and outputs.

It lives in the output folder (``.ametijuhend-manifest``) and lets a build
skip every position whose inputs (its file, the library entries it uses, the
organization, the templates and the tool's version) and outputs are as they
were, without parsing or rendering anything.

One line per position, tab-separated: id, inputs digest, the library entries
(and other positions) it uses, its outputs as ``format=digest:size:mtime``,
the digest of its file, and its title, partitive title and unit (which other
positions print when they refer to it). Lines are parsed
only for the positions a build looks at, so a manifest of a hundred thousand
positions costs little memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ametijuhend_cli.digests import digest
from ametijuhend_cli.sources.files import MAX_DOCUMENT_BYTES, read_checked

MANIFEST_NAME = ".ametijuhend-manifest"
_HEADER = "ametijuhend-manifest 3"
_FIELDS = 8


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

    def matches(self, path: Path) -> bool:
        """Return True when ``path`` still holds this output."""
        try:
            st = path.stat()
        except OSError:
            return False
        if st.st_size == self.size and st.st_mtime_ns == self.mtime:
            return True
        data = read_checked(path, None, MAX_DOCUMENT_BYTES)  # a pipe or a device: no match
        return data is not None and digest(data) == self.digest


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
    """The manifest of one output folder."""

    def __init__(self, lines: dict[str, str] | None = None):
        self._lines = lines or {}

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Return the manifest in ``folder`` (empty when missing or unreadable)."""
        # a committed output folder is a project file too: a link or a pipe is not read
        data = read_checked(folder / MANIFEST_NAME, folder)
        try:
            text = data.decode("utf-8") if data is not None else ""
        except UnicodeDecodeError:
            return cls()
        rows = text.split("\n")
        if rows[0] != _HEADER:
            return cls()  # another version: a full build rebuilds it
        return cls(
            {row.split("\t", 1)[0]: row for row in rows[1:] if row.count("\t") == _FIELDS - 1}
        )

    def get(self, pid: str) -> Entry | None:
        """Return the entry of ``pid``, or None (also when its line is damaged)."""
        line = self._lines.get(pid)
        if line is None:
            return None
        try:
            return Entry.parse(line)
        except ValueError:
            return None

    def record_build(self, pid: str, entry: Entry) -> Entry:
        """Record a position just built and return its entry.

        Formats not built this time stay valid when the inputs are the same.
        """
        old = self.get(pid)
        if old is not None and old.inputs == entry.inputs:
            entry.outputs = {**old.outputs, **entry.outputs}
        self.record(pid, entry)
        return entry

    def record(self, pid: str, entry: Entry) -> None:
        """Record ``entry`` for ``pid``."""
        self._lines[pid] = entry.line(pid)

    def keep_only(self, ids: set[str]) -> None:
        """Forget every position not in ``ids``."""
        self._lines = {pid: line for pid, line in self._lines.items() if pid in ids}

    def invalidate(self, pid: str) -> None:
        """Make ``pid`` be rebuilt next time, still owning the outputs it has."""
        entry = self.get(pid)
        if entry is None:
            self.drop(pid)
            return
        entry.inputs = ""
        self.record(pid, entry)

    def drop(self, pid: str) -> None:
        """Forget ``pid``."""
        self._lines.pop(pid, None)

    def dumps(self) -> bytes:
        """Return the manifest file's content."""
        body = "\n".join(self._lines[pid] for pid in sorted(self._lines))
        return f"{_HEADER}\n{body}\n".encode()

    def write(self, folder: Path, write: Any) -> None:
        """Write the manifest into ``folder`` with the atomic writer ``write``."""
        folder.mkdir(parents=True, exist_ok=True)
        write(folder / MANIFEST_NAME, self.dumps())
