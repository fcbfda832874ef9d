"""Other agencies' job descriptions, written in the format by hand as a new user writes them.

Each project in tests/layouts-handwritten/ (see its README) was written from the
README and docs/format.md for a document unlike any built-in layout, with a
layout of its own that extends the closest built-in one. Its DOCX must read back
as the document's text (word fidelity >= 0.98), its Markdown must equal
tests/golden/layouts-handwritten/<project>.md (``pytest --update-golden``
rewrites it), and the shapes these documents brought in must be in the DOCX as
Word shows them: approval notes in order, a section that continues another,
fields as sections, numbered sections of the agency's own, a number column,
the signature block without its heading or mark, one signer under another.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.document import Document
from test_layouts import styled, tables

from ametijuhend_cli.layout import Layout
from conftest import REPO, run, working_folder
from officetools import pdftotext, require
from wordmatch import load, ratio, words

HANDWRITTEN = REPO / "tests" / "layouts-handwritten"
GOLDEN = REPO / "tests" / "golden" / "layouts-handwritten"
PROJECTS = sorted(p.name for p in HANDWRITTEN.iterdir() if (p / "ametijuhend.yaml").is_file())
MIN_RATIO = 0.98


def build_project(folder: Path, name: str) -> Path:
    """Build a copy of project ``name``; return the DOCX its reference text is of.

    A project with several positions (one refers to another) has its
    reference text of one of them: the one whose DOCX reads back best.
    """
    root = folder / name
    shutil.copytree(HANDWRITTEN / name, root)
    with working_folder(root):
        result = run("build")
    assert result.exit_code == 0, result.stderr
    reference = HANDWRITTEN / name / "reference.txt"
    return max(sorted((root / "out").glob("*.docx")), key=lambda p: ratio(p, reference))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the DOCX of every project, built once for the module."""
    folder = tmp_path_factory.mktemp("handwritten")
    return {name: build_project(folder, name) for name in PROJECTS}


def open_built(built: dict[str, Path], name: str) -> Document:
    return docx.Document(str(built[name]))


@pytest.mark.parametrize("name", PROJECTS)
def test_docx_reads_back_as_the_document(built: dict[str, Path], name: str) -> None:
    assert ratio(built[name], HANDWRITTEN / name / "reference.txt") >= MIN_RATIO


@pytest.mark.parametrize("name", PROJECTS)
def test_markdown_has_every_word_of_the_document(built: dict[str, Path], name: str) -> None:
    markdown = built[name].with_suffix(".md")
    missing = Counter(words(load(HANDWRITTEN / name / "reference.txt"))) - Counter(
        words(load(markdown))
    )
    assert not missing, sorted(missing)


@pytest.mark.parametrize("name", PROJECTS)
def test_golden_markdown(built: dict[str, Path], name: str, update_golden: bool) -> None:
    produced = built[name].with_suffix(".md").read_text(encoding="utf-8")
    golden = GOLDEN / f"{name}.md"
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8"), (
        "Markdown changed: review the difference, then run pytest --update-golden"
    )


@pytest.mark.parametrize("name", PROJECTS)
def test_headings_are_the_same_in_both_formats(built: dict[str, Path], name: str) -> None:
    md = built[name].with_suffix(".md").read_text(encoding="utf-8")
    md_headings = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert styled(open_built(built, name), "Heading 1") == md_headings


@pytest.mark.slow
@pytest.mark.parametrize("name", PROJECTS)
def test_docx_is_valid_ooxml(built: dict[str, Path], name: str) -> None:
    from openxml_audit import OpenXmlValidator

    errors = [str(e) for e in OpenXmlValidator().validate(str(built[name])).errors]
    assert errors == []


# ---------------------------------------------------------------------------
# the shapes, as Word shows them


def numbered(d: Document) -> list[str]:
    return styled(d, "Numbered Paragraph")


def test_label_over_the_approval_block(built: dict[str, Path]) -> None:
    d = open_built(built, "amet-kinnitatud-lisa")
    assert styled(d, "Approval") == [
        "Lisa 8",
        "KINNITATUD",
        "Põllumajandusregistrite Ameti peadirektori 05.03.2025 käskkirjaga nr 1-1/25/40",
    ]
    assert styled(d, "Title") == ["VANEMSPETSIALISTI AMETIJUHEND"]
    assert styled(d, "Subtitle") == ["põhitöö nr 586"]
    # the signers' own labels, no "Poolte allkirjad:" over them
    assert styled(d, "Signature Heading") == []
    assert tables(d)[-1] == [
        ["Tööandja esindaja:", "Ametnik:"],
        ["(allkirjastatud digitaalselt)", "(allkirjastatud digitaalselt)"],
        ["Kaarel Lepik", "Liisa Põder"],
        ["peadirektor", ""],
    ]


def test_a_section_that_continues_the_one_before(built: dict[str, Path]) -> None:
    d = open_built(built, "vald-oigused-vastutus")
    assert styled(d, "Heading 1") == [
        "1. Üldosa",
        "2. Teenistusülesanded",
        "3. Õigused ja vastutus",
        "4. Nõuded ametikohale",
    ]
    assert [p.split("\t")[0] for p in numbered(d)][-4:] == ["3.1.", "3.2.", "3.3.", "3.4."]
    assert (
        numbered(d)[-1] == "3.4.\tAmetnik vastutab ehitisregistrisse kantud andmete õigsuse eest."
    )
    general = tables(d)[0]
    assert general[-2:] == [
        ["Tööpiirkond", "Metsaküla valla haldusterritoorium"],
        [
            "Ametikoha eesmärk",
            "Valla ehitustegevuse seaduslikkuse tagamine ning elanike ja ettevõtjate "
            "nõustamine ehitusküsimustes.",
        ],
    ]
    assert styled(d, "Signature Heading") == ["Ametijuhendiga tutvusin ja olen sellega nõus."]


def test_paragraphs_of_the_general_part_among_its_fields(built: dict[str, Path]) -> None:
    d = open_built(built, "accept-c")
    assert styled(d, "Normal")[:3] == [
        "1.1 Koristaja töötab Kasesalu Koolis töölepingu alusel.",
        "1.2 Koristaja allub majandusjuhatajale.",
        "1.3 Koristajat asendab teine koristaja.",
    ]
    assert numbered(d) == [
        "3.1\tKoristajal on õigus saada tööks vajalikke puhastusvahendeid.",
        "3.2\tKoristaja vastutab talle antud võtmete ja vahendite eest.",
    ]


def test_fields_and_own_sections_between_the_standard_ones(built: dict[str, Path]) -> None:
    d = open_built(built, "kool-tooaeg")
    assert styled(d, "Heading 1") == [
        "1. Üldsätted",
        "2. Töö eesmärk",
        "3. Tööaeg",
        "4. Tööülesanded",
        "5. Tööpiirkond",
        "6. Õigused",
        "7. Vastutus",
    ]
    # the sentences name the position by its title, from the layout's template
    assert styled(d, "Normal")[0] == "1.1. Õpetaja abi võtab tööle ja vabastab töölt direktor."
    assert numbered(d)[:2] == [
        "3.1.\tÕpetaja abi tööaeg on 35 tundi nädalas.",
        "3.2.\tTööaja jaotuse päevade kaupa kinnitab õppealajuhataja tunniplaani alusel.",
    ]
    assert "Töö toimub kooli õppehoones, kooli õuealal ja õppekäikude sihtkohtades." in styled(
        d, "Normal"
    )
    assert styled(d, "Signature Heading") == []  # both sign, without a heading


def test_the_general_part_in_one_paragraph(built: dict[str, Path]) -> None:
    d = open_built(built, "kultuurimaja-proosa")
    assert styled(d, "Normal")[0] == (
        "Ringijuht võetakse tööle ja vabastatakse töölt rahvamaja juhataja käskkirjaga. "
        "Ringijuht allub rahvamaja juhatajale. Ringijuhti asendab juhataja määratud töötaja."
    )


def test_a_number_column_and_competencies_of_their_own(built: dict[str, Path]) -> None:
    d = open_built(built, "loodusvalve-nr-veerg")
    general, task_table, requirements, acknowledgement = tables(d)
    assert [row[0] for row in requirements] == ["Haridus", "Keeleoskus", "Juhiluba"]
    assert general[0] == ["1.1 Ametikoht", "metsavaht"]
    assert task_table[0] == ["Nr", "Teenistusülesanne", "Oodatav tulemus"]
    assert task_table[1][:2] == ["3.1", "Metsateatiste menetlemine ja raiete kontrollimine."]
    assert styled(d, "Heading 1")[-2:] == ["7. Kompetentsid", "8. Ametijuhendi muutmine"]
    assert styled(d, "Heading 2") == []  # the section's heading stands for the sub-heading
    assert styled(d, "Competency") == ["Otsustusvõime:", "Koostöövõime:"]
    assert acknowledgement[0] == ["Nimi:", ""]
    # the number column holds 'Nr' and '3.1' on one line: about a tenth of the page
    grid = d.tables[1]._tbl.tblGrid.gridCol_lst
    widths = [int(col.w or 0) for col in grid]
    assert widths[0] / sum(widths) >= 0.09, widths


def test_signers_one_under_another_without_names(built: dict[str, Path]) -> None:
    d = open_built(built, "accept-b")
    # no heading opens the block: each signer's first line has the heading's space
    assert styled(d, "Signature Heading") == [
        "Tööandja: (allkirjastatud digitaalselt)",
        "Teenistuja: (allkirjastatud digitaalselt)",
    ]
    assert len(tables(d)) == 1  # the requirements; the signatures are lines


def test_signed_on_paper(built: dict[str, Path]) -> None:
    d = open_built(built, "raamatukogu-viited")
    assert styled(d, "Approval") == [
        "Lisa 1 Kivimäe Linnaraamatukogu direktori 02.09.2024 käskkirjale nr 14"
    ]
    assert styled(d, "Title") == ["Raamatukoguhoidja ametijuhend"]  # title_case: sentence
    assert styled(d, "Signature Heading") == ["Kinnitan:"]
    assert styled(d, "Signature") == ["Mari Oja", "direktor"]
    text = "\n".join(p.text for p in d.paragraphs)
    assert "allkirjastatud" not in text and "Oodatavad tulemused" not in text
    # a referenced position's title as it writes it
    assert "Vahetu juht: teenindusosakonna juhataja" in styled(d, "Normal")


def test_a_table_before_the_signatures_stays_with_them(built: dict[str, Path]) -> None:
    # every paragraph of the requirements table is kept with the next: Word and
    # LibreOffice move it to the signatures' page rather than leave them alone there
    d = open_built(built, "accept-b")
    (requirements,) = d.tables
    kept = [
        p.paragraph_format.keep_with_next
        for row in requirements.rows
        for c in row.cells
        for p in c.paragraphs
    ]
    assert kept and all(kept)


def test_a_unit_named_in_full(built: dict[str, Path]) -> None:
    d = open_built(built, "accept-a")
    assert styled(d, "Banner") == ["TEEDE HOOLDUSAMET", "TEHNIKAOSAKOND", "SÕIDUKITE TALITUS"]
    assert "1.2. Struktuuriüksus: tehnikaosakonna sõidukite talitus" in styled(d, "Normal")


def test_a_three_column_table_over_a_layout_of_two_tables(built: dict[str, Path]) -> None:
    # the layout changes the general part's form and gives no widths: those of the
    # layout it extends were made for other columns (they broke the build)
    d = open_built(built, "ministeerium-tabel")
    general = tables(d)[0]
    assert general[0] == ["1.1.", "Teenistuskoha nimetus", "nõunik"]
    assert general[3] == ["1.4.", "Kellele allub", "osakonna juhataja"]
    assert styled(d, "Subtitle") == ["(teenuse omanik)"]


# ---------------------------------------------------------------------------
# what got in a new user's way, each on the sample project


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def own_layout(project: Path, text: str, name: str = "oma") -> Path:
    """Write a layout of the project's own and make it the project's layout."""
    write(project / "templates" / "layouts" / f"{name}.yaml", text)
    write(project / "ametijuhend.yaml", f"layout: {name}\n")
    return project


def layout_of(project: Path, name: str = "oma") -> Layout:
    from ametijuhend_cli.sources.templates import TemplateSet

    return TemplateSet.for_project(project / "templates").layouts.get(name).layout


def markdown(project: Path, pid: str = "teenusejuht-kov") -> str:
    result = run("build", pid)
    assert result.exit_code == 0, result.stderr
    return (project / "out" / f"{pid}.md").read_text(encoding="utf-8")


def test_a_changed_form_does_not_keep_widths_made_for_another(project: Path) -> None:
    # it was a traceback: the two tables' widths [[2, 3], [1, 1, 1]] for one of 3 columns
    own_layout(project, "extends: standard\ngeneral: {form: table, columns: 3}\n")
    assert layout_of(project).general.widths == []
    assert "| 1.3 | Vahetu juht | Piirkonna juht |" in markdown(project)


@pytest.mark.parametrize(
    ("flag", "row", "next_section"),
    [
        ("", "| 3 | Vahetu juht |", "## 1. AMETIKOHA EESMÄRK"),
        (", numbered: false", "| 3 | Vahetu juht |", "## 1. AMETIKOHA EESMÄRK"),
        (", numbered: true", "| 1.3 | Vahetu juht |", "## 2. AMETIKOHA EESMÄRK"),
    ],
    ids=["default", "not-numbered", "numbered"],
)
def test_a_section_without_a_heading_is_counted_when_numbered_says_so(
    project: Path, flag: str, row: str, next_section: str
) -> None:
    # an agency's general part without a heading, its rows 1.1, 1.2 …, the tasks "2."
    own_layout(
        project,
        "extends: standard\ngeneral: {form: table, columns: 3}\n"
        f"sections: [{{key: general, show_heading: false{flag}}}, purpose, tasks, rights, "
        "responsibilities, work_tools, requirements, amendment]\n",
    )
    text = markdown(project)
    assert row in text
    assert next_section in text
    title = text.index("# AMETIJUHEND")
    assert text[title:].split("\n")[2] == "| | | |"  # no heading line, not even a number


def test_a_layout_may_change_only_the_widths_of_its_base(project: Path) -> None:
    own_layout(project, "extends: amet\ntasks: {widths: [5, 5, 10]}\n")
    layout = layout_of(project)
    assert layout.tasks.columns == ["task", "activities", "results"]
    assert layout.tasks.column_widths() == [5, 5, 10]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "general: {widths: [[1, 1, 1], [1, 1, 1]]}\n",
            "templates/layouts/oma.yaml:1:19: general.widths: the 'rows' form takes a list of "
            "widths for each row of fields, one width a field: [2, 3]\n",
        ),
        (
            "extends: amet\ntasks: {columns: [task, results], widths: [1, 1, 1]}\n",
            "templates/layouts/oma.yaml:2:43: tasks.widths: give one width per column (2), got 3\n",
        ),
        (
            "tasks: {columns: [results, task]}\n",
            "templates/layouts/oma.yaml:1:8: tasks: columns start with 'task' (or 'number', "
            "'task') and name each column once\n",
        ),
    ],
)
def test_widths_that_do_not_fit_are_located(project: Path, text: str, expected: str) -> None:
    own_layout(project, text)
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr


def test_a_preset_field_the_documents_lack_is_omitted(project: Path) -> None:
    from ametijuhend_cli.layout import Policy

    policy = Policy.model_validate({"preset": "avalik-teenistus", "omit": ["purpose"]})
    assert "purpose" not in policy.required and "manager" in policy.required
    own_layout(
        project,
        "extends: standard\nsections: [general, tasks, rights, responsibilities, work_tools, "
        "requirements, amendment]\npolicy: {preset: avalik-teenistus, omit: [purpose]}\n",
    )
    for path in (project / "data" / "positions").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        start = text.index("purpose:")
        end = text.index("\ntasks")
        path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    assert "## 2. TEENISTUSKOHUSTUSED" in markdown(project)


def test_library_rights_as_sentences_without_their_lead_in(project: Path) -> None:
    # a library text continues "Omab õigust:"; numbered without it, it becomes a sentence
    own_layout(
        project,
        "extends: ministeerium\nrights: {punctuation: sentence}\n"
        "responsibilities: {punctuation: sentence}\n",
    )
    edit_position(project, "\nannex:", "\nannex: 2\nx:")
    md = markdown(project)
    rights = [line for line in md.splitlines() if line.startswith("4.")]
    assert rights[0] == (
        "4.1. Saada tööülesannete täitmiseks vajalikku infot ja abi teistelt ameti "
        "struktuuriüksustelt."
    )
    assert len(rights) == 5 and all(line[5].isupper() and line.endswith(".") for line in rights)


def edit_position(project: Path, old: str, new: str, pid: str = "teenusejuht-kov") -> None:
    path = project / "data" / "positions" / f"{pid}.yaml"
    text = path.read_text(encoding="utf-8")
    if old in text:
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_recorded_approval_is_kept_where_the_layout_prints_only_the_label(
    project: Path,
) -> None:
    # `signed --record` writes approval: into a position; a 'label' layout refused it
    write(project / "ametijuhend.yaml", "layout: standard-2024\n")
    path = project / "data" / "positions" / "teenusejuht-kov.yaml"
    write(path, path.read_text(encoding="utf-8") + "annex: 7\n")
    result = run("validate")
    assert result.exit_code == 0, result.stderr
    assert markdown(project).startswith("Lisa 7\n\n# AMETIJUHEND\n")


def test_a_joined_section_stands_alone_without_the_one_it_continues(project: Path) -> None:
    own_layout(
        project,
        "extends: standard\nrights: {items: numbered}\nresponsibilities: {items: numbered}\n"
        "sections: [general, purpose, tasks, {key: rights, heading: ÕIGUSED JA VASTUTUS}, "
        "{key: responsibilities, join: true}, work_tools, requirements, amendment]\n",
    )
    md = markdown(project)
    assert "## 4. ÕIGUSED JA VASTUTUS" in md and "## 5. TÖÖVAHENDID" in md
    assert "\n4.6 tööülesannete tulemusliku täitmise eest" in md  # numbered on
    path = project / "data" / "positions" / "teenusejuht-kov.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("\nrights:"), text.index("\nresponsibilities:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    md = markdown(project)
    assert "## 4. VASTUTUS" in md and "\n4.1 tööülesannete tulemusliku täitmise eest" in md


def test_a_sentence_naming_the_title_in_a_case_needs_that_form(project: Path) -> None:
    own_layout(
        project,
        "extends: kool\ngeneral: {fields: [{field: manager, text: '{title_partitive} juhib "
        "{value}.'}]}\npolicy: {preset: none}\n",
    )
    edit_position(project, "title_partitive: Teenusejuhti\n", "")
    result = run("validate")
    assert "title_partitive" in result.stderr and result.exit_code == 1, result.stderr


def test_an_item_of_a_section_without_a_number() -> None:
    from ametijuhend_cli.document.skeleton import item_number
    from ametijuhend_cli.layout import Numbering

    numbering = Numbering.model_validate({"items": "{section}.{n}."})
    assert item_number(numbering, 3, 2) == "3.2."
    assert item_number(numbering, 0, 2) == "2."  # not "0.2."


# ---------------------------------------------------------------------------
# ametijuhend layout


def test_the_layouts_are_listed_outside_a_project(tmp_path: Path) -> None:
    with working_folder(tmp_path):
        result = run("layout")
    assert result.exit_code == 0, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == sorted(p.stem for p in (REPO / "templates" / "layouts").glob("*.yaml"))


def test_a_project_lists_its_own_layout(project: Path) -> None:
    own_layout(project, "extends: amet\n")
    result = run("layout")
    assert result.exit_code == 0, result.stderr
    assert "oma             (extends: amet) (the project's, own)" in result.stdout.splitlines()


def test_a_layout_is_printed_with_every_key(project: Path) -> None:
    import yaml

    from ametijuhend_cli.layout import Layout

    own_layout(project, "extends: omavalitsus\nnumbering: {sections: '{roman}'}\n")
    result = run("layout", "oma")
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert data["numbering"]["sections"] == "{roman}"  # its own
    assert data["end"]["acknowledgement"] is True  # the base's
    assert data["sections"][1] == {"key": "purpose", "show_heading": False, "run_in": True}
    assert Layout.model_validate(data) == layout_of(project)  # it reads back as itself


def test_an_unknown_layout_is_a_usage_error(project: Path) -> None:
    result = run("layout", "omavalitus")
    assert result.exit_code == 2
    assert "unknown layout 'omavalitus'; closest known layouts: omavalitsus" in result.stderr


def test_the_handwritten_files_match_their_json_schemas() -> None:
    # what an editor underlines as the user types (the section `work_area` was not allowed)
    import json

    import jsonschema
    import yaml

    from ametijuhend_cli.authoring.schema import schema_files

    schemas = {s.name: jsonschema.Draft7Validator(s.schema) for s in schema_files()}
    checked = [(p, "layout.schema.json") for p in HANDWRITTEN.glob("*/templates/layouts/*.yaml")]
    checked += [(p, "position.schema.json") for p in HANDWRITTEN.glob("*/data/positions/*.yaml")]
    checked += [
        (p, "organization.schema.json") for p in HANDWRITTEN.glob("*/data/organization.yaml")
    ]
    assert len(checked) > 3 * len(PROJECTS)
    for path, schema in sorted(checked):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        errors = [f"{e.json_path}: {e.message}" for e in schemas[schema].iter_errors(data)]
        assert errors == [], path


@pytest.mark.office
@pytest.mark.parametrize("name", PROJECTS)  # one LibreOffice each: shared among the workers
def test_every_project_reads_back_from_its_pdf(tmp_path: Path, name: str) -> None:
    """LibreOffice opens each DOCX; the PDF's text is the document's text."""
    require("soffice", "pdftotext")
    root = tmp_path / name
    shutil.copytree(HANDWRITTEN / name, root)
    with working_folder(root):
        result = run("build", "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    reference = HANDWRITTEN / name / "reference.txt"
    best = 0.0
    for pdf in sorted((root / "out").glob("*.pdf")):
        text = pdf.with_suffix(".txt")
        text.write_text(pdftotext(pdf), encoding="utf-8")
        best = max(best, ratio(text, reference))
    assert best >= 0.95, name
