"""Compare two versions of the sources: which revisions and positions, then load and render."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ametijuhend_cli.building.scratch import remove_dead_scratch, scratch_folder
from ametijuhend_cli.checking.engine import checked_project
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import (
    AmetijuhendError,
    DataError,
    Message,
    ProjectNotFoundError,
    UnknownPositionError,
    joined,
    msg,
    verbatim,
    with_hint,
)
from ametijuhend_cli.gitflow.changes import ChangeReport, PositionChanges, compare
from ametijuhend_cli.gitflow.revisions import (
    UNSHALLOW_HINT,
    GitError,
    check_revision,
    commit_date,
    export,
    has_commits,
    is_shallow,
    no_commits_message,
    ref_names,
    repository_root,
    resolve,
)
from ametijuhend_cli.messages import maybe_meant
from ametijuhend_cli.sources.paths import ProjectPaths, find_project
from ametijuhend_cli.sources.project import Project
from ametijuhend_cli.sources.templates import TemplateSet

NOTICE_TEMPLATE = "notice.md.j2"
HR_TEMPLATE = "changes.md.j2"


@dataclass
class DiffRequest:
    """What to compare: ``args`` before ``--`` (revisions, then ids unless separated)."""

    args: list[str]
    ids: list[str] = field(default_factory=list)
    separated: bool = False
    #: the date of the new version, when the sources do not give it
    date: dt.date | None = None


@dataclass
class Plan:
    """The revisions (None: the working tree) and the position ids to compare."""

    old: str
    new: str | None
    ids: list[str]
    #: the ids that came without '--' (they may be misspelt revisions)
    loose: bool


@dataclass
class Version:
    """One loaded version of the sources."""

    project: Project
    views: dict[str, DocumentView]
    templates: TemplateSet


def plan(root: Path, request: DiffRequest) -> Plan:
    """Return what to compare; raise GitError for a revision that names no commit."""
    if not has_commits(root):
        raise GitError(
            no_commits_message(root), hint=msg("commit the sources first (git add, git commit)")
        )
    revisions: list[str] = []
    rest = list(request.args)
    if request.separated:
        if len(rest) > 2:
            raise GitError(
                msg("at most two revisions come before '--', got {n}", n=len(rest)),
                hint=msg("write position ids after '--': ametijuhend diff REV1 REV2 -- ID ..."),
            )
        revisions = [r for r in rest if check_revision(root, r)]
        rest = []
    else:
        while rest and len(revisions) < 2 and resolve(root, rest[0]) is not None:
            revisions.append(rest.pop(0))
    old = revisions[0] if revisions else "HEAD"
    new = revisions[1] if len(revisions) > 1 else None
    return Plan(old, new, rest + list(request.ids), not request.separated and bool(rest))


def _unknown_ids(root: Path, wanted: Plan, known: set[str]) -> None:
    unknown = [i for i in dict.fromkeys(wanted.ids) if i not in known]
    if not unknown:
        return
    revisions = [i for i in unknown if wanted.loose and resolve(root, i) is not None]
    lines: list[Message] = []
    for pid in unknown:
        if pid in revisions:
            continue
        if wanted.loose:
            said = msg("{name} is neither a revision nor a position id", name=f"'{pid}'")
            lines.append(maybe_meant(said, pid, sorted(known) + ref_names(root)))
        else:
            said = msg("unknown position id {name}", name=f"'{pid}'")
            lines.append(maybe_meant(said, pid, sorted(known)))
    if not lines:  # a revision after an id, e.g. "diff teenusejuht-kov HEAD"
        lines = [
            msg("{name} is a revision, but revisions come before position ids", name=f"'{pid}'")
            for pid in revisions
        ]
    hint = msg("position ids are the file names in data/positions/")
    if any(pid.startswith("-") for pid in unknown):
        hint = msg("options go before '--'; after it every argument is a position id")
    elif wanted.loose and is_shallow(root):
        hint = msg(
            "this is a shallow clone, so a revision may be missing: {hint}", hint=UNSHALLOW_HINT
        )
    raise UnknownPositionError(with_hint(joined(lines, "\n"), hint))


def _relocate(paths: ProjectPaths, folder: Path) -> Path:
    """Return where the data folder of ``paths`` is in an exported copy at ``folder``."""
    try:
        return folder / paths.data.resolve().relative_to(paths.root.resolve())
    except ValueError:
        return folder / "data"


def load_version(paths: ProjectPaths, root: Path, rev: str | None, tmp: Path) -> Version:
    """Return the sources at ``rev`` (None: the working tree) loaded; ``tmp`` holds a copy."""
    version_paths = paths
    if rev is not None:
        sub = paths.root.resolve().relative_to(root.resolve()).as_posix()
        folder = export(root, check_revision(root, rev), sub, tmp)
        try:
            version_paths = find_project(folder)
        except ProjectNotFoundError:
            version_paths = find_project(folder, _relocate(paths, folder))
    try:
        checked = checked_project(version_paths, views=True)
    except DataError as exc:
        said = (
            msg("the sources at {revision} have problems", revision=rev)
            if rev
            else msg("the sources at the working tree have problems")
        )
        raise DataError(exc.problems, note=said) from None
    return Version(checked.project, checked.views, checked.templates)


def render_template(templates: TemplateSet, name: str, **values: Any) -> str:
    """Return a Markdown template of the change notices rendered, blank lines tidied."""
    from ametijuhend_cli.render import markdown

    return markdown.render_template(
        templates, name, msg("while writing the changes"), w=templates.wording, **values
    )


def render_hr(report: ChangeReport, templates: TemplateSet) -> str:
    """Return the internal overview (positions, library entries, consent) as Markdown."""
    return render_template(templates, HR_TEMPLATE, report=report)


def render_notice(pos: PositionChanges, templates: TemplateSet, paths: ProjectPaths) -> str:
    """Return the letter to the employee of one changed position, as Markdown."""
    from ametijuhend_cli.gitflow.letters import letter_for, notice_settings

    letter = letter_for(pos, notice_settings(paths), templates.wording)
    return render_template(templates, NOTICE_TEMPLATE, pos=pos, letter=letter)


def render_notices(report: ChangeReport, templates: TemplateSet, paths: ProjectPaths) -> str:
    """Return a notice to the employee of each changed position, as Markdown."""
    if not report.positions:
        return render_template(templates, NOTICE_TEMPLATE, pos=None)
    letters = [render_notice(p, templates, paths) for p in report.positions]
    return "\n---\n\n".join(letters)


def notice_output(report: ChangeReport, old: Version, new: Version) -> bytes:
    """Return the notices to employees (Markdown), in the new version's templates and settings."""
    return render_notices(report, new.templates, new.project.paths).encode("utf-8")


def hr_output(report: ChangeReport, old: Version, new: Version) -> bytes:
    """Return the internal overview for HR (Markdown), in the new version's templates."""
    return render_hr(report, new.templates).encode("utf-8")


#: How a comparison is written out: the notices, the overview, the redline DOCX.
Renderer = Callable[[ChangeReport, Version, Version], bytes]


@dataclass
class Comparison:
    """Two versions of the sources and what changed between them."""

    report: ChangeReport
    old: Version
    new: Version

    def render(self, output: Renderer) -> bytes:
        """Return the comparison written out by ``output``."""
        return output(self.report, self.old, self.new)


@contextlib.contextmanager
def compared(paths: ProjectPaths, request: DiffRequest) -> Iterator[Comparison]:
    """Yield the comparison ``request`` names, its versions loaded (their files, exported
    from git, are there until the block ends: render inside it).

    Raises GitError, UnknownPositionError or DataError.
    """
    root = repository_root(paths.root)
    wanted = plan(root, request)
    # the copies of the sources live in a scratch folder with the process's id in it, so
    # that one a SIGKILL left behind is removed by the next diff or build
    remove_dead_scratch()
    with scratch_folder() as tmp:
        old = load_version(paths, root, wanted.old, tmp / "old")
        new = load_version(paths, root, wanted.new, tmp / "new")
        _unknown_ids(root, wanted, set(old.views) | set(new.views))
        report = compare(
            (old.project, old.views),
            (new.project, new.views),
            (wanted.old, wanted.new or ""),
            wanted.ids or None,
        )
        when = request.date
        if when is None and wanted.new is not None:
            # the letter and the redline are dated by the new version's commit
            when = commit_date(root, check_revision(root, wanted.new))
        if when is not None:
            report.positions = [replace(p, date=when) for p in report.positions]
        report.requested = list(wanted.ids)
        report.date = when
        yield Comparison(report, old, new)


def redline_output(report: ChangeReport, old: Version, new: Version) -> bytes:
    """Return the redline DOCX of the one changed position of ``report``."""
    from ametijuhend_cli.render.redline import RedlineRenderer

    pos = _single(report)
    when = pos.date
    if when is None:
        raise AmetijuhendError(
            with_hint(
                msg("the new version of {position} has no date", position=pos.id),
                msg("record 'reviewed:' or 'approval:' in the position, or give --date YYYY-MM-DD"),
            )
        )
    renderer = RedlineRenderer(new.templates, author=pos.agency or pos.title, date=when)
    return renderer.render(old.views[pos.id], new.views[pos.id])


def _single(report: ChangeReport) -> PositionChanges:
    changed = [p for p in report.positions if p.status == "changed"]
    if len(changed) != 1 or len(report.positions) != 1:
        ids = ", ".join(p.id for p in report.positions)
        found = verbatim(ids) if ids else msg("none")
        raise AmetijuhendError(
            with_hint(
                msg(
                    "--format docx writes the document of one changed position; changed: {found}",
                    found=found,
                ),
                msg("give its id: ametijuhend diff REV1 REV2 ID --format docx"),
            )
        )
    return changed[0]
