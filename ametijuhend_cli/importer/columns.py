"""Read the tables of text laid out in columns (pdftotext -layout) cell by cell."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Columns of a table are set apart by at least this many spaces.
_GAP = re.compile(r" {3,}")
#: Two column starts this close are the same column (a bullet's text starts 4 after it).
_NEAR = 5
#: A bullet glyph alone before its text ("▪   Teenused …") is part of the text's segment.
_GLYPH = re.compile(r"^[•▪◦●○■□►▸‣⁃∙·➢✓\ue000-\uf8ff]$")
#: So is an item's number before its text ("4.1    Teenistujal on õigus …").
_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?$")


@dataclass(frozen=True)
class _Segment:
    start: int
    text: str


def _segments(line: str) -> list[_Segment]:
    """Return the runs of text of a line that wider gaps part, with where each starts."""
    out: list[_Segment] = []
    position = 0
    for part in _GAP.split(line.rstrip()):
        start = line.index(part, position) if part else position
        position = start + len(part)
        if not part.strip():
            continue
        text = part.strip()
        start += len(part) - len(part.lstrip())
        if out and (_GLYPH.match(out[-1].text) or _NUMBER.match(out[-1].text)):
            out[-1] = _Segment(out[-1].start, f"{out[-1].text} {text}")
            continue
        out.append(_Segment(start, text))
    return out


def _columns(rows: list[list[_Segment]]) -> list[int]:
    """Return the starts of the columns of a block: where two or more lines begin a run."""
    starts = sorted(s.start for row in rows if len(row) > 1 for s in row)
    clusters: list[list[int]] = []
    for start in starts:
        if clusters and start - clusters[-1][-1] <= _NEAR:
            clusters[-1].append(start)
        else:
            clusters.append([start])
    found = [min(c) for c in clusters if len(c) > 1]
    first = min((row[0].start for row in rows if row), default=0)
    if found and first < found[0] - _NEAR:
        found.insert(0, first)
    return found


def _column_of(start: int, columns: list[int]) -> int:
    return max((i for i, c in enumerate(columns) if c <= start + _NEAR), default=0)


def _aligned(row: list[_Segment], columns: list[int]) -> bool:
    """Return whether each run of a line begins where a column begins."""
    return all(any(abs(s.start - c) <= _NEAR for c in columns) for s in row)


def _block_end(lines: list[str], start: int) -> int:
    """Return the index after the block of table lines that begins at ``start``."""
    rows = [_segments(lines[start])]
    end = start + 1
    while end < len(lines):
        if not lines[end].strip():
            if end + 1 < len(lines) and len(_segments(lines[end + 1])) > 1:
                end += 1
                continue
            break
        row = _segments(lines[end])
        columns = _columns([*rows, row])
        if len(columns) < 2 or not _aligned(row, columns):
            break
        rows.append(row)
        end += 1
    return end


def _cells(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Return a block's lines cell by cell: each row's columns in turn, a blank line between."""
    rows = [_segments(text) for _, text in lines]
    columns = _columns(rows)
    out: list[tuple[int, str]] = []
    group: list[tuple[int, list[_Segment]]] = []

    def flush() -> None:
        for column in range(len(columns)):
            cell = [
                (n, s.text)
                for n, row in group
                for s in row
                if _column_of(s.start, columns) == column
            ]
            if cell:
                if out and out[-1][1]:
                    out.append((cell[0][0], ""))
                out.extend(cell)
        group.clear()

    for (number, text), row in zip(lines, rows, strict=True):
        if not text.strip():
            flush()
            out.append((number, ""))
        else:
            group.append((number, row))
    flush()
    return out


def uncolumn(lines: list[str]) -> list[tuple[int, str]]:
    """Return the lines of a text (numbered from 1) with its tables read cell by cell.

    pdftotext -layout sets the cells of a table row side by side on the same
    lines; each cell is read in turn instead, as -raw gives them. A block is a
    table when two or more of its lines begin runs of text at the same columns.
    """
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        if len(_segments(lines[i])) < 2:
            out.append((i + 1, lines[i]))
            i += 1
            continue
        end = _block_end(lines, i)
        block = [(n + 1, lines[n]) for n in range(i, end)]
        rows = [_segments(text) for _, text in block]
        if sum(len(r) > 1 for r in rows) >= 1 and len(_columns(rows)) >= 2:
            out.extend(_cells(block))
        else:
            out.extend(block)
        i = end
    return out


def laid_out(lines: list[str]) -> bool:
    """Return whether a text is laid out in columns: lines with wide gaps inside them."""
    return sum(len(_segments(line)) > 1 for line in lines) >= 2
