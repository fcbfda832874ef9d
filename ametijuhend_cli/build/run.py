"""Build and validate a project: load, resolve, render, write outputs atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli.build.events import BuildResult, EventKind, EventSink
from ametijuhend_cli.build.incremental import name_records, orphans, shared_digest, up_to_date
from ametijuhend_cli.build.manifest import MANIFEST_NAME, Entry, Manifest, Output
from ametijuhend_cli.build.outputs import (
    folder_lock,
    output_path,
    remove_stale_temp_files,
    write_atomic,
)
from ametijuhend_cli.build.pipeline import Context, Outcome, run, store, template_problem
from ametijuhend_cli.build.scratch import remove_dead_scratch, scratch_folder
from ametijuhend_cli.digests import digest, inputs_digest
from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.document.resolve import resolve_all
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import (
    DataError,
    OutputError,
    Problem,
    TemplateError,
    UnknownPositionError,
)
from ametijuhend_cli.messages import close_matches, display_path, plural
from ametijuhend_cli.sources.files import read_checked
from ametijuhend_cli.sources.project import (
    Project,
    ProjectPaths,
    duplicate_problem,
    load_project,
    load_shared,
    position_files,
)
from ametijuhend_cli.sources.templates import TemplateSet

FORMATS = ("md", "docx")
#: Every format build can write; pdf goes through LibreOffice.
ALL_FORMATS = (*FORMATS, "pdf")


def load(
    paths: ProjectPaths,
    ids: Iterable[str] | None = None,
    *,
    today: dt.date | None = None,
    strict: bool = False,
) -> tuple[Project, TemplateSet, dict[str, DocumentView]]:
    """Return the project, its templates and the resolved views; raise DataError."""
    checked = load_checked(paths, ids, today=today, strict=strict)
    return checked.project, checked.templates, checked.views


@dataclass
class Checked:
    """A loaded, resolved project and the warnings about it."""

    project: Project
    templates: TemplateSet
    views: dict[str, DocumentView]
    warnings: list[Problem]


def organization_problems(project: Project, today: dt.date | None) -> list[Problem]:
    """Return the organization-wide problems: relations, library hygiene, overdue reviews.

    Reviews are checked only when ``today`` is given: the core never reads the clock.
    """
    from ametijuhend_cli.organization.consistency import check_relations
    from ametijuhend_cli.organization.hygiene import library_problems
    from ametijuhend_cli.organization.review import review_problems

    problems = check_relations(project) + library_problems(project)
    if today is not None:
        problems += review_problems(project, today, project.paths.review_period_months)
    return problems


def load_checked(
    paths: ProjectPaths,
    ids: Iterable[str] | None = None,
    *,
    today: dt.date | None = None,
    strict: bool = False,
    keep_views: int | None = None,
    templates: TemplateSet | None = None,
) -> Checked:
    """Return the project, its views and its warnings; raise DataError on errors.

    The organization-wide checks run only on sources without errors: a position
    that failed to load would make others look one-sided and library entries
    look unused. With ``strict``, warnings fail like errors.
    """
    project = load_project(paths)
    if templates is None:
        templates = TemplateSet.for_project(paths.templates)
    wanted = list(dict.fromkeys(ids)) if ids else None
    if wanted:
        present = {*project.positions, *project.position_problems}
        unknown = [i for i in wanted if i not in present]
        if unknown:
            raise _unknown_positions(unknown, project.positions)
    try:
        wording = templates.wording
    except DataError as exc:  # report it together with the problems of the data
        blocking, others = project.problems_for(wanted)
        raise DataError(blocking + others + exc.problems) from None
    try:
        views = resolve_all(project, wording, wanted, keep=keep_views)
    except DataError as exc:
        # errors between positions are errors whatever else is wrong: one run shows all
        from ametijuhend_cli.organization.consistency import check_relations

        related = [p for p in check_relations(project) if p.severity == "error"]
        others = project.problems_for(wanted)[1]
        raise DataError(exc.problems + related + others) from None
    found = organization_problems(project, today)
    errors = [p for p in found if p.severity == "error"]
    warnings = sorted((p for p in found if p.severity != "error"), key=Problem.sort_key)
    if errors or (strict and warnings):
        raise DataError(errors + warnings, strict=strict)
    return Checked(project, templates, views, warnings)


@dataclass
class ValidationResult:
    """What validate checked and the warnings it found."""

    positions: int
    warnings: list[Problem] = field(default_factory=list)


def validate(
    paths: ProjectPaths, *, today: dt.date | None = None, strict: bool = False
) -> ValidationResult:
    """Return how many positions were checked and the warnings; raise DataError on errors.

    The organization-wide checks (references between positions, reviews,
    library hygiene) need every position at once, so validate holds them all
    in memory; build checks one position at a time.
    """
    templates = TemplateSet.for_project(paths.templates)
    renderers, template_problems = _template_renderers(templates, FORMATS)
    try:
        checked = load_checked(paths, today=today, strict=strict, keep_views=1, templates=templates)
    except DataError as exc:  # a broken template does not hide the data's problems
        raise DataError(exc.problems + template_problems, strict=exc.strict) from None
    # Rendering one position checks that the templates compile and run;
    # rendering all would double the time and find nothing the data check missed.
    for render in renderers.values():
        for view in checked.views.values():
            try:
                render(view)
            except TemplateError as exc:
                template_problems.append(template_problem(exc))
    if template_problems:
        raise DataError(template_problems)
    return ValidationResult(len(checked.project.positions), checked.warnings)


def _template_renderers(
    templates: TemplateSet, formats: Iterable[str]
) -> tuple[dict[str, Callable[[DocumentView], bytes]], list[Problem]]:
    """Return the renderers that load, and the problems of the templates that do not."""
    renderers: dict[str, Callable[[DocumentView], bytes]] = {}
    problems: list[Problem] = []
    for fmt in formats:
        try:
            renderers[fmt] = _renderer(templates, fmt)
        except TemplateError as exc:
            problems.append(template_problem(exc))
    return renderers, problems


def _renderer(templates: TemplateSet, fmt: str) -> Callable[[DocumentView], bytes]:
    if fmt == "md":
        from ametijuhend_cli.render.markdown import MarkdownRenderer

        return MarkdownRenderer(templates).render
    if fmt == "docx":
        from ametijuhend_cli.render.docx import DocxRenderer

        return DocxRenderer(templates).render
    raise ValueError(f"unknown format {fmt}")


def _unknown_positions(unknown: list[str], known: Iterable[str]) -> UnknownPositionError:
    """Return the error for ids given on the command line that are no position."""
    choices = sorted(known)
    hints = []
    for pid in unknown:
        matches = close_matches(pid, choices)
        hints.append(f"'{pid}'" + (f" (did you mean {', '.join(matches)}?)" if matches else ""))
    return UnknownPositionError("unknown position " + ", ".join(hints))


@dataclass
class Selection:
    """The position files of a project by id, those to build, and problems with the set."""

    every: dict[str, Path]
    wanted: dict[str, Path]
    problems: list[Problem]
    #: a whole-project build: the manifest is pruned and orphaned outputs removed
    whole: bool


def select_positions(paths: ProjectPaths, ids: Iterable[str] | None) -> Selection:
    """Return the position files to build (default: all); raise UnknownPositionError."""
    problems: list[Problem] = []
    every: dict[str, Path] = {}
    for path in position_files(paths.positions):
        if path.stem in every:
            problems.append(duplicate_problem(path, path.stem, every[path.stem]))
            continue
        every[path.stem] = path
    if not every:
        problems.append(_no_positions(paths.positions))
    if not ids:
        return Selection(every, dict(every), problems, whole=True)
    wanted = list(dict.fromkeys(ids))
    unknown = [i for i in wanted if i not in every]
    if unknown:
        raise _unknown_positions(unknown, every)
    return Selection(every, {pid: every[pid] for pid in wanted}, problems, whole=False)


def _no_positions(folder: Path) -> Problem:
    """Return the problem of a positions folder without position files, with a hint."""
    try:
        names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    except OSError:
        names = []
    misnamed = [n for n in names if n.lower().endswith((".yaml", ".yml")) and not n.startswith(".")]
    hint = "no output was removed"
    if misnamed:
        hint = f"file names end in lowercase .yaml: rename {misnamed[0]}; " + hint
    elif not folder.is_dir():
        hint = f"there is no folder {display_path(folder)}; " + hint
    return Problem(path=display_path(folder), message="no position files (*.yaml) found", hint=hint)


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
    plan = BuildPlan(chosen, out if out is not None else paths.out, check, force)
    if plan.pdf:
        from ametijuhend_cli.render.pdf import OfficeNotFoundError, find_soffice

        if find_soffice() is None:  # say so before any work is done
            raise OfficeNotFoundError(
                "--format pdf needs LibreOffice, which is not installed; install it "
                "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or use "
                "--format docx and convert in Word"
            )
    return plan


@contextlib.contextmanager
def _output_folder(plan: BuildPlan) -> Iterator[None]:
    """Create the output folder and hold its lock (a check writes nothing, locks nothing)."""
    if plan.check:
        yield
        return
    try:
        plan.target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder {display_path(plan.target)}: {exc.strerror}"
        ) from None
    manifest = plan.target / MANIFEST_NAME
    if manifest.is_symlink() or (manifest.exists() and not manifest.is_file()):
        # found before anything is written, not after every output was
        raise OutputError(
            f"cannot write the manifest {display_path(manifest)}: it is not a regular file; "
            "remove it (the next build rebuilds it)"
        )
    with folder_lock(plan.target):
        yield


class BuildInputs:
    """What every position of a build shares, loaded once: project, templates, digests, names."""

    def __init__(self, paths: ProjectPaths, selection: Selection, plan: BuildPlan):
        self.project = load_shared(paths)
        if self.project.problems:
            # the organization or a library is broken: nothing is built, but every
            # position is still checked, so that one run shows all problems
            load_checked(paths, selection.wanted if not selection.whole else None)
            raise DataError(self.project.problems + selection.problems)
        self.templates = TemplateSet.for_project(paths.templates)
        self.shared = shared_digest(paths, self.templates)
        self.manifest = Manifest.load(plan.target)
        self._hashed: dict[Path, str] = {}
        self._root = paths.root
        self.names = PositionNames.deferred(
            lambda: name_records(selection.every, paths.root, self.manifest, self.source_digest),
            self.project.units,
            self.templates.wording.position_with_unit,
        )

    def source_digest(self, path: Path) -> str:
        """Return the digest of a position file (each is read once per build)."""
        if path not in self._hashed:
            data = read_checked(path, self._root)  # a link or a pipe: refused when loaded
            self._hashed[path] = digest(data) if data is not None else ""
        return self._hashed[path]

    def inputs_digest(self, source: str, deps: Iterable[str]) -> str:
        """Return the digest of everything a position's output depends on."""
        return inputs_digest(self.shared, source, {d: self._dep_digest(d) for d in deps})

    def _dep_digest(self, dep: str) -> str:
        # how another position is named is looked up only for those that refer to it
        if dep.startswith("position/"):
            return self.names.digests().get(dep, "")
        return self.project.library.digests.get(dep, "")


def _skip_current(
    inputs: BuildInputs, selection: Selection, plan: BuildPlan, emit: EventSink
) -> list[tuple[str, Path]]:
    """Report the positions whose outputs are up to date; return the others, to render."""
    todo: list[tuple[str, Path]] = []
    for pid, path in selection.wanted.items():
        entry = None if plan.force else inputs.manifest.get(pid)
        if entry is not None and up_to_date(
            entry,
            inputs.inputs_digest(inputs.source_digest(path), entry.deps),
            plan.target,
            pid,
            plan.formats,
        ):
            for fmt in plan.formats:
                emit("current" if plan.check else "unchanged", plan.target / f"{pid}.{fmt}")
            continue
        todo.append((pid, path))
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
        target = self.plan.target
        entry = Entry.built(
            self.inputs.inputs_digest(source, outcome.deps),
            outcome.deps,
            {
                fmt: Output.of(target / f"{outcome.pid}.{fmt}", sha)
                for fmt, sha in outcome.outputs.items()
            },
            source,
            (record.title, record.partitive or "", record.unit),
        )
        if not self.plan.check:
            manifest.record_build(outcome.pid, entry)
        self.built.append(outcome.pid)


def _render(
    state: _Rendering,
    todo: list[tuple[str, Path]],
    jobs: int | None,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    """Render the positions in ``todo`` (in worker processes) and record each outcome."""
    inputs, plan = state.inputs, state.plan
    renderers, template_problems = (
        _template_renderers(inputs.templates, plan.rendered) if todo else ({}, [])
    )
    if template_problems:  # reported with the problems found so far; nothing is written
        raise DataError(template_problems + state.problems)
    # a scratch folder only for the PDFs (LibreOffice converts files)
    with scratch_folder() if plan.pdf else contextlib.nullcontext() as scratch:
        ctx = Context(
            inputs.project,
            inputs.templates.wording,
            renderers,
            plan.direct_formats,
            plan.target,
            plan.check,
            scratch,
            inputs.names,
        )
        if on_progress is not None:
            on_progress(0, len(todo))
        runner = run(ctx, todo, jobs if jobs is not None else (os.cpu_count() or 1))
        for done, outcome in enumerate(runner, 1):
            if outcome.template is not None:
                runner.close()  # stops the worker processes
                raise PartialBuildError([outcome.template], state.emit.result.paths("wrote"))
            state.record(outcome)
            if on_progress is not None:
                on_progress(done, len(todo))
        if scratch is not None and state.built:
            _store_pdfs(state, ctx, scratch)


def _store_pdfs(state: _Rendering, ctx: Context, scratch: Path) -> None:
    """Convert the DOCX files just built to PDF and store them like the other outputs."""
    from ametijuhend_cli.render.pdf import pdf_documents

    manifest = state.inputs.manifest
    for pid, data in pdf_documents(scratch, state.built):
        dest = output_path(state.plan.target, pid, "pdf")
        state.emit(store(ctx, dest, data), dest)
        recorded = manifest.get(pid)
        if recorded is not None and not state.plan.check:
            recorded.outputs["pdf"] = Output.of(dest, digest(data))
            manifest.record(pid, recorded)


def _remove_orphans(
    state: _Rendering, plan: BuildPlan, selection: Selection, emit: EventSink
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
    for found in orphans(plan.target, selection.every, ALL_FORMATS, manifest):
        if plan.check:
            emit("orphaned", found.path)
        elif not found.ours:
            emit("kept", found.path)
        else:
            with contextlib.suppress(FileNotFoundError):
                found.path.unlink()
            emit("removed", found.path)
    if not plan.check:
        manifest.keep_only(set(selection.every))


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
) -> BuildResult:
    """Build the given (default: all) positions into ``out``; return what happened.

    Only positions whose inputs or outputs changed since the last build are
    rendered (``force`` renders all). With ``check``, nothing is written: the
    outputs are compared with what a build would write. Positions with
    problems are not written; their problems are raised together at the end.
    Without ``formats``, the project's (ametijuhend.yaml) or the default ones
    are written.
    """
    plan = plan_build(paths, out, formats, check=check, force=force)
    # --strict runs the organization-wide checks (warnings failing) before anything
    # is written. They need every position in memory at once, while the build
    # streams positions through worker processes that load their own file; handing
    # the loaded positions to the workers would make memory grow with the project,
    # so --strict pays for a second parse instead.
    warnings = validate(paths, today=today, strict=True).warnings if strict else []
    selection = select_positions(paths, ids)  # an unknown id stops it before any folder is made
    with _output_folder(plan):
        cleaned = [] if check else remove_stale_temp_files(plan.target)
        remove_dead_scratch()  # what builds killed by SIGKILL left in the temp directory
        inputs = BuildInputs(paths, selection, plan)
        result = BuildResult(positions=len(selection.wanted), warnings=warnings, cleaned=cleaned)
        emit = EventSink(result, on_event)
        todo = _skip_current(inputs, selection, plan, emit)
        state = _Rendering(inputs, plan, selection, emit, selection.problems)
        _render(state, todo, jobs, on_progress)
        result.rendered = len(todo)
        _remove_orphans(state, plan, selection, emit)
        if not check:
            _write_manifest(inputs.manifest, plan.target)
        if state.problems:
            note = f"{plural(state.failed, 'position')} not built" if state.failed else ""
            raise DataError(state.problems, note=note if not check else "")
        return result


def _write_manifest(manifest: Manifest, target: Path) -> None:
    """Write the manifest atomically; raise OutputError (the old one stays whole)."""
    try:
        manifest.write(target, write_atomic)
    except OSError as exc:
        raise OutputError(
            f"cannot write the manifest {display_path(target / MANIFEST_NAME)}: "
            f"{exc.strerror or exc}; the outputs are complete, the next build checks them again"
        ) from None


class PartialBuildError(DataError):
    """A template failed for one position after others were written (each completely)."""

    def __init__(self, problems: list[Problem], written_paths: list[Path]):
        n = len(written_paths)
        super().__init__(
            problems,
            note=f"{n} file{'s' if n != 1 else ''} had been written, each complete" if n else "",
        )
        self.written_paths = list(written_paths)
