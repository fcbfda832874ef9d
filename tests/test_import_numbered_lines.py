"""Numbered lines the importer has no label or heading for, kept where and as they stand.

A general part numbers a field the importer does not know among those it knows
('1.3. Ametikoha kood: 4521' between '1.2. Struktuuriüksus' and '1.5. Vahetu
juht'), and a section of the agency's own numbers its sentences (4.1, 4.2). In
extracted text, where lines are joined into paragraphs, such a line was glued
to the value before it (the unit became 'juhtimiskeskus 1.3. Ametikoha kood:
…'); in both kinds of source the unknown fields moved after the known ones and
kept their old numbers. The documents are our own words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from conftest import start_project
from wordmatch import ratio

LINES = """\
PÄÄSTEKESKUS
VALVEINSENERI AMETIJUHEND
1. ÜLDOSA
1.1. Ametikoha nimetus: valveinsener
1.2. Struktuuriüksus: juhtimiskeskus
1.3. Ametikoha kood: 4521
1.4. Tööaeg: summeeritud tööaeg, vahetustega
1.5. Vahetu juht: juhtimiskeskuse juhataja
2. TÖÖÜLESANDED
2.1. Võtab vastu hädaabiteated.
3. VALVETEENISTUS
3.1. Valveinsener on valves vahetuse kaupa ööpäev läbi.
3.2. Vahetuse üleandmine toimub hommikul.
4. ÕIGUSED
4.1. Anda päästemeeskondadele korraldusi.
""".splitlines()


def first_day(tmp_path: Path, kind: str) -> tuple[dict[str, Any], str, float]:
    """Import the document as text lines or as DOCX paragraphs; return the position, the
    built Markdown and how the built DOCX reads back against the lines."""
    reference = tmp_path / "valveinsener.txt"
    reference.write_text("\n".join(LINES) + "\n", "utf-8")
    source = reference
    if kind == "docx":
        document = docx.Document()
        for line in LINES:
            document.add_paragraph(line)
        source = tmp_path / "valveinsener.docx"
        document.save(str(source))
    project = tmp_path / "project"
    start_project(project, "Päästekeskus", source, formats=("docx", "md"))
    (path,) = (project / "data" / "positions").glob("*.yaml")
    (built,) = (project / "out").glob("*.docx")
    markdown = built.with_suffix(".md").read_text("utf-8")
    return yaml.safe_load(path.read_text("utf-8")), markdown, ratio(built, reference)


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_numbered_lines_stay_where_and_as_they_stand(tmp_path: Path, kind: str) -> None:
    position, markdown, read_back = first_day(tmp_path, kind)
    assert position["unit"] == "juhtimiskeskus"
    assert position["general_paragraphs"] == [
        "Ametikoha kood: 4521",
        "Tööaeg: summeeritud tööaeg, vahetustega",
    ]
    general = markdown[markdown.index("ÜLDOSA") : markdown.index("TÖÖÜLESANDED")]
    assert [line for line in general.splitlines() if line[:1].isdigit()] == LINES[3:8]
    assert position["extra_sections"][0]["paragraphs"] == LINES[11:13]
    assert read_back == 1.0


SCHOOL = """\
Kaasiku Põhikool
Koristaja ametijuhend
1. Üldsätted
1.1. Koristaja allub majandusjuhatajale.
2. Tööülesanded
2.1. Koristab kooli ruume igapäevaselt.
3. Õigused
1. Saada tööks vajalikud koristusvahendid
2. Saada juhendamist
3. Teha ettepanekuid
4. Osaleda koolitustel
{extra}4. Vastutus
4.1. Vastutab koristatud ruumide puhtuse eest.
5. Lõppsätted
5.1. Ametijuhend kehtib alates 01.09.2025.
5.2. Ametijuhendit muudetakse poolte kokkuleppel.
"""


@pytest.mark.parametrize("numbered_on", [False, True], ids=["rights", "rights-to-5"])
def test_a_short_line_numbered_as_the_next_section_over_its_items_is_a_heading(
    tmp_path: Path, numbered_on: bool
) -> None:
    # headings in sentence case: '5. Lõppsätted' is known by its number and its item 5.1;
    # a right numbered 4 (no final stops) is not section 4: no item 4.1 follows it;
    # each right is one, though no stop ends the line before it
    extra = "5. Teatada puudustest\n" if numbered_on else ""
    source = tmp_path / "koristaja.txt"
    lines = SCHOOL.format(extra=extra).splitlines()
    source.write_text("\n".join(lines) + "\n", "utf-8")
    project = tmp_path / "project"
    start_project(project, "Kaasiku Põhikool", source, formats=())
    (path,) = (project / "data" / "positions").glob("*.yaml")
    position = yaml.safe_load(path.read_text("utf-8"))
    rights = [right["text"] for right in position["rights"]]
    assert rights == lines[7 : 11 + numbered_on]
    assert position["responsibilities"] == [{"text": "Vastutab koristatud ruumide puhtuse eest."}]
    (own,) = position["extra_sections"]
    assert own["heading"] == "Lõppsätted"
    assert own["paragraphs"] == [
        "5.1. Ametijuhend kehtib alates 01.09.2025.",
        "5.2. Ametijuhendit muudetakse poolte kokkuleppel.",
    ]


def test_a_field_numbered_in_the_general_part_is_no_section_and_an_approver_signs(
    tmp_path: Path,
) -> None:
    # sections I, II …, their items 1., 2. …: '5. Eesmärk: …' is the general part's
    # fifth field, not the purpose's section (II), which would renumber the rest
    source = tmp_path / "oppejuht.txt"
    source.write_text(
        "VÕRUMAA KUTSEHARIDUSKESKUS\nÕPPEJUHI AMETIJUHEND\nI ÜLDSÄTTED\n"
        "1. Ametikoha nimetus: õppejuht\n2. Struktuuriüksus: õppeosakond\n"
        "3. Eesmärk: õppetöö korralduse tagamine.\nII TÖÖÜLESANDED\n"
        "1. Koostab tunniplaani.\n2. Juhendab õpetajaid.\nIII ÕIGUSED\n"
        "1. Teha direktorile ettepanekuid.\nKinnitan: direktor Jaan Tamm\n",
        "utf-8",
    )
    project = tmp_path / "project"
    made = start_project(project, "Kutsekool", source, formats=("md",))
    assert "seems to stop" not in made.stdout
    (path,) = (project / "data" / "positions").glob("*.yaml")
    position = yaml.safe_load(path.read_text("utf-8"))
    assert "Kinnitan" not in str(position["rights"])
    assert "Jaan Tamm" in str(position["signatures"])
    (markdown,) = (project / "out").glob("*.md")
    headings = [line for line in markdown.read_text("utf-8").splitlines() if line[:3] == "## "]
    assert headings == ["## I ÜLDSÄTTED", "## II TÖÖÜLESANDED", "## III ÕIGUSED"]
