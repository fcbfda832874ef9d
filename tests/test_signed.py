"""Back from signing: signed ASiC-E containers read, checked and matched with revisions."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from ametijuhend_cli.sources.asice import AsiceError, read_container
from asice_factory import container, make_signer, signature_xml, signed_container
from conftest import edit, git, run

POSITION = "data/positions/teenusejuht-kov.yaml"
WHEN = dt.datetime(2025, 3, 2, 22, 30, tzinfo=dt.timezone.utc)  # 3 March in Tallinn


@pytest.fixture(scope="module")
def signers() -> dict[str, object]:
    return {
        "approver": make_signer("Maret", "Maripuu", "47001010000"),
        "employee": make_signer("Mart-Peeter", "Erss", "38001010000", kind="ec"),
    }


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def _build(repo: Path) -> bytes:
    assert run("build", "teenusejuht-kov", "--format", "docx").exit_code == 0
    return (repo / "out/teenusejuht-kov.docx").read_bytes()


def test_signers_times_and_the_revision_of_each_document(
    repo: Path, signers: dict[str, object]
) -> None:
    signed_doc = _build(repo)
    old_head = git(repo, "rev-parse", "HEAD").strip()
    edit(repo / POSITION, "Vähemalt 3-aastane töökogemus", "Vähemalt 5-aastane töökogemus")
    commit(repo, "experience")
    data = signed_container(
        {"teenusejuht-kov.docx": signed_doc, "märkused.txt": "Märkus.".encode()},
        [signers["approver"], signers["employee"]],  # type: ignore[list-item]
        WHEN,
    )
    (repo / "allkirjastatud.asice").write_bytes(data)
    result = run("signed", "allkirjastatud.asice")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "allkirjastatud.asice: 2 signatures",
        "  signed by MARET MARIPUU (PNOEE-47001010000) at 2025-03-02 22:30 UTC: "
        "proved by the container",
        "  signed by MART-PEETER ERSS (PNOEE-38001010000) at 2025-03-02 22:30 UTC: "
        "proved by the container",
    ]
    assert "  märkused.txt: not a Word document: not compared" in result.stdout
    assert (
        f"  teenusejuht-kov.docx: teenusejuht-kov as built from {old_head[:12]} " in result.stdout
    )
    # in CI: the signed document no longer matches the sources
    check = run("signed", "--check", "allkirjastatud.asice")
    assert check.exit_code == 1
    assert check.stderr == "1 signed job description no longer matches the sources\n"
    assert "      -    Vähemalt 3-aastane töökogemus valdkonnas." in check.stdout
    assert "      +    Vähemalt 5-aastane töökogemus valdkonnas." in check.stdout


def test_a_changed_file_breaks_the_signature(repo: Path, signers: dict[str, object]) -> None:
    doc = _build(repo)
    files = {"teenusejuht-kov.docx": doc}
    xml = signature_xml(signers["approver"], files, WHEN)  # type: ignore[arg-type]
    forged = container({"teenusejuht-kov.docx": doc[:-10] + b"0123456789"}, [xml])
    report = read_container(forged)
    shown = [str(problem) for problem in report.signatures[0].problems]
    assert shown == ["'teenusejuht-kov.docx' was changed after signing"]
    tampered_time = xml.replace(b"2025-03-02T22:30:00Z", b"2025-03-01T22:30:00Z")
    report = read_container(container(files, [tampered_time]))
    assert [str(p) for p in report.signatures[0].problems] == [
        "the signed properties were changed after signing"
    ]
    other = make_signer("Mari", "Mets", "49001010000")
    swapped = signature_xml(other, files, WHEN)
    cert = swapped.split(b"<ds:X509Certificate>")[1].split(b"</ds:X509Certificate>")[0]
    original = xml.split(b"<ds:X509Certificate>")[1].split(b"</ds:X509Certificate>")[0]
    report = read_container(container(files, [xml.replace(original, cert)]))
    assert [str(p) for p in report.signatures[0].problems] == [
        "the signed properties do not name the signer's certificate",
        "the signature value does not match (the signed data was changed)",
    ]


def test_record_the_approval(repo: Path, signers: dict[str, object]) -> None:
    result = run("directive", "--date", "2025-03-01", "-o", "kk", "--", "teenusejuht-kov")
    assert result.exit_code == 0, result.stderr
    files = {p.name: p.read_bytes() for p in sorted((repo / "kk").iterdir())}
    data = signed_container(files, [signers["approver"]], WHEN)  # type: ignore[list-item]
    (repo / "kaskkiri.asice").write_bytes(data)
    usage = run("signed", "--record", "kaskkiri.asice")
    assert usage.exit_code == 2
    result = run("signed", "--record", "--number", "1-2/34", "kaskkiri.asice")
    assert result.exit_code == 0, result.stderr
    annex = "  01-lisa-1-teenusejuht-kov.docx: teenusejuht-kov as built from the working tree"
    assert f"{annex}: identical" in result.stdout
    assert "  00-kaskkiri.docx: names no position of the project" in result.stdout
    assert result.stdout.endswith("wrote data/positions/teenusejuht-kov.yaml\n")
    position = yaml.safe_load((repo / POSITION).read_text(encoding="utf-8"))
    assert position["approval"] == {
        "date": dt.date(2025, 3, 3),
        "number": "1-2/34",
        "signed_by": "MARET MARIPUU",
    }
    assert run("validate").exit_code == 0
    # recorded again: the block is replaced, not repeated
    assert run("signed", "--record", "--number", "1-2/35", "kaskkiri.asice").exit_code == 0
    text = (repo / POSITION).read_text(encoding="utf-8")
    assert text.count("approval:") == 1 and 'number: "1-2/35"' in text


def _zip(entries: dict[str, bytes]) -> bytes:
    """A zip of `entries`, the same bytes on every call (a fixed date, not the clock's)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries.items():
            zf.writestr(
                zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


MIME = {"mimetype": b"application/vnd.etsi.asic-e+zip"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"not a zip", "not a readable ASiC-E container: the file is not a zip package"),
        (lambda: _zip({"mimetype": b"application/pdf"}), "not an ASiC-E container: its 'mimetype'"),
        (lambda: _zip(MIME), "the container has no signature (META-INF/signatures*.xml)"),
        (
            lambda: _zip(
                {**MIME, "META-INF/signatures0.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'}
            ),
            "not a readable ASiC-E container: part 'META-INF/signatures0.xml' declares a DOCTYPE",
        ),
        (
            lambda: _zip({**MIME, "META-INF/signatures0.xml": b"<x"}),
            "part 'META-INF/signatures0.xml' is not well-formed XML (line 1, column 3)",
        ),
        (
            lambda: _zip({**MIME, "META-INF/signatures0.xml": b"<x/>"}),
            "'META-INF/signatures0.xml': it holds no XML signature (ds:Signature)",
        ),
        (
            lambda: _zip({**MIME, "../evil.docx": b"x", "META-INF/signatures0.xml": b"<x/>"}),
            "part '../evil.docx': the part name contains '.', '..' or '//'",
        ),
        (
            lambda: _zip({**MIME, "big.docx": b"\0" * (70 * 1024 * 1024)}),
            "part 'big.docx' inflates to more than 64 MB (a zip bomb?)",
        ),
    ],
    ids=[
        "not-zip",
        "other-mimetype",
        "no-signature",
        "doctype",
        "bad-xml",
        "no-ds-signature",
        "dotdot",
        "zip-bomb",
    ],
)
def test_hostile_containers(repo: Path, make: Callable[[], bytes], message: str) -> None:
    data = make()  # made here, not when the tests are collected (the bomb takes a while)
    with pytest.raises(AsiceError) as caught:
        read_container(data)
    assert message in str(caught.value)
    (repo / "x.asice").write_bytes(data)
    result = run("signed", "x.asice")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: x.asice: ") and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_bad_signature_value_in_base64(repo: Path, signers: dict[str, object]) -> None:
    files = {"a.docx": b"x"}
    xml = signature_xml(signers["approver"], files, WHEN)  # type: ignore[arg-type]
    start = xml.index(b'Id="S0-SIG">') + len(b'Id="S0-SIG">')
    broken = xml[:start] + b"!!!" + xml[start:]
    with pytest.raises(AsiceError, match="the signature value is not base64"):
        read_container(container(files, [broken]))
