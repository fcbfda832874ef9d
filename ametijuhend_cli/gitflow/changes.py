"""What changed in each job description between two versions of the sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ametijuhend_cli.document.view import CompetencyView, DocumentView, Field, TaskView
from ametijuhend_cli.gitflow.consent import Fact, consent_facts, rule_clauses
from ametijuhend_cli.sources.project import Project
from ametijuhend_cli.textdiff import Word, align, word_changes


@dataclass
class Change:
    """One change: ``kind`` is added, removed, changed, reworded or moved."""

    kind: str
    label: str = ""
    old: str = ""
    new: str = ""
    details: list[Change] = field(default_factory=list)
    #: the number a task had before
    was: str = ""
    #: the expected results and parts of an added task
    results: list[str] = field(default_factory=list)
    subtasks: list[str] = field(default_factory=list)
    #: what a detail of a task is: details (its paragraphs), results, items (the
    #: lists under its results) or subtasks (its parts)
    group: str = ""

    @property
    def words(self) -> list[Word]:
        """Return the new text as runs of kept, inserted and deleted words."""
        return word_changes(self.old, self.new)

    def in_group(self, group: str) -> list[Change]:
        """Return the details of one group (results, subtasks …)."""
        return [d for d in self.details if d.group == group]


@dataclass
class SectionChanges:
    """The changes in one section of a document."""

    key: str
    title: str
    changes: list[Change]


@dataclass
class PositionChanges:
    """The changes of one position; ``status`` is added, removed or changed."""

    id: str
    title: str
    status: str
    sections: list[SectionChanges] = field(default_factory=list)
    #: the shared library entries ("kind/id") behind the changes
    library: list[Change] = field(default_factory=list)
    agency: str = ""
    unit: str = ""
    employee: str = ""
    employment: str = ""
    #: the date of the new version (its approval or last review, or --date)
    date: dt.date | None = None
    #: the facts a consent rule turns on (empty: none of them changed)
    facts: list[Fact] = field(default_factory=list)
    #: the position's own amendment clauses that state when consent is needed
    clauses: list[str] = field(default_factory=list)
    #: the number of the amendment section in the new version
    amendment_section: str = ""

    @property
    def needs_consent(self) -> bool:
        """Return True when the change may need the employee's consent."""
        return bool(self.facts)


@dataclass
class LibraryChange:
    """An edited library entry and the positions whose documents it changes."""

    ref: str
    old: str
    new: str
    positions: list[tuple[str, str]]


@dataclass
class ChangeReport:
    """All changes between two versions of a project."""

    old_label: str
    new_label: str
    positions: list[PositionChanges]
    library: list[LibraryChange] = field(default_factory=list)
    #: the position ids asked for (empty: all)
    requested: list[str] = field(default_factory=list)
    #: the date of the new version: --date, else the day its commit was made (None: the
    #: working tree)
    date: dt.date | None = None

    @property
    def changed(self) -> bool:
        """Return True when any position changed."""
        return bool(self.positions)

    @property
    def needs_consent(self) -> bool:
        """Return True when a change of some position may need consent."""
        return any(p.needs_consent for p in self.positions)


def _bare(item: str) -> str:
    return item.rstrip(" ;.,")


def _items(
    old: list[str], new: list[str], group: str = "", *, continues: bool = False
) -> list[Change]:
    """Return the changes of a list: added, removed, reworded and moved items.

    Items are compared without their final punctuation and shown as they
    stand; an item of a list that continues a lead-in ("Omab õigust:") without
    the ';' or '.' the list puts after it.
    """
    before, after = [_bare(i) for i in old], [_bare(i) for i in new]
    shown_old = before if continues else old
    shown_new = after if continues else new
    out: list[tuple[int, Change]] = []
    for pair in align(before, after):
        if pair.kind == "equal":
            continue
        o = shown_old[pair.old] if pair.old is not None else ""
        n = shown_new[pair.new] if pair.new is not None else ""
        where = pair.new if pair.new is not None else pair.old
        assert where is not None
        out.append((where, Change(pair.kind, old=o, new=n, group=group)))
    out.sort(key=lambda c: (c[0], c[1].kind != "removed"))
    return [c for _, c in out]


def _text(label: str, old: str | None, new: str | None) -> list[Change]:
    if old == new:
        return []
    if not old:
        return [Change("added", label, new=new or "")]
    if not new:
        return [Change("removed", label, old=old)]
    return [Change("changed", label, old, new)]


def _task_details(old: TaskView, new: TaskView) -> list[Change]:
    return (
        _items(old.details, new.details, "details")
        + _items(old.results, new.results, "results")
        + _items(_sub_items(old), _sub_items(new), "items")
        + _items(old.subtasks, new.subtasks, "subtasks", continues=True)
    )


def _sub_items(task: TaskView) -> list[str]:
    """Return the lists under a task's results as one list."""
    return [item for i in range(len(task.results)) for item in task.sub_items(i)]


def _number_key(number: str) -> list[int]:
    return [int(x) for x in number.split(".") if x.isdigit()]


def _tasks(old: list[TaskView], new: list[TaskView]) -> list[Change]:
    out: list[Change] = []
    for pair in align([t.text for t in old], [t.text for t in new]):
        o = old[pair.old] if pair.old is not None else None
        n = new[pair.new] if pair.new is not None else None
        if n is None:
            assert o is not None
            out.append(Change("removed", o.number, old=o.text, was=o.number))
        elif o is None:
            out.append(
                Change("added", n.number, new=n.text, results=n.results, subtasks=n.subtasks)
            )
        else:
            details = _task_details(o, n)
            if pair.kind in ("equal", "moved") and details:
                # a task that only moved to another number is no change of its content
                out.append(Change("changed", n.number, o.text, n.text, details, o.number))
            elif pair.kind != "equal":
                out.append(Change(pair.kind, n.number, o.text, n.text, details, o.number))
    return sorted(out, key=lambda c: (_number_key(c.label), c.kind != "removed"))


def _competencies(old: list[CompetencyView], new: list[CompetencyView]) -> list[Change]:
    before = {c.name: c for c in old}
    after = {c.name: c for c in new}
    out = [Change("removed", name, old=before[name].text) for name in before if name not in after]
    out += [Change("added", name, new=after[name].text) for name in after if name not in before]
    for name in after:
        if name in before and before[name].indicators != after[name].indicators:
            details = _items(before[name].indicators, after[name].indicators)
            out.append(Change("changed", name, before[name].text, after[name].text, details))
    return out


def _fields(old: list[Field], new: list[Field]) -> list[Change]:
    before = {f.label: f.value for f in old}
    return [c for f in new for c in _text(f.label, before.get(f.label), f.value)]


def compare_views(old: DocumentView, new: DocumentView) -> list[SectionChanges]:
    """Return the changes from ``old`` to ``new``, section by section in document order."""
    found: dict[str, list[Change]] = {
        "general": _fields(
            [f for row in old.general for f in row], [f for row in new.general for f in row]
        ),
        "purpose": _text("", old.purpose, new.purpose),
        "tasks": _tasks(old.tasks, new.tasks),
        "rights": _items(old.rights, new.rights, continues=True),
        "responsibilities": _items(old.responsibilities, new.responsibilities, continues=True),
        "work_tools": _text("", old.work_tools, new.work_tools),
        "requirements": _fields(old.requirements, new.requirements)
        + _competencies(old.core_competencies, new.core_competencies)
        + _competencies(old.competencies, new.competencies)
        + _items(old.knowledge, new.knowledge),
        "amendment": _items(old.amendment, new.amendment),
    }
    out = []
    for key, changes in found.items():
        if changes:
            section = new.sections.get(key) or old.sections[key]
            out.append(SectionChanges(key, section.title, changes))
    return out


def _library_text(project: Project, ref: str) -> str | None:
    kind, _, entry = ref.partition("/")
    if kind == "competencies":
        comp = project.library.competencies.get(entry)
        return " ".join([comp.name, *comp.indicators]) if comp is not None else None
    return project.library.texts.get(kind, {}).get(entry)


def _library_changes(old: Project, new: Project, view: DocumentView) -> list[Change]:
    out = []
    for ref in sorted(view.library_refs):
        before, after = _library_text(old, ref), _library_text(new, ref)
        if before is not None and after is not None and before != after:
            out.append(Change("changed", ref, before, after))
    return out


def _employee(view: DocumentView) -> str:
    label = view.wording.signatures.get("employee")
    return next((s.name for s in view.signatories if s.label == label), "")


def _position(
    pid: str,
    before: DocumentView | None,
    after: DocumentView | None,
    projects: tuple[Project, Project],
) -> PositionChanges | None:
    view = after or before
    assert view is not None
    pos = PositionChanges(pid, view.title, "changed", agency=view.agency, unit=view.unit)
    pos.employee, pos.employment, pos.date = _employee(view), view.employment, view.date
    if before is None or after is None:
        pos.status = "added" if before is None else "removed"
        return pos
    pos.sections = compare_views(before, after)
    pos.library = _library_changes(projects[0], projects[1], after)
    if not pos.sections and not pos.library:
        return None
    pos.facts = consent_facts(before, after)
    pos.clauses = rule_clauses(after)
    pos.amendment_section = str(after.sections["amendment"].number)
    return pos


def compare(
    old: tuple[Project, dict[str, DocumentView]],
    new: tuple[Project, dict[str, DocumentView]],
    labels: tuple[str, str],
    ids: Iterable[str] | None = None,
) -> ChangeReport:
    """Return the changes between two loaded versions of a project."""
    (old_project, old_views), (new_project, new_views) = old, new
    wanted = set(ids) if ids else None
    positions = []
    for pid in sorted(set(old_views) | set(new_views)):
        if wanted is not None and pid not in wanted:
            continue
        found = _position(pid, old_views.get(pid), new_views.get(pid), (old_project, new_project))
        if found is not None:
            positions.append(found)
    library: dict[str, LibraryChange] = {}
    for pos in positions:
        for c in pos.library:
            entry = library.setdefault(c.label, LibraryChange(c.label, c.old, c.new, []))
            entry.positions.append((pos.id, pos.title))
    return ChangeReport(
        labels[0], labels[1], positions, sorted(library.values(), key=lambda e: e.ref)
    )
