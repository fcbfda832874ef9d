"""Names of positions where other positions refer to them: manager, substitutes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ametijuhend_cli.digests import digest
from ametijuhend_cli.document.records import NameRecord
from ametijuhend_cli.errors import Message, Problem, Severity, msg
from ametijuhend_cli.estonian.forms import formed_partitive
from ametijuhend_cli.fields import fill
from ametijuhend_cli.messages import close_matches, excerpt, naming_odd_character
from ametijuhend_cli.models import PositionRef
from ametijuhend_cli.sources.paths import position_files
from ametijuhend_cli.sources.project import Project
from ametijuhend_cli.sources.units import UnitInfo
from ametijuhend_cli.sources.yamlsource import Loc, SourceMap

Person = str | PositionRef


class Locator(Protocol):
    """Where problems of one file are located: its source map, or a summary that reads it."""

    def problem(
        self,
        loc: Loc,
        message: Message,
        *,
        hint: Message | None = None,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> Problem: ...


@dataclass(frozen=True)
class Named:
    """What a reference to one position prints."""

    title: str
    partitive: str | None
    display: str


def inline(text: str) -> str:
    """Return ``text`` as it reads after a comma: 'Tiimijuht' → 'tiimijuht'.

    A first word with a second capital or a digit is an abbreviation ('KOV
    jurist', 'IT-juht') and keeps its case.
    """
    first = text.split(" ", 1)[0]
    if not first[:1].isupper() or any(c.isupper() or c.isdigit() for c in first[1:]):
        return text
    return text[:1].lower() + text[1:]


class PositionNames:
    """How each position of a project is named by the others (title, unit where needed)."""

    def __init__(self, project: Project, with_unit: str):
        records = {
            pid: NameRecord(p.model.title, p.model.title_partitive, p.model.unit, p.source.display)
            for pid, p in project.positions.items()
        }
        #: ids of position files that exist but did not load
        broken = {p.stem for p in position_files(project.paths.positions)} - set(records)
        self._setup(records, broken, project.units, with_unit)

    @classmethod
    def deferred(
        cls,
        make_records: Callable[[], dict[str, NameRecord | None]],
        units: dict[str, UnitInfo],
        with_unit: str,
    ) -> PositionNames:
        """Return names that read the position files only when a reference needs them.

        Most positions name their manager and substitutes in plain text, and a
        build that renders none of the others should not read them all.
        """
        names = cls.__new__(cls)

        def setup() -> None:
            records = make_records()
            good = {pid: r for pid, r in records.items() if r is not None}
            names._setup(good, set(records) - set(good), units, with_unit)

        names._pending = setup
        return names

    @classmethod
    def from_records(
        cls,
        records: dict[str, NameRecord],
        broken: set[str],
        units: dict[str, UnitInfo],
        with_unit: str,
    ) -> PositionNames:
        """Return the names of the positions of ``records``; ``broken`` did not load."""
        names = cls.__new__(cls)
        names._setup(records, broken, units, with_unit)
        return names

    @classmethod
    def unchecked(cls) -> PositionNames:
        """Return names that know no position and report no reference as unknown.

        For resolving positions one by one, apart from the others: their
        references are checked afterwards, against every position (check).
        """
        names = cls.from_records({}, set(), {}, "")
        names.checking = False
        return names

    #: whether references to other positions are checked here (see unchecked)
    checking = True
    #: reads the records on first use (see deferred)
    _pending: Callable[[], None] | None = None

    def _setup(
        self,
        records: dict[str, NameRecord],
        broken: set[str],
        units: dict[str, UnitInfo],
        with_unit: str,
    ) -> None:
        self._pending = None
        self._broken = broken
        self._records = records
        repeats = Counter(r.title.casefold() for r in records.values())
        self._names: dict[str, Named] = {}
        for pid, record in records.items():
            unit = units[record.unit].name if record.unit in units else record.unit
            repeated = repeats[record.title.casefold()] > 1

            def qualify(title: str, unit: str = unit, repeated: bool = repeated) -> str:
                return fill(with_unit, title=title, unit=unit) if repeated else title

            self._names[pid] = Named(
                record.title,
                qualify(record.partitive) if record.partitive else None,
                qualify(record.title),
            )

    def _ready(self) -> None:
        if self._pending is not None:
            self._pending()

    def __getstate__(self) -> dict[str, object]:
        # sent to a spawned worker: the records are read first (a deferred set-up
        # is a closure over this process's state)
        self._ready()
        return dict(self.__dict__)

    @property
    def names(self) -> dict[str, Named]:
        """Return how each position is named, by id."""
        self._ready()
        return self._names

    @property
    def records(self) -> dict[str, NameRecord]:
        """Return what the names were made of, by id."""
        self._ready()
        return self._records

    @property
    def broken(self) -> set[str]:
        """Return the ids of position files that exist but did not load."""
        self._ready()
        return self._broken

    def digests(self) -> dict[str, str]:
        """Return, as "position/<id>", a digest of how each position is named."""
        cached: dict[str, str] | None = self.__dict__.get("_digests")
        if cached is None:
            cached = self.__dict__["_digests"] = {
                f"position/{pid}": digest(f"{n.display}\n{n.partitive}".encode())
                for pid, n in self.names.items()
            }
        return cached

    def display(self, person: Person) -> str:
        """Return the nominative name of ``person`` (the id itself if it is unknown)."""
        if isinstance(person, str):
            return person
        named = self.names.get(person.position)
        return named.display if named else person.position

    def render(
        self, people: list[Person], loc: Loc, smap: SourceMap, *, partitive: bool = False
    ) -> tuple[list[str], list[Problem]]:
        """Return the names of a list of ``people`` as a field prints them, and what is wrong.

        Free text is printed as written; a referenced title as its position
        writes it as the first name, and with a small letter after a comma.
        """
        texts: list[str] = []
        problems: list[Problem] = []
        for i, person in enumerate(people):
            text, problem = self.render_one(person, loc + (i,), smap, partitive=partitive)
            texts.append(text if i == 0 or isinstance(person, str) else inline(text))
            if problem is not None:
                problems.append(problem)
        return texts, problems

    def render_one(
        self, person: Person, loc: Loc, smap: SourceMap, *, partitive: bool = False
    ) -> tuple[str, Problem | None]:
        """Return the name of one person as a field begins with it, and what is wrong.

        A referenced position's title is printed as that position writes it: a
        project whose documents write titles in small letters ('Vahetu juht:
        talituse juhataja') keeps them so.
        """
        if isinstance(person, str):
            return person, None
        named = self.names.get(person.position)
        problem = self.check(person.position, loc, smap, partitive=partitive)
        if named is None:
            return person.position, problem
        if partitive and named.partitive is not None:
            return named.partitive, problem
        return named.display, problem

    def check(self, pid: str, loc: Loc, at: Locator, *, partitive: bool = False) -> Problem | None:
        """Return what is wrong with a reference to ``pid`` at ``loc``, if anything."""
        if not self.checking:
            return None
        named = self.names.get(pid)
        if named is None:
            # a position whose own file has errors: those are reported
            return None if pid in self.broken else self.unknown(pid, loc, at)
        if partitive and named.partitive is None:
            return self.no_partitive(pid, loc, at)
        return None

    def unknown(self, pid: str, loc: Loc, smap: Locator) -> Problem:
        """Return the problem of a reference to a position that does not exist."""
        matches = close_matches(pid, list(self.names))
        hint = msg("for someone whose position is not in the data, write the title as text")
        if matches:
            hint = msg("closest known ids: {ids}; {hint}", ids=", ".join(matches), hint=hint)
        message = naming_odd_character(msg("unknown position {pid}", pid=excerpt(pid)), pid)
        return smap.problem(loc + ("position",), message, hint=hint)

    def no_partitive(self, pid: str, loc: Loc, smap: Locator) -> Problem:
        """Return the problem of a substituted position whose partitive title is unknown."""
        display = self.records[pid].source
        title = self.names[pid].title
        formed = formed_partitive(title)
        hint = (
            msg(
                "add 'title_partitive: {formed}' to {display} (formed by Vabamorf)",
                formed=formed,
                display=display,
            )
            if formed
            else msg(
                "add 'title_partitive: …' to {display}: {title} answering 'keda?' (e.g. "
                "'Koordinaatorit' for 'Koordinaator', 'Tiimijuhti' for 'Tiimijuht')",
                display=display,
                title=excerpt(title),
            )
        )
        return smap.problem(
            loc + ("position",),
            msg(
                "'Keda asendab' needs the title of '{pid}' in the partitive case, "
                "and {display} has no title_partitive",
                pid=pid,
                display=display,
            ),
            hint=hint,
        )
