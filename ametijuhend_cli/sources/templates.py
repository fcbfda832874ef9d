"""Template folders: the search path, the wording file and the reference document."""

from __future__ import annotations

import importlib.resources
import string
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from ametijuhend_cli.errors import DataError, TemplateError
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.models import Model, PlainText, Text
from ametijuhend_cli.sources.validation import validate
from ametijuhend_cli.sources.yamlsource import load_file

WORDING_FILE = "wording.yaml"
MARKDOWN_TEMPLATE = "position.md.j2"
REFERENCE_DOCX = "reference.docx"


def builtin_dir() -> Path:
    """Return the folder of the templates that ship with the tool.

    In a source checkout (an editable install too) that is templates/ beside
    the package; installed from the wheel, ametijuhend_cli/templates/.
    """
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (
        checkout / "templates" / WORDING_FILE
    ).is_file():
        return checkout / "templates"
    return Path(str(importlib.resources.files("ametijuhend_cli") / "templates"))


def _title_and_unit(value: str) -> str:
    fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    if "title" not in fields or not fields <= {"title", "unit"}:
        raise ValueError(
            f"'{value}' must contain {{title}} and may contain {{unit}}, nothing else in braces"
        )
    return value


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


class Wording(Model):
    """The fixed wording of a document (templates/wording.yaml)."""

    document_title: Text
    approval: dict[str, Text]
    date_format: Text
    unit_separator: PlainText
    name_separator: PlainText
    position_with_unit: Annotated[Text, AfterValidator(_title_and_unit)]
    list_item_separator: PlainText
    list_end: PlainText
    headings: dict[str, Text]
    general: dict[str, Text]
    tasks_table: dict[str, Text]
    requirements: dict[str, Text]
    languages: dict[str, PlainText]
    signatures: dict[str, Text]
    vocabulary: dict[str, Vocabulary] = Field(min_length=1)
    importer: ImporterWording


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class TemplateSet:
    """The template search path: a project's own folder first, then the built-in one."""

    folders: tuple[Path, ...]

    @classmethod
    def for_project(cls, project_templates: Path | None) -> TemplateSet:
        """Return the search path for a project with an optional templates folder."""
        builtin = builtin_dir()
        folders = [builtin]
        if (
            project_templates is not None
            and project_templates.is_dir()
            and project_templates.resolve() != builtin.resolve()
        ):
            folders.insert(0, project_templates)
        return cls(tuple(folders))

    def find(self, name: str) -> Path:
        """Return the first file called ``name`` on the search path."""
        for folder in self.folders:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise TemplateError(
            f"template '{name}' not found in " + ", ".join(str(f) for f in self.folders)
        )

    def files(self, name: str) -> list[Path]:
        """Return every file called ``name`` on the search path, the overriding one first."""
        return [f / name for f in self.folders if (f / name).is_file()]

    @cached_property
    def wording(self) -> Wording:
        """Return the wording, a project's keys over the built-in ones."""
        merged: dict[str, Any] = {}
        smaps = []
        for path in reversed(self.files(WORDING_FILE)):
            display = display_path(path)
            data, smap = load_file(path, display)
            if data is None:  # an empty override changes nothing
                continue
            if not isinstance(data, dict):
                raise DataError([smap.problem((), "expected a mapping of wording keys")])
            merged = _merge(merged, data)
            smaps.append(smap)
        if not smaps:
            raise TemplateError(f"{WORDING_FILE} not found in the template folders")
        wording, problems = validate(Wording, merged, smaps[-1])
        if problems or wording is None:
            raise DataError(problems)
        return wording

    def reference_docx(self) -> Path:
        """Return the reference document that gives the DOCX its styles."""
        return self.find(REFERENCE_DOCX)
