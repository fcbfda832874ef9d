"""Back from signing: which position and revision each job description in a signed container is."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli.document.annex import annexed
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import AmetijuhendError, Message, msg, verbatim
from ametijuhend_cli.gitflow.revisions import GitError, commit_date, repository_root
from ametijuhend_cli.gitflow.versions import Version, load_version
from ametijuhend_cli.sources.asice import Container, Signature
from ametijuhend_cli.sources.paths import ProjectPaths

#: How many commits back a signed document is looked for.
MAX_REVISIONS = 30
#: Lines of difference shown for a document that matches no revision.
MAX_DIFF_LINES = 40
#: "01-lisa-1-teenusejuht-kov.docx" (ametijuhend directive), "teenusejuht-kov.docx" (build).
_ANNEX = re.compile(r"^\d+-lisa-(\d+)-(.+)$")


@dataclass
class Match:
    """What one file of a container is: the position, the revision it was built from."""

    file: str
    position: str = ""
    #: the commit (None: the working tree) whose sources build exactly this file
    revision: str | None = None
    date: dt.date | None = None
    identical: bool = False
    #: how it differs from what the sources build now (when identical at no revision)
    differences: list[Message] = field(default_factory=list)
    #: why it was not compared
    note: Message | None = None


@dataclass
class SignedReport:
    """A container's signatures and what each job description in it is."""

    signatures: list[Signature]
    matches: list[Match]

    @property
    def stale(self) -> list[Match]:
        """Return the job descriptions that no longer match the sources."""
        return [m for m in self.matches if m.position and not m.identical]


def _candidate(name: str) -> tuple[str, int]:
    """Return the position id and annex number (0: none) a file name suggests."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    found = _ANNEX.match(stem)
    return (found.group(2), int(found.group(1))) if found else (stem, 0)


class _Versions:
    """The versions of the sources, loaded once each: the working tree, then commits back."""

    def __init__(self, paths: ProjectPaths, tmp: Path, depth: int):
        self.paths = paths
        self.tmp = tmp
        self.loaded: dict[str | None, Version] = {}
        try:
            self.root: Path | None = repository_root(paths.root)
        except GitError:
            self.root = None
        self.depth = depth

    def revisions(self) -> Iterator[str | None]:
        yield None
        if self.root is None:
            return
        from ametijuhend_cli.gitflow.revisions import history

        sub = self.paths.root.resolve().relative_to(self.root.resolve()).as_posix()
        yield from history(self.root, sub, self.depth)

    def get(self, rev: str | None) -> Version | None:
        if rev not in self.loaded:
            assert rev is None or self.root is not None
            try:
                root = self.root or self.paths.root
                folder = self.tmp / (rev or "work")
                self.loaded[rev] = load_version(self.paths, root, rev, folder)
            except AmetijuhendError:  # a revision with broken sources builds nothing
                return None
        return self.loaded[rev]

    def date(self, rev: str | None) -> dt.date | None:
        return commit_date(self.root, rev) if rev is not None and self.root else None


def _builds(
    version: Version, view: DocumentView, annex: int, date: dt.date | None, number: str
) -> Iterator[bytes]:
    """Yield the DOCX files the tool makes of a position: built, or as an annex."""
    from ametijuhend_cli.render.docx import DocxRenderer

    renderer = DocxRenderer(version.templates)
    yield renderer.render(view)
    if annex:
        organization = version.project.organization
        by = (organization.approval_authority or "") if organization is not None else ""
        yield renderer.render(annexed(view, annex))
        if number:
            yield renderer.render(annexed(view, annex, by=by, date=date, directive=number))


def _differences(signed: bytes, built: bytes) -> list[Message]:
    from ametijuhend_cli.gitflow.textconv import docx_to_text

    try:
        before = docx_to_text(signed).splitlines()
    except AmetijuhendError as exc:
        return [msg("the signed file is no readable Word document: {reason}", reason=exc.message)]
    after = docx_to_text(built).splitlines()
    lines = [
        line
        for line in difflib.unified_diff(before, after, "signed", "sources", n=0, lineterm="")
        if not line.startswith(("---", "+++", "@@"))
    ]
    shown = lines[:MAX_DIFF_LINES] + (["…"] if len(lines) > MAX_DIFF_LINES else [])
    return [verbatim(line) for line in shown]  # the documents' own lines


def _match(name: str, data: bytes, versions: _Versions, number: str, latest: bool) -> Match:
    match = Match(name)
    if not name.lower().endswith(".docx"):
        match.note = msg("not a Word document: not compared")
        return match
    pid, annex = _candidate(name)
    current = versions.get(None)
    if current is None or pid not in current.views:
        match.note = msg("names no position of the project")
        return match
    match.position = pid
    for rev in [None] if latest else versions.revisions():
        version = versions.get(rev)
        if version is None or pid not in version.views:
            continue
        date = versions.date(rev)
        if any(
            built == data for built in _builds(version, version.views[pid], annex, date, number)
        ):
            match.revision, match.date, match.identical = rev, date, True
            return match
    built = next(_builds(current, current.views[pid], annex, None, ""))
    match.differences = _differences(data, built)
    return match


def check_container(
    paths: ProjectPaths,
    container: Container,
    *,
    number: str = "",
    depth: int = MAX_REVISIONS,
    latest: bool = False,
) -> SignedReport:
    """Return the signatures of a container and what each job description in it is.

    Each Word document is looked for in the working tree and then in the last
    ``depth`` commits (``latest``: in the working tree only, as CI asks
    whether it is still current): built as is, or as the annex its name says
    ("01-lisa-1-<id>.docx"; with ``number``, also with the directive's line).
    """
    with tempfile.TemporaryDirectory(prefix="ametijuhend-signed-") as tmp:
        versions = _Versions(paths, Path(tmp), depth)
        matches = [
            _match(name, blob, versions, number, latest)
            for name, blob in sorted(container.files.items())
        ]
    return SignedReport(container.signatures, matches)


def record_approval(paths: ProjectPaths, report: SignedReport, number: str) -> list[Path]:
    """Write the approval (date signed, directive number, signer) into each matched position.

    Returns the position files written.
    """
    from ametijuhend_cli.gitflow.approval import set_approval

    signed = [s for s in report.signatures if s.valid and s.signing_time is not None]
    if not signed:
        raise AmetijuhendError(msg("no valid signature with a signing time: nothing to record"))
    last = max(signed, key=lambda s: s.signing_time or dt.datetime.min)
    assert last.signing_time is not None
    day = _local_date(last.signing_time)
    names = ", ".join(dict.fromkeys(s.signer for s in signed))
    written = []
    for match in report.matches:
        if match.position and match.identical:
            written.append(set_approval(paths, match.position, day, number, names))
    return written


def _local_date(moment: dt.datetime) -> dt.date:
    """Return the day of ``moment`` in Estonia (UTC where the time zone data is missing)."""
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Tallinn")).date()
    except (ImportError, KeyError, ValueError):  # no time zone data (Windows without tzdata)
        return moment.astimezone(dt.timezone.utc).date()
