"""The document view: one position resolved into plain strings, as the renderers read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ametijuhend_cli.layout import Layout
from ametijuhend_cli.sources.wording import Vocabulary, Wording


@dataclass(frozen=True)
class Section:
    """A top-level section of the document, numbered as its layout numbers sections."""

    #: its place among the numbered sections (1, 2 …; 0 when it is not numbered)
    number: int
    key: str
    #: the heading ("" when the layout prints none)
    heading: str
    #: the number as printed: "3.", "III", "" (from the layout's numbering)
    label: str = ""
    #: the number and heading begin the first paragraph ("2. Teenistuskoha eesmärk on …")
    run_in: bool = False
    #: the section continues the one before it ("Õigused ja vastutus"): no heading, no
    #: number of its own (``number`` is the one it continues)
    joined: bool = False

    @property
    def title(self) -> str:
        """Return the heading with its number, e.g. ``3. TEENISTUSÜLESANDED``."""
        return " ".join(part for part in (self.label, self.heading) if part)


@dataclass(frozen=True)
class Field:
    """A field of the general part or of the requirements, e.g. ``1.3 Vahetu juht``."""

    #: the label with its number, as a table heading prints it ("1.3 Vahetu juht")
    label: str
    value: str
    key: str = ""
    #: the label alone ("Vahetu juht") and the number alone ("1.3"; "" when unnumbered)
    name: str = ""
    number: str = ""
    #: the whole line, where the layout prints the field as a paragraph
    line: str = ""


@dataclass(frozen=True)
class Item:
    """A numbered (or bulleted) item: a purpose point, a right, a clause."""

    number: str
    text: str


@dataclass(frozen=True)
class TaskView:
    """A task with its computed number."""

    number: str
    text: str
    results: list[str]
    subtasks: list[str]
    #: further paragraphs of the task, under its first one
    details: list[str] = field(default_factory=list)
    #: the list under each result (empty for most), parallel to ``results``
    result_items: list[list[str]] = field(default_factory=list)
    #: the numbers of the subtasks where the layout numbers them (3.1.1), else ""
    subtask_numbers: list[str] = field(default_factory=list)
    #: the lead-in of the group this task opens ("Iga päev:"), "" for most
    group: str = ""

    def subtask_number(self, index: int) -> str:
        """Return the number of subtask ``index`` ("3.1.1"; "" where they are not numbered)."""
        return self.subtask_numbers[index] if index < len(self.subtask_numbers) else ""

    def sub_items(self, index: int) -> list[str]:
        """Return the list under result ``index`` (empty if it has none)."""
        return self.result_items[index] if index < len(self.result_items) else []

    @property
    def heading(self) -> str:
        """Return the task with its number ("3.1 Text"; the text alone when unnumbered)."""
        return f"{self.number} {self.text}" if self.number else self.text


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
    """One signature: the label (Tööandja:), the name and the title's lines (none: unnamed)."""

    label: str
    name: str
    title: list[str]


@dataclass(frozen=True)
class ExtraSectionView:
    """A section of the agency's own, kept as written."""

    section: Section
    paragraphs: list[str]
    #: the numbers of its paragraphs where the layout numbers them (3.1 …), else none
    numbers: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        """Return its paragraphs with their numbers ("" where unnumbered)."""
        numbers = self.numbers
        return [
            Item(numbers[i] if i < len(numbers) else "", text)
            for i, text in enumerate(self.paragraphs)
        ]


@dataclass(frozen=True)
class ApprovalNote:
    """One approval note before the title: 'block' (KINNITATUD …), 'line', 'annex' or 'label'."""

    kind: str
    lines: list[str]


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
    #: the lines of the approval notes, one after another (see approval_notes)
    approval: list[str] = field(default_factory=list)
    #: the approval notes in the layout's order, each with its kind
    approval_notes: list[ApprovalNote] = field(default_factory=list)
    #: the annex label of a job description annexed to a directive ("Lisa 1"), its lines
    annex: list[str] = field(default_factory=list)
    extra_sections: list[ExtraSectionView] = field(default_factory=list)
    signatures_heading: str = ""
    signatories: list[Signatory] = field(default_factory=list)
    signed: str = ""
    date: dt.date | None = None
    #: the library entries ("kind/id") and other positions ("position/id") the
    #: document uses, for incremental builds
    library_refs: set[str] = field(default_factory=set)
    #: the layout the document is drawn in, and its name
    layout: Layout = field(default_factory=lambda: Layout.model_validate({}))
    layout_name: str = "standard"
    #: the lines before the title, the title and the line under it
    banner: list[str] = field(default_factory=list)
    document_title: str = ""
    subtitle: str = ""
    #: paragraphs of the general part after its fields (those the layout places among
    #: the fields are fields of the key "paragraphs")
    general_paragraphs: list[str] = field(default_factory=list)
    #: the fields a layout prints as sections of their own (work_area …), by key
    field_sections: dict[str, str] = field(default_factory=dict)
    #: the purpose's paragraphs (points), where it has several
    purpose_paragraphs: list[str] = field(default_factory=list)
    #: the numbers of the items of a section where the layout numbers them, by its key
    #: ("purpose", "rights", "responsibilities", "amendment")
    item_numbers: dict[str, list[str]] = field(default_factory=dict)
    #: the employee's acknowledgement and the lines it leaves room on (none: no such block)
    acknowledgement: str = ""
    acknowledgement_fields: list[str] = field(default_factory=list)

    def list_items(self, key: str) -> list[Item]:
        """Return the items of list section ``key`` (rights …), numbered as the layout says."""
        return self._numbered(key, getattr(self, key))

    def _numbered(self, key: str, texts: list[str]) -> list[Item]:
        numbers = self.item_numbers.get(key, [])
        return [Item(numbers[i] if i < len(numbers) else "", t) for i, t in enumerate(texts)]

    @property
    def purpose_points(self) -> list[Item]:
        """Return the purpose as the layout prints it: a paragraph, or numbered points."""
        if len(self.purpose_paragraphs) > 1:
            return self._numbered("purpose", self.purpose_paragraphs)
        return self._numbered("purpose", [self.purpose] if self.purpose else [])

    @property
    def general_text(self) -> str:
        """Return the lines of the general part's fields as one paragraph (the 'paragraph' form)."""
        return " ".join(f.line for row in self.general for f in row)

    @property
    def tasks_text(self) -> str:
        """Return every task in one paragraph (the 'paragraph' form), with its group's lead-in."""
        return " ".join(
            f"{task.group} {task.heading}" if task.group else task.heading for task in self.tasks
        )
