"""Render a document view to DOCX, with every style taken from the reference document.

The reference document (templates/reference.docx) is read once (render/restyling.py):
styles are looked up as Word looks them up and the bullet numbering is taken from the
list styles. Its styles, numbering, settings, theme, fonts, headers and footers are
copied into every output; only the body and the document properties are written per
position, so an agency restyles its documents by editing that one file in Word.
"""

from __future__ import annotations

from collections.abc import Callable

from ametijuhend_cli.document.view import DocumentView, ExtraSectionView, Field, TaskView
from ametijuhend_cli.fields import fill
from ametijuhend_cli.render.docxbody import Body
from ametijuhend_cli.render.package import W_NS
from ametijuhend_cli.render.restyling import (
    Reference,
    app_properties,
    core_properties,
    reference_of,
)
from ametijuhend_cli.sources.templates import TemplateSet

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _field_rows(fields: list[Field], body: Body) -> list[tuple[list[list[str]], bool]]:
    return [
        ([[body.para("table_heading", text=f.label)] for f in fields], True),
        ([[body.para("table_text", text=f.value)] for f in fields], False),
    ]


def _front(doc: DocumentView, b: Body) -> None:
    """Add the approval note, the banner, the title and the subtitle."""
    for line in doc.annex:  # an annex of a directive: "Lisa 1" above everything
        b.add("approval", line)
    for note in doc.approval_notes:
        if doc.annex and note.kind in ("annex", "label"):
            continue  # the directive's annex line stands for the layout's own
        if note.kind == "block":
            b.append(b.para("approval", b.run(note.lines[0], "strong")))
            for line in note.lines[1:]:
                b.add("approval", line)
        else:
            for line in note.lines:
                b.add("approval", line)
    for line in doc.banner:
        b.add("banner", line)
    b.add("title", doc.document_title)
    if doc.subtitle:
        b.add("subtitle", doc.subtitle)


def _body(doc: DocumentView, ref: Reference) -> str:
    b = Body(ref)
    _front(doc, b)
    extras = {extra.section.key: extra for extra in doc.extra_sections}
    for section in doc.sections.values():
        if section.run_in:
            b.run_in = section.title
        elif section.title:
            b.add("heading", section.title)
        if section.key in _SECTIONS:
            _SECTIONS[section.key](doc, b)
        elif section.key in doc.field_sections:
            b.add("normal", doc.field_sections[section.key])
        else:
            _extra(doc, b, extras[section.key])
    if doc.signatories or doc.acknowledgement:
        # whatever section ends the document, its last paragraph keeps with the
        # signatures: they never stand alone on a page
        b.keep_last()
    _signatures(doc, b)
    _acknowledgement(doc, b)
    return "".join(b.out)


def _extra(doc: DocumentView, b: Body, extra: ExtraSectionView) -> None:
    """Add the paragraphs of a section of the position's own, as the layout lists them."""
    if doc.layout.extra_sections.items == "bullets":
        b.extend(b.bullets(extra.paragraphs))
        return
    for item in extra.items:
        b.add("numbered" if item.number else "normal", item.text, number=item.number)


def _general(doc: DocumentView, b: Body) -> None:
    spec = doc.layout.general
    if spec.form == "paragraph":
        if doc.general_text:
            b.add("normal", doc.general_text)
    elif spec.form == "rows":
        for i, row in enumerate(doc.general):
            widths = spec.widths[i] if i < len(spec.widths) else []
            b.table(widths if len(widths) == len(row) else [1] * len(row), _field_rows(row, b))
    elif spec.form == "table":
        fields = [f for row in doc.general for f in row]
        three = spec.columns == 3
        widths = [1, 3, 6] if three else [3, 7]
        if spec.widths and len(spec.widths[0]) == len(widths):
            widths = spec.widths[0]
        rows = [
            (
                ([[b.para("table_text", text=f.number)]] if three else [])
                + [
                    [b.para("table_heading", text=f.name if three else f.label)],
                    [b.para("table_text", text=f.value)],
                ],
                False,
            )
            for f in fields
        ]
        if fields:
            b.table(widths, rows, first_row=False, first_col=not three)
    else:
        for row in doc.general:
            for f in row:
                b.add("normal", f.line)
    for paragraph in doc.general_paragraphs:
        b.add("normal", paragraph)


def _purpose(doc: DocumentView, b: Body) -> None:
    for point in doc.purpose_points:
        b.add("numbered" if point.number else "normal", point.text, number=point.number)


def _task_cells(doc: DocumentView, task: TaskView, b: Body) -> list[list[str]]:
    """Return the cells of a task's row, by the layout's columns."""
    columns = doc.layout.tasks.columns
    numbered = "number" in columns
    left = [b.para("table_text", text=task.text if numbered else task.heading)]
    left += [b.para("table_text", text=paragraph) for paragraph in task.details]
    # activities in a column of their own are its first-level list
    parts = _subtasks(task, b, "bullet" if "activities" in columns else "bullet2")
    if "activities" not in columns:
        left += parts
    cells = [[b.para("table_text", text=task.number)], left] if numbered else [left]
    for column in columns[len(cells) :]:
        if column == "activities":
            cells.append(parts)
        else:
            right = []
            for i, result in enumerate(task.results):
                right.append(b.para("bullet", text=result))
                right += b.bullets(task.sub_items(i), "bullet2")
            cells.append(right)
    return cells


def _subtasks(task: TaskView, b: Body, style: str = "bullet2") -> list[str]:
    if not any(task.subtask_numbers):
        return b.bullets(task.subtasks, style)
    return [
        b.para("numbered2", b.numbered_runs(number, part))
        for number, part in zip(task.subtask_numbers, task.subtasks, strict=True)
    ]


def _tasks(doc: DocumentView, b: Body) -> None:
    """Add the tasks: a table, a list or one paragraph, as the layout says."""
    spec = doc.layout.tasks
    if spec.form == "paragraph":
        b.add("normal", doc.tasks_text)
        return
    if spec.form == "list":
        _task_list(doc, b)
        return
    w = doc.wording
    rows = []
    if spec.header:
        heads = [[b.para("table_heading", text=w.tasks_table[c])] for c in spec.columns]
        rows.append((heads, True))
    for task in doc.tasks:
        if task.group:
            rows.append(([[b.para("table_heading", text=task.group)]], False))
        rows.append((_task_cells(doc, task, b), False))
    b.table(spec.column_widths(), rows, first_row=spec.header)


def _task_list(doc: DocumentView, b: Body) -> None:
    """Add the tasks as paragraphs: numbered or bulleted, results under each."""
    spec = doc.layout.tasks
    results = doc.wording.tasks_table["results"]
    for task in doc.tasks:
        if task.group:
            b.add("lead_in", task.group)
        if task.number:
            b.add("numbered", task.text, number=task.number)
        else:
            b.append(b.para("bullet", text=task.text))
        for paragraph in task.details:
            b.add("normal", paragraph)
        b.extend(_subtasks(task, b))
        label = f"{results}: " if spec.results_label else ""
        if task.results and spec.results == "paragraph":
            b.add("normal", label + " ".join(task.results))
        elif task.results:
            if spec.results_label:
                b.add("lead_in", f"{results}:")
            for i, result in enumerate(task.results):
                b.append(b.para("bullet", text=result))
                b.extend(b.bullets(task.sub_items(i), "bullet2"))


def _items(doc: DocumentView, b: Body, key: str) -> None:
    """Add the items of a list section as bullets, numbered paragraphs or paragraphs."""
    items = doc.list_items(key)
    form = getattr(doc.layout, key).items
    if form == "bullets" or (form == "auto" and len(items) > 1):
        b.extend(b.bullets([item.text for item in items]))
        return
    for item in items:
        b.add("numbered" if item.number else "normal", item.text, number=item.number)


def _rights(doc: DocumentView, b: Body) -> None:
    if doc.layout.rights.lead_in:
        b.add("lead_in", doc.vocabulary.rights_intro)
    _items(doc, b, "rights")


def _responsibilities(doc: DocumentView, b: Body) -> None:
    if doc.layout.responsibilities.lead_in:
        b.add("lead_in", doc.vocabulary.responsibilities_intro)
    _items(doc, b, "responsibilities")


def _work_tools(doc: DocumentView, b: Body) -> None:
    b.add("normal", doc.work_tools or "")


def _requirements(doc: DocumentView, b: Body) -> None:
    """Add the requirements (a table or lines) and the competencies."""
    spec = doc.layout.requirements
    if spec.form == "table" and doc.requirements:
        b.table(
            list(spec.widths),
            [
                (
                    [[b.para("table_heading", text=f.label)], [b.para("table_text", text=f.value)]],
                    False,
                )
                for f in doc.requirements
            ],
            first_row=False,
            first_col=True,
        )
    elif spec.form == "lines":
        for f in doc.requirements:
            b.add("normal", f.line)
    if doc.layout.section("competencies") is None:
        _competency_parts(doc, b)


def _competency_parts(doc: DocumentView, b: Body, *, own_section: bool = False) -> None:
    """Add the competencies: the core ones with their indicators, then the further ones.

    In a section of their own the section's heading stands for the first
    sub-heading (the further ones keep theirs after core competencies).
    """
    w = doc.wording
    if doc.core_competencies and not own_section:
        b.add("subheading", w.requirements["core_competencies"])
    for comp in doc.core_competencies:
        b.add("competency", comp.name + ":")
        b.extend(b.bullets(comp.indicators))
    if doc.competencies or doc.knowledge:
        if not own_section or doc.core_competencies:
            b.add("subheading", w.requirements["competencies"])
        for comp in doc.competencies:
            b.append(b.para("bullet", b.run(comp.name + ":", "strong"), b.run(" " + comp.text)))
        b.extend(b.bullets(doc.knowledge))


def _competencies(doc: DocumentView, b: Body) -> None:
    _competency_parts(doc, b, own_section=True)


def _amendment(doc: DocumentView, b: Body) -> None:
    _items(doc, b, "amendment")


#: What each standard section holds, by its key (the heading is added before).
_SECTIONS: dict[str, Callable[[DocumentView, Body], None]] = {
    "general": _general,
    "purpose": _purpose,
    "tasks": _tasks,
    "rights": _rights,
    "responsibilities": _responsibilities,
    "work_tools": _work_tools,
    "requirements": _requirements,
    "competencies": _competencies,
    "amendment": _amendment,
}


def _signatures(doc: DocumentView, b: Body) -> None:
    """Add the signature block: a heading line, then a column (or lines) per signatory.

    Where no heading line opens the block, its first line takes the heading's
    style (the space above it, kept with the rest).
    """
    sig = doc.signatories
    if not sig:
        return
    opened = bool(doc.signatures_heading)
    if opened:
        b.append(b.para("signature_heading", b.run(doc.signatures_heading, "strong")))
    if doc.layout.end.signatures_form == "lines":
        for s in sig:
            first = " ".join(part for part in (s.label, doc.signed) if part)
            for i, line in enumerate(line for line in (first, s.name, *s.title) if line):
                b.add("signature" if opened or i else "signature_heading", line)
        return
    lines: list[list[str]]
    if opened or any(s.label for s in sig):
        lines = [[s.label for s in sig], [doc.signed] * len(sig)]
    else:
        # signatories who sign alone: the signing note opens the block
        if doc.signed:
            b.add("signature_heading", doc.signed)
            opened = True
        lines = [[s.label for s in sig]]
    depth = max(len(s.title) for s in sig)
    lines += [[s.name for s in sig]]
    lines += [[s.title[i] if i < len(s.title) else "" for s in sig] for i in range(depth)]
    lines = [line for line in lines if any(line)]
    if not lines:  # no names: "(allkirjastatud digitaalselt)" is the whole block
        return
    rows = [
        (
            [[b.para("signature" if opened or i else "signature_heading", text=t)] for t in line],
            False,
        )
        for i, line in enumerate(lines)
    ]
    # each column is half the text wide, so one signatory and two look alike
    b.table(
        [1] * len(sig),
        rows,
        style="signature_table",
        first_row=False,
        width=min(len(sig), 2) * b.ref.text_width // 2,
    )


def _acknowledgement(doc: DocumentView, b: Body) -> None:
    """Add the employee's acknowledgement with a line to fill in for each of its fields."""
    if not doc.acknowledgement:
        return
    b.add("signature_heading", doc.acknowledgement)
    rows = [
        ([[b.para("signature", text=label + ":")], [b.para("signature", text="")]], False)
        for label in doc.acknowledgement_fields
    ]
    if rows:
        b.table([1, 3], rows, style="acknowledgement_table", first_row=False)


def metadata_title(doc: DocumentView) -> str:
    """Return the title of the document properties ("Ametijuhend: Koordinaator (…)")."""
    return fill(doc.wording.metadata_title, title=doc.title, unit=doc.unit)


class DocxRenderer:
    """Render document views into DOCX packages styled by the reference document."""

    def __init__(self, templates: TemplateSet):
        self.reference = reference_of(templates)

    def document_xml(self, doc: DocumentView) -> bytes:
        """Return word/document.xml of ``doc``."""
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{_R_NS}"><w:body>'
            f"{_body(doc, self.reference)}{self.reference.section}</w:body></w:document>"
        ).encode()

    def render(self, doc: DocumentView) -> bytes:
        """Return the DOCX bytes of ``doc``."""
        return self.package(doc, self.document_xml(doc))

    def package(self, doc: DocumentView, document_xml: bytes) -> bytes:
        """Return the DOCX of ``doc`` with ``document_xml`` as its body (e.g. a redline of it)."""
        return self.reference.package.write(
            {
                "word/document.xml": document_xml,
                "docProps/core.xml": core_properties(
                    metadata_title(doc), doc.agency, doc.date, subject=doc.unit
                ),
                "docProps/app.xml": app_properties(doc.agency),
            }
        )
