"""Resolve library references and wording into a document view the renderers lay out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.document.units import unit_index
from ametijuhend_cli.errors import DataError, Problem
from ametijuhend_cli.messages import close_matches, excerpt, odd_character
from ametijuhend_cli.models import KIND_NAMES, CompetencyRef, ItemRef, Language, PositionRef
from ametijuhend_cli.sources.project import Library, LoadedPosition, Project
from ametijuhend_cli.sources.templates import Vocabulary, Wording
from ametijuhend_cli.sources.yamlsource import Loc


@dataclass(frozen=True)
class Section:
    """A numbered top-level section of the document."""

    number: int
    key: str
    heading: str

    @property
    def title(self) -> str:
        """Return the heading with its number, e.g. ``3. TEENISTUSÜLESANDED``."""
        return f"{self.number}. {self.heading}"


@dataclass(frozen=True)
class Field:
    """A numbered field of the general part, e.g. ``1.3 Vahetu juht``."""

    label: str
    value: str


@dataclass(frozen=True)
class TaskView:
    """A task with its computed number."""

    number: str
    text: str
    results: list[str]
    subtasks: list[str]


@dataclass(frozen=True)
class CompetencyView:
    """A competency with the indicators the position uses."""

    name: str
    indicators: list[str]

    @property
    def text(self) -> str:
        """Return the indicators as one paragraph."""
        return " ".join(self.indicators)


@dataclass(frozen=True)
class Signatory:
    """One signature: the label (Tööandja:), the name and the title."""

    label: str
    name: str
    title: str


@dataclass
class DocumentView:
    """Everything a renderer needs for one position, as plain strings."""

    id: str
    title: str
    agency: str
    unit: str
    employment: str
    wording: Wording
    vocabulary: Vocabulary
    sections: dict[str, Section]
    general: list[list[Field]]
    purpose: str
    tasks: list[TaskView]
    rights: list[str]
    responsibilities: list[str]
    work_tools: str | None
    requirements: list[Field]
    core_competencies: list[CompetencyView]
    competencies: list[CompetencyView]
    knowledge: list[str]
    amendment: list[str]
    approval: list[str] = field(default_factory=list)
    signatures_heading: str = ""
    signatories: list[Signatory] = field(default_factory=list)
    signed: str = ""
    date: dt.date | None = None
    #: the library entries ("kind/id") and other positions ("position/id") the
    #: document uses, for incremental builds
    library_refs: set[str] = field(default_factory=set)


class _Resolver:
    """Resolve one position, collecting every problem instead of stopping at the first."""

    def __init__(
        self,
        project: Project,
        wording: Wording,
        position: LoadedPosition,
        names: PositionNames | None = None,
    ):
        self.project = project
        self.names = names or PositionNames(project, wording.position_with_unit)
        self.library: Library = project.library
        self.wording = wording
        self.position = position
        self.problems: list[Problem] = []
        self.used: set[str] = set()

    def problem(self, loc: Loc, message: str, hint: str = "") -> None:
        self.problems.append(self.position.source.smap.problem(loc, message, hint=hint))

    def unknown(self, loc: Loc, kind: str, ref: str, known: list[str]) -> None:
        if self.library.is_broken(kind, ref):
            return  # the library's own problem is reported; do not repeat it here
        matches = close_matches(ref, known)
        if matches:
            hint = "closest known ids: " + ", ".join(matches)
        elif known:
            hint = (
                f"known ids in library/{kind}.yaml: "
                + ", ".join(sorted(known)[:8])
                + (" …" if len(known) > 8 else "")
            )
        else:
            hint = f"library/{kind}.yaml has no entries"
        hint += "; to write your own text instead, use '- text: …'"
        odd = odd_character(ref)  # 'kaugtоo' with a Cyrillic 'о' looks like 'kaugtoo'
        message = f"unknown {KIND_NAMES[kind]} {excerpt(ref)}" + (f": it {odd}" if odd else "")
        self.problem(loc + ("ref",), message, hint)

    def text(self, kind: str, item: ItemRef, loc: Loc) -> str:
        if item.text is not None:
            return item.text
        assert item.ref is not None
        self.used.add(f"{kind}/{item.ref}")
        entries = self.library.texts.get(kind, {})
        if item.ref not in entries:
            self.unknown(loc, kind, item.ref, list(entries))
            return item.ref
        return entries[item.ref]

    def texts(self, kind: str, items: list[ItemRef], loc: Loc) -> list[str]:
        return [self.text(kind, item, loc + (i,)) for i, item in enumerate(items)]

    def competency(self, item: CompetencyRef, loc: Loc) -> CompetencyView:
        if item.ref is None:
            assert item.name is not None and item.text is not None
            return CompetencyView(item.name, [item.text])
        self.used.add(f"competencies/{item.ref}")
        entry = self.library.competencies.get(item.ref)
        if entry is None:
            self.unknown(loc, "competencies", item.ref, list(self.library.competencies))
            return CompetencyView(item.ref, [])
        numbers: list[int] | None = item.indicators
        if item.variant is not None:
            numbers = entry.variants.get(item.variant)
            if numbers is None:
                known = list(entry.variants)
                self.problem(
                    loc + ("variant",),
                    f"competency {excerpt(str(item.ref))} has no variant "
                    f"{excerpt(str(item.variant))}",
                    "its variants: " + ", ".join(known)
                    if known
                    else "it has no variants; list indicators by number instead",
                )
                numbers = []
        if numbers is None:
            return CompetencyView(entry.name, list(entry.indicators))
        picked = []
        for n in numbers:
            if n > len(entry.indicators):
                self.problem(
                    loc + ("indicators",),
                    f"competency '{item.ref}' has {len(entry.indicators)} indicators, "
                    f"there is no indicator {n}",
                )
            else:
                picked.append(entry.indicators[n - 1])
        return CompetencyView(entry.name, picked)

    def language(self, lang: Language, style: str) -> str:
        phrases = self.wording.languages
        if lang.any_foreign:
            if lang.preferably:
                names = lang.preferably
                joined = (
                    ", ".join(names[:-1]) + phrases["or"] + names[-1]
                    if len(names) > 1
                    else names[0]
                )
                return phrases["any_foreign_preferably"].format(languages=joined, level=lang.level)
            return phrases["any_foreign"].format(level=lang.level)
        assert lang.language is not None
        name = lang.language
        return phrases[style].format(
            language=name, Language=name[:1].upper() + name[1:], level=lang.level
        )

    def punctuate(self, items: list[str]) -> list[str]:
        sep, end = self.wording.list_item_separator, self.wording.list_end
        out = [item.rstrip(" ;,.") for item in items]
        return [text + (end if i == len(out) - 1 else sep) for i, text in enumerate(out)]

    def resolve(self) -> DocumentView:
        pos = self.position.model
        wording = self.wording
        vocab = wording.vocabulary.get(pos.employment)
        if vocab is None:
            raise DataError(
                [
                    Problem(
                        path="wording.yaml",
                        field="vocabulary",
                        message=f"no vocabulary for '{pos.employment}'",
                    )
                ]
            )
        organization = self.project.organization
        agency = organization.agency if organization else ""
        units = unit_index(organization)
        unit_names = units[pos.unit].path if pos.unit in units else None
        if organization is None:
            unit_names = [pos.unit]  # its problem is reported with organization.yaml
        if unit_names is None:
            known = list(units)
            matches = close_matches(pos.unit, known)
            self.problem(
                ("unit",),
                f"unknown unit {excerpt(pos.unit)}"
                + (f": it {odd_character(pos.unit)}" if odd_character(pos.unit) else ""),
                ("closest known ids: " + ", ".join(matches))
                if matches
                else "units are defined in organization.yaml",
            )
            unit_names = [pos.unit]

        headings = wording.headings
        order: list[tuple[str, str]] = [
            ("general", headings["general"]),
            ("purpose", vocab.purpose),
            ("tasks", pos.tasks_heading or vocab.tasks),
            ("rights", headings["rights"]),
            ("responsibilities", headings["responsibilities"]),
        ]
        if pos.work_tools is not None:
            order.append(("work_tools", headings["work_tools"]))
        order += [("requirements", vocab.requirements), ("amendment", headings["amendment"])]
        sections = {key: Section(i, key, heading) for i, (key, heading) in enumerate(order, 1)}

        g = wording.general
        n = sections["general"].number
        names = wording.name_separator
        smap = self.position.source.smap
        for person in [pos.manager, *pos.substituted_by, *pos.substitutes]:
            if isinstance(person, PositionRef):  # its name is part of this document
                self.used.add(f"position/{person.position}")
        manager, problem = self.names.render_one(pos.manager, ("manager",), smap)
        substituted_by, found = self.names.render(pos.substituted_by, ("substituted_by",), smap)
        # "Keda asendab" answers 'keda?': the titles stand in the partitive case
        substitutes, more = self.names.render(
            pos.substitutes, ("substitutes",), smap, partitive=True
        )
        self.problems.extend([*([problem] if problem else []), *found, *more])
        general = [
            [
                Field(f"{n}.1 {g['title']}", pos.title),
                Field(f"{n}.2 {g['unit']}", wording.unit_separator.join(unit_names)),
            ],
            [
                Field(f"{n}.3 {g['manager']}", manager),
                Field(f"{n}.4 {g['substituted_by']}", names.join(substituted_by)),
                Field(f"{n}.5 {g['substitutes']}", names.join(substitutes)),
            ],
        ]

        t = sections["tasks"].number
        tasks = [
            TaskView(f"{t}.{i}", task.task, list(task.results), list(task.subtasks))
            for i, task in enumerate(pos.tasks, 1)
        ]

        req = pos.requirements
        r = wording.requirements
        languages = " ".join(self.language(lang, req.language_style) for lang in req.languages)
        requirements = [
            Field(r["education"], req.education),
            Field(r["experience"], req.experience),
            Field(r["languages"], languages),
            Field(
                r["computer_skills"],
                self.text(
                    "computer_skills", req.computer_skills, ("requirements", "computer_skills")
                ),
            ),
        ]

        approval: list[str] = []
        if pos.approval is not None:
            by = pos.approval.by or (organization.approval_authority if organization else "")
            if by is None:
                self.problem(
                    ("approval", "by"),
                    "the approval block needs an approver",
                    "add 'by: …' here or approval_authority in organization.yaml",
                )
                by = ""
            approval = [
                wording.approval["heading"],
                wording.approval["line"].format(
                    by=by,
                    date=pos.approval.date.strftime(wording.date_format),
                    number=pos.approval.number,
                ),
            ]

        s = wording.signatures
        sig = pos.signatures
        if sig.approver is not None:
            signatories = [Signatory("", sig.approver.name, sig.approver.title or "")]
            heading = ""
        else:
            assert sig.employer is not None and sig.employee is not None
            signatories = [
                Signatory(s["employer"], sig.employer.name, sig.employer.title or ""),
                Signatory(s["employee"], sig.employee.name, sig.employee.title or ""),
            ]
            heading = s["parties"]

        view = DocumentView(
            id=self.position.id,
            title=pos.title,
            agency=agency,
            unit=wording.unit_separator.join(unit_names),
            employment=pos.employment,
            wording=wording,
            vocabulary=vocab,
            sections=sections,
            general=general,
            purpose=pos.purpose,
            tasks=tasks,
            rights=self.punctuate(self.texts("rights", pos.rights, ("rights",))),
            responsibilities=self.punctuate(
                self.texts("responsibilities", pos.responsibilities, ("responsibilities",))
            ),
            work_tools=self.text("work_tools", pos.work_tools, ("work_tools",))
            if pos.work_tools is not None
            else None,
            requirements=requirements,
            core_competencies=[
                self.competency(c, ("requirements", "core_competencies", i))
                for i, c in enumerate(req.core_competencies)
            ],
            competencies=[
                self.competency(c, ("requirements", "competencies", i))
                for i, c in enumerate(req.competencies)
            ],
            knowledge=list(req.knowledge),
            amendment=self.texts("clauses", pos.amendment, ("amendment",)),
            approval=approval,
            signatures_heading=heading,
            signatories=signatories,
            signed=s["signed"],
            date=pos.approval.date if pos.approval is not None else pos.reviewed,
        )
        view.library_refs = self.used
        return view


def resolve_position(
    project: Project,
    wording: Wording,
    position: LoadedPosition,
    names: PositionNames | None = None,
) -> tuple[DocumentView, list[Problem]]:
    """Return the document view of one position and the reference problems found."""
    resolver = _Resolver(project, wording, position, names)
    view = resolver.resolve()
    return view, resolver.problems


def resolve_all(
    project: Project, wording: Wording, ids: list[str] | None = None, *, keep: int | None = None
) -> dict[str, DocumentView]:
    """Return the views of the given (default: all) positions; raise DataError on problems.

    Problems in the files of other positions than ``ids`` do not stop it. With
    ``keep``, every position is checked but only the first ``keep`` views are
    returned (validate needs one, and a view of each would fill memory).
    """
    problems, _ = project.problems_for(ids)
    views: dict[str, DocumentView] = {}
    names = PositionNames(project, wording.position_with_unit)
    for pid, position in sorted(project.positions.items()):
        if ids is not None and pid not in ids:
            continue
        view, found = resolve_position(project, wording, position, names)
        problems.extend(found)
        if keep is None or len(views) < keep:
            views[pid] = view
    if problems:
        raise DataError(problems)
    return views
