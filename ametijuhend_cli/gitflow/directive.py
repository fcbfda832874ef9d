"""The draft approval directive (käskkiri) and its annexes, ready for the document register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ametijuhend_cli.document.annex import annexed
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import AmetijuhendError, msg, with_hint
from ametijuhend_cli.gitflow.changes import ChangeReport
from ametijuhend_cli.gitflow.letters import Sender, sender, to_pdf
from ametijuhend_cli.gitflow.versions import DiffRequest, Version
from ametijuhend_cli.sources.paths import ProjectPaths
from ametijuhend_cli.sources.projectfile import DirectiveSettings
from ametijuhend_cli.sources.templates import TemplateSet

DIRECTIVE_TEMPLATE = "directive.md.j2"
#: The file names in the folder for the register: the directive first, then the annexes.
DIRECTIVE_NAME = "kaskkiri"
ANNEX_NAME = "lisa"


@dataclass(frozen=True)
class Annex:
    """A job description annexed to the directive."""

    number: int
    id: str
    title: str
    unit: str
    employee: str


@dataclass(frozen=True)
class Directive:
    """What the directive template reads (see directive.md.j2)."""

    agency: str
    date: str
    number: str
    basis: list[str]
    approver: Sender
    compiler: Sender
    notify: list[str]
    annexes: list[Annex] = field(default_factory=list)


def directive_settings(paths: ProjectPaths) -> DirectiveSettings:
    """Return the project's settings of the directive (the defaults where it has none)."""
    return DirectiveSettings.model_validate(paths.directive or {})


def _employee(view: DocumentView) -> str:
    label = view.wording.signatures.get("employee")
    return next((s.name for s in view.signatories if s.label == label), "")


def _names(count: int) -> list[str]:
    """Return the file name stems of the directive and ``count`` annexes, sorting in order."""
    width = max(2, len(str(count)))
    return [f"{0:0{width}d}-{DIRECTIVE_NAME}"] + [
        f"{n:0{width}d}-{ANNEX_NAME}-{n}" for n in range(1, count + 1)
    ]


def directive_documents(
    views: list[DocumentView],
    templates: TemplateSet,
    paths: ProjectPaths,
    *,
    authority: str,
    date: dt.date | None,
    number: str = "",
    formats: tuple[str, ...] = ("docx",),
) -> dict[str, bytes]:
    """Return the directive and its annexes (``views``, in order) by file name.

    The directive is ``00-kaskkiri``, annex n ``NN-lisa-n-<id>``: sorted by
    name they are in the register's order. Each annex is the job description
    with its label ("Lisa 1") above everything; ``authority`` is the approver
    in the genitive (organization.yaml's approval_authority) for the line
    under the label once the directive has a ``number``.
    """
    from ametijuhend_cli.gitflow.versions import render_template
    from ametijuhend_cli.render.docx import DocxRenderer
    from ametijuhend_cli.render.letter import LetterRenderer

    settings = directive_settings(paths)
    wording = templates.wording
    agency = views[0].agency if views else ""
    directive = Directive(
        agency,
        date.strftime(wording.date_format) if date is not None else "",
        number,
        list(settings.basis),
        sender(settings.approver),
        sender(settings.compiler),
        list(settings.notify),
        [Annex(n, v.id, v.title, v.unit, _employee(v)) for n, v in enumerate(views, start=1)],
    )
    markdown = render_template(templates, DIRECTIVE_TEMPLATE, directive=directive)
    stems = _names(len(views))
    out: dict[str, bytes] = {}
    if "md" in formats:
        out[f"{stems[0]}.md"] = markdown.encode("utf-8")
    docx: dict[str, bytes] = {
        f"{stems[0]}.docx": LetterRenderer(templates).render(markdown, creator=agency, date=date)
    }
    renderer = DocxRenderer(templates)
    for stem, view in zip(stems[1:], views, strict=True):
        annex = annexed(
            view, int(stem.rsplit("-", 1)[1]), by=authority, date=date, directive=number
        )
        docx[f"{stem}-{view.id}.docx"] = renderer.render(annex)
    if "docx" in formats:
        out.update(docx)
    if "pdf" in formats:
        out.update(to_pdf(docx))
    return dict(sorted(out.items()))


def _authority(version: Version) -> str:
    organization = version.project.organization
    return (organization.approval_authority or "") if organization is not None else ""


def run_directive(
    paths: ProjectPaths, request: DiffRequest, *, number: str, formats: tuple[str, ...]
) -> dict[str, bytes]:
    """Return the directive's files for the positions new or changed between the
    revisions of ``request``, or for the positions it names (changed or not)."""
    from ametijuhend_cli.gitflow.versions import compared

    files: dict[str, bytes] = {}

    def output(report: ChangeReport, old: Version, new: Version) -> bytes:
        del old
        wanted = [p for p in dict.fromkeys(report.requested) if p in new.views]
        if not wanted:
            wanted = [p.id for p in report.positions if p.status != "removed"]
        if not wanted:
            raise AmetijuhendError(
                with_hint(
                    msg("no job description is new or changed between these revisions"),
                    msg("name the positions to approve: ametijuhend directive -- ID ..."),
                )
            )
        files.update(
            directive_documents(
                [new.views[p] for p in wanted],
                new.templates,
                new.project.paths,
                authority=_authority(new),
                date=report.date,
                number=number,
                formats=formats,
            )
        )
        return b""

    with compared(paths, request) as comparison:
        comparison.render(output)
    return files
