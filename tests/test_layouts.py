"""Every built-in layout builds a document of its family: golden Markdown, words, DOCX structure.

Each family in tests/layouts/<layout>/ is a small project whose ametijuhend.yaml
names the layout, with one position and reference.txt: the document as that
kind of agency writes it (our own words), as text extracted from it. The DOCX
built must read back as that text (word fidelity >= 0.98), the Markdown must
equal tests/golden/layouts/<layout>.md (``pytest --update-golden`` rewrites it)
and the DOCX must have the shape the layout describes.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from ametijuhend_cli.sources.templates import LAYOUTS_FOLDER
from conftest import REPO, run, working_folder
from officetools import pdftotext, require
from wordmatch import load, ratio, words

FAMILIES_DIR = REPO / "tests" / "layouts"
GOLDEN = REPO / "tests" / "golden" / "layouts"
FAMILIES = sorted(p.name for p in FAMILIES_DIR.iterdir() if (p / "ametijuhend.yaml").is_file())
BUILTIN = sorted(p.stem for p in (REPO / "templates" / LAYOUTS_FOLDER).glob("*.yaml"))
MIN_RATIO = 0.98


def family_project(tmp_path: Path, name: str) -> Path:
    """Return a copy of the family's project in ``tmp_path``."""
    root = tmp_path / name
    shutil.copytree(FAMILIES_DIR / name, root)
    return root


def build_family(tmp_path: Path, name: str) -> Path:
    """Build the family's project; return the path of its DOCX (the Markdown is beside it)."""
    root = family_project(tmp_path, name)
    with working_folder(root):
        result = run("build")
    assert result.exit_code == 0, result.stderr
    (docx_file,) = (root / "out").glob("*.docx")
    return docx_file


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the DOCX of every family, built once for the module."""
    folder = tmp_path_factory.mktemp("families")
    return {name: build_family(folder, name) for name in FAMILIES}


def test_every_builtin_layout_has_a_family() -> None:
    # the default layout's family is the sample project in data/
    assert sorted([*FAMILIES, "standard"]) == BUILTIN


@pytest.mark.parametrize("name", FAMILIES)
def test_docx_reads_back_as_the_reference(built: dict[str, Path], name: str) -> None:
    assert ratio(built[name], FAMILIES_DIR / name / "reference.txt") >= MIN_RATIO


@pytest.mark.parametrize("name", FAMILIES)
def test_golden_markdown(built: dict[str, Path], name: str, update_golden: bool) -> None:
    produced = built[name].with_suffix(".md").read_text(encoding="utf-8")
    golden = GOLDEN / f"{name}.md"
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8"), (
        "Markdown changed: review the difference, then run pytest --update-golden"
    )


@pytest.mark.parametrize("name", FAMILIES)
def test_markdown_has_every_word_of_the_reference(built: dict[str, Path], name: str) -> None:
    # the Markdown repeats a table's column heading at each task ("Oodatavad
    # tulemused:"), so it reads a little below the DOCX; it leaves out nothing
    markdown = built[name].with_suffix(".md")
    reference = FAMILIES_DIR / name / "reference.txt"
    have = Counter(words(load(markdown)))
    missing = Counter(words(load(reference))) - have
    assert not missing and ratio(markdown, reference) >= 0.93, sorted(missing)


# ---------------------------------------------------------------------------
# the structure of each family's DOCX


def blocks(document: Document) -> Iterator[Paragraph | Table]:
    """Yield the paragraphs and tables of the body in order."""
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, document)
        elif child.tag.endswith("}tbl"):
            yield Table(child, document)


def styled(document: Document, style: str) -> list[str]:
    """Return the text of the body's paragraphs in ``style``, in order."""
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def tables(document: Document) -> list[list[list[str]]]:
    """Return every table as rows of cell texts."""
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def open_family(built: dict[str, Path], name: str) -> Document:
    return docx.Document(str(built[name]))


def test_amet(built: dict[str, Path]) -> None:
    d = open_family(built, "amet")
    assert styled(d, "Approval") == [
        "Liiklusohutuse Ameti peadirektori 15.03.2024 käskkirja nr 1-2/41 "
        "„Ametijuhendite kinnitamine“ lisa 5"
    ]
    assert styled(d, "Banner") == ["LIIKLUSOHUTUSE AMET", "JÄRELEVALVE OSAKOND", "LÕUNA TALITUS"]
    assert styled(d, "Title") == ["JÄRELEVALVEINSPEKTORI AMETIJUHEND"]
    assert styled(d, "Heading 1")[:3] == ["1. ÜLDOSA", "2. TEENISTUSÜLESANDED", "3. VALVETEENISTUS"]
    general, task_table, signature = tables(d)
    assert [row[0] for row in general] == [f"1.{i}" for i in range(1, 9)]
    assert general[6][1:] == [
        "Teenistuskoha eesmärk",
        "Sõidukite tehnoseisundi ja vedude korralduse järele valvamine piirkonnas nii, et "
        "liiklejad saaksid selget ja ühtset nõu ning rikkumised lahendataks õigel ajal.",
    ]
    assert task_table[0] == ["Tööülesanne", "Tegevused", "Tulemuslikkuse kriteeriumid"]
    assert task_table[1][0] == "2.1 Sõidukite ja vedude kontrollimine teel."
    rights = styled(d, "Numbered Paragraph")
    assert rights[0] == "4.1\tTeenistujal on õigus peatada sõiduk ja kontrollida selle dokumente."
    assert "7.4\tJuhiload: B-kategooria juhiluba." not in rights  # lines of the requirements
    assert "7.4 Juhiload: B-kategooria juhiluba." in styled(d, "Normal")
    assert styled(d, "Signature Heading") == ["(allkirjastatud digitaalselt)"]
    assert signature == [["Tiina Kaasik"], ["peadirektor"]]


def test_ministeerium(built: dict[str, Path]) -> None:
    d = open_family(built, "ministeerium")
    assert styled(d, "Approval") == ["Lisa 3"]
    assert styled(d, "Heading 1") == [
        "I ÜLDSÄTTED",
        "II TEENISTUSKOHA EESMÄRK",
        "III TEENISTUSÜLESANDED",
        "IV ÕIGUSED",
        "V VASTUTUS",
        "VI NÕUDED TEENISTUJALE",
    ]
    assert d.tables == []
    numbered = styled(d, "Numbered Paragraph")
    assert (
        styled(d, "Numbered Paragraph 2")[0] == "3.1.1.\teelnõu väljatöötamiskavatsuse koostamine;"
    )
    assert numbered[:3] == [
        "2.1.\tMuuseumivaldkonna poliitika kujundamine ja elluviimine.",
        "2.2.\tMuuseumide rahastamise põhimõtete ettevalmistamine ja nende täitmise jälgimine.",
        "3.1.\tValdkonna õigusaktide eelnõude ettevalmistamine, sealhulgas:",
    ]
    assert "1.3. Vahetu juht: Osakonna juhataja" in styled(d, "Normal")
    assert d.paragraphs[-1].text == "(allkirjastatud digitaalselt)"


def test_omavalitsus(built: dict[str, Path]) -> None:
    d = open_family(built, "omavalitsus")
    assert styled(d, "Approval") == [
        "KINNITATUD",
        "Nõmmküla vallavanema 10.01.2024 käskkirjaga nr 5",
    ]
    assert styled(d, "Banner") == ["NÕMMKÜLA VALLAVALITSUS"]
    assert styled(d, "Title") == ["LASTEKAITSESPETSIALISTI AMETIJUHEND"]
    assert styled(d, "Heading 1")[:2] == ["1. Üldsätted", "3. Ametikoha ülesanded"]
    run_in = next(p for p in d.paragraphs if p.text.startswith("2. "))
    assert run_in.runs[0].text == "2. " and run_in.runs[0].style.name == "Strong"
    assert run_in.text.startswith("2. Ametikoha eesmärk on lapse õiguste")
    assert "1.1. Ametikoha nimetus Lastekaitsespetsialist" in styled(d, "Normal")
    assert styled(d, "Signature Heading") == [
        "Olen ametijuhendiga tutvunud ja kohustun seda järgima."
    ]
    (acknowledgement,) = tables(d)
    assert acknowledgement == [["Nimi:", ""], ["Kuupäev:", ""], ["Allkiri:", ""]]


def test_kool(built: dict[str, Path]) -> None:
    d = open_family(built, "kool")
    assert styled(d, "Approval") == []
    assert styled(d, "Banner") == ["Rannametsa Põhikool"]
    assert styled(d, "Title") == ["Koristaja ametijuhend"]
    assert styled(d, "Heading 1") == ["1 Üldsätted", "2 Tööülesanded", "3 Vastutus", "4 Õigused"]
    assert styled(d, "Lead-in")[:3] == ["Iga päev:", "Kord nädalas:", "Vastavalt vajadusele:"]
    assert styled(d, "List Bullet")[:2] == [
        "klassiruumide ja koridoride põrandate pühkimine ja pesemine;",
        "tualettruumide puhastamine ja tarvikute lisamine;",
    ]
    assert styled(d, "Normal")[0] == "Töötaja vahetu juht on majandusjuhataja."
    assert tables(d) == [[["Nimi:", ""], ["Kuupäev:", ""], ["Allkiri:", ""]]]


def test_sihtasutus(built: dict[str, Path]) -> None:
    d = open_family(built, "sihtasutus")
    assert styled(d, "Title") == ["AMETIJUHEND"]
    assert styled(d, "Subtitle") == ["(töökoha nr 12)"]
    assert styled(d, "Heading 1")[0] == "1. Üldsätted"
    assert styled(d, "Normal")[5] == (
        "Eesmärk: Sihtasutuse rahastatavate projektide õigeaegne ja eelarves püsiv elluviimine."
    )
    task_table, requirements, signatures = tables(d)
    assert task_table[0] == ["Tööülesanne", "Tulemuslikkuse kriteeriumid"]
    assert [row[0] for row in requirements] == ["Haridus", "Töökogemus", "Keeleoskus"]
    assert signatures[0] == ["Tööandja:", "Töötaja:"]


def test_kultuurikeskus(built: dict[str, Path]) -> None:
    d = open_family(built, "kultuurikeskus")
    assert styled(d, "Heading 1") == ["EESMÄRK", "TÖÖÜLESANDED", "VASTUTUS", "NÕUDED"]
    (general,) = tables(d)
    assert general[0] == ["Ametinimetus", "Kultuurijuht"]
    paragraph = next(p.text for p in d.paragraphs if p.text.startswith("Kultuurijuht koostab"))
    assert paragraph.endswith("teeb koostööd kooli ning raamatukoguga.")
    assert styled(d, "Signature Heading") == [] and styled(d, "Signature") == []


def test_standard_2024(built: dict[str, Path]) -> None:
    d = open_family(built, "standard-2024")
    assert styled(d, "Approval") == ["Lisa 4"]
    general = tables(d)[0]
    assert [row[0] for row in general] == [
        "1.1 Teenistuskoha nimetus",
        "1.2 Struktuuriüksus",
        "1.3 Ametisse nimetab",
        "1.4 Vahetu juht",
        "1.5 Kes asendab",
        "1.6 Keda asendab",
        "1.7 Teenistustingimuste erisused",
    ]
    assert styled(d, "Numbered Paragraph")[:2] == [
        "2.1\tAmeti otsuste toetamine usaldusväärse statistika ja analüüsiga.",
        "2.2\tAndmekvaliteedi parandamine ameti registrites.",
    ]
    assert styled(d, "Competency") == ["Analüüsivõime:", "Koostöövõime:"]


@pytest.mark.parametrize("name", FAMILIES)
def test_headings_are_the_same_in_both_formats(built: dict[str, Path], name: str) -> None:
    md = built[name].with_suffix(".md").read_text(encoding="utf-8")
    md_headings = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert styled(open_family(built, name), "Heading 1") == md_headings


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.parametrize("name", FAMILIES)
def test_docx_is_valid_ooxml(built: dict[str, Path], name: str) -> None:
    from openxml_audit import OpenXmlValidator

    errors = [str(e) for e in OpenXmlValidator().validate(str(built[name])).errors]
    assert errors == []


def test_layout_files_and_family_positions_match_their_json_schemas() -> None:
    import json

    import jsonschema
    import yaml

    from ametijuhend_cli.authoring.schema import schema_files

    schemas = {s.name: jsonschema.Draft7Validator(s.schema) for s in schema_files()}
    checked = [
        (path, "layout.schema.json")
        for path in sorted((REPO / "templates" / LAYOUTS_FOLDER).glob("*.yaml"))
    ]
    checked += [
        (path, "position.schema.json")
        for path in sorted(FAMILIES_DIR.glob("*/data/positions/*.yaml"))
    ]
    for path, schema in checked:
        # as JSON has it: dates are text
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        errors = [f"{e.json_path}: {e.message}" for e in schemas[schema].iter_errors(data)]
        assert errors == [], path


@pytest.mark.office
@pytest.mark.parametrize("name", FAMILIES)  # one LibreOffice each: shared among the workers
def test_every_family_reads_back_from_its_pdf(tmp_path: Path, name: str) -> None:
    """LibreOffice opens each family's DOCX; the PDF's text is the reference text."""
    require("soffice", "pdftotext")
    root = family_project(tmp_path, name)
    with working_folder(root):
        built = run("build", "--format", "pdf")
    assert built.exit_code == 0, built.stderr
    (pdf,) = (root / "out").glob("*.pdf")
    text = pdf.with_suffix(".txt")
    text.write_text(pdftotext(pdf), encoding="utf-8")
    pages = text.read_text(encoding="utf-8").count("\f")
    assert f"Lk 1 / {pages}" in text.read_text(encoding="utf-8"), name
    assert ratio(text, FAMILIES_DIR / name / "reference.txt") >= 0.95, name
