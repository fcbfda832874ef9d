"""Tables of text laid out in columns (pdftotext -layout): columns, rows and cells found."""

from __future__ import annotations

from pathlib import Path

import pytest

from ametijuhend_cli.importer.columns import Piece, laid_out, pieces, starts_paragraph, uncolumn
from ametijuhend_cli.importer.extract import Joiner, read_text, rejoined


def cells(text: str) -> list[tuple[tuple[int, int, int] | None, str]]:
    """Return the pieces of ``text`` (its non-blank lines) as (cell, text joined by ' / ')."""
    return [
        (p.cell, " / ".join(line.strip() for line in p.lines))
        for p in pieces(text.split("\n"))
        if "".join(p.lines).strip()
    ]


TASKS = """\
3. ÜLESANDED

Tööülesanne                          Oodatav tulemus
3.1. Veskite ja sildade ülevaatus    Ülevaatuse akt on koostatud
kevadel ja sügisel.                  kahe nädala jooksul.
3.2. Paatide laenutamine.            Laenutused on kirjas.
                                     Paadid on tagastatud.
3.3. Matkaradade tähistamine.
4. ÕIGUSED
4.1. Saada vajalikku teavet.
"""


def test_a_task_table_is_read_cell_by_cell_row_by_row() -> None:
    assert cells(TASKS) == [
        (None, "3. ÜLESANDED"),
        ((0, 0, 0), "Tööülesanne"),
        ((0, 0, 1), "Oodatav tulemus"),
        ((0, 1, 0), "3.1. Veskite ja sildade ülevaatus / kevadel ja sügisel."),
        ((0, 1, 1), "Ülevaatuse akt on koostatud / kahe nädala jooksul."),
        ((0, 2, 0), "3.2. Paatide laenutamine."),
        ((0, 2, 1), "Laenutused on kirjas."),  # two sentences the cell's width did not wrap
        ((0, 2, 1), "Paadid on tagastatud."),
        ((0, 3, 0), "3.3. Matkaradade tähistamine."),  # a row of the same depth, no result
        (None, "4. ÕIGUSED"),  # a heading after the table is no row of it
        (None, "4.1. Saada vajalikku teavet."),
    ]


def test_rows_without_numbers_or_header_begin_where_the_first_column_begins_anew() -> None:
    text = """\
Jõulukuuse püstitamine               Kuusk seisab platsil
keskväljakule.                       esimeseks advendiks.
Lumelinna ehitamise                  Lumelinn on valmis.
juhendamine.
Aruande esitamine vallale            Aruanne on esitatud.
Kõik kolm on tehtud, see lause on jutt tabeli all.
"""
    assert cells(text) == [
        ((0, 0, 0), "Jõulukuuse püstitamine / keskväljakule."),
        ((0, 0, 1), "Kuusk seisab platsil / esimeseks advendiks."),
        ((0, 1, 0), "Lumelinna ehitamise / juhendamine."),
        ((0, 1, 1), "Lumelinn on valmis."),
        ((0, 2, 0), "Aruande esitamine vallale"),
        ((0, 2, 1), "Aruanne on esitatud."),
        (None, "Kõik kolm on tehtud, see lause on jutt tabeli all."),
    ]


def test_a_row_begins_where_the_first_column_has_text_again_after_it_ended() -> None:
    # the first cell ends before the second; the next row's first cell is too long to
    # have fitted on the line before it, which alone does not tell a new row
    text = """\
Teenistusülesanne                      Oodatav tulemus
Hariduse arengukava koostamine         Arengukava on koostatud tähtajaks.
                                       Arengukava on kooskõlas valla
                                       eelarvega.
Koolijuhtide nõustamine                Koolijuhid on saanud vajaliku nõu.
"""
    assert cells(text) == [
        ((0, 0, 0), "Teenistusülesanne"),
        ((0, 0, 1), "Oodatav tulemus"),
        ((0, 1, 0), "Hariduse arengukava koostamine"),
        ((0, 1, 1), "Arengukava on koostatud tähtajaks."),
        ((0, 1, 1), "Arengukava on kooskõlas valla / eelarvega."),
        ((0, 2, 0), "Koolijuhtide nõustamine"),
        ((0, 2, 1), "Koolijuhid on saanud vajaliku nõu."),
    ]


def test_a_label_table_gives_each_label_its_value() -> None:
    text = """\
1. ÜLDOSA
Ametinimetus                      metsavaht
Struktuuriüksus                   loodusosakond
Kes asendab                       teine metsavaht või
                                  osakonna juhataja
2. EESMÄRK
"""
    assert cells(text) == [
        (None, "1. ÜLDOSA"),
        ((0, 0, 0), "Ametinimetus"),
        ((0, 0, 1), "metsavaht"),
        ((0, 1, 0), "Struktuuriüksus"),
        ((0, 1, 1), "loodusosakond"),
        ((0, 2, 0), "Kes asendab"),
        ((0, 2, 1), "teine metsavaht või / osakonna juhataja"),
        (None, "2. EESMÄRK"),
    ]


def test_three_columns_with_bullets_and_rows_apart_by_blank_lines() -> None:
    text = """\
    Ülesanne                Tegevused                  Tulemus

    2.1 Kalade loendus      ▪   võrkude paigaldamine;  ▪   Loendus on tehtud
    jõgedes.                ▪   saagi mõõtmine ja          augustis.
                                kirjapanek.

    2.2 Kalurite                                       ▪   Kalurid teavad
    nõustamine.                                            uusi reegleid.
"""
    assert cells(text) == [
        ((0, 0, 0), "Ülesanne"),
        ((0, 0, 1), "Tegevused"),
        ((0, 0, 2), "Tulemus"),
        ((0, 1, 0), "2.1 Kalade loendus / jõgedes."),
        ((0, 1, 1), "▪ võrkude paigaldamine;"),
        ((0, 1, 1), "▪ saagi mõõtmine ja / kirjapanek."),
        ((0, 1, 2), "▪ Loendus on tehtud / augustis."),
        ((0, 2, 0), "2.2 Kalurite / nõustamine."),
        ((0, 2, 2), "▪ Kalurid teavad / uusi reegleid."),
    ]


def test_justified_running_text_with_double_spaces_is_no_table() -> None:
    # the second line's 'bussipeatused' starts where the first line's 'talvisel' does
    text = """\
Vallavalitsus  korraldab  talvisel ajal teede lumest puhastamise ning
hoolitseb selle eest, et  bussipeatused oleksid  ohutud ja valgustatud.
Selleks sõlmitakse lepingud kohalike  ettevõtjatega igaks talveks eraldi.
"""
    lines = text.split("\n")
    assert all(p.cell is None for p in pieces(lines))
    assert uncolumn(lines) == list(enumerate(lines, 1))


def test_one_line_with_a_wide_gap_is_no_table() -> None:
    text = "Koostas:                 Mari Maasikas\n\nKuupäev: 1. märts\n"
    assert all(p.cell is None for p in pieces(text.split("\n")))


def test_a_page_number_ends_the_table() -> None:
    text = """\
Haridus                 Keskharidus.
Keeleoskus              Eesti keel B1 tasemel.
                        Lk 1 / 2
"""
    assert [p.cell for p in pieces(text.split("\n")) if "".join(p.lines).strip()][-1] is None


def test_two_tables_apart_by_a_wider_space_are_two_tables() -> None:
    text = """\
Haridus                 Keskharidus.

Keeleoskus              Eesti keel B1 tasemel.


Tööandja:               Töötaja:
Mari Maasikas           Jaan Tamm
"""
    assert cells(text) == [
        ((0, 0, 0), "Haridus"),
        ((0, 0, 1), "Keskharidus."),
        ((0, 1, 0), "Keeleoskus"),
        ((0, 1, 1), "Eesti keel B1 tasemel."),
        ((1, 0, 0), "Tööandja:"),
        ((1, 0, 1), "Töötaja:"),
        ((1, 1, 0), "Mari Maasikas"),
        ((1, 1, 1), "Jaan Tamm"),
    ]


def test_a_line_with_text_where_the_table_has_no_column_ends_it() -> None:
    text = """\
Haridus                 Keskharidus.
Keeleoskus              Eesti keel B1 tasemel.
Tööandja:               Töötaja:                 Nõustaja:
"""
    assert [c for c, _ in cells(text)] == [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1), None]


@pytest.mark.parametrize(
    ("before", "text", "width", "starts"),
    [
        ("Laenutused on kirjas.", "Paadid on tagastatud.", 30, True),  # a sentence ended
        ("Ülevaatuse akt on koostatud", "kahe nädala jooksul.", 30, False),  # wrapped
        ("Mari Maasikas", "raamatupidaja", 30, True),  # a short line ended early
        ("teenistujate", "juhendamine.", 24, False),  # would not have fit
        ("saagi mõõtmine ja", "▪ kirjapanek", 30, True),  # a bullet
        ("Paatide laenutamine", "3.2. Kalade loendus", 30, True),  # a number
        ("Koostöö korraldamine koos", "Rahandusministeeriumiga", 30, False),  # a name wrapped
    ],
)
def test_a_cell_line_starts_a_paragraph(before: str, text: str, width: int, starts: bool) -> None:
    assert starts_paragraph(before, text, width) is starts


def test_laid_out_text_is_told_by_its_wide_gaps() -> None:
    assert laid_out(TASKS.split("\n"))
    assert not laid_out(["Üks rida.", "Teine  rida, kahe tühikuga.", "Kolmas rida."])


def test_the_importer_reads_cells_as_table_items_their_lines_joined(tmp_path: Path) -> None:
    path = tmp_path / "juhend.layout.txt"
    path.write_text(
        "Tööülesanne                          Oodatav tulemus\n"
        "3.1. Üle-eestiliste võistluste       Võistlused on pee-\n"
        "korraldamine.                        tud.\n"
        "3.2. Kohtunike koolitamine.          Kohtunikke on kümme.\n",
        "utf-8",
    )
    document = read_text(path)
    found = [(i.cell, i.text) for i in document.items]
    assert found == [
        ((0, 0, 0), "Tööülesanne"),
        ((0, 0, 1), "Oodatav tulemus"),
        ((0, 1, 0), "3.1. Üle-eestiliste võistluste korraldamine."),
        ((0, 1, 1), "Võistlused on pee- tud."),
        ((0, 2, 0), "3.2. Kohtunike koolitamine."),
        ((0, 2, 1), "Kohtunikke on kümme."),
    ]
    joined = rejoined(document, Joiner({"peetud"}, {"ja", "või"}))
    assert joined.items[3].text == "Võistlused on peetud."
    assert joined.items[2] == document.items[2]  # a cell of one line as it was


def test_pieces_keep_every_line_of_the_text() -> None:
    lines = TASKS.split("\n")
    read = pieces(lines)
    numbers = sorted(p.number + k for p in read for k in range(len(p.lines)))
    kept = [n for n, line in enumerate(lines, 1) if line.strip()]
    assert all(n in numbers for n in kept)
    assert isinstance(read[0], Piece)


def test_a_line_indented_as_far_as_the_text_of_the_item_above_goes_on_with_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "juhend.layout.txt"
    path.write_text(
        "Ametijuhend\n"
        "Sadamameistri ametijuhend\n"
        "Sadamameister hoolitseb valla sadama eest.\n"
        "Tema tööaeg on suvel pikem kui talvel.\n"
        "Õigused\n"
        "\n"
        "\uf0b7   kasutada valla paate tööülesannete\n"
        "    täitmiseks;\n"
        "\uf0b7   saada koolitust.\n"
        "Ülesanded\n"
        "   1.1.Sadama korrashoid ja\n"
        "       koristamine.\n"
        "   1.2.Kaide remont, sealhulgas:\n"
        "       1.2.1.laudise vahetamine;\n",
        "utf-8",
    )
    found = [(i.bullet, i.text) for i in read_text(path).items]
    assert found[4:] == [
        (False, "Õigused"),
        (True, "kasutada valla paate tööülesannete"),
        (False, "täitmiseks;"),  # under the text, not under the bullet: no item of its own
        (True, "saada koolitust."),
        (False, "Ülesanded"),
        (True, "1.1.Sadama korrashoid ja"),  # indented a little: a list's item
        (False, "koristamine."),
        (True, "1.2.Kaide remont, sealhulgas:"),
        (False, "1.2.1.laudise vahetamine;"),  # its number tells it apart
    ]
