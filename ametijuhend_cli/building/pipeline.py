"""Rendering positions one at a time, in worker processes when there are many."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli.building.events import Event, EventKind
from ametijuhend_cli.building.outputs import output_path
from ametijuhend_cli.building.scratch import cannot_write_scratch
from ametijuhend_cli.checking.engine import load_and_resolve
from ametijuhend_cli.digests import digest
from ametijuhend_cli.document.records import NameRecord
from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import DataError, OutputError, Problem, TemplateError, msg
from ametijuhend_cli.render.formats import template_renderers
from ametijuhend_cli.sources.files import (
    MAX_DOCUMENT_BYTES,
    exists,
    read_checked,
    read_project_file,
)
from ametijuhend_cli.sources.layouts import Layouts
from ametijuhend_cli.sources.project import Project
from ametijuhend_cli.sources.templates import TemplateSet
from ametijuhend_cli.workers import map_in_order
from ametijuhend_cli.writing import cannot_write, same_output, write_output


@dataclass
class Context:
    """What rendering one position needs; shared with worker processes."""

    project: Project
    layouts: Layouts
    templates: TemplateSet
    #: the formats rendered, in order (a DOCX for the PDFs too)
    formats: list[str]
    #: the formats written to the output folder (a DOCX made only for a PDF is not)
    direct_formats: list[str]
    target: Path
    check: bool
    scratch: Path | None
    names: PositionNames | None = None
    #: the renderers of ``formats``, made on first use; a spawned worker makes its own
    #: (a template environment does not cross a process boundary)
    made: dict[str, Callable[[DocumentView], bytes]] = field(default_factory=dict)

    def renderers(self) -> dict[str, Callable[[DocumentView], bytes]]:
        """Return the renderer of each format; raise TemplateError for one that fails."""
        if not self.made:
            made, problems = template_renderers(self.templates, self.formats)
            if problems:
                raise TemplateError(problems[0])
            self.made = made
        return self.made

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "made": {}}


@dataclass
class Outcome:
    """What happened to one position."""

    pid: str
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    #: size and modification time of each output written (taken before its rename)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    deps: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    record: NameRecord | None = None
    #: the digest of the position file's bytes that were parsed and rendered
    source: str = ""
    #: a template failed (in a worker process): the build stops
    template: Problem | None = None


#: The outputs that are text, which git may check out with CRLF line ends (on Windows):
#: such a copy is current (and left as it is), whether .gitattributes says eol=lf or not.
TEXT_OUTPUTS = (".md",)


def _compare(path: Path, data: bytes) -> EventKind:
    if not exists(path):
        return "missing"
    # a link or a pipe where an output belongs is never read (a pipe would hang)
    found = read_checked(path, None, max(MAX_DOCUMENT_BYTES, 2 * len(data)))
    same = same_output(found, data, line_ends=path.suffix in TEXT_OUTPUTS)
    return "current" if same and not path.is_symlink() else "stale"


def store(ctx: Context, path: Path, data: bytes) -> EventKind:
    """Write (or, checking, compare) one output; return what became of it."""
    return store_output(ctx, path, data)[0]


def store_output(ctx: Context, path: Path, data: bytes) -> tuple[EventKind, os.stat_result | None]:
    """Write (or, checking, compare) one output; return what became of it and, when it was
    written, its status (size and modification time, for the manifest)."""
    if ctx.check:
        return _compare(path, data), None
    try:
        written = write_output(path, data, line_ends=path.suffix in TEXT_OUTPUTS)
    except OSError as exc:
        raise cannot_write(path, exc, msg("no file was left half-written")) from None
    return ("wrote", written) if written is not None else ("unchanged", None)


def process(ctx: Context, pid: str, path: Path) -> Outcome:
    """Load, resolve and render one position; return what was written or found."""
    outcome = Outcome(pid)
    root = ctx.project.paths.root
    try:
        data = read_project_file(path, root)
    except DataError as exc:
        outcome.problems.extend(exc.problems)
        return outcome
    # what the manifest records is the digest of exactly these bytes: a file
    # edited while the build runs is not taken for the version that was rendered
    outcome.source = digest(data)
    resolved = load_and_resolve(ctx.project, ctx.layouts, path, ctx.names, data)
    position, view = resolved.position, resolved.view
    if resolved.problems or position is None or view is None:
        outcome.problems.extend(resolved.problems)
        return outcome
    model = position.model
    outcome.record = NameRecord(model.title, model.title_partitive, model.unit, "")
    for fmt, render in ctx.renderers().items():
        data = render(view)
        if fmt in ctx.direct_formats:
            out = output_path(ctx.target, pid, fmt)
            kind, written = store_output(ctx, out, data)
            outcome.events.append((kind, out))
            outcome.outputs[fmt] = digest(data)
            if written is not None:
                outcome.stats[fmt] = (written.st_size, written.st_mtime_ns)
        if fmt == "docx" and ctx.scratch is not None:
            _scratch_copy(ctx.scratch / f"{pid}.docx", data)
    outcome.deps = sorted(view.library_refs)
    return outcome


def _scratch_copy(path: Path, data: bytes) -> None:
    """Write the copy LibreOffice converts to PDF; raise OutputError."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(cannot_write_scratch(path.parent, exc)) from None


def safe_process(ctx: Context, item: tuple[str, Path]) -> Outcome:
    """Return the outcome of one position, with the core's errors in it (they may cross
    a process boundary, which exceptions with extra data do not survive)."""
    try:
        return process(ctx, *item)
    except DataError as exc:
        return Outcome(item[0], exc.problems)
    except TemplateError as exc:
        return Outcome(item[0], template=exc.problem)


def run(ctx: Context, todo: list[tuple[str, Path]], jobs: int) -> Generator[Outcome, None, None]:
    """Yield the outcome of each position, in order, using up to ``jobs`` processes.

    The workers inherit ``ctx`` when they are forked. The outcomes of a chunk
    come back together, so chunks are bounded (workers.chunk_size): a chunk
    growing with the project would make the build's memory grow with it.
    """
    process_one = functools.partial(safe_process, ctx)
    yield from map_in_order(process_one, todo, jobs, parallel_from=_PARALLEL_FROM)


#: Fewer positions than this (two of the smallest chunks) are built in this process.
_PARALLEL_FROM = 16
