"""The schema of the wording file (templates/wording.yaml)."""

from __future__ import annotations

import re
import string
from typing import Annotated

from pydantic import AfterValidator, Field

from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.models import Model
from ametijuhend_cli.texts import PlainText, Text

#: The fields each format string of the wording may use (the README documents them).
APPROVAL_FIELDS = frozenset({"by", "date", "number"})
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


def _fields(value: str, what: str = "") -> list[str]:
    """Return the names of the fields of a format string; raise ValueError for one that is
    more than a plain name in braces (an index, an attribute, a conversion, a format)."""
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError as exc:
        raise ValueError(f"{what}{excerpt(value)}: {exc}") from None
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise ValueError(
                f"{what}{excerpt(value)}: the field {excerpt(shown)} is not a plain name in braces "
                "(write '{{' and '}}' for braces that are text)"
            )
        names.append(name)
    return names


def _only(value: str, allowed: frozenset[str], what: str = "") -> str:
    """Return ``value``, a format string whose fields are all in ``allowed``."""
    unknown = [n for n in _fields(value, what) if n not in allowed]
    if unknown:
        names = ", ".join("{" + n + "}" for n in sorted(allowed))
        raise ValueError(
            f"{what}{excerpt(value)}: unknown field {excerpt('{' + unknown[0] + '}')}; "
            f"it may contain {names} (write '{{{{' and '}}}}' for braces that are text)"
        )
    return value


def _title_and_unit(value: str) -> str:
    fields = set(_fields(value))
    if "title" not in fields or not fields <= {"title", "unit"}:
        raise ValueError(
            f"{excerpt(value)} must contain {{title}} and may contain {{unit}}, "
            "nothing else in braces"
        )
    return value


def _approval(value: dict[str, str]) -> dict[str, str]:
    if "line" in value:
        _only(value["line"], APPROVAL_FIELDS, "line: ")
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
            f"{excerpt(value)}: '%{bad[0]}' is not a date directive this tool writes; use %d "
            "(day), %m (month), %Y or %y (year), %e, %j and %%"
        )
    return value


def fill(template: str, **values: str | int) -> str:
    """Return the wording format string ``template`` with its fields filled in.

    Only plain fields ("{level}") are filled, never an index, an attribute or a
    format: the wording is a project file, validated when it is read; a field
    that has no value here raises ValueError instead of reaching into anything.
    """
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            if name not in values:
                raise ValueError(f"the wording {excerpt(template)} has no value for {{{name}}}")
            out.append(str(values[name]))
    return "".join(out)


class Vocabulary(Model):
    """Headings and lead-ins that differ between officials and employees."""

    purpose: Text
    tasks: Text
    requirements: Text
    rights_intro: Text
    responsibilities_intro: Text


class ImporterWording(Model):
    """Words the importer reads documents by, beyond the document wording."""

    conjunctions: list[Text] = Field(
        description="Words after which a line-end hyphen is kept ('aja- ja tegevuskava')."
    )
    language: Text = Field(description="Stem of the word 'language' ('keel').")
    foreign_language: Text = Field(description="Stem of 'foreign language' ('võõrkeel').")
    preferably: Text = Field(description="The word introducing preferred languages.")
    headings: dict[str, list[Text]] = Field(
        default_factory=dict,
        description="Other headings of a standard section, by its key (tasks, rights …).",
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
    spreadsheet: dict[str, Text] = Field(
        description="Column headings of the CSV files (report.csv, list --format csv)."
    )
    vocabulary: dict[str, Vocabulary] = Field(min_length=1)
    importer: ImporterWording
    notice: NoticeWording
