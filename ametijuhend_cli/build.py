"""Build and validate a project: load, resolve, render, write outputs atomically."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, OutputError, Problem, TemplateError, UnknownPositionError
from .models import check_slug
from .project import Project, ProjectPaths, display_path, load_project
from .resolve import DocumentView, resolve_all
from .templates import TemplateSet
from .validation import close_matches

FORMATS = ("md", "docx")
#: Every format build can write; pdf goes through LibreOffice.
ALL_FORMATS = (*FORMATS, "pdf")


#: The temporary files write_atomic makes: ``.<id>.<format>.<random>.tmp``.
_OUR_TEMP = re.compile(r"^\.[a-z0-9][a-z0-9_-]*\.(?:md|docx|pdf)\.[a-z0-9_]{8}\.tmp$")


@dataclass
class BuildResult:
    """What a build wrote."""

    written: list[Path] = field(default_factory=list)
    positions: int = 0
    #: problems in the files of positions that were not asked for
    warnings: list[Problem] = field(default_factory=list)
    #: temporary files of an interrupted earlier build that were removed
    cleaned: list[Path] = field(default_factory=list)


def load(
    paths: ProjectPaths, ids: Iterable[str] | None = None
) -> tuple[Project, TemplateSet, dict[str, DocumentView]]:
    """Return the project, its templates and the resolved views; raise DataError.

    With ``ids``, problems in the files of other positions do not stop it:
    ``Project.problems_for`` tells them apart.
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
        views = resolve_all(project, wording, wanted)
    except DataError as exc:
        raise DataError(exc.problems + project.problems_for(wanted)[1]) from None
    return project, templates, views


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


def _prepare(
    paths: ProjectPaths, ids: Iterable[str] | None, formats: Iterable[str]
) -> tuple[Project, dict[str, DocumentView], dict[str, Callable[[DocumentView], bytes]]]:
    """Return the project, its views and renderers; raise one DataError for data and templates.

    A broken template does not hide the problems of the data, nor the other way round.
    """
    templates = TemplateSet.for_project(paths.templates)
    template_problems: list[Problem] = []
    renderers: dict[str, Callable[[DocumentView], bytes]] = {}
    for fmt in formats:
        try:
            renderers.update(_renderers(templates, [fmt]))
        except TemplateError as exc:
            template_problems.append(exc.problem)
    try:
        project, _, views = load(paths, ids)
    except DataError as exc:
        raise DataError(exc.problems + template_problems) from None
    if template_problems:
        raise DataError(template_problems)
    return project, views, renderers


def validate(paths: ProjectPaths) -> int:
    """Return the number of positions checked; raise DataError when anything is wrong."""
    project, views, renderers = _prepare(paths, None, FORMATS)
    # rendering checks the templates too, without writing anything
    problems: dict[str, Problem] = {}  # the first failure of each format is enough
    for view in views.values():
        for fmt, render in renderers.items():
            if fmt in problems:
                continue
            try:
                render(view)
            except TemplateError as exc:
                problems[fmt] = exc.problem
    if problems:
        raise DataError(list(problems.values()))
    return len(project.positions)


def output_path(folder: Path, pid: str, fmt: str) -> Path:
    """Return ``folder/<pid>.<fmt>``; raise OutputError for an id that could leave ``folder``."""
    try:
        check_slug(pid)
    except ValueError as exc:
        raise OutputError(f"refusing to write outside {display_path(folder)}: {exc}") from None
    return folder / f"{pid}.{fmt}"


def _new_file_mode() -> int:
    """Return the permissions a new file gets from the user's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and a rename; return False if unchanged.

    The temporary file is in the same folder, so the rename is atomic: a reader
    (or a build killed at any moment) sees the complete old or the complete new
    file, never a part.
    """
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = _new_file_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes it private; give it the mode of a normal file
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


@contextlib.contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold a lock on ``folder`` so that two builds into it take turns (where flock exists).

    The kernel drops the lock when the process ends, even by SIGKILL.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no lock; builds into one folder must not overlap
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove what killed builds left in ``folder``: our ``.<name>.<random>.tmp`` files.

    Call it holding the folder's lock, so that no running build's file is taken.
    """
    removed = []
    for path in sorted(folder.iterdir()):
        if _OUR_TEMP.match(path.name) and path.is_file() and not path.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def build(
    paths: ProjectPaths,
    ids: Iterable[str] | None = None,
    *,
    out: Path | None = None,
    formats: Iterable[str] = FORMATS,
    on_write: Callable[[Path, bool], None] | None = None,
) -> BuildResult:
    """Build the given (default: all) positions into ``out``; return what was written.

    With ``ids``, problems in other positions' files are returned as warnings
    instead of stopping the build; problems in shared files (organization,
    library, templates) always stop it. Nothing is written unless the sources
    of every position to build are free of problems.
    """
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
    written = [f for f in wanted if f != "pdf"]
    id_list = list(dict.fromkeys(ids)) if ids else None
    project, views, renderers = _prepare(
        paths, id_list, written + (["docx"] if pdf and "docx" not in written else [])
    )
    target = out if out is not None else paths.out
    result = BuildResult(positions=len(views), warnings=project.problems_for(id_list)[1])

    def write(path: Path, data: bytes) -> None:
        try:
            changed = write_atomic(path, data)
        except OSError as exc:
            raise OutputError(f"cannot write {display_path(path)}: {exc.strerror}") from None
        result.written.append(path)
        if on_write is not None:
            on_write(path, changed)

    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder {display_path(target)}: {exc.strerror}"
        ) from None
    with _exclusive(target), tempfile.TemporaryDirectory(prefix="ametijuhend-") as scratch:
        result.cleaned = remove_stale_temp_files(target)
        pending: list[Path] = []
        # Render and write one file at a time, so memory stays flat however many
        # positions there are; each file is replaced atomically.
        for pid, view in views.items():
            for fmt, render in renderers.items():
                try:
                    data = render(view)
                except TemplateError as exc:
                    raise PartialBuildError([exc.problem], result.written) from None
                if fmt in written:
                    write(output_path(target, pid, fmt), data)
                if fmt == "docx" and pdf:
                    pending.append(Path(scratch) / f"{pid}.docx")
                    pending[-1].write_bytes(data)
        if pdf:
            from .office import convert_to_pdf

            for made in convert_to_pdf(pending, Path(scratch) / "pdf"):
                write(output_path(target, made.stem, "pdf"), made.read_bytes())
    return result


class PartialBuildError(DataError):
    """A template failed for one position after others were written (each completely)."""

    def __init__(self, problems: list[Problem], written: list[Path]):
        super().__init__(problems)
        self.written = list(written)


__all__ = [
    "BuildResult",
    "DataError",
    "PartialBuildError",
    "build",
    "load",
    "output_path",
    "remove_stale_temp_files",
    "validate",
    "write_atomic",
]
