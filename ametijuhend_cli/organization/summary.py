"""What the organization-wide checks need of a position: a small summary, not the position."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli.document.records import NameRecord
from ametijuhend_cli.errors import DataError, Message, Problem, Severity
from ametijuhend_cli.models import Position, PositionRef
from ametijuhend_cli.sources.project import LoadedPosition, Project
from ametijuhend_cli.sources.yamlsource import Loc, SourceMap, load_file

#: The fields that name other positions, and whether their titles stand in the partitive.
PERSON_FIELDS = {
    "manager": False,
    "appointed_by": False,
    "subordinates": False,
    "substituted_by": False,
    "substitutes": True,
}


def position_refs(position: Position) -> Iterator[tuple[str, str]]:
    """Return the (library kind, id) of every library entry a position uses, in order."""
    for kind, items in (
        ("rights", position.rights),
        ("responsibilities", position.responsibilities),
        ("work_tools", [position.work_tools] if position.work_tools else []),
        (
            "computer_skills",
            [position.requirements.computer_skills]
            if position.requirements.computer_skills
            else [],
        ),
        ("clauses", position.amendment),
    ):
        for item in items:
            if item.ref is not None:
                yield kind, item.ref
    req = position.requirements
    for comp in (*req.core_competencies, *req.competencies):
        if comp.ref is not None:
            yield "competencies", comp.ref


def person_refs(position: Position) -> Iterator[tuple[Loc, str]]:
    """Return where and which position each manager or substitution reference names.

    The place is that of the reference (``("substitutes", 1)``); its id sits
    under ``position`` there.
    """
    for name in ("manager", "appointed_by"):
        person = getattr(position, name)
        if isinstance(person, PositionRef):
            yield (name,), person.position
    for name in ("subordinates", "substituted_by", "substitutes"):
        for i, item in enumerate(getattr(position, name)):
            if isinstance(item, PositionRef):
                yield (name, i), item.position


@dataclass(eq=False, slots=True)
class PositionSummary:
    """One position as the checks across positions see it: names, references, usage.

    Built where the position is loaded (in a worker process, for a large
    project) and kept instead of the position: about a kilobyte. Its source
    map is not kept; a problem found later is located by reading the file again.
    """

    id: str
    #: the file, as read, and as messages name it
    file: str
    display: str
    title: str
    partitive: str | None
    unit: str
    #: (place, position id) of each reference to another position
    people: tuple[tuple[Loc, str], ...]
    #: (library kind, entry id) of each library entry it uses, each once
    library_refs: tuple[tuple[str, str], ...]
    root: str = ""
    #: the source map, while the position's own is at hand (not sent between processes)
    smap: SourceMap | None = field(default=None, repr=False)

    @property
    def manager(self) -> str | None:
        """Return the id of the position's manager when it is a reference, else None."""
        return next((pid for loc, pid in self.people if loc[0] == "manager"), None)

    def referenced(self, name: str) -> list[tuple[int, str]]:
        """Return the (index, id) of every position reference in a substitution field."""
        return [(int(loc[1]), pid) for loc, pid in self.people if loc[0] == name]

    def name_record(self) -> NameRecord:
        """Return what other positions need of this one to name it."""
        return NameRecord(self.title, self.partitive, self.unit, self.display)

    def problem(
        self,
        loc: Loc,
        message: Message,
        *,
        hint: Message | None = None,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        """Return a problem located at ``loc`` in the position's file (read again if need be)."""
        if self.smap is None:
            try:
                self.smap = load_file(Path(self.file), self.display, Path(self.root))[1]
            except DataError:  # changed since: the problem is named without a line
                self.smap = SourceMap(self.display)
        return self.smap.problem(loc, message, hint=hint, key=key, severity=severity)

    def share(self, seen: dict[tuple[str, str], tuple[str, str]]) -> None:
        """Make the library references the same objects as equal ones in ``seen``.

        A summary that came from a worker process brings its own copy of every
        id; thousands of positions use the same few hundred entries.
        """
        self.library_refs = tuple(seen.setdefault(ref, ref) for ref in self.library_refs)

    def detach(self) -> PositionSummary:
        """Return the summary without its source map, to send to another process."""
        self.smap = None
        return self


def summarize(position: LoadedPosition, root: Path, path: Path) -> PositionSummary:
    """Return the summary of a loaded position read from ``path``."""
    model = position.model
    intern = sys.intern  # thousands of positions share the same few hundred ids
    return PositionSummary(
        id=position.id,
        file=str(path),
        display=position.source.display,
        title=model.title,
        partitive=model.title_partitive,
        unit=intern(model.unit),
        people=tuple((loc, intern(pid)) for loc, pid in person_refs(model)),
        library_refs=tuple(
            (kind, intern(ref)) for kind, ref in dict.fromkeys(position_refs(model))
        ),
        root=str(root),
        smap=position.source.smap,
    )


def summaries(project: Project) -> dict[str, PositionSummary]:
    """Return the summary of every loaded position of ``project``, by id."""
    positions = project.paths.positions
    return {
        pid: summarize(p, project.paths.root, positions / Path(p.source.display).name)
        for pid, p in sorted(project.positions.items())
    }
