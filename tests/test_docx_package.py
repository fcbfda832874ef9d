"""DOCX packages: valid OOXML, only whitelisted reference parts, styles found as Word finds them."""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

from ametijuhend_cli.render.package import write_package
from ametijuhend_cli.render.reference import reference_parts
from conftest import POSITIONS, REPO, edit, run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture(scope="module")
def validator() -> OpenXmlValidator:
    return OpenXmlValidator()


def schema_errors(validator: OpenXmlValidator, path: Path) -> list[str]:
    """Return the problems Office's validation rules find in the package at ``path``."""
    return [str(e) for e in validator.validate(str(path)).errors]


def test_the_validator_sees_a_style_out_of_schema_order(
    validator: OpenXmlValidator, tmp_path: Path
) -> None:
    # the mistake the reference document once had: qFormat before uiPriority
    parts = reference_parts()
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(
        b'<w:uiPriority w:val="9"/><w:qFormat/>', b'<w:qFormat/><w:uiPriority w:val="9"/>'
    )
    bad = tmp_path / "bad.docx"
    bad.write_bytes(write_package(parts))
    errors = schema_errors(validator, bad)
    assert errors and all("styles.xml" in e for e in errors)


def test_shipped_reference_document_is_valid(validator: OpenXmlValidator) -> None:
    assert schema_errors(validator, REPO / "templates" / "reference.docx") == []


def variant(project: Path) -> None:
    """Give koordinaator-klat every optional part: sub-tasks, work tools, two clauses."""
    path = project / "data" / "positions" / "koordinaator-klat.yaml"
    edit(
        path,
        "    results:\n      - Teenusele suunamine",
        "    subtasks: [suunamise korraldamine, hindamise korraldamine]\n"
        "    results:\n      - Teenusele suunamine",
    )
    edit(
        path,
        "amendment: [ulevaatamine]",
        "work_tools: kontor\namendment: [ulevaatamine, muutmine-nousolekuta]",
    )


def test_every_generated_document_is_valid(validator: OpenXmlValidator, project: Path) -> None:
    variant(project)
    assert run("build", "--format", "docx").exit_code == 0
    for position in POSITIONS:
        assert schema_errors(validator, project / "out" / f"{position}.docx") == [], position


def styles_of(docx_path: Path) -> dict[str, str]:
    """Return the style ids and the XML of each style in the package, by id."""
    with zipfile.ZipFile(docx_path) as z:
        xml = z.read("word/styles.xml").decode()
    return {
        m.group(1): m.group(0)
        for m in re.finditer(r'<w:style [^>]*w:styleId="([^"]+)".*?</w:style>', xml)
    }


def test_custom_styles_are_marked_and_only_gallery_styles_are_quick_styles() -> None:
    styles = styles_of(REPO / "templates" / "reference.docx")
    custom = {sid for sid, xml in styles.items() if 'w:customStyle="1"' in xml.split(">", 1)[0]}
    assert custom == {
        "LeadIn",
        "Competency",
        "TableHeading",
        "TableText",
        "Approval",
        "SignatureHeading",
        "SignatureTable",
        "Banner",
        "NumberedParagraph",
        "NumberedParagraph2",
        "AcknowledgementTable",
    }
    gallery = {sid for sid, xml in styles.items() if "<w:qFormat/>" in xml}
    assert gallery == {"Normal", "Title", "Subtitle", "Heading1", "Heading2", "Strong"} | (
        custom - {"SignatureTable", "AcknowledgementTable"}
    )


# --- what of the reference document reaches the job descriptions ---------------

_LEAKS = {
    "docProps/custom.xml": b'<?xml version="1.0"?><Properties xmlns="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/custom-properties"><property fmtid="{D5CDD505-'
    b'2E9C-101B-9397-08002B2CF9AE}" pid="2" name="MSIP_Label_secret_SiteId"><vt:lpwstr '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"LEAK-LABEL</vt:lpwstr></property></Properties>",
    "docProps/thumbnail.jpeg": b"\xff\xd8\xff\xe0LEAK-THUMBNAIL",
    "word/people.xml": b'<?xml version="1.0"?><w15:people xmlns:w15="http://schemas.'
    b'microsoft.com/office/word/2012/wordml"><w15:person w15:author="LEAK-PERSON"/>'
    b"</w15:people>",
    "word/comments.xml": b'<?xml version="1.0"?><w:comments xmlns:w="http://schemas.'
    b'openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="LEAK-'
    b'AUTHOR"><w:p><w:r><w:t>LEAK-COMMENT</w:t></w:r></w:p></w:comment></w:comments>',
    "customXml/item1.xml": b"<sharepoint>LEAK-CUSTOMXML</sharepoint>",
    "word/media/logo.png": b"\x89PNG\r\n\x1a\nKEPT-LOGO",
}


def leaky_reference() -> bytes:
    """Return the reference document as Word saves it on a company laptop."""
    parts = reference_parts()
    root = parts["_rels/.rels"].decode()
    parts["_rels/.rels"] = root.replace(
        "</Relationships>",
        f'<Relationship Id="rId8" Type="{REL}/custom-properties" Target="docProps/custom.xml"/>'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>',
    ).encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId20" Type="{REL}/comments" Target="comments.xml"/>'
        '<Relationship Id="rId21" Type="http://schemas.microsoft.com/office/2011/relationships/'
        'people" Target="people.xml"/>'
        f'<Relationship Id="rId22" Type="{REL}/customXml" Target="../customXml/item1.xml"/>'
        f'<Relationship Id="rId23" Type="{REL}/attachedTemplate" '
        'Target="file:///C:/Users/LEAK-USER/Normal.dotm" TargetMode="External"/>'
        "</Relationships>",
    ).encode()
    parts["word/_rels/footer1.xml.rels"] = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships"><Relationship Id="rId1" Type="{REL}/image" '
        'Target="media/logo.png"/></Relationships>'
    ).encode()
    settings = parts["word/settings.xml"].decode()
    parts["word/settings.xml"] = (
        settings.replace(
            "<w:settings ",
            '<w:settings xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
            'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" ',
        )
        .replace(
            "</w:settings>",
            '<w:rsids><w:rsidRoot w:val="00LEAK01"/><w:rsid w:val="00LEAK02"/></w:rsids>'
            '<w14:docId w14:val="LEAK0003"/><w15:docId w15:val="{LEAK-0004}"/></w:settings>',
        )
        .encode()
    )
    styles = parts["word/styles.xml"].decode()
    parts["word/styles.xml"] = styles.replace(
        '<w:name w:val="Title"/>', '<w:name w:val="Title"/><w:rsid w:val="00LEAK05"/>'
    ).encode()
    parts["word/footer1.xml"] = parts["word/footer1.xml"].replace(
        b"<w:p>",
        b'<w:p xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
        b'w14:paraId="1EAC0008" w14:textId="1EAC0009" w:rsidR="00LEAK06" '
        b'w:rsidRDefault="00LEAK07">',
    )
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Default Extension="png" ContentType="image/png"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
        '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.custom-properties+xml"/>'
        '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.comments+xml"/>'
        '<Override PartName="/word/people.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.people+xml"/></Types>',
    ).encode()
    return write_package({**parts, **_LEAKS})


def test_only_whitelisted_parts_of_the_reference_reach_the_documents(
    validator: OpenXmlValidator, project: Path
) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "reference.docx").write_bytes(leaky_reference())
    assert run("build", "--format", "docx").exit_code == 0
    for position in POSITIONS:
        with zipfile.ZipFile(project / "out" / f"{position}.docx") as z:
            names = set(z.namelist())
            blob = b"".join(z.read(n) for n in sorted(names))
        assert names == {
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/app.xml",
            "docProps/core.xml",
            "word/_rels/document.xml.rels",
            "word/_rels/footer1.xml.rels",
            "word/document.xml",
            "word/fontTable.xml",
            "word/footer1.xml",
            "word/media/logo.png",
            "word/numbering.xml",
            "word/settings.xml",
            "word/styles.xml",
            "word/theme/theme1.xml",
        }
        assert b"KEPT-LOGO" in blob  # the header and footer keep their images
        assert re.findall(rb"LEAK[-\w]*", blob) == []
        assert b"rsid" not in blob and b"docId" not in blob and b"1EAC000" not in blob
        assert b"custom.xml" not in blob and b"comments" not in blob
        assert schema_errors(validator, project / "out" / f"{position}.docx") == []


def test_reference_saved_with_other_style_names_still_builds(project: Path) -> None:
    # LibreOffice writes "Heading 1" where Word writes "heading 1"; some tools
    # keep only the ids: Word finds built-in styles either way
    parts = reference_parts()
    styles = parts["word/styles.xml"].decode()
    styles = styles.replace('w:val="heading 1"', 'w:val="Heading 1"').replace(
        'w:val="heading 2"', 'w:val="HEADING 2"'
    )
    styles = styles.replace('<w:name w:val="List Bullet 2"/>', '<w:name w:val="Something"/>')
    # the bullet numbering inherited from the style it is based on
    styles = styles.replace(
        '<w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/>',
        '<w:name w:val="List Bullet"/><w:basedOn w:val="BulletBase"/>',
    ).replace(
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="40"/>',
        '<w:pPr><w:spacing w:after="40"/>',
    )
    styles = styles.replace(
        "</w:styles>",
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="BulletBase"><w:name '
        'w:val="Bullet Base"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
        "</w:style></w:styles>",
    )
    parts["word/styles.xml"] = styles.encode()
    (project / "templates").mkdir()
    (project / "templates" / "reference.docx").write_bytes(write_package(parts))
    result = run("build", "teenusejuht-kov", "--format", "docx")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(project / "out" / "teenusejuht-kov.docx") as z:
        xml = z.read("word/document.xml").decode()
    bullets = re.findall(r'<w:pStyle w:val="ListBullet"/><w:numPr>.*?</w:numPr>', xml)
    assert bullets and all('<w:numId w:val="1"/>' in b for b in bullets)
    assert '<w:pStyle w:val="Heading1"/>' in xml


def test_reference_without_the_new_styles_still_builds(project: Path) -> None:
    # a reference restyled before Lead-in and Signature Heading existed: Normal
    # and Signature stand in, and still keep with the next paragraph
    parts = reference_parts()
    styles = parts["word/styles.xml"].decode()
    for sid in ("LeadIn", "SignatureHeading"):
        styles = re.sub(rf'<w:style [^>]*w:styleId="{sid}".*?</w:style>', "", styles)
    parts["word/styles.xml"] = styles.encode()
    (project / "templates").mkdir()
    (project / "templates" / "reference.docx").write_bytes(write_package(parts))
    assert run("build", "teenusejuht-kov", "--format", "docx").exit_code == 0
    with zipfile.ZipFile(project / "out" / "teenusejuht-kov.docx") as z:
        xml = z.read("word/document.xml").decode()
    lead_in = '<w:p><w:pPr><w:pStyle w:val="Normal"/><w:keepNext/></w:pPr>'
    assert f'{lead_in}<w:r><w:t xml:space="preserve">Omab õigust:</w:t>' in xml
    assert "LeadIn" not in xml and "SignatureHeading" not in xml


# --- layout ---------------------------------------------------------------------


def body_of(project: Path, position: str) -> str:
    with zipfile.ZipFile(project / "out" / f"{position}.docx") as z:
        return z.read("word/document.xml").decode()


def blocks(xml: str) -> list[str]:
    """Return the top-level paragraphs and tables of a body, in order."""
    body = xml.split("<w:body>", 1)[1]
    out = []
    depth = 0
    for m in re.finditer(r"<w:tbl>|</w:tbl>|<w:p>.*?</w:p>|<w:sectPr", body):
        token = m.group(0)
        if token == "<w:tbl>":
            depth += 1
            if depth == 1:
                out.append("table")
        elif token == "</w:tbl>":
            depth -= 1
        elif depth == 0 and token.startswith("<w:p>"):
            out.append(token)
    return out


@pytest.mark.parametrize("position", POSITIONS)
def test_no_empty_paragraph_but_between_two_tables(project: Path, position: str) -> None:
    assert run("build", position, "--format", "docx").exit_code == 0
    items = blocks(body_of(project, position))
    for i, item in enumerate(items):
        if item != "table" and "<w:t" not in item:
            assert 0 < i < len(items) - 1, "an empty paragraph opens or closes the document"
            assert items[i - 1] == items[i + 1] == "table", "an empty paragraph as a spacer"
    for a, b in itertools.pairwise(items):
        assert not (a == b == "table"), "two tables Word would merge"


@pytest.mark.parametrize("position", POSITIONS)
def test_headings_lead_ins_and_the_last_clause_keep_with_the_next(
    project: Path, position: str
) -> None:
    assert run("build", position, "--format", "docx").exit_code == 0
    items = blocks(body_of(project, position))
    styles = styles_of(project / "out" / f"{position}.docx")
    for sid in ("Heading1", "Heading2", "LeadIn", "SignatureHeading", "Signature", "Competency"):
        assert "<w:keepNext/>" in styles[sid], sid
    lead_ins = [p for p in items if '<w:pStyle w:val="LeadIn"/>' in p]
    assert len(lead_ins) == 2
    heading = next(i for i, p in enumerate(items) if 'w:pStyle w:val="SignatureHeading"' in p)
    assert "<w:keepNext/>" in items[heading - 1]  # the last clause
    assert items[heading + 1 :] == ["table"]


def test_sub_tasks_are_nested_list_items(project: Path) -> None:
    variant(project)
    assert run("build", "koordinaator-klat", "--format", "docx").exit_code == 0
    xml = body_of(project, "koordinaator-klat")
    tasks = next(t for t in xml.split("<w:tbl>") if "Põhiülesanded" in t)
    cell = tasks.split("<w:tc>")[3]  # the header row's two cells, then the first task
    assert re.findall(r'<w:pStyle w:val="(\w+)"/>', cell) == [
        "TableText",
        "ListBullet2",
        "ListBullet2",
    ]
    assert '<w:ilvl w:val="1"/>' in cell


def test_signature_table_lines_up_with_the_text() -> None:
    styles = styles_of(REPO / "templates" / "reference.docx")
    table = styles["SignatureTable"]
    assert '<w:left w:w="0" w:type="dxa"/>' in table
    assert '<w:tblInd w:w="0" w:type="dxa"/>' in table


@pytest.mark.parametrize("signatories", [1, 2])
def test_one_and_two_signatories_are_one_family(project: Path, signatories: int) -> None:
    position = "koordinaator-klat" if signatories == 1 else "teenusejuht-kov"
    assert run("build", position, "--format", "docx").exit_code == 0
    items = blocks(body_of(project, position))
    assert 'w:pStyle w:val="SignatureHeading"' in items[-2]
    table = body_of(project, position).rsplit("<w:tbl>", 1)[1]
    assert '<w:tblStyle w:val="SignatureTable"/>' in table
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', table)]
    assert len(widths) == signatories
    assert len(set(widths)) == 1 and abs(widths[0] - 9354 // 2) <= 1
