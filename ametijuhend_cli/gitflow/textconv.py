"""Plain text of a DOCX for reading diffs: git's textconv for job descriptions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ametijuhend_cli.errors import AmetijuhendError, DataError, msg
from ametijuhend_cli.sources import ooxml, wordtext
from ametijuhend_cli.sources.files import MAX_DOCUMENT_BYTES, read_project_file

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LIST_STYLE_PREFIXES = ("ListBullet", "ListNumber", "ListParagraph", "Loendilik")


def _paragraph(p: wordtext.Paragraph) -> str:
    """Return a paragraph's line: its text as Word shows it, a list mark, hidden text named.

    Characters that print as nothing or turn the text around (U+202E) and
    control characters are written as escapes: a diff must show them.
    """
    text = p.text.replace("\t", " ").replace("\n", " ").strip()
    if p.hidden.strip():  # a signed document must not hide text from a reviewer
        hidden = msg("[hidden: {text}]", text=" ".join(p.hidden.split()))
        text = f"{text} {hidden}".strip()
    text = wordtext.escape_unshown(text)
    if not text:
        return text
    listed = p.num is not None or p.style.startswith(_LIST_STYLE_PREFIXES)
    if not listed:
        return text
    depth = wordtext.list_level(p.num[1]) if p.num is not None else 0
    return "  " * depth + "- " + text


def list_level(value: object) -> int:
    """Return a w:ilvl value as a list level 0 … 8; anything else ("²", "-1", 10**20) is 0 or 8."""
    return wordtext.list_level(value)


def _blocks(blocks: Iterable[wordtext.Block], indent: str, out: list[str]) -> None:
    for block in blocks:
        if isinstance(block, wordtext.Table):
            _table(block, indent, out)
            continue
        text = _paragraph(block)
        if text:
            if block.style.startswith(("Heading", "Title")) and out and out[-1]:
                out.append("")  # headings stand apart, as on the page
            out.append(indent + text)


def _table(table: wordtext.Table, indent: str, out: list[str]) -> None:
    # A row reads as its first cell, with the other cells indented under it:
    # a task and its expected results, a label and its value.
    for row in table.rows:
        lines: list[str] = []
        for i, cell in enumerate(row):
            _blocks(cell, indent + ("    " if i else ""), lines)
        if lines:
            out.extend(lines)
            out.append("")


def docx_to_text(data: bytes) -> str:
    """Return the text of a DOCX body as Word shows it: one line per paragraph, lists and
    tables marked."""
    try:
        parts = ooxml.read_package(data)
        reader = wordtext.Body(parts)
    except ooxml.PackageError as exc:
        said = msg("not a readable Word document: {reason}", reason=exc.message)
        raise AmetijuhendError(said) from None
    root = reader.root
    if root.tag != f"{_W}document":
        raise AmetijuhendError(
            msg(
                "not a Word document: word/document.xml has the root element <{tag}>, not "
                "<w:document>",
                tag=_local(root.tag),
            )
        )
    body = reader.body()
    if body is None:
        raise AmetijuhendError(msg("not a Word document: word/document.xml has no body (<w:body>)"))
    out: list[str] = []
    try:
        _blocks(reader.blocks(body), "", out)
    except RecursionError:
        said = msg("not a Word document: its tables are nested too deeply")
        raise AmetijuhendError(said) from None
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
        said = msg("{path}: {problem}", path=problem.path, problem=problem.message)
        raise AmetijuhendError(said) from None
    try:
        return docx_to_text(data)
    except AmetijuhendError as exc:
        raise AmetijuhendError(
            msg("{path}: {problem}", path=str(path), problem=exc.message)
        ) from None
