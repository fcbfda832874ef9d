"""Load a project's organization, libraries and positions."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ametijuhend_cli.digests import value_digest
from ametijuhend_cli.errors import DataError, Problem
from ametijuhend_cli.ids import check_slug
from ametijuhend_cli.messages import display_path, excerpt
from ametijuhend_cli.models import (
    TEXT_LIBRARIES,
    Competency,
    CompetencyLibrary,
    Model,
    Organization,
    Position,
    TextLibrary,
)
from ametijuhend_cli.sources.files import exists
from ametijuhend_cli.sources.paths import ProjectPaths, duplicate_problem, position_files
from ametijuhend_cli.sources.policy import PolicyCheck
from ametijuhend_cli.sources.units import UnitInfo, UnitTree, unit_tree
from ametijuhend_cli.sources.validation import describe, validate
from ametijuhend_cli.sources.yamlsource import SourceMap, load_bytes, load_file


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
    #: the units of organization.yaml by id, in its order (the tree is walked once)
    units: dict[str, UnitInfo] = field(default_factory=dict)

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


def _load(
    path: Path, root: Path, problems: list[Problem], data: bytes | None = None
) -> tuple[Any, SourceMap] | None:
    try:
        if data is not None:
            return load_bytes(data, display_path(path))
        return load_file(path, display_path(path), root)
    except DataError as exc:
        problems.extend(exc.problems)
        return None


def _load_library(folder: Path, root: Path, problems: list[Problem]) -> Library:
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
                    message=f"unknown library file {excerpt(path.name)}",
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
        loaded = _load(path, root, problems)
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


def load_position(
    path: Path,
    root: Path,
    problems: list[Problem],
    data: bytes | None = None,
    policy: PolicyCheck | None = None,
) -> LoadedPosition | None:
    """Return the position in ``path``, adding what is wrong with it to ``problems``.

    With ``data``, those bytes (already read from ``path``) are parsed. With
    ``policy``, the fields its layout requires are checked with the schema's.
    """
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
    loaded = _load(path, root, problems, data)
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
    if policy is None:
        position, found = validate(Position, raw, smap)
    else:
        missing = policy(raw, smap)
        position, found = validate(
            Position, raw, smap, required=missing.by_parent, because=missing.because
        )
        # a field the schema already finds wrong is not reported empty as well
        wrong = {p.field for p in found}
        found += [
            p
            for p in missing.problems
            if not any(w == p.field or w.startswith((p.field + ".", p.field + "[")) for w in wrong)
        ]
        if missing.problems:
            position = None
    problems.extend(found)
    if position is None:
        return None
    if position.id is not None and position.id != pid:
        problems.append(
            smap.problem(
                ("id",),
                f"id {excerpt(position.id)} does not match the file name {excerpt(path.name)}",
                hint=f"rename the file to {position.id}{path.suffix} or remove the id line",
            )
        )
        return None
    return LoadedPosition(pid, position, Source(display, smap))


def _repeated_units(tree: UnitTree, smap: SourceMap) -> list[Problem]:
    return [
        smap.problem(
            loc,
            f"unit id {excerpt(uid)} is used more than once",
            hint="positions name their unit by id, so each id must be unique",
            key=True,
        )
        for loc, uid in tree.repeated
    ]


def load_shared(paths: ProjectPaths) -> Project:
    """Return the organization and libraries (no positions yet); problems are collected."""
    problems: list[Problem] = []
    organization = None
    tree = UnitTree()
    if not exists(paths.organization):
        problems.append(
            Problem(
                path=display_path(paths.organization),
                message="the organization file is missing",
                hint="it names the agency and its units; see the README",
            )
        )
    else:
        loaded = _load(paths.organization, paths.root, problems)
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
                    tree = unit_tree(organization)
                    problems.extend(_repeated_units(tree, smap))
    library = _load_library(paths.library, paths.root, problems)
    return Project(paths, organization, library, {}, problems, units=tree.units)


#: Below this many positions, loading them in worker processes costs more than it saves.
_PARALLEL_FROM = 64


def _load_packed(
    root: Path, policy: PolicyCheck | None, path: Path
) -> tuple[Path, LoadedPosition | None, list[Problem]]:
    problems: list[Problem] = []
    position = load_position(path, root, problems, policy=policy)
    if position is not None:
        position.source.smap.pack()
    return path, position, problems


def _load_positions(
    files: list[Path], root: Path, policy: PolicyCheck | None
) -> Iterator[tuple[Path, LoadedPosition | None, list[Problem]]]:
    """Yield each file's position (or None) and problems, in order, using every core."""
    from ametijuhend_cli.workers import map_in_order

    load = functools.partial(_load_packed, root, policy)
    yield from map_in_order(load, files, os.cpu_count() or 1, parallel_from=_PARALLEL_FROM)


def unique_position_files(paths: ProjectPaths) -> tuple[list[Path], dict[str, list[Problem]]]:
    """Return the position files to load, one per id, and the problems of their names.

    The problems are by id: x.yaml beside x.yml is one id twice. No file at all
    is a problem of the folder (under the id "").
    """
    files = position_files(paths.positions)
    by_position: dict[str, list[Problem]] = {}
    if not files:
        by_position[""] = [
            Problem(
                path=display_path(paths.positions),
                message="no position files (*.yaml) found",
            )
        ]
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
    return unique, by_position


def load_project(paths: ProjectPaths, policy: PolicyCheck | None = None) -> Project:
    """Return the project's sources; what is wrong is collected in ``problems``.

    With ``policy``, each position is checked against its layout's policy too.
    """
    project = load_shared(paths)
    problems = project.problems
    unique, by_position = unique_position_files(paths)
    problems.extend(by_position.pop("", []))
    for path, position, found in _load_positions(unique, paths.root, policy):
        by_position[path.stem].extend(found)
        if position is not None:
            project.positions[position.id] = position
    for pid, found in by_position.items():
        if found:
            project.positions.pop(pid, None)
            problems.extend(found)
    project.position_problems = {pid: found for pid, found in by_position.items() if found}
    return project
