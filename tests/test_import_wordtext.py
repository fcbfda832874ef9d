"""Reading a Word file as Word shows it: tracked changes, content controls, fields, hidden text."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from ametijuhend_cli.gitflow.textconv import docx_to_text
from ametijuhend_cli.importer.extract import read_document, read_text
from ametijuhend_cli.sources import wordtext
from conftest import run

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
STYLES = (
    f"<w:styles {NS}>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="character" w:styleId="Peidus"><w:name w:val="Peidus"/>'
    "<w:rPr><w:vanish/></w:rPr></w:style>"
    '<w:style w:type="paragraph" w:styleId="Pealkiri1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>'
    "</w:styles>"
)
NUMBERING = (
    f"<w:numbering {NS}>"
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1.%2."/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
    '<w:lvlText w:val="%1"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="2">'
    '<w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
    "</w:numbering>"
)


def docx(body: str) -> bytes:
    """Return a minimal Word package whose body is ``body`` (WordprocessingML, w: prefix)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        z.writestr("word/styles.xml", STYLES)
        z.writestr("word/numbering.xml", NUMBERING)
    return out.getvalue()


def p(*runs: str, ppr: str = "") -> str:
    """Return a paragraph of ``runs`` (plain strings become runs)."""
    inner = "".join(
        r if r.startswith("<") else f"<w:r><w:t xml:space='preserve'>{r}</w:t></w:r>" for r in runs
    )
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{inner}</w:p>"


def r(text: str, rpr: str = "") -> str:
    return (
        f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}<w:t xml:space='preserve'>{text}</w:t></w:r>"
    )


def field(instruction: str, result: str) -> str:
    """Return the runs of a complex field: its instruction is not shown, its result is."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r(result)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def paragraphs(body: str) -> list[wordtext.Paragraph]:
    reader = wordtext.Body(
        {
            "word/document.xml": docx_part(body),
            "word/styles.xml": STYLES.encode(),
            "word/numbering.xml": NUMBERING.encode(),
        }
    )
    element = reader.body()
    assert element is not None
    out: list[wordtext.Paragraph] = []

    def walk(blocks: object) -> None:
        for block in blocks:  # type: ignore[attr-defined]
            if isinstance(block, wordtext.Table):
                for row in block.rows:
                    for cell in row:
                        walk(cell)
            else:
                out.append(block)

    walk(reader.blocks(element))
    return out


def docx_part(body: str) -> bytes:
    return f"<w:document {NS}><w:body>{body}</w:body></w:document>".encode()


def texts(body: str) -> list[str]:
    return [x.text for x in paragraphs(body)]


DEL = '<w:del w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">'
INS = '<w:ins w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z">'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # tracked changes: insertions in, deletions out, moves where they went
        (
            p("Teeb ", INS + r("kaugtööd") + "</w:ins>", " kokkuleppel."),
            ["Teeb kaugtööd kokkuleppel."],
        ),
        (
            p("Teeb ", DEL + "<w:r><w:delText>alati </w:delText></w:r></w:del>", "kaugtööd."),
            ["Teeb kaugtööd."],
        ),
        (
            p("A", '<w:moveFrom w:id="3" w:author="A">' + r("B") + "</w:moveFrom>", "C")
            + p('<w:moveTo w:id="4" w:author="A">' + r("B") + "</w:moveTo>"),
            ["AC", "B"],
        ),
        # a deleted paragraph mark joins the paragraph with the next one
        (
            p("Esimene ", ppr="<w:rPr>" + DEL + "</w:del></w:rPr>") + p("ja teine."),
            ["Esimene ja teine."],
        ),
        # a deleted table row is gone, an inserted one is there
        (
            "<w:tbl><w:tr><w:tc>" + p("jääb") + "</w:tc></w:tr>"
            "<w:tr><w:trPr>" + DEL + "</w:del></w:trPr><w:tc>" + p("kustutatud") + "</w:tc></w:tr>"
            "<w:tr><w:trPr>"
            + INS
            + "</w:ins></w:trPr><w:tc>"
            + p("lisatud")
            + "</w:tc></w:tr></w:tbl>",
            ["jääb", "lisatud"],
        ),
        # content controls: inline, around paragraphs, around rows and cells
        (
            p(
                "Ametinimetus: ",
                "<w:sdt><w:sdtPr/><w:sdtContent>" + r("Analüütik") + "</w:sdtContent></w:sdt>",
            ),
            ["Ametinimetus: Analüütik"],
        ),
        (
            "<w:sdt><w:sdtContent>" + p("Üks") + p("Kaks") + "</w:sdtContent></w:sdt>",
            ["Üks", "Kaks"],
        ),
        (
            "<w:tbl><w:sdt><w:sdtContent><w:tr><w:sdt><w:sdtContent><w:tc>"
            + p("lahter")
            + "</w:tc></w:sdtContent></w:sdt></w:tr></w:sdtContent></w:sdt></w:tbl>",
            ["lahter"],
        ),
        # a control that shows only its placeholder holds no text of the document
        (
            p(
                "Nimi: ",
                "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
                + r("Klõpsake teksti sisestamiseks.")
                + "</w:sdtContent></w:sdt>",
            ),
            ["Nimi: "],
        ),
        # fields: the result shows, the instruction does not; nested fields too
        (
            p("Kuupäev ", field(" DATE \\@ dd.MM.yyyy ", "12.02.2024"), ", lk 1"),
            ["Kuupäev 12.02.2024, lk 1"],
        ),
        (
            p(
                '<w:fldSimple w:instr=" DOCPROPERTY Title ">' + r("Analüütik") + "</w:fldSimple>",
                " ametijuhend",
            ),
            ["Analüütik ametijuhend"],
        ),
        (
            p(
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                "<w:r><w:instrText>IF </w:instrText></w:r>"
                + field("PAGE", "1")
                + '<w:r><w:instrText> = 1 "a" "b"</w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                + r("a")
                + '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
                " ja edasi",
            ),
            ["a ja edasi"],
        ),
        # a field whose result is deleted keeps the fields after it paired
        (
            p(
                DEL + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                "<w:r><w:delInstrText>PAGE</w:delInstrText></w:r>"
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                "<w:r><w:delText>1</w:delText></w:r>"
                '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:del>',
                "tekst ",
                field("PAGE", "2"),
            ),
            ["tekst 2"],
        ),
        # symbols, tabs, breaks, non-breaking hyphens
        (
            p(
                '<w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:tab/><w:t>a</w:t><w:br/>'
                "<w:t>b</w:t><w:noBreakHyphen/><w:t>c</w:t></w:r>"
            ),
            ["\uf0b7\ta\nb-c"],
        ),
    ],
    ids=[
        "insertion",
        "deletion",
        "move",
        "deleted-mark",
        "rows",
        "inline-control",
        "block-control",
        "row-and-cell-control",
        "placeholder",
        "complex-field",
        "simple-field",
        "nested-field",
        "deleted-field",
        "symbols",
    ],
)
def test_text_as_word_shows_it(body: str, expected: list[str]) -> None:
    assert texts(body) == expected


def test_hidden_text_is_kept_apart() -> None:
    found = paragraphs(
        p(
            "Nähtav ",
            r("peidetud ", "<w:vanish/>"),
            "tekst",
            r(" ja stiiliga", '<w:rStyle w:val="Peidus"/>'),
        )
        + p(r("ei ole peidus", '<w:vanish w:val="0"/>'))
    )
    assert [(x.text, x.hidden) for x in found] == [
        ("Nähtav tekst", "peidetud  ja stiiliga"),
        ("ei ole peidus", ""),
    ]


def test_numbering_labels_as_word_draws_them() -> None:
    num = '<w:numPr><w:ilvl w:val="{}"/><w:numId w:val="{}"/></w:numPr>'
    found = paragraphs(
        p("ÜLDSÄTTED", ppr='<w:pStyle w:val="Pealkiri1"/>')
        + p("Ametinimetus", ppr=num.format(0, 1))
        + p("Alamosa", ppr=num.format(1, 1))
        + p("Teine alamosa", ppr=num.format(1, 1))
        + p("Eesmärk", ppr=num.format(0, 1))
        + p("Esimene tulemus", ppr=num.format(1, 1))
        + p("ÕIGUSED", ppr='<w:pStyle w:val="Pealkiri1"/>')
        + p("punkt", ppr=num.format(0, 3))
        + p("mitte", ppr=num.format(0, 0))
    )
    assert [x.label for x in found] == ["I", "1.", "1.1.", "1.2.", "2.", "2.1.", "II", "\uf0b7", ""]


def test_unshown_characters() -> None:
    counter: Counter[str] = Counter()
    assert wordtext.scrub("a\u202eb\u0085c\u0093d\u200be\tf", counter) == "ab\u0085cde\tf"
    assert dict(counter) == {"\u202e": 1, "\u0093": 1, "\u200b": 1}
    assert wordtext.escape_unshown("a\u202eb\u0093") == "a\\u202eb\\x93"


def test_scrub_removes_exactly_the_unshown_characters() -> None:
    # scrub searches with one pattern; unshown() says it of each character: they agree
    # on every character, alone and among others
    for code in [*range(0x3000), *range(0xFE00, 0x10000), *range(0x10000, 0x110000, 251)]:
        char = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        counter: Counter[str] = Counter()
        expected = "a\tb" if wordtext.unshown(char) else f"a\t{char}b"
        assert wordtext.scrub(f"a\t{char}b", counter) == expected, hex(code)
        assert dict(counter) == ({char: 1} if wordtext.unshown(char) else {}), hex(code)


def test_textconv_shows_what_import_reads(tmp_path: Path) -> None:
    body = (
        p(
            "Teeb ",
            INS + r("kaugtööd") + "</w:ins>",
            DEL + "<w:r><w:delText> alati</w:delText></w:r></w:del>",
        )
        + p("Peidus: ", r("salajane", "<w:vanish/>"))
        + p("Suund \u202eesrev\u202c ja C1 \u0093 märk")
    )
    assert docx_to_text(docx(body)).splitlines() == [
        "Teeb kaugtööd",
        "Peidus: [hidden: salajane]",
        "Suund \\u202eesrev\\u202c ja C1 \\x93 märk",
    ]
    path = tmp_path / "x.docx"
    path.write_bytes(docx(body))
    document = read_document(path)
    assert [i.text for i in document.items] == [
        "Teeb kaugtööd",
        "Peidus:",
        "Suund esrev ja C1 märk",
    ]
    assert document.hidden == [(2, "salajane")]
    assert dict(document.removed) == {"\u202e": 1, "\u202c": 1, "\u0093": 1}
    assert (document.changes.insertions, document.changes.deletions) == (1, 1)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b""),
        ("utf-32-be", b""),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
    ],
)
def test_text_in_utf16_and_utf32(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(bom + "AMETIJUHEND\n1. ÜLDOSA\nÕigus\n".encode(encoding))
    assert [i.text for i in read_text(path).items] == ["AMETIJUHEND", "1. ÜLDOSA", "Õigus"]


def test_import_reads_the_accepted_text_and_names_the_hidden(project: Path) -> None:
    assert run("build", "teenusejuht-kov", "--format", "docx").exit_code == 0
    source = project / "out" / "teenusejuht-kov.docx"
    with zipfile.ZipFile(source) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    xml = parts["word/document.xml"].decode()
    purpose = re.search(r"<w:t[^>]*>(Ametikoha eesmärk on [^<]*)</w:t>", xml)
    assert purpose is not None
    old = purpose.group(0)
    rest = purpose.group(1)[len("Ametikoha eesmärk on ") :]
    xml = xml.replace(
        old,
        "<w:t xml:space='preserve'>Ametikoha eesmärk on </w:t></w:r>"
        + INS
        + r("uus ")
        + "</w:ins>"
        + DEL
        + "<w:r><w:delText>vana </w:delText></w:r></w:del>"
        + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>märkus</w:t></w:r>"
        + f"<w:r><w:t xml:space='preserve'>{rest}</w:t>",
    )
    parts["word/document.xml"] = xml.encode()
    changed = project / "muudetud.docx"
    with zipfile.ZipFile(changed, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    result = run("import", str(changed), "-o", "data/positions/muudetud.yaml")
    assert result.exit_code == 0, result.stderr
    text = (project / "data/positions/muudetud.yaml").read_text("utf-8")
    assert "Ametikoha eesmärk on uus kohalike" in " ".join(text.split())
    assert "vana" not in text and "märkus" not in text
    lines = result.stdout.splitlines()
    assert (
        "  the document has tracked changes: read as if accepted (1 insertion, 1 deletion); "
        "check that the signed version is the one with the changes"
    ) in lines
    assert any(
        line.startswith("  hidden text left out (Word neither shows nor prints it): 'märkus'")
        for line in lines
    )
