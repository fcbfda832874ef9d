"""ametijuhend import: documents it cannot follow get an error saying where, and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO, run

SOURCE = (REPO / "tests" / "reference" / "teenusejuht-kov.txt").read_text(encoding="utf-8")
LAYOUT_HINT = "    hint: the importer finds the sections by their headings"
SETTING = (
    "; a heading of the agency's own goes in templates/wording.yaml under importer.headings "
    "(e.g. {})"
)

# (name, change to the reference text, the expected error lines)
CASES = [
    (
        "not-a-job-description",
        lambda t: "Tere\nmaailm\n",
        [
            ": start of the document: no section headings found: expected 'ÜLDOSA' first",
            LAYOUT_HINT
            + ", numbered (1., 1, I) or not, or the general part by its labels (Ametinimetus, "
            "Teenistuskoha nimetus …); headings found: none"
            + SETTING.format("tasks: [AMETIKOHA ÜLESANDED]"),
        ],
    ),
    (
        "no-general-part",
        lambda t: " AMETIJUHEND\n\n" + t[t.index("2. AMETIKOHA EESMÄRK") :],
        [
            ":3: 2. AMETIKOHA EESMÄRK: neither the section 'ÜLDOSA' nor the labels of its "
            "fields found",
            LAYOUT_HINT
            + ", numbered (1., 1, I) or not, or the general part by its labels (Ametinimetus, "
            "Teenistuskoha nimetus …); headings found: 2. AMETIKOHA EESMÄRK, "
            "3. TEENISTUSKOHUSTUSED, 4. ÕIGUSED, 5. VASTUTUS, 6. TÖÖVAHENDID, "
            "7. AMETIKOHALE ESITATAVAD NÕUDED, 8. AMETIJUHENDI MUUTMINE"
            + SETTING.format("tasks: [AMETIKOHA ÜLESANDED]"),
        ],
    ),
    (
        "no-tasks",
        lambda t: t[: t.index("3. TEENISTUSKOHUSTUSED")],
        [
            ":3: 1. ÜLDOSA: no tasks found: the section 'TEENISTUSÜLESANDED' or "
            "'TÖÖÜLESANDED' is not there (the text ends at line 33: 'rakendamine.')",
            LAYOUT_HINT
            + ", numbered (1., 1, I) or not, or the general part by its labels (Ametinimetus, "
            "Teenistuskoha nimetus …); headings found: 1. ÜLDOSA, 2. AMETIKOHA EESMÄRK"
            + SETTING.format("tasks: [AMETIKOHA ÜLESANDED]"),
        ],
    ),
]

#: A document with a part missing is imported as it is: (name, change, a line of the report)
MISSING = [
    (
        "requirements-heading-missing",
        lambda t: t.replace("7.  AMETIKOHALE ESITATAVAD NÕUDED", ""),
        "  the section 'AMETIKOHALE ESITATAVAD NÕUDED' has no heading: found by 'Haridus'",
    ),
    (
        "task-without-results",
        lambda t: t.replace(" Olemasolevate teenused on \nkaasajastatud.", ""),
        "  the document gives no results: the layout 'standard' requires it (policy 'standard'); "
        "validate reports it until it is added",
    ),
    (
        "general-value-missing",
        lambda t: t.replace(" 1.5. Keda asendab", ""),
        "  the document gives no substitutes: the layout 'standard' requires it (policy "
        "'standard'); validate reports it until it is added",
    ),
    (
        "language-unreadable",
        lambda t: t.replace("Valdab eesti keelt vähemalt tasemel C1.", "Eesti keel emakeelena."),
        "  language requirement 'Eesti keel emakeelena.' kept as written (it is worded in none "
        "of the phrasings of wording.yaml's languages)",
    ),
    (
        "education-missing",
        lambda t: t.replace("Haridus \n", "Õpingud \n"),
        "  the document gives no education: the layout 'standard' requires it (policy "
        "'standard'); validate reports it until it is added",
    ),
    (
        "core-competencies-missing",
        lambda t: t.replace("Tööks vajalikud kompetentsid", "Muud"),
        "  the competencies have no subheading 'Tööks vajalikud kompetentsid': found by "
        "'Kliendikesksus'",
    ),
    (
        "signatures-missing",
        lambda t: t[: t.index("Poolte allkirjad")],
        "  the document gives no signatures: the layout 'standard' requires it (policy "
        "'standard'); validate reports it until it is added",
    ),
]


KEPT_HINT = "    hint: check it against the original; it is printed where it stood, as written"

#: Text that reads as no known part is kept as written, with a located warning:
#: (name, change, the warning, a text the written position holds)
KEPT = [
    (
        "section-twice",
        lambda t: t.replace("6.  TÖÖVAHENDID", "5. VASTUTUS"),
        ":201: warning: the heading '5. VASTUTUS' appears a second time: its section is kept "
        "as written, as a section of the document's own (extra_sections)",
        "heading: VASTUTUS",
    ),
    (
        "text-before-the-first-task",
        lambda t: t.replace("3.1.  Kliendikeskse", "Selgitus\n3.1.  Kliendikeskse"),
        ":41: warning: 'Selgitus' stands before the first task: kept as the tasks' lead-in (a "
        "group of all of them)",
        "group: Selgitus",
    ),
]


@pytest.mark.parametrize(("name", "change", "warning", "kept"), KEPT, ids=[c[0] for c in KEPT])
def test_what_reads_as_no_known_part_is_kept_as_written_with_a_warning(
    project: Path, tmp_path: Path, name: str, change: object, warning: str, kept: str
) -> None:
    source = tmp_path / f"{name}.txt"
    source.write_text(change(SOURCE), encoding="utf-8")  # type: ignore[operator]
    result = run("import", str(source), "-o", "data/positions/x.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [f"../{source.name}{warning}", KEPT_HINT]
    assert kept in (project / "data" / "positions" / "x.yaml").read_text("utf-8")
    assert run("build", "x", "--format", "md").exit_code == 0


@pytest.mark.parametrize(("name", "change", "note"), MISSING, ids=[c[0] for c in MISSING])
def test_what_is_missing_is_imported_as_it_is_and_reported(
    project: Path, tmp_path: Path, name: str, change: object, note: str
) -> None:
    source = tmp_path / f"{name}.txt"
    text = change(SOURCE)  # type: ignore[operator]
    source.write_text(text, encoding="utf-8")
    result = run("import", str(source), "-o", "data/positions/x.yaml")
    assert result.exit_code == 0, result.stderr
    assert note in result.stdout.splitlines()
    assert run("build", "x", "--format", "md").exit_code in (0, 1)  # validate may still ask


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_error_names_the_section_and_nothing_is_written(
    project: Path, tmp_path: Path, name: str, change: object, expected: list[str]
) -> None:
    source = tmp_path / f"{name}.txt"
    source.write_text(change(SOURCE), encoding="utf-8")  # type: ignore[operator]
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stdout == ""
    # the path is shown relative to the project folder, the current one
    assert result.stderr.splitlines() == [
        f"../{source.name}" + expected[0],
        *expected[1:],
        "1 of 1 file could not be imported; nothing was written for it",
    ]
    assert sorted(p.name for p in (project / "data" / "positions").iterdir()) == sorted(
        p.name for p in (REPO / "data" / "positions").iterdir()
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "old.pdf",
            b"%PDF-1.4",
            "cannot read .pdf files; extract its text first (pdftotext -raw FILE.pdf keeps "
            "table cells in order) and import the .txt",
        ),
        (
            "old.doc",
            b"\xd0\xcf\x11\xe0",
            "cannot read .doc files; open it in Word or LibreOffice and save it as .docx",
        ),
        (
            "damaged.docx",
            b"PK\x03\x04 not really",
            "not a Word document (a .docx is a zip package, this file is not one)",
        ),
        (
            "latin.txt",
            "1. ÜLDOSA\n".encode("cp1257"),
            "not UTF-8 text (byte 4); save the text as UTF-8, or import the Word document itself",
        ),
    ],
)
def test_files_it_cannot_read(
    project: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"../{name}: {message}",
        "1 of 1 file could not be imported; nothing was written for it",
    ]


def test_outside_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "x.txt"
    source.write_text(SOURCE, encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no project here: neither ametijuhend.yaml nor a data/")


def test_requirements_in_sentences_are_kept_as_written(project: Path, tmp_path: Path) -> None:
    # no labelled requirement ('Haridus: …'): the section's sentences were dropped
    source = tmp_path / "noustaja.txt"
    source.write_text(
        "NÕUSTAJA AMETIJUHEND\n1. ÜLDOSA\n1.1. Ametinimetus: nõustaja\n"
        "2. TÖÖÜLESANDED\n2.1. Nõustab kliente.\n3. NÕUDED AMETIKOHALE\n"
        "Nõutav on kõrgharidus ning eesti keele oskus C1 tasemel.\n"
        "Kasuks tuleb vene keele oskus.\n",
        encoding="utf-8",
    )
    result = run("import", str(source), "-o", "data/positions/x.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"../{source.name}:6: warning: the section '3. NÕUDED AMETIKOHALE': it cannot be read "
        "as requirements (no requirement has a label): kept as written",
        KEPT_HINT,
    ]
    data = yaml.safe_load((project / "data" / "positions" / "x.yaml").read_text("utf-8"))
    assert data["extra_sections"] == [
        {
            "heading": "NÕUDED AMETIKOHALE",
            "paragraphs": [
                "Nõutav on kõrgharidus ning eesti keele oskus C1 tasemel.",
                "Kasuks tuleb vene keele oskus.",
            ],
        }
    ]
