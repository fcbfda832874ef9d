"""Finding the sections of documents of other agencies: however their headings are written."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ametijuhend_cli.importer.body import parse_list
from ametijuhend_cli.importer.extract import Document, Item, Joiner
from ametijuhend_cli.importer.lexicon import Lexicon
from ametijuhend_cli.importer.outline import ParseError, Section, find_heading, split_sections
from ametijuhend_cli.sources.templates import TemplateSet

LEXICON = Lexicon(TemplateSet.for_project(None).wording)


@pytest.mark.parametrize(
    ("line", "expected", "found"),
    [
        # (number, style, heading as written, section, the rest of the line)
        ("1. ÜLDOSA", 1, ("1", "{n}.", "ÜLDOSA", "general", "")),
        ("1 ÜLDOSA", 1, ("1", "{n}", "ÜLDOSA", "general", "")),
        ("1.Üldsätted", 1, ("1", "{n}.", "Üldsätted", "general", "")),
        ("I ÜLDSÄTTED", 1, ("I", "{roman}", "ÜLDSÄTTED", "general", "")),
        ("IV. Õigused", 4, ("IV", "{roman}.", "Õigused", "rights", "")),
        ("ÕIGUSED", 9, (None, "", "ÕIGUSED", "rights", "")),
        ("Õigused:", 9, (None, "", "Õigused", "rights", "")),
        # the heading and its text on one line
        (
            "2. Teenistuskoha eesmärk on tagada arvete tasumine.",
            2,
            ("2", "{n}.", "Teenistuskoha eesmärk", "purpose", "on tagada arvete tasumine."),
        ),
        (
            "2. TEENISTUSKOHA EESMÄRK 2.1. Arvete tasumine.",
            2,
            ("2", "{n}.", "TEENISTUSKOHA EESMÄRK", "purpose", "2.1. Arvete tasumine."),
        ),
        ("ÕIGUSED: teha ettepanekuid", 5, (None, "", "ÕIGUSED", "rights", "teha ettepanekuid")),
        # headings worded otherwise: a word of the section's heading
        ("3. PEAMISED ÜLESANDED", 3, ("3", "{n}.", "PEAMISED ÜLESANDED", "tasks", "")),
        ("II Teenistuskoha eesmärk", 2, ("II", "{roman}", "Teenistuskoha eesmärk", "purpose", "")),
        ("5. NÕUDED TEENISTUJALE", 5, ("5", "{n}.", "NÕUDED TEENISTUJALE", "requirements", "")),
        ("6. VASTUTUS JA VOLITUSED", 6, ("6", "{n}.", "VASTUTUS JA VOLITUSED",
                                          "responsibilities", "")),
        # a heading that names two sections: the whole line is the heading
        ("3 Õigused ja vastutus", 3, ("3", "{n}", "Õigused ja vastutus", "rights", "")),
        # a section of the agency's own
        ("9. VALVETEENISTUS", 9, ("9", "{n}.", "VALVETEENISTUS", "", "")),
    ],
)  # fmt: skip
def test_headings_as_documents_write_them(
    line: str, expected: int, found: tuple[str | None, str, str, str, str]
) -> None:
    heading = find_heading(Item(line), LEXICON, expected)
    assert heading is not None
    assert (heading.number, heading.style, heading.heading, heading.key, heading.rest) == found


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Võtab vastutuse enda tegevuse eest.", 1),  # "V" is no Roman number here
        ("3.1 Arvete registreerimine.", 3),  # a task's number
        ("4. Vastutus on jagatud.", 2),  # not the next section's number
        ("Vastutus on jagatud kõigi vahel.", 5),  # a sentence, not a heading
        ("1.1 Ametinimetus Raamatupidaja", 1),
    ],
)
def test_lines_that_are_no_headings(line: str, expected: int) -> None:
    assert find_heading(Item(line), LEXICON, expected) is None


@pytest.mark.parametrize(
    ("item", "expected", "found"),
    [
        # bold and numbered as the next section: a heading of the agency's own
        (Item("5 Lõppsätted", bold=True), 5, ("5", "{n}", "Lõppsätted", "")),
        # styled as a heading in Word and numbered as the next section
        (Item("7. Erisätted", heading=True), 7, ("7", "{n}.", "Erisätted", "")),
    ],
)
def test_a_short_styled_line_is_a_heading_of_the_agency_own(
    item: Item, expected: int, found: tuple[str | None, str, str, str]
) -> None:
    heading = find_heading(item, LEXICON, expected)
    assert heading is not None
    assert (heading.number, heading.style, heading.heading, heading.key) == found


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (Item("5 Lõppsätted", bold=True), 3),  # not the next section's number
        (Item("Lõppsätted"), 5),  # neither bold nor styled
        (Item("Vastutab eelarve täitmise eest.", bold=True), 5),  # a sentence
        (Item("Erisätted", bold=True), 5),  # bold, not numbered
        # a Word heading without a number: a heading inside a section
        (Item("Tööks vajalikud kompetentsid", heading=True), 8),
    ],
)
def test_a_styled_line_that_is_no_heading(item: Item, expected: int) -> None:
    assert find_heading(item, LEXICON, expected) is None


@pytest.mark.parametrize(
    ("item", "following", "heading"),
    [
        # in text: the next section's number, its first item under it
        (Item("5. Lõppsätted"), Item("5.1. Kehtib alates allkirjastamisest."), "Lõppsätted"),
        # in text: a line in capitals between blank lines
        (Item("TÖÖAEG", gap=True), Item("Töö toimub graafiku alusel.", gap=True), "TÖÖAEG"),
        # … not where the text goes on under it, or no item 5.1 follows
        (Item("TÖÖAEG", gap=True), Item("Töö toimub graafiku alusel."), None),
        (Item("5. Lõppsätted"), Item("5. Kehtib alates allkirjastamisest."), None),
        (Item("5. teatab puudustest"), Item("5.1. Kirjalikult."), None),  # no capital
    ],
)
def test_a_heading_of_the_agency_own_in_text_by_the_line_after_it(
    item: Item, following: Item, heading: str | None
) -> None:
    found = find_heading(item, LEXICON, 5, following)
    assert (found.heading if found is not None else None) == heading
    assert find_heading(item, LEXICON, 5) is None  # the line alone tells nothing


def document(*lines: str) -> Document:
    items = [Item(text, number=n) for n, text in enumerate(lines, 1)]
    return Document(Path("x.txt"), items, lines=True)


def test_no_headings_the_general_part_by_its_labels() -> None:
    outline = split_sections(
        document(
            "AUTOJUHI AMETIJUHEND",
            "Ametinimetus: Autojuht",
            "Struktuuriüksus: Haldusosakond",
            "Eesmärk: Tagada ametisõidud.",
            "Tööülesanded:",
            "- Ametiauto juhtimine.",
            "Õigused:",
            "- saada tööks vajalikku teavet.",
        ),
        LEXICON,
    )
    assert [i.text for i in outline.front] == ["AUTOJUHI AMETIJUHEND"]
    assert {k: [i.text for i in s.items] for k, s in outline.sections.items()} == {
        "general": ["Ametinimetus: Autojuht", "Struktuuriüksus: Haldusosakond",
                    "Eesmärk: Tagada ametisõidud."],
        "tasks": ["- Ametiauto juhtimine."],
        "rights": ["- saada tööks vajalikku teavet."],
    }  # fmt: skip
    assert outline.sections["general"].how == "labels"


def test_a_document_that_stops_in_the_middle_says_where() -> None:
    outline = split_sections(
        document(
            "1. ÜLDOSA",
            "Ametinimetus: Autojuht",
            "2. AMETIKOHA EESMÄRK",
            "Tagada ametisõidud.",
            "3. TEENISTUSÜLESANDED",
            "3.1. Ametiauto juhtimine",
        ),
        LEXICON,
    )
    assert outline.cut == ["rights", "responsibilities", "work_tools", "requirements", "amendment"]
    assert [str(note) for note in outline.notes] == [
        "the document seems to stop in the middle: its text ends in '3. TEENISTUSÜLESANDED' "
        "(the text ends at line 6: '3.1. Ametiauto juhtimine'); not there: 'ÕIGUSED', "
        "'VASTUTUS', 'TÖÖVAHENDID', 'AMETIKOHALE ESITATAVAD NÕUDED', 'AMETIJUHENDI MUUTMINE'"
    ]


def test_without_tasks_nothing_is_read() -> None:
    with pytest.raises(ParseError, match=r"no tasks found: .* \(the text ends at line 4: 'Tagada"):
        split_sections(
            document("1. ÜLDOSA", "Ametinimetus: Autojuht", "2. AMETIKOHA EESMÄRK", "Tagada."),
            LEXICON,
        )


def test_a_section_found_by_its_lead_in_shows_no_heading_it_does_not_have() -> None:
    # the responsibilities' heading is missing: the lead-in starts them, and the layout
    # learnt from the document must not print a heading 'Vastutus' it does not have
    outline = split_sections(
        document(
            "1. ÜLDOSA", "Ametinimetus: autojuht", "2. TÖÖÜLESANDED", "2.1. Juhib autot.",
            "3. ÕIGUSED", "Saada teavet.", "Töötaja vastutab:", "sõiduki korrasoleku eest.",
        ),
        LEXICON,
    )  # fmt: skip
    found = outline.sections["responsibilities"]
    assert (found.how, found.shows_heading) == ("lead-in", False)
    assert [i.text for i in found.items] == ["Töötaja vastutab:", "sõiduki korrasoleku eest."]


def _list_section(*items: Item) -> Section:
    return Section("rights", "3", "Õigused", list(items), Item("3 Õigused"))


@pytest.mark.parametrize(
    ("items", "expected", "lead_in"),
    [
        # a lead-in worded the document's own way, over bullets
        (
            [Item("Laohoidjal on õigus:"), Item("saada teavet;", bullet=True),
             Item("teha ettepanekuid.", bullet=True)],
            ["saada teavet", "teha ettepanekuid"],
            True,
        ),
        # a sentence ending in ':' that is an item like the others
        (
            [Item("Laohoidjal on õigus:", bullet=True), Item("saada teavet;", bullet=True)],
            ["Laohoidjal on õigus:", "saada teavet"],
            False,
        ),
        # no list under it: the sentences are the items
        (
            [Item("Laohoidjal on õigus:"), Item("Saada teavet.")],
            ["Laohoidjal on õigus:", "Saada teavet"],
            False,
        ),
    ],
)  # fmt: skip
def test_a_list_with_a_lead_in_of_its_own(
    items: list[Item], expected: list[str], lead_in: bool
) -> None:
    document = Document(Path("x.docx"), items, lines=False)
    found, form = parse_list(_list_section(*items), LEXICON, document, Joiner(set(), ()), Counter())
    assert (found, form.lead_in) == (expected, lead_in)
