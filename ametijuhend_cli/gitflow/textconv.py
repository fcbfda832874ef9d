"""Plain text of a DOCX for reading diffs: git's textconv for job descriptions."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ametijuhend_cli.errors import AmetijuhendError, DataError
from ametijuhend_cli.sources import ooxml
from ametijuhend_cli.sources.files import MAX_DOCUMENT_BYTES, read_project_file

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCUMENT = "word/document.xml"
_LIST_STYLE_PREFIXES = ("ListBullet", "ListNumber", "ListParagraph", "Loendilik")


def _paragraph(p: etree._Element) -> str:
    parts = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
        parts.append(el.text or "" if el.tag == f"{_W}t" else " ")
    text = "".join(parts).strip()
    ppr = p.find(f"{_W}pPr")
    if ppr is None or not text:
        return text
    style = ppr.find(f"{_W}pStyle")
    num = ppr.find(f"{_W}numPr")
    listed = num is not None or (
        style is not None and str(style.get(f"{_W}val", "")).startswith(_LIST_STYLE_PREFIXES)
    )
    if not listed:
        return text
    level = num.find(f"{_W}ilvl") if num is not None else None
    depth = list_level(level.get(f"{_W}val") if level is not None else None)
    return "  " * depth + "- " + text


#: Word's list levels are 0 … 8.
_MAX_LEVEL = 8


def list_level(value: object) -> int:
    """Return a w:ilvl value as a list level 0 … 8; anything else ("²", "-1", 10**20) is 0 or 8."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        return 0
    return min(int(text), _MAX_LEVEL)


def _is_heading(p: etree._Element) -> bool:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    return style is not None and str(style.get(f"{_W}val", "")).startswith(("Heading", "Title"))


def _block(element: etree._Element, indent: str, out: list[str]) -> None:
    for child in element:
        if child.tag == f"{_W}p":
            text = _paragraph(child)
            if text:
                if _is_heading(child) and out and out[-1]:
                    out.append("")  # headings stand apart, as on the page
                out.append(indent + text)
        elif child.tag == f"{_W}tbl":
            _table(child, indent, out)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _block(content, indent, out)


def _table(table: etree._Element, indent: str, out: list[str]) -> None:
    # A row reads as its first cell, with the other cells indented under it:
    # a task and its expected results, a label and its value.
    for row in table.iter(f"{_W}tr"):
        lines: list[str] = []
        for i, cell in enumerate(row.findall(f"{_W}tc")):
            _block(cell, indent + ("    " if i else ""), lines)
        if lines:
            out.extend(lines)
            out.append("")


def docx_to_text(data: bytes) -> str:
    """Return the text of a DOCX body: one line per paragraph, lists and tables marked."""
    try:
        parts = ooxml.read_package(data)
        if _DOCUMENT not in parts:
            raise ooxml.PackageError(f"the package has no part '{_DOCUMENT}'")
        root = ooxml.parse_xml(parts[_DOCUMENT], _DOCUMENT)
    except ooxml.PackageError as exc:
        raise AmetijuhendError(f"not a readable Word document: {exc}") from None
    if root.tag != f"{_W}document":
        raise AmetijuhendError(
            f"not a Word document: word/document.xml has the root element <{_local(root.tag)}>, "
            "not <w:document>"
        )
    body = root.find(f"{_W}body")
    if body is None:
        raise AmetijuhendError("not a Word document: word/document.xml has no body (<w:body>)")
    out: list[str] = []
    try:
        _block(body, "", out)
    except RecursionError:
        raise AmetijuhendError("not a Word document: its tables are nested too deeply") from None
    text = "\n".join(out).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text + "\n"


def _local(tag: object) -> str:
    """Return an element's name without its namespace, shortened and printable."""
    name = str(tag).rpartition("}")[2]
    return repr(name[:40])[1:-1]


def textconv(path: Path) -> str:
    """Return the text of the DOCX file at ``path``."""
    try:
        data = read_project_file(path, None, MAX_DOCUMENT_BYTES)
    except DataError as exc:
        problem = exc.problems[0]  # one line: textconv runs inside git diff
        raise AmetijuhendError(f"{problem.path}: {problem.message}") from None
    try:
        return docx_to_text(data)
    except AmetijuhendError as exc:
        raise AmetijuhendError(f"{path}: {exc}") from None
