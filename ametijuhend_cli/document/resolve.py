"""Resolve library references and wording into a document view the renderers lay out."""

from __future__ import annotations

from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.document.view import (
    CompetencyView,
    DocumentView,
    ExtraSectionView,
    Field,
    Section,
    Signatory,
    TaskView,
)
from ametijuhend_cli.errors import DataError, Message, Problem, msg, verbatim
from ametijuhend_cli.estonian.vocabulary import sentence_case, vocabulary_of
from ametijuhend_cli.messages import close_matches, excerpt, naming_odd_character
from ametijuhend_cli.models import (
    KIND_NAMES,
    CompetencyRef,
    ItemRef,
    Language,
    Person,
    PositionRef,
    Result,
)
from ametijuhend_cli.sources.project import Library, LoadedPosition, Project
from ametijuhend_cli.sources.wording import Vocabulary, Wording
from ametijuhend_cli.sources.yamlsource import Loc

#: A sub-task ending in one of these is printed as typed.
_PUNCTUATION = frozenset(";,.:!?…")


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

    def problem(self, loc: Loc, message: Message, hint: Message | None = None) -> None:
        self.problems.append(self.position.source.smap.problem(loc, message, hint=hint))

    def unknown(self, loc: Loc, kind: str, ref: str, known: list[str]) -> None:
        if self.library.is_broken(kind, ref):
            return  # the library's own problem is reported; do not repeat it here
        matches = close_matches(ref, known)
        if matches:
            hint = msg("closest known ids: {ids}", ids=", ".join(matches))
        elif known:
            shown = ", ".join(sorted(known)[:8]) + (" …" if len(known) > 8 else "")
            hint = msg("known ids in library/{kind}.yaml: {ids}", kind=kind, ids=shown)
        else:
            hint = msg("library/{kind}.yaml has no entries", kind=kind)
        hint = msg("{hint}; to write your own text instead, use '- text: …'", hint=hint)
        # 'kaugtоo' with a Cyrillic 'о' looks like 'kaugtoo'
        message = naming_odd_character(
            msg("unknown {kind} {ref}", kind=KIND_NAMES[kind].one, ref=excerpt(ref)), ref
        )
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
                    msg(
                        "competency {ref} has no variant {variant}",
                        ref=excerpt(str(item.ref)),
                        variant=excerpt(str(item.variant)),
                    ),
                    msg("its variants: {names}", names=", ".join(known))
                    if known
                    else msg("it has no variants; list indicators by number instead"),
                )
                numbers = []
        if numbers is None:
            return CompetencyView(entry.name, list(entry.indicators))
        picked = []
        for n in numbers:
            if n > len(entry.indicators):
                self.problem(
                    loc + ("indicators",),
                    msg(
                        "competency '{ref}' has {count} indicators, there is no indicator {n}",
                        ref=item.ref,
                        count=len(entry.indicators),
                        n=n,
                    ),
                )
            else:
                picked.append(entry.indicators[n - 1])
        return CompetencyView(entry.name, picked)

    def join_names(self, names: list[str], last: str) -> str:
        """Return 'a, b ja c': the names joined by the list separator and ``last``."""
        phrases = self.wording.languages
        if len(names) == 1:
            return names[0]
        return phrases["separator"].join(names[:-1]) + phrases[last] + names[-1]

    def language_names(self, names: list[str], loc: Loc) -> list[str]:
        """Return the languages as printed ('Eesti keel' → 'eesti'); an unknown one is a problem."""
        vocabulary = vocabulary_of(self.project.paths)
        printed = []
        for i, name in enumerate(names):
            shown, problem = vocabulary.language(name)
            if problem is not None:
                message, _, hint = problem.partition("\n")
                self.problem(
                    loc if len(names) == 1 and loc[-1] == "language" else loc + (i,),
                    verbatim(message),  # translated already
                    verbatim(hint) if hint else None,
                )
            printed.append(shown)
        return printed

    def education(self, text: str) -> str:
        """Return the education requirement in the right case; an unknown level is a problem."""
        found = vocabulary_of(self.project.paths).education_problem(text)
        if found is not None:
            message, hint = found  # translated already
            self.problem(
                ("requirements", "education"), verbatim(message), verbatim(hint) if hint else None
            )
        return sentence_case(text)

    def language(self, lang: Language, style: str, loc: Loc = ()) -> str:
        phrases = self.wording.languages
        if lang.any_foreign:
            if lang.preferably:
                preferred = self.language_names(lang.preferably, loc + ("preferably",))
                joined = self.join_names(preferred, "or")
                return phrases["any_foreign_preferably"].format(languages=joined, level=lang.level)
            return phrases["any_foreign"].format(level=lang.level)
        key = "language" if lang.language is not None else "languages"
        name = self.join_names(self.language_names(lang.names, loc + (key,)), "and")
        return phrases[lang.style or style].format(
            language=name, Language=name[:1].upper() + name[1:], level=lang.level
        )

    def punctuate(self, items: list[str]) -> list[str]:
        sep, end = self.wording.list_item_separator, self.wording.list_end
        out = [item.rstrip(" ;,.") for item in items]
        return [text + (end if i == len(out) - 1 else sep) for i, text in enumerate(out)]

    def punctuate_typed(self, items: list[str]) -> list[str]:
        """Return ``items`` punctuated as a list, leaving an item that ends in punctuation."""
        sep, end = self.wording.list_item_separator, self.wording.list_end
        return [
            text if text[-1:] in _PUNCTUATION else text + (end if i == len(items) - 1 else sep)
            for i, text in enumerate(items)
        ]

    def resolve(self) -> DocumentView:
        """Return the document view; the problems found are in ``self.problems``."""
        pos = self.position.model
        wording = self.wording
        vocab = self._vocabulary()
        sections = self._sections(vocab)
        unit = wording.unit_separator.join(self._unit_names())
        organization = self.project.organization
        view = DocumentView(
            id=self.position.id,
            title=pos.title,
            agency=organization.agency if organization else "",
            unit=unit,
            employment=pos.employment,
            wording=wording,
            vocabulary=vocab,
            sections=sections,
            general=self._general(sections["general"].number, unit),
            purpose=pos.purpose,
            tasks=self._tasks(sections["tasks"].number),
            rights=self.punctuate(self.texts("rights", pos.rights, ("rights",))),
            responsibilities=self.punctuate(
                self.texts("responsibilities", pos.responsibilities, ("responsibilities",))
            ),
            work_tools=self.text("work_tools", pos.work_tools, ("work_tools",))
            if pos.work_tools is not None
            else None,
            requirements=self._requirements(),
            core_competencies=self._competencies("core_competencies"),
            competencies=self._competencies("competencies"),
            knowledge=list(pos.requirements.knowledge),
            amendment=self.texts("clauses", pos.amendment, ("amendment",)),
            approval=self._approval(),
            extra_sections=[
                ExtraSectionView(sections[f"extra{i}"], list(extra.paragraphs))
                for i, extra in enumerate(pos.extra_sections)
            ],
            signed=wording.signatures["signed"],
            date=pos.approval.date if pos.approval is not None else pos.reviewed,
        )
        view.signatures_heading, view.signatories = self._signatures()
        view.library_refs = self.used
        return view

    def _vocabulary(self) -> Vocabulary:
        employment = self.position.model.employment
        vocab = self.wording.vocabulary.get(employment)
        if vocab is None:
            problem = Problem(
                path="wording.yaml",
                field="vocabulary",
                message=msg("no vocabulary for '{employment}'", employment=employment),
            )
            raise DataError([problem])
        return vocab

    def _unit_names(self) -> list[str]:
        """Return the names of the position's unit and the units above it, outermost first."""
        unit = self.position.model.unit
        if self.project.organization is None:
            return [unit]  # its problem is reported with organization.yaml
        units = self.project.units
        if unit in units:
            return units[unit].path
        matches = close_matches(unit, list(units))
        self.problem(
            ("unit",),
            # a look-alike letter makes it look like a known id
            naming_odd_character(msg("unknown unit {unit}", unit=excerpt(unit)), unit),
            msg("closest known ids: {ids}", ids=", ".join(matches))
            if matches
            else msg("units are defined in organization.yaml"),
        )
        return [unit]

    def _sections(self, vocab: Vocabulary) -> dict[str, Section]:
        """Return the document's sections, numbered; an absent optional one is left out."""
        pos = self.position.model
        headings = self.wording.headings
        present = {
            "rights": bool(pos.rights),
            "responsibilities": bool(pos.responsibilities),
            "work_tools": pos.work_tools is not None,
            "amendment": bool(pos.amendment),
        }
        order: list[tuple[str, str]] = [
            ("general", headings["general"]),
            ("purpose", vocab.purpose),
            ("tasks", pos.tasks_heading or vocab.tasks),
            ("rights", headings["rights"]),
            ("responsibilities", headings["responsibilities"]),
            ("work_tools", headings["work_tools"]),
            ("requirements", vocab.requirements),
            ("amendment", headings["amendment"]),
        ]
        order = [(key, heading) for key, heading in order if present.get(key, True)]
        if pos.section_order:  # the document's own order: those named first
            rank: dict[str, int] = {key: i for i, key in enumerate(pos.section_order)}
            order.sort(key=lambda kv: rank.get(kv[0], len(rank)))
        order += [(f"extra{i}", extra.heading) for i, extra in enumerate(pos.extra_sections)]
        return {key: Section(i, key, heading) for i, (key, heading) in enumerate(order, 1)}

    def _general(self, number: int, unit: str) -> list[list[Field]]:
        """Return the two rows of the general part: the position, then its relations."""
        pos = self.position.model
        labels = self.wording.general
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
        join = self.wording.name_separator.join
        return [
            [
                Field(f"{number}.1 {labels['title']}", pos.title),
                Field(f"{number}.2 {labels['unit']}", unit),
            ],
            [
                Field(f"{number}.3 {labels['manager']}", manager),
                Field(f"{number}.4 {labels['substituted_by']}", join(substituted_by)),
                Field(f"{number}.5 {labels['substitutes']}", join(substitutes)),
            ],
        ]

    def _tasks(self, number: int) -> list[TaskView]:
        views = []
        for i, task in enumerate(self.position.model.tasks, 1):
            results = [r.text if isinstance(r, Result) else r for r in task.results]
            items = [list(r.items) if isinstance(r, Result) else [] for r in task.results]
            views.append(
                TaskView(
                    f"{number}.{i}",
                    task.task,
                    results,
                    self.punctuate_typed(list(task.subtasks)),
                    list(task.details),
                    [self.punctuate_typed(sub) for sub in items],
                )
            )
        return views

    def _requirements(self) -> list[Field]:
        """Return the rows of the requirements table: education, experience, languages, IT."""
        req = self.position.model.requirements
        labels = self.wording.requirements
        languages = " ".join(
            self.language(lang, req.language_style, ("requirements", "languages", i))
            for i, lang in enumerate(req.languages)
        )
        computer_skills = self.text(
            "computer_skills", req.computer_skills, ("requirements", "computer_skills")
        )
        return [
            Field(labels["education"], self.education(req.education)),
            Field(labels["experience"], req.experience),
            Field(labels["languages"], languages),
            Field(labels["computer_skills"], computer_skills),
        ]

    def _competencies(self, key: str) -> list[CompetencyView]:
        refs = getattr(self.position.model.requirements, key)
        return [self.competency(c, ("requirements", key, i)) for i, c in enumerate(refs)]

    def _approval(self) -> list[str]:
        """Return the lines of the KINNITATUD block (none when the position has no approval)."""
        approval = self.position.model.approval
        if approval is None:
            return []
        organization = self.project.organization
        by = approval.by or (organization.approval_authority if organization else "")
        if by is None:
            self.problem(
                ("approval", "by"),
                msg("the approval block needs an approver"),
                msg("add 'by: …' here or approval_authority in organization.yaml"),
            )
            by = ""
        wording = self.wording
        line = wording.approval["line"].format(
            by=by, date=approval.date.strftime(wording.date_format), number=approval.number
        )
        return [wording.approval["heading"], line]

    def _signatures(self) -> tuple[str, list[Signatory]]:
        """Return the heading of the signature block and its signatories."""
        labels = self.wording.signatures
        sig = self.position.model.signatures
        if sig.unnamed:
            return "", [Signatory("", "", [])]
        if sig.approver is not None:
            return "", [_signatory("", sig.approver)]
        if sig.signers:
            return labels["parties"], [_signatory(s.label, s) for s in sig.signers]
        assert sig.employer is not None and sig.employee is not None
        return labels["parties"], [
            _signatory(labels["employer"], sig.employer),
            _signatory(labels["employee"], sig.employee),
        ]


def _signatory(label: str, person: Person) -> Signatory:
    title = person.title or []
    return Signatory(label, person.name, [title] if isinstance(title, str) else list(title))


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
