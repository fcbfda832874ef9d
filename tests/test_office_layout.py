"""Page layout as LibreOffice sets it (make check-office): page breaks, a resaved reference."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run, working_folder
from officetools import pdftotext, require, soffice

pytestmark = pytest.mark.office

#: The samples whose task lists are cut short: two parties sign, an official
#: and an employee; an approver signs alone.
SAMPLES = ("teenusejuht-kov", "ekspert-kriisiabi", "koordinaator-klat")
LEAD_INS = {"Omab õigust:", "Omab vastutust:", "Töötajal on õigus:", "Töötaja vastutab:"}
SUBHEADINGS = {
    "Tööks vajalikud kompetentsid",
    "Täiendavad kompetentsid, isikuomadused ja teadmised",
}
HEADING = re.compile(r"^\d+\. [A-ZÕÄÖÜŠŽ ]+$")
FOOTER = re.compile(r"^Lk \d+ / \d+$")


def pages_of(pdf: Path) -> list[list[str]]:
    """Return the lines of each page, without blank lines and the footer."""
    text = pdftotext(pdf, "layout")
    pages = [
        [line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")
    ]
    pages = [[line for line in page if not FOOTER.match(line)] for page in pages]
    return [page for page in pages if page]


def variants(project: Path) -> list[str]:
    """Write each sample with 1, 2, … of its tasks; return their ids."""
    folder = project / "data" / "positions"
    made = []
    for sample in SAMPLES:
        source = yaml.safe_load((folder / f"{sample}.yaml").read_text(encoding="utf-8"))
        for count in range(1, len(source["tasks"]) + 1):
            data = dict(source, tasks=source["tasks"][:count])
            pid = f"{sample}-{count}"
            (folder / f"{pid}.yaml").write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            made.append(pid)
    return made


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[str]]]:
    require("soffice", "pdftotext")
    project = tmp_path_factory.mktemp("paged")
    shutil.copytree(REPO / "data", project / "data")
    made = variants(project)
    with working_folder(project):
        built = run("build", *made, "--format", "pdf", "--format", "md")
    assert built.exit_code == 0, built.stderr
    return {pid: pages_of(project / "out" / f"{pid}.pdf") for pid in made}


def signature_opening(pages: list[list[str]]) -> tuple[int, int]:
    """Return the page and line where the signature block begins."""
    for number, page in enumerate(pages):
        for index, line in enumerate(page):
            if line == "Poolte allkirjad:":
                return number, index
    # an approver who signs alone: the last "(allkirjastatud digitaalselt)"
    number = max(i for i, page in enumerate(pages) if "(allkirjastatud digitaalselt)" in page)
    return number, pages[number].index("(allkirjastatud digitaalselt)")


def test_no_page_starts_with_the_signatures(paged: dict[str, list[list[str]]]) -> None:
    moved = 0  # documents whose last clause went to the next page with the signatures
    for pid, pages in paged.items():
        assert len(pages) >= 2, pid
        number, index = signature_opening(pages)
        assert index > 0, f"{pid}: page {number + 1} starts with the signatures"
        if number > 0 and not any(HEADING.match(line) for line in pages[number][:index]):
            moved += 1
    # the variants do put the boundary at a page end: in some of them the
    # clause before the signatures had to go along to the next page
    assert moved >= 1


def test_no_page_ends_with_a_heading_or_lead_in(paged: dict[str, list[list[str]]]) -> None:
    openings = 0  # pages that begin with a heading or lead-in: the boundary was hit
    for pid, pages in paged.items():
        for number, page in enumerate(pages[:-1], 1):
            last = page[-1]
            assert not HEADING.match(last), f"{pid}: page {number} ends with heading {last!r}"
            assert last not in SUBHEADINGS, f"{pid}: page {number} ends with {last!r}"
            if last in LEAD_INS:
                # LibreOffice (7.4) keeps one paragraph with the next, not a chain
                # of two: where the heading and its lead-in both fit and the
                # first item does not, the two stay together at the foot. Word
                # keeps the chain; the DOCX asks for it (test_docx_package.py).
                assert HEADING.match(page[-2]), f"{pid}: page {number} ends with {last!r}"
            following = pages[number]
            if HEADING.match(following[0]) or following[0] in LEAD_INS:
                openings += 1
    assert openings >= 3


def test_reference_saved_by_libreoffice_builds_the_same_pages(tmp_path: Path) -> None:
    # the README tells HR to restyle reference.docx in Word or LibreOffice and save it
    saved = tmp_path / "saved"
    soffice(
        [
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(saved),
            str(REPO / "templates" / "reference.docx"),
        ],
        tmp_path,
    )
    for kind in ("shipped", "resaved"):
        project = tmp_path / kind
        shutil.copytree(REPO / "data", project / "data")
        if kind == "resaved":
            (project / "templates").mkdir()
            shutil.copy(saved / "reference.docx", project / "templates" / "reference.docx")
        with working_folder(project):
            built = run("build", "--format", "pdf")
        assert built.exit_code == 0, built.stderr
    for pdf in sorted((tmp_path / "shipped" / "out").glob("*.pdf")):
        assert pages_of(tmp_path / "resaved" / "out" / pdf.name) == pages_of(pdf), pdf.name
