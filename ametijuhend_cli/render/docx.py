"""Render a document view to DOCX, with every style taken from the reference document.

The reference document (templates/reference.docx) is read once: styles are
looked up by their names (as Word and python-docx name them) and the bullet
numbering is taken from the list styles. Its parts (styles, numbering, headers, footers,
theme) are copied into every output unchanged; only the body and the document
properties are written per position, so an agency restyles its documents by
editing that one file in Word.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ametijuhend_cli.document.view import DocumentView, Field
from ametijuhend_cli.errors import Problem, TemplateError
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.render.package import W_NS, PackageWriter, read_package
from ametijuhend_cli.sources.templates import TemplateSet

#: Style names the renderer uses; each must exist in the reference document.
STYLE_NAMES = {
    "normal": "Normal",
    "title": "Title",
    "heading": "Heading 1",
    "subheading": "Heading 2",
    "competency": "Competency",
    "bullet": "List Bullet",
    "bullet2": "List Bullet 2",
    "table_heading": "Table Heading",
    "table_text": "Table Text",
    "approval": "Approval",
    "signature": "Signature",
    "strong": "Strong",
    "table": "Table Grid",
    "signature_table": "Signature Table",
}

_W = f"{{{W_NS}}}"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_GENERATED = ("word/document.xml", "docProps/core.xml", "docProps/app.xml")


@dataclass(frozen=True)
class _ListStyle:
    style_id: str
    num_id: str
    level: str


#: Characters XML 1.0 cannot hold. Validation refuses them in every source
#: text; they are removed here too, so that no text, however it was made,
#: can make a document that Word refuses to open.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _escape(value: str) -> str:
    # as xml.sax.saxutils.escape, which would import urllib, http and ssl with it
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: str) -> str:
    return _escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    """Return ``value`` escaped for a double-quoted attribute (ids from the reference)."""
    return _escape(_NOT_XML.sub("", value)).replace('"', "&quot;")


def _broken(path: Path, message: str, hint: str) -> TemplateError:
    """Return the error for a reference document that cannot be used."""
    problem = Problem(path=display_path(path), message=message, hint=hint)
    return TemplateError(str(problem), problem)


#: Names Word shows for built-in styles whose stored name differs (as python-docx maps them).
_STORED_NAMES = {
    "Caption": "caption",
    "Footer": "footer",
    "Header": "header",
    **{f"Heading {i}": f"heading {i}" for i in range(1, 10)},
}


#: Entities in a project's reference document are left as they are, never expanded.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class _Styles:
    """The styles of a reference document, found by name as Word shows it (or by id)."""

    def __init__(self, xml: bytes | None):
        self.by_name: dict[str, etree._Element] = {}
        self.by_id: dict[str, etree._Element] = {}
        if xml is None:  # no styles part: every style is missing
            return
        root = etree.fromstring(xml, _PARSER)
        for style in root.iterfind(f"{_W}style"):
            name = style.find(f"{_W}name")
            if name is not None:
                self.by_name.setdefault(name.get(f"{_W}val", ""), style)
            self.by_id.setdefault(style.get(f"{_W}styleId", ""), style)

    def get(self, name: str) -> etree._Element | None:
        """Return the style Word shows as ``name`` (a style id also finds it), or None."""
        found = self.by_name.get(_STORED_NAMES.get(name, name))
        return found if found is not None else self.by_id.get(name)


class _Reference:
    """What the renderer needs from the reference document, read once."""

    def __init__(self, path: Path):
        self.path = path
        try:
            parts = read_package(path.read_bytes())
            styles = _Styles(
                parts.get("word/styles.xml", b"<w:styles xmlns:w='%s'/>" % W_NS.encode())
            )
            body = etree.fromstring(parts["word/document.xml"]).find(f"{_W}body")
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            raise _broken(
                path,
                f"not a readable Word document ({exc})",
                "write a fresh one with 'ametijuhend reference-docx' and restyle it",
            ) from None
        self.styles: dict[str, str] = {}
        missing = []
        for key, name in STYLE_NAMES.items():
            style = styles.get(name)
            if style is None:
                missing.append(name)
            else:
                self.styles[key] = _attr(style.get(f"{_W}styleId", ""))
        if missing:
            raise _broken(
                path,
                "the reference document lacks the style(s) " + ", ".join(repr(m) for m in missing),
                "copy them from the built-in one ('ametijuhend reference-docx FILE' writes it)",
            )
        self.bullet = self._list_style(styles, "bullet")
        self.bullet2 = self._list_style(styles, "bullet2")
        sect = body.find(f"{_W}sectPr") if body is not None else None
        self.section = etree.tostring(sect, encoding="unicode") if sect is not None else ""
        self.text_width = _text_width(sect)
        self.package = PackageWriter(_static_parts(parts))

    def _list_style(self, styles: _Styles, key: str) -> _ListStyle:
        style = styles.get(STYLE_NAMES[key])
        assert style is not None  # every style was found
        num_pr = style.find(f"{_W}pPr/{_W}numPr")
        num_id = num_pr.find(f"{_W}numId") if num_pr is not None else None
        if num_pr is None or num_id is None:
            raise _broken(
                self.path,
                f"style '{STYLE_NAMES[key]}' has no list numbering",
                "give it a bullet list in Word (Format → Bullets)",
            )
        level = num_pr.find(f"{_W}ilvl")
        return _ListStyle(
            _attr(style.get(f"{_W}styleId", "")),
            _attr(num_id.get(f"{_W}val", "")),
            _attr(level.get(f"{_W}val", "0")) if level is not None else "0",
        )


def _text_width(sect: etree._Element | None) -> int:
    """Return the width between the margins in twentieths of a point."""
    default = 9354  # A4 with 2.5 cm and 2 cm margins
    size = sect.find(f"{_W}pgSz") if sect is not None else None
    margins = sect.find(f"{_W}pgMar") if sect is not None else None
    if size is None or margins is None:
        return default
    try:
        return (
            int(str(size.get(f"{_W}w")))
            - int(str(margins.get(f"{_W}left")))
            - int(str(margins.get(f"{_W}right")))
        )
    except ValueError:
        return default


def _static_parts(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Return the parts copied into every document, cleaned of machine details."""
    static = {name: data for name, data in parts.items() if name not in _GENERATED}
    # Word records the path of an attached template (with the user's folder) here.
    if "word/_rels/settings.xml.rels" in static:
        del static["word/_rels/settings.xml.rels"]
        settings = static.get("word/settings.xml", b"")
        static["word/settings.xml"] = re.sub(rb"<w:attachedTemplate[^>]*/>", b"", settings)
    types = etree.fromstring(static["[Content_Types].xml"])
    overrides = {o.get("PartName") for o in types.findall(f"{{{_CT_NS}}}Override")}
    for part, ctype in (
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
    ):
        if part not in overrides:
            etree.SubElement(types, f"{{{_CT_NS}}}Override", PartName=part, ContentType=ctype)
    static["[Content_Types].xml"] = etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    rels = etree.fromstring(static["_rels/.rels"])
    targets = {str(r.get("Target", "")).lstrip("/") for r in rels}
    for n, (target, rtype) in enumerate(
        (
            (
                "docProps/core.xml",
                "http://schemas.openxmlformats.org/package/2006/"
                "relationships/metadata/core-properties",
            ),
            ("docProps/app.xml", f"{_R_NS}/extended-properties"),
        )
    ):
        if target not in targets:
            etree.SubElement(
                rels, f"{{{_REL_NS}}}Relationship", Id=f"rIdAj{n}", Type=rtype, Target=target
            )
    static["_rels/.rels"] = etree.tostring(
        rels, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return static


class _Body:
    """Accumulates WordprocessingML for one document body."""

    def __init__(self, ref: _Reference):
        self.ref = ref
        self.s = ref.styles
        self.out: list[str] = []

    def run(self, text: str, style: str | None = None) -> str:
        rpr = f'<w:rPr><w:rStyle w:val="{self.s[style]}"/></w:rPr>' if style else ""
        return f'<w:r>{rpr}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'

    def para(self, style: str, *runs: str, text: str | None = None) -> str:
        content = "".join(runs) + (self.run(text) if text is not None else "")
        if style in ("bullet", "bullet2"):
            lst = self.ref.bullet if style == "bullet" else self.ref.bullet2
            ppr = (
                f'<w:pStyle w:val="{lst.style_id}"/><w:numPr><w:ilvl w:val="{lst.level}"/>'
                f'<w:numId w:val="{lst.num_id}"/></w:numPr>'
            )
        else:
            ppr = f'<w:pStyle w:val="{self.s[style]}"/>'
        return f"<w:p><w:pPr>{ppr}</w:pPr>{content}</w:p>"

    def add(self, style: str, text: str) -> None:
        self.out.append(self.para(style, text=text))

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
    ) -> None:
        """Add a table; each row is (cells as lists of paragraphs, is_header_row)."""
        width = self.ref.text_width
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
        self.out.append("".join(xml))
        # Word merges two adjacent tables; an empty paragraph keeps them apart
        self.out.append(self.para("normal"))


def _field_rows(fields: list[Field], body: _Body) -> list[tuple[list[list[str]], bool]]:
    return [
        ([[body.para("table_heading", text=f.label)] for f in fields], True),
        ([[body.para("table_text", text=f.value)] for f in fields], False),
    ]


def _body(doc: DocumentView, ref: _Reference) -> str:
    b = _Body(ref)
    w = doc.wording
    if doc.approval:
        b.out.append(b.para("approval", b.run(doc.approval[0], "strong")))
        b.add("approval", doc.approval[1])
    b.add("title", w.document_title)

    sec = doc.sections
    b.add("heading", sec["general"].title)
    for i, row in enumerate(doc.general):
        b.table([1] * len(row) if i else [2, 3], _field_rows(row, b))

    b.add("heading", sec["purpose"].title)
    b.add("normal", doc.purpose)

    b.add("heading", sec["tasks"].title)
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
        left += b.bullets(task.subtasks)
        rows.append(([left, b.bullets(task.results)], False))
    b.table([11, 9], rows)

    b.add("heading", sec["rights"].title)
    b.add("normal", doc.vocabulary.rights_intro)
    b.out += b.bullets(doc.rights)
    b.add("heading", sec["responsibilities"].title)
    b.add("normal", doc.vocabulary.responsibilities_intro)
    b.out += b.bullets(doc.responsibilities)
    if doc.work_tools is not None:
        b.add("heading", sec["work_tools"].title)
        b.add("normal", doc.work_tools)

    b.add("heading", sec["requirements"].title)
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
        b.out += b.bullets(comp.indicators)
    if doc.competencies or doc.knowledge:
        b.add("subheading", w.requirements["competencies"])
        for comp in doc.competencies:
            b.out.append(b.para("bullet", b.run(comp.name + ":", "strong"), b.run(" " + comp.text)))
        b.out += b.bullets(doc.knowledge)

    b.add("heading", sec["amendment"].title)
    if len(doc.amendment) == 1:
        b.add("normal", doc.amendment[0])
    else:
        b.out += b.bullets(doc.amendment)

    b.add("normal", "")  # room between the last clause and the signatures
    if doc.signatures_heading:
        b.out.append(b.para("signature", b.run(doc.signatures_heading, "strong")))
        b.add("signature", "")
        sig = doc.signatories
        lines = [
            [s.label for s in sig],
            [doc.signed] * len(sig),
            [s.name for s in sig],
            [s.title for s in sig],
        ]
        b.table(
            [1] * len(sig),
            [([[b.para("signature", text=t)] for t in line], False) for line in lines if any(line)],
            style="signature_table",
            first_row=False,
        )
    else:
        for s in doc.signatories:
            b.add("signature", doc.signed)
            b.add("signature", s.name)
            if s.title:
                b.add("signature", s.title)
    return "".join(b.out)


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
        f"<dc:title>{_text(doc.title)}</dc:title><dc:subject>{_text(doc.unit)}</dc:subject>"
        f"<dc:creator>{_text(doc.agency)}</dc:creator><dc:language>et-EE</dc:language>"
        f"{date}</cp:coreProperties>"
    ).encode()


def _app_xml(doc: DocumentView) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>ametijuhend</Application>'
        f"<Company>{_text(doc.agency)}</Company></Properties>"
    ).encode()


class DocxRenderer:
    """Render document views into DOCX packages styled by the reference document."""

    def __init__(self, templates: TemplateSet):
        self.reference = _Reference(templates.reference_docx())

    def document_xml(self, doc: DocumentView) -> bytes:
        """Return word/document.xml of ``doc``."""
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{_R_NS}"><w:body>'
            f"{_body(doc, self.reference)}{self.reference.section}</w:body></w:document>"
        ).encode()

    def render(self, doc: DocumentView) -> bytes:
        """Return the DOCX bytes of ``doc``."""
        return self.reference.package.write(
            {
                "word/document.xml": self.document_xml(doc),
                "docProps/core.xml": _core_xml(doc),
                "docProps/app.xml": _app_xml(doc),
            }
        )
