"""Numbered tasks with parts: bullets under a task that ends in ':' are its parts.

Numbered tasks with bullets under them are read as a table whose header was
lost (the bullets are each task's expected results), unless the line over the
bullets ends in ':' ('3.3. Iga päev:'): then they are that task's parts, and
with parts numbered 3.1.1 the tasks stay a numbered list. The documents are
our own words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from conftest import start_project
from wordmatch import ratio

_FRONT = """\
RAAMATUKOGUHOIDJA AMETIJUHEND
1. ÜLDOSA
1.1. Ametikoha nimetus: raamatukoguhoidja
1.2. Struktuuriüksus: kultuuriosakond
1.3. Vahetu juht: kultuuriosakonna juhataja
2. AMETIKOHA EESMÄRK
Külaraamatukogu lugejate teenindamine ja kogude korrashoid.
3. TÖÖÜLESANDED
"""

_BACK = """\
4. ÕIGUSED
4.1. Saada juhatajalt tööks vajalikku teavet.
5. VASTUTUS
5.1. Vastutab raamatukogu vara säilimise eest.
"""


def first_day(folder: Path, tasks: str) -> tuple[dict[str, Any], dict[str, Any], str, float]:
    """Start a project from a document with ``tasks``; return its position, its layout's
    tasks, the built Markdown and how the built DOCX reads back against the document."""
    folder.mkdir()
    source = folder / "raamatukoguhoidja.txt"
    source.write_text(_FRONT + tasks + _BACK, "utf-8")
    project = folder / "project"
    start_project(project, "Kaseküla Vald", source, formats=("docx", "md"))
    (path,) = (project / "data" / "positions").glob("*.yaml")
    (layout,) = (project / "templates" / "layouts").glob("*.yaml")
    (docx,) = (project / "out").glob("*.docx")
    learnt = yaml.safe_load(layout.read_text("utf-8")).get("tasks", {})
    markdown = docx.with_suffix(".md").read_text("utf-8")
    return yaml.safe_load(path.read_text("utf-8")), learnt, markdown, ratio(docx, source)


def test_numbered_parts_and_a_group_under_a_lead_in_stay_a_list(tmp_path: Path) -> None:
    position, learnt, markdown, read_back = first_day(
        tmp_path / "doc",
        """\
3.1. Kogude korrashoid
3.1.1. paigutab tagastatud raamatud riiulitesse;
3.1.2. kannab kulunud raamatud kogust maha
3.2. Lugejate registreerimine ja nõustamine;
3.3. Iga nädal:
- koostab uudiskirjanduse nimekirja;
- teatab laenutähtaja ületanud lugejatele.
3.4. Täidab juhataja antud ühekordseid ülesandeid.
""",
    )
    assert position["tasks"] == [
        {
            "task": "Kogude korrashoid",
            "subtasks": [
                "paigutab tagastatud raamatud riiulitesse;",
                "kannab kulunud raamatud kogust maha",
            ],
        },
        "Lugejate registreerimine ja nõustamine;",
        {
            "task": "Iga nädal:",
            "subtasks": [
                "koostab uudiskirjanduse nimekirja;",
                "teatab laenutähtaja ületanud lugejatele.",
            ],
        },
        "Täidab juhataja antud ühekordseid ülesandeid.",
    ]
    assert "form" not in learnt  # a list, as the base layout has them
    tasks = markdown[markdown.index("TÖÖÜLESANDED") : markdown.index("ÕIGUSED")]
    assert "|" not in tasks
    assert "\n3.1.1. paigutab tagastatud" in tasks
    assert "\n3.3.2. teatab laenutähtaja" in tasks
    assert read_back >= 0.97


def test_bullets_under_a_task_without_a_colon_are_its_results(tmp_path: Path) -> None:
    position, learnt, _, read_back = first_day(
        tmp_path / "doc",
        """\
3.1. Kogude korrashoid.
- Raamatud on riiulites õiges järjekorras.
3.2. Lugejate teenindamine, sealhulgas:
- laenutamine;
- nõustamine.
3.3. Ürituste korraldamine.
- Üritused toimuvad plaanitud ajal.
""",
    )
    tasks = position["tasks"]
    assert tasks[0] == {
        "task": "Kogude korrashoid.",
        "results": ["Raamatud on riiulites õiges järjekorras."],
    }
    assert tasks[1] == {
        "task": "Lugejate teenindamine, sealhulgas:",
        "subtasks": ["laenutamine;", "nõustamine."],
    }
    assert tasks[2]["results"] == ["Üritused toimuvad plaanitud ajal."]
    assert learnt["form"] == "table"
    assert read_back >= 0.97


def test_a_tasks_table_with_a_number_column_first(tmp_path: Path) -> None:
    # | Nr | Tööülesanne | Oodatav tulemus |: the task is the second cell of its row
    import docx

    document = docx.Document()
    for line in ["RAAMATUKOGUHOIDJA AMETIJUHEND", "1. ÜLDOSA"]:
        document.add_paragraph(line)
    document.add_paragraph("1.1. Ametikoha nimetus: raamatukoguhoidja")
    document.add_paragraph("2. TÖÖÜLESANDED")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(
        table.rows[0].cells, ["Nr", "Tööülesanne", "Oodatav tulemus"], strict=True
    ):
        cell.text = text
    rows = [
        ("1", "Kogude korrashoid.", "Raamatud on õigel kohal."),
        ("2", "Lugejate nõustamine.", "Lugejad leiavad vajaliku."),
    ]
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    document.add_paragraph("3. ÕIGUSED")
    document.add_paragraph("3.1. Saada tööks vajalikku teavet.")
    source = tmp_path / "raamatukoguhoidja.docx"
    document.save(str(source))
    project = tmp_path / "project"
    start_project(project, "Kaseküla Vald", source)
    (path,) = (project / "data" / "positions").glob("*.yaml")
    tasks = yaml.safe_load(path.read_text("utf-8"))["tasks"]
    assert tasks == [
        {"task": "Kogude korrashoid.", "results": ["Raamatud on õigel kohal."]},
        {"task": "Lugejate nõustamine.", "results": ["Lugejad leiavad vajaliku."]},
    ]
    (layout,) = (project / "templates" / "layouts").glob("*.yaml")
    assert yaml.safe_load(layout.read_text("utf-8"))["tasks"]["columns"] == [
        "number",
        "task",
        "results",
    ]
    (built,) = (project / "out").glob("*.docx")
    assert ratio(built, source) == 1.0


def test_tasks_numbered_from_one_with_their_parts_under_them(tmp_path: Path) -> None:
    # sections I, II …: the tasks 1., 2. …, the parts of the first 1.1, 1.2
    source = tmp_path / "oppejuht.txt"
    source.write_text(
        "ÕPPEJUHI AMETIJUHEND\nI ÜLDSÄTTED\n1. Ametikoha nimetus: õppejuht\n"
        "II TÖÖÜLESANDED\n1. Õppetöö planeerimine:\n1.1. koostab tunniplaani;\n"
        "1.2. jälgib õppekavade\ntäitmist.\n2. Õpetajate juhendamine.\n"
        "III ÕIGUSED\n1. Teha direktorile ettepanekuid.\n",
        "utf-8",
    )
    project = tmp_path / "project"
    made = start_project(project, "Kutsekool", source, formats=("md",))
    assert "lead-in" not in made.stderr
    (path,) = (project / "data" / "positions").glob("*.yaml")
    assert yaml.safe_load(path.read_text("utf-8"))["tasks"] == [
        {
            "task": "Õppetöö planeerimine:",
            "subtasks": ["koostab tunniplaani;", "jälgib õppekavade täitmist."],
        },
        "Õpetajate juhendamine.",
    ]
    (layout,) = (project / "templates" / "layouts").glob("*.yaml")
    assert yaml.safe_load(layout.read_text("utf-8"))["numbering"]["items"] == "{n}."
    (markdown,) = (project / "out").glob("*.md")
    text = markdown.read_text("utf-8")
    tasks = text[text.index("TÖÖÜLESANDED") : text.index("III ÕIGUSED")]
    assert "\n1.1. koostab tunniplaani;" in tasks
    assert "\n2\\. Õpetajate juhendamine." in tasks


def test_a_first_task_naming_a_column_is_no_part_of_the_header(tmp_path: Path) -> None:
    # pdftotext -raw: the header row on one line, then a task whose words hold the tasks
    # column's ('tööülesannete'); it was taken for the header's last words
    position, learnt, _, read_back = first_day(
        tmp_path / "doc",
        """\
Tööülesanne Oodatav tulemus
3.1. Lugejate teenindamine ja tööülesannete
jaotamine.
▪ Lugejad on teenindatud.
3.2. Kogude korrashoid. ▪ Raamatud on õigel kohal.
""",
    )
    assert position["tasks"] == [
        {
            "task": "Lugejate teenindamine ja tööülesannete jaotamine.",
            "results": ["Lugejad on teenindatud."],
        },
        {"task": "Kogude korrashoid.", "results": ["Raamatud on õigel kohal."]},
    ]
    assert learnt["form"] == "table"
    assert read_back >= 0.97


def test_tasks_word_numbers_with_their_results_in_bullets_under_them(tmp_path: Path) -> None:
    # no table: a list Word numbers (1., 2.), each task's result a bullet one level in
    import docx

    document = docx.Document()
    document.add_paragraph("TREENERI AMETIJUHEND")
    document.add_paragraph("ÜLDOSA", style="Heading 1")
    document.add_paragraph("Ametikoha nimetus: treener")
    document.add_paragraph("TÖÖÜLESANDED", style="Heading 1")
    for task, result in [
        ("Treeningute läbiviimine.", "Treeningud on toimunud."),
        ("Võistlustele registreerimine.", "Sportlased on registreeritud."),
    ]:
        document.add_paragraph(task, style="List Number")
        document.add_paragraph(result, style="List Bullet 2")
    document.add_paragraph("ÕIGUSED", style="Heading 1")
    document.add_paragraph("Kasutada spordikeskuse vahendeid.", style="List Bullet")
    source = tmp_path / "treener.docx"
    document.save(str(source))
    project = tmp_path / "project"
    start_project(project, "Spordikeskus", source, formats=("docx", "md"))
    (path,) = (project / "data" / "positions").glob("*.yaml")
    assert yaml.safe_load(path.read_text("utf-8"))["tasks"] == [
        {"task": "Treeningute läbiviimine.", "results": ["Treeningud on toimunud."]},
        {"task": "Võistlustele registreerimine.", "results": ["Sportlased on registreeritud."]},
    ]
    (layout,) = (project / "templates" / "layouts").glob("*.yaml")
    learnt = yaml.safe_load(layout.read_text("utf-8"))
    assert learnt["tasks"]["form"] == "list"
    assert learnt["tasks"]["results_label"] is False
    assert learnt["numbering"]["items"] == "{n}."
    (built,) = (project / "out").glob("*.docx")
    assert ratio(built, source) == 1.0
