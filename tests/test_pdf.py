"""PDF normalisation: conversion times and random ids out, offsets still right (no LibreOffice)."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from ametijuhend_cli.render.pdf import CONVERT_TO, normalize_pdf


def icc_profile(date: tuple[int, ...]) -> bytes:
    """Return a stand-in ICC profile: a 128-byte header dated ``date``, then a tag table."""
    header = bytearray(128)
    header[0:4] = struct.pack(">I", 200)
    header[24:36] = struct.pack(">6H", *date)
    header[36:40] = b"acsp"
    return bytes(header) + b"\0" * 72


def pdf(date: str, xmp_date: str, file_id: str, profile: bytes) -> bytes:
    """Return a small PDF as LibreOffice writes one: an indirect stream length, an xref table."""
    packed = zlib.compress(profile)
    xmp = (
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><xmp:CreateDate>{xmp_date}</xmp:CreateDate>'
        f"<xmpMM:DocumentID>uuid:{file_id[:8]}-1111-2222-3333-444455556666</xmpMM:DocumentID>"
        "</x:xmpmeta>"
    ).encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/Metadata 5 0 R/OutputIntents[<</S/GTS_PDFA1"
        b"/DestOutputProfile 3 0 R>>]/Lang(et-EE)>>",
        b"<</Type/Pages/Kids[]/Count 0>>",
        b"<</N 3/Length 4 0 R/Filter/FlateDecode>>\nstream\n" + packed + b"\nendstream",
        b"%d" % len(packed),
        b"<</Type/Metadata/Subtype/XML/Length %d>>\nstream\n" % len(xmp) + xmp + b"\nendstream",
        f"<</CreationDate(D:{date})/Producer(LibreOffice)>>".encode(),
    ]
    out = bytearray(b"%PDF-1.6\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += (
        f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R\n/Info 6 0 R\n"
        f"/ID [ <{file_id}>\n<{file_id}> ]\n/DocChecksum /{file_id}\n>>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def check_xref(data: bytes) -> None:
    """Assert that every object is where the cross-reference table says."""
    xref = int(re.search(rb"startxref\s+(\d+)\s*%%EOF\s*$", data).group(1))  # type: ignore[union-attr]
    assert data[xref:].startswith(b"xref")
    entries = re.findall(rb"(\d{10}) \d{5} n", data[xref : data.index(b"trailer", xref)])
    assert entries
    for number, offset in enumerate(entries, 1):
        assert data[int(offset) :].startswith(b"%d 0 obj" % number)


def test_two_conversions_at_different_times_normalise_to_the_same_bytes() -> None:
    first = pdf(
        "20261202134750Z'",
        "2026-12-02T13:47:50Z",
        "BC0F35611906872346580A45C9977180",
        icc_profile((2026, 12, 2, 13, 47, 50)),
    )
    second = pdf(
        "20270315090501Z'",
        "2027-03-15T09:05:01Z",
        "0123456789ABCDEF0123456789ABCDEF",
        icc_profile((2027, 3, 15, 9, 5, 1)),
    )
    check_xref(first)
    assert first != second
    a, b = normalize_pdf(first), normalize_pdf(second)
    assert a == b
    check_xref(a)
    assert b"/CreationDate(D:19800101000000Z')" in a  # no "ZZ"
    assert b"<xmp:CreateDate>1980-01-01T00:00:00Z<" in a
    assert b"BC0F3561" not in a and b"1111-2222" not in a
    # the profile is dated 1980 too, its stream and length rewritten
    stream = re.search(rb"3 0 obj\n<<.*?>>\nstream\n", a, re.S)
    length = int(re.search(rb"4 0 obj\n(\d+)", a).group(1))  # type: ignore[union-attr]
    assert stream is not None
    profile = zlib.decompress(a[stream.end() : stream.end() + length])
    assert struct.unpack(">6H", profile[24:36]) == (1980, 1, 1, 0, 0, 0)
    assert normalize_pdf(a) == a


def test_time_zones_keep_their_syntax() -> None:
    data = pdf(
        "20261202154750+02'00'",
        "2026-12-02T15:47:50+02:00",
        "BC0F35611906872346580A45C9977180",
        icc_profile((1980, 1, 1, 0, 0, 0)),
    )
    out = normalize_pdf(data)
    assert b"/CreationDate(D:19800101000000+02'00')" in out
    assert b"<xmp:CreateDate>1980-01-01T00:00:00+02:00<" in out
    assert len(out) == len(data)  # the profile was already dated: nothing moved
    check_xref(out)


def test_export_is_tagged_pdf_a_2b() -> None:
    assert CONVERT_TO.startswith("pdf:writer_pdf_Export:{")
    assert '"UseTaggedPDF":{"type":"boolean","value":"true"}' in CONVERT_TO
    assert '"SelectPdfVersion":{"type":"long","value":"2"}' in CONVERT_TO


def _fake_soffice(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_no_libreoffice_is_said_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ametijuhend_cli.render import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(pdf.OfficeNotFoundError, match="needs LibreOffice"):
        pdf.convert_to_pdf([tmp_path / "a.docx"], tmp_path / "pdf")


def test_nothing_to_convert_runs_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ametijuhend_cli.render import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: _fake_soffice(tmp_path, "exit 1\n"))
    assert pdf.convert_to_pdf([], tmp_path / "pdf") == []


def test_a_failed_conversion_names_the_documents_and_libreoffices_last_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ametijuhend_cli.errors import AmetijuhendError
    from ametijuhend_cli.render import pdf

    fake = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake)
    (tmp_path / "scratch").mkdir()
    with pytest.raises(AmetijuhendError) as caught:
        pdf.convert_to_pdf([tmp_path / "scratch" / "a.docx"], tmp_path / "scratch" / "pdf")
    assert str(caught.value) == (
        "LibreOffice could not convert a.pdf: Error: source file could not be loaded"
    )


@pytest.mark.slow
def test_a_hanging_libreoffice_is_stopped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ametijuhend_cli.errors import AmetijuhendError
    from ametijuhend_cli.render import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: _fake_soffice(tmp_path, "sleep 30\n"))
    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 1)
    (tmp_path / "scratch").mkdir()
    with pytest.raises(AmetijuhendError, match="did not finish within 1 s"):
        pdf.convert_to_pdf([tmp_path / "scratch" / "a.docx"], tmp_path / "scratch" / "pdf")
