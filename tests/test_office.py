"""Checks with a real office suite (make check-office): LibreOffice opens every DOCX.

Not part of `make test`: they need LibreOffice (soffice) and poppler's
pdftotext, which `.ci/run` installs.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import POSITIONS, REPO, position_content, run, working_folder
from officetools import pdftotext, require
from wordmatch import ratio

pytestmark = pytest.mark.office


def squeeze(text: str) -> str:
    """Return ``text`` without white space and bullets, so line wrapping does not matter."""
    return re.sub(r"[\s\u25aa\u2013]+", "", text)


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    require("soffice", "pdftotext")
    out = tmp_path_factory.mktemp("office")
    with working_folder(REPO):
        built = run("build", "--format", "pdf", "--format", "md", "--out", str(out))
    assert built.exit_code == 0, built.stderr
    texts = {}
    for position in POSITIONS:
        pdf = out / f"{position}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 10_000
        # -raw keeps LibreOffice's content order (a table row's cells one after
        # the other) instead of guessing columns from positions on the page
        texts[position] = pdftotext(pdf)
        (out / f"{position}.txt").write_text(texts[position], encoding="utf-8")
    texts["_out"] = str(out)
    return texts


@pytest.mark.parametrize("position", POSITIONS)
def test_pdf_has_every_heading_and_task(pdf_texts: dict[str, str], position: str) -> None:
    pdf = squeeze(pdf_texts[position])
    md = (Path(pdf_texts["_out"]) / f"{position}.md").read_text(encoding="utf-8")
    headings = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    tasks = [line[4:] for line in md.splitlines() if line.startswith("### 3.")]
    assert len(headings) >= 7 and len(tasks) >= 10
    for text in headings + tasks:
        assert squeeze(text.replace("\\", "")) in pdf, f"missing in the PDF: {text}"


@pytest.mark.parametrize("position", POSITIONS)
def test_pdf_text_matches_reference(pdf_texts: dict[str, str], position: str) -> None:
    text_file = Path(pdf_texts["_out"]) / f"{position}.txt"
    assert ratio(text_file, REPO / "tests" / "reference" / f"{position}.txt") >= 0.95


@pytest.mark.parametrize("position", POSITIONS)
def test_pdf_has_page_numbers(pdf_texts: dict[str, str], position: str) -> None:
    pages = pdf_texts[position].count("\f")
    assert pages >= 3
    assert f"Lk 1 / {pages}" in pdf_texts[position]
    assert f"Lk {pages} / {pages}" in pdf_texts[position]


def test_pdf_is_reproducible(pdf_texts: dict[str, str], tmp_path: Path) -> None:
    # a second conversion, seconds later: the ICC profile, the XMP metadata and
    # the document information all carry the time, the ids are random
    with working_folder(REPO):
        result = run("build", "--format", "pdf", "--out", str(tmp_path))
    assert result.exit_code == 0
    for position in POSITIONS:
        first = Path(pdf_texts["_out"]) / f"{position}.pdf"
        assert (tmp_path / f"{position}.pdf").read_bytes() == first.read_bytes(), position


def pdfinfo(pdf: Path) -> dict[str, str]:
    done = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(pdf)], capture_output=True, text=True, check=True
    )
    assert done.stderr == ""  # poppler reports a broken cross-reference table here
    return dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)


@pytest.mark.parametrize("position", POSITIONS)
def test_pdf_is_tagged_and_pdf_a(pdf_texts: dict[str, str], position: str) -> None:
    # no PDF/A validator installs here (veraPDF is in no package registry we
    # reach): the parts PDF/A-2b and an accessible PDF need are checked one by one
    pdf = Path(pdf_texts["_out"]) / f"{position}.pdf"
    data = pdf.read_bytes()
    info = {k: v.strip() for k, v in pdfinfo(pdf).items()}
    assert info["Tagged"] == "yes"
    assert info["Title"].startswith("Ametijuhend: ")
    assert info["CreationDate"].endswith("1980 UTC")
    xmp = data[data.index(b"<x:xmpmeta") : data.index(b"</x:xmpmeta>")].decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert f'<rdf:li xml:lang="x-default">{info["Title"]}</rdf:li>' in xmp
    # the XMP date equals the document information's
    assert re.findall(r"<xmp:CreateDate>([^<]*)<", xmp) == ["1980-01-01T00:00:00Z"]
    assert re.findall(rb"/CreationDate\(([^)]*)\)", data) == [b"D:19800101000000Z'"]
    assert b"/Lang(et-EE)" in data
    assert b"/MarkInfo<</Marked true>>" in data
    assert b"/StructTreeRoot" in data
    intent = re.search(rb"/OutputIntents\s*\[\s*(\d+) 0 R", data)
    assert intent is not None
    intent_obj = re.search(rb"(?<![0-9])%s 0 obj\s*<<(.*?)>>" % intent.group(1), data, re.S)
    assert intent_obj is not None
    assert b"/S/GTS_PDFA1" in intent_obj.group(1).replace(b" ", b"")
    assert b"/DestOutputProfile" in intent_obj.group(1)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # embedded
    assert b"/Encrypt" not in data


@pytest.mark.parametrize("position", POSITIONS)
def test_import_of_the_pdf_text_gives_the_position_back(
    pdf_texts: dict[str, str], position: str, project: Path
) -> None:
    source = Path(pdf_texts["_out"]) / f"{position}.txt"
    target = project / "data" / "positions" / "imported.yaml"
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert position_content(target) == position_content(
        project / "data" / "positions" / f"{position}.yaml"
    )
