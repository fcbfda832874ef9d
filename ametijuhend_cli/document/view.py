"""The document view: one position resolved into plain strings, as the renderers read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ametijuhend_cli.sources.wording import Vocabulary, Wording


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
    #: further paragraphs of the task, under its first one
    details: list[str] = field(default_factory=list)
    #: the list under each result (empty for most), parallel to ``results``
    result_items: list[list[str]] = field(default_factory=list)

    def sub_items(self, index: int) -> list[str]:
        """Return the list under result ``index`` (empty if it has none)."""
        return self.result_items[index] if index < len(self.result_items) else []


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
