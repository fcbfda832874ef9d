"""An agency's first day: a new project made from its documents, whole or not at all."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli.authoring.init import Initialized, check_folder, init_project, project_files
from ametijuhend_cli.errors import Message, OutputError, msg
from ametijuhend_cli.importer.bootstrap import Survey, apply_survey, survey
from ametijuhend_cli.importer.learn import Learnt, learn
from ametijuhend_cli.importer.run import Outcome, import_files
from ametijuhend_cli.messages import display_path, os_reason
from ametijuhend_cli.sources.paths import find_project

#: The folder a project is made in before it is moved into place (removed in any case).
STAGING_PREFIX = ".ametijuhend-init-"


@dataclass
class FirstDay:
    """What the first day made: the project's files, the survey, one outcome per document."""

    folder: Path
    made: Initialized
    #: files the survey changed (organization, library), where they are now
    changed: list[Path] = field(default_factory=list)
    survey: Survey = field(default_factory=Survey)
    outcomes: list[Outcome] = field(default_factory=list)
    #: the layout learnt from the documents (None: it was given with --layout)
    learnt: Learnt | None = None

    @property
    def done(self) -> bool:
        """Return whether the project was made: at least one document was imported."""
        return any(o.ok for o in self.outcomes)

    @property
    def refused(self) -> list[Outcome]:
        """Return the outcomes of the documents that could not be imported."""
        return [o for o in self.outcomes if not o.ok]


def _staging(folder: Path) -> Path:
    """Return a new empty folder to make the project in, beside or inside ``folder``."""
    base = folder if folder.is_dir() else folder.parent
    try:
        base.mkdir(parents=True, exist_ok=True)
        staging = base / f"{STAGING_PREFIX}{secrets.token_hex(4)}"
        staging.mkdir()
    except OSError as exc:
        raise OutputError(
            msg(
                "cannot make a folder in {path}: {reason}",
                path=display_path(base),
                reason=os_reason(exc),
            )
        ) from None
    return staging


def _move(staging: Path, folder: Path) -> None:
    """Move the project made in ``staging`` into ``folder``.

    A new folder is the staging folder renamed; into an existing one each file is
    moved on its own (each replaced whole: the old or the new file, never a part).
    """
    try:
        if not folder.exists():
            staging.rename(folder)
            return
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                target = folder / path.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
    except OSError as exc:
        raise OutputError(
            msg(
                "cannot move the new project into {path}: {reason}",
                path=display_path(folder),
                reason=os_reason(exc),
            )
        ) from None


def _moved(line: Message, old: str, new: str) -> Message:
    """Return the report line ``line`` with the path ``old`` among its values as ``new``."""
    args = tuple((name, new if value == old else value) for name, value in line.args)
    return Message(line.id, args, line.plural)


def first_day(
    folder: Path,
    agency: str,
    documents: Sequence[Path],
    *,
    ci: str,
    force: bool,
    suggest: bool,
    adopt: bool,
    today: dt.date,
    layout: str | None = None,
) -> FirstDay:
    """Return the first day of a project made in ``folder`` from ``documents``.

    The layout is learnt from the documents unless ``layout`` names one. The
    project is made in a staging folder and moved into ``folder`` only when at
    least one document was imported: then it holds every document that could be
    imported (``refused`` lists the others); otherwise nothing is left behind.
    """
    given = layout or "standard"
    files = project_files(agency, ci=ci, example=False, today=today, layout=given)
    check_folder(folder, files, force=force, keep=documents)
    staging = _staging(folder).resolve()

    def moved(path: Path) -> Path:
        return folder / path.resolve().relative_to(staging)

    try:
        made = init_project(staging, agency, ci=ci, example=False, today=today, layout=given)
        paths = find_project(staging)
        day = FirstDay(folder, made)
        day.survey = survey(paths, documents, shared_texts=suggest)
        if layout is None and day.survey.read:
            day.learnt = learn(paths, day.survey.read, agency)
            if day.learnt.path is not None:
                made.written.append(day.learnt.path)
        day.changed = apply_survey(paths, day.survey)
        paths = find_project(staging)  # its layout may be the one learnt
        layout_of = day.learnt.layout_of if day.learnt is not None else {}
        day.outcomes = import_files(paths, documents, adopt=adopt, layout_of=layout_of)
        if not day.done:
            return day
        written = [moved(p) for p in made.written]
        made.replaced = [p for p in written if p.exists()]
        made.written = [p for p in written if p not in made.replaced]
        made.folder = folder
        _move(staging, folder)
        day.changed = [moved(p) for p in day.changed]
        if day.learnt is not None and day.learnt.path is not None:
            old, new = display_path(day.learnt.path), display_path(moved(day.learnt.path))
            day.learnt.lines = [_moved(line, old, new) for line in day.learnt.lines]
        for outcome in day.outcomes:
            if outcome.target is not None:
                outcome.target = moved(outcome.target)
        return day
    finally:
        shutil.rmtree(staging, ignore_errors=True)
