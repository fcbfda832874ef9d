"""The letter to an employee whose job description changed: Markdown for review, DOCX and PDF."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ametijuhend_cli.errors import AmetijuhendError, msg, with_hint
from ametijuhend_cli.gitflow.changes import ChangeReport, PositionChanges
from ametijuhend_cli.sources.paths import ProjectPaths
from ametijuhend_cli.sources.projectfile import NoticeSettings
from ametijuhend_cli.sources.templates import TemplateSet
from ametijuhend_cli.sources.wording import Wording

if TYPE_CHECKING:
    from ametijuhend_cli.gitflow.versions import DiffRequest, Version


@dataclass(frozen=True)
class Sender:
    """Who sends (or signs) a document; each part may be empty."""

    name: str = ""
    title: str = ""
    office: str = ""


@dataclass(frozen=True)
class Letter:
    """The letter's own part: its date, the reply date, the sender and the contact line."""

    date: str = ""
    reply_by: str = ""
    sender: Sender = field(default_factory=Sender)
    contact: str = ""


def notice_settings(paths: ProjectPaths) -> NoticeSettings:
    """Return the project's settings of the letters (the defaults where it has none)."""
    return NoticeSettings.model_validate(paths.notice or {})


def sender(person: Any) -> Sender:
    """Return the sender of a Signatory of the project file."""
    return Sender(person.name or "", person.title or "", person.office or "")


def letter_for(pos: PositionChanges, settings: NoticeSettings, wording: Wording) -> Letter:
    """Return the letter part of the notice of ``pos`` (a reply date if consent may be needed)."""
    date = pos.date
    reply = ""
    if date is not None and pos.needs_consent:
        reply = (date + dt.timedelta(days=settings.reply_days)).strftime(wording.date_format)
    return Letter(
        date.strftime(wording.date_format) if date is not None else "",
        reply,
        sender(settings.sender),
        settings.contact or "",
    )


#: The formats `ametijuhend notice` writes: the letter for review, to send, to archive.
LETTER_FORMATS = ("md", "docx", "pdf")


def letter_documents(
    report: ChangeReport, templates: TemplateSet, paths: ProjectPaths, formats: tuple[str, ...]
) -> dict[str, bytes]:
    """Return the letters of the changed positions of ``report``, by file name.

    Each is ``teade-<id>`` with the suffix of its format: the Markdown of
    notice.md.j2, its DOCX in the reference document's styles, and the PDF
    LibreOffice makes of that DOCX.
    """
    from ametijuhend_cli.gitflow.versions import render_notice
    from ametijuhend_cli.render.letter import LetterRenderer

    renderer = LetterRenderer(templates)
    out: dict[str, bytes] = {}
    for pos in report.positions:
        name = f"teade-{pos.id}"
        markdown = render_notice(pos, templates, paths)
        if "md" in formats:
            out[f"{name}.md"] = markdown.encode("utf-8")
        if "docx" in formats or "pdf" in formats:
            out[f"{name}.docx"] = renderer.render(markdown, creator=pos.agency, date=pos.date)
    if "pdf" in formats:
        out.update(to_pdf({n: d for n, d in out.items() if n.endswith(".docx")}))
        if "docx" not in formats:
            out = {n: d for n, d in out.items() if not n.endswith(".docx")}
    return out


def to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    """Return the PDF LibreOffice makes of each DOCX, by file name (.pdf for .docx)."""
    from ametijuhend_cli.render.pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="ametijuhend-letters-") as tmp:
        folder = Path(tmp) / "docx"
        folder.mkdir()
        files = []
        for name, data in documents.items():
            (folder / name).write_bytes(data)
            files.append(folder / name)
        pdfs = convert_to_pdf(files, Path(tmp) / "pdf")
        return {p.name: p.read_bytes() for p in pdfs}


def run_notices(
    paths: ProjectPaths, request: DiffRequest, formats: tuple[str, ...]
) -> dict[str, bytes]:
    """Return the letters to the employees of the positions changed between two revisions."""
    from ametijuhend_cli.gitflow.versions import compared

    files: dict[str, bytes] = {}

    def output(report: ChangeReport, old: Version, new: Version) -> bytes:
        del old
        changed = [p for p in report.positions if p.status == "changed"]
        if any(p.date is None for p in changed):
            raise AmetijuhendError(
                with_hint(
                    msg("the working tree has no commit to date the letters by"),
                    msg("commit the change, or give --date YYYY-MM-DD"),
                )
            )
        report.positions = changed
        files.update(letter_documents(report, new.templates, new.project.paths, formats))
        return b""

    with compared(paths, request) as comparison:
        comparison.render(output)
    return files
