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
from ametijuhend_cli.importer.outline import Outline, split_sections
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
    if "purpose" in s:
        reading.purpose, reading.purpose_form = parse_purpose(s["purpose"], document, joiner)
    elif general.values.get("purpose"):
        reading.purpose, reading.purpose_form = [general.values["purpose"]], "general"
    reading.tasks, reading.task_form, reading.task_notes = parse_tasks(
        s["tasks"], lexicon, document, joiner
    )
    for key in ("rights", "responsibilities"):
        if key in s:
            reading.lists[key] = parse_list(s[key], lexicon, document, joiner, outline.votes)
    if "work_tools" in s:
        reading.work_tools = parse_paragraph(s["work_tools"], joiner)
    if "requirements" in s:
        reading.requirements = parse_requirements(
            s["requirements"], lexicon, document, joiner, names
        )
    if "amendment" in s:
        reading.clauses = parse_clauses(s["amendment"], document, joiner)
    reading.signatures, reading.acknowledgement, end_notes = parse_end(outline.signatures, lexicon)
    reading.notes += end_notes
    return reading
