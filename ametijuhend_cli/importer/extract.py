"""Read a job description into items: DOCX paragraphs and table cells, or lines of text."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ametijuhend_cli.errors import AmetijuhendError, DataError
from ametijuhend_cli.messages import BIDI_CONTROLS, INVISIBLE
from ametijuhend_cli.sources import ooxml
from ametijuhend_cli.sources.files import MAX_DOCUMENT_BYTES, read_project_file
from ametijuhend_cli.texts import MAX_TEXT

if TYPE_CHECKING:
    from docx.styles.style import BaseStyle
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

# Bullet characters that survive text extraction; private-use characters
# (Symbol and Wingdings glyphs) count as bullets too.
_GLYPHS = "•▪◦●○■□►▸‣⁃∙·➢✓"
# These mark a list item only when a space follows ("- text").
_ASCII_BULLETS = "-*–—"
# "Lk 2 / 5", "2/5": page numbers from a header or footer
_PAGE_NUMBER = re.compile(r"^[^\W\d]{0,3}\.?\s*\d+\s*/\s*\d+$")
_WORD_END = re.compile(r"([^\W\d_]+)-$")
_WORD_START = re.compile(r"^([^\W_]+)(.*)$", re.S)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Never written into the YAML: they would make a text differ from one that
#: looks the same, or turn it around (the position files refuse them).
_INVISIBLE = BIDI_CONTROLS | INVISIBLE


class ReadError(AmetijuhendError):
    """A file could not be read as a job description."""


@dataclass(frozen=True)
class Item:
    """One paragraph of a DOCX, or one line of a text file, with its list and table marks."""

    text: str
    bullet: bool = False
    level: int = 0
    #: (table, row, column) of a DOCX table cell
    cell: tuple[int, int, int] | None = None
    #: a paragraph styled as a heading or title (DOCX)
    heading: bool = False
    #: a blank line (paragraph or page break) comes before it (text files)
    gap: bool = False
    #: line number in a text file, paragraph number in a DOCX
    number: int = 0


@dataclass
class Document:
    """The items of one file and how to read them."""

    path: Path
    items: list[Item]
    #: True: the items are lines of text that continue one another until a new
    #: paragraph starts; False: every item is a whole paragraph (DOCX)
    lines: bool
    #: creation date, when the DOCX was written by ametijuhend (its review date)
    created: dt.date | None = None
    #: bullets stand on lines of their own, apart from their text (as pdftotext
    #: writes table cells): where an item ends must be told from its sentences
    detached: bool = False
    #: invisible and direction characters removed from the text, with their counts
    removed: Counter[str] = field(default_factory=Counter)


def clean(text: str) -> str:
    """Return ``text`` in NFC, invisible and direction characters removed, white space folded."""
    if not text.isprintable():
        text = "".join(c for c in text if c not in _INVISIBLE)
    return " ".join(unicodedata.normalize("NFC", text).split())


def invisible_characters(text: str, found: Counter[str]) -> None:
    """Count into ``found`` the invisible and direction characters clean() removes from ``text``."""
    if not text.isprintable():
        found.update(c for c in text if c in _INVISIBLE)


def _is_glyph(char: str) -> bool:
    return char in _GLYPHS or 0xE000 <= ord(char) <= 0xF8FF


def split_bullet(text: str) -> tuple[bool, str]:
    """Return whether ``text`` starts with a bullet glyph, and the text without it."""
    stripped = text.lstrip()
    if stripped and _is_glyph(stripped[0]):
        return True, stripped[1:].strip()
    if len(stripped) > 1 and stripped[0] in _ASCII_BULLETS and stripped[1] in " \t":
        return True, stripped[2:].strip()
    return False, text.strip()


#: A job description is some 30 KB of text; larger input is refused before any work.
MAX_TEXT_FILE = 5_000_000
#: Paragraphs (and table cells) of one document; a real one has a few hundred.
MAX_ITEMS = 20_000


def _too_many(count: int) -> ReadError:
    return ReadError(
        f"more than {MAX_ITEMS:,} paragraphs and table cells ({count:,} so far); "
        "a job description has a few hundred: is this the right file?"
    )


def read_text(path: Path) -> Document:
    """Return the lines of a text file (as PDF text extraction writes them) as items."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"cannot read the file: {exc.strerror}") from None
    if size > MAX_TEXT_FILE:  # before anything is read
        raise ReadError(
            f"the file is too large for a job description ({size:,} bytes; at most "
            f"{MAX_TEXT_FILE:,})"
        )
    data = _read(path)
    try:
        # Windows tools write UTF-16 with a byte order mark ("Unicode" in Notepad)
        text = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"not UTF-8 text (byte {exc.start + 1}); save the text as UTF-8, "
            "or import the Word document itself"
        ) from None
    removed: Counter[str] = Counter()
    invisible_characters(text, removed)
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    indents = [len(line) - len(line.lstrip()) for line in raw if line.strip()]
    base = min(indents) if indents else 0
    # When most lines are indented the indentation is layout, not a list mark.
    use_indent = sum(1 for i in indents if i > base) < len(indents) / 2
    items: list[Item] = []
    gap = detached = False
    glyphs = 0  # bullets standing alone on the lines just read
    for number, line in enumerate(raw, 1):
        if not line.strip() or _PAGE_NUMBER.match(line.strip()):
            gap = True
            continue
        bullet, body = split_bullet(line)
        if not body:
            glyphs += 1
            continue
        # one bullet on its own line belongs to the next line; a run of them (pdftotext
        # writes a table cell's bullets before its text) says only that items follow
        detached = detached or glyphs > 1
        indented = use_indent and len(line) - len(line.lstrip()) > base
        items.append(Item(clean(body), bullet or indented or glyphs > 0, gap=gap, number=number))
        gap, glyphs = False, 0
        if len(items) > MAX_ITEMS:
            raise _too_many(len(items))
    return Document(path, items, lines=True, detached=detached, removed=removed)


def read_docx(path: Path) -> Document:
    """Return the paragraphs and table cells of a Word document, in reading order, as items."""
    import docx  # only needed for DOCX input

    data = _read(path)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError("not a Word document (a .docx is a zip package, this file is not one)")
    try:
        # every bound (inflated sizes, part names, no DOCTYPE) is checked before
        # python-docx reads the same bytes
        parts = ooxml.read_package(data)
    except ooxml.PackageError as exc:
        raise ReadError(f"not a readable Word document: {exc}") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged file
        raise ReadError(
            f"not a readable Word document ({type(exc).__name__}: {exc}); "
            "open it in Word or LibreOffice and save it again as .docx"
        ) from None
    _check_structure(document)
    try:
        items, removed = _items(document)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as exc:
        # a body python-docx cannot walk (a cell outside a row, gridSpan="x" …)
        raise ReadError(
            f"not a readable Word document ({type(exc).__name__} in its structure: "
            f"{str(exc)[:200]}); open it in Word or LibreOffice and save it again as .docx"
        ) from None
    created = _generated_date(parts, document)
    return Document(path, items, lines=False, created=created, removed=removed)


def _items(document: object) -> tuple[list[Item], Counter[str]]:
    """Return the paragraphs and table cells of a python-docx document as items, and the
    invisible characters removed from them."""
    from docx.table import Table

    walker = _Walker(_Styles(document))
    tables = 0
    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table):
            walker.table(block, tables)
            tables += 1
        else:
            walker.add(block, None)
    return walker.items, walker.removed


class _Walker:
    """Collects the items of a document's paragraphs and cells, in reading order."""

    def __init__(self, styles: _Styles):
        self.styles = styles
        self.items: list[Item] = []
        self.removed: Counter[str] = Counter()
        #: an empty paragraph or a table came before the next item
        self.gap = False
        self.visited = 0

    def add(self, paragraph: Paragraph, cell: tuple[int, int, int] | None) -> None:
        self.visited += 1  # empty ones too: 200,000 empty paragraphs are no job description
        if self.visited > MAX_ITEMS:
            raise _too_many(self.visited)
        invisible_characters(paragraph.text, self.removed)
        item = _paragraph_item(paragraph, cell, len(self.items) + 1, self.styles)
        if item is None:
            self.gap = True
            return
        self.items.append(replace(item, gap=self.gap))
        self.gap = False

    def table(self, table: Table, number: int) -> None:
        for r, row in enumerate(table.rows):
            if len(row._tr.tc_lst) > MAX_ITEMS:  # before python-docx lays out the row
                raise _too_many(len(row._tr.tc_lst))
            for c, cell in enumerate(_cells(row.cells)):
                self.cell(cell, (number, r, c))
        self.gap = True

    def cell(self, cell: _Cell, where: tuple[int, int, int]) -> None:
        from docx.text.paragraph import Paragraph

        for block in cell.iter_inner_content():
            if isinstance(block, Paragraph):
                self.add(block, where)
            else:  # a table inside the cell reads as part of the cell
                for row in block.rows:
                    for inner in _cells(row.cells):
                        self.cell(inner, where)


def _cells(cells: list[_Cell]) -> list[_Cell]:
    """Return a row's cells, each once: python-docx repeats a merged cell."""
    out: list[_Cell] = []
    seen: set[int] = set()
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell)
    return out


class _Styles:
    """The paragraph styles of a document by id, looked up once each.

    python-docx's ``paragraph.style`` searches every style of the document for
    each paragraph (some 3 ms): 200,000 paragraphs took minutes.
    """

    def __init__(self, document: object):
        from docx.enum.style import WD_STYLE_TYPE

        styles = document.styles  # type: ignore[attr-defined]
        self.by_id = {
            s.style_id: s for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH and s.style_id
        }
        self.default = styles.default(WD_STYLE_TYPE.PARAGRAPH)

    def of(self, paragraph: Paragraph) -> BaseStyle | None:
        """Return the style of ``paragraph`` (the default one when it names none or a wrong one)."""
        style_id = paragraph._p.style
        found: BaseStyle | None = self.by_id.get(style_id, self.default)
        return found if style_id else self.default


def _paragraph_item(
    paragraph: Paragraph, cell: tuple[int, int, int] | None, number: int, styles: _Styles
) -> Item | None:
    text = clean(paragraph.text.replace("\t", " "))
    if not text:
        return None
    style = styles.of(paragraph)
    name = (style.name or "").lower() if style is not None else ""
    num_pr = paragraph._p.find(f"{_W}pPr/{_W}numPr")
    ilvl = num_pr.find(f"{_W}ilvl") if num_pr is not None else None
    level = 0
    if ilvl is not None:
        level = _list_level(ilvl.get(f"{_W}val"))
    elif "list" in name and name.endswith((" 2", " 3")):
        level = int(name[-1]) - 1
    listed = num_pr is not None or "list" in name or _style_numbered(style)
    glyph, text = split_bullet(text)
    heading = name.startswith("heading") or name == "title"
    return Item(text, listed or glyph, level, cell, heading, number=number)


def _list_level(value: object) -> int:
    """Return a w:ilvl value as a list level 0 … 8 ("²", "-1" or 10**20 are no level)."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        return 0
    return min(int(text), 8)


def _check_structure(document: object) -> None:
    """Raise ReadError unless the main part is a w:document with a w:body."""
    root = document.element  # type: ignore[attr-defined]
    if root.tag != f"{_W}document":
        name = repr(str(root.tag).rpartition("}")[2][:40])
        raise ReadError(
            f"not a Word document: word/document.xml has the root element {name}, "
            "not w:document; open it in Word or LibreOffice and save it again as .docx"
        )
    body = root.find(f"{_W}body")
    if body is None:
        raise ReadError(
            "not a Word document: word/document.xml has no body (w:body); open it in Word "
            "or LibreOffice and save it again as .docx"
        )
    if len(body) > MAX_ITEMS:  # refused before python-docx walks 200,000 paragraphs
        raise _too_many(len(body))


def _style_numbered(style: BaseStyle | None) -> bool:
    """Return whether a paragraph style carries list numbering (Word's List Bullet does)."""
    return style is not None and style.element.find(f"{_W}pPr/{_W}numPr") is not None


def _read(path: Path) -> bytes:
    """Return the bytes of an input file: a regular file of a bounded size."""
    try:
        return read_project_file(path, None, MAX_DOCUMENT_BYTES)
    except DataError as exc:
        raise ReadError(exc.problems[0].message) from None


def _generated_date(parts: dict[str, bytes], document: object) -> dt.date | None:
    """Return the creation date of a DOCX that ametijuhend wrote (its approval or review date)."""
    app = parts.get("docProps/app.xml", b"").decode("utf-8", "replace")
    if "<Application>ametijuhend</Application>" not in app:
        return None
    created = document.core_properties.created  # type: ignore[attr-defined]
    return created.date() if created is not None else None


def read_document(path: Path) -> Document:
    """Return the items of a .docx or a text file; raise ReadError for other formats."""
    suffix = path.suffix.lower()
    if suffix in (".doc", ".rtf", ".odt", ".pdf"):
        hint = (
            "extract its text first (pdftotext -raw FILE.pdf keeps table cells in order) "
            "and import the .txt"
            if suffix == ".pdf"
            else "open it in Word or LibreOffice and save it as .docx"
        )
        raise ReadError(f"cannot read {suffix} files; {hint}")
    if suffix == ".docx" or (path.is_file() and zipfile.is_zipfile(path)):
        return read_docx(path)
    return read_text(path)


#: The longest word a hyphen at a line end is looked for in (the regex would scan it all).
_LONGEST_WORD = 200


def _hyphen_end(text: str) -> re.Match[str] | None:
    """Return the match of a word broken by a hyphen at the end of ``text``, or None."""
    if not text.endswith("-"):
        return None
    return _WORD_END.search(text, max(0, len(text) - _LONGEST_WORD))


def _check_length(length: int) -> None:
    if length > MAX_TEXT:
        raise TextTooLong(length)


class TextTooLong(AmetijuhendError):
    """Lines joined into one text would be longer than a field may be."""

    def __init__(self, length: int):
        super().__init__(
            f"a paragraph of more than {MAX_TEXT:,} characters (after {length:,} the rest "
            "was not read); a field holds one paragraph"
        )


class Joiner:
    """Join the lines of one paragraph, undoing the hyphenation of words split at a line end."""

    def __init__(self, vocabulary: Iterable[str], conjunctions: Iterable[str]):
        self.vocabulary = {w.casefold() for w in vocabulary}
        # "üle-eestilise" known: "üle-" + "eestiliseks" keeps its hyphen
        self.prefixes = {w.split("-", 1)[0] for w in self.vocabulary if "-" in w}
        self.conjunctions = {w.casefold() for w in conjunctions}

    def join(self, parts: Iterable[str]) -> str:
        """Return the lines joined into one text; raise ParseError past MAX_TEXT characters.

        Linear in the input: the pieces are joined once at the end, and only the
        end of the last piece is searched for a hyphenated word.
        """
        pieces: list[str] = []
        length = 0
        for part in parts:
            part = part.strip()
            if not part:
                continue
            end = _hyphen_end(pieces[-1]) if pieces else None
            start = _WORD_START.match(part) if end else None
            if end and start:
                glued = self._glue(end.group(1), start.group(1))
                if glued is not None:
                    joined = pieces[-1][: -len(end.group(0))] + glued + start.group(2)
                    length += len(joined) - len(pieces[-1])
                    pieces[-1] = joined
                    _check_length(length)
                    continue
            length += len(part) + (1 if pieces else 0)
            pieces.append(part)
            _check_length(length)  # stop now, not after joining a 50 MB text
        return " ".join(pieces)

    def _glue(self, head: str, tail: str) -> str | None:
        """Return how ``head-`` and ``tail`` join, or None to keep "head- tail"."""
        if tail.casefold() in self.conjunctions:
            return None
        whole = (head + tail).casefold()
        hyphenated = f"{head}-{tail}".casefold()
        if whole in self.vocabulary:
            return head + tail
        known = hyphenated in self.vocabulary or head.casefold() in self.prefixes
        if known or head.isupper() or not tail[:1].islower():
            return f"{head}-{tail}"
        return head + tail
