"""Build a project: plan, select, skip what is current, render, write outputs atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ametijuhend_cli.building.events import BuildResult, EventKind, EventSink
from ametijuhend_cli.building.incremental import (
    name_records,
    orphans,
    output_names,
    shared_digest,
    sources_digest,
    up_to_date,
)
from ametijuhend_cli.building.manifest import MANIFEST_NAME, Entry, Manifest, Output
from ametijuhend_cli.building.outputs import folder_lock, output_path
from ametijuhend_cli.building.scratch import remove_dead_scratch, scratch_folder
from ametijuhend_cli.building.select import Selection, select_positions
from ametijuhend_cli.digests import digest, inputs_digest
from ametijuhend_cli.errors import DataError, Message, OutputError, Problem, msg, nmsg
from ametijuhend_cli.messages import display_path, os_reason
from ametijuhend_cli.render.formats import FORMATS, errors_and_warnings, template_renderers
from ametijuhend_cli.sources.files import read_checked
from ametijuhend_cli.sources.paths import ProjectPaths, writable_folder
from ametijuhend_cli.sources.templates import TemplateSet
from ametijuhend_cli.writing import held_open, remove_stale_temp_files

if TYPE_CHECKING:
    from ametijuhend_cli.building.pipeline import Context, Outcome
    from ametijuhend_cli.document.references import PositionNames
    from ametijuhend_cli.sources.project import Project

#: Every format build can write; pdf goes through LibreOffice.
ALL_FORMATS = (*FORMATS, "pdf")


@dataclass(frozen=True)
class BuildPlan:
    """What a build was asked for: the formats, the output folder, check or write."""

    #: every format asked for, in order; pdf is converted from the DOCX
    formats: list[str]
    target: Path
    check: bool
    force: bool

    @property
    def pdf(self) -> bool:
        """Return True when PDFs are asked for."""
        return "pdf" in self.formats

    @property
    def direct_formats(self) -> list[str]:
        """Return the formats the renderers write directly (all but pdf)."""
        return [f for f in self.formats if f != "pdf"]

    @property
    def rendered(self) -> list[str]:
        """Return the formats to render: those written, and DOCX for the PDFs."""
        return self.direct_formats + (
            ["docx"] if self.pdf and "docx" not in self.direct_formats else []
        )


def plan_build(
    paths: ProjectPaths,
    out: Path | None,
    formats: Iterable[str] | None,
    *,
    check: bool,
    force: bool,
) -> BuildPlan:
    """Return the plan of a build; refuse PDFs at once when LibreOffice is missing."""
    chosen = list(dict.fromkeys(formats if formats is not None else paths.formats or FORMATS))
    # inside the project, reached without a link, apart from the sources (--out: anywhere)
    target = writable_folder(paths, out if out is not None else paths.out, given=out is not None)
    plan = BuildPlan(chosen, target, check, force)
    if plan.pdf:
        from ametijuhend_cli.render.pdf import find_soffice, not_installed

        if find_soffice() is None:  # say so before any work is done
            raise not_installed("--format pdf")
    return plan


@contextlib.contextmanager
def _output_folder(
    plan: BuildPlan, on_wait: Callable[[Path, Message], None] | None = None
) -> Iterator[None]:
    """Create the output folder and hold its lock (a check writes nothing, locks nothing)."""
    if plan.check:
        yield
        return
    try:
        plan.target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            msg(
                "cannot create the output folder {folder}: {reason}",
                folder=display_path(plan.target),
                reason=os_reason(exc),
            )
        ) from None
    manifest = plan.target / MANIFEST_NAME
    if manifest.is_symlink() or (manifest.exists() and not manifest.is_file()):
        # found before anything is written, not after every output was
        raise OutputError(
            msg(
                "cannot write the manifest {path}: it is not a regular file; remove it (the "
                "next build rebuilds it)",
                path=display_path(manifest),
            )
        )
    with folder_lock(plan.target, on_wait):
        yield


class BuildInputs:
    """What every position of a build shares, loaded once: project, templates, digests, names.

    The organization and the libraries are validated only when they changed
    since the last build: the manifest keeps the digest of the files that
    loaded without a problem and the digests of the library's entries, so a
    build whose positions are current loads no schema and parses no YAML.
    """

    def __init__(self, paths: ProjectPaths, selection: Selection, plan: BuildPlan):
        self.paths = paths
        self.selection = selection
        # --check compares what the sources give now with what is there, whatever a
        # manifest (a file in the output folder, perhaps committed) says
        self.manifest = Manifest() if plan.check else Manifest.load(plan.target)
        #: an output was found just as the manifest recorded writing it (its size and
        #: time): the manifest was written here, and what else it says can be trusted
        self.proven = False
        self.sources = sources_digest(paths)
        self._project: Project | None = None
        self._names: PositionNames | None = None
        self.library: dict[str, str] = self.manifest.library
        if self.sources is None or self.sources != self.manifest.sources:
            self._project = self._load_project()
        self.templates = TemplateSet.of(paths)
        self.shared = shared_digest(paths, self.templates)
        self._hashed: dict[Path, str] = {}
        #: "kind/id=digest" of each library entry or position named, as inputs_digest takes it
        self._dep_parts: dict[str, str] = {}

    def _load_project(self) -> Project:
        from ametijuhend_cli.sources.project import load_shared

        project = load_shared(self.paths)
        if project.problems:
            # the organization or a library is broken: nothing is built, but every
            # position is still checked, so that one run shows all problems
            from ametijuhend_cli.checking.engine import stop_on_problems

            selection = self.selection
            stop_on_problems(self.paths, selection.wanted if not selection.whole else None)
        self.library = project.library.digests
        return project

    @property
    def project(self) -> Project:
        """Return the organization and libraries, loaded (and checked) on first use."""
        if self._project is None:
            self._project = self._load_project()
        return self._project

    @property
    def names(self) -> PositionNames:
        """Return how positions are named by others (their files are read on first use)."""
        if self._names is None:
            from ametijuhend_cli.document.references import PositionNames

            every = self.selection.every
            # how other positions are named is taken from the manifest only when it proved
            # to be this machine's: a committed one could give a position any title
            manifest = self.manifest if self.proven else Manifest()
            self._names = PositionNames.deferred(
                lambda: name_records(every, self.paths.root, manifest, self.source_digest),
                self.project.units,
                self.templates.wording.position_with_unit,
            )
        return self._names

    def source_digest(self, path: Path) -> str:
        """Return the digest of a position file (each is read once per build)."""
        if path not in self._hashed:
            data = read_checked(path, self.paths.root)  # a link or a pipe: refused when loaded
            self._hashed[path] = digest(data) if data is not None else ""
        return self._hashed[path]

    def forget_digest(self, path: Path) -> None:
        """Forget the digest of a position that is current (nothing asks for it again)."""
        self._hashed.pop(path, None)

    def inputs_digest(self, source: str, deps: Iterable[str]) -> str:
        """Return the digest of everything a position's output depends on."""
        parts = self._dep_parts
        try:
            return inputs_digest(self.shared, source, [parts[d] for d in sorted(deps)])
        except KeyError:
            pass
        for dep in deps:
            if dep not in parts:
                parts[dep] = f"{dep}={self._dep_digest(dep)}"
        return inputs_digest(self.shared, source, [parts[d] for d in sorted(deps)])

    def _dep_digest(self, dep: str) -> str:
        # how another position is named is looked up only for those that refer to it
        if dep.startswith("position/"):
            return self.names.digests().get(dep, "")
        return self.library.get(dep, "")

    def write_manifest(self, target: Path) -> None:
        """Write the manifest, with the digest of the shared sources that loaded cleanly."""
        self.manifest.write(target, (self.sources, self.library))


def _skip_current(
    inputs: BuildInputs, selection: Selection, plan: BuildPlan, emit: EventSink
) -> list[tuple[str, Path]]:
    """Report the positions whose outputs are up to date; return the others, to render."""
    todo: list[tuple[str, Path]] = []
    wanted = selection.wanted
    # a whole build goes in order of id, as the manifest is sorted: it is read alongside
    order = sorted(wanted) if selection.whole else list(wanted)
    if plan.force:
        return [(pid, wanted[pid]) for pid in order]
    for pid, entry in inputs.manifest.entries(order):
        path = wanted[pid]
        if entry is not None and up_to_date(
            entry,
            inputs.inputs_digest(inputs.source_digest(path), entry.deps),
            plan.target,
            pid,
            plan.formats,
        ):
            emit.quiet("current" if plan.check else "unchanged", len(plan.formats))
            inputs.forget_digest(path)
            inputs.proven = True
            continue
        todo.append((pid, path))
    if not inputs.proven:
        # nothing shows that the manifest was written here: its digest of the
        # organization and the library does not spare their validation
        inputs.project  # noqa: B018 (loads and checks them)
    return todo


@dataclass
class _Rendering:
    """The render phase's state: what was built and the problems found."""

    inputs: BuildInputs
    plan: BuildPlan
    selection: Selection
    emit: EventSink
    problems: list[Problem]
    failed: int = 0
    built: list[str] = field(default_factory=list)

    def record(self, outcome: Outcome) -> None:
        """Take in the outcome of one position: its events, problems or manifest entry."""
        for kind, path in outcome.events:
            self.emit(kind, path)
        manifest = self.inputs.manifest
        if outcome.problems:
            self.problems.extend(outcome.problems)
            self.failed += 1
            # rebuilt next time; its old outputs stay recorded as the tool's own
            manifest.invalidate(outcome.pid)
            return
        record = outcome.record
        assert record is not None
        source = outcome.source  # the bytes rendered, not a later read of the file
        self.inputs.forget_digest(self.selection.wanted[outcome.pid])
        if not self.plan.check:
            entry = Entry.built(
                self.inputs.inputs_digest(source, outcome.deps),
                outcome.deps,
                self._outputs(outcome),
                source,
                (record.title, record.partitive or "", record.unit),
            )
            manifest.record_build(outcome.pid, entry)
        if self.plan.pdf:
            self.built.append(outcome.pid)

    def _outputs(self, outcome: Outcome) -> dict[str, Output]:
        """Return the manifest's record of each output of ``outcome``: the status taken
        as it was written, or (an output found unchanged) read now."""
        target = self.plan.target
        outputs = {}
        for fmt, sha in outcome.outputs.items():
            written = outcome.stats.get(fmt)
            outputs[fmt] = (
                Output(sha, *written)
                if written is not None
                else Output.of(target / f"{outcome.pid}.{fmt}", sha)
            )
        return outputs


def _render(
    state: _Rendering,
    todo: list[tuple[str, Path]],
    jobs: int | None,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    """Render the positions in ``todo`` (in worker processes) and record each outcome."""
    inputs, plan = state.inputs, state.plan
    if not todo:
        if on_progress is not None:
            on_progress(0, 0)
        return
    from ametijuhend_cli.building.pipeline import Context, run

    renderers, found = template_renderers(inputs.templates, plan.rendered)
    template_problems, warnings = errors_and_warnings(found)
    template_problems += inputs.templates.layouts.problems()
    if template_problems:  # reported with the problems found so far; nothing is written
        raise DataError(template_problems + state.problems)
    state.emit.result.warnings += warnings
    # a scratch folder only for the PDFs (LibreOffice converts files)
    with scratch_folder() if plan.pdf else contextlib.nullcontext() as scratch:
        ctx = Context(
            inputs.project,
            inputs.templates.layouts,
            inputs.templates,
            plan.rendered,
            plan.direct_formats,
            plan.target,
            plan.check,
            scratch,
            inputs.names,
            renderers,
        )
        if on_progress is not None:
            on_progress(0, len(todo))
        runner = run(ctx, todo, jobs if jobs is not None else (os.cpu_count() or 1))
        for done, outcome in enumerate(runner, 1):
            if outcome.template is not None:
                runner.close()  # stops the worker processes
                raise PartialBuildError([outcome.template], state.emit.result.counts["wrote"])
            state.record(outcome)
            if on_progress is not None:
                on_progress(done, len(todo))
        if scratch is not None and state.built:
            _store_pdfs(state, ctx, scratch)


def _store_pdfs(state: _Rendering, ctx: Context, scratch: Path) -> None:
    """Convert the DOCX files just built to PDF and store them like the other outputs."""
    from ametijuhend_cli.building.pipeline import store
    from ametijuhend_cli.render.pdf import pdf_documents

    manifest = state.inputs.manifest
    for pid, data in pdf_documents(scratch, state.built):
        dest = output_path(state.plan.target, pid, "pdf")
        state.emit(store(ctx, dest, data), dest)
        if not state.plan.check:
            manifest.record_pdf(pid, Output.of(dest, digest(data)))


def _remove_orphans(
    state: _Rendering, plan: BuildPlan, selection: Selection, names: list[str], emit: EventSink
) -> None:
    """Remove (or, checking, report) outputs of positions that no longer exist.

    Runs only after a whole build that found positions and no problems: an
    emptied or misnamed positions folder, or a broken build, removes nothing.
    Only files the manifest records as written by the tool, unchanged since,
    are removed; other files named like an output are reported and kept.
    """
    if not selection.whole or not selection.every or state.problems:
        return
    manifest = state.inputs.manifest
    for found in orphans(plan.target, names, selection.every, ALL_FORMATS, manifest):
        if plan.check:
            emit("orphaned", found.path)
        elif not found.ours:
            emit("kept", found.path)
        else:
            _remove(found.path)
            emit("removed", found.path)
    if not plan.check:
        manifest.keep_only(selection.every)


def _remove(path: Path) -> None:
    """Remove the output ``path`` of a position that is gone; raise OutputError."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except PermissionError as exc:  # on Windows: open in Word
        raise OutputError(
            msg(
                "cannot remove {path} (its position is gone): {reason}",
                path=display_path(path),
                reason=held_open(exc, path).reason,
            )
        ) from None


def _strict_check(paths: ProjectPaths, today: dt.date | None) -> None:
    """Check the project as validate does; raise DataError on any problem, warnings too."""
    from ametijuhend_cli.checking.engine import validate_project

    validate_project(paths, today=today, strict=True)


def build(
    paths: ProjectPaths,
    ids: Iterable[str] | None = None,
    *,
    out: Path | None = None,
    formats: Iterable[str] | None = None,
    force: bool = False,
    check: bool = False,
    jobs: int | None = None,
    on_event: Callable[[EventKind, Path], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
    strict: bool = False,
    on_wait: Callable[[Path, Message], None] | None = None,
) -> BuildResult:
    """Build the given (default: all) positions into ``out``; return what happened.

    Only positions whose inputs or outputs changed since the last build are
    rendered (``force`` renders all). With ``check``, nothing is written: the
    outputs are compared with what a build would write. Positions with
    problems are not written; their problems are raised together at the end.
    Without ``formats``, the project's (ametijuhend.yaml) or the default ones
    are written. ``on_event`` hears of every output but those skipped as
    current (only counted in the result); ``on_wait``, of another build that
    holds the output folder, before this one waits for it.
    """
    plan = plan_build(paths, out, formats, check=check, force=force)
    # --strict runs validate (the organization-wide checks, warnings failing)
    # before anything is written. It reads every position, which the build
    # does not: a position whose outputs are current is not read again, yet
    # the checks across positions need it (as a summary, so memory stays flat).
    if strict:
        _strict_check(paths, today)
    selection = select_positions(paths, ids)  # an unknown id stops it before any folder is made
    with _output_folder(plan, on_wait):
        names = output_names(plan.target)  # the one scan of the output folder
        cleaned = [] if check else remove_stale_temp_files(plan.target, names)
        remove_dead_scratch()  # what builds killed by SIGKILL left in the temp directory
        inputs = BuildInputs(paths, selection, plan)
        try:
            result = BuildResult(positions=len(selection.wanted), cleaned=cleaned)
            emit = EventSink(result, on_event)
            todo = _skip_current(inputs, selection, plan, emit)
            state = _Rendering(inputs, plan, selection, emit, selection.problems)
            _render(state, todo, jobs, on_progress)
            result.rendered = len(todo)
            _remove_orphans(state, plan, selection, names, emit)
            if not check:
                _write_manifest(inputs, plan.target)
            if state.problems:
                note = None
                if state.failed and not check:
                    note = nmsg("{n} position not built", "{n} positions not built", state.failed)
                raise DataError(state.problems, note=note)
            return result
        finally:
            inputs.manifest.close()


def _write_manifest(inputs: BuildInputs, target: Path) -> None:
    """Write the manifest atomically; raise OutputError (the old one stays whole)."""
    try:
        inputs.write_manifest(target)
    except OSError as exc:
        raise OutputError(
            msg(
                "cannot write the manifest {path}: {reason}; the outputs are complete, the "
                "next build checks them again",
                path=display_path(target / MANIFEST_NAME),
                reason=os_reason(exc),
            )
        ) from None


class PartialBuildError(DataError):
    """A template failed for one position after others were written (each completely)."""

    def __init__(self, problems: list[Problem], written_count: int):
        n = written_count
        note = (
            nmsg(
                "{n} file had been written, each complete",
                "{n} files had been written, each complete",
                n,
            )
            if n
            else None
        )
        super().__init__(problems, note=note)
