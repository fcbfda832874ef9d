"""Load a project's organization, libraries and positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ametijuhend_cli.digests import value_digest
from ametijuhend_cli.errors import DataError, Problem, msg
from ametijuhend_cli.ids import check_slug
from ametijuhend_cli.memo import Memo
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
from ametijuhend_cli.sources.files import exists, read_project_file
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
    #: the units of organization.yaml by id, in its order (the tree is walked once)
    units: dict[str, UnitInfo] = field(default_factory=dict)


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
                    message=msg("unknown library file {name}", name=excerpt(path.name)),
                    hint=msg(
                        "library files are: {names}",
                        names=", ".join(f"{k}.yaml" for k in sorted(known)),
                    ),
                )
            )
            continue
        if kind in library.sources:
            problems.append(
                Problem(
                    path=display_path(path),
                    message=msg(
                        "a second {kind} library ({display} is the first)",
                        kind=kind,
                        display=library.sources[kind].display,
                    ),
                    hint=msg("keep one file per library"),
                )
            )
            continue
        try:
            data = read_project_file(path, root)
        except DataError as exc:
            problems.extend(exc.problems)
            library.broken_kinds.add(kind)
            continue
        display = display_path(path)
        part = _LIBRARY_FILES.get(
            (kind, display, data), partial(_library_file, kind, display, data)
        )
        problems.extend(part.problems)
        if part.source is None:
            library.broken_kinds.add(kind)
            continue
        library.sources[kind] = part.source
        library.digests.update(part.digests)
        if part.broken:
            library.broken_kinds.add(kind)
        if part.broken_ids:
            library.broken_ids.setdefault(kind, set()).update(part.broken_ids)
        if kind == "competencies":
            library.competencies.update(part.competencies)
        else:
            library.texts[kind].update(part.texts)
    return library


@dataclass(frozen=True)
class _LibraryFile:
    """What one library file holds, made from its kind, name and bytes alone."""

    #: None: the file is not YAML that can be read (its problems say why)
    source: Source | None
    problems: tuple[Problem, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)
    competencies: dict[str, Competency] = field(default_factory=dict)
    #: a digest of every entry as written, by "kind/id"
    digests: dict[str, str] = field(default_factory=dict)
    #: the file holds no mapping of entries
    broken: bool = False
    broken_ids: frozenset[str] = frozenset()


#: Library files already read and validated by this process (a test suite, a
#: diff of two versions with the same library): the values are read-only. A
#: file with problems is kept too: they are made from its bytes like the rest,
#: and every load reports them again.
_LIBRARY_FILES: Memo[tuple[str, str, bytes], _LibraryFile] = Memo(64)


def _library_file(kind: str, display: str, data: bytes) -> _LibraryFile:
    """Read and validate a library file entry by entry, so one bad entry hides no good one."""
    problems: list[Problem] = []
    try:
        raw, smap = load_bytes(data, display)
    except DataError as exc:
        return _LibraryFile(None, tuple(exc.problems))
    source = Source(smap.path, smap)
    if raw is None:
        return _LibraryFile(source)
    schema: type[Model] = CompetencyLibrary if kind == "competencies" else TextLibrary
    if not isinstance(raw, dict):
        _, found = validate(schema, raw, smap, wrap="entries")
        return _LibraryFile(source, tuple(found), broken=True)
    texts: dict[str, str] = {}
    competencies: dict[str, Competency] = {}
    digests: dict[str, str] = {}
    broken_ids: set[str] = set()
    for key, value in raw.items():
        digests[f"{kind}/{key}"] = value_digest(value)
        entry, found = validate(schema, {key: value}, smap, wrap="entries")
        problems.extend(found)
        if entry is None:
            broken_ids.add(key)
        elif isinstance(entry, CompetencyLibrary):
            competencies.update(entry.entries)
        elif isinstance(entry, TextLibrary):
            texts.update(entry.entries)
    return _LibraryFile(
        source, tuple(problems), texts, competencies, digests, broken_ids=frozenset(broken_ids)
    )


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
                message=msg("bad file name: {reason}", reason=str(exc)),
                hint=msg("the file name is the position's id; rename the file"),
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
                message=msg("the file is empty"),
                hint=msg("a position needs at least title, employment, unit …"),
            )
        )
        return None
    if not isinstance(raw, dict):
        problems.append(
            smap.problem(
                (),
                msg(
                    "expected a mapping of fields (title: …, unit: …), got {describe}",
                    describe=describe(raw),
                ),
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
                msg(
                    "id {id} does not match the file name {name}",
                    id=excerpt(position.id),
                    name=excerpt(path.name),
                ),
                hint=msg(
                    "rename the file to {id}{suffix} or remove the id line",
                    id=position.id,
                    suffix=path.suffix,
                ),
            )
        )
        return None
    return LoadedPosition(pid, position, Source(display, smap))


def _repeated_units(tree: UnitTree, smap: SourceMap) -> list[Problem]:
    return [
        smap.problem(
            loc,
            msg("unit id {uid} is used more than once", uid=excerpt(uid)),
            hint=msg("positions name their unit by id, so each id must be unique"),
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
                message=msg("the organization file is missing"),
                hint=msg("it names the agency and its units; see the README"),
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
                        message=msg("the file is empty"),
                        hint=msg("it names the agency and its units; see the README"),
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
                message=msg("no position files (*.yaml) found"),
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
