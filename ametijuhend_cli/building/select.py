"""Which position files a build reads: all of them, or only those asked for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ametijuhend_cli.errors import Problem, UnknownPositionError, joined, msg, nmsg, verbatim
from ametijuhend_cli.ids import is_slug
from ametijuhend_cli.messages import display_path, maybe_meant
from ametijuhend_cli.sources.paths import (
    POSITION_SUFFIXES,
    ProjectPaths,
    duplicate_problem,
    position_files,
    stem,
)


def unknown_positions(unknown: list[str], known: Iterable[str]) -> UnknownPositionError:
    """Return the error for ids given on the command line that are no position."""
    choices = sorted(known)
    named = [maybe_meant(verbatim(f"'{pid}'"), pid, choices) for pid in unknown]
    return UnknownPositionError(
        nmsg("unknown position {ids}", "unknown positions {ids}", len(named), ids=joined(named))
    )


@dataclass
class Selection:
    """The position files to build, problems with the set, and (on demand) every file."""

    wanted: dict[str, Path]
    problems: list[Problem]
    #: a whole-project build: the manifest is pruned and orphaned outputs removed
    whole: bool
    folder: Path
    _every: dict[str, Path] | None = None

    @property
    def every(self) -> dict[str, Path]:
        """Return every position file by id (listed only when a build needs them all)."""
        if self._every is None:
            self._every = index_positions(self.folder)[0]
        return self._every


def index_positions(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Return the position files in ``folder`` by id, and the ids used by two files."""
    problems: list[Problem] = []
    every: dict[str, Path] = {}
    for path in position_files(folder):
        pid = stem(path.name)
        if pid in every:
            problems.append(duplicate_problem(path, pid, every[pid]))
            continue
        every[pid] = path
    return every, problems


def _named(folder: Path, ids: list[str]) -> Selection | None:
    """Return the selection of ``ids`` found by name, without listing the folder; None
    when one is not found that way (the folder is listed, for its error and hint)."""
    wanted: dict[str, Path] = {}
    problems: list[Problem] = []
    for pid in ids:
        if not is_slug(pid):
            return None
        found = [p for p in (folder / f"{pid}{s}" for s in POSITION_SUFFIXES) if p.is_file()]
        if not found:
            return None
        wanted[pid] = found[0]
        problems.extend(duplicate_problem(p, pid, found[0]) for p in found[1:])
    return Selection(wanted, problems, whole=False, folder=folder)


def select_positions(paths: ProjectPaths, ids: Iterable[str] | None) -> Selection:
    """Return the position files to build (default: all); raise UnknownPositionError."""
    wanted = list(dict.fromkeys(ids)) if ids else []
    if wanted:
        named = _named(paths.positions, wanted)
        if named is not None:
            return named
    every, problems = index_positions(paths.positions)
    if not every:
        problems.append(_no_positions(paths.positions))
    if not wanted:
        # one dict for both: a project of 10,000 positions needs no second one
        return Selection(every, problems, whole=True, folder=paths.positions, _every=every)
    unknown = [i for i in wanted if i not in every]
    if unknown:
        raise unknown_positions(unknown, every)
    selected = {pid: every[pid] for pid in wanted}
    return Selection(selected, problems, whole=False, folder=paths.positions, _every=every)


def _no_positions(folder: Path) -> Problem:
    """Return the problem of a positions folder without position files, with a hint."""
    try:
        names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    except OSError:
        names = []
    misnamed = [n for n in names if n.lower().endswith((".yaml", ".yml")) and not n.startswith(".")]
    hint = msg("no output was removed")
    if misnamed:
        hint = msg(
            "file names end in lowercase .yaml: rename {name}; {hint}", name=misnamed[0], hint=hint
        )
    elif not folder.is_dir():
        hint = msg("there is no folder {folder}; {hint}", folder=display_path(folder), hint=hint)
    return Problem(
        path=display_path(folder), message=msg("no position files (*.yaml) found"), hint=hint
    )
