"""Find a project and load its organization, libraries and positions."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from ametijuhend_cli.digests import value_digest
from ametijuhend_cli.errors import DataError, Problem, ProjectNotFoundError
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.models import (
    TEXT_LIBRARIES,
    Competency,
    CompetencyLibrary,
    Model,
    Organization,
    Position,
    TextLibrary,
    Unit,
    check_slug,
)
from ametijuhend_cli.sources.validation import describe, validate
from ametijuhend_cli.sources.yamlsource import SourceMap, load_file

PROJECT_FILE = "ametijuhend.yaml"
#: The reference documents promise a review once a year.
DEFAULT_REVIEW_PERIOD = 12
ORGANIZATION_FILE = "organization.yaml"
SCHEMAS_FOLDER = "schemas"


class ProjectFile(Model):
    """The optional project file ametijuhend.yaml (paths relative to it)."""

    data: str = Field("data", description="Folder with organization.yaml, library/ and positions/.")
    out: str = Field("out", description="Folder the documents are written to.")
    templates: str = Field(
        "templates", description="Folder with the project's own templates (searched first)."
    )
    schemas: str = Field(
        SCHEMAS_FOLDER,
        description="Folder `ametijuhend schema` writes the JSON Schemas to, for editors.",
    )
    formats: list[Literal["md", "docx", "pdf"]] | None = Field(
        None,
        min_length=1,
        description="Formats `ametijuhend build` writes when --format is not given "
        "(default: md and docx).",
    )
    review_period_months: int = Field(
        DEFAULT_REVIEW_PERIOD,
        ge=1,
        le=120,
        description="How often a job description is reviewed, in months (default 12).",
    )


@dataclass(frozen=True)
class ProjectPaths:
    """Where a project's sources, templates and outputs are, and its default formats."""

    root: Path
    data: Path
    out: Path
    templates: Path
    schemas_folder: Path | None = None
    #: the formats build writes without --format; None: the tool's default
    formats: tuple[str, ...] | None = None
    review_period_months: int = DEFAULT_REVIEW_PERIOD

    @property
    def schemas(self) -> Path:
        return self.schemas_folder or self.root / SCHEMAS_FOLDER

    @property
    def positions(self) -> Path:
        return self.data / "positions"

    @property
    def library(self) -> Path:
        return self.data / "library"

    @property
    def organization(self) -> Path:
        return self.data / ORGANIZATION_FILE


def find_project(start: Path, data: Path | None = None) -> ProjectPaths:
    """Return the project at or above ``start``, or the one whose data is ``data``."""
    if data is not None:
        if not data.is_dir():
            raise ProjectNotFoundError(f"data folder '{data}' does not exist")
        root = data.resolve().parent
        return ProjectPaths(root, data, root / "out", root / "templates")
    for folder in _folders_up(start):
        config = folder / PROJECT_FILE
        if config.is_file():
            return _from_config(config)
        data_folder = folder / "data"
        if (data_folder / ORGANIZATION_FILE).is_file() or (
            folder == start and data_folder.is_dir()
        ):
            return ProjectPaths(folder, data_folder, folder / "out", folder / "templates")
    raise ProjectNotFoundError(
        f"no project here: neither {PROJECT_FILE} nor a data/ folder in {start.resolve()} "
        "(nor a project in a folder above it); run the command in the project folder, "
        "give --data DIR, or start one with `ametijuhend init`"
    )


def _folders_up(start: Path) -> Iterator[Path]:
    """Yield ``start`` and the folders above it, up to a git repository's root or /."""
    yield start
    if (start / ".git").exists():
        return
    for folder in start.resolve().parents:
        yield folder
        if (folder / ".git").exists():
            return


def _from_config(config: Path) -> ProjectPaths:
    display = display_path(config)
    raw, smap = load_file(config, display)
    settings, problems = validate(ProjectFile, raw if raw is not None else {}, smap)
    if problems or settings is None:
        raise DataError(problems)
    root = config.parent
    if not (root / settings.data).is_dir():
        raise DataError(
            [
                smap.problem(
                    ("data",),
                    f"the data folder '{settings.data}' does not exist",
                    hint=f"create it, or set 'data:' to the folder with {ORGANIZATION_FILE}",
                )
            ]
        )
    return ProjectPaths(
        root,
        root / settings.data,
        root / settings.out,
        root / settings.templates,
        root / settings.schemas,
        tuple(settings.formats) if settings.formats else None,
        settings.review_period_months,
    )


@dataclass
class Source:
    """A validated value with the file it came from."""

    display: str
    smap: SourceMap


@dataclass
class LoadedPosition:
    """A position and where it was read from."""

    id: str
    model: Position
    source: Source


@dataclass
class Library:
    """The shared texts of data/library/, by kind and id."""

    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    competencies: dict[str, Competency] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    #: kinds whose file could not be read at all, and ids of entries that are
    #: invalid: their problems are reported once, not again at every reference
    broken_kinds: set[str] = field(default_factory=set)
    broken_ids: dict[str, set[str]] = field(default_factory=dict)
    #: a digest of every entry as written, by "kind/id" (for incremental builds)
    digests: dict[str, str] = field(default_factory=dict)

    def is_broken(self, kind: str, ref: str) -> bool:
        """Return whether ``ref`` may be missing because its library file is broken."""
        return kind in self.broken_kinds or ref in self.broken_ids.get(kind, set())


@dataclass
class Project:
    """Everything loaded from a project's data folder."""

    paths: ProjectPaths
    organization: Organization | None
    library: Library
    positions: dict[str, LoadedPosition]
    #: every problem found, those of position files included
    problems: list[Problem]
    #: the problems of each position file, by its id (the file name)
    position_problems: dict[str, list[Problem]] = field(default_factory=dict)

    def problems_for(self, ids: list[str] | None) -> tuple[list[Problem], list[Problem]]:
        """Return the problems that block building ``ids`` (default: all) and the others.

        A problem in a shared file (organization, library, project file) blocks
        every build; one in a position file blocks only that position.
        """
        if ids is None:
            return list(self.problems), []
        others = [
            p for pid, found in self.position_problems.items() if pid not in ids for p in found
        ]
        blocking = [p for p in self.problems if p not in others]
        return blocking, [dataclasses.replace(p, severity="warning") for p in others]


def _load(path: Path, problems: list[Problem]) -> tuple[Any, SourceMap] | None:
    try:
        return load_file(path, display_path(path))
    except DataError as exc:
        problems.extend(exc.problems)
        return None


def _load_library(folder: Path, problems: list[Problem]) -> Library:
    library = Library({kind: {} for kind in TEXT_LIBRARIES})
    if not folder.is_dir():
        return library
    known = {*TEXT_LIBRARIES, "competencies"}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        kind = path.stem
        if kind not in known:
            problems.append(
                Problem(
                    path=display_path(path),
                    message=f"unknown library file '{path.name}'",
                    hint="library files are: " + ", ".join(f"{k}.yaml" for k in sorted(known)),
                )
            )
            continue
        if kind in library.sources:
            problems.append(
                Problem(
                    path=display_path(path),
                    message=f"a second {kind} library "
                    f"({library.sources[kind].display} is the first)",
                    hint="keep one file per library",
                )
            )
            continue
        loaded = _load(path, problems)
        if loaded is None:
            library.broken_kinds.add(kind)
            continue
        raw, smap = loaded
        library.sources[kind] = Source(smap.path, smap)
        if raw is None:
            continue
        _library_entries(library, kind, raw, smap, problems)
    return library


def _library_entries(
    library: Library, kind: str, raw: Any, smap: SourceMap, problems: list[Problem]
) -> None:
    """Validate a library file entry by entry, so one bad entry hides no good one."""
    schema: type[Model] = CompetencyLibrary if kind == "competencies" else TextLibrary
    if not isinstance(raw, dict):
        _, found = validate(schema, raw, smap, wrap="entries")
        problems.extend(found)
        library.broken_kinds.add(kind)
        return
    for key, value in raw.items():
        library.digests[f"{kind}/{key}"] = value_digest(value)
        entry, found = validate(schema, {key: value}, smap, wrap="entries")
        problems.extend(found)
        if entry is None:
            library.broken_ids.setdefault(kind, set()).add(key)
        elif isinstance(entry, CompetencyLibrary):
            library.competencies.update(entry.entries)
        elif isinstance(entry, TextLibrary):
            library.texts[kind].update(entry.entries)


def position_files(folder: Path) -> list[Path]:
    """Return the position files in ``folder``, sorted by name."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith(".")
    )


def load_position(path: Path, problems: list[Problem]) -> LoadedPosition | None:
    """Return the position in ``path``, adding what is wrong with it to ``problems``."""
    display = display_path(path)
    pid = path.stem
    try:
        check_slug(pid)
    except ValueError as exc:
        problems.append(
            Problem(
                path=display,
                message=f"bad file name: {exc}",
                hint="the file name is the position's id; rename the file",
            )
        )
        return None
    loaded = _load(path, problems)
    if loaded is None:
        return None
    raw, smap = loaded
    if raw is None:
        problems.append(
            Problem(
                path=display,
                line=1,
                column=1,
                message="the file is empty",
                hint="a position needs at least title, employment, unit …",
            )
        )
        return None
    if not isinstance(raw, dict):
        problems.append(
            smap.problem(
                (), f"expected a mapping of fields (title: …, unit: …), got {describe(raw)}"
            )
        )
        return None
    position, found = validate(Position, raw, smap)
    problems.extend(found)
    if position is None:
        return None
    if position.id is not None and position.id != pid:
        problems.append(
            smap.problem(
                ("id",),
                f"id '{position.id}' does not match the file name '{path.name}'",
                hint=f"rename the file to {position.id}{path.suffix} or remove the id line",
            )
        )
        return None
    return LoadedPosition(pid, position, Source(display, smap))


def _duplicate_units(
    units: dict[str, Unit], loc: tuple[str, ...], seen: set[str], smap: SourceMap
) -> list[Problem]:
    """Return a problem for each unit id used a second time in the tree."""
    found = []
    for uid, unit in units.items():
        if uid in seen:
            found.append(
                smap.problem(
                    loc + (uid,),
                    f"unit id '{uid}' is used more than once",
                    hint="positions name their unit by id, so each id must be unique",
                    key=True,
                )
            )
        seen.add(uid)
        found += _duplicate_units(unit.units, loc + (uid, "units"), seen, smap)
    return found


def load_shared(paths: ProjectPaths) -> Project:
    """Return the organization and libraries (no positions yet); problems are collected."""
    problems: list[Problem] = []
    organization = None
    if not paths.organization.is_file():
        problems.append(
            Problem(
                path=display_path(paths.organization),
                message="the organization file is missing",
                hint="it names the agency and its units; see the README",
            )
        )
    else:
        loaded = _load(paths.organization, problems)
        if loaded is not None:
            raw, smap = loaded
            if raw is None:
                problems.append(
                    Problem(
                        path=smap.path,
                        line=1,
                        column=1,
                        message="the file is empty",
                        hint="it names the agency and its units; see the README",
                    )
                )
            else:
                organization, found = validate(Organization, raw, smap)
                problems.extend(found)
                if organization is not None:
                    problems.extend(_duplicate_units(organization.units, ("units",), set(), smap))
    library = _load_library(paths.library, problems)
    return Project(paths, organization, library, {}, problems)


def duplicate_problem(path: Path, pid: str, other: Path) -> Problem:
    """Return the problem of a position id used by two files."""
    return Problem(
        path=display_path(path),
        message=f"duplicate position id '{pid}' (also {display_path(other)})",
        hint="keep one file per position",
    )


#: Below this many positions, loading them in worker processes costs more than it saves.
_PARALLEL_FROM = 64


def _load_packed(path: Path) -> tuple[Path, LoadedPosition | None, list[Problem]]:
    problems: list[Problem] = []
    position = load_position(path, problems)
    if position is not None:
        position.source.smap.pack()
    return path, position, problems


def _load_positions(
    files: list[Path],
) -> Iterator[tuple[Path, LoadedPosition | None, list[Problem]]]:
    """Yield each file's position (or None) and problems, in order, using every core."""
    jobs = os.cpu_count() or 1
    if (
        jobs < 2
        or len(files) < _PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for path in files:
            problems: list[Problem] = []
            yield path, load_position(path, problems), problems
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(_load_packed, files, chunksize=max(8, len(files) // (jobs * 8)))


def load_project(paths: ProjectPaths) -> Project:
    """Return the project's sources; what is wrong is collected in ``problems``."""
    project = load_shared(paths)
    problems = project.problems
    files = position_files(paths.positions)
    if not files:
        problems.append(
            Problem(
                path=display_path(paths.positions),
                message="no position files (*.yaml) found",
            )
        )
    by_position: dict[str, list[Problem]] = {}
    first_file: dict[str, Path] = {}
    unique = []
    for path in files:
        found = by_position.setdefault(path.stem, [])
        if path.stem in first_file:
            # x.yaml and x.yml: the same id twice
            found.append(duplicate_problem(path, path.stem, first_file[path.stem]))
            continue
        first_file[path.stem] = path
        unique.append(path)
    for path, position, found in _load_positions(unique):
        by_position[path.stem].extend(found)
        if position is not None:
            project.positions[position.id] = position
    for pid, found in by_position.items():
        if found:
            project.positions.pop(pid, None)
            problems.extend(found)
    project.position_problems = {pid: found for pid, found in by_position.items() if found}
    return project
