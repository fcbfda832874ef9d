"""Convert DOCX files to PDF with LibreOffice, when it is installed."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ametijuhend_cli.errors import AmetijuhendError

#: LibreOffice's first start in a new profile takes a while; a batch of
#: documents is converted in one process.
TIMEOUT_SECONDS = 600


class OfficeNotFoundError(AmetijuhendError):
    """LibreOffice is not installed."""


def find_soffice() -> str | None:
    """Return the path of LibreOffice's soffice program, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:[^)]*\)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")


def normalize_pdf(data: bytes) -> bytes:
    """Return ``data`` with the conversion time and random ids replaced.

    Replacements keep every length, so the cross-reference offsets stay valid;
    the file id becomes a hash of the content, so equal documents give equal
    PDFs.
    """

    def fixed_date(match: re.Match[bytes]) -> bytes:
        whole = match.group(0)
        start = whole.index(b"(") + 1
        body = whole[start:-1]
        stamp = b"D:19800101000000"
        return whole[:start] + (stamp + b"Z" * len(body))[: len(body)] + b")"

    data = _DATE.sub(fixed_date, data)
    blank = _CHECKSUM.sub(
        lambda m: m.group(0).replace(m.group(1), b"0" * len(m.group(1))),
        _ID.sub(lambda m: b"/ID [<>]", data),
    )
    digest = hashlib.sha256(blank).hexdigest().upper().encode()

    def fixed_hex(value: bytes) -> bytes:
        return (digest * (len(value) // len(digest) + 1))[: len(value)]

    data = _ID.sub(
        lambda m: (
            m.group(0)
            .replace(m.group(1), fixed_hex(m.group(1)))
            .replace(m.group(2), fixed_hex(m.group(2)))
        ),
        data,
    )
    return _CHECKSUM.sub(lambda m: m.group(0).replace(m.group(1), fixed_hex(m.group(1))), data)


def convert_to_pdf(docx_files: list[Path], outdir: Path) -> list[Path]:
    """Convert ``docx_files`` into PDFs in ``outdir``; return the PDF paths."""
    soffice = find_soffice()
    if soffice is None:
        raise OfficeNotFoundError(
            "PDF output needs LibreOffice, which is not installed; install it (Debian/Ubuntu: "
            "apt-get install libreoffice-writer-nogui) or build --format docx and convert "
            "in Word"
        )
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
            "pdf",
            "--outdir",
            str(outdir),
            *[str(f) for f in docx_files],
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise AmetijuhendError(
                f"LibreOffice did not finish within {TIMEOUT_SECONDS} s"
            ) from None
    pdfs = [outdir / (f.stem + ".pdf") for f in docx_files]
    missing = [p.name for p in pdfs if not p.is_file()]
    if done.returncode != 0 or missing:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise AmetijuhendError(
            "LibreOffice could not convert "
            + ", ".join(missing or ["the documents"])
            + (f": {detail[-1]}" if detail else "")
        )
    for pdf in pdfs:
        pdf.write_bytes(normalize_pdf(pdf.read_bytes()))
    return pdfs


def pdf_documents(scratch: Path, ids: list[str]) -> Iterator[tuple[str, bytes]]:
    """Yield each id and the PDF converted from ``scratch/<id>.docx``, in order."""
    docs = [scratch / f"{pid}.docx" for pid in ids]
    for pid, made in zip(ids, convert_to_pdf(docs, scratch / "pdf"), strict=True):
        yield pid, made.read_bytes()
