"""What a job description takes from a reference document: what styling needs, nothing else.

The reference document (templates/reference.docx) is a project file: a pull
request may change it, and what it holds reaches every document an employee
signs. So its parts are taken by an allow-list: from the main document the
styles, numbering, settings, theme, fonts, headers and footers, each checked to
be what its relationship says (a part named as an image must be an image);
from headers, footers, numbering and the theme their images inside the package;
fonts from the font table. No external target, ever. In what is kept, fields
other than page numbers (DDEAUTO, INCLUDEPICTURE, INCLUDETEXT …), links,
embedded objects (OLE, ActiveX, altChunk), data bindings, settings that
refresh fields or fetch other files, and every reference to a relationship
that was not kept are removed. Each removal is recorded, so that the build can
say what it left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from ametijuhend_cli.errors import Message, joined, msg, verbatim
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.render.package import W_NS

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_O_NS = "urn:schemas-microsoft-com:office:office"
_V_NS = "urn:schemas-microsoft-com:vml"
_W = f"{{{W_NS}}}"
_R = f"{{{_R_NS}}}"
#: Where a relationship type we know is defined (transitional and strict OOXML).
_TYPE_PREFIXES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/",
)
MAIN = "word/document.xml"

#: The relationships kept, by the relationship that led to the part they start from.
KEPT: dict[str, frozenset[str]] = {
    "": frozenset({"styles", "numbering", "settings", "theme", "fontTable", "header", "footer"}),
    "header": frozenset({"image"}),
    "footer": frozenset({"image"}),
    "numbering": frozenset({"image"}),
    "theme": frozenset({"image"}),
    "fontTable": frozenset({"font"}),
}
#: The root element each kept XML part must have.
_ROOTS = {
    "styles": f"{_W}styles",
    "numbering": f"{_W}numbering",
    "settings": f"{_W}settings",
    "theme": f"{{{_A_NS}}}theme",
    "fontTable": f"{_W}fonts",
    "header": f"{_W}hdr",
    "footer": f"{_W}ftr",
}
#: How the images a document may show begin: PNG, JPEG, GIF, BMP, TIFF, EMF, WMF.
_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"\x01\x00\x00\x00",
    b"\xd7\xcd\xc6\x9a",
    b"\x01\x00\x09\x00",
    b"\x02\x00\x09\x00",
)
_FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"

#: The fields a header or footer may keep: page numbers.
_PAGE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES"})
#: Elements removed with all they hold: embedded or linked content, macros, data bindings.
_DROPPED = {
    f"{_W}object": msg("an embedded object (OLE)"),
    f"{_W}control": msg("an ActiveX control"),
    f"{_W}altChunk": msg("an imported file (altChunk)"),
    f"{_W}subDoc": msg("a linked subdocument"),
    f"{_W}dataBinding": msg("a data binding (customXml)"),
    f"{_W}fldData": msg("field data"),
    f"{_W}updateFields": msg("updateFields (fields refreshed on opening)"),
    f"{_W}linkStyles": msg("linkStyles (styles taken from the attached template)"),
    f"{_W}saveThroughXslt": verbatim("saveThroughXslt"),
    f"{_W}mailMerge": msg("a mail merge data source"),
    f"{{{_O_NS}}}OLEObject": msg("an embedded object (OLE)"),
}
#: Elements every Word document has that are left out without a word (the template it
#: was made from, its variables): their relationships are not kept either.
_SILENT = frozenset({f"{_W}attachedTemplate", f"{_W}docVars"})
#: Relationships of the main document worth a word although its body is not taken.
_REPORTED_FROM_MAIN = frozenset({"vbaProject", "vbaData", "keyMapCustomizations"})
#: Link elements: removed, their text kept.
_UNWRAPPED = {f"{_W}hyperlink": msg("a link")}
_LINKS = {f"{{{_A_NS}}}hlinkClick", f"{{{_A_NS}}}hlinkHover"}
#: Attributes of VML pictures that name a file outside the package.
_EXTERNAL_ATTRIBUTES = {f"{{{_O_NS}}}href", "src", f"{{{_O_NS}}}althref"}


@dataclass
class Removed:
    """What was left out of the reference document, in the order found."""

    items: list[Message] = field(default_factory=list)

    def add(self, what: Message, part: str) -> None:
        self.items.append(msg("{what} in {part}", what=what, part=part))

    def summary(self) -> Message:
        """Return the removals as one line: '2 × the field DDEAUTO in word/header1.xml; …'."""
        counts = Counter(self.items)
        return joined(
            [item if n == 1 else msg("{n} × {item}", n=n, item=item) for item, n in counts.items()],
            "; ",
        )


def _type(rel: etree._Element) -> str:
    """Return a relationship's type as a short name ('image'), or '' for one we do not know."""
    full = str(rel.get("Type", ""))
    for prefix in _TYPE_PREFIXES:
        if full.startswith(prefix):
            return full[len(prefix) :]
    return ""


def _rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _resolve(source: str, target: str) -> str:
    """Return the part name ``target`` (relative to ``source``'s folder) points at."""
    if target.startswith("/"):
        return target.lstrip("/")
    folder = source.rpartition("/")[0].split("/") if "/" in source else []
    for step in target.split("/"):
        if step == "..":
            folder = folder[:-1]
        elif step not in ("", "."):
            folder.append(step)
    return "/".join(folder)


class _ContentTypes:
    """The content types of the package's parts, by override and by extension."""

    def __init__(self, xml: bytes):
        self.root = etree.fromstring(xml)
        self.overrides = {
            str(o.get("PartName", "")).lstrip("/").casefold(): str(o.get("ContentType", ""))
            for o in self.root.iterfind(f"{{{_CT_NS}}}Override")
        }
        self.defaults = {
            str(d.get("Extension", "")).casefold(): str(d.get("ContentType", ""))
            for d in self.root.iterfind(f"{{{_CT_NS}}}Default")
        }

    def of(self, part: str) -> str:
        found = self.overrides.get(part.casefold())
        if found is not None:
            return found
        return self.defaults.get(part.rpartition(".")[2].casefold(), "")


def _fits(kind: str, data: bytes, content_type: str) -> bool:
    """Return whether a part reached by a ``kind`` relationship is what that kind is."""
    if kind == "image":
        return content_type.startswith("image/") and data.startswith(_IMAGE_MAGIC)
    if kind == "font":
        return content_type == _FONT_TYPE
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return False
    return root.tag == _ROOTS.get(kind)


@dataclass
class Taken:
    """The parts a job description takes from a reference document, and what was left out."""

    parts: dict[str, bytes]
    #: the relationship ids each kept part may refer to (the main document's included)
    ids: dict[str, frozenset[str]]
    removed: Removed


def take(parts: dict[str, bytes]) -> Taken:
    """Return the parts of a reference document that every job description takes.

    Only the main document's styles, numbering, settings, theme, fonts,
    headers and footers (and their images and fonts) are reached, each checked
    to be what its relationship says; the content types list only what is
    kept, and every kept part is cleaned of active content (see clean).
    """
    types = _ContentTypes(parts["[Content_Types].xml"])
    removed = Removed()
    keep: dict[str, bytes] = {}
    ids: dict[str, frozenset[str]] = {}
    queue = [(MAIN, "")]
    while queue:
        part, kind = queue.pop()
        if part in keep:
            continue
        keep[part] = parts[part]
        reached, kept_ids = _relationships(parts, part, kind, keep, types, removed)
        ids[part] = kept_ids
        queue += [(t, k) for t, k in reached if t not in keep]
    for name in list(keep):
        if name.endswith(".xml") and name != MAIN:
            keep[name] = clean(name, keep[name], ids.get(name, frozenset()), removed)
    for override in types.root.findall(f"{{{_CT_NS}}}Override"):
        if str(override.get("PartName", "")).lstrip("/") not in keep:
            types.root.remove(override)
    keep["[Content_Types].xml"] = _xml(types.root)
    return Taken(keep, ids, removed)


def _relationships(
    parts: dict[str, bytes],
    source: str,
    kind: str,
    keep: dict[str, bytes],
    types: _ContentTypes,
    removed: Removed,
) -> tuple[list[tuple[str, str]], frozenset[str]]:
    """Filter the relationships of ``source`` into ``keep``; return the parts they reach
    (with their kinds) and the ids kept."""
    allowed = KEPT.get(kind)
    name = _rels_name(source)
    if name not in parts or allowed is None:
        return [], frozenset()  # a part that keeps no relationship: its list is left out
    rels = etree.fromstring(parts[name])
    # the body of the main document is not taken, so what only it uses goes without a word
    report = kind != ""
    reached = []
    ids = set()
    for rel in list(rels):
        rtype = _type(rel)
        shown = rtype or str(rel.get("Type", "")).rpartition("/")[2]
        target = str(rel.get("Target", ""))
        resolved = _resolve(source, target)
        loud = report or shown in _REPORTED_FROM_MAIN
        if rel.get("TargetMode") == "External":
            why = msg("the external link {target}", target=excerpt(target))
        elif rtype not in allowed or resolved not in parts:
            why = msg("the part {part} ({kind})", part=excerpt(resolved), kind=shown)
        elif not _fits(rtype, parts[resolved], types.of(resolved)):
            why = msg(
                "the part {part}, which is not the {kind} it claims to be",
                part=excerpt(resolved),
                kind=rtype,
            )
            loud = True
        else:
            reached.append((resolved, rtype))
            ids.add(str(rel.get("Id", "")))
            continue
        rels.remove(rel)
        if loud:
            removed.add(why, name)
    keep[name] = _xml(rels)
    return reached, frozenset(ids)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def clean(name: str, data: bytes, ids: frozenset[str], removed: Removed) -> bytes:
    """Return the XML part ``name`` without active content; ``ids`` are the relationships it
    may refer to. A part with nothing to remove comes back byte for byte."""
    root = etree.fromstring(data)
    if not clean_element(root, ids, name, removed):
        return data
    return _xml(root)


def clean_element(root: etree._Element, ids: frozenset[str], name: str, removed: Removed) -> bool:
    """Remove active content from ``root`` in place; return whether anything changed."""
    before = len(removed.items)
    silent = [e for e in root.iter(*_SILENT)]
    for element in silent:
        _detach(element)
    _fields(root, name, removed)
    for element in [e for e in root.iter() if isinstance(e.tag, str)]:
        if _attached(element, root):
            _element(element, name, removed)
    _dangling(root, ids, name, removed)
    return bool(silent) or len(removed.items) > before


def _attached(element: etree._Element, root: etree._Element) -> bool:
    """Return whether ``element`` is still in the tree of ``root`` (not in a removed part)."""
    here: etree._Element | None = element
    while here is not None:
        if here is root:
            return True
        here = here.getparent()
    return False


def _detach(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _element(element: etree._Element, name: str, removed: Removed) -> None:
    tag = str(element.tag)
    parent = element.getparent()
    if parent is None:
        return
    if tag in _DROPPED:
        removed.add(_DROPPED[tag], name)
        parent.remove(element)
    elif tag in _UNWRAPPED:
        removed.add(_UNWRAPPED[tag], name)
        _unwrap(element)
    elif tag in _LINKS:
        removed.add(msg("a link"), name)
        parent.remove(element)
    elif tag == f"{_W}pict" and _linked_picture(element):
        removed.add(msg("a linked picture"), name)
        parent.remove(element)


def _linked_picture(pict: etree._Element) -> bool:
    """Return whether a VML picture names a file outside the package."""
    for element in pict.iter():
        for attribute in _EXTERNAL_ATTRIBUTES:
            value = element.get(attribute) if isinstance(element.tag, str) else None
            if value and (":" in value or value.startswith(("\\\\", "//"))):
                return True
    return False


def _unwrap(element: etree._Element) -> None:
    """Replace ``element`` by its children (a link by its text)."""
    parent = element.getparent()
    assert parent is not None
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


#: The first word of a field's instruction ("PAGE \\* MERGEFORMAT" → PAGE).
_FIELD_NAME = re.compile(r"\s*([A-Za-z]+)")


def _field_name(instruction: str) -> str:
    match = _FIELD_NAME.match(instruction)
    return match.group(1).upper() if match else ""


def _fields(root: etree._Element, name: str, removed: Removed) -> None:
    """Remove every field but page numbers: its instruction and marks go, its result stays."""
    for simple in list(root.iter(f"{_W}fldSimple")):
        instruction = str(simple.get(f"{_W}instr", ""))
        field_name = _field_name(instruction)
        if field_name not in _PAGE_FIELDS:
            removed.add(msg("the field {name}", name=field_name or excerpt(instruction)), name)
            _unwrap(simple)
    stack: list[list[etree._Element]] = []
    instructions: list[str] = []
    doomed: list[etree._Element] = []
    for element in root.iter(f"{_W}fldChar", f"{_W}instrText", f"{_W}delInstrText"):
        kind = element.get(f"{_W}fldCharType")
        if element.tag != f"{_W}fldChar":
            if stack:
                stack[-1].append(element)
                instructions[-1] += element.text or ""
            else:
                doomed.append(element)  # an instruction outside any field
        elif kind == "begin":
            stack.append([element])
            instructions.append("")
        elif stack:
            stack[-1].append(element)
            if kind == "end":
                marks, instruction = stack.pop(), instructions.pop()
                field_name = _field_name(instruction)
                if field_name not in _PAGE_FIELDS:
                    removed.add(
                        msg("the field {name}", name=field_name or excerpt(instruction)), name
                    )
                    doomed += marks
    doomed += [e for marks in stack for e in marks]  # a field never ended
    for element in doomed:
        _remove_with_empty_run(element)


def _remove_with_empty_run(element: etree._Element) -> None:
    """Remove ``element``, and the run it was in when nothing but its properties is left."""
    parent = element.getparent()
    if parent is None:
        return
    parent.remove(element)
    if parent.tag == f"{_W}r" and all(c.tag == f"{_W}rPr" for c in parent):
        grand = parent.getparent()
        if grand is not None:
            grand.remove(parent)


def _dangling(root: etree._Element, ids: frozenset[str], name: str, removed: Removed) -> None:
    """Remove what refers to a relationship that was not kept: the run (or the element)
    holding the reference, so that no document is left with a broken r:id."""
    for element in [e for e in root.iter() if isinstance(e.tag, str)]:
        if not _attached(element, root):
            continue
        refs = [str(v) for a, v in element.attrib.items() if str(a).startswith(_R)]
        if not refs or all(v in ids for v in refs):
            continue
        holder = _run_of(element)
        parent = holder.getparent()
        if parent is not None:
            removed.add(
                msg("a reference to a part left out ({reference})", reference=excerpt(refs[0])),
                name,
            )
            parent.remove(holder)


def _run_of(element: etree._Element) -> etree._Element:
    """Return the run that holds ``element`` (a picture, an object), else the element."""
    here: etree._Element | None = element
    while here is not None:
        if here.tag == f"{_W}r":
            return here
        here = here.getparent()
    return element
