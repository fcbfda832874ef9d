"""Read the tables of text laid out in columns (pdftotext -layout) cell by cell."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A run of text begins at a column when it starts at most this much to the left of it …
_NEAR = 3
#: … or this much to the right (a bullet's text runs on 4 or 5 characters after the bullet).
_HANG = 6
#: A bullet glyph alone before its text ("▪   Teenused …") is part of the text's segment.
_GLYPH = re.compile(r"^[•▪◦●○■□►▸‣⁃∙·➢✓\ue000-\uf8ff]$")
#: So is an item's number before its text ("4.1    Teenistujal on õigus …").
_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?$")
#: A numbered item: its number ("3.1.", "3.1.2", "3.1.Text").
_ITEM = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?(?=\s|[^\W\d_]|$)")
#: A list item's first line: a bullet glyph or a dash and a space.
_BULLET = re.compile(r"^(?:[•▪◦●○■□►▸‣⁃∙·➢✓\ue000-\uf8ff]|[-–—*]\s)")
#: A page's number in its footer ("Lk 1 / 2", "2/5"): never a table's line.
_PAGE = re.compile(r"^[^\W\d]{0,3}\.?\s*\d+\s*/\s*\d+$")
#: A column's text ends this far before the next column begins (the cells' padding).
_PADDING = 4
#: A sentence ends with one of these.
_ENDS = (".", "!", "?", ":", ";")


@dataclass(frozen=True)
class _Segment:
    start: int
    text: str


@dataclass(frozen=True)
class Piece:
    """A line of text, or a paragraph of a table's cell with its lines and place."""

    #: the number (from 1) of its first line in the text
    number: int
    lines: tuple[str, ...]
    #: (table, row, column) of a cell's paragraph; None for a line outside tables
    cell: tuple[int, int, int] | None = None


#: A run of text: words one or two spaces apart. A table's columns are set apart by two
#: spaces or more …
_RUN = re.compile(r"\S+(?: \S+)*")
#: … and, on one of its first lines at least, by three or more (as a text laid out in
#: columns is): justified text has two spaces here and there.
_WIDE_RUN = re.compile(r"\S+(?: {1,2}\S+)*")
_WIDE_WITHIN = 20


def _segments(line: str, runs: re.Pattern[str] = _RUN) -> list[_Segment]:
    """Return the runs of text of a line that wider gaps part, with where each starts."""
    out: list[_Segment] = []
    for m in runs.finditer(line):
        text = m.group(0)
        if out and (_GLYPH.match(out[-1].text) or _NUMBER.match(out[-1].text)):
            out[-1] = _Segment(out[-1].start, f"{out[-1].text} {text}")
            continue
        out.append(_Segment(m.start(), text))
    return out


def _wide(line: str) -> bool:
    """Return whether a line has a gap of three spaces or more inside its text."""
    return len(_segments(line, _WIDE_RUN)) > 1


def _column(start: int, columns: list[int]) -> int | None:
    """Return the column that a run of text starting at ``start`` begins, or None: a column
    begins a little to the left of its first run or as far to the right as a bullet's text."""
    for i in reversed(range(len(columns))):
        if columns[i] - _NEAR <= start:
            return i if start <= columns[i] + _HANG else None
    return None


def _placed(row: list[_Segment], columns: list[int]) -> list[tuple[int, str]] | None:
    """Return the runs of a line by column (a run inside a column's text, two spaces after
    the run before it, joins that run), or None when the line does not begin at a column or
    has a run far from the one before it where no column begins."""
    out: list[tuple[int, str]] = []
    end = 0
    for segment in row:
        column = _column(segment.start, columns)
        if column is None or (out and column <= out[-1][0]):
            if not out or segment.start - end > 2:
                return None
            out[-1] = (out[-1][0], f"{out[-1][1]} {segment.text}")
        else:
            out.append((column, segment.text))
        end = segment.start + len(segment.text)
    return out


def _depth(text: str) -> int | None:
    """Return how many parts the number of a numbered item has ("3.1." 2), or None."""
    m = _ITEM.match(text)
    return None if m is None else m.group(1).count(".") + 1


@dataclass
class _Table:
    """The lines of one table as they are read: where it starts, its columns, its rows."""

    start: int
    columns: list[int]
    #: the lines with runs of text in two columns or more
    rows: int = 1
    #: the depth of the numbers its rows begin with (None: its rows are not numbered)
    depth: int | None = None
    end: int = 0

    def goes_on(self, placed: list[tuple[int, str]], gap: bool) -> bool:
        """Return whether a line placed in the columns is a line of this table."""
        if len(placed) > 1 or placed[0][0] > 0:
            return True
        text = placed[0][1]
        depth = _depth(text)
        if depth is not None:
            return depth == self.depth
        return text[:1].islower() and not gap


@dataclass(frozen=True)
class _Text:
    """The lines of a text with their runs of text, and whether each has a wide gap."""

    lines: list[str]
    runs: list[list[_Segment]]
    wide: list[bool]
    #: the index of the first line with a wide gap from each line on
    next_wide: list[int]

    @classmethod
    def of(cls, lines: list[str]) -> _Text:
        runs = [_segments(line) for line in lines]
        wide = [len(r) > 1 and _wide(line) for r, line in zip(runs, lines, strict=True)]
        next_wide = [len(lines)] * (len(lines) + 1)
        for i in reversed(range(len(lines))):
            next_wide[i] = i if wide[i] else next_wide[i + 1]
        return cls(lines, runs, wide, next_wide)


def _table(text: _Text, start: int) -> _Table | None:
    """Return the table that begins at line ``start``: two lines or more with runs of text
    that begin at the same columns, and the lines that continue their cells."""
    lines = text.lines
    first = text.runs[start]
    if len(first) < 2 or text.next_wide[start] - start >= _WIDE_WITHIN:
        return None
    table = _Table(start, [s.start for s in first], depth=_depth(first[0].text))
    firsts = 1  # the first column's texts read for the depth of the rows' numbers
    i = end = start + 1
    gap = 0  # blank lines before the line
    wide = text.wide[start]
    while i < len(lines) and (wide or i - start < _WIDE_WITHIN):
        if not text.runs[i]:
            gap += 1
            i += 1
            continue
        if gap > 1:  # a wider space than between rows: the table has ended
            break
        if _PAGE.match(lines[i].strip()):
            break
        placed = _placed(text.runs[i], table.columns)
        if placed is None or not table.goes_on(placed, gap > 0):
            break
        if len(placed) > 1:
            table.rows += 1
        if firsts < 2 and placed[0][0] == 0:  # after a header row, the first row's number
            firsts += 1
            table.depth = table.depth or _depth(placed[0][1])
        gap = 0
        wide = wide or text.wide[i]
        i = end = i + 1
    table.end = end
    return table if table.rows >= 2 and wide else None


def _widths(text: _Text, table: _Table) -> list[int]:
    """Return how many characters a line of each column holds."""
    columns = table.columns
    widest = [0] * len(columns)
    for runs in text.runs[table.start : table.end]:
        for column, line in _placed(runs, columns) or []:
            widest[column] = max(widest[column], len(line))
    # a column holds its widest line, and as much as the next column leaves it
    for c in range(len(columns) - 1):
        widest[c] = max(widest[c], columns[c + 1] - columns[c] - _PADDING)
    return widest


def starts_paragraph(before: str, text: str, width: int) -> bool:
    """Return whether the line ``text`` of a cell begins a paragraph after the line ``before``.

    A bullet or a number begins one; otherwise a line that could have held the
    next line's first word ended its paragraph early (a lower-case word must fit
    with room to spare), and so did a sentence before a capital letter.
    """
    if _BULLET.match(text) or _ITEM.match(text):
        return True
    room = width - len(before) - 1 - len(text.split()[0])
    if text[:1].islower():
        return room >= 3
    return room >= 0 or before.endswith(_ENDS)


class _Cells:
    """Reads a table's lines into its rows and the paragraphs of their cells."""

    def __init__(self, table: _Table, widths: list[int], number: int):
        self.table = table
        self.widths = widths
        self.number = number
        self.row = -1
        #: the paragraphs of the row's cells, by column: (first line's number, its lines)
        self.cells: dict[int, list[tuple[int, list[str]]]] = {}
        self.out: list[Piece] = []
        #: a line of the row had nothing in the first column (its other cells went on)
        self.first_ended = False

    def new_row(self, text: str, gap: bool) -> bool:
        """Return whether the first column's ``text`` begins a row."""
        if self.row < 0:
            return True
        if self.table.depth is not None:
            return _depth(text) == self.table.depth or (gap and _depth(text) is None)
        paragraphs = self.cells.get(0)
        if gap or not paragraphs or self.first_ended:
            return True  # the first column's cell had ended: its text again is the next row
        return starts_paragraph(paragraphs[-1][1][-1], text, self.widths[0])

    def line(self, number: int, placed: list[tuple[int, str]], gap: bool) -> None:
        if self.row < 0 or (placed[0][0] == 0 and self.new_row(placed[0][1], gap)):
            self.flush()
            self.row += 1
            self.first_ended = False
        if placed[0][0] != 0 and self.cells.get(0):
            self.first_ended = True
        for column, text in placed:
            paragraphs = self.cells.setdefault(column, [])
            last = paragraphs[-1][1] if paragraphs else None
            if last is None or gap or starts_paragraph(last[-1], text, self.widths[column]):
                paragraphs.append((number, [text]))
            else:
                last.append(text)

    def flush(self) -> None:
        for column in sorted(self.cells):
            for number, lines in self.cells[column]:
                self.out.append(Piece(number, tuple(lines), (self.number, self.row, column)))
        self.cells = {}


def _cells(text: _Text, table: _Table, number: int) -> list[Piece]:
    """Return the paragraphs of a table's cells, row by row and each row's cells in turn."""
    cells = _Cells(table, _widths(text, table), number)
    gap = False
    for i in range(table.start, table.end):
        if not text.runs[i]:
            gap = True
            continue
        placed = _placed(text.runs[i], table.columns)
        assert placed is not None  # the table's lines begin at its columns
        cells.line(i + 1, placed, gap)
        gap = False
    cells.flush()
    return cells.out


def pieces(lines: list[str]) -> list[Piece]:
    """Return the lines of a text (numbered from 1), the paragraphs of its tables' cells
    in their place.

    pdftotext -layout sets the cells of a table row side by side on the same
    lines. A table is two lines or more whose runs of text (parted by two
    spaces or more) begin at the same columns, with the lines that continue
    its cells: a row begins where the first column begins a numbered item (of
    the rows' depth), a new text after a blank line or, in a table whose rows
    are not numbered, a new paragraph; a cell's lines are joined into its
    paragraphs.
    """
    text = _Text.of(lines)
    out: list[Piece] = []
    tables = 0
    i = 0
    while i < len(lines):
        table = _table(text, i)
        if table is None:
            out.append(Piece(i + 1, (lines[i],)))
            i += 1
            continue
        out.extend(_cells(text, table, tables))
        tables += 1
        i = table.end
    return out


def uncolumn(lines: list[str]) -> list[tuple[int, str]]:
    """Return the lines of a text (numbered from 1) in reading order: a table's cells in turn."""
    return [(p.number, line) for p in pieces(lines) for line in p.lines]


def laid_out(lines: list[str]) -> bool:
    """Return whether a text is laid out in columns: lines with wide gaps inside them."""
    return sum(_wide(line) for line in lines) >= 2
