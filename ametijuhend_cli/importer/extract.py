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

from lxml import etree

from ametijuhend_cli.errors import AmetijuhendError, DataError, msg
from ametijuhend_cli.importer.columns import Piece, laid_out, pieces
from ametijuhend_cli.messages import os_reason
from ametijuhend_cli.sources import ooxml, wordtext
from ametijuhend_cli.sources.files import MAX_DOCUMENT_BYTES, read_project_file
from ametijuhend_cli.texts import MAX_TEXT

# Bullet characters that survive text extraction; private-use characters
# (Symbol and Wingdings glyphs) count as bullets too.
_GLYPHS = "•▪◦●○■□►▸‣⁃∙·➢✓"
# These mark a list item only when a space follows ("- text").
_ASCII_BULLETS = "-*–—"
# "Lk 2 / 5", "2/5": page numbers from a header or footer
# a bullet glyph after a space inside a line, followed by a space and text
_INLINE_GLYPH = re.compile(r"(?<=\s)[" + re.escape(_GLYPHS) + "\ue000-\uf8ff" + r"](?=\s+\S)")
_PAGE_NUMBER = re.compile(r"^[^\W\d]{0,3}\.?\s*\d+\s*/\s*\d+$")
_WORD_END = re.compile(r"([^\W\d_]+)-$")
_WORD_START = re.compile(r"^([^\W_]+)(.*)$", re.S)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
    #: the number or bullet Word draws before the paragraph ("3.1.", "II"), DOCX only
    label: str = ""
    #: all of its text is bold (DOCX): a heading as many Word users make one
    bold: bool = False
    #: the lines of a table cell's paragraph in text laid out in columns, as the Joiner
    #: joins them (``text`` has them joined by spaces)
    lines: tuple[str, ...] = ()


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
    #: invisible, direction and control characters removed from the text, with their counts
    removed: Counter[str] = field(default_factory=Counter)
    #: hidden text left out (DOCX): (the number of the item it stood before, the text)
    hidden: list[tuple[int, str]] = field(default_factory=list)
    #: the tracked changes read as accepted, and controls showing only their placeholder
    changes: wordtext.Changes = field(default_factory=wordtext.Changes)


def clean(text: str) -> str:
    """Return ``text`` in NFC without invisible, direction and control characters, white space
    folded."""
    return " ".join(unicodedata.normalize("NFC", wordtext.scrub(text)).split())


def invisible_characters(text: str, found: Counter[str]) -> None:
    """Count into ``found`` the characters clean() removes from ``text``."""
    wordtext.scrub(text, found)


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


#: A list item's text is indented at most this much more than the text around it.
_LIST_INDENT = 8
#: A job description is some 30 KB of text; larger input is refused before any work.
MAX_TEXT_FILE = 5_000_000
#: Paragraphs (and table cells) of one document; a real one has a few hundred.
MAX_ITEMS = 20_000


def _too_many(count: int) -> ReadError:
    return ReadError(
        msg(
            "more than {limit} paragraphs and table cells ({count} so far); a job description "
            "has a few hundred: is this the right file?",
            limit=f"{MAX_ITEMS:,}",
            count=f"{count:,}",
        )
    )


#: Byte order marks, the longer first: UTF-32-LE's begins with UTF-16-LE's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def text_encoding(data: bytes) -> str:
    """Return the encoding of a text file: UTF-8, or UTF-16 or UTF-32 by their byte order mark
    or, without one, by where the zero bytes of the Latin letters are."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    head = data[:4000]
    head = head[: len(head) // 4 * 4]
    if head and head.count(0) >= len(head) // 3:
        quads = [head[i : i + 4] for i in range(0, len(head), 4)]
        if all(q[2:] == b"\x00\x00" for q in quads):
            return "utf-32-le"
        if all(q[:2] == b"\x00\x00" for q in quads):
            return "utf-32-be"
        pairs = [head[i : i + 2] for i in range(0, len(head), 2)]
        zeros_second = sum(p[1] == 0 for p in pairs)
        zeros_first = sum(p[0] == 0 for p in pairs)
        return "utf-16-le" if zeros_second >= zeros_first else "utf-16-be"
    return "utf-8-sig"


def read_text(path: Path) -> Document:
    """Return the lines of a text file (as PDF text extraction writes them) as items."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(msg("cannot read the file: {reason}", reason=os_reason(exc))) from None
    if size > MAX_TEXT_FILE:  # before anything is read
        raise ReadError(
            msg(
                "the file is too large for a job description ({size} bytes; at most {limit})",
                size=f"{size:,}",
                limit=f"{MAX_TEXT_FILE:,}",
            )
        )
    data = _read(path)
    encoding = text_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(
            msg(
                "not {encoding} text (byte {n}); save the text as UTF-8, or import the Word "
                "document itself",
                encoding=encoding.upper().replace("-SIG", ""),
                n=exc.start + 1,
            )
        ) from None
    removed: Counter[str] = Counter()
    invisible_characters(text, removed)
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    indents = [len(line) - len(line.lstrip()) for line in raw if line.strip()]
    base = min(indents) if indents else 0
    # When most lines are indented the indentation is layout, not a list mark; text
    # laid out in columns (pdftotext -layout) is read cell by cell, its indentation is layout
    laid = laid_out(raw)
    use_indent = not laid and sum(1 for i in indents if i > base) < len(indents) / 2
    read = pieces(raw) if laid else [Piece(n, (line,)) for n, line in enumerate(raw, 1)]
    items: list[Item] = []
    gap = detached = False
    glyphs = 0  # bullets standing alone on the lines just read
    hang: int | None = None  # where the text of the bullet's line before begins
    for piece in read:
        cell = _cell_item(piece, gap) if piece.cell is not None else None
        if cell is not None:
            items.append(cell)
            gap, glyphs = False, 0
        for line in _inline_bullets(piece.lines[0]) if piece.cell is None else []:
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
            # a list item is indented a little; a line far to the right is centred (a title);
            # a line indented as far as the text of the bullet's line above goes on with it
            lead = len(line) - len(line.lstrip())
            indented = use_indent and base < lead <= base + _LIST_INDENT and lead != hang
            items.append(
                Item(clean(body), bullet or indented or glyphs > 0, gap=gap, number=piece.number)
            )
            hang = _hang(line, bullet)
            gap, glyphs = False, 0
        if len(items) > MAX_ITEMS:
            raise _too_many(len(items))
    return Document(path, items, lines=True, detached=detached, removed=removed)


#: The number of a numbered line ("1.2.", "1.2.1.") before its text.
_LINE_NUMBER = re.compile(r"\s*\d{1,3}(?:\.\d{1,3})*\.\s*(?=[^\W\d_])")


def _hang(line: str, bullet: bool) -> int | None:
    """Return where the text of a line after its bullet or number begins (the indentation
    of the lines that go on with it), or None for a line without either."""
    if bullet:
        return len(line) - len(line.lstrip()[1:].lstrip())
    m = _LINE_NUMBER.match(line)
    return None if m is None else m.end()


def _cell_item(piece: Piece, gap: bool) -> Item | None:
    """Return the item of a table cell's paragraph in text laid out in columns (None: a
    bullet alone)."""
    bullet, first = split_bullet(piece.lines[0])
    lines = tuple(line for line in (clean(t) for t in (first, *piece.lines[1:])) if line)
    if not lines:
        return None
    return Item(" ".join(lines), bullet, cell=piece.cell, gap=gap, number=piece.number, lines=lines)


def rejoined(document: Document, joiner: Joiner) -> Document:
    """Return ``document`` with the lines of its cells' paragraphs joined by ``joiner`` (a word
    broken by a hyphen at a line's end made whole)."""
    if not any(item.lines for item in document.items):
        return document
    items = [
        replace(item, text=joiner.join(item.lines)) if item.lines else item
        for item in document.items
    ]
    return replace(document, items=items)


def _inline_bullets(line: str) -> list[str]:
    """Return a line cut before each bullet glyph inside it: text extraction puts a table
    cell's first bullet on the line of the cell beside it ('3.3 Task. ▪ Result …')."""
    cuts = [m.start() for m in _INLINE_GLYPH.finditer(line)]
    if not cuts or not line[: cuts[0]].strip():
        return [line]
    parts = []
    start = 0
    for cut in cuts:
        if line[start:cut].strip():
            parts.append(line[start:cut])
            start = cut
    parts.append(line[start:])
    return parts


def read_docx(path: Path) -> Document:
    """Return the paragraphs and table cells of a Word document, in reading order, as items.

    The text is what Word shows: tracked insertions in and deletions out, the
    text of content controls and the results of fields in; hidden text is left
    out and named in the report.
    """
    data = _read(path)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(msg("not a Word document (a .docx is a zip package, this file is not one)"))
    try:
        # every bound (inflated sizes, part names, no DOCTYPE) is checked on the way
        parts = ooxml.read_package(data)
        body = wordtext.Body(parts)
    except ooxml.PackageError as exc:
        raise ReadError(msg("not a readable Word document: {reason}", reason=exc.message)) from None
    element = _check_structure(body)
    walker = _Walker(body)
    try:
        walker.blocks(body.blocks(element), None)
    except RecursionError:
        raise ReadError(
            msg(
                "not a readable Word document: its tables are nested too deeply; open it in "
                "Word or LibreOffice and save it again as .docx"
            )
        ) from None
    document = Document(
        path, walker.items, lines=False, created=_generated_date(parts), removed=walker.removed
    )
    document.hidden = walker.hidden
    document.changes = body.changes
    return document


class _Walker:
    """Collects the items of a document's paragraphs and cells, in reading order."""

    def __init__(self, body: wordtext.Body):
        self.body = body
        self.items: list[Item] = []
        self.removed: Counter[str] = Counter()
        self.hidden: list[tuple[int, str]] = []
        #: an empty paragraph or a table came before the next item
        self.gap = False
        self.visited = 0
        self.tables = 0

    def blocks(self, blocks: Iterable[wordtext.Block], cell: tuple[int, int, int] | None) -> None:
        for block in blocks:
            if isinstance(block, wordtext.Table):
                if cell is None:
                    self.table(block, self.tables)
                    self.tables += 1
                else:  # a table inside a cell reads as part of the cell
                    for row in block.rows:
                        for inner in row:
                            self.blocks(inner, cell)
            else:
                self.add(block, cell)

    def add(self, paragraph: wordtext.Paragraph, cell: tuple[int, int, int] | None) -> None:
        self.visited += 1  # empty ones too: 200,000 empty paragraphs are no job description
        if self.visited > MAX_ITEMS:
            raise _too_many(self.visited)
        invisible_characters(paragraph.text, self.removed)
        if paragraph.hidden.strip():
            self.hidden.append((len(self.items) + 1, clean(paragraph.hidden)))
        item = _paragraph_item(paragraph, cell, len(self.items) + 1, self.body.styles)
        if item is None:
            self.gap = True
            return
        self.items.append(replace(item, gap=self.gap))
        self.gap = False

    def table(self, table: wordtext.Table, number: int) -> None:
        for r, row in enumerate(table.rows):
            if len(row) > MAX_ITEMS:
                raise _too_many(len(row))
            for c, cell in enumerate(row):
                self.blocks(cell, (number, r, c))
        self.gap = True


def _paragraph_item(
    paragraph: wordtext.Paragraph,
    cell: tuple[int, int, int] | None,
    number: int,
    styles: wordtext.Styles,
) -> Item | None:
    text = clean(paragraph.text.replace("\t", " "))
    if not text:
        return None
    style = styles.get(paragraph.style)
    name = style.name.lower()
    level = 0
    if paragraph.num is not None:
        level = wordtext.list_level(paragraph.num[1])
    elif "list" in name and name.endswith((" 2", " 3")):
        level = int(name[-1]) - 1
    listed = paragraph.num is not None or "list" in name or style.numbered
    glyph, text = split_bullet(text)
    heading = name.startswith("heading") or name == "title"
    return Item(
        text,
        listed or glyph,
        level,
        cell,
        heading,
        number=number,
        label=paragraph.label,
        bold=paragraph.bold,
    )


def _check_structure(body: wordtext.Body) -> etree._Element:
    """Return the w:body; raise ReadError unless the main part is a w:document with one."""
    root = body.root
    if root.tag != f"{_W}document":
        name = repr(str(root.tag).rpartition("}")[2][:40])
        raise ReadError(
            msg(
                "not a Word document: word/document.xml has the root element {name}, not "
                "w:document; open it in Word or LibreOffice and save it again as .docx",
                name=name,
            )
        )
    element = body.body()
    if element is None:
        raise ReadError(
            msg(
                "not a Word document: word/document.xml has no body (w:body); open it in Word "
                "or LibreOffice and save it again as .docx"
            )
        )
    if len(element) > MAX_ITEMS:  # refused before 200,000 paragraphs are walked
        raise _too_many(len(element))
    return element


def _read(path: Path) -> bytes:
    """Return the bytes of an input file: a regular file of a bounded size."""
    try:
        return read_project_file(path, None, MAX_DOCUMENT_BYTES)
    except DataError as exc:
        raise ReadError(exc.problems[0].message) from None


def _generated_date(parts: dict[str, bytes]) -> dt.date | None:
    """Return the creation date of a DOCX that ametijuhend wrote (its approval or review date)."""
    app = parts.get("docProps/app.xml", b"").decode("utf-8", "replace")
    if "<Application>ametijuhend</Application>" not in app or "docProps/core.xml" not in parts:
        return None
    try:
        core = ooxml.parse_xml(parts["docProps/core.xml"], "docProps/core.xml")
    except ooxml.PackageError:
        return None
    created = core.find("{http://purl.org/dc/terms/}created")
    text = (created.text or "").strip() if created is not None else ""
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def read_document(path: Path) -> Document:
    """Return the items of a .docx or a text file; raise ReadError for other formats."""
    suffix = path.suffix.lower()
    if suffix in (".doc", ".rtf", ".odt", ".pdf"):
        hint = (
            msg(
                "extract its text first (pdftotext -raw FILE.pdf keeps table cells in order) "
                "and import the .txt"
            )
            if suffix == ".pdf"
            else msg("open it in Word or LibreOffice and save it as .docx")
        )
        raise ReadError(msg("cannot read {suffix} files; {hint}", suffix=suffix, hint=hint))
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
            msg(
                "a paragraph of more than {limit} characters (after {length} the rest was not "
                "read); a field holds one paragraph",
                limit=f"{MAX_TEXT:,}",
                length=f"{length:,}",
            )
        )
        self.length = length

    def __reduce__(self) -> tuple[object, ...]:
        return (TextTooLong, (self.length,))


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
