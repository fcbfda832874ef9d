"""One section that holds rights and responsibilities under one heading ('ÕIGUSED JA VASTUTUS').

The importer cuts its items in two (by a lead-in of the second list, or by
the words of each: '… on õigus …', '… vastutab … eest'), and `init
--from-docx` learns a layout in which the second list continues the first
(``join``: no heading of its own, its items numbered on), so the document
builds back as it was. The documents are our own words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run, start_project, working_folder
from wordmatch import ratio

_START = """\
METSAVAHI AMETIJUHEND
1. ÜLDOSA
1.1. Ametikoha nimetus: metsavaht
1.2. Struktuuriüksus: metsaosakond
1.3. Vahetu juht: metsaosakonna juhataja
2. AMETIKOHA EESMÄRK
Valla metsade korrashoiu ja tuleohutuse tagamine.
3. TEENISTUSÜLESANDED
3.1. Metsateede ja -radade seisukorra kontrollimine.
3.2. Raieplatside korrashoiu jälgimine.
3.3. Metsatulekahju ohust teatamine.
"""

_END = """\
5. NÕUDED AMETIKOHALE
Haridus: keskharidus.
"""

#: The section's lines, and what the reader sees in them: rights, then responsibilities.
SECTIONS = {
    "numbered-on": (
        """\
4. ÕIGUSED JA VASTUTUS
4.1. Metsavahil on õigus peatada metsas lubamatu tegevus.
4.2. Metsavahil on õigus saada vallalt töövahendid.
4.3. Metsavaht vastutab oma töölõigu järelevalve eest.
4.4. Metsavaht vastutab talle antud vara säilimise eest.
""",
        2,
        2,
    ),
    "lead-ins": (
        """\
4. ÕIGUSED JA VASTUTUS
Metsavahil on õigus:
• peatada metsas lubamatu tegevus;
• saada vallalt töövahendid.
Metsavaht vastutab:
• oma töölõigu järelevalve eest;
• talle antud vara säilimise eest.
""",
        2,
        2,
    ),
    # the wording's own lead-ins, which start a list whose heading is missing
    "wording-lead-ins": (
        """\
4. ÕIGUSED JA VASTUTUS
Töötajal on õigus:
• peatada metsas lubamatu tegevus;
• saada vallalt töövahendid.
Töötaja vastutab:
• oma töölõigu järelevalve eest;
• talle antud vara säilimise eest.
""",
        2,
        2,
    ),
    "three-words": (
        """\
4. ÕIGUSED, KOHUSTUSED JA VASTUTUS
4.1. Metsavahil on õigus peatada metsas lubamatu tegevus.
4.2. Metsavaht vastutab oma töölõigu järelevalve eest.
4.3. Metsavaht vastutab talle antud vara säilimise eest.
""",
        1,
        2,
    ),
    "responsibilities-first": (
        """\
4. VASTUTUS JA ÕIGUSED
4.1. Metsavaht vastutab oma töölõigu järelevalve eest.
4.2. Metsavahil on õigus peatada metsas lubamatu tegevus.
4.3. Metsavahil on õigus saada vallalt töövahendid.
""",
        2,
        1,
    ),
}


def first_day(folder: Path, text: str) -> tuple[Path, dict[str, Any], Path]:
    """Start a project from the document ``text``; return it, its position and the text."""
    folder.mkdir()
    source = folder / "metsavaht.txt"
    source.write_text(text, "utf-8")
    project = folder / "project"
    start_project(project, "Metsaküla Vald", source)
    (path,) = (project / "data" / "positions").glob("*.yaml")
    return project, yaml.safe_load(path.read_text("utf-8")), source


def _layout(project: Path) -> dict[str, Any]:
    (path,) = (project / "templates" / "layouts").glob("*.yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


@pytest.mark.parametrize("shape", SECTIONS)
def test_one_section_of_rights_and_responsibilities_is_read_as_both(
    tmp_path: Path, shape: str
) -> None:
    section, rights, responsibilities = SECTIONS[shape]
    project, position, source = first_day(tmp_path / shape, _START + section + _END)
    assert len(position["rights"]) == rights
    assert len(position["responsibilities"]) == responsibilities
    first, second = (
        ("rights", "responsibilities")
        if shape != "responsibilities-first"
        else ("responsibilities", "rights")
    )
    sections = _layout(project)["sections"]
    keys = [s["key"] if isinstance(s, dict) else s for s in sections]
    assert keys.index(second) == keys.index(first) + 1
    assert {"key": second, "join": True} in sections
    (built,) = (project / "out").glob("*.docx")
    assert ratio(built, source) >= 0.97


def test_the_lists_mixed_stay_one_list(tmp_path: Path) -> None:
    # a right after a responsibility: printed as two lists they would change the order
    section = """\
4. ÕIGUSED JA VASTUTUS
4.1. Metsavahil on õigus peatada metsas lubamatu tegevus.
4.2. Metsavaht vastutab oma töölõigu järelevalve eest.
4.3. Metsavahil on õigus saada vallalt töövahendid.
"""
    project, position, source = first_day(tmp_path / "mixed", _START + section + _END)
    assert len(position["rights"]) == 3
    assert "responsibilities" not in position
    (built,) = (project / "out").glob("*.docx")
    assert ratio(built, source) >= 0.97


def test_the_project_reads_its_own_documents_back(tmp_path: Path) -> None:
    section = SECTIONS["numbered-on"][0]
    project, _, _ = first_day(tmp_path / "day", _START + section + _END)
    again = tmp_path / "again.txt"
    again.write_text(_START + section.replace("metsas", "valla metsas") + _END, "utf-8")
    with working_folder(project):
        made = run("import", str(again), "-o", "data/positions/again.yaml")
        assert made.exit_code == 0, made.stderr + made.stdout
        assert "holds rights and responsibilities: the responsibilities from '4.3." in made.stdout
        assert run("build", "again", "--format", "docx").exit_code == 0
    data = yaml.safe_load((project / "data" / "positions" / "again.yaml").read_text("utf-8"))
    assert len(data["rights"]) == 2 and len(data["responsibilities"]) == 2
    assert ratio(project / "out" / "again.docx", again) >= 0.97
