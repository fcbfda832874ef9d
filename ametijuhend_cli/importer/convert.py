"""Turn a parsed document into position data: library references, the unit, the vocabulary."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import Flow, FlowMap
from ametijuhend_cli.estonian.forms import fill_title_forms
from ametijuhend_cli.importer.body import (
    RawCompetency,
    RawRequirements,
    entries,
    parse_clauses,
    parse_list,
    parse_paragraph,
    parse_tasks,
)
from ametijuhend_cli.importer.extract import Document, Item, Joiner
from ametijuhend_cli.importer.general import (
    parse_front,
    parse_general,
    parse_signatures,
    unread_front,
)
from ametijuhend_cli.importer.layout import Layout, Section, split_sections
from ametijuhend_cli.importer.lexicon import SECTION_KEYS, Lexicon, norm
from ametijuhend_cli.importer.match import CompetencyMatcher, TextMatcher, UnitMatcher, words
from ametijuhend_cli.importer.requirements import parse_requirements
from ametijuhend_cli.messages import character_name, excerpt, plural
from ametijuhend_cli.models import KIND_NAMES, Position, Requirements
from ametijuhend_cli.sources.project import Project

#: The phrasing of language requirements a position gets when it names none.
DEFAULT_STYLE = Requirements.model_fields["language_style"].default


def slugify(text: str, limit: int = 80) -> str:
    """Return an id made of ``text``: 'Ekspert (kriisiabi)' → 'ekspert-kriisiabi'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "ametikoht"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Converted:
    """A document turned into position data, with what the report says about it."""

    id: str
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    unit_known: bool = True
    #: the unit as the document names it, when organization.yaml has no such unit
    unit_text: str | None = None
    #: library kind → proposed new entries (for --suggest-library)
    suggestions: dict[str, dict[str, Any]] = field(default_factory=dict)


def removed_note(removed: Counter[str]) -> str:
    """Return the note naming the invisible and direction characters left out of the import."""
    listed = ", ".join(
        character_name(c) + (f" ×{n}" if n > 1 else "") for c, n in sorted(removed.items())
    )
    return f"removed {plural(sum(removed.values()), 'invisible character')}: {listed}"


class Converter:
    """Reads documents against one project's wording, library and organization."""

    def __init__(self, project: Project, lexicon: Lexicon):
        assert project.organization is not None
        self.project = project
        self.lexicon = lexicon
        library = project.library
        self.texts = {kind: TextMatcher(entries) for kind, entries in library.texts.items()}
        self.competencies = CompetencyMatcher(library.competencies)
        self.units = UnitMatcher(project.units, lexicon.wording.unit_separator)
        vocabulary: set[str] = set()
        for texts in library.texts.values():
            for text in texts.values():
                vocabulary.update(words(text))
        for comp in library.competencies.values():
            vocabulary.update(words(" ".join([comp.name, *comp.indicators])))
        self.vocabulary = vocabulary
        self.names = {norm(c.name) for c in library.competencies.values()}
        self.authority = project.organization.approval_authority

    def convert(self, document: Document) -> Converted:
        """Return the position data read from ``document``; raise ParseError."""
        lexicon = self.lexicon
        own = {w for item in document.items for w in words(item.text)}
        joiner = Joiner(self.vocabulary | own, lexicon.importer.conjunctions)
        layout = split_sections(document, lexicon)
        s = layout.sections
        approval = parse_front(layout.front, lexicon, joiner)
        general = parse_general(s["general"], lexicon, document, joiner, self.units)
        tasks, task_notes = parse_tasks(s["tasks"], lexicon, document, joiner)
        lists = {
            key: parse_list(s[key], lexicon, document, joiner, layout.votes)
            for key in ("rights", "responsibilities")
            if key in s
        }
        req = parse_requirements(s["requirements"], lexicon, document, joiner, self.names)
        clauses = parse_clauses(s["amendment"], document, joiner) if "amendment" in s else []
        signatures, signature_notes = parse_signatures(layout.signatures, lexicon)

        out = Converted("", {})
        out.notes += layout.notes + general.notes
        if document.removed:
            out.notes.append(removed_note(document.removed))
        out.notes += _not_imported(unread_front(layout.front, lexicon), document, s["general"])
        employment = self._employment(layout.votes, out)
        values = general.values
        data = out.data
        data["title"] = values["title"]
        for name in fill_title_forms(data, set(Position.model_fields)):
            # the cases other documents need ("Keda asendab"), formed with the extra keel
            out.notes.append(f"{name}: formed by Vabamorf as {excerpt(str(data[name]))}; check it")
        data["employment"] = employment
        data["unit"] = self._unit(values["unit"], general.unit, out)
        data["manager"] = values["manager"]
        data["substituted_by"] = self._names(values["substituted_by"])
        data["substitutes"] = self._names(values["substitutes"])
        data["purpose"] = parse_paragraph(s["purpose"], joiner)
        if norm(s["tasks"].heading) != norm(lexicon.wording.vocabulary[employment].tasks):
            data["tasks_heading"] = " ".join(s["tasks"].heading.split())
        out.notes += task_notes
        data["tasks"] = [
            {
                "task": t.text,
                **({"details": t.details} if t.details else {}),
                "results": [
                    {"text": r, "items": t.sub_results[i]} if t.sub_results.get(i) else r
                    for i, r in enumerate(t.results)
                ],
                **({"subtasks": t.subtasks} if t.subtasks else {}),
            }
            for t in tasks
        ]
        for key, found in lists.items():
            data[key] = self._refs(key, found, out)
        if "work_tools" in s:
            tools = parse_paragraph(s["work_tools"], joiner)
            data["work_tools"] = self._ref("work_tools", tools, out)
        data["requirements"] = self._requirements(req, out)
        if clauses:
            refs = self._refs("clauses", clauses, out)
            data["amendment"] = Flow(refs) if all(isinstance(c, str) for c in refs) else refs
        self._sections(layout, document, data, out, joiner)
        if approval is not None:
            block: dict[str, Any] = {"date": approval.date, "number": _number(approval.number)}
            if self.authority is None or norm(self.authority) != norm(approval.by):
                block["by"] = approval.by
            data["approval"] = block
        elif document.created is not None:
            data["reviewed"] = document.created
        data["signatures"] = signatures
        out.notes += signature_notes
        out.id = slugify(f"{values['title']} {data['unit']}")
        return out

    def _sections(
        self,
        layout: Layout,
        document: Document,
        data: dict[str, Any],
        out: Converted,
        joiner: Joiner,
    ) -> None:
        """Note the standard sections not there and keep the agency's own ones."""
        absent = [
            self.lexicon.heading_texts(key)[0]
            for key in ("rights", "responsibilities", "amendment")
            if key not in layout.sections
        ]
        if absent:
            out.notes.append(
                "no section " + ", ".join(f"'{h}'" for h in absent) + " in the document"
            )
        for key, section in layout.sections.items():
            known = [norm(h) for h in self.lexicon.heading_texts(key)]
            if key != "tasks" and norm(section.heading) not in known:
                out.notes.append(
                    f"the heading '{section.title}' is printed as "
                    f"'{self.lexicon.heading_texts(key)[0]}'"
                )
        found = sorted(layout.sections.values(), key=lambda section: section.start.number)
        keys = [section.key for section in found]
        if keys != [key for key in SECTION_KEYS if key in layout.sections]:
            data["section_order"] = Flow(keys)
            out.notes.append("the sections come in an order of their own: kept as section_order")
        extras = []
        for extra in layout.extras:
            paragraphs = entries(extra.items, document, joiner)
            if not paragraphs:
                out.notes.append(f"the section '{extra.title}' is empty: left out")
                continue
            extras.append({"heading": " ".join(extra.heading.split()), "paragraphs": paragraphs})
            out.notes.append(
                f"the section '{extra.title}' is not a standard one: kept under extra_sections"
            )
        if extras:
            data["extra_sections"] = extras

    def _requirements(self, req: RawRequirements, out: Converted) -> dict[str, Any]:
        """Return the requirements block, with library references where they match."""
        block: dict[str, Any] = {
            "education": req.values["education"],
            "experience": req.values["experience"],
            "languages": [
                FlowMap({k: Flow(v) if isinstance(v, list) else v for k, v in lang.items()})
                for lang in req.languages
            ],
        }
        if req.language_style != DEFAULT_STYLE:
            block["language_style"] = req.language_style
        block["computer_skills"] = self._ref("computer_skills", req.values["computer_skills"], out)
        block["core_competencies"] = self._competencies(req.core, out, "core")
        if req.additional:
            block["competencies"] = self._competencies(req.additional, out, "additional")
        if req.knowledge:
            block["knowledge"] = req.knowledge
        out.notes += req.notes
        return block

    def _employment(self, votes: Counter[str], out: Converted) -> str:
        ranked = votes.most_common()
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        default = next(iter(self.lexicon.wording.vocabulary))
        out.notes.append(
            f"cannot tell from the wording whether the position is an official's or an "
            f"employee's; wrote employment: {default}, check it"
        )
        return default

    def _names(self, text: str) -> str | Flow:
        parts = [p.strip() for p in text.split(self.lexicon.wording.name_separator.strip())]
        parts = [p for p in parts if p]
        return parts[0] if len(parts) == 1 else Flow(parts)

    def _unit(self, text: str, found: Any, out: Converted) -> str:
        if found is None:
            uid = slugify(text.split(self.lexicon.wording.unit_separator.strip())[-1])
            out.unit_known = False
            out.unit_text = text
            out.notes.append(
                f"no unit of organization.yaml is {excerpt(text, 120)}; wrote unit: {uid}, "
                "add that unit to organization.yaml (validate reports it until then)"
            )
            return uid
        if found.exact:
            out.notes.append(f"unit {excerpt(text, 120)} is {found.id}")
        else:
            notes = "; ".join(found.diff.notes)
            out.notes.append(
                f"unit {excerpt(text, 120)} is nearly {found.id} ({excerpt(found.name)}): {notes}"
            )
        return str(found.id)

    def _ref(self, kind: str, text: str, out: Converted, index: int | None = None) -> Any:
        where = KIND_NAMES[kind].many + (f"[{index}]" if index is not None else "")
        total, matched = out.counts.get(kind, (0, 0))
        found = self.texts[kind].match(text) if kind in self.texts else None
        out.counts[kind] = (total + 1, matched + (found is not None))
        if found is None:
            self._suggest(kind, text, out)
            return {"text": text}
        if found.diff is not None:
            out.notes.append(
                f"near match: {where} '{_short(text)}' → {found.id}: " + "; ".join(found.diff.notes)
            )
        return found.id

    def _refs(self, kind: str, texts: list[str], out: Converted) -> list[Any]:
        return [self._ref(kind, text, out, i) for i, text in enumerate(texts)]

    def _competencies(self, items: list[RawCompetency], out: Converted, which: str) -> list[Any]:
        refs: list[Any] = []
        total, matched = out.counts.get("competencies", (0, 0))
        for i, comp in enumerate(items):
            found = self.competencies.match(comp.name, comp.indicators)
            where = f"{which} competencies[{i}] '{comp.name}'"
            if found is None:
                self._suggest_competency(comp, out)
                if norm(comp.name) in self.names:
                    out.notes.append(f"{where}: the library's text differs too much; kept inline")
                refs.append({"name": comp.name, "text": " ".join(comp.indicators)})
                continue
            matched += 1
            for d, what in ((found.name_diff, "name"), (found.diff, "text")):
                if d is not None:
                    out.notes.append(
                        f"near match: {where} → {found.id} ({what}): " + "; ".join(d.notes)
                    )
            ref = found.reference()
            refs.append(
                FlowMap({k: Flow(v) if isinstance(v, list) else v for k, v in ref.items()})
                if isinstance(ref, dict)
                else ref
            )
        out.counts["competencies"] = (total + len(items), matched)
        return Flow(refs) if all(isinstance(r, str) for r in refs) else refs

    def _new_id(self, kind: str, text: str, out: Converted) -> str:
        known = set(self.project.library.texts.get(kind, {})) | set(
            self.project.library.competencies
        )
        known |= set(out.suggestions.get(kind, {}))
        base = slugify(" ".join(words(text)[:4]), 40)
        uid, n = base, 2
        while uid in known:
            uid, n = f"{base}-{n}", n + 1
        return uid

    def _suggest(self, kind: str, text: str, out: Converted) -> None:
        out.suggestions.setdefault(kind, {})[self._new_id(kind, text, out)] = text

    def _suggest_competency(self, comp: RawCompetency, out: Converted) -> None:
        uid = self._new_id("competencies", comp.name, out)
        entry = {"name": comp.name, "indicators": list(comp.indicators)}
        out.suggestions.setdefault("competencies", {})[uid] = entry


def _number(text: str) -> int | str:
    return int(text) if text.isdigit() and not text.startswith("0") else text


def _not_imported(items: list[Item], document: Document, first: Section) -> list[str]:
    """Return a report line for each text of the document that was not imported."""
    unit = "line" if document.lines else "paragraph"
    notes = []
    for item in items:
        text = item.text if len(item.text) <= 60 else item.text[:60] + "…"
        notes.append(
            f"not imported: {text!r} ({unit} {item.number}, before {first.title}): "
            "only the title and the approval line are read there; add it by hand if it belongs"
        )
    return notes
