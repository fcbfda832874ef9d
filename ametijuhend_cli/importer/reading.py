"""Read a whole document: its parts as written, and the form of each (what a layout says)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.errors import Message, msg, verbatim
from ametijuhend_cli.importer.body import (
    ListForm,
    RawRequirements,
    RawTask,
    TaskForm,
    entries,
    parse_clauses,
    parse_list,
    parse_paragraph,
    parse_purpose,
    parse_tasks,
    split_combined,
)
from ametijuhend_cli.importer.end import End, parse_end
from ametijuhend_cli.importer.extract import Document, Joiner
from ametijuhend_cli.importer.front import Front, parse_front, title_over_two_lines
from ametijuhend_cli.importer.general import General, parse_general
from ametijuhend_cli.importer.lexicon import Lexicon
from ametijuhend_cli.importer.match import UnitMatcher
from ametijuhend_cli.importer.outline import Kept, Outline, ParseError, Section, split_sections
from ametijuhend_cli.importer.requirements import parse_requirements
from ametijuhend_cli.messages import excerpt


@dataclass
class Reading:
    """A document read into its parts, each as written, with the form it has."""

    document: Document
    outline: Outline
    front: Front
    general: General
    purpose: list[str] = field(default_factory=list)
    #: paragraphs, points, general (a field of the general part), or None (no purpose)
    purpose_form: str | None = None
    tasks: list[RawTask] = field(default_factory=list)
    task_form: TaskForm = field(default_factory=TaskForm)
    lists: dict[str, tuple[list[str], ListForm]] = field(default_factory=dict)
    work_tools: str | None = None
    requirements: RawRequirements | None = None
    clauses: list[str] = field(default_factory=list)
    signatures: dict[str, Any] | None = None
    #: the end as written: the acknowledgement, its lines, the marks of the signature block
    end: End = field(default_factory=End)
    #: what the outline and the general part report; the tasks, requirements, end
    notes: list[Message] = field(default_factory=list)
    #: text kept as written where it reads as no known part (reported as warnings)
    kept: list[Kept] = field(default_factory=list)
    task_notes: list[Message] = field(default_factory=list)
    end_notes: list[Message] = field(default_factory=list)

    @property
    def acknowledgement(self) -> bool:
        """Return whether the document ends with the employee's acknowledgement."""
        return bool(self.end.acknowledgement)

    @property
    def votes(self) -> Counter[str]:
        """Return the votes of the headings and lead-ins for the vocabulary (ametnik, töötaja)."""
        return self.outline.votes


def read(
    document: Document, lexicon: Lexicon, joiner: Joiner, units: UnitMatcher, names: set[str]
) -> Reading:
    """Return ``document`` read into its parts; raise ParseError only when it reads as no job
    description at all.

    What cannot be read as a known part is kept as written (the general part's
    paragraphs, a task's text, a section of the document's own where it stood)
    and named in ``kept``. ``names`` are the library's competency names (folded),
    ``units`` finds the organization's unit a document names.
    """
    outline = split_sections(document, lexicon)
    s = outline.sections
    front = parse_front(outline.front, lexicon, joiner)
    general = _general(s["general"], lexicon, document, joiner, units, outline)
    title_over_two_lines(front, general.values.get("title"))
    reading = Reading(document, outline, front, general)
    reading.notes += outline.notes + general.notes
    if general.values.get("purpose") and "purpose" not in s:
        reading.purpose, reading.purpose_form = [general.values["purpose"]], "general"
    _tasks(reading, s["tasks"], lexicon, joiner)
    _split_lists(reading, lexicon)
    for key in ("purpose", "rights", "responsibilities", "work_tools", "requirements", "amendment"):
        if key not in s:
            continue
        section = s[key]
        try:
            _part(reading, key, section, lexicon, joiner, names)
        except ParseError as exc:
            _keep(
                outline,
                section,
                msg("it cannot be read as {what} ({reason})", what=_what(key), reason=exc.message),
            )
    return _end(reading, lexicon)


def _split_lists(reading: Reading, lexicon: Lexicon) -> None:
    """Cut a section whose heading names both lists ('ÕIGUSED JA VASTUTUS') into the two:
    the second continues the first (a layout's ``join``)."""
    s = reading.outline.sections
    for key in ("rights", "responsibilities"):
        section = s.get(key)
        if section is None:
            continue
        other = [k for k in lexicon.combined(section.heading) if k != key]
        if len(other) != 1 or other[0] in s:
            continue
        second = split_combined(section, other[0], lexicon, reading.document)
        if second is not None:
            s[second.key] = second
            heading, item = section.title, excerpt(second.start.text)
            note = (
                msg(
                    "the section '{heading}' holds rights and responsibilities: the "
                    "responsibilities from {item} on",
                    heading=heading,
                    item=item,
                )
                if key == "rights"
                else msg(
                    "the section '{heading}' holds responsibilities and rights: the rights "
                    "from {item} on",
                    heading=heading,
                    item=item,
                )
            )
            reading.notes.append(note)
            return


#: What each section holds, as the warnings say it.
_WHAT = {
    "purpose": msg("the purpose"),
    "rights": msg("rights"),
    "responsibilities": msg("responsibilities"),
    "work_tools": msg("the work tools"),
    "requirements": msg("requirements"),
    "amendment": msg("amendment clauses"),
}


def _what(key: str) -> Message:
    return _WHAT.get(key) or verbatim(key)


def _keep(outline: Outline, section: Section, why: Message) -> None:
    """Keep the text of ``section`` as written, where it stands (a section of the document's
    own), and say why."""
    del outline.sections[section.key]
    section.key = "extra"
    if section.how in ("lead-in", "labels") or not section.shows_heading:
        section.heading = ""  # the document gives it no heading: none is made up
    outline.extras.append(section)
    outline.extras.sort(key=lambda extra: extra.start.number)
    outline.kept.append(
        Kept(
            section.start,
            msg("the section '{title}': {why}: kept as written", title=section.title, why=why),
        )
    )


def _general(
    section: Section,
    lexicon: Lexicon,
    document: Document,
    joiner: Joiner,
    units: UnitMatcher,
    outline: Outline,
) -> General:
    """Return the general part; its text as paragraphs where its fields cannot be read."""
    try:
        return parse_general(section, lexicon, document, joiner, units)
    except ParseError as exc:
        general = General(paragraphs=entries(section.items, document, joiner))
        if general.paragraphs:
            outline.kept.append(
                Kept(
                    exc.item or section.start,
                    msg(
                        "the general part cannot be read by its labels ({reason}): its text is "
                        "kept as written (general_paragraphs)",
                        reason=exc.message,
                    ),
                )
            )
        return general


def _tasks(reading: Reading, section: Section, lexicon: Lexicon, joiner: Joiner) -> None:
    """Read the tasks into ``reading``; a paragraph each where they cannot be read."""
    document = reading.document
    kept = reading.outline.kept
    try:
        reading.tasks, reading.task_form, reading.task_notes = parse_tasks(
            section, lexicon, document, joiner, kept
        )
    except ParseError as exc:
        texts = entries(section.items, document, joiner)
        reading.tasks = [RawTask(str(n), text, section.items[0]) for n, text in enumerate(texts, 1)]
        reading.task_form = TaskForm("list", ["task"], False, False)
        if texts:
            kept.append(
                Kept(
                    exc.item or section.start,
                    msg(
                        "the tasks cannot be read ({reason}): each paragraph of the section "
                        "'{title}' is kept as a task, as written",
                        reason=exc.message,
                        title=section.title,
                    ),
                )
            )


def _part(
    reading: Reading, key: str, section: Section, lexicon: Lexicon, joiner: Joiner, names: set[str]
) -> None:
    """Read the section ``key`` into ``reading``."""
    document = reading.document
    if key == "purpose":
        reading.purpose, reading.purpose_form = parse_purpose(section, document, joiner)
    elif key in ("rights", "responsibilities"):
        found = parse_list(section, lexicon, document, joiner, reading.outline.votes)
        reading.lists[key] = found
    elif key == "work_tools":
        reading.work_tools = parse_paragraph(section, joiner)
    elif key == "requirements":
        reading.requirements = parse_requirements(section, lexicon, document, joiner, names)
    else:
        reading.clauses = parse_clauses(section, document, joiner)


def _end(reading: Reading, lexicon: Lexicon) -> Reading:
    """Read the end block into ``reading``; return it."""
    outline = reading.outline
    reading.end = parse_end(outline.signatures, lexicon)
    reading.signatures, reading.end_notes = reading.end.signatures, reading.end.notes
    reading.kept = outline.kept + reading.front.kept
    return reading
