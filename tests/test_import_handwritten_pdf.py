"""Other agencies' handwritten documents as the text of their PDF, imported on a first day.

Each project of tests/layouts-handwritten/ is built, LibreOffice makes a PDF of
its DOCX and pdftotext extracts its text (-layout: a table's columns side by
side; -raw: its cells one after another). A first day (`init --from-docx`) on
the text must build a document that reads back as the DOCX, word for word
(tests/wordmatch.py, >= 0.95): the tables of the -layout text (tasks with their
results and activities, labels with their values, signatures side by side) are
read as tables.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from test_layouts_handwritten import HANDWRITTEN, PROJECTS, build_project

from conftest import run, working_folder
from officetools import pdftotext, require, soffice
from wordmatch import ratio

MIN_RATIO = 0.95
#: Texts the importer does not read yet, and why (strict: a fix shows).
NOT_YET: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return each project's DOCX and the texts of its PDF, by project and kind."""
    require("soffice", "pdftotext")
    folder = tmp_path_factory.mktemp("handwritten-pdf")
    out: dict[str, Path] = {}
    for name in PROJECTS:
        out[f"{name}/docx"] = folder / f"{name}.docx"
        shutil.copy(build_project(folder / "built", name), out[f"{name}/docx"])
    names = [f"{name}.docx" for name in PROJECTS]
    soffice(["--convert-to", "pdf", "--outdir", "pdf", *names], folder)
    for name in PROJECTS:
        for mode in ("layout", "raw"):
            text = folder / f"{name}.{mode}.txt"
            text.write_text(pdftotext(folder / "pdf" / f"{name}.pdf", mode), encoding="utf-8")
            out[f"{name}/{mode}"] = text
    return out


@pytest.mark.office
@pytest.mark.parametrize(
    ("name", "mode"),
    [
        pytest.param(n, m, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[n, m]))
        if (n, m) in NOT_YET
        else (n, m)
        for n in PROJECTS
        for m in ("layout", "raw")
    ],
)
def test_the_text_of_its_pdf_reads_back_on_a_first_day(
    sources: dict[str, Path], tmp_path: Path, name: str, mode: str
) -> None:
    organization = (HANDWRITTEN / name / "data" / "organization.yaml").read_text("utf-8")
    agency = str(yaml.safe_load(organization)["agency"])
    with working_folder(tmp_path):
        text = str(sources[f"{name}/{mode}"])
        made = run("init", "--agency", agency, "--ci", "none", "--from-docx", text)
        assert made.exit_code == 0, made.stderr
        assert run("build", "--format", "docx").exit_code == 0
    (built,) = (tmp_path / "out").glob("*.docx")
    assert ratio(built, sources[f"{name}/docx"]) >= MIN_RATIO
