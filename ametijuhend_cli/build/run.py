"""Build and validate a project: load, resolve, render, write outputs atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli.build.incremental import name_records, orphans, shared_digest
from ametijuhend_cli.build.manifest import Entry, Manifest, Output
from ametijuhend_cli.build.outputs import (
    folder_lock,
    output_path,
    remove_stale_temp_files,
    write_atomic,
)
from ametijuhend_cli.build.pipeline import Context, run, store, template_problem
from ametijuhend_cli.digests import digest, inputs_digest
from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.document.resolve import DocumentView, resolve_all
from ametijuhend_cli.errors import (
    DataError,
    OutputError,
    Problem,
    TemplateError,
    UnknownPositionError,
)
from ametijuhend_cli.messages import close_matches, display_path
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


@dataclass
class BuildResult:
    """What a build did: (kind, path) events and counts.

    Kinds: wrote, unchanged, removed; with ``check``: current, stale, missing,
    orphaned.
    """

    positions: int = 0
    rendered: int = 0
    #: events that change something or need attention, in order
    events: list[tuple[str, Path]] = field(default_factory=list)
    #: how many outputs of each kind; unchanged and current ones are only counted
    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[Problem] = field(default_factory=list)
    #: temporary files of an interrupted earlier build that were removed
    cleaned: list[Path] = field(default_factory=list)

    def paths(self, *kinds: str) -> list[Path]:
        """Return the paths of the events of the given kinds (not unchanged/current)."""
        return [path for kind, path in self.events if kind in kinds]


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
) -> Checked:
    """Return the project, its views and its warnings; raise DataError on errors.

    The organization-wide checks run only on sources without errors: a position
    that failed to load would make others look one-sided and library entries
    look unused. With ``strict``, warnings fail like errors.
    """
    project = load_project(paths)
    templates = TemplateSet.for_project(paths.templates)
    wanted = list(dict.fromkeys(ids)) if ids else None
    if wanted:
        present = {*project.positions, *project.position_problems}
        unknown = [i for i in wanted if i not in present]
        if unknown:
            known = sorted(project.positions)
            hints = []
            for pid in unknown:
                matches = close_matches(pid, known)
                hints.append(
                    f"'{pid}'" + (f" (did you mean {', '.join(matches)}?)" if matches else "")
                )
            raise UnknownPositionError("unknown position " + ", ".join(hints))
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
    renderers, template_problems = _template_renderers(paths, FORMATS)
    try:
        checked = load_checked(paths, today=today, strict=strict, keep_views=1)
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
    paths: ProjectPaths, formats: Iterable[str]
) -> tuple[dict[str, Callable[[DocumentView], bytes]], list[Problem]]:
    """Return the renderers that load, and the problems of the templates that do not."""
    templates = TemplateSet.for_project(paths.templates)
    renderers: dict[str, Callable[[DocumentView], bytes]] = {}
    problems: list[Problem] = []
    for fmt in formats:
        try:
            renderers.update(_renderers(templates, [fmt]))
        except TemplateError as exc:
            problems.append(template_problem(exc))
    return renderers, problems


def _renderers(
    templates: TemplateSet, formats: Iterable[str]
) -> dict[str, Callable[[DocumentView], bytes]]:
    out: dict[str, Callable[[DocumentView], bytes]] = {}
    for fmt in formats:
        if fmt == "md":
            from ametijuhend_cli.render.markdown import MarkdownRenderer

            out[fmt] = MarkdownRenderer(templates).render
        elif fmt == "docx":
            from ametijuhend_cli.render.docx import DocxRenderer

            out[fmt] = DocxRenderer(templates).render
        else:
            raise ValueError(f"unknown format {fmt}")
    return out


def _select(
    paths: ProjectPaths, ids: Iterable[str] | None
) -> tuple[dict[str, Path], list[Problem]]:
    """Return the position files to build by id, and the problems with the file set."""
    problems: list[Problem] = []
    files: dict[str, Path] = {}
    for path in position_files(paths.positions):
        if path.stem in files:
            problems.append(duplicate_problem(path, path.stem, files[path.stem]))
            continue
        files[path.stem] = path
    if not files:
        problems.append(
            Problem(
                path=display_path(paths.positions),
                message="no position files (*.yaml) found",
            )
        )
    if ids:
        wanted = list(dict.fromkeys(ids))
        unknown = [i for i in wanted if i not in files]
        if unknown:
            hints = []
            for pid in unknown:
                matches = close_matches(pid, list(files))
                hints.append(
                    f"'{pid}'" + (f" (did you mean {', '.join(matches)}?)" if matches else "")
                )
            raise UnknownPositionError("unknown position " + ", ".join(hints))
        files = {pid: files[pid] for pid in wanted}
    return files, problems


def build(
    paths: ProjectPaths,
    ids: Iterable[str] | None = None,
    *,
    out: Path | None = None,
    formats: Iterable[str] | None = None,
    force: bool = False,
    check: bool = False,
    jobs: int | None = None,
    on_event: Callable[[str, Path], None] | None = None,
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
    if formats is None:
        formats = paths.formats or FORMATS
    wanted = list(dict.fromkeys(formats))
    pdf = "pdf" in wanted
    if pdf:
        from ametijuhend_cli.render.pdf import OfficeNotFoundError, find_soffice

        if find_soffice() is None:  # say so before any work is done
            raise OfficeNotFoundError(
                "--format pdf needs LibreOffice, which is not installed; install it "
                "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or use "
                "--format docx and convert in Word"
            )
    warnings: list[Problem] = []
    if strict:
        # the organization-wide checks, with warnings failing, before anything is written
        warnings = validate(paths, today=today, strict=True).warnings
    target = out if out is not None else paths.out
    files, problems = _select(paths, ids)  # an unknown id stops it before any folder is made
    if check:
        lock: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    else:
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot create the output folder {display_path(target)}: {exc.strerror}"
            ) from None
        lock = folder_lock(target)
    with lock:
        cleaned = [] if check else remove_stale_temp_files(target)
        project = load_shared(paths)
        if project.problems:
            # the organization or a library is broken: nothing is built, but every
            # position is still checked, so that one run shows all problems
            load_checked(paths, ids)
            raise DataError(project.problems + problems)
        templates = TemplateSet.for_project(paths.templates)
        written = [f for f in wanted if f != "pdf"]
        rendered = written + (["docx"] if pdf and "docx" not in written else [])
        shared = shared_digest(paths, templates)
        library = project.library.digests
        hashed: dict[Path, str] = {}

        def source_digest(path: Path) -> str:  # each position file is read once
            if path not in hashed:
                data = read_checked(path, paths.root)  # a link or a pipe: refused when loaded
                hashed[path] = digest(data) if data is not None else ""
            return hashed[path]

        manifest = Manifest.load(target)
        names = PositionNames.deferred(
            lambda: name_records(paths, manifest, source_digest),
            project.organization,
            templates.wording.position_with_unit,
        )

        def dep_digest(dep: str) -> str:
            # how another position is named is looked up only for those that refer to it
            if dep.startswith("position/"):
                return names.digests().get(dep, "")
            return library.get(dep, "")

        sources: dict[str, str] = {}
        result = BuildResult(positions=len(files), warnings=warnings, cleaned=cleaned)
        quiet_kinds = ("unchanged", "current")

        def emit(kind: str, path: Path) -> None:
            result.counts[kind] += 1
            if kind not in quiet_kinds:
                result.events.append((kind, path))
            if on_event is not None:
                on_event(kind, path)

        todo: list[tuple[str, Path]] = []
        for pid, path in files.items():
            source = source_digest(path)
            entry = None if force else manifest.get(pid)
            if entry is not None:
                deps = {d: dep_digest(d) for d in entry.deps}
                if entry.inputs == inputs_digest(shared, source, deps) and all(
                    fmt in entry.outputs and entry.outputs[fmt].matches(target / f"{pid}.{fmt}")
                    for fmt in wanted
                ):
                    for fmt in wanted:
                        emit("current" if check else "unchanged", target / f"{pid}.{fmt}")
                    continue
            todo.append((pid, path))
            sources[pid] = source

        renderers, template_problems = _template_renderers(paths, rendered) if todo else ({}, [])
        if template_problems:  # reported with the problems found so far; nothing is written
            raise DataError(template_problems + problems)
        failed = 0
        with tempfile.TemporaryDirectory(prefix="ametijuhend-") as scratch:
            ctx = Context(
                project,
                templates.wording,
                renderers,
                written,
                target,
                check,
                Path(scratch) if pdf else None,
                names,
            )
            workers = jobs if jobs is not None else (os.cpu_count() or 1)
            if ids is None and not check:
                manifest.keep_only(set(files))
            # recorded in the manifest as they come, so memory does not grow with them
            built: list[str] = []
            if on_progress is not None:
                on_progress(0, len(todo))
            runner = run(ctx, todo, workers)
            for done, outcome in enumerate(runner, 1):
                if outcome.template is not None:
                    runner.close()  # stops the worker processes
                    raise PartialBuildError([outcome.template], result.paths("wrote"))
                for kind, path in outcome.events:
                    emit(kind, path)
                if outcome.problems:
                    problems.extend(outcome.problems)
                    failed += 1
                    manifest.drop(outcome.pid)
                else:
                    deps = {d: dep_digest(d) for d in outcome.deps}
                    record = outcome.record
                    assert record is not None
                    source = sources.pop(outcome.pid)
                    entry = Entry(
                        inputs_digest(shared, source, deps),
                        outcome.deps,
                        {
                            fmt: Output.of(target / f"{outcome.pid}.{fmt}", sha)
                            for fmt, sha in outcome.outputs.items()
                        },
                        source,
                        record.title,
                        record.partitive or "",
                        record.unit,
                    )
                    old = manifest.get(outcome.pid)
                    if old is not None and old.inputs == entry.inputs:
                        # formats not built this time stay valid
                        entry.outputs = {**old.outputs, **entry.outputs}
                    if not check:
                        manifest.record(outcome.pid, entry)
                    built.append(outcome.pid)
                if on_progress is not None:
                    on_progress(done, len(todo))
            result.rendered = len(todo)
            if pdf and built:
                from ametijuhend_cli.render.pdf import convert_to_pdf

                docs = [Path(scratch) / f"{pid}.docx" for pid in built]
                for pid, made in zip(
                    built, convert_to_pdf(docs, Path(scratch) / "pdf"), strict=True
                ):
                    data = made.read_bytes()
                    dest = output_path(target, pid, "pdf")
                    emit(store(ctx, dest, data), dest)
                    recorded = manifest.get(pid)
                    if recorded is not None and not check:
                        recorded.outputs["pdf"] = Output.of(dest, digest(data))
                        manifest.record(pid, recorded)

        if ids is None:
            for orphan in orphans(target, files, ALL_FORMATS):
                if check:
                    emit("orphaned", orphan)
                else:
                    orphan.unlink()
                    emit("removed", orphan)

        if not check:
            manifest.write(target, write_atomic)
        if problems:
            raise DataError(
                problems,
                note=f"{failed} position{'s' if failed != 1 else ''} not built"
                if failed and not check
                else "",
            )
        return result


class PartialBuildError(DataError):
    """A template failed for one position after others were written (each completely)."""

    def __init__(self, problems: list[Problem], written: list[Path]):
        n = len(written)
        super().__init__(
            problems,
            note=f"{n} file{'s' if n != 1 else ''} had been written, each complete" if n else "",
        )
        self.written = list(written)


__all__ = [
    "ALL_FORMATS",
    "FORMATS",
    "BuildResult",
    "Checked",
    "DataError",
    "PartialBuildError",
    "ValidationResult",
    "build",
    "load",
    "load_checked",
    "output_path",
    "remove_stale_temp_files",
    "validate",
    "write_atomic",
]
