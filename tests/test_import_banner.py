"""A banner that names the position's unit in the genitive ('FINANTSOSAKONNA' over the title).

A first day learns the banner line as the unit's field in the genitive
(``{units_genitive}``) and writes the unit's genitive into organization.yaml,
so that a position of another unit prints its own unit there. The documents
are our own words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from unseen_docx import build_docx, reference_text

from ametijuhend_cli.importer.infer import unit_genitive
from conftest import run, start_project, working_folder
from wordmatch import ratio


@pytest.mark.parametrize(
    ("line", "name", "genitive"),
    [
        ("FINANTSOSAKONNA", "finantsosakond", "finantsosakonna"),
        ("Külastajate osakonna", "külastajate osakond", "külastajate osakonna"),
        ("SÕIDUKITE TALITUSE", "Sõidukite talitus", "Sõidukite talituse"),
        ("MAANTEEAMETI", "MAANTEEAMET", "MAANTEEAMETI"),
        ("FINANTSOSAKOND", "finantsosakond", None),  # the name itself: {units}
        ("MAJANDUSOSAKONNA", "finantsosakond", None),  # another unit's
        ("OSAKONNAJUHATAJA", "osakond", None),  # another word
        ("RAHANDUSE OSAKONNA", "finantsosakond", None),
    ],
)
def test_a_banner_line_is_the_genitive_of_a_unit(
    line: str, name: str, genitive: str | None
) -> None:
    assert unit_genitive(line, name) == genitive


#: A document whose banner names its unit in the genitive (our own words).
BLOCKS: list[Any] = [
    ["p", "SOOKALDA VALLAVALITSUS", "c"],
    ["p", "FINANTSOSAKONNA", "c"],
    ["p", "PEARAAMATUPIDAJA AMETIJUHEND", "bc"],
    ["p", "1. ÜLDOSA", "b"],
    [
        "table",
        [
            ["Ametikoha nimetus", "pearaamatupidaja"],
            ["Struktuuriüksus", "finantsosakond"],
            ["Vahetu juht", "finantsosakonna juhataja"],
        ],
    ],
    ["p", "2. ÜLESANDED", "b"],
    ["p", "2.1. Valla raamatupidamise korraldamine."],
    ["p", "2.2. Valla aastaaruande koostamine."],
    ["p", "(allkirjastatud digitaalselt)"],
    ["p", "Kaja Lõhmus"],
    ["p", "vallavanem"],
]


def test_the_unit_in_the_banner_is_each_position_s_own(tmp_path: Path) -> None:
    source = build_docx(BLOCKS, tmp_path / "pearaamatupidaja.docx")
    reference = tmp_path / "pearaamatupidaja.txt"
    reference.write_text(reference_text(BLOCKS), "utf-8")
    project = tmp_path / "project"
    start_project(project, "Sookalda Vallavalitsus", source, formats=())
    (layout,) = (project / "templates" / "layouts").glob("*.yaml")
    assert yaml.safe_load(layout.read_text("utf-8"))["front"]["banner"] == [
        "{agency}",
        "{units_genitive}",
    ]
    organization = project / "data" / "organization.yaml"
    data = yaml.safe_load(organization.read_text("utf-8"))
    assert data["units"]["finantsosakond"] == {
        "name": "finantsosakond",
        "genitive": "finantsosakonna",
    }
    # another unit of the agency, and a position of it
    data["units"]["majandusosakond"] = {"name": "majandusosakond", "genitive": "majandusosakonna"}
    organization.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    positions = project / "data" / "positions"
    (first,) = positions.glob("*.yaml")
    other = yaml.safe_load(first.read_text("utf-8"))
    other.update(unit="majandusosakond", title="majandusspetsialist")
    other["title_genitive"] = "majandusspetsialisti"
    (positions / "majandusspetsialist.yaml").write_text(
        yaml.safe_dump(other, allow_unicode=True), "utf-8"
    )
    # a unit without a genitive prints its name
    data["units"]["arendusosakond"] = {"name": "arendusosakond"}
    organization.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    other.update(unit="arendusosakond", title="arendusspetsialist")
    other["title_genitive"] = "arendusspetsialisti"
    (positions / "arendusspetsialist.yaml").write_text(
        yaml.safe_dump(other, allow_unicode=True), "utf-8"
    )
    with working_folder(project):
        built = run("build", "--format", "md", "--format", "docx")
        assert built.exit_code == 0, built.stderr + built.stdout
    own = (project / "out" / f"{first.stem}.md").read_text("utf-8")
    assert own.startswith("**SOOKALDA VALLAVALITSUS**\\\n**FINANTSOSAKONNA**\n")
    theirs = (project / "out" / "majandusspetsialist.md").read_text("utf-8")
    assert theirs.startswith("**SOOKALDA VALLAVALITSUS**\\\n**MAJANDUSOSAKONNA**\n")
    named = (project / "out" / "arendusspetsialist.md").read_text("utf-8")
    assert named.startswith("**SOOKALDA VALLAVALITSUS**\\\n**ARENDUSOSAKOND**\n")
    assert ratio(project / "out" / f"{first.stem}.docx", reference) >= 0.99
