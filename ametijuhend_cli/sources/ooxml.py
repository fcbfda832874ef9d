"""Read OOXML packages (DOCX) that may be hostile: bounded inflation, safe part names and XML."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from lxml import etree

from ametijuhend_cli.errors import AmetijuhendError, Message, msg
from ametijuhend_cli.messages import excerpt

#: A package with more parts than this is no Word document (ours have about 15).
MAX_PARTS = 2000
#: No part inflates to more than this (a document.xml of 200 pages is a few MB).
MAX_PART_BYTES = 64 * 1024 * 1024
#: All parts together.
MAX_TOTAL_BYTES = 256 * 1024 * 1024
#: Deflated XML shrinks 5 to 30 times; far more is a zip bomb. Checked for
#: parts that inflate to more than RATIO_FROM bytes (tiny parts may shrink more).
MAX_RATIO = 200
RATIO_FROM = 1024 * 1024
_CHUNK = 64 * 1024
#: Word's part names are short ('word/media/image1.png'); a path on Windows holds 260.
MAX_NAME = 260
#: Part names as OOXML (ECMA-376 part 2) allows them in practice: ASCII, relative.
_SEGMENT = r"[A-Za-z0-9._~!$&'()*+,;=:@%\[\] -]+"
_PART_NAME = re.compile(rf"^{_SEGMENT}(?:/{_SEGMENT})*$")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_MB = 1024 * 1024
_DAMAGED = msg("the zip package is damaged: a part cannot be read")


class PackageError(AmetijuhendError, ValueError):
    """A package (or one of its parts) is refused; the message names the part."""


def _part(name: str) -> Message:
    """Return "part 'word/document.xml'": a part name as messages show it (escaped, short)."""
    return msg("part {name}", name=excerpt(name, 80))


def _parser() -> etree.XMLParser:
    # no entity expansion, no DTD, no network; huge_tree=False keeps libxml2's
    # limits on the size of one text node and the depth of the tree
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def _check_name(name: str, ascii_names: bool = True) -> None:
    """Raise PackageError for a part name that is absolute, climbs out or is not ASCII."""
    shown = _part(name)
    if len(name) > MAX_NAME:
        raise PackageError(
            msg("{part}: the part name is longer than {n} characters", part=shown, n=MAX_NAME)
        )
    if not ascii_names:  # a signed container names files as people do (letters, spaces)
        if any(not c.isprintable() for c in name):
            raise PackageError(
                msg("{part}: the name has characters a file name cannot use", part=shown)
            )
        name = "".join(c if c.isascii() else "_" for c in name)
    if not name.isascii():
        raise PackageError(msg("{part}: the part name is not ASCII", part=shown))
    if name.startswith(("/", "\\")) or "\\" in name or re.match(r"^[A-Za-z]:", name):
        raise PackageError(msg("{part}: the part name is an absolute path", part=shown))
    parts = name.rstrip("/").split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise PackageError(msg("{part}: the part name contains '.', '..' or '//'", part=shown))
    if not _PART_NAME.fullmatch(name.rstrip("/")):
        raise PackageError(
            msg("{part}: the part name has characters a package cannot use", part=shown)
        )


def _check_info(info: zipfile.ZipInfo, total: int) -> None:
    """Raise PackageError where the declared sizes of a part are out of bounds."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise PackageError(msg("{part} is encrypted", part=_part(name)))
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageError(msg("{part} uses a compression Word does not write", part=_part(name)))
    if info.file_size > MAX_PART_BYTES:
        raise PackageError(
            msg(
                "{part} inflates to more than {n} MB (a zip bomb?)",
                part=_part(name),
                n=MAX_PART_BYTES // _MB,
            )
        )
    if total + info.file_size > MAX_TOTAL_BYTES:
        raise PackageError(msg("the parts inflate to more than {n} MB", n=MAX_TOTAL_BYTES // _MB))
    _check_ratio(name, info.file_size, info.compress_size)


def _check_ratio(name: str, size: int, packed: int) -> None:
    if size > RATIO_FROM and size > MAX_RATIO * max(packed, 1):
        raise PackageError(
            msg("{part} inflates more than {n} times (a zip bomb?)", part=_part(name), n=MAX_RATIO)
        )


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Return a part's bytes, read in chunks and never past its declared size."""
    out = bytearray()
    with zf.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            out += chunk
            if len(out) > info.file_size or len(out) > MAX_PART_BYTES:
                part = _part(info.filename)
                raise PackageError(msg("{part} inflates past its declared size", part=part))
    _check_ratio(info.filename, len(out), info.compress_size)
    return bytes(out)


def read_package(data: bytes, *, ascii_names: bool = True) -> dict[str, bytes]:
    """Return the parts of an OOXML package by name; raise PackageError for a hostile one.

    Every bound is checked before a byte is inflated (number of parts, their
    declared sizes and ratios, part names) and again while inflating; every
    XML part is checked for a DOCTYPE (entity definitions, external entities).
    ``ascii_names=False`` allows letters beyond ASCII in names (a signed
    ASiC-E container holds files named by people).
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PackageError(msg("the file is not a zip package"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_PARTS:
                raise PackageError(msg("the package has more than {n} parts", n=MAX_PARTS))
            total = 0
            seen: set[str] = set()
            for info in infos:
                _check_name(info.filename, ascii_names)
                if info.filename.lower() in seen:
                    twice = _part(info.filename)
                    raise PackageError(msg("{part} appears twice", part=twice))
                seen.add(info.filename.lower())
                _check_info(info, total)
                total += info.file_size
            parts = {info.filename: _inflate(zf, info) for info in infos if not info.is_dir()}
    except PackageError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise PackageError(_DAMAGED) from None
    except (OSError, ValueError):
        raise PackageError(_DAMAGED) from None
    for name, part in parts.items():
        if name.lower().endswith(_XML_SUFFIXES):
            check_xml(part, name)
    return parts


def _as_utf8(data: bytes) -> bytes:
    """Return XML bytes in UTF-8, so that a DOCTYPE cannot hide in UTF-16 or UTF-32."""
    for bom, codec in (
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"<\x00?\x00", "utf-16-le"),
        (b"\x00<\x00?", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data.decode(codec, "replace").encode("utf-8")
    return data


def check_xml(data: bytes, part: str) -> None:
    """Raise PackageError if an XML part declares a DOCTYPE (entities, external files)."""
    text = _as_utf8(data)
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise PackageError(
            msg(
                "{part} declares a DOCTYPE or entities, which Word documents never do (an "
                "entity bomb or an external entity?)",
                part=_part(part),
            )
        )


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Return the root element of an XML part; no entity is expanded, no DTD or file loaded."""
    check_xml(data, part)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise PackageError(
            msg(
                "{part} is not well-formed XML (line {line}, column {column})",
                part=_part(part),
                line=line,
                column=column,
            )
        ) from None
    if root.getroottree().docinfo.internalDTD is not None:  # pragma: no cover - check_xml
        raise PackageError(msg("{part} declares a DOCTYPE", part=_part(part)))
    return root
