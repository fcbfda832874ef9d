"""A job description written as one table: labels on the left, their contents on the right.

The general part's labels, then rows headed 'Tööülesanded', 'Õigused', 'Vastutus'
with their lists beside them, then the requirements' rows ('Haridus'). Each such
row's first cell heads its section and the other cells are its text; a row of a
requirement's label after them begins the requirements. The document is our own
words.
"""

from __future__ import annotations

from pathlib import Path

import docx

from conftest import only, read_yaml, start_project
from wordmatch import ratio

ROWS: list[tuple[str, list[str]]] = [
    ("Ametikoha nimetus", ["sekretär"]),
    ("Struktuuriüksus", ["kantselei"]),
    ("Vahetu juht", ["vallasekretär"]),
    ("Tööülesanded", ["Dokumentide registreerimine.", "Istungite protokollimine."]),
    ("Õigused", ["Saada tööks vajalikku teavet."]),
    ("Vastutus", ["Vastutab dokumentide säilimise eest."]),
    ("Haridus", ["keskharidus"]),
]


def test_a_document_in_one_table_of_labels_and_contents(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("SEKRETÄRI AMETIJUHEND")
    table = document.add_table(rows=0, cols=2)
    lines = ["SEKRETÄRI AMETIJUHEND"]
    for label, contents in ROWS:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = contents[0]
        for text in contents[1:]:
            cells[1].add_paragraph(text)
        lines += [label, *contents]
    source = tmp_path / "sekretar.docx"
    document.save(str(source))
    reference = tmp_path / "sekretar.txt"
    reference.write_text("\n".join(lines), "utf-8")
    project = tmp_path / "project"
    start_project(project, "Kaseküla Vallavalitsus", source)
    position = read_yaml(only(project / "data" / "positions", "*.yaml"))
    assert position["tasks"] == ["Dokumentide registreerimine.", "Istungite protokollimine."]
    assert [r["text"] for r in position["rights"]] == ["Saada tööks vajalikku teavet."]
    assert [r["text"] for r in position["responsibilities"]] == [
        "Vastutab dokumentide säilimise eest."
    ]
    assert position["requirements"]["education"] == "keskharidus"
    assert ratio(only(project / "out", "*.docx"), reference) == 1.0
