"""Read and write OOXML packages (zip files) deterministically."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from ametijuhend_cli.sources import ooxml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Readers look for these first; the rest follow in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")

# Every entry is dated 1980-01-01 00:00 (the zip format's epoch, in MS-DOS
# form) so that two builds of the same sources are byte-identical.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_VERSION = 20  # 2.0: deflate
_MADE_BY = (3 << 8) | _VERSION  # Unix, so the permissions below are read
_MODE = (0o100644 << 16) & 0xFFFFFFFF


@dataclass(frozen=True)
class _Entry:
    crc: int
    size: int
    data: bytes  # deflated


def _deflate(data: bytes) -> _Entry:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return _Entry(zlib.crc32(data), len(data), packed)


def entry_order(names: list[str]) -> list[str]:
    """Return package part names in a stable order, the content types first."""
    head = [n for n in _FIRST if n in names]
    return head + sorted(n for n in names if n not in _FIRST)


class PackageWriter:
    """Write zip packages whose static parts are compressed once, not per document."""

    def __init__(self, static: dict[str, bytes]):
        self._static = {name: _deflate(data) for name, data in static.items()}

    def write(self, parts: dict[str, bytes]) -> bytes:
        """Return the zip of the static parts plus ``parts`` (which win on equal names)."""
        entries = dict(self._static)
        for name, data in parts.items():
            entries[name] = _deflate(data)
        out = bytearray()
        central = bytearray()
        names = entry_order(list(entries))
        for name in names:
            entry = entries[name]
            encoded = name.encode("ascii")
            offset = len(out)
            fields = (_DOS_TIME, _DOS_DATE, entry.crc, len(entry.data), entry.size)
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, 0, 8, *fields, len(encoded), 0)
            out += encoded
            out += entry.data
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                _MADE_BY,
                _VERSION,
                0,
                8,
                *fields,
                len(encoded),
                0,
                0,
                0,
                0,
                _MODE,
                offset,
            )
            central += encoded
        start = len(out)
        out += central
        out += struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(names), len(names), len(central), start, 0
        )
        return bytes(out)


def write_package(parts: dict[str, bytes]) -> bytes:
    """Return a zip holding ``parts`` with fixed dates, attributes and order."""
    return PackageWriter({}).write(parts)


def read_package(data: bytes) -> dict[str, bytes]:
    """Return the parts of a zip package by name; raise PackageError for a hostile one."""
    return ooxml.read_package(data)


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_MAIN = "word/document.xml"

#: The relationships a job description keeps from the reference document, by
#: the relationship that led to the part they start from ("" is the main
#: document). Everything else (comments, people, custom properties, a
#: thumbnail, customXml, glossary, macros, the attached template) stays out.
_KEPT_RELATIONSHIPS: dict[str, frozenset[str]] = {
    "": frozenset({"styles", "numbering", "settings", "theme", "fontTable", "header", "footer"}),
    "header": frozenset({"image", "hyperlink"}),
    "footer": frozenset({"image", "hyperlink"}),
    "numbering": frozenset({"image"}),
    "theme": frozenset({"image"}),
    "fontTable": frozenset({"font"}),
}


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


def _kept_relationships(
    parts: dict[str, bytes], source: str, kind: str, keep: dict[str, bytes]
) -> list[tuple[str, str]]:
    """Filter the relationships of ``source`` into ``keep``; return the parts they reach."""
    from lxml import etree  # the reference document is the only package read

    allowed = _KEPT_RELATIONSHIPS.get(kind, frozenset())
    name = _rels_name(source)
    if name not in parts or not allowed:
        return []
    rels = etree.fromstring(parts[name])
    reached = []
    for rel in list(rels):
        rtype = str(rel.get("Type", "")).rpartition("/")[2]
        external = rel.get("TargetMode") == "External"
        target = _resolve(source, str(rel.get("Target", "")))
        if rtype not in allowed or (external and rtype != "hyperlink"):
            rels.remove(rel)
        elif not external and target in parts:
            reached.append((target, rtype))
    keep[name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    return reached


def job_description_parts(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Return the parts of a reference document that every job description takes.

    Only the main document's styles, numbering, settings, theme, fonts,
    headers and footers (and their images) are reached; the content types list
    only what is kept. The package relationships and the document properties
    are the renderer's own.
    """
    from lxml import etree

    keep: dict[str, bytes] = {}
    queue = [(_MAIN, "")]
    while queue:
        part, kind = queue.pop()
        if part in keep:
            continue
        keep[part] = parts[part]
        queue += [(t, k) for t, k in _kept_relationships(parts, part, kind, keep) if t not in keep]
    types = etree.fromstring(parts["[Content_Types].xml"])
    for override in types.findall(f"{{{_CT_NS}}}Override"):
        if str(override.get("PartName", "")).lstrip("/") not in keep:
            types.remove(override)
    keep["[Content_Types].xml"] = etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return keep
