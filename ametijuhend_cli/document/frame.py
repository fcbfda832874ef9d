"""The frame of a document around its sections: approval note, banner, title, signatures."""

from __future__ import annotations

from collections.abc import Callable

from ametijuhend_cli.document.skeleton import banner_lines, fill
from ametijuhend_cli.document.view import ApprovalNote, DocumentView, Signatory
from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.fields import fill as fill_fields
from ametijuhend_cli.layout import Layout, annex_label
from ametijuhend_cli.models import Organization, Person, Position, Signer
from ametijuhend_cli.sources.wording import Wording
from ametijuhend_cli.sources.yamlsource import Loc

#: How the frame reports a problem of the position: (where, message, hint).
Report = Callable[[Loc, Message, Message], None]


def fill_front(
    view: DocumentView, pos: Position, layout: Layout, units: list[str], genitives: list[str]
) -> None:
    """Fill in the banner, the title and the subtitle of ``view`` (``units``: the names of the
    position's units, outermost first; ``genitives``: the same in the genitive)."""
    front = layout.front
    values = {
        "agency": view.agency,
        "unit": view.unit,
        "department": units[0] if units else "",
        "title": pos.title,
        "title_genitive": pos.title_genitive or pos.title,
        "position_number": pos.position_number or "",
        "document_title": view.wording.document_title,
        "subtitle": pos.subtitle or "",
    }
    view.banner = banner_lines(layout, values, units, genitives)
    title = fill(front.title, values) or view.wording.document_title
    if front.title_case == "upper":
        title = title.upper()
    elif front.title_case == "sentence":
        title = title[:1].upper() + title[1:]
    view.document_title = title
    if front.subtitle is not None:
        view.subtitle = fill(front.subtitle, values) or ""


def approval_notes(
    pos: Position,
    layout: Layout,
    name: str,
    wording: Wording,
    organization: Organization | None,
    report: Report,
) -> list[ApprovalNote]:
    """Return the approval notes, in the layout's order, as it prints them (none without one)."""
    notes = []
    for form in layout.approval_notes:
        lines = _approval_lines(form, pos, name, wording, organization, report)
        if lines:
            notes.append(ApprovalNote(form, lines))
    return notes


def _approval_lines(
    form: str,
    pos: Position,
    name: str,
    wording: Wording,
    organization: Organization | None,
    report: Report,
) -> list[str]:
    """Return the lines of one approval note (none where the position gives nothing for it)."""
    approval, annex = pos.approval, pos.annex
    if form == "label":
        return [annex_label(wording.approval["annex_label"], annex)] if annex else []
    if approval is None:
        return []
    if form == "annex" and annex is None:
        report(
            ("approval",),
            msg(
                "the layout '{name}' names the directive this is an annex of, "
                "and the position gives no annex number",
                name=name,
            ),
            msg("add 'annex: …' (its number among the directive's annexes)"),
        )
        return []
    by = approval.by or (organization.approval_authority if organization else "")
    if by is None:
        report(
            ("approval", "by"),
            msg("the approval block needs an approver"),
            msg("add 'by: …' here or approval_authority in organization.yaml"),
        )
        by = ""
    values = {
        "by": by,
        "date": approval.date.strftime(wording.date_format),
        "number": approval.number,
        "annex": annex or "",
        "directive": approval.directive or "",
    }
    if form == "annex":
        key = "annex_line" if approval.directive else "annex_line_untitled"
        return [fill_fields(wording.approval[key], **values)]
    line = fill_fields(wording.approval["line"], **values)
    return [line] if form == "line" else [wording.approval["heading"], line]


def signatures(pos: Position, layout: Layout, wording: Wording) -> tuple[str, list[Signatory]]:
    """Return the heading of the signature block and its signatories (none: no block)."""
    labels = wording.signatures
    sig = pos.signatures
    if sig is None or not layout.end.signatures:
        return "", []
    heading = labels["parties"] if layout.end.signatures_heading else ""
    if sig.unnamed:
        return "", [Signatory("", "", [])]
    if sig.approver is not None:
        return "", [_signatory("", sig.approver)]
    if sig.signers:
        return heading, [_signatory(s.label, s) for s in sig.signers]
    assert sig.employer is not None and sig.employee is not None
    return heading, [
        _signatory(labels["employer"], sig.employer),
        _signatory(labels["employee"], sig.employee),
    ]


def _signatory(label: str, person: Person | Signer) -> Signatory:
    title = person.title or []
    return Signatory(label, person.name or "", [title] if isinstance(title, str) else list(title))
