"""The letter to an employee whose job description changed: Markdown for review, DOCX and PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.gitflow.changes import PositionChanges
from ametijuhend_cli.sources.paths import ProjectPaths
from ametijuhend_cli.sources.projectfile import NoticeSettings
from ametijuhend_cli.sources.wording import Wording


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
