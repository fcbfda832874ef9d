"""Read the reference document: styles found as Word finds them, the parts documents take."""

from __future__ import annotations

import copy
import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ametijuhend_cli.errors import Message, Problem, Severity, TemplateError, msg
from ametijuhend_cli.memo import Memo
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.render.allowlist import MAIN, Removed, clean_element, take
from ametijuhend_cli.render.package import W_NS, PackageWriter, read_package
from ametijuhend_cli.sources.files import MAX_DOCUMENT_BYTES
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

#: Styles younger than some reference documents: where one is missing, the
#: second style stands in for it (keeping with the next paragraph directly
#: where the third item says so).
OPTIONAL_STYLES = {
    "lead_in": ("Lead-in", "normal", True),
    "signature_heading": ("Signature Heading", "signature", True),
    # the layouts of other agencies (templates/layouts/)
    "banner": ("Banner", "title", True),
    "subtitle": ("Subtitle", "title", True),
    "numbered": ("Numbered Paragraph", "normal", False),
    "numbered2": ("Numbered Paragraph 2", "numbered", False),
    "acknowledgement_table": ("Acknowledgement Table", "signature_table", False),
}

#: The kind of each style that is not a paragraph style.
_KINDS = {
    "strong": "character",
    "table": "table",
    "signature_table": "table",
    "acknowledgement_table": "table",
}

_W = f"{{{W_NS}}}"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_WML_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_GENERATED = ("word/document.xml", "docProps/core.xml", "docProps/app.xml")
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
#: Elements of the settings that record the machine, the author or other files.
_SETTINGS_DROPPED = (
    f"{{{W_NS}}}rsids",
    f"{{{W_NS}}}attachedTemplate",
    f"{{{W_NS}}}docVars",
    f"{{{W_NS}}}mailMerge",
    f"{{{W_NS}}}footnotePr",
    f"{{{W_NS}}}endnotePr",
    f"{{{W_NS}}}writeProtection",
    f"{{{W_NS}}}documentProtection",
    f"{{{_W14}}}docId",
    f"{{{_W15}}}docId",
    f"{{{_W15}}}chartTrackingRefBased",
)


@dataclass(frozen=True)
class ListStyle:
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


def xml_text(value: str) -> str:
    """Return ``value`` escaped for element content, without characters XML cannot hold."""
    return _escape(_NOT_XML.sub("", value))


def core_properties(
    title: str, creator: str, date: dt.date | None, subject: str | None = None
) -> bytes:
    """Return docProps/core.xml of a generated document: its title, subject, creator, date.

    The date (created and modified alike) is the document's own, never the clock's:
    two builds of the same sources are byte-identical.
    """
    stamp = ""
    if date is not None:
        moment = dt.datetime.combine(date, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
        stamp = "".join(
            f'<dcterms:{k} xsi:type="dcterms:W3CDTF">{moment}</dcterms:{k}>'
            for k in ("created", "modified")
        )
    about = f"<dc:subject>{xml_text(subject)}</dc:subject>" if subject is not None else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title>{about}<dc:creator>{xml_text(creator)}</dc:creator>"
        f"<dc:language>et-EE</dc:language>{stamp}</cp:coreProperties>"
    ).encode()


def app_properties(company: str) -> bytes:
    """Return docProps/app.xml of a generated document: the application and the agency."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>ametijuhend</Application>'
        f"<Company>{xml_text(company)}</Company></Properties>"
    ).encode()


def xml_attr(value: str) -> str:
    """Return ``value`` escaped for a double-quoted attribute (ids from the reference)."""
    return _escape(_NOT_XML.sub("", value)).replace('"', "&quot;")


def _broken(path: Path, message: Message, hint: Message) -> TemplateError:
    """Return the error for a reference document that cannot be used."""
    return TemplateError(Problem(path=display_path(path), message=message, hint=hint))


class _Styles:
    """The styles of the reference document, found the way Word finds them."""

    def __init__(self, styles_xml: bytes):
        self.by_name: dict[tuple[str, str], etree._Element] = {}
        self.by_id: dict[tuple[str, str], etree._Element] = {}
        for style in etree.fromstring(styles_xml).iterfind(f"{_W}style"):
            kind = str(style.get(f"{_W}type", "paragraph"))
            name = style.find(f"{_W}name")
            if name is not None:
                self.by_name.setdefault((kind, str(name.get(f"{_W}val", "")).casefold()), style)
            self.by_id.setdefault((kind, str(style.get(f"{_W}styleId", "")).casefold()), style)

    def find(self, name: str, kind: str) -> etree._Element | None:
        """Return the style called ``name``: by name in any case, else by its id."""
        key = name.casefold()
        style = self.by_name.get((kind, key))
        return style if style is not None else self.by_id.get((kind, key.replace(" ", "")))

    def based_on(self, style: etree._Element) -> etree._Element | None:
        """Return the style ``style`` is based on, if any."""
        parent = style.find(f"{_W}basedOn")
        if parent is None:
            return None
        return self.by_id.get(
            (str(style.get(f"{_W}type")), str(parent.get(f"{_W}val", "")).casefold())
        )


def _style_id(style: etree._Element) -> str:
    return xml_attr(str(style.get(f"{_W}styleId", "")))


def reference_of(templates: TemplateSet) -> Reference:
    """Return the reference document of ``templates``, read (once per content in a process)."""
    path = templates.reference_docx()
    data = templates.read(path, MAX_DOCUMENT_BYTES)
    return _REFERENCES.get((path, data), lambda: Reference(path, data))


class Reference:
    """What the renderer needs from the reference document, read once; read-only."""

    def __init__(self, path: Path, data: bytes):
        self.path = path
        try:
            parts = read_package(data)
            styles = _Styles(parts["word/styles.xml"])
            body = etree.fromstring(parts["word/document.xml"]).find(f"{_W}body")
            static, kept_ids, self.removed = _static_parts(parts)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            raise _broken(
                path,
                msg("not a readable Word document ({error})", error=str(exc)),
                msg("write a fresh one with 'ametijuhend reference-docx' and restyle it"),
            ) from None
        self.styles: dict[str, str] = {}
        self.keep_next: set[str] = set()
        self.elements: dict[str, etree._Element] = {}
        missing = []
        for key, name in STYLE_NAMES.items():
            style = styles.find(name, _KINDS.get(key, "paragraph"))
            if style is None:
                missing.append(name)
            else:
                self.styles[key] = _style_id(style)
                self.elements[key] = style
        if missing:
            raise _broken(
                path,
                msg(
                    "the reference document lacks the style(s) {names}",
                    names=", ".join(repr(m) for m in missing),
                ),
                msg(
                    "copy them from the built-in one ('ametijuhend reference-docx FILE' writes it)"
                ),
            )
        for key, (name, fallback, keep) in OPTIONAL_STYLES.items():
            style = styles.find(name, _KINDS.get(key, "paragraph"))
            if style is None:
                self.styles[key] = self.styles[fallback]
                if keep:
                    self.keep_next.add(key)
            else:
                self.styles[key] = _style_id(style)
        self.bullet = self._list_style(styles, "bullet")
        self.bullet2 = self._list_style(styles, "bullet2")
        sect = body.find(f"{_W}sectPr") if body is not None else None
        self.section = _section(sect, kept_ids, self.removed)
        self.text_width = _text_width(sect)
        self.package = PackageWriter(static)

    def warnings(self) -> list[Problem]:
        """Return the warning that says what was left out of the reference document."""
        if not self.removed.items:
            return []
        problem = Problem(
            path=display_path(self.path),
            message=msg(
                "left out of every document (a job description takes from the reference "
                "document only what styling needs): {removed}",
                removed=self.removed.summary(),
            ),
            hint=msg(
                "the reference document gives the documents their styles, headers and "
                "footers; fields other than page numbers, links, macros and embedded objects "
                "never reach a document an employee signs. Remove them in Word to silence this"
            ),
            severity=Severity.WARNING,
        )
        return [problem]

    def _list_style(self, styles: _Styles, key: str) -> ListStyle:
        style: etree._Element | None = self.elements[key]
        num_pr = None
        for _ in range(10):  # the numbering may come from a style it is based on
            if style is None:
                break
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None and num_pr.find(f"{_W}numId") is not None:
                break
            style = styles.based_on(style)
        num_id = num_pr.find(f"{_W}numId") if num_pr is not None else None
        if num_pr is None or num_id is None:
            raise _broken(
                self.path,
                msg("style '{style}' has no list numbering", style=STYLE_NAMES[key]),
                msg("give it a bullet list in Word (Format → Bullets)"),
            )
        level = num_pr.find(f"{_W}ilvl")
        return ListStyle(
            self.styles[key],
            xml_attr(num_id.get(f"{_W}val", "")),
            xml_attr(level.get(f"{_W}val", "0")) if level is not None else "0",
        )


def _section(sect: etree._Element | None, ids: frozenset[str], removed: Removed) -> str:
    """Return the section properties of the reference, without printer settings and ids,
    and without a reference to a part that was left out (``ids`` are those kept)."""
    if sect is None:
        return ""
    sect = copy.deepcopy(sect)
    for printer in sect.findall(f"{_W}printerSettings"):
        sect.remove(printer)
    # in a body of its own, so that a reference in it can be removed
    prefixes = {k: v for k, v in sect.nsmap.items() if k is not None}
    holder = etree.Element(f"{_W}body", nsmap=prefixes)
    holder.append(sect)
    if clean_element(holder, ids, MAIN, removed):
        sect = copy.deepcopy(holder[0])
    _strip_rsids(sect)
    return etree.tostring(sect, encoding="unicode")


#: The ids Word gives each paragraph of an editing session (w14:paraId, w14:textId).
_SESSION_IDS = (f"{{{_W14}}}paraId", f"{{{_W14}}}textId")


def _strip_rsids(root: etree._Element) -> None:
    """Remove the revision and session ids Word writes on paragraphs, runs and styles."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in [
            a for a in element.attrib if str(a).startswith(f"{_W}rsid") or a in _SESSION_IDS
        ]:
            del element.attrib[name]
        for rsid in element.findall(f"{_W}rsid"):
            element.remove(rsid)


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


def _clean(name: str, data: bytes) -> bytes:
    """Return a part of the reference without revision ids and the editor's details."""
    if not name.endswith(".xml") or name == "[Content_Types].xml" or "/_rels/" in name:
        return data
    root = etree.fromstring(data)
    if name == "word/settings.xml":
        for element in [e for e in root if e.tag in _SETTINGS_DROPPED]:
            root.remove(element)
    _strip_rsids(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _static_parts(
    parts: dict[str, bytes],
) -> tuple[dict[str, bytes], frozenset[str], Removed]:
    """Return the parts copied into every document (those of the allow-list, without
    active content and the editor's details), the relationships of the main document
    kept, and what was left out."""
    taken = take(parts)
    static = {
        name: _clean(name, data) for name, data in taken.parts.items() if name not in _GENERATED
    }
    types = etree.fromstring(static["[Content_Types].xml"])
    for part, ctype in (
        ("/word/document.xml", f"{_WML_TYPE}.document.main+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
    ):
        for old in types.findall(f"{{{_CT_NS}}}Override[@PartName='{part}']"):
            types.remove(old)
        etree.SubElement(types, f"{{{_CT_NS}}}Override", PartName=part, ContentType=ctype)
    static["[Content_Types].xml"] = etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    static["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_R_NS}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_R_NS}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    ).encode()
    return static, taken.ids.get(MAIN, frozenset()), taken.removed


#: Reference documents read in this process, by path and bytes (see memo.py).
_REFERENCES: Memo[tuple[Path, bytes], Reference] = Memo(16)
