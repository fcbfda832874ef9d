"""Forms real job descriptions take beyond the four samples: golden Markdown and DOCX checks.

Each variant is a sample position changed the way another agency's document
differs (a section left out, a signature block, language sentences, lists in
the tasks table). ``pytest --update-golden`` rewrites tests/golden/variants/.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, run
from wordmatch import docx_text

GOLDEN = REPO / "tests" / "golden" / "variants"
BASE = "teenusejuht-kov"

Data = dict[str, Any]


def _drop(*keys: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        for key in keys:
            if key in ("knowledge", "competencies"):
                data["requirements"].pop(key, None)
            else:
                data.pop(key, None)

    return change


def _signatures(value: Data) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["signatures"] = value

    return change


def _languages(data: Data) -> None:
    data["requirements"]["languages"] = [
        {"languages": ["eesti", "vene"], "level": "C1"},
        {"language": "inglise", "level": "B1", "style": "oskab"},
        {"language": "soome", "level": "A2", "style": "oskus"},
        {"languages": ["saksa", "prantsuse", "rootsi"], "level": "B2", "style": "oskus"},
        {"any_foreign": True, "preferably": ["inglise", "vene"], "level": "B1"},
    ]


def _task_lists(data: Data) -> None:
    task = data["tasks"][0]
    task["details"] = ["Teine lõik ülesande kohta.", "Kolmas lõik."]
    task["subtasks"] = ["teenuste kaardistamine", "protsesside kirjeldamine;", "aruandlus"]
    task["results"] = [
        task["results"][0],
        {"text": "Koostatud on:", "items": ["teenuste kaart", "protsesside kirjeldused."]},
    ]


VARIANTS: dict[str, Callable[[Data], None]] = {
    "no-rights": _drop("rights"),
    "no-responsibilities": _drop("responsibilities"),
    "no-work-tools": _drop("work_tools"),
    "no-amendment": _drop("amendment"),
    "no-optional-sections": _drop(
        "rights", "responsibilities", "work_tools", "amendment", "competencies", "knowledge"
    ),
    "extra-section": lambda d: d.update(
        extra_sections=[{"heading": "LISAD", "paragraphs": ["Lisa 1. Tööohutusjuhend."]}]
    ),
    "signatures-unnamed": _signatures({"unnamed": True}),
    "signatures-approver": _signatures({"approver": {"name": "Mari Mets", "title": "Juhataja"}}),
    "signatures-two-line-title": _signatures(
        {
            "employer": {
                "name": "Mari Tikerpuu",
                "title": ["Talitusejuhataja", "Osakonnajuhataja ülesannetes"],
            },
            "employee": {"name": "Maria Merila"},
        }
    ),
    "signatures-three": _signatures(
        {
            "signers": [
                {"label": "Töötaja:", "name": "Maria Merila"},
                {"label": "Vahetu juht:", "name": "Mari Tikerpuu", "title": "Talitusejuhataja"},
                {
                    "label": "Personalijuht:",
                    "name": "Jaan Tamm",
                    "title": ["Personaliosakonna juhataja", "Arendusjuhi ülesannetes"],
                },
            ]
        }
    ),
    "languages": _languages,
    "task-lists": _task_lists,
}


def make_variant(project: Path, name: str) -> Path:
    """Write the variant's position into ``project``, build it and return the output folder."""
    source = project / "data" / "positions" / f"{BASE}.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    VARIANTS[name](data)
    target = project / "data" / "positions" / f"{name}.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run("build", name)
    assert result.exit_code == 0, result.output
    return project / "out"


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_golden_variant(project: Path, name: str, update_golden: bool) -> None:
    produced = (make_variant(project, name) / f"{name}.md").read_text(encoding="utf-8")
    golden = GOLDEN / f"{name}.md"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8"), (
        "Markdown changed: review the difference, then run pytest --update-golden"
    )


def _headings(md: str) -> list[str]:
    return [line[3:] for line in md.splitlines() if line.startswith("## ")]


def test_absent_sections_renumber_the_rest(project: Path) -> None:
    md = (make_variant(project, "no-optional-sections") / "no-optional-sections.md").read_text(
        "utf-8"
    )
    assert _headings(md) == [
        "1. ÜLDOSA",
        "2. AMETIKOHA EESMÄRK",
        "3. TEENISTUSKOHUSTUSED",
        "4. AMETIKOHALE ESITATAVAD NÕUDED",
    ]
    assert "Täiendavad kompetentsid" not in md and "Omab õigust" not in md
    docx = docx_text(project / "out" / "no-optional-sections.docx")
    assert "4. AMETIKOHALE ESITATAVAD NÕUDED" in docx and "VASTUTUS" not in docx


def test_extra_section_is_numbered_after_the_standard_ones(project: Path) -> None:
    md = (make_variant(project, "extra-section") / "extra-section.md").read_text("utf-8")
    assert _headings(md)[-2:] == ["8. AMETIJUHENDI MUUTMINE", "9. LISAD"]
    assert "9. LISAD\nLisa 1. Tööohutusjuhend." in docx_text(project / "out/extra-section.docx")


def test_languages_share_a_level_and_have_their_own_phrasing(project: Path) -> None:
    md = (make_variant(project, "languages") / "languages.md").read_text("utf-8")
    line = next(x for x in md.splitlines() if x.startswith("**Keeleoskus:**"))
    assert line == (
        "**Keeleoskus:** Valdab eesti ja vene keelt vähemalt tasemel C1. "
        "Oskab inglise keelt vähemalt tasemel B1. Soome keele oskus vähemalt tasemel A2. "
        "Saksa, prantsuse ja rootsi keele oskus vähemalt tasemel B2. "
        "Oskab vähemalt ühte võõrkeelt (soovitavalt inglise või vene keelt) vähemalt tasemel B1."
    )


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_unnamed_signature_is_the_mark_alone(project: Path) -> None:
    out = make_variant(project, "signatures-unnamed")
    md = (out / "signatures-unnamed.md").read_text("utf-8")
    assert md.endswith("---\n\n(allkirjastatud digitaalselt)\n")
    assert docx_text(out / "signatures-unnamed.docx").endswith("\n(allkirjastatud digitaalselt)")


def test_three_signers_sit_side_by_side(project: Path) -> None:
    out = make_variant(project, "signatures-three")
    xml = _document_xml(out / "signatures-three.docx")
    table = xml[xml.rindex("<w:tbl>") :]
    assert table.count("<w:gridCol ") == 3
    text = docx_text(out / "signatures-three.docx")
    assert (
        "Personalijuht:" in text
        and "Talitusejuhataja\nPersonaliosakonna juhataja\n\n\nArendusjuhi ülesannetes" in text
    )


def test_task_lists_in_the_docx(project: Path) -> None:
    out = make_variant(project, "task-lists")
    xml = _document_xml(out / "task-lists.docx")
    # the list under a result is a second-level bullet, in the results column, and so
    # are the task's own parts (three of them) in the task column
    assert xml.count('<w:pStyle w:val="ListBullet2"/>') == 2 + 3
    text = docx_text(out / "task-lists.docx")
    for line in (
        "Teine lõik ülesande kohta.",
        "teenuste kaardistamine;",
        "protsesside kirjeldamine;",
        "aruandlus.",
        "teenuste kaart;",
        "protsesside kirjeldused.",
    ):
        assert f"\n{line}\n" in text, line


@pytest.mark.parametrize(
    "text",
    ["\u200b", " \u200b\u200c\u2060 ", "\ufeff", "\u00ad"],
    ids=["zwsp", "mixed", "bom", "soft-hyphen"],
)
def test_invisible_text_is_empty(project: Path, text: str) -> None:
    path = project / "data/positions/teenusejuht-kov.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["signatures"]["employer"]["name"] = text
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert (
        "signatures.employer.name: must not be empty (it holds only invisible characters)\n"
    ) in result.stderr


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_docx_imports_back_to_the_same_document(project: Path, name: str) -> None:
    original = make_variant(project, name) / f"{name}.docx"
    target = project / "data" / "positions" / "imported.yaml"
    result = run("import", str(original), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert run("build", "imported", "--format", "docx").exit_code == 0
    assert (project / "out" / "imported.docx").read_bytes() == original.read_bytes()


def test_import_reports_an_extra_section_and_a_missing_one(project: Path) -> None:
    original = make_variant(project, "extra-section") / "extra-section.docx"
    result = run("import", str(original), "-o", str(project / "data/positions/x.yaml"))
    assert "  the section '9. LISAD' is not a standard one: kept under extra_sections\n" in (
        result.stdout
    )
    original = make_variant(project, "no-amendment") / "no-amendment.docx"
    result = run("import", str(original), "-o", str(project / "data/positions/y.yaml"))
    assert "  no section 'AMETIJUHENDI MUUTMINE' in the document\n" in result.stdout


def test_every_language_sentence_form_is_read() -> None:
    from ametijuhend_cli.importer.extract import Item
    from ametijuhend_cli.importer.lexicon import Lexicon
    from ametijuhend_cli.importer.outline import Section
    from ametijuhend_cli.importer.requirements import parse_languages
    from ametijuhend_cli.sources.templates import TemplateSet

    lexicon = Lexicon(TemplateSet.for_project(None).wording)
    start = Item("7. AMETIKOHALE ESITATAVAD NÕUDED")
    section = Section("requirements", "7", "AMETIKOHALE ESITATAVAD NÕUDED", [], start)
    text = (
        "Valdab eesti ja vene keelt vähemalt tasemel C1. Oskab inglise keelt vähemalt "
        "tasemel B1. Eesti keele oskus vähemalt tasemel C1. Saksa, prantsuse ja rootsi keele "
        "oskus vähemalt tasemel B2. Oskab vähemalt ühte võõrkeelt (soovitavalt inglise või "
        "vene keelt) vähemalt tasemel B1. Valdab soome keelt vähemalt tasemel A2."
    )
    languages, style, notes = parse_languages(text, lexicon, section)
    assert style == "valdab" and notes == []
    assert languages == [
        {"languages": ["eesti", "vene"], "level": "C1"},
        {"language": "inglise", "level": "B1", "style": "oskab"},
        {"language": "eesti", "level": "C1", "style": "oskus"},
        {"languages": ["saksa", "prantsuse", "rootsi"], "level": "B2", "style": "oskus"},
        {"any_foreign": True, "preferably": ["inglise", "vene"], "level": "B1"},
        {"language": "soome", "level": "A2"},
    ]


def test_a_task_number_alone_in_its_paragraph_is_not_a_task_of_its_own(project: Path) -> None:
    # another agency's table: "3.1" in one paragraph of the cell, the task in the next
    import copy
    import io

    from lxml import etree

    original = make_variant(project, "no-rights") / "no-rights.docx"
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(original) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        parts = {name: z.read(name) for name in z.namelist()}
    first = next(
        p for p in root.iter(f"{w}p") if "".join(map(str, p.itertext())).startswith("3.1 ")
    )
    text = next(first.iter(f"{w}t"))
    number = copy.deepcopy(first)
    next(number.iter(f"{w}t")).text = "3.1"
    text.text = text.text.split(" ", 1)[1]  # type: ignore[union-attr]
    first.addprevious(number)
    parts["word/document.xml"] = etree.tostring(root)
    changed = project / "split.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    changed.write_bytes(buffer.getvalue())
    target = project / "data" / "positions" / "split.yaml"
    assert run("import", str(changed), "-o", str(target)).exit_code == 0
    task = yaml.safe_load(target.read_text(encoding="utf-8"))["tasks"][0]
    assert task["task"].startswith("Kliendikeskse hoiaku kujundamine") and "details" not in task


@pytest.mark.parametrize(
    "sentence",
    [
        "Peab oskama vähemalt ühte võõrkeelt, soovitavalt saksa keelt, tasemel B2.",
        "Nõutav on võõrkeele oskus tasemel B1.",
        "Peab rääkima läti keelt tasemel A2.",
        "Räägib hästi.",
    ],
)
def test_a_language_sentence_worded_otherwise_is_kept_as_written(sentence: str) -> None:
    from ametijuhend_cli.importer.extract import Item
    from ametijuhend_cli.importer.lexicon import Lexicon
    from ametijuhend_cli.importer.outline import Section
    from ametijuhend_cli.importer.requirements import parse_languages
    from ametijuhend_cli.sources.templates import TemplateSet

    lexicon = Lexicon(TemplateSet.for_project(None).wording)
    section = Section("requirements", "7", "NÕUDED", [], Item("7. NÕUDED"))
    languages, _, notes = parse_languages(
        f"Valdab eesti keelt vähemalt tasemel C1. {sentence}", lexicon, section
    )
    assert languages == [{"language": "eesti", "level": "C1"}, {"text": sentence}]
    assert [str(note) for note in notes] == [
        f"language requirement '{sentence}' kept as written (it is worded in none of the "
        "phrasings of wording.yaml's languages)"
    ]
