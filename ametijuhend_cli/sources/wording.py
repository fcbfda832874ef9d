"""The schema of the wording file (templates/wording.yaml)."""

from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.models import Model, SectionKey
from ametijuhend_cli.texts import PlainText, Text


def _title_and_unit(value: str) -> str:
    fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    if "title" not in fields or not fields <= {"title", "unit"}:
        raise ValueError(
            f"{excerpt(value)} must contain {{title}} and may contain {{unit}}, "
            "nothing else in braces"
        )
    return value


class Vocabulary(Model):
    """Headings and lead-ins that differ between officials and employees."""

    purpose: Text
    tasks: Text
    requirements: Text
    rights_intro: Text
    responsibilities_intro: Text
    labels: dict[str, Text] = Field(
        default_factory=dict,
        description="Labels of the general part that differ in this vocabulary "
        "(e.g. special_conditions: Töötingimuste erisused).",
    )


class Acknowledgement(Model):
    """The employee's acknowledgement at the end of some documents."""

    text: Text = Field(description="'Olen ametijuhendiga tutvunud ja kohustun seda järgima.'")
    fields: list[Text] = Field(
        description="The lines left for the employee to fill in: Nimi, Kuupäev, Allkiri."
    )


#: The fields of the general part the importer reads by their labels.
GeneralLabel = Literal[
    "title",
    "unit",
    "manager",
    "substituted_by",
    "substitutes",
    "appointed_by",
    "subordinates",
    "special_conditions",
    "work_area",
    "position_number",
    "purpose",
]


class ImporterWording(Model):
    """Words the importer reads documents by, beyond the document wording."""

    conjunctions: list[Text] = Field(
        description="Words after which a line-end hyphen is kept ('aja- ja tegevuskava')."
    )
    language: Text = Field(description="Stem of the word 'language' ('keel').")
    foreign_language: Text = Field(description="Stem of 'foreign language' ('võõrkeel').")
    preferably: Text = Field(description="The word introducing preferred languages.")
    headings: dict[SectionKey, list[Text]] = Field(
        default_factory=dict,
        description="Other headings of a standard section, by its key (tasks, rights …).",
    )
    section_words: dict[SectionKey, list[Text]] = Field(
        default_factory=dict,
        description="Words a heading worded otherwise holds, by section ('eesmärk' for the "
        "purpose): a numbered, capitalized or styled heading that starts with one is read "
        "as that section's.",
    )
    labels: dict[GeneralLabel, list[Text]] = Field(
        default_factory=dict,
        description="Other labels of the general part's fields, by field (title, unit, manager …).",
    )


class NoticeWording(Model):
    """What the change notice (ametijuhend diff) needs from the wording."""

    consent_words: list[Text] = Field(
        min_length=1,
        description="Word stems by which an amendment clause speaks of consent ('nõusolek'); "
        "the notice quotes such clauses.",
    )


class Wording(Model):
    """The fixed wording of a document (templates/wording.yaml)."""

    document_title: Text
    approval: dict[str, Text]
    date_format: Text
    unit_separator: PlainText
    name_separator: PlainText
    position_with_unit: Annotated[Text, AfterValidator(_title_and_unit)]
    metadata_title: Annotated[Text, AfterValidator(_title_and_unit)]
    list_item_separator: PlainText
    list_end: PlainText
    headings: dict[str, Text]
    general: dict[str, Text]
    tasks_table: dict[str, Text]
    requirements: dict[str, Text]
    languages: dict[str, PlainText]
    signatures: dict[str, Text]
    acknowledgement: Acknowledgement
    spreadsheet: dict[str, Text] = Field(
        description="Column headings of the CSV files (report.csv, list --format csv)."
    )
    vocabulary: dict[str, Vocabulary] = Field(min_length=1)
    importer: ImporterWording
    notice: NoticeWording
