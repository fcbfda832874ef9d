"""Convert DOCX files to PDF with LibreOffice, when it is installed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from ametijuhend_cli.errors import AmetijuhendError, Message, msg, verbatim

#: LibreOffice's first start in a new profile takes a while; a batch of
#: documents is converted in one process.
TIMEOUT_SECONDS = 600


class OfficeNotFoundError(AmetijuhendError):
    """LibreOffice is not installed."""


def find_soffice(
    platform: str = sys.platform, environ: Mapping[str, str] = os.environ
) -> str | None:
    """Return the path of LibreOffice's soffice program, or None: on PATH, or where its
    installer puts it (Windows' installer does not add it to PATH)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in install_locations(platform, environ) if os.path.isfile(p)), None)


def install_locations(platform: str, environ: Mapping[str, str]) -> list[str]:
    """Return where LibreOffice's installer puts soffice on ``platform``."""
    if platform == "win32":
        # os.environ's names are upper case on Windows; the per-user install is
        # in %LOCALAPPDATA%\Programs
        roots = [environ.get(n) for n in ("PROGRAMFILES", "PROGRAMW6432", "PROGRAMFILES(X86)")]
        local = environ.get("LOCALAPPDATA")
        roots.append(os.path.join(local, "Programs") if local else None)
        folders = dict.fromkeys(r for r in roots if r)
        return [os.path.join(r, "LibreOffice", "program", "soffice.exe") for r in folders]
    if platform == "darwin":
        return ["/Applications/LibreOffice.app/Contents/MacOS/soffice"]
    return []


def install_hint(platform: str = sys.platform) -> Message:
    """Return how to install LibreOffice on ``platform``."""
    if platform == "win32":
        return msg(
            "install it from https://www.libreoffice.org/download/ (or: winget install "
            "TheDocumentFoundation.LibreOffice); it is found in C:\\Program Files\\LibreOffice "
            "without a change to PATH"
        )
    if platform == "darwin":
        return msg(
            "install it from https://www.libreoffice.org/download/ "
            "(or: brew install --cask libreoffice)"
        )
    return msg("install it (Debian/Ubuntu: apt-get install libreoffice-writer-nogui)")


def not_installed(what: str, platform: str = sys.platform) -> OfficeNotFoundError:
    """Return the error for ``what`` ("--format pdf") when LibreOffice is missing."""
    return OfficeNotFoundError(
        msg(
            "{what} needs LibreOffice, which is not installed; {install} or use --format docx "
            "and convert in Word",
            what=what,
            install=install_hint(platform),
        )
    )


#: LibreOffice's PDF export: tagged (headings, lists and table headers as
#: structure, the document's language and title) and PDF/A-2b, which the
#: national archive accepts.
EXPORT_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "SelectPdfVersion": {"type": "long", "value": "2"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
}
CONVERT_TO = "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS, separators=(",", ":"))

#: The conversion time, in the document information ("D:20261202134750Z'" or
#: "D:20261202134750+02'00'") and in the XMP metadata ("2026-12-02T13:47:50Z").
_INFO_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{4,14})")
_XMP_DATE = re.compile(
    rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)"
)
_EPOCH_INFO = b"19800101000000"
_EPOCH_XMP = b"1980-01-01T00:00:00"
#: Random ids: the file id, the checksum, the XMP document and instance ids.
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")
_UUID = re.compile(rb"uuid:([0-9A-Fa-f-]{36})")


def _same_length(value: bytes, filler: bytes) -> bytes:
    return (filler * (len(value) // len(filler) + 1))[: len(value)]


#: Where an ICC profile (the PDF/A output intent) is referred to.
_ICC_REF = re.compile(rb"/(?:DestOutputProfile|ICCBased)\s+(\d+)\s+0\s+R")
#: 1980-01-01 00:00:00 in an ICC profile header (six big-endian 16-bit numbers).
_ICC_EPOCH = struct.pack(">6H", 1980, 1, 1, 0, 0, 0)
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")


def _stream(data: bytes, number: int) -> tuple[int, int, tuple[int, int]] | None:
    """Return where object ``number``'s stream data is, and where its length is written."""
    obj = re.search(rb"(?<![0-9])%d 0 obj\s*<<(.*?)>>\s*stream\r?\n" % number, data, re.S)
    if obj is None or b"/FlateDecode" not in obj.group(1):
        return None
    length = re.search(rb"/Length\s+(\d+)(\s+0\s+R)?", obj.group(1))
    if length is None:
        return None
    if length.group(2):  # an indirect length: "390 0 obj 8486 endobj"
        ref = re.search(rb"(?<![0-9])%s 0 obj\s*(\d+)" % length.group(1), data)
        if ref is None:
            return None
        where = ref.span(1)
    else:
        where = (obj.start(1) + length.start(1), obj.start(1) + length.end(1))
    return obj.end(), int(data[where[0] : where[1]]), where


def _icc_edits(data: bytes) -> list[tuple[int, int, bytes]]:
    """Return the edits that date every embedded ICC profile 1980-01-01 (lcms dates it now)."""
    edits = []
    for number in sorted({int(n) for n in _ICC_REF.findall(data)}):
        found = _stream(data, number)
        if found is None:
            continue
        start, length, where = found
        try:
            profile = bytearray(zlib.decompress(data[start : start + length]))
        except zlib.error:
            continue
        if profile[36:40] != b"acsp" or profile[24:36] == _ICC_EPOCH:
            continue
        profile[24:36] = _ICC_EPOCH
        if any(profile[84:100]):  # the profile id: MD5 with flags, intent and id zeroed
            blank = bytearray(profile)
            blank[44:48] = blank[64:68] = bytes(4)
            blank[84:100] = bytes(16)
            profile[84:100] = hashlib.md5(blank, usedforsecurity=False).digest()
        packed = zlib.compress(bytes(profile), 9)
        edits += [(where[0], where[1], b"%d" % len(packed)), (start, start + length, packed)]
    return sorted(edits)


def _apply(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Return ``data`` with ``edits`` made and the cross-reference table moved to match."""
    end = re.search(rb"startxref\s+(\d+)\s*%%EOF\s*$", data)
    if not edits or end is None or not data[int(end.group(1)) :].startswith(b"xref"):
        return data
    xref = int(end.group(1))
    trailer = data.index(b"trailer", xref)

    def moved(offset: int) -> int:
        return offset + sum(len(new) - (e - s) for s, e, new in edits if e <= offset)

    out = bytearray()
    last = 0
    for start, stop, new in edits:
        out += data[last:start] + new
        last = stop
    out += data[last:xref]
    table = _XREF_ENTRY.sub(
        lambda m: (
            b"%010d %s %s" % (moved(int(m.group(1))), m.group(2), m.group(3))
            if m.group(3) == b"n"
            else m.group(0)
        ),
        data[xref:trailer],
    )
    start_xref = len(out)
    out += table + data[trailer : end.start()] + b"startxref\n%d\n%%%%EOF\n" % start_xref
    return bytes(out)


def normalize_pdf(data: bytes) -> bytes:
    """Return ``data`` with the conversion time and random ids replaced.

    The ICC profile of the PDF/A output intent carries the conversion time in
    its header: it is dated 1980-01-01 and compressed again, and the objects
    after it and the cross-reference table move. Every other replacement keeps
    its length. The dates become 1980-01-01 00:00 in the document information
    and the XMP metadata alike (PDF/A wants them equal), each keeping its own
    time zone syntax; the ids become a hash of the content, so equal documents
    give equal PDFs.
    """
    data = _apply(data, _icc_edits(data))
    data = _INFO_DATE.sub(lambda m: m.group(1) + _EPOCH_INFO[: len(m.group(2))], data)
    data = _XMP_DATE.sub(lambda m: m.group(1) + _EPOCH_XMP[: len(m.group(2))], data)

    def blank(match: re.Match[bytes]) -> bytes:
        whole = match.group(0)
        for group in match.groups():
            whole = whole.replace(group, b"0" * len(group))
        return whole

    blanked = data
    for pattern in (_ID, _CHECKSUM, _UUID):
        blanked = pattern.sub(blank, blanked)
    digest = hashlib.sha256(blanked).hexdigest().upper().encode()

    def fixed(match: re.Match[bytes]) -> bytes:
        whole = match.group(0)
        for group in match.groups():
            whole = whole.replace(group, _same_length(group, digest))
        return whole

    for pattern in (_ID, _CHECKSUM):
        data = pattern.sub(fixed, data)
    h = digest.lower()
    uuid = b"-".join((h[:8], h[8:12], h[12:16], h[16:20], h[20:32]))
    return _UUID.sub(b"uuid:" + uuid, data)


def convert_to_pdf(docx_files: list[Path], outdir: Path) -> list[Path]:
    """Convert ``docx_files`` into PDFs in ``outdir``; return the PDF paths."""
    soffice = find_soffice()
    if soffice is None:
        raise not_installed("PDF output")
    if not docx_files:
        return []
    outdir.mkdir(parents=True, exist_ok=True)
    # a private profile: no clash with a LibreOffice the user has open, and no
    # settings of theirs in the output
    # (beside outdir, in the build's scratch folder, so that it goes with it)
    with tempfile.TemporaryDirectory(prefix="lo-profile-", dir=outdir.parent) as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            CONVERT_TO,
            "--outdir",
            str(outdir),
            *[str(f) for f in docx_files],
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                # LibreOffice's messages, in whatever encoding: only shown in an error
                encoding="utf-8",
                errors="replace",
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            said = msg("LibreOffice did not finish within {n} s", n=TIMEOUT_SECONDS)
            raise AmetijuhendError(said) from None
    pdfs = [outdir / (f.stem + ".pdf") for f in docx_files]
    missing = [p.name for p in pdfs if not p.is_file()]
    if done.returncode != 0 or missing:
        detail = (done.stderr or done.stdout).strip().splitlines()
        what = verbatim(", ".join(missing)) if missing else msg("the documents")
        said = msg("LibreOffice could not convert {what}", what=what)
        if detail:  # LibreOffice's own words
            said = msg("{message}: {reason}", message=said, reason=detail[-1])
        raise AmetijuhendError(said)
    for pdf in pdfs:
        pdf.write_bytes(normalize_pdf(pdf.read_bytes()))
    return pdfs


def pdf_documents(scratch: Path, ids: list[str]) -> Iterator[tuple[str, bytes]]:
    """Yield each id and the PDF converted from ``scratch/<id>.docx``, in order."""
    docs = [scratch / f"{pid}.docx" for pid in ids]
    for pid, made in zip(ids, convert_to_pdf(docs, scratch / "pdf"), strict=True):
        yield pid, made.read_bytes()
