"""Render a document view to DOCX, with every style taken from the reference document.

The reference document (templates/reference.docx) is read once (render/restyling.py):
styles are looked up as Word looks them up and the bullet numbering is taken from the
list styles. Its styles, numbering, settings, theme, fonts, headers and footers are
copied into every output; only the body and the document properties are written per
position, so an agency restyles its documents by editing that one file in Word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ametijuhend_cli.document.view import DocumentView, Field
from ametijuhend_cli.render.package import W_NS
from ametijuhend_cli.render.restyling import Reference, xml_text
from ametijuhend_cli.sources.files import MAX_DOCUMENT_BYTES
from ametijuhend_cli.sources.templates import TemplateSet

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class _Body:
    """Accumulates WordprocessingML for one document body."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.s = ref.styles
        self.out: list[str] = []
        self.last_was_table = False

    def run(self, text: str, style: str | None = None) -> str:
        rpr = f'<w:rPr><w:rStyle w:val="{self.s[style]}"/></w:rPr>' if style else ""
        return f'<w:r>{rpr}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'

    def para(self, style: str, *runs: str, text: str | None = None, keep: bool = False) -> str:
        """Return a paragraph; ``keep`` keeps it on the page of the next one."""
        content = "".join(runs) + (self.run(text) if text is not None else "")
        if style in ("bullet", "bullet2"):
            lst = self.ref.bullet if style == "bullet" else self.ref.bullet2
            ppr = (
                f'<w:pStyle w:val="{lst.style_id}"/>'
                + ("<w:keepNext/>" if keep else "")
                + f'<w:numPr><w:ilvl w:val="{lst.level}"/><w:numId w:val="{lst.num_id}"/>'
                "</w:numPr>"
            )
        else:
            keep = keep or style in self.ref.keep_next
            ppr = f'<w:pStyle w:val="{self.s[style]}"/>' + ("<w:keepNext/>" if keep else "")
        return f"<w:p><w:pPr>{ppr}</w:pPr>{content}</w:p>"

    def append(self, xml: str, *, table: bool = False) -> None:
        """Add a paragraph or table; two tables in a row are kept apart by an empty paragraph."""
        if table and self.last_was_table:
            # Word merges two adjacent tables into one
            self.out.append(self.para("normal"))
        self.out.append(xml)
        self.last_was_table = table

    def add(self, style: str, text: str, *, keep: bool = False) -> None:
        self.append(self.para(style, text=text, keep=keep))

    def keep_last(self) -> None:
        """Keep the last paragraph added on the page of what follows (a table: nothing)."""
        if self.out and self.out[-1].startswith("<w:p>") and "<w:keepNext/>" not in self.out[-1]:
            self.out[-1] = re.sub(
                r'(<w:pStyle w:val="[^"]*"/>)', r"\1<w:keepNext/>", self.out[-1], count=1
            )

    def extend(self, paragraphs: list[str]) -> None:
        for paragraph in paragraphs:
            self.append(paragraph)

    def bullets(self, items: list[str], style: str = "bullet") -> list[str]:
        return [self.para(style, text=item) for item in items]

    def table(
        self,
        shares: list[int],
        rows: list[tuple[list[list[str]], bool]],
        *,
        style: str = "table",
        first_row: bool = True,
        first_col: bool = False,
        width: int = 0,
    ) -> None:
        """Add a table; each row is (cells as lists of paragraphs, is_header_row)."""
        width = width or self.ref.text_width
        cols = [width * share // sum(shares) for share in shares]
        grid = "".join(f'<w:gridCol w:w="{c}"/>' for c in cols)
        # Word reads the conditional formats from the bitmask, LibreOffice from
        # the attributes: give both (0x20 first row, 0x80 first column, 0x200
        # and 0x400 no banding)
        mask = 0x600 | (0x20 if first_row else 0) | (0x80 if first_col else 0)
        look = (
            f'<w:tblLook w:val="{mask:04X}" w:firstRow="{int(first_row)}" w:lastRow="0" '
            f'w:firstColumn="{int(first_col)}" w:lastColumn="0" w:noHBand="1" '
            'w:noVBand="1"/>'
        )
        xml = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.s[style]}"/>'
            f'<w:tblW w:w="{sum(cols)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>{look}'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ]
        for cells, header in rows:
            # a header row repeats on every page; no row is split across a page break
            trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
            xml.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
            for col, paragraphs in zip(cols, cells, strict=True):
                xml.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{col}" w:type="dxa"/></w:tcPr>'
                    + ("".join(paragraphs) or self.para("table_text"))
                    + "</w:tc>"
                )
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.append("".join(xml), table=True)


def _field_rows(fields: list[Field], body: _Body) -> list[tuple[list[list[str]], bool]]:
    return [
        ([[body.para("table_heading", text=f.label)] for f in fields], True),
        ([[body.para("table_text", text=f.value)] for f in fields], False),
    ]


def _body(doc: DocumentView, ref: Reference) -> str:
    b = _Body(ref)
    for line in doc.annex:  # an annex of a directive: "Lisa 1" above everything
        b.add("approval", line)
    if doc.approval:
        b.append(b.para("approval", b.run(doc.approval[0], "strong")))
        b.add("approval", doc.approval[1])
    b.add("title", doc.wording.document_title)
    extras = {extra.section.key: extra.paragraphs for extra in doc.extra_sections}
    for section in doc.sections.values():
        b.add("heading", section.title)
        if section.key in _SECTIONS:
            _SECTIONS[section.key](doc, b)
        else:
            for paragraph in extras[section.key]:
                b.add("normal", paragraph)
    if doc.signatories:
        # whatever section ends the document, its last paragraph keeps with the
        # signatures: they never stand alone on a page
        b.keep_last()
    _signatures(doc, b)
    return "".join(b.out)


def _general(doc: DocumentView, b: _Body) -> None:
    for i, row in enumerate(doc.general):
        b.table([1] * len(row) if i else [2, 3], _field_rows(row, b))


def _purpose(doc: DocumentView, b: _Body) -> None:
    b.add("normal", doc.purpose)


def _tasks(doc: DocumentView, b: _Body) -> None:
    """Add the tasks table: each task with its paragraphs and parts, its results."""
    w = doc.wording
    rows = [
        (
            [
                [b.para("table_heading", text=w.tasks_table["task"])],
                [b.para("table_heading", text=w.tasks_table["results"])],
            ],
            True,
        )
    ]
    for task in doc.tasks:
        left = [b.para("table_text", text=f"{task.number} {task.text}")]
        left += [b.para("table_text", text=paragraph) for paragraph in task.details]
        left += b.bullets(task.subtasks, "bullet2")
        right = []
        for i, result in enumerate(task.results):
            right.append(b.para("bullet", text=result))
            right += b.bullets(task.sub_items(i), "bullet2")
        rows.append(([left, right], False))
    b.table([11, 9], rows)


def _rights(doc: DocumentView, b: _Body) -> None:
    b.add("lead_in", doc.vocabulary.rights_intro)
    b.extend(b.bullets(doc.rights))


def _responsibilities(doc: DocumentView, b: _Body) -> None:
    b.add("lead_in", doc.vocabulary.responsibilities_intro)
    b.extend(b.bullets(doc.responsibilities))


def _work_tools(doc: DocumentView, b: _Body) -> None:
    b.add("normal", doc.work_tools or "")


def _requirements(doc: DocumentView, b: _Body) -> None:
    """Add the requirements table and the competencies."""
    w = doc.wording
    b.table(
        [3, 7],
        [
            ([[b.para("table_heading", text=f.label)], [b.para("table_text", text=f.value)]], False)
            for f in doc.requirements
        ],
        first_row=False,
        first_col=True,
    )
    b.add("subheading", w.requirements["core_competencies"])
    for comp in doc.core_competencies:
        b.add("competency", comp.name + ":")
        b.extend(b.bullets(comp.indicators))
    if doc.competencies or doc.knowledge:
        b.add("subheading", w.requirements["competencies"])
        for comp in doc.competencies:
            b.append(b.para("bullet", b.run(comp.name + ":", "strong"), b.run(" " + comp.text)))
        b.extend(b.bullets(doc.knowledge))


def _amendment(doc: DocumentView, b: _Body) -> None:
    if len(doc.amendment) == 1:
        b.add("normal", doc.amendment[0])
    else:
        b.extend(b.bullets(doc.amendment))


#: What each standard section holds, by its key (the heading is added before).
_SECTIONS: dict[str, Callable[[DocumentView, _Body], None]] = {
    "general": _general,
    "purpose": _purpose,
    "tasks": _tasks,
    "rights": _rights,
    "responsibilities": _responsibilities,
    "work_tools": _work_tools,
    "requirements": _requirements,
    "amendment": _amendment,
}


def _signatures(doc: DocumentView, b: _Body) -> None:
    """Add the signature block: a heading line, then a column per signatory."""
    sig = doc.signatories
    if not sig:
        return
    if doc.signatures_heading:
        b.append(b.para("signature_heading", b.run(doc.signatures_heading, "strong")))
        lines = [[s.label for s in sig], [doc.signed] * len(sig)]
    else:
        # signatories who sign alone: the signing note opens the block
        b.add("signature_heading", doc.signed)
        lines = [[s.label for s in sig]]
    depth = max(len(s.title) for s in sig)
    lines += [[s.name for s in sig]]
    lines += [[s.title[i] if i < len(s.title) else "" for s in sig] for i in range(depth)]
    rows = [([[b.para("signature", text=t)] for t in line], False) for line in lines if any(line)]
    if not rows:  # no names: "(allkirjastatud digitaalselt)" is the whole block
        return
    # each column is half the text wide, so one signatory and two look alike
    b.table(
        [1] * len(sig),
        rows,
        style="signature_table",
        first_row=False,
        width=min(len(sig), 2) * b.ref.text_width // 2,
    )


def metadata_title(doc: DocumentView) -> str:
    """Return the title of the document properties ("Ametijuhend: Koordinaator (…)")."""
    return doc.wording.metadata_title.format(title=doc.title, unit=doc.unit)


def _core_xml(doc: DocumentView) -> bytes:
    date = ""
    if doc.date is not None:
        stamp = dt.datetime.combine(doc.date, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
        date = "".join(
            f'<dcterms:{k} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{k}>'
            for k in ("created", "modified")
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(metadata_title(doc))}</dc:title><dc:subject>{xml_text(doc.unit)}</dc:subject>"
        f"<dc:creator>{xml_text(doc.agency)}</dc:creator><dc:language>et-EE</dc:language>"
        f"{date}</cp:coreProperties>"
    ).encode()


def _app_xml(doc: DocumentView) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>ametijuhend</Application>'
        f"<Company>{xml_text(doc.agency)}</Company></Properties>"
    ).encode()


class DocxRenderer:
    """Render document views into DOCX packages styled by the reference document."""

    def __init__(self, templates: TemplateSet):
        path = templates.reference_docx()
        self.reference = Reference(path, templates.read(path, MAX_DOCUMENT_BYTES))

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
                "docProps/core.xml": _core_xml(doc),
                "docProps/app.xml": _app_xml(doc),
            }
        )
