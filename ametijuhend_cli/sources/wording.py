"""The schema of the wording file (templates/wording.yaml)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ametijuhend_cli.errors import msg
from ametijuhend_cli.fields import field_names
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.models import Model, SectionKey
from ametijuhend_cli.texts import PlainText, Text

#: The fields each format string of the wording may use (the README documents them).
APPROVAL_FIELDS: dict[str, frozenset[str]] = {
    "heading": frozenset(),
    "line": frozenset({"by", "date", "number", "annex", "directive"}),
    "annex_label": frozenset({"annex"}),
    "annex_line": frozenset({"by", "date", "number", "annex", "directive"}),
    # the line of a directive that has no title: no {directive} (the directive command
    # and the document's own approval block fill it alike)
    "annex_line_untitled": frozenset({"by", "date", "number", "annex"}),
}
LANGUAGE_FIELDS: dict[str, frozenset[str]] = {
    "valdab": frozenset({"language", "Language", "level"}),
    "oskab": frozenset({"language", "Language", "level"}),
    "oskus": frozenset({"language", "Language", "level"}),
    "any_foreign": frozenset({"level"}),
    "any_foreign_preferably": frozenset({"languages", "level"}),
}
#: The separators of a list of languages: plain text, no fields.
LANGUAGE_SEPARATORS = ("or", "and", "separator")
#: The directives date_format may use: day, month, year, day of the year (no names of
#: months or days: those depend on the machine's language, and outputs must not).
_DATE_DIRECTIVES = frozenset("dmyYej%")


def _only(value: str, allowed: frozenset[str], what: str = "") -> str:
    """Return ``value``, a format string whose fields are all in ``allowed``."""
    unknown = [n for n in field_names(value, what) if n not in allowed]
    if unknown:
        names = ", ".join("{" + n + "}" for n in sorted(allowed))
        raise ValueError(
            msg(
                "{what}{value}: unknown field {field}; it may contain {names} (write '{{{{' and "
                "'}}}}' for braces that are text)",
                what=what,
                value=excerpt(value),
                field=excerpt("{" + unknown[0] + "}"),
                names=names,
            )
        )
    return value


def _title_and_unit(value: str) -> str:
    fields = set(field_names(value))
    if "title" not in fields or not fields <= {"title", "unit"}:
        raise ValueError(
            msg(
                "{value} must contain {{title}} and may contain {{unit}}, nothing else in braces",
                value=excerpt(value),
            )
        )
    return value


def _approval(value: dict[str, str]) -> dict[str, str]:
    every = frozenset().union(*APPROVAL_FIELDS.values())
    for key, text in value.items():
        _only(text, APPROVAL_FIELDS.get(key, every), f"{key}: ")
    return value


def _languages(value: dict[str, str]) -> dict[str, str]:
    for key, text in value.items():
        if key in LANGUAGE_SEPARATORS:
            _only(text, frozenset(), f"{key}: ")
        else:
            _only(text, LANGUAGE_FIELDS.get(key, LANGUAGE_FIELDS["valdab"]), f"{key}: ")
    return value


def _date_format(value: str) -> str:
    directives = re.findall(r"%(.?)", value)
    bad = [d for d in directives if d not in _DATE_DIRECTIVES]
    if bad:
        raise ValueError(
            msg(
                "{value}: {directive} is not a date directive this tool writes; use %d (day), "
                "%m (month), %Y or %y (year), %e, %j and %%",
                value=excerpt(value),
                directive=f"'%{bad[0]}'",
            )
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
    column_words: dict[Literal["task", "activities", "results"], list[Text]] = Field(
        default_factory=dict,
        description="Word stems by which a heading of the tasks table's column is known, by "
        "column ('tulemus' for the results): a first row or line of such headings is the "
        "table's header, however worded.",
    )
    item_words: dict[Literal["rights", "responsibilities"], list[Text]] = Field(
        default_factory=dict,
        description="Word stems by which an item of one section that holds rights and "
        "responsibilities ('Õigused ja vastutus') is told apart, by section ('vastuta' for "
        "the responsibilities): the first stem an item holds decides.",
    )
    acknowledgement_words: list[Text] = Field(
        default_factory=list,
        description="Word stems by which the employee's acknowledgement is known when it is "
        "worded otherwise ('tutvunud').",
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
    approval: Annotated[dict[str, Text], AfterValidator(_approval)]
    date_format: Annotated[Text, AfterValidator(_date_format)]
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
    languages: Annotated[dict[str, PlainText], AfterValidator(_languages)]
    signatures: dict[str, Text]
    acknowledgement: Acknowledgement
    spreadsheet: dict[str, Text] = Field(
        description="Column headings of the CSV files (report.csv, list --format csv)."
    )
    vocabulary: dict[str, Vocabulary] = Field(min_length=1)
    importer: ImporterWording
    notice: NoticeWording
