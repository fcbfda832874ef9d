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
