"""Build and validate a project: load, resolve, render, write outputs atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, OutputError, UnknownPositionError
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


def load(
    paths: ProjectPaths, ids: Iterable[str] | None = None
) -> tuple[Project, TemplateSet, dict[str, DocumentView]]:
    """Return the project, its templates and the resolved views; raise DataError."""
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
    views = resolve_all(project, templates.wording, wanted)
    return project, templates, views


def validate(paths: ProjectPaths) -> int:
    """Return the number of positions checked; raise DataError when anything is wrong."""
    project, templates, views = load(paths)
    # rendering checks the templates too, without writing anything
    renderers = _renderers(templates, FORMATS)
    for view in views.values():
        for render in renderers.values():
            render(view)
    return len(project.positions)


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
    formats: Iterable[str] | None = None,
    on_write: Callable[[Path, bool], None] | None = None,
) -> BuildResult:
    """Build the given (default: all) positions into ``out``; return what was written.

    Without ``formats``, the project's (ametijuhend.yaml) or the default ones are written.
    """
    if formats is None:
        formats = paths.formats or FORMATS
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
    _, templates, views = load(paths, ids)
    target = out if out is not None else paths.out
    written = [f for f in wanted if f != "pdf"]
    renderers = _renderers(templates, written + (["docx"] if pdf and "docx" not in written else []))
    result = BuildResult(positions=len(views))

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


__all__ = ["BuildResult", "DataError", "build", "load", "validate", "write_atomic"]
