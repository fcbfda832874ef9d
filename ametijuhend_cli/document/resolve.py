"""Resolve library references and wording into a document view the renderers lay out."""

from __future__ import annotations

import dataclasses

from ametijuhend_cli.document.frame import approval_notes, fill_front, signatures
from ametijuhend_cli.document.general import general_fields
from ametijuhend_cli.document.placement import unprinted
from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.document.skeleton import (
    FIELD_SECTIONS,
    item_number,
    item_starts,
    order_sections,
    sentence,
    subitem_number,
)
from ametijuhend_cli.document.view import (
    CompetencyView,
    DocumentView,
    ExtraSectionView,
    Field,
    Section,
    TaskView,
)
from ametijuhend_cli.errors import DataError, Message, Problem, msg
from ametijuhend_cli.estonian.vocabulary import sentence_case, vocabulary_of
from ametijuhend_cli.fields import fill
from ametijuhend_cli.layout import Layout
from ametijuhend_cli.messages import close_matches, excerpt, naming_odd_character
from ametijuhend_cli.models import (
    KIND_NAMES,
    CompetencyRef,
    ItemRef,
    Language,
    PositionRef,
    Result,
    TaskGroup,
)
from ametijuhend_cli.sources.layouts import Layouts, ResolvedLayout
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
        layouts: Layouts,
        position: LoadedPosition,
        names: PositionNames | None = None,
    ):
        self.project = project
        self.names = names or PositionNames(project, layouts.wording.position_with_unit)
        self.library: Library = project.library
        self.position = position
        self.problems: list[Problem] = []
        self.used: set[str] = set()
        chosen = self._layout(layouts)
        self.layout_name = chosen.name
        self.layout: Layout = chosen.layout
        self.wording: Wording = chosen.wording
        self.source_of_layout = chosen.source

    def _layout(self, layouts: Layouts) -> ResolvedLayout:
        """Return the position's layout; an unknown one is a problem (the default stands in)."""
        name = self.position.model.layout
        if name is not None and not layouts.known(name):
            self.problem(
                ("layout",),
                msg("unknown layout {name}", name=excerpt(name)),
                layouts.unknown_hint(name),
            )
            name = None
        return layouts.get(name)

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
                message, hint = problem
                self.problem(
                    loc if len(names) == 1 and loc[-1] == "language" else loc + (i,), message, hint
                )
            printed.append(shown)
        return printed

    def education(self, text: str) -> str:
        """Return the education requirement in the right case; an unknown level is a problem."""
        found = vocabulary_of(self.project.paths).education_problem(text)
        if found is not None:
            message, hint = found
            self.problem(("requirements", "education"), message, hint)
        return sentence_case(text)

    def language(self, lang: Language, style: str, loc: Loc = ()) -> str:
        phrases = self.wording.languages
        if lang.text is not None:
            return lang.text
        if lang.any_foreign:
            if lang.preferably:
                preferred = self.language_names(lang.preferably, loc + ("preferably",))
                joined = self.join_names(preferred, "or")
                return fill(phrases["any_foreign_preferably"], languages=joined, level=lang.level)
            return fill(phrases["any_foreign"], level=lang.level)
        key = "language" if lang.language is not None else "languages"
        name = self.join_names(self.language_names(lang.names, loc + (key,)), "and")
        return fill(
            phrases[lang.style or style],
            language=name,
            Language=name[:1].upper() + name[1:],
            level=lang.level,
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
        layout = self.layout
        vocab = self._vocabulary()
        sections = self._sections(vocab)
        self.problems += unprinted(
            self.position, self.layout, self.layout_name, self.source_of_layout
        )
        units = self._unit_names()
        unit = self._unit_full_name() or wording.unit_separator.join(units)
        organization = self.project.organization
        agency = organization.agency if organization else ""
        number = {key: section.number for key, section in sections.items()}
        general, paragraphs = self._general(number.get("general", 0), unit, agency, vocab)
        notes = approval_notes(
            pos, self.layout, self.layout_name, wording, self.project.organization, self.problem
        )
        view = DocumentView(
            id=self.position.id,
            title=pos.title,
            agency=agency,
            unit=unit,
            employment=pos.employment,
            wording=wording,
            vocabulary=vocab,
            sections=sections,
            general=general,
            purpose=" ".join(pos.purpose),
            tasks=self._tasks(number.get("tasks", 0)),
            rights=self._list("rights", pos.rights),
            responsibilities=self._list("responsibilities", pos.responsibilities),
            work_tools=self.text("work_tools", pos.work_tools, ("work_tools",))
            if pos.work_tools is not None
            else None,
            requirements=self._requirements(number.get("requirements", 0)),
            core_competencies=self._competencies("core_competencies"),
            competencies=self._competencies("competencies"),
            knowledge=list(pos.requirements.knowledge),
            amendment=self._list("amendment", pos.amendment),
            approval=[line for note in notes for line in note.lines],
            approval_notes=notes,
            signed=wording.signatures["signed"] if layout.end.signed_mark else "",
            date=pos.approval.date if pos.approval is not None else pos.reviewed,
            layout=layout,
            layout_name=self.layout_name,
            general_paragraphs=paragraphs,
            field_sections={
                key: getattr(pos, key) or "" for key in FIELD_SECTIONS if key in sections
            },
        )
        view.purpose_paragraphs = list(pos.purpose)
        counts = {
            "purpose": len(pos.purpose),
            "rights": len(view.rights),
            "responsibilities": len(view.responsibilities),
            "amendment": len(view.amendment),
            **{f"extra{i}": len(extra.paragraphs) for i, extra in enumerate(pos.extra_sections)},
        }
        starts = item_starts(sections, counts)
        view.item_numbers = {
            key: self._numbers(key, count, number.get(key, 0), starts.get(key, 0))
            for key, count in counts.items()
        }
        view.extra_sections = [
            ExtraSectionView(
                sections[f"extra{i}"], list(extra.paragraphs), view.item_numbers[f"extra{i}"]
            )
            for i, extra in enumerate(pos.extra_sections)
        ]
        fill_front(view, pos, self.layout, units, self._unit_genitives(units))
        view.signatures_heading, view.signatories = signatures(pos, self.layout, wording)
        if layout.end.acknowledgement:
            view.acknowledgement = wording.acknowledgement.text
            view.acknowledgement_fields = list(wording.acknowledgement.fields)
        view.library_refs = self.used
        return view

    def _unit_genitives(self, names: list[str]) -> list[str]:
        """Return the names of the position's units in the genitive, outermost first (a name
        where organization.yaml gives no genitive)."""
        found = self.project.units.get(self.position.model.unit)
        return found.genitives if found is not None else names

    def _unit_full_name(self) -> str | None:
        """Return the unit's name in full as organization.yaml gives it, if it does."""
        found = self.project.units.get(self.position.model.unit)
        return found.full_name if found is not None else None

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
        req = pos.requirements
        competencies = any((req.core_competencies, req.competencies, req.knowledge))
        own = self.layout.section("competencies")
        present = {
            "general": True,
            "purpose": bool(pos.purpose),
            "tasks": True,
            "rights": bool(pos.rights),
            "responsibilities": bool(pos.responsibilities),
            "work_tools": pos.work_tools is not None,
            "requirements": any(
                (req.education, req.experience, req.languages, req.computer_skills, req.other)
            )
            or (competencies and own is None),
            # a layout may print the competencies in a section of their own
            "competencies": competencies and own is not None,
            "amendment": bool(pos.amendment),
            "work_area": bool(pos.work_area),
            "special_conditions": bool(pos.special_conditions),
        }
        labels = {**self.wording.general, **vocab.labels}
        names = {
            "general": headings["general"],
            "purpose": vocab.purpose,
            "tasks": pos.tasks_heading or vocab.tasks,
            "rights": headings["rights"],
            "responsibilities": headings["responsibilities"],
            "work_tools": headings["work_tools"],
            "requirements": vocab.requirements,
            "amendment": headings["amendment"],
            # a field printed as a section: its heading is its label unless the wording
            # gives it a heading of its own
            **{key: headings.get(key) or labels[key] for key in FIELD_SECTIONS},
            "competencies": headings.get("competencies")
            or self.wording.requirements["core_competencies"],
        }
        if pos.tasks_heading:  # the document's own heading wins over the layout's
            names["tasks"] = pos.tasks_heading
        sections = order_sections(
            self.layout, names, present, list(pos.section_order), list(pos.extra_sections)
        )
        if pos.tasks_heading and "tasks" in sections:
            sections["tasks"] = dataclasses.replace(sections["tasks"], heading=pos.tasks_heading)
        return sections

    def _people(self, key: str, *, partitive: bool = False) -> str:
        """Return the names of a field that names people or positions, joined."""
        pos = self.position.model
        value = getattr(pos, key)
        people = value if isinstance(value, list) else [value] if value is not None else []
        for person in people:
            if isinstance(person, PositionRef):  # its name is part of this document
                self.used.add(f"position/{person.position}")
        smap = self.position.source.smap
        if not isinstance(value, list):
            if value is None:
                return ""
            name, problem = self.names.render_one(value, (key,), smap)
            self.problems.extend([problem] if problem else [])
            return name
        # "Keda asendab" answers 'keda?': the titles stand in the partitive case
        names, found = self.names.render(value, (key,), smap, partitive=partitive)
        self.problems.extend(found)
        return self.wording.name_separator.join(names)

    def _general(
        self, number: int, unit: str, agency: str, vocab: Vocabulary
    ) -> tuple[list[list[Field]], list[str]]:
        """Return the fields of the general part, by the rows of the layout, and the
        paragraphs after them."""
        pos = self.position.model
        values = {
            "title": pos.title,
            "unit": unit,
            "manager": self._people("manager"),
            "substituted_by": self._people("substituted_by"),
            "substitutes": self._people("substitutes", partitive=True),
            "appointed_by": self._people("appointed_by"),
            "subordinates": self._people("subordinates"),
            "special_conditions": pos.special_conditions or "",
            "work_area": pos.work_area or "",
            "position_number": pos.position_number or "",
            "purpose": " ".join(pos.purpose),
            "agency": agency,
        }
        sentence = {
            "title": pos.title,
            "title_genitive": pos.title_genitive or pos.title,
            "title_partitive": pos.title_partitive or pos.title,
            "agency": agency,
        }
        labels = {**self.wording.general, **vocab.labels}
        paragraphs = list(pos.general_paragraphs)
        return general_fields(self.layout, number, values, labels, paragraphs, sentence)

    def _list(self, key: str, items: list[ItemRef]) -> list[str]:
        kind = "clauses" if key == "amendment" else key
        texts = self.texts(kind, items, (key,))
        spec = getattr(self.layout, key)
        if spec.punctuation == "sentence":
            return [sentence(text) for text in texts]
        return self.punctuate(texts) if spec.punctuation == "list" else texts

    def _numbers(self, key: str, count: int, number: int, start: int = 0) -> list[str]:
        """Return the numbers of the ``count`` items of section ``key`` (none: unnumbered).

        A section that continues another counts on after that one's ``start`` items.
        """
        if key.startswith("extra"):
            numbered = self.layout.extra_sections.items == "numbered"
        else:
            spec = getattr(self.layout, key)
            numbered = spec.form == "points" if key == "purpose" else spec.items == "numbered"
        if not numbered:
            return []
        numbering = self.layout.numbering
        return [item_number(numbering, number, start + i) for i in range(1, count + 1)]

    def _tasks(self, number: int) -> list[TaskView]:
        spec = self.layout.tasks
        numbering = self.layout.numbering
        views = []
        i = 0
        for item in self.position.model.tasks:
            group = item.group if isinstance(item, TaskGroup) else ""
            for task in item.tasks if isinstance(item, TaskGroup) else [item]:
                i += 1
                results = [r.text if isinstance(r, Result) else r for r in task.results]
                items = [list(r.items) if isinstance(r, Result) else [] for r in task.results]
                num = item_number(numbering, number, i) if spec.numbered else ""
                sub_numbers = [
                    subitem_number(numbering, number, num, j)
                    if spec.subtasks == "numbered" and num
                    else ""
                    for j in range(1, len(task.subtasks) + 1)
                ]
                views.append(
                    TaskView(
                        num,
                        task.task,
                        results,
                        self.punctuate_typed(list(task.subtasks)),
                        list(task.details),
                        [self.punctuate_typed(sub) for sub in items],
                        sub_numbers,
                        group,
                    )
                )
                group = ""
        return views

    def _requirements(self, number: int) -> list[Field]:
        """Return the rows of the requirements: education, experience, languages, IT …"""
        req = self.position.model.requirements
        labels = self.wording.requirements
        spec = self.layout.requirements
        languages = " ".join(
            self.language(lang, req.language_style, ("requirements", "languages", i))
            for i, lang in enumerate(req.languages)
        )
        computer_skills = (
            self.text("computer_skills", req.computer_skills, ("requirements", "computer_skills"))
            if req.computer_skills is not None
            else ""
        )
        values = {
            "education": self.education(req.education) if req.education else "",
            "experience": req.experience or "",
            "languages": languages,
            "computer_skills": computer_skills,
        }
        rows: list[tuple[str, str, str]] = []
        for row_key in spec.rows:
            if row_key == "other":
                rows += [("other", row.label, row.text) for row in req.other]
            elif values[row_key]:
                rows.append((row_key, labels[row_key], values[row_key]))
        fields = []
        for i, (key, name, value) in enumerate(rows, 1):
            num = item_number(self.layout.numbering, number, i) if spec.numbered else ""
            line = fill(spec.line, label=name, value=value, number=num)
            if num and "{number}" not in spec.line:
                line = f"{num} {line}"
            fields.append(Field(name, value, key, name, num, line))
        return fields

    def _competencies(self, key: str) -> list[CompetencyView]:
        refs = getattr(self.position.model.requirements, key)
        return [self.competency(c, ("requirements", key, i)) for i, c in enumerate(refs)]


def resolve_position(
    project: Project,
    layouts: Layouts,
    position: LoadedPosition,
    names: PositionNames | None = None,
) -> tuple[DocumentView, list[Problem]]:
    """Return the document view of one position and the reference problems found.

    A layout that cannot be read raises DataError (its problems are the templates').
    """
    resolver = _Resolver(project, layouts, position, names)
    view = resolver.resolve()
    return view, resolver.problems
