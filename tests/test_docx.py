"""DOCX output: reopened with python-docx and checked for structure, styles and metadata."""

from __future__ import annotations

import hashlib
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.shared import Pt

from ametijuhend_cli.messages import display_path
from ametijuhend_cli.render.reference import reference_docx
from conftest import POSITIONS, REPO, run
from wordmatch import ratio

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build_docx(project: Path, *ids: str) -> None:
    result = run("build", *ids, "--format", "docx")
    assert result.exit_code == 0, result.stderr


def open_docx(project: Path, position: str) -> Document:
    return docx.Document(str(project / "out" / f"{position}.docx"))


def markdown_headings(project: Path, position: str) -> list[str]:
    assert run("build", position, "--format", "md").exit_code == 0
    md = (project / "out" / f"{position}.md").read_text(encoding="utf-8")
    return [line[3:] for line in md.splitlines() if line.startswith("## ")]


@pytest.mark.parametrize("position", POSITIONS)
def test_docx_matches_reference_words(project: Path, position: str) -> None:
    build_docx(project, position)
    assert (
        ratio(
            project / "out" / f"{position}.docx", REPO / "tests" / "reference" / f"{position}.txt"
        )
        >= 0.97
    )


@pytest.mark.parametrize("position", POSITIONS)
def test_section_headings_and_order(project: Path, position: str) -> None:
    build_docx(project, position)
    document = open_docx(project, position)
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings == markdown_headings(project, position)
    assert [int(h.split(".")[0]) for h in headings] == list(range(1, len(headings) + 1))
    titles = [p.text for p in document.paragraphs if p.style and p.style.name == "Title"]
    assert titles == ["AMETIJUHEND"]


@pytest.mark.parametrize("position", POSITIONS)
def test_tables(project: Path, position: str) -> None:
    build_docx(project, position)
    tables = open_docx(project, position).tables
    general = [[c.text for c in row.cells] for t in tables[:2] for row in t.rows]
    assert [label.split(" ", 1)[1] for label in general[0] + general[2]] == [
        "Ametinimetus",
        "Struktuuriüksus",
        "Vahetu juht",
        "Kes asendab",
        "Keda asendab",
    ]
    tasks = tables[2]
    assert [c.text for c in tasks.rows[0].cells] == ["Põhiülesanded", "Oodatavad tulemused"]
    header = tasks.rows[0]._tr.trPr
    assert header is not None and header.find(f"{W}tblHeader") is not None
    numbers = [row.cells[0].text.split(" ", 1)[0] for row in tasks.rows[1:]]
    assert numbers == [f"3.{i}" for i in range(1, len(numbers) + 1)]
    for row in tasks.rows[1:]:
        results = row.cells[1].paragraphs
        assert results and all(p.style.name == "List Bullet" for p in results)
    requirements = [row.cells[0].text for row in tables[3].rows]
    assert requirements == ["Haridus", "Töökogemus", "Keeleoskus", "Arvutikasutamise oskus"]


@pytest.mark.parametrize("position", POSITIONS)
def test_every_list_paragraph_has_numbering(project: Path, position: str) -> None:
    build_docx(project, position)
    path = project / "out" / f"{position}.docx"
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
        numbering = z.read("word/numbering.xml").decode()
    paragraphs = re.findall(r"<w:p>.*?</w:p>", xml)
    listed = [p for p in paragraphs if 'w:pStyle w:val="ListBullet"' in p]
    assert len(listed) > 40
    num_ids = {re.search(r'<w:numId w:val="(\d+)"/>', p).group(1) for p in listed}  # type: ignore[union-attr]
    assert all("<w:numPr>" in p for p in listed)
    for num_id in num_ids:
        assert f'<w:num w:numId="{num_id}">' in numbering
    # no bullet glyph is typed into the text
    assert not re.search(r"<w:t[^>]*>[\u25aa\u2022\uf0a7\uf0b7]", xml)


def test_page_setup_and_footer(project: Path) -> None:
    build_docx(project, "teenusejuht-kov")
    document = open_docx(project, "teenusejuht-kov")
    section = document.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert (round(width.mm), round(height.mm)) == (210, 297)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert "Lk " in section.footer.paragraphs[0].text


def test_document_properties(project: Path) -> None:
    build_docx(project, "koordinaator-klat", "teenusejuht-kov")
    props = open_docx(project, "koordinaator-klat").core_properties
    unit = "Ohvriabi ja ennetusteenuste osakond, ennetustalitus, KLAT ja abivajava lapse SRT tiim"
    assert props.title == f"Ametijuhend: Koordinaator ({unit})"
    assert props.subject == unit
    assert props.author == "Sotsiaalkindlustusamet"
    assert props.language == "et-EE"
    assert props.created is not None and props.created.date().isoformat() == "2024-02-12"
    assert props.modified == props.created
    assert props.last_modified_by == "" and props.revision == 0
    undated = open_docx(project, "teenusejuht-kov").core_properties
    assert undated.created is None and undated.modified is None
    for name in ("koordinaator-klat", "teenusejuht-kov"):
        with zipfile.ZipFile(project / "out" / f"{name}.docx") as z:
            blob = b"".join(z.read(n) for n in z.namelist())
            assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in z.infolist())
        assert b"python-docx" not in blob and b"2013-12-23" not in blob
        assert str(Path.home()).encode() not in blob and str(project).encode() not in blob


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    def digests(folder: Path) -> dict[str, str]:
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())
            if p.suffix in (".md", ".docx")
        }

    assert run("build", "--out", str(tmp_path / "a")).exit_code == 0
    # the zip format stores times with two-second resolution: the second build starts in
    # the next two seconds (every time it could stamp is later than the first build's)
    time.sleep(2 - time.time() % 2 + 0.01)
    assert run("build", "--out", str(tmp_path / "b")).exit_code == 0
    first = digests(tmp_path / "a")
    assert len(first) == 2 * len(POSITIONS)
    assert first == digests(tmp_path / "b")


def test_project_reference_document_restyles_output(project: Path) -> None:
    restyled = docx.Document(str(REPO / "templates" / "reference.docx"))
    restyled.styles["Normal"].font.name = "Times New Roman"
    restyled.styles["Heading 1"].font.size = Pt(16)
    (project / "templates").mkdir()
    restyled.save(str(project / "templates" / "reference.docx"))
    build_docx(project, "teenusejuht-kov")
    styles = open_docx(project, "teenusejuht-kov").styles
    assert styles["Normal"].font.name == "Times New Roman"
    assert styles["Heading 1"].font.size == Pt(16)


def test_reference_document_without_a_style_is_reported(project: Path) -> None:
    broken = docx.Document(str(REPO / "templates" / "reference.docx"))
    broken.styles["Table Text"].element.getparent().remove(broken.styles["Table Text"].element)
    (project / "templates").mkdir()
    broken.save(str(project / "templates" / "reference.docx"))
    result = run("build", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr == (
        "templates/reference.docx: the reference document lacks the style(s) 'Table Text'\n"
        "    hint: copy them from the built-in one ('ametijuhend reference-docx FILE' writes it)\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_shipped_reference_document_is_the_generated_one() -> None:
    assert (REPO / "templates" / "reference.docx").read_bytes() == reference_docx(), (
        "run: ametijuhend reference-docx --force templates/reference.docx"
    )


def test_reference_docx_command(tmp_path: Path) -> None:
    target = tmp_path / "ref.docx"
    assert run("reference-docx", str(target)).exit_code == 0
    assert target.read_bytes() == reference_docx()
    again = run("reference-docx", str(target))
    assert again.exit_code == 1
    assert (
        again.stderr
        == f"error: {display_path(target)} already exists; use --force to overwrite it\n"
    )


def test_styles_are_found_by_the_names_word_shows(project: Path) -> None:
    # a reference document saved by a localized Word: other style ids, same names
    # ('heading 1' is how Word stores 'Heading 1')
    source = zipfile.ZipFile(REPO / "templates" / "reference.docx")
    (project / "templates").mkdir()
    with zipfile.ZipFile(project / "templates" / "reference.docx", "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/styles.xml":
                data = data.replace(b'w:styleId="Heading1"', b'w:styleId="Pealkiri1"')
                data = data.replace(b'w:styleId="ListBullet"', b'w:styleId="Loetelu"')
            out.writestr(info, data)
    build_docx(project, "teenusejuht-kov")
    body = zipfile.ZipFile(project / "out" / "teenusejuht-kov.docx").read("word/document.xml")
    assert b'<w:pStyle w:val="Pealkiri1"/>' in body and b'w:val="Heading1"' not in body
    assert b'<w:pStyle w:val="Loetelu"/>' in body and b'w:val="ListBullet"' not in body
