"""Checks with a real office suite (make check-office): LibreOffice opens every DOCX.

Not part of `make test`: they need LibreOffice (soffice) and poppler's
pdftotext, which `.ci/run` installs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import POSITIONS, REPO, position_content, run, working_folder
from wordmatch import ratio

pytestmark = pytest.mark.office


def squeeze(text: str) -> str:
    """Return ``text`` without white space and bullets, so line wrapping does not matter."""
    return re.sub(r"[\s\u25aa\u2013]+", "", text)


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    for tool in ("soffice", "pdftotext"):
        assert shutil.which(tool), f"{tool} is not installed (see .ci/run)"
    out = tmp_path_factory.mktemp("office")
    with working_folder(REPO):
        built = run("build", "--format", "pdf", "--format", "md", "--out", str(out))
    assert built.exit_code == 0, built.stderr
    texts = {}
    for position in POSITIONS:
        pdf = out / f"{position}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 10_000
        txt = out / f"{position}.txt"
        # -raw keeps LibreOffice's content order (a table row's cells one after
        # the other) instead of guessing columns from positions on the page
        subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), str(txt)], check=True)
        texts[position] = txt.read_text(encoding="utf-8")
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
    with working_folder(REPO):
        result = run("build", "teenusejuht-kov", "--format", "pdf", "--out", str(tmp_path))
    assert result.exit_code == 0
    first = Path(pdf_texts["_out"]) / "teenusejuht-kov.pdf"
    assert (tmp_path / "teenusejuht-kov.pdf").read_bytes() == first.read_bytes()


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
