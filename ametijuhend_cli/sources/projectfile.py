"""The schema of the optional project file ametijuhend.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ametijuhend_cli.models import Model
from ametijuhend_cli.sources.paths import DEFAULT_REVIEW_PERIOD, SCHEMAS_FOLDER
from ametijuhend_cli.texts import Slug, Text


class DiffSettings(Model):
    """How `ametijuhend diff` judges a change (the `diff:` key of ametijuhend.yaml)."""

    fail_on: Literal["change", "consent"] = Field(
        "change",
        description="What makes `ametijuhend diff --exit-code` exit 1: any change of a job "
        "description (change), or only a change that may need the employee's consent "
        "(consent: the purpose, a main task, the number of tasks, the requirements or the "
        "employment type changed).",
    )


class SpellingSettings(Model):
    """The spelling check of `ametijuhend validate` (the `spelling:` key of ametijuhend.yaml)."""

    check: bool = Field(
        False,
        description="validate checks the spelling of every Estonian text of the positions, the "
        "libraries and organization.yaml (needs the extra: pip install 'ametijuhend[keel]'); "
        "`validate --spelling` / `--no-spelling` decide for one run.",
    )
    words: str | None = Field(
        None,
        description="The project's word list: one accepted word a line (acronyms, names, project "
        "terms; '#' starts a comment); default: words.txt in the data folder.",
    )


class MessageSettings(Model):
    """The language of the tool's messages (the `messages:` key of ametijuhend.yaml)."""

    language: Literal["et", "en", "locale"] = Field(
        "locale",
        description="et (Estonian), en (English) or locale (default: from LANG, et_EE.UTF-8 is "
        "Estonian); the environment variable AMETIJUHEND_LANG overrides it.",
    )
    ci: Literal["et", "en"] | None = Field(
        None,
        description="The language in CI (when the variable CI is set), e.g. en for English CI "
        "logs; default: as language.",
    )


class VocabularySettings(Model):
    """The project's own names in the closed vocabularies (the `vocabulary:` key)."""

    languages: list[Text] = Field(
        default_factory=list,
        description="Languages besides the built-in list, as 'Valdab … keelt' needs them "
        "(e.g. 'võro').",
    )
    education: list[Text] = Field(
        default_factory=list,
        description="Education levels besides those the law names (põhiharidus, keskharidus, "
        "kutseharidus, kõrgharidus and the degrees), e.g. 'keskeriharidus'.",
    )


class Signatory(Model):
    """A person who signs or sends a document: name, title, office."""

    name: Text | None = Field(None, description="Full name.")
    title: Text | None = Field(None, description="Job title, e.g. 'personalijuht'.")
    office: Text | None = Field(
        None, description="Structural unit or office, e.g. 'Personaliosakond'."
    )


class NoticeSettings(Model):
    """The letters of `ametijuhend notice` (the `notice:` key of ametijuhend.yaml)."""

    sender: Signatory = Field(
        default_factory=Signatory,  # type: ignore[arg-type]
        description="Who sends the letters (the HR office): name, title, office.",
    )
    contact: Text | None = Field(
        None, description="The contact line of a letter, e.g. 'Mari Mets, 5555 5555, …'."
    )
    reply_days: int = Field(
        14,
        ge=1,
        le=365,
        description="Days from the letter's date to the reply date asked for where the "
        "change may need the employee's consent.",
    )


class DirectiveSettings(Model):
    """The approval directive of `ametijuhend directive` (the `directive:` key)."""

    basis: list[Text] = Field(
        default_factory=list,
        description="The legal basis, each in the genitive as it reads before 'alusel', e.g. "
        "['avaliku teenistuse seaduse § 52 lõike 1', 'Sotsiaalkindlustusameti põhimääruse "
        "§ 12 lõike 1 punkti 3'].",
    )
    approver: Signatory = Field(
        default_factory=Signatory,  # type: ignore[arg-type]
        description="Who signs the directive (the head of the agency): name and title.",
    )
    compiler: Signatory = Field(
        default_factory=Signatory,  # type: ignore[arg-type]
        description="Who compiled the directive (koostaja): name, title, office.",
    )
    notify: list[Text] = Field(
        default_factory=list,
        description="Further people or units the directive is made known to "
        "(Teatavaks teha), after the employees concerned.",
    )


class ProjectFile(Model):
    """The optional project file ametijuhend.yaml (paths relative to it)."""

    data: str = Field("data", description="Folder with organization.yaml, library/ and positions/.")
    out: str = Field("out", description="Folder the documents are written to.")
    templates: str = Field(
        "templates", description="Folder with the project's own templates (searched first)."
    )
    schemas: str = Field(
        SCHEMAS_FOLDER,
        description="Folder `ametijuhend schema` writes the JSON Schemas to, for editors.",
    )
    formats: list[Literal["md", "docx", "pdf"]] | None = Field(
        None,
        min_length=1,
        description="Formats `ametijuhend build` writes when --format is not given "
        "(default: md and docx).",
    )
    review_period_months: int = Field(
        DEFAULT_REVIEW_PERIOD,
        ge=1,
        le=120,
        description="How often a job description is reviewed, in months (default 12).",
    )
    layout: Slug = Field(
        "standard",
        description="The layout of the documents (templates/layouts/<name>.yaml, the "
        "project's own or a built-in one: `ametijuhend init --help` lists them); a "
        "position may name another.",
    )
    diff: DiffSettings = Field(
        default_factory=DiffSettings,  # type: ignore[arg-type]
        description="Settings of `ametijuhend diff`.",
    )
    spelling: SpellingSettings = Field(
        default_factory=SpellingSettings,  # type: ignore[arg-type]
        description="The spelling check of `ametijuhend validate`.",
    )
    vocabulary: VocabularySettings = Field(
        default_factory=VocabularySettings,
        description="The project's own languages and education levels, added to the built-in "
        "lists that validate checks against.",
    )
    messages: MessageSettings = Field(
        default_factory=MessageSettings,  # type: ignore[arg-type]
        description="The language of the tool's messages (not of the documents).",
    )
    notice: NoticeSettings | None = Field(
        None, description="The letters of `ametijuhend notice`: sender, contact, reply days."
    )
    directive: DirectiveSettings | None = Field(
        None,
        description="The approval directive of `ametijuhend directive`: legal basis, approver, "
        "compiler.",
    )
