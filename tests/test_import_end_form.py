"""How the signatories of a document stand: side by side (columns) or one under another (lines).

A first day learns it (the layout's ``end.signatures_form``), so that the
document builds back with its signatures where they were. The documents are
our own words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from unseen_docx import build_docx, reference_text

from ametijuhend_cli.importer.end import parse_end
from ametijuhend_cli.importer.extract import Item
from ametijuhend_cli.importer.run import lexicon_for
from ametijuhend_cli.sources.templates import TemplateSet
from conftest import start_project
from wordmatch import ratio


def _lexicon() -> Any:
    layouts = TemplateSet.for_project(None).layouts
    return lexicon_for(layouts, layouts.get("standard"))


def _lines(*texts: str) -> list[Item]:
    return [Item(text, number=n) for n, text in enumerate(texts, 1)]


def _cells(*rows: tuple[str, ...]) -> list[Item]:
    return [
        Item(text, cell=(0, r, c), number=r * 10 + c)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]


@pytest.mark.parametrize(
    ("items", "form"),
    [
        # each label over its own lines: the mark, the name, the title
        (
            _lines(
                "Tööandja: (allkirjastatud digitaalselt)",
                "Ülle Sarapuu",
                "juhataja",
                "Töötaja: (allkirjastatud digitaalselt)",
                "Rasmus Kallas",
            ),
            "lines",
        ),
        # labels of the agency's own, the name after each
        (_lines("Koostas:", "Ülle Sarapuu", "Kinnitas:", "Rasmus Kallas"), "lines"),
        (_lines("Tööandja: Ülle Sarapuu, juhataja", "Töötaja: Rasmus Kallas"), "lines"),
        # a table's cells
        (_cells(("Koostas:", "Kinnitas:"), ("Ülle Sarapuu", "Rasmus Kallas")), "columns"),
        # a table's text: the labels run together on one line, or one after another
        (_lines("Tööandja: Töötaja:", "Ülle Sarapuu Rasmus Kallas"), "columns"),
        (
            _lines("Tööandja:", "Töötaja:", "Ülle Sarapuu", "Rasmus Kallas"),
            "columns",
        ),
        # text laid out in columns (pdftotext -layout), read cell by cell: each label
        # over its name, but the two labels came from one line
        (
            [
                Item("Tööandja:", number=1),
                Item("(allkirjastatud digitaalselt)", number=2),
                Item("Ülle Sarapuu", number=3),
                Item("Töötaja:", number=1),
                Item("(allkirjastatud digitaalselt)", number=2),
                Item("Rasmus Kallas", number=3),
            ],
            "columns",
        ),
        # one signatory shows neither
        (_lines("(allkirjastatud digitaalselt)", "Ülle Sarapuu", "juhataja"), None),
    ],
)
def test_how_the_signatories_stand(items: list[Item], form: str | None) -> None:
    assert parse_end(items, _lexicon()).form == form


#: A document whose signatories stand one under another (our own words).
BLOCKS: list[Any] = [
    ["p", "Sookalda Muuseum", "c"],
    ["p", "GIIDI AMETIJUHEND", "bc"],
    ["p", "1. ÜLDOSA", "b"],
    [
        "table",
        [
            ["Ametikoha nimetus", "giid"],
            ["Struktuuriüksus", "külastajate osakond"],
            ["Vahetu juht", "külastajate osakonna juhataja"],
        ],
    ],
    ["p", "2. ÜLESANDED", "b"],
    ["p", "2.1. Ekskursioonide läbiviimine muuseumi püsinäitusel."],
    ["p", "2.2. Haridusprogrammide ettevalmistamine koolidele."],
    ["p", "2.3. Külastajate küsimustele vastamine."],
    ["p", "Tööandja: (allkirjastatud digitaalselt)"],
    ["p", "Ülle Sarapuu"],
    ["p", "direktor"],
    ["p", "Töötaja: (allkirjastatud digitaalselt)"],
    ["p", "Rasmus Kallas"],
]


def test_a_first_day_learns_signatories_one_under_another(tmp_path: Path) -> None:
    source = build_docx(BLOCKS, tmp_path / "giid.docx")
    reference = tmp_path / "giid.txt"
    reference.write_text(reference_text(BLOCKS), "utf-8")
    project = tmp_path / "project"
    start_project(project, "Sookalda Muuseum", source)
    (layout,) = (project / "templates" / "layouts").glob("*.yaml")
    assert yaml.safe_load(layout.read_text("utf-8"))["end"]["signatures_form"] == "lines"
    (built,) = (project / "out").glob("*.docx")
    document = docx.Document(str(built))
    in_tables = " ".join(cell.text for t in document.tables for row in t.rows for cell in row.cells)
    assert "Rasmus Kallas" not in in_tables  # a paragraph of its own, not a table's column
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[-5:] == [
        "Tööandja: (allkirjastatud digitaalselt)",
        "Ülle Sarapuu",
        "direktor",
        "Töötaja: (allkirjastatud digitaalselt)",
        "Rasmus Kallas",
    ]
    assert ratio(built, reference) >= 0.99


def test_a_signature_tables_header_row_without_colons_is_its_labels() -> None:
    # | Tööandja esindaja | Teenistuja | over the marks and the names, under the requirements
    from ametijuhend_cli.importer.closing import end_start

    body = _lines("6.2. Keeleoskus: eesti keel C1 tasemel.")
    table = _cells(
        ("Tööandja esindaja", "Teenistuja"),
        ("(allkirjastatud digitaalselt)", "(allkirjastatud digitaalselt)"),
        ("Peeter Paju", "Anu Aas"),
    )
    lexicon = _lexicon()
    assert end_start(body + table, lexicon) == len(body)  # the header row is the end's
    end = parse_end(table, lexicon)
    assert end.signatures == {
        "signers": [
            {"label": "Tööandja esindaja", "name": "Peeter Paju"},
            {"label": "Teenistuja", "name": "Anu Aas"},
        ]
    }
    assert end.signed
    # a first row of names is no header: the two sign without labels
    names = parse_end(_cells(("Peeter Paju", "Anu Aas"), ("direktor", "spetsialist")), lexicon)
    assert names.signatures is not None and "signers" not in names.signatures


def test_a_table_row_of_body_text_above_the_signatures_stays_the_bodys() -> None:
    from ametijuhend_cli.importer.closing import end_start

    table = _cells(
        ("Tööd tehakse graafiku alusel, mille kinnitab juhataja.", "Graafik"),
        ("(allkirjastatud digitaalselt)", "(allkirjastatud digitaalselt)"),
        ("Peeter Paju", "Anu Aas"),
    )
    assert end_start(table, _lexicon()) == 2


def test_lines_to_fill_in_under_the_acknowledgement_with_room_left() -> None:
    # 'Töötaja nimi: ______': a line to fill in, not a signer named '______'
    end = parse_end(
        _lines(
            "Olen ametijuhendiga tutvunud ja kohustun seda täitma.",
            "Töötaja nimi: ____________",
            "Allkiri: ____________",
            "Kuupäev: ____________",
        ),
        _lexicon(),
    )
    assert end.acknowledgement == "Olen ametijuhendiga tutvunud ja kohustun seda täitma."
    assert end.fields == ["Töötaja nimi", "Allkiri", "Kuupäev"]
    assert end.signatures is None


def test_a_two_column_signature_table_run_into_lines_of_text() -> None:
    # pdftotext -raw of | Tööandja esindaja | Teenistuja | over the marks and the names
    from ametijuhend_cli.importer.closing import end_start

    body = _lines("6.2. Keeleoskus: eesti keel C1 tasemel.")
    table = _lines(
        "Tööandja esindaja Teenistuja",
        "(allkirjastatud digitaalselt) (allkirjastatud digitaalselt)",
        "Peeter Paju Anu Aas",
    )
    lexicon = _lexicon()
    assert end_start(body + table, lexicon) == len(body)
    assert parse_end(table, lexicon).signatures == {
        "signers": [
            {"label": "Tööandja esindaja", "name": "Peeter Paju"},
            {"label": "Teenistuja", "name": "Anu Aas"},
        ]
    }
    # a requirement with its label, over one signer's mark, stays the body's
    body = _lines("6.3. Arvutioskus: hea", "Kehtib alates tänasest")
    one = _lines("(allkirjastatud digitaalselt)", "Peeter Paju", "direktor")
    assert end_start(body + one, lexicon) == len(body)


def test_the_lines_to_fill_in_as_a_table_row_in_text() -> None:
    end = parse_end(
        _lines("Olen ametijuhendiga tutvunud ja kohustun seda täitma.", "Nimi Kuupäev Allkiri"),
        _lexicon(),
    )
    assert end.fields == ["Nimi", "Kuupäev", "Allkiri"]
    assert end.signatures is None
