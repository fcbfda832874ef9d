"""Bad input: every case ends with one exact, located message and exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run

# A small valid position; each case edits one thing in it.
BASE = """\
title: Nõunik
employment: ametnik
unit: arendustalitus
manager: Talitusejuhataja
substituted_by: Nõunik
substitutes: Nõunikku
purpose: Ametikoha eesmärk on nõustamine.
tasks:
  - task: Nõustamine.
    results:
      - Nõu on antud.
rights: [kaugtoo]
responsibilities: [riigi-vara]
requirements:
  education: Kõrgharidus
  experience: Vähemalt kaheaastane töökogemus.
  languages:
    - {language: eesti, level: C1}
  computer_skills: ms-office
  core_competencies: [kliendikesksus]
amendment: [ulevaatamine]
signatures:
  employer: {name: Mari Maasikas}
  employee: {name: Jaan Tamm}
"""

CASES = [
    pytest.param(
        "title: Nõunik\n",
        "title: [Nõunik\n",
        "data/positions/noustaja.yaml:2:11: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)",
        id="syntax",
    ),
    pytest.param(
        "  education: Kõrgharidus\n",
        "\teducation: Kõrgharidus\n",
        "data/positions/noustaja.yaml:15:1: YAML syntax error: a tab character is used for indentation\n    hint: indent with spaces; YAML does not allow tabs there",
        id="tab",
    ),
    pytest.param(
        "manager: Talitusejuhataja\n",
        "manager: Talitusejuhataja\nmanager: Juhataja\n",
        "data/positions/noustaja.yaml:5:1: manager: duplicate key 'manager' (first defined at line 4)\n    hint: each key may appear once in a mapping; merge the two entries",
        id="duplicate-key",
    ),
    pytest.param(
        "title: Nõunik\n",
        "title: Nõunik\ntitel: Nõunik\n",
        "data/positions/noustaja.yaml:2:1: titel: unknown field 'titel'\n    hint: did you mean 'title'?",
        id="unknown-key",
    ),
    pytest.param(
        "purpose: Ametikoha eesmärk on nõustamine.\n",
        "",
        "data/positions/noustaja.yaml:1:1: purpose: required field 'purpose' is missing\n    hint: add a line 'purpose: …'",
        id="missing-field",
    ),
    pytest.param(
        "    results:\n      - Nõu on antud.\n",
        "    results: {a: 1}\n",
        "data/positions/noustaja.yaml:10:14: tasks[0].results: expected a list, got a mapping with keys a",
        id="wrong-type-list",
    ),
    pytest.param(
        "  employer: {name: Mari Maasikas}\n",
        "  employer: Mari Maasikas\n",
        "data/positions/noustaja.yaml:23:13: signatures.employer: expected a mapping (key: value lines), got 'Mari Maasikas'",
        id="string-for-mapping",
    ),
    pytest.param(
        "manager: Talitusejuhataja\n",
        "manager: [Talitusejuhataja, Juhataja]\n",
        "data/positions/noustaja.yaml:4:10: manager: expected text, got a list of 2 items\n    hint: write the text on one line after the key, or use '>-' for a long text",
        id="list-for-text",
    ),
    pytest.param(
        "employment: ametnik\n",
        "employment: ametnk\n",
        "data/positions/noustaja.yaml:2:13: employment: expected 'ametnik' or 'töötaja', got 'ametnk'\n    hint: did you mean 'ametnik'?",
        id="employment",
    ),
    pytest.param(
        "level: C1",
        "level: C3",
        "data/positions/noustaja.yaml:18:32: requirements.languages[0].level: expected 'A1', 'A2', 'B1', 'B2', 'C1' or 'C2', got 'C3'",
        id="cefr",
    ),
    pytest.param(
        "rights: [kaugtoo]",
        "rights: [kaugtö]",
        "data/positions/noustaja.yaml:12:10: rights[0].ref: unknown right 'kaugtö'\n    hint: closest known ids: kaugtoo; to write your own text instead, use '- text: …'",
        id="unknown-right",
    ),
    pytest.param(
        "core_competencies: [kliendikesksus]",
        "core_competencies: [kliendikeskus]",
        "data/positions/noustaja.yaml:20:23: requirements.core_competencies[0].ref: unknown competency 'kliendikeskus'\n    hint: closest known ids: kliendikesksus; to write your own text instead, use '- text: …'",
        id="unknown-competency",
    ),
    pytest.param(
        "unit: arendustalitus",
        "unit: arendus",
        "data/positions/noustaja.yaml:3:7: unit: unknown unit 'arendus'\n    hint: closest known ids: arendustalitus",
        id="unknown-unit",
    ),
    pytest.param(
        "core_competencies: [kliendikesksus]",
        "core_competencies: [{ref: empaatiavoime, variant: lyhike}]",
        "data/positions/noustaja.yaml:20:53: requirements.core_competencies[0].variant: competency 'empaatiavoime' has no variant 'lyhike'\n    hint: its variants: luhendatud",
        id="unknown-variant",
    ),
    pytest.param(
        "core_competencies: [kliendikesksus]",
        "core_competencies: [{ref: kliendikesksus, indicators: [1, 7]}]",
        "data/positions/noustaja.yaml:20:57: requirements.core_competencies[0].indicators: competency 'kliendikesksus' has 3 indicators, there is no indicator 7",
        id="bad-indicator",
    ),
    pytest.param(
        "rights: [kaugtoo]",
        "rights: []",
        "data/positions/noustaja.yaml:12:9: rights: expected at least 1 item, got a list of 0 items",
        id="empty-list",
    ),
    pytest.param(
        "amendment: [ulevaatamine]\n",
        "amendment: [ulevaatamine]\nreviewed: 2024-13-01\n",
        "data/positions/noustaja.yaml:22:11: reviewed: '2024-13-01' is not a valid value (month must be in 1..12)\n    hint: write dates as YYYY-MM-DD; quote the value if it is meant as text",
        id="bad-date",
    ),
    pytest.param(
        "amendment: [ulevaatamine]\n",
        "amendment: [ulevaatamine]\nreviewed: 12.02.2024\n",
        "data/positions/noustaja.yaml:22:11: reviewed: expected a date (YYYY-MM-DD), got '12.02.2024'\n    hint: for example 2024-02-12",
        id="date-format",
    ),
    pytest.param(
        "title: Nõunik\n",
        "id: noustja\ntitle: Nõunik\n",
        "data/positions/noustaja.yaml:1:5: id: id 'noustja' does not match the file name 'noustaja.yaml'\n    hint: rename the file to noustja.yaml or remove the id line",
        id="id-mismatch",
    ),
    pytest.param(
        "title: Nõunik\n",
        "id: ../x\ntitle: Nõunik\n",
        "data/positions/noustaja.yaml:1:5: id: '../x' is not a valid id: use lowercase letters a-z, digits, '-' and '_' (at most 80, not starting or ending with '-' or '_')",
        id="bad-id",
    ),
    pytest.param(
        "title: Nõunik\n",
        'title: "Nõu\\x07nik"\n',
        "data/positions/noustaja.yaml:1:8: title: contains the control character U+0007, which cannot appear in a document (pasted from another program?)",
        id="control-char",
    ),
    pytest.param(
        "  employee: {name: Jaan Tamm}\n",
        "",
        "data/positions/noustaja.yaml:23:3: signatures: give employer and employee (or approver alone)",
        id="signatures",
    ),
    pytest.param(
        "rights: [kaugtoo]",
        "rights: [{ref: kaugtoo, text: Midagi}]",
        "data/positions/noustaja.yaml:12:10: rights[0]: give either a library id (ref) or your own text (text)",
        id="ref-and-text",
    ),
    pytest.param(
        "    - {language: eesti, level: C1}",
        "    - {language: eesti, any_foreign: true, level: C1}",
        "data/positions/noustaja.yaml:18:7: requirements.languages[0]: give either language or any_foreign: true",
        id="language-both",
    ),
    pytest.param(
        None,
        "- title: Nõunik\n",
        "data/positions/noustaja.yaml:1:1: expected a mapping of fields (title: …, unit: …), got a list",
        id="not-mapping",
    ),
    pytest.param(
        None,
        "",
        "data/positions/noustaja.yaml:1:1: the file is empty\n    hint: a position needs at least title, employment, unit …",
        id="empty-file",
    ),
    pytest.param(
        None,
        "# only a comment\n",
        "data/positions/noustaja.yaml:1:1: the file is empty\n    hint: a position needs at least title, employment, unit …",
        id="comment-only",
    ),
    pytest.param(
        None,
        b"title: N\xf5unik\n",
        "data/positions/noustaja.yaml:1:9: the file is not valid UTF-8 (byte 0xF5 cannot be decoded)\n    hint: save the file with UTF-8 encoding (in Notepad: Save as → Encoding: UTF-8)",
        id="not-utf8",
    ),
    pytest.param(
        None,
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
        "data/positions/noustaja.yaml:1:32: the file expands to too many values (anchors and aliases repeated too often?)\n    hint: a job description needs no deep nesting or repeated aliases; write the values out",
        id="alias-bomb",
    ),
    pytest.param(
        None,
        "title: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
        "data/positions/noustaja.yaml:1:48: values are nested more than 40 levels deep\n    hint: a job description needs no deep nesting or repeated aliases; write the values out",
        id="deep",
    ),
]


def test_base_position_is_valid(project: Path) -> None:
    (project / "data/positions/noustaja.yaml").write_text(BASE, encoding="utf-8")
    result = run("validate", "--today", "2025-03-01")
    assert result.exit_code == 0, result.stderr
    # the sample's five warnings (see test_cli.test_validate_ok) and its own one
    assert result.stdout == "ok: 5 positions, 6 warnings\n"
    assert [line for line in result.stderr.splitlines() if "noustaja" in line] == [
        "data/positions/noustaja.yaml:1:1: warning: never reviewed; reviews are due every 12 months"
    ]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_bad_input(project: Path, old: str | None, new: str | bytes, expected: str) -> None:
    content = new if old is None else BASE.replace(old, new, 1)
    assert old is None or content != BASE, "the case does not change the base position"
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    (project / "data/positions/noustaja.yaml").write_bytes(data)
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == expected + "\n1 problem in 1 file; nothing was written\n"


def test_all_problems_in_one_run(project: Path) -> None:
    positions = project / "data/positions"
    (positions / "a.yaml").write_text(BASE.replace("level: C1", "level: D1"), encoding="utf-8")
    (positions / "b.yaml").write_text(
        BASE.replace("rights: [kaugtoo]", "rights: [kaugto]").replace(
            "unit: arendustalitus", "unit: arendus"
        ),
        encoding="utf-8",
    )
    (positions / "c.yaml").write_text("title: [\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("    ")]
    assert lines == [
        "data/positions/a.yaml:18:32: requirements.languages[0].level: expected 'A1', 'A2', "
        "'B1', 'B2', 'C1' or 'C2', got 'D1'",
        "data/positions/b.yaml:3:7: unit: unknown unit 'arendus'",
        "data/positions/b.yaml:12:10: rights[0].ref: unknown right 'kaugto'",
        "data/positions/c.yaml:2:1: YAML syntax error: did not find expected node content "
        "(while parsing a flow node)",
        "4 problems in 3 files; 3 positions not built",
    ]
    # the valid positions are built all the same
    assert sorted(p.name for p in (project / "out").glob("*.md")) == [
        "ekspert-kriisiabi.md",
        "koordinaator-klat.md",
        "koordinaator-ringist-valja.md",
        "teenusejuht-kov.md",
    ]


def test_utf8_bom_is_accepted(project: Path) -> None:
    (project / "data/positions/noustaja.yaml").write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert run("validate").exit_code == 0


def test_text_that_looks_like_jinja_is_printed_literally(project: Path) -> None:
    text = BASE.replace("Nõu on antud.", "'{{ doc.title }} ja {% if x %}'")
    (project / "data/positions/noustaja.yaml").write_text(text, encoding="utf-8")
    assert run("build", "noustaja", "--format", "md").exit_code == 0
    assert "- {{ doc.title }} ja {% if x %}\n" in (project / "out/noustaja.md").read_text()


def test_broken_library_file(project: Path) -> None:
    (project / "data/library/rights.yaml").write_text("kaugtoo: [a\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.startswith("data/library/rights.yaml:2:1: YAML syntax error")


def test_library_entry_of_wrong_type(project: Path) -> None:
    path = project / "data/library/competencies.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "uus:\n  name: Uus\n  indicators: {}\n", encoding="utf-8"
    )
    result = run("validate")
    assert result.exit_code == 1
    assert "uus.indicators: expected a list, got a mapping" in result.stderr


def test_unknown_library_file(project: Path) -> None:
    (project / "data/library/oigused.yaml").write_text("a: b\n", encoding="utf-8")
    result = run("validate")
    assert (
        result.stderr.splitlines()[0]
        == "data/library/oigused.yaml: unknown library file 'oigused.yaml'"
    )


def test_missing_organization(project: Path) -> None:
    (project / "data/organization.yaml").unlink()
    result = run("validate")
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0] == "data/organization.yaml: the organization file is missing"
    )


def test_no_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: no project here: neither ametijuhend.yaml nor a data/ folder in "
    )


def test_unknown_position_on_command_line(project: Path) -> None:
    result = run("build", "ekspert-kriisabi")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unknown position 'ekspert-kriisabi' (did you mean ekspert-kriisiabi?)\n"
    )


def test_usage_error_exit_code(project: Path) -> None:
    assert run("build", "--format", "pdfx").exit_code == 2
