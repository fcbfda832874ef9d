"""Build and validate a project: load, resolve, render, write outputs atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, OutputError, Problem, UnknownPositionError
from .project import Project, ProjectPaths, load_project
from .resolve import DocumentView, resolve_all
from .templates import TemplateSet
from .validation import close_matches

FORMATS = ("md", "docx")
#: Every format build can write; pdf goes through LibreOffice.
ALL_FORMATS = (*FORMATS, "pdf")


@dataclass
class BuildResult:
    """What a build wrote."""

    written: list[Path] = field(default_factory=list)
    positions: int = 0
    warnings: list[Problem] = field(default_factory=list)


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
    from .consistency import check_relations
    from .hygiene import library_problems
    from .review import review_problems

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
) -> Checked:
    """Return the project, its views and its warnings; raise DataError on errors.

    The organization-wide checks run only on sources without errors: a position
    that failed to load would make others look one-sided and library entries
    look unused. With ``strict``, warnings fail like errors.
    """
    project = load_project(paths)
    templates = TemplateSet.for_project(paths.templates)
    wanted = list(ids) if ids else None
    if wanted:
        unknown = [i for i in wanted if i not in project.positions]
        if unknown and not project.problems:
            known = list(project.positions)
            hints = []
            for pid in unknown:
                matches = close_matches(pid, known)
                hints.append(
                    f"'{pid}'" + (f" (did you mean {', '.join(matches)}?)" if matches else "")
                )
            raise UnknownPositionError("unknown position " + ", ".join(hints))
    try:
        views = resolve_all(project, templates.wording, wanted)
    except DataError as exc:
        # errors between positions are errors whatever else is wrong: one run shows all
        from .consistency import check_relations

        related = [p for p in check_relations(project) if p.severity == "error"]
        raise DataError(exc.problems + related) from None
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
    """Return how many positions were checked and the warnings; raise DataError on errors."""
    checked = load_checked(paths, today=today, strict=strict)
    # rendering checks the templates too, without writing anything
    renderers = _renderers(checked.templates, FORMATS)
    for view in checked.views.values():
        for render in renderers.values():
            render(view)
    return ValidationResult(len(checked.project.positions), checked.warnings)


def _renderers(
    templates: TemplateSet, formats: Iterable[str]
) -> dict[str, Callable[[DocumentView], bytes]]:
    out: dict[str, Callable[[DocumentView], bytes]] = {}
    for fmt in formats:
        if fmt == "md":
            from .render.markdown import MarkdownRenderer

            out[fmt] = MarkdownRenderer(templates).render
        elif fmt == "docx":
            from .render.docx import DocxRenderer

            out[fmt] = DocxRenderer(templates).render
        else:
            raise ValueError(f"unknown format {fmt}")
    return out


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and a rename; return False if unchanged."""
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def build(
    paths: ProjectPaths,
    ids: Iterable[str] | None = None,
    *,
    out: Path | None = None,
    formats: Iterable[str] = FORMATS,
    on_write: Callable[[Path, bool], None] | None = None,
    today: dt.date | None = None,
    strict: bool = False,
) -> BuildResult:
    """Build the given (default: all) positions into ``out``; return what was written."""
    wanted = list(dict.fromkeys(formats))
    pdf = "pdf" in wanted
    if pdf:
        from .office import OfficeNotFoundError, find_soffice

        if find_soffice() is None:  # say so before any work is done
            raise OfficeNotFoundError(
                "--format pdf needs LibreOffice, which is not installed; install it "
                "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or use "
                "--format docx and convert in Word"
            )
    checked = load_checked(paths, ids, today=today, strict=strict)
    templates, views = checked.templates, checked.views
    target = out if out is not None else paths.out
    written = [f for f in wanted if f != "pdf"]
    renderers = _renderers(templates, written + (["docx"] if pdf and "docx" not in written else []))
    result = BuildResult(positions=len(views), warnings=checked.warnings)

    def write(path: Path, data: bytes) -> None:
        try:
            changed = write_atomic(path, data)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        result.written.append(path)
        if on_write is not None:
            on_write(path, changed)

    with tempfile.TemporaryDirectory(prefix="ametijuhend-") as scratch:
        pending: list[Path] = []
        # Render and write one file at a time, so memory stays flat however many
        # positions there are; each file is replaced atomically.
        for pid, view in views.items():
            for fmt, render in renderers.items():
                data = render(view)
                if fmt in written:
                    write(target / f"{pid}.{fmt}", data)
                if fmt == "docx" and pdf:
                    pending.append(Path(scratch) / f"{pid}.docx")
                    pending[-1].write_bytes(data)
        if pdf:
            from .office import convert_to_pdf

            for made in convert_to_pdf(pending, Path(scratch) / "pdf"):
                write(target / made.name, made.read_bytes())
    return result


__all__ = [
    "BuildResult",
    "Checked",
    "DataError",
    "ValidationResult",
    "build",
    "load",
    "load_checked",
    "validate",
    "write_atomic",
]
