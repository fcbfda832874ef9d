"""The schema of the optional project file ametijuhend.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ametijuhend_cli.models import Model
from ametijuhend_cli.sources.paths import DEFAULT_REVIEW_PERIOD, SCHEMAS_FOLDER
from ametijuhend_cli.texts import Slug


class DiffSettings(Model):
    """How `ametijuhend diff` judges a change (the `diff:` key of ametijuhend.yaml)."""

    fail_on: Literal["change", "consent"] = Field(
        "change",
        description="What makes `ametijuhend diff --exit-code` exit 1: any change of a job "
        "description (change), or only a change that may need the employee's consent "
        "(consent: the purpose, a main task, the number of tasks, the requirements or the "
        "employment type changed).",
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
