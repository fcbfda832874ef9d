"""The lines before the first section that differ from one document to the next.

A directive's line standing alone ('Kinnitatud … käskkirjaga nr 5', '… nr 5
kinnitatud'), an annex label over a KINNITATUD block ('Lisa 3'), a position
number under the title without parentheses ('põhitöö nr 586') and the position
in the genitive on a line of its own over 'AMETIJUHEND': the first day reads
them into each position, and the layout it learns prints them from there (not
as banner lines, which every position would print alike). The documents are
our own words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from test_layouts import styled

from ametijuhend_cli.estonian import vabamorf
from conftest import REPO, only, read_yaml, start_project
from wordmatch import ratio

_BODY = """\
{subtitle}1. ÜLDOSA
1.1. Ametikoha nimetus: {name}
1.2. Struktuuriüksus: haljastusosakond
1.3. Vahetu juht: haljastusosakonna juhataja
2. AMETIKOHA EESMÄRK
Valla parkide ja haljasalade hooldamine.
3. TÖÖÜLESANDED
3.1. Muru niitmise korraldamine.
3.2. Lillepeenarde rajamine ja kastmine.
4. ÕIGUSED
4.1. Saada juhatajalt tööks vajalikku teavet.
5. VASTUTUS
5.1. Vastutab talle antud töövahendite säilimise eest.
"""

#: two documents of one agency: (title in the genitive, title, directive date, number, annex)
DOCUMENTS = [
    ("AEDNIKU", "aednik", "12.03.2025", "1-3/17", "3"),
    ("HALJASTAJA", "haljastaja", "04.11.2024", "1-3/88", "4"),
]


#: the approval line of the built-in wording (a layout learnt gives its own where it differs)
BUILT_IN_LINE = yaml.safe_load((REPO / "templates" / "wording.yaml").read_text("utf-8"))[
    "approval"
]["line"]


def first_day(
    folder: Path, front: str, subtitle: str = "", title: str = "{title} AMETIJUHEND\n"
) -> tuple[Path, dict[str, Any]]:
    """Start a project from the two documents, each with ``front`` over its ``title``
    (filled with its date, number and annex); return the project and the layout learnt."""
    folder.mkdir()
    sources = []
    for genitive, name, date, number, annex in DOCUMENTS:
        source = folder / f"{name}.txt"
        head = front.format(date=date, number=number, annex=annex)
        body = title.format(title=genitive) + _BODY.format(subtitle=subtitle, name=name)
        source.write_text(head + body, "utf-8")
        sources.append(source)
    project = folder / "project"
    start_project(project, "Kaseküla Vald", *sources, formats=("docx", "md"))
    return project, read_yaml(only(project / "templates" / "layouts", "*.yaml"))


def position(project: Path, name: str) -> dict[str, Any]:
    (path,) = (project / "data" / "positions").glob(f"{name}*.yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


def built(project: Path, name: str, suffix: str) -> Path:
    (path,) = (project / "out").glob(f"{name}*{suffix}")
    return path


@pytest.mark.parametrize(
    ("front", "template"),
    [
        (
            "Kinnitatud Kaseküla Vallavalitsuse {date} käskkirjaga nr {number}\n",
            "Kinnitatud {by} {date} käskkirjaga nr {number}",
        ),
        (
            "KINNITATUD: Kaseküla Vallavalitsuse {date} korraldusega nr {number}\n",
            "KINNITATUD: {by} {date} korraldusega nr {number}",
        ),
        (
            "Kaseküla Vallavalitsuse {date} käskkirjaga nr {number} kinnitatud\n",
            "{by} {date} käskkirjaga nr {number} kinnitatud",
        ),
        (
            "Kaseküla Vallavalitsuse {date} käskkirjaga nr {number}\n",
            "{by} {date} käskkirjaga nr {number}",
        ),
    ],
    ids=["word-before", "word-and-colon", "word-after", "line-alone"],
)
def test_an_approval_line_alone_is_each_positions_own(
    tmp_path: Path, front: str, template: str
) -> None:
    project, layout = first_day(tmp_path / "doc", front)
    assert layout["approval"] == "line"
    learnt = layout.get("wording", {}).get("approval", {})
    assert learnt.get("line", BUILT_IN_LINE) == template
    assert "front" not in layout or not any(
        "Vallavalitsuse" in line for line in layout["front"].get("banner", [])
    )
    for _, name, date, number, _ in DOCUMENTS:
        data = position(project, name)
        day, month, year = date.split(".")
        assert str(data["approval"]["date"]) == f"{year}-{month}-{day}"
        assert data["approval"]["number"] == number
        written = front.format(date=date, number=number, annex="").strip()
        markdown = built(project, name, ".md").read_text("utf-8")
        assert markdown.startswith(written + "\n"), markdown[:200]
        document = docx.Document(str(built(project, name, ".docx")))
        assert styled(document, "Approval") == [written]
        source = tmp_path / "doc" / f"{name}.txt"
        assert ratio(built(project, name, ".docx"), source) >= 0.97


def test_an_annex_label_over_the_approval_block_is_each_positions_own(tmp_path: Path) -> None:
    front = "Lisa {annex}\nKINNITATUD\nKaseküla Vallavalitsuse {date} käskkirjaga nr {number}\n"
    project, layout = first_day(tmp_path / "doc", front)
    assert layout["approval"] == ["label", "block"]
    assert "front" not in layout or "Lisa 3" not in layout["front"].get("banner", [])
    for _, name, date, number, annex in DOCUMENTS:
        data = position(project, name)
        assert data["annex"] == int(annex)
        assert data["approval"]["number"] == number
        document = docx.Document(str(built(project, name, ".docx")))
        assert styled(document, "Approval") == [
            f"Lisa {annex}",
            "KINNITATUD",
            f"Kaseküla Vallavalitsuse {date} käskkirjaga nr {number}",
        ]


def test_a_position_number_under_the_title_without_parentheses(tmp_path: Path) -> None:
    project, layout = first_day(tmp_path / "doc", "", subtitle="põhitöö nr 586\n")
    assert layout["front"]["subtitle"] == "põhitöö nr {position_number}"
    for _, name, _, _, _ in DOCUMENTS:
        assert str(position(project, name)["position_number"]) == "586"
        document = docx.Document(str(built(project, name, ".docx")))
        assert styled(document, "Subtitle") == ["põhitöö nr 586"]


def test_the_position_over_the_title_on_a_line_of_its_own(tmp_path: Path) -> None:
    banner = "KASEKÜLA VALD\nHALJASTUSOSAKOND\n"
    project, layout = first_day(tmp_path / "doc", banner, title="{title}\nAMETIJUHEND\n")
    assert layout["front"]["banner"] == ["{agency}", "{units}"]
    assert layout["front"].get("title", "{title_genitive} {document_title}") == (
        "{title_genitive} {document_title}"
    )
    for genitive, name, _, _, _ in DOCUMENTS:
        assert position(project, name)["title_genitive"].upper() == genitive
        document = docx.Document(str(built(project, name, ".docx")))
        assert styled(document, "Banner") == ["KASEKÜLA VALD", "HALJASTUSOSAKOND"]
        assert styled(document, "Title") == [f"{genitive} AMETIJUHEND"]


@pytest.mark.parametrize(
    "above",
    ["HALJASTUSOSAKOND", "KASEKÜLA VALLA", "PARKIDE JA HALJASALADE HOOLDUSE TALITUS"],
    ids=["a-unit", "not-the-title", "too-long"],
)
def test_a_line_over_the_title_that_is_not_the_position_stays_a_banner_line(
    tmp_path: Path, above: str
) -> None:
    project, _ = first_day(tmp_path / "doc", "KASEKÜLA VALD\n", title=f"{above}\nAMETIJUHEND\n")
    for _, name, _, _, _ in DOCUMENTS:
        assert "title_genitive" not in position(project, name)
        document = docx.Document(str(built(project, name, ".docx")))
        assert styled(document, "Title") == ["AMETIJUHEND"]
        assert styled(document, "Banner")[-1] == above


def _without_unit(genitive: str, name: str, unit: str) -> str:
    return f"""\
KASEKÜLA VALD
{unit}
{genitive} AMETIJUHEND
1. ÜLDOSA
1.1. Ametikoha nimetus: {name}
1.2. Vahetu juht: osakonna juhataja
2. TÖÖÜLESANDED
2.1. Valla varade korrashoid.
3. ÕIGUSED
3.1. Saada juhatajalt tööks vajalikku teavet.
"""


@pytest.mark.parametrize("agency", ["Kaseküla Vald", "Kaseküla Vallavalitsus"])
def test_the_banner_names_the_unit_where_the_general_part_does_not(
    tmp_path: Path, agency: str
) -> None:
    units = {"aednik": "HALJASTUSOSAKOND", "teemeister": "TEEDE- JA HOONETE OSAKOND"}
    sources = []
    for name, unit in units.items():
        source = tmp_path / f"{name}.txt"
        source.write_text(_without_unit(name.upper() + "I", name, unit), "utf-8")
        sources.append(str(source))
    project = tmp_path / "project"
    start_project(project, agency, *sources)
    organization = yaml.safe_load((project / "data" / "organization.yaml").read_text("utf-8"))
    names = {unit["name"] for unit in organization["units"].values()}
    if agency == "Kaseküla Vald":  # the banner starts with the agency: its units follow
        assert names == {"haljastusosakond", "teede- ja hoonete osakond"}
        for name, unit in units.items():
            assert organization["units"][position(project, name)["unit"]]["name"] == unit.lower()
            document = docx.Document(str(built(project, name, ".docx")))
            assert styled(document, "Banner") == ["KASEKÜLA VALD", unit]
    else:  # another name: the banner's lines are not known to be units
        assert names == {agency}


def test_a_general_part_without_a_heading_numbered_1_1_in_a_table(tmp_path: Path) -> None:
    # | 1.1. | Ametikoht | hooldaja |, no heading over the table, then "2. TÖÖÜLESANDED"
    document = docx.Document()
    document.add_paragraph("KASEKÜLA VALD")
    document.add_paragraph("HOOLDAJA AMETIJUHEND")
    table = document.add_table(rows=0, cols=3)
    rows = [("Ametikoht", "hooldaja"), ("Struktuuriüksus", "sotsiaalosakond")]
    for n, (label, value) in enumerate(rows, 1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = f"1.{n}.", label, value
    for line in [
        "2. TÖÖÜLESANDED",
        "2.1. Abistab kodus elavaid eakaid igapäevastes toimingutes.",
        "3. ÕIGUSED",
        "3.1. Saada juhatajalt tööks vajalikku teavet.",
    ]:
        document.add_paragraph(line)
    source = tmp_path / "hooldaja.docx"
    document.save(str(source))
    project = tmp_path / "project"
    made = start_project(project, "Kaseküla Vald", source, formats=("md",))
    assert "not imported" not in made.stdout  # the number cell "1.1." is the row's
    (layout,) = (project / "templates" / "layouts").glob("*.yaml")
    sections = yaml.safe_load(layout.read_text("utf-8"))["sections"]
    assert {"key": "general", "show_heading": False, "numbered": True} in sections
    markdown = built(project, "hooldaja", ".md").read_text("utf-8")
    assert "| 1.1. | Ametikoht | hooldaja |" in markdown
    assert "## 2. TÖÖÜLESANDED" in markdown
    assert "\n2.1. Abistab kodus" in markdown


@pytest.mark.parametrize(
    ("front", "form"),
    [
        ("KINNITATUD\nKaseküla Vallavalitsuse käskkirjaga\n{date} nr {number}\n", "block"),
        ("Kinnitatud Kaseküla Vallavalitsuse korraldusega {date} nr {number}\n", "line"),
    ],
    ids=["block", "line"],
)
def test_the_date_after_the_act(tmp_path: Path, front: str, form: str) -> None:
    project, layout = first_day(tmp_path / "doc", front)
    assert layout["approval"] == form
    act = "käskkirjaga" if form == "block" else "korraldusega"
    line = layout["wording"]["approval"]["line"]
    assert (
        line == ("Kinnitatud " if form == "line" else "") + f"{{by}} {act} {{date}} nr {{number}}"
    )
    for _, name, date, number, _ in DOCUMENTS:
        data = position(project, name)
        assert data["approval"]["number"] == number
        document = docx.Document(str(built(project, name, ".docx")))
        assert styled(document, "Approval")[-1].endswith(f"{act} {date} nr {number}")


@pytest.mark.skipif(not vabamorf.installed(), reason="needs the extra keel (make venv-keel)")
def test_a_title_named_only_in_the_title_line_is_its_nominative(tmp_path: Path) -> None:
    source = tmp_path / "kokk.txt"
    source.write_text(
        "KASEKÜLA LASTEAED\nKOKA AMETIJUHEND\nÜldsätted\nKokk allub direktorile.\n"
        "Tööülesanded\nValmistab lastele toitu.\nÕigused\nSaada tööks vajalikud vahendid.\n",
        "utf-8",
    )
    project = tmp_path / "project"
    start_project(project, "Kaseküla Lasteaed", source, formats=())
    data = position(project, "kokk")
    assert (data["title"], data["title_genitive"], data["title_partitive"]) == (
        "Kokk",
        "Koka",
        "Kokka",
    )
