"""Read a whole document: its parts as written, and the form of each (what a layout says)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.importer.body import (
    ListForm,
    RawRequirements,
    RawTask,
    TaskForm,
    parse_clauses,
    parse_list,
    parse_paragraph,
    parse_purpose,
    parse_tasks,
)
from ametijuhend_cli.importer.end import parse_end
from ametijuhend_cli.importer.extract import Document, Joiner
from ametijuhend_cli.importer.front import Front, parse_front
from ametijuhend_cli.importer.general import General, parse_general
from ametijuhend_cli.importer.lexicon import Lexicon
from ametijuhend_cli.importer.match import UnitMatcher
from ametijuhend_cli.importer.outline import Outline, ParseError, Section, split_sections
from ametijuhend_cli.importer.requirements import parse_requirements


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
    acknowledgement: bool = False
    #: what the outline and the general part report; the tasks, requirements, end
    notes: list[str] = field(default_factory=list)
    task_notes: list[str] = field(default_factory=list)
    end_notes: list[str] = field(default_factory=list)

    @property
    def votes(self) -> Counter[str]:
        """Return the votes of the headings and lead-ins for the vocabulary (ametnik, töötaja)."""
        return self.outline.votes


def read(
    document: Document, lexicon: Lexicon, joiner: Joiner, units: UnitMatcher, names: set[str]
) -> Reading:
    """Return ``document`` read into its parts; raise ParseError where it loses track.

    ``names`` are the library's competency names (folded), ``units`` finds the
    organization's unit a document names.
    """
    outline = split_sections(document, lexicon)
    s = outline.sections
    front = parse_front(outline.front, lexicon, joiner)
    general = parse_general(s["general"], lexicon, document, joiner, units)
    reading = Reading(document, outline, front, general)
    reading.notes += outline.notes + general.notes
    if general.values.get("purpose") and "purpose" not in s:
        reading.purpose, reading.purpose_form = [general.values["purpose"]], "general"
    reading.tasks, reading.task_form, reading.task_notes = parse_tasks(
        s["tasks"], lexicon, document, joiner
    )
    last = max(outline.sections.values(), key=lambda section: section.start.number)
    cut = not outline.signatures
    for key in ("purpose", "rights", "responsibilities", "work_tools", "requirements", "amendment"):
        if key not in s:
            continue
        try:
            _part(reading, key, s[key], lexicon, joiner, names)
        except ParseError as exc:
            if not (cut and s[key] is last):
                raise
            # the document stops in the middle of this section: what is there cannot be read
            reading.notes.append(f"the section '{s[key].title}' is cut short ({exc}): left out")
    return _end(reading, lexicon)


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
    reading.signatures, reading.acknowledgement, reading.end_notes = parse_end(
        outline.signatures, lexicon
    )
    return reading
