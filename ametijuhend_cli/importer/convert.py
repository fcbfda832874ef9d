"""Turn a document read into its parts into position data: references, the unit, the layout."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import Flow, FlowMap
from ametijuhend_cli.errors import Message, joined, msg, nmsg
from ametijuhend_cli.estonian.forms import fill_title_forms, title_of_genitive
from ametijuhend_cli.importer.body import RawRequirements, RawTask, entries
from ametijuhend_cli.importer.extract import Document, Item, Joiner, rejoined
from ametijuhend_cli.importer.front import Front
from ametijuhend_cli.importer.general import PEOPLE
from ametijuhend_cli.importer.lexicon import SECTION_KEYS, Lexicon, norm
from ametijuhend_cli.importer.match import UnitMatch, UnitMatcher, words
from ametijuhend_cli.importer.reading import Reading, read
from ametijuhend_cli.importer.references import Library, Report, slugify
from ametijuhend_cli.messages import character_name, excerpt
from ametijuhend_cli.models import Requirements
from ametijuhend_cli.sources.layouts import ResolvedLayout
from ametijuhend_cli.sources.project import Project

#: The phrasing of language requirements a position gets when it names none.
DEFAULT_STYLE = Requirements.model_fields["language_style"].default
#: Fields of the general part written as they are.
_TEXTS = ("appointed_by", "manager", "special_conditions", "work_area")


@dataclass
class Converted(Report):
    """A document turned into position data, with what the report says about it."""

    id: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    unit_known: bool = True
    #: the unit as the document names it, when organization.yaml has no such unit
    unit_text: str | None = None
    #: the banner lines under the agency read as its units (the general part names none)
    banner_units: list[str] = field(default_factory=list)
    #: the document as read (its parts and their forms: what its layout is)
    reading: Reading | None = None


def removed_note(removed: Counter[str]) -> Message:
    """Return the note naming the invisible and direction characters left out of the import."""
    listed = ", ".join(
        character_name(c) + (f" ×{n}" if n > 1 else "") for c, n in sorted(removed.items())
    )
    return nmsg(
        "removed {n} invisible character: {listed}",
        "removed {n} invisible characters: {listed}",
        sum(removed.values()),
        listed=listed,
    )


def shown_notes(document: Document) -> list[Message]:
    """Return what the report says of text Word shows otherwise with its markup on.

    The import reads a document as Word shows and prints it: tracked changes
    accepted, hidden text left out (and quoted here, so that nobody loses it
    unawares), content controls that hold only their placeholder left out.
    """
    notes: list[Message] = []
    changes = document.changes
    if changes.insertions or changes.deletions:
        counts = [
            said
            for n, said in (
                (changes.insertions, nmsg("{n} insertion", "{n} insertions", changes.insertions)),
                (changes.deletions, nmsg("{n} deletion", "{n} deletions", changes.deletions)),
            )
            if n
        ]
        notes.append(
            msg(
                "the document has tracked changes: read as if accepted ({counts}); check that "
                "the signed version is the one with the changes",
                counts=joined(counts),
            )
        )
    for number, text in document.hidden:
        notes.append(
            msg(
                "hidden text left out (Word neither shows nor prints it): {text} "
                "(paragraph {number})",
                text=excerpt(text, 80),
                number=number,
            )
        )
    if changes.placeholders:
        notes.append(
            nmsg(
                "{n} content control showing only the placeholder text: left out",
                "{n} content controls showing only the placeholder text: left out",
                changes.placeholders,
            )
        )
    return notes


def _genitive(written: str, title: str) -> str:
    """Return the title in the genitive as a position gives it, from the title line's words."""
    if not written.isupper():
        return written
    if title and written.casefold().startswith(title.casefold()):
        return title + written[len(title) :].lower()
    return written[:1] + written[1:].lower()


def _task(task: RawTask) -> Any:
    """Return a task as the position gives it: its text alone, or with its parts."""
    if not (task.results or task.subtasks or task.details):
        return task.text
    return {
        "task": task.text,
        **({"details": task.details} if task.details else {}),
        **(
            {
                "results": [
                    {"text": r, "items": task.sub_results[i]} if task.sub_results.get(i) else r
                    for i, r in enumerate(task.results)
                ]
            }
            if task.results
            else {}
        ),
        **({"subtasks": task.subtasks} if task.subtasks else {}),
    }


def _tasks(tasks: list[RawTask]) -> list[Any]:
    """Return the tasks, those under a lead-in of their own in a group."""
    out: list[Any] = []
    for task in tasks:
        if task.group is None:
            out.append(_task(task))
        elif out and isinstance(out[-1], dict) and out[-1].get("group") == task.group:
            out[-1]["tasks"].append(_task(task))
        else:
            out.append({"group": task.group, "tasks": [_task(task)]})
    return out


class Converter:
    """Reads documents against one project's layout, library and organization."""

    def __init__(
        self,
        project: Project,
        lexicon: Lexicon,
        layout: ResolvedLayout,
        *,
        adopt: bool = False,
    ):
        assert project.organization is not None
        self.project = project
        self.lexicon = lexicon
        #: the layout the positions are written for (the project's, or --layout's)
        self.layout = layout
        self.library = Library(project, adopt=adopt)
        self.units = UnitMatcher(project.units, lexicon.wording.unit_separator)
        self.authority = project.organization.approval_authority

    @property
    def adopt(self) -> bool:
        """Return whether near matches take the library's wording."""
        return self.library.adopt

    def convert(self, document: Document) -> Converted:
        """Return the position data read from ``document``; raise ParseError."""
        lexicon = self.lexicon
        own = {w for item in document.items for w in words(item.text)}
        joiner = Joiner(self.library.vocabulary | own, lexicon.importer.conjunctions)
        document = rejoined(document, joiner)
        reading = read(document, lexicon, joiner, self.units, self.library.names)
        out = Converted(reading=reading)
        out.notes += reading.notes
        if document.removed:
            out.notes.append(removed_note(document.removed))
        out.notes += shown_notes(document)
        first = reading.outline.ordered()[0]
        out.notes += _not_imported(reading.front.unread, document, first.title)
        data = out.data
        employment = self._employment(reading.votes, out)
        self._general(reading, employment, out)
        if reading.purpose:
            purpose = reading.purpose
            data["purpose"] = purpose[0] if len(purpose) == 1 else purpose
        self._tasks_heading(reading, employment, data)
        out.notes += reading.task_notes
        data["tasks"] = _tasks(reading.tasks)
        for key, (found, _) in reading.lists.items():
            data[key] = self.library.refs(key, found, out)
        if reading.work_tools:
            data["work_tools"] = self.library.ref("work_tools", reading.work_tools, out)
        if reading.requirements is not None:
            block = self._requirements(reading.requirements, out)
            if block:
                data["requirements"] = block
            out.notes += reading.requirements.notes
        if reading.clauses:
            refs = self.library.refs("clauses", reading.clauses, out)
            data["amendment"] = Flow(refs) if all(isinstance(c, str) for c in refs) else refs
        self._sections(reading, data, out, joiner)
        self._approval(reading, data)
        if reading.signatures is not None:
            data["signatures"] = reading.signatures
        out.notes += reading.end_notes
        out.id = slugify(f"{data['title']} {data['unit']}")
        if out.near and not self.adopt:
            out.notes.append(
                msg(
                    "a near match keeps the document's wording, as it was signed; "
                    "import --adopt-library-wording takes the library's instead"
                )
            )
        return out

    def _general(self, reading: Reading, employment: str, out: Converted) -> None:
        """Put the fields of the general part (and of the title lines) into the data."""
        values = reading.general.values
        front = reading.front
        data = out.data
        title = values.get("title") or self._title(reading, out)
        data["title"] = title
        if front.title_genitive:
            data["title_genitive"] = _genitive(front.title_genitive, title)
        # the partitive other documents need ("Keda asendab"), formed with the extra keel;
        # the genitive only where the document prints it (above)
        for name in fill_title_forms(data, {"title_partitive"}):
            out.notes.append(
                msg(
                    "{name}: formed by Vabamorf as {form}; check it",
                    name=name,
                    form=excerpt(str(data[name])),
                )
            )
        if front.subtitle:
            data["subtitle"] = front.subtitle
        number = values.get("position_number") or front.position_number
        if number:
            data["position_number"] = number
        data["employment"] = employment
        data["unit"] = self._position_unit(reading, out)
        for key in ("appointed_by", "manager"):
            if values.get(key):
                data[key] = values[key]
        for key in PEOPLE:
            if values.get(key):
                data[key] = self._names(values[key])
        for key in ("special_conditions", "work_area"):
            if values.get(key):
                data[key] = values[key]
        if reading.general.paragraphs:
            data["general_paragraphs"] = reading.general.paragraphs

    def _title(self, reading: Reading, out: Converted) -> str:
        """Return the title of a document whose general part names none."""
        genitive = reading.front.title_genitive
        if genitive:
            title = title_of_genitive(genitive) or (
                genitive if not genitive.isupper() else genitive[:1] + genitive[1:].lower()
            )
            out.notes.append(
                msg(
                    "the general part names no title: read {title} from the title line {line} "
                    "(in the genitive there): check it",
                    title=excerpt(title),
                    line=excerpt(reading.front.title_line),
                )
            )
            return title
        title = reading.document.path.stem
        out.notes.append(
            msg(
                "the document names no title: wrote the file's name {title}, correct it",
                title=excerpt(title),
            )
        )
        return title

    def _tasks_heading(self, reading: Reading, employment: str, data: dict[str, Any]) -> None:
        """Keep the tasks' own heading where the layout would print another."""
        section = reading.outline.sections["tasks"]
        if not section.shows_heading or section.how in ("labels", "lead-in"):
            return
        spec = self.layout.layout.section("tasks")
        wording = self.layout.wording
        printed = (spec.heading if spec else None) or wording.vocabulary[employment].tasks
        if norm(section.heading) != norm(printed):
            data["tasks_heading"] = " ".join(section.heading.split())

    def _approval(self, reading: Reading, data: dict[str, Any]) -> None:
        """Put the approval note, the annex number (or our own DOCX's review date) in the data."""
        approval = dict(reading.front.approval)
        annex = approval.pop("annex", None)
        if approval:
            block: dict[str, Any] = {}
            for key in ("date", "number", "directive"):
                if approval.get(key) is not None:
                    value = approval[key]
                    block[key] = _number(value) if key == "number" else value
            by = approval.get("by")
            authority = self.authority
            if isinstance(by, str) and (authority is None or norm(authority) != norm(by)):
                block["by"] = by
            data["approval"] = block
        elif reading.document.created is not None:
            data["reviewed"] = reading.document.created
        if annex is not None:
            data["annex"] = _number(annex)

    def _sections(
        self, reading: Reading, data: dict[str, Any], out: Converted, joiner: Joiner
    ) -> None:
        """Note the sections the layout has and the document lacks; keep the order of the
        sections where it is the document's own; keep the agency's own sections."""
        outline = reading.outline
        layout = self.layout.layout
        order = [s.key for s in layout.sections]
        present = set(outline.sections)
        if reading.purpose_form == "general":
            present.add("purpose")
        absent = [k for k in order if k not in present]
        if absent and not outline.cut:
            out.notes.append(
                msg(
                    "no section {names} in the document",
                    names=", ".join(f"'{self.lexicon.heading_texts(k)[0]}'" for k in absent),
                )
            )
        found = [s.key for s in sorted(outline.sections.values(), key=lambda s: s.start.number)]
        usual = [k for k in dict.fromkeys([*order, *SECTION_KEYS]) if k in outline.sections]
        if found != usual:
            data["section_order"] = Flow(found)
            out.notes.append(
                msg("the sections come in an order of their own: kept as section_order")
            )
        extras = []
        for extra in outline.extras:
            paragraphs = entries(extra.items, reading.document, joiner)
            if not paragraphs:
                out.notes.append(msg("the section '{title}' is empty: left out", title=extra.title))
                continue
            entry: dict[str, Any] = {}
            if extra.heading.strip():
                entry["heading"] = " ".join(extra.heading.split())
            before = [s for s in outline.ordered() if s.start.number < extra.start.number]
            after = next((s.key for s in reversed(before) if s.key != "extra"), None)
            later = [s for s in outline.sections.values() if s.start.number > extra.start.number]
            if after is not None and later:
                entry["after"] = after
            entry["paragraphs"] = paragraphs
            extras.append(entry)
            if "heading" in entry and not any(k.item is extra.start for k in reading.kept):
                out.notes.append(
                    msg(
                        "the section '{title}' is not a standard one: kept under extra_sections",
                        title=extra.title,
                    )
                )
        if extras:
            data["extra_sections"] = extras

    def _requirements(self, req: RawRequirements, out: Converted) -> dict[str, Any]:
        """Return the requirements block, with library references where they match."""
        block: dict[str, Any] = {}
        for key in ("education", "experience"):
            if req.values.get(key):
                block[key] = req.values[key]
        if req.languages:
            block["languages"] = [
                FlowMap({k: Flow(v) if isinstance(v, list) else v for k, v in lang.items()})
                for lang in req.languages
            ]
        if req.language_style != DEFAULT_STYLE:
            block["language_style"] = req.language_style
        if req.values.get("computer_skills"):
            skills = req.values["computer_skills"]
            block["computer_skills"] = self.library.ref("computer_skills", skills, out)
        if req.other:
            block["other"] = [FlowMap({"label": label, "text": text}) for label, text in req.other]
        if req.core:
            block["core_competencies"] = self.library.competency_refs(req.core, out, "core")
        if req.additional:
            block["competencies"] = self.library.competency_refs(req.additional, out, "additional")
        if req.knowledge:
            block["knowledge"] = req.knowledge
        return block

    def _employment(self, votes: Counter[str], out: Converted) -> str:
        ranked = votes.most_common()
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        default = next(iter(self.lexicon.wording.vocabulary))
        out.notes.append(
            msg(
                "cannot tell from the wording whether the position is an official's or an "
                "employee's; wrote employment: {default}, check it",
                default=default,
            )
        )
        return default

    def _names(self, text: str) -> str | Flow:
        parts = [p.strip() for p in text.split(self.lexicon.wording.name_separator.strip())]
        parts = [p for p in parts if p]
        return parts[0] if len(parts) == 1 else Flow(parts)

    def _unit(self, text: str | None, found: UnitMatch | None, out: Converted) -> str:
        if text is None:
            return self._no_unit(out)
        if found is None:
            uid = slugify(text.split(self.lexicon.wording.unit_separator.strip())[-1])
            out.unit_known = False
            out.unit_text = text
            out.notes.append(
                msg(
                    "no unit of organization.yaml is {text}; wrote unit: {uid}, add that unit to "
                    "organization.yaml (validate reports it until then)",
                    text=excerpt(text, 120),
                    uid=uid,
                )
            )
            return uid
        if found.exact:
            out.notes.append(msg("unit {text} is {uid}", text=excerpt(text, 120), uid=found.id))
        else:
            out.notes.append(
                msg(
                    "unit {text} is nearly {uid} ({name}): {notes}",
                    text=excerpt(text, 120),
                    uid=found.id,
                    name=excerpt(found.name),
                    notes=joined(found.diff.notes, "; "),
                )
            )
        return str(found.id)

    def _position_unit(self, reading: Reading, out: Converted) -> str:
        """Return the position's unit: the general part's, or the banner's under the agency."""
        text, found = reading.general.values.get("unit"), reading.general.unit
        if text is None:
            out.banner_units = self._banner_units(reading.front)
            if out.banner_units:
                separator = self.lexicon.wording.unit_separator
                text = separator.join(
                    line.lower() if line.isupper() else line for line in out.banner_units
                )
                found = self.units.match(text)
        return self._unit(text, found, out)

    def _banner_units(self, front: Front) -> list[str]:
        """Return the banner lines under the agency's name, the department and the unit
        ('MAJANDUSOSAKOND'), where a banner starts with the agency and one or two short
        lines follow it; else none."""
        organization = self.project.organization
        assert organization is not None
        lines = [" ".join(line.split()) for line in front.banner]
        if len(lines) < 2 or norm(lines[0]) != norm(organization.agency):
            return []
        rest = lines[1:]
        if len(rest) > 2 or any(
            len(line.split()) > 6
            or not all(part.isalpha() for part in line.replace("-", " ").split())
            for line in rest
        ):
            return []
        return rest

    def _no_unit(self, out: Converted) -> str:
        """Return the unit of a document that names none: the agency's own, if it is a unit."""
        organization = self.project.organization
        assert organization is not None
        agency = norm(organization.agency)
        units = self.project.units
        uid = next((u for u, info in units.items() if norm(info.path[-1]) == agency), None)
        uid = uid or next(iter(units))
        out.notes.append(
            msg(
                "the document names no unit: wrote unit: {uid} ({name}), check it",
                uid=uid,
                name=excerpt(units[uid].path[-1]),
            )
        )
        return uid


def _number(value: object) -> object:
    text = str(value)
    return int(text) if text.isdigit() and not text.startswith("0") else value


def _not_imported(items: list[Item], document: Document, first: str) -> list[Message]:
    """Return a report line for each text of the document that was not imported."""
    notes = []
    for item in items:
        text = item.text if len(item.text) <= 60 else item.text[:60] + "…"
        where = (
            msg("line {n}", n=item.number)
            if document.lines
            else msg("paragraph {n}", n=item.number)
        )
        notes.append(
            msg(
                "not imported: {text} ({where}, before {first}): only the title and the "
                "approval line are read there; add it by hand if it belongs",
                text=repr(text),
                where=where,
                first=first,
            )
        )
    return notes
