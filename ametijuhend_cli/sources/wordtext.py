"""Read a Word document's body as Word shows it: changes accepted, fields and controls shown."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ametijuhend_cli.errors import msg
from ametijuhend_cli.messages import BIDI_CONTROLS, INVISIBLE
from ametijuhend_cli.sources import ooxml

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DOCUMENT = "word/document.xml"
_STYLES = "word/styles.xml"
_NUMBERING = "word/numbering.xml"
#: Word's list levels are 0 … 8.
MAX_LEVEL = 8
#: Containers whose content Word shows as if they were not there.
_TRANSPARENT = {
    f"{_W}ins",
    f"{_W}moveTo",
    f"{_W}hyperlink",
    f"{_W}smartTag",
    f"{_W}customXml",
    f"{_W}fldSimple",
    f"{_W}dir",
    f"{_W}bdo",
}
#: Content Word no longer shows once the tracked changes are accepted.
_REMOVED = {f"{_W}del", f"{_W}moveFrom"}
#: Whitespace and line ends: kept, the readers fold them.
_SPACES = frozenset("\t\n\r\x0b\x0c\x85")


def unshown(char: str) -> bool:
    """Return whether ``char`` is never taken over from a document: it prints as nothing,
    turns the text around it (U+202E) or is a control character (C0, C1)."""
    if char in BIDI_CONTROLS or char in INVISIBLE:
        return True
    return unicodedata.category(char) == "Cc" and char not in _SPACES


#: Every unshown character (control characters are U+0000-U+001F and U+007F-U+009F,
#: a set Unicode keeps stable): one search instead of a test of each character.
_UNSHOWN = re.compile(
    "["
    + re.escape("".join(sorted(c for c in map(chr, range(0xA0)) if unshown(c))))
    + re.escape("".join(sorted(BIDI_CONTROLS | INVISIBLE)))
    + "]"
)


def scrub(text: str, found: Counter[str] | None = None) -> str:
    """Return ``text`` without unshown characters, counting those removed into ``found``."""
    if text.isprintable():
        return text
    if found is not None:
        found.update(_UNSHOWN.findall(text))
    return _UNSHOWN.sub("", text)


def escape_unshown(text: str) -> str:
    """Return ``text`` with each unshown character written as an escape ('\\u202e')."""
    if text.isprintable():
        return text
    return "".join(ascii(c)[1:-1] if unshown(c) else c for c in text)


@dataclass
class Paragraph:
    """One paragraph as Word shows it."""

    text: str
    #: text formatted as hidden, which Word neither shows nor prints by default
    hidden: str = ""
    style: str = ""
    #: the direct list numbering: (numId, ilvl as written)
    num: tuple[str, str] | None = None
    #: the number or bullet Word draws before the text ("3.1.", "I", "•"), if any
    label: str = ""
    #: all of its text is bold (a heading as many Word users make one)
    bold: bool = False


@dataclass
class Table:
    """A table: rows of cells, each cell a list of paragraphs and tables."""

    rows: list[list[list[Paragraph | Table]]] = field(default_factory=list)


Block = Paragraph | Table


@dataclass
class Changes:
    """What Word would show differently with its markup on: tracked changes, hidden text."""

    insertions: int = 0
    deletions: int = 0
    placeholders: int = 0


@dataclass
class Style:
    """A paragraph or character style, resolved along its basedOn chain."""

    name: str
    hidden: bool
    numbered: bool
    num: tuple[str, str] | None
    bold: bool = False


def _on(element: etree._Element | None) -> bool:
    """Return whether a toggle property (w:vanish, w:b …) is on."""
    if element is None:
        return False
    return str(element.get(f"{_W}val", "true")).lower() not in ("0", "false", "off")


class Styles:
    """The styles of a document by id, with what reading needs of them."""

    def __init__(self, root: etree._Element | None):
        self.raw: dict[str, etree._Element] = {}
        self.default_paragraph = ""
        if root is not None:
            for style in root.findall(f"{_W}style"):
                sid = str(style.get(f"{_W}styleId", ""))
                if sid:
                    self.raw.setdefault(sid, style)
                    if style.get(f"{_W}type") == "paragraph" and _on_attr(style, "default"):
                        self.default_paragraph = self.default_paragraph or sid
        self._cache: dict[str, Style] = {}

    def get(self, sid: str) -> Style:
        """Return the style ``sid`` (an empty one if the document has none by that id)."""
        found = self._cache.get(sid)
        if found is None:
            found = self._resolve(sid, set())
            self._cache[sid] = found
        return found

    def paragraph(self, sid: str) -> str:
        """Return the id of a paragraph's style: its own if known, else the default one."""
        return sid if sid in self.raw else self.default_paragraph

    def _resolve(self, sid: str, seen: set[str]) -> Style:
        element = self.raw.get(sid)
        if element is None or sid in seen or len(seen) > 20:
            return Style("", False, False, None)
        seen.add(sid)
        based = element.find(f"{_W}basedOn")
        parent = (
            self._resolve(str(based.get(f"{_W}val", "")), seen)
            if based is not None
            else Style("", False, False, None)
        )
        name = element.find(f"{_W}name")
        vanish = element.find(f"{_W}rPr/{_W}vanish")
        num = element.find(f"{_W}pPr/{_W}numPr")
        bold = element.find(f"{_W}rPr/{_W}b")
        return Style(
            str(name.get(f"{_W}val", "")) if name is not None else "",
            _on(vanish) if vanish is not None else parent.hidden,
            num is not None,
            _num(num) or parent.num,
            _on(bold) if bold is not None else parent.bold,
        )


def _on_attr(element: etree._Element, name: str) -> bool:
    return str(element.get(f"{_W}{name}", "0")).lower() in ("1", "true", "on")


def _num(num_pr: etree._Element | None) -> tuple[str, str] | None:
    if num_pr is None:
        return None
    num_id = num_pr.find(f"{_W}numId")
    ilvl = num_pr.find(f"{_W}ilvl")
    if num_id is None:
        return None
    level = str(ilvl.get(f"{_W}val", "0")) if ilvl is not None else "0"
    return str(num_id.get(f"{_W}val", "")), level


def list_level(value: object) -> int:
    """Return a w:ilvl value as a list level 0 … 8 ("²", "-1" or 10**20 are no level)."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        return 0
    return min(int(text), MAX_LEVEL)


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def roman(n: int) -> str:
    """Return ``n`` (1 … 3999) in Roman numerals."""
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """Return Word's letter numbering: A … Z, AA … ZZ, AAA …"""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return roman(n) if 0 < n < 4000 else str(n)
    if fmt == "lowerRoman":
        return roman(n).lower() if 0 < n < 4000 else str(n)
    if fmt == "upperLetter":
        return _letters(n) if n > 0 else str(n)
    if fmt == "lowerLetter":
        return _letters(n).lower() if n > 0 else str(n)
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""


class Numbering:
    """Word's list numbering: the label each numbered paragraph gets ("3.1.", "II", "•")."""

    def __init__(self, root: etree._Element | None):
        abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, dict[int, _Level]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        #: levels a list restarts (w:startOverride) the first time it is used
        self.restarts: dict[str, list[int]] = {}
        if root is None:
            return
        for element in root.findall(f"{_W}abstractNum"):
            aid = str(element.get(f"{_W}abstractNumId", ""))
            abstract[aid] = {
                list_level(lvl.get(f"{_W}ilvl")): _level(lvl) for lvl in element.findall(f"{_W}lvl")
            }
        for element in root.findall(f"{_W}num"):
            nid = str(element.get(f"{_W}numId", ""))
            ref = element.find(f"{_W}abstractNumId")
            aid = str(ref.get(f"{_W}val", "")) if ref is not None else ""
            levels = dict(abstract.get(aid, {}))
            for override in element.findall(f"{_W}lvlOverride"):
                k = list_level(override.get(f"{_W}ilvl"))
                lvl = override.find(f"{_W}lvl")
                start = override.find(f"{_W}startOverride")
                base = _level(lvl) if lvl is not None else levels.get(k, _Level())
                if start is not None:
                    base = _Level(_int(start.get(f"{_W}val"), 1), base.fmt, base.text)
                    self.restarts.setdefault(nid, []).append(k)
                levels[k] = base
            self.nums[nid] = levels
            self.abstract_of[nid] = aid

    def label(self, num: tuple[str, str]) -> str:
        """Return the label of the next paragraph of list ``num`` at its level, counting it.

        Lists of one abstract definition count on together, as in Word; a list
        that overrides a level's start restarts that level where it is first used.
        """
        nid, ilvl = num
        levels = self.nums.get(nid)
        if not levels or nid == "0":
            return ""
        level = list_level(ilvl)
        counters = self.counters.setdefault(self.abstract_of.get(nid) or nid, [0] * (MAX_LEVEL + 1))
        for k in self.restarts.pop(nid, ()):
            counters[k] = 0
        if counters[level] == 0:
            counters[level] = levels.get(level, _Level()).start
        else:
            counters[level] += 1
        for deeper in range(level + 1, MAX_LEVEL + 1):
            counters[deeper] = 0
        own = levels.get(level, _Level())
        if own.fmt == "bullet":
            return own.text
        text = own.text
        for k in range(level, -1, -1):
            lvl = levels.get(k, _Level())
            value = counters[k] or lvl.start
            text = text.replace(f"%{k + 1}", _format(value, lvl.fmt))
        return text.strip()


def _int(value: object, default: int) -> int:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else default


def _level(lvl: etree._Element) -> _Level:
    start = lvl.find(f"{_W}start")
    fmt = lvl.find(f"{_W}numFmt")
    text = lvl.find(f"{_W}lvlText")
    return _Level(
        _int(start.get(f"{_W}val"), 1) if start is not None else 1,
        str(fmt.get(f"{_W}val", "decimal")) if fmt is not None else "decimal",
        str(text.get(f"{_W}val", "")) if text is not None else "",
    )


class _Text:
    """The text of paragraphs as Word shows it, with the state of the fields around it."""

    def __init__(self, styles: Styles, changes: Changes):
        self.styles = styles
        self.changes = changes
        #: the open complex fields: True once past their instructions (in their result)
        self.fields: list[bool] = []
        self.shown: list[str] = []
        self.hidden: list[str] = []
        self.paragraph_hidden = False
        self.paragraph_bold = False
        self.bold_chars = self.plain_chars = 0

    def paragraph(self, p: etree._Element, style: Style) -> tuple[str, str]:
        self.shown, self.hidden = [], []
        self.paragraph_hidden = style.hidden
        self.paragraph_bold = style.bold
        #: visible characters shown in bold and not
        self.bold_chars = self.plain_chars = 0
        self._inline(p)
        return "".join(self.shown), "".join(self.hidden)

    @property
    def bold(self) -> bool:
        """Return whether the text of the paragraph just read is all bold."""
        return self.bold_chars > 0 and self.plain_chars == 0

    def _inline(self, element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{_W}r":
                self._run(child)
            elif tag in _TRANSPARENT:
                if tag in (f"{_W}ins", f"{_W}moveTo"):
                    self.changes.insertions += 1
                self._inline(child)
            elif tag in _REMOVED:
                self.changes.deletions += 1
                self._fields_only(child)
            elif tag == f"{_W}sdt":
                self._control(child, self._inline)
            elif tag in (f"{_M}oMath", f"{_M}oMathPara"):
                self.shown.extend(t.text or "" for t in child.iter(f"{_M}t"))

    def _control(self, sdt: etree._Element, read: object) -> None:
        """Read a content control: its content, unless it shows only its placeholder."""
        placeholder = sdt.find(f"{_W}sdtPr/{_W}showingPlcHdr")
        content = sdt.find(f"{_W}sdtContent")
        if content is None:
            return
        if placeholder is not None and _on(placeholder):
            self.changes.placeholders += 1
            return
        read(content)  # type: ignore[operator]

    def _fields_only(self, element: etree._Element) -> None:
        """Follow the field marks of deleted runs, so that the fields around stay paired."""
        for mark in element.iter(f"{_W}fldChar"):
            self._field(mark)

    def _field(self, mark: etree._Element) -> None:
        kind = mark.get(f"{_W}fldCharType")
        if kind == "begin":
            self.fields.append(False)
        elif kind == "separate" and self.fields:
            self.fields[-1] = True
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _run(self, run: etree._Element) -> None:
        rpr = run.find(f"{_W}rPr")
        hidden = self.paragraph_hidden
        bold = self.paragraph_bold
        if rpr is not None:
            vanish = rpr.find(f"{_W}vanish")
            spec = rpr.find(f"{_W}specVanish")
            rstyle = rpr.find(f"{_W}rStyle")
            b = rpr.find(f"{_W}b")
            if vanish is not None or spec is not None:
                hidden = _on(vanish) or _on(spec)
            elif rstyle is not None:
                hidden = hidden or self.styles.get(str(rstyle.get(f"{_W}val", ""))).hidden
            if b is not None:
                bold = _on(b)
            elif rstyle is not None:
                bold = bold or self.styles.get(str(rstyle.get(f"{_W}val", ""))).bold
        for child in run:
            tag = child.tag
            if tag == f"{_W}fldChar":
                self._field(child)
                continue
            if not all(self.fields):  # inside a field's instructions
                continue
            text = _run_text(child)
            if text:
                (self.hidden if hidden else self.shown).append(text)
                if not hidden:
                    visible = len(text.strip())
                    if bold:
                        self.bold_chars += visible
                    else:
                        self.plain_chars += visible


def _run_text(child: etree._Element) -> str:
    """Return what one element of a run shows."""
    tag = child.tag
    if tag == f"{_W}t":
        return child.text or ""
    if tag in (f"{_W}tab", f"{_W}ptab"):
        return "\t"
    if tag in (f"{_W}br", f"{_W}cr"):
        return "\n"
    if tag == f"{_W}noBreakHyphen":
        return "-"
    if tag == f"{_W}sym":
        code = str(child.get(f"{_W}char", ""))
        try:
            value = int(code, 16)
        except ValueError:
            return ""
        return chr(value) if 0x20 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else ""
    return ""


class Body:
    """The blocks of a document body (paragraphs and tables) as Word shows them."""

    def __init__(self, parts: dict[str, bytes]):
        if _DOCUMENT not in parts:
            raise ooxml.PackageError(msg("the package has no part {name}", name=f"'{_DOCUMENT}'"))
        self.root = ooxml.parse_xml(parts[_DOCUMENT], _DOCUMENT)
        self.styles = Styles(_optional(parts, _STYLES))
        self.numbering = Numbering(_optional(parts, _NUMBERING))
        self.changes = Changes()
        self._text = _Text(self.styles, self.changes)
        #: text of a paragraph whose mark was deleted: it runs on into the next one
        self._carry = ""
        self._carry_hidden = ""

    def body(self) -> etree._Element | None:
        """Return the w:body element, or None if the document has none."""
        if self.root.tag != f"{_W}document":
            return None
        return self.root.find(f"{_W}body")

    def blocks(self, container: etree._Element) -> Iterator[Block]:
        """Yield the paragraphs and tables of a body or a cell, in order."""
        for child in container:
            tag = child.tag
            if tag == f"{_W}p":
                paragraph = self._paragraph(child)
                if paragraph is not None:
                    yield paragraph
            elif tag == f"{_W}tbl":
                yield from self._flush()
                yield self._table(child)
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                placeholder = child.find(f"{_W}sdtPr/{_W}showingPlcHdr")
                if placeholder is not None and _on(placeholder):
                    self.changes.placeholders += 1
                elif content is not None:
                    yield from self.blocks(content)
            elif tag in (f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
                yield from self.blocks(child)
        yield from self._flush()

    def _flush(self) -> Iterator[Paragraph]:
        """Yield the text of a paragraph with a deleted mark that nothing followed."""
        if self._carry or self._carry_hidden:
            yield Paragraph(self._carry, self._carry_hidden)
            self._carry = self._carry_hidden = ""

    def _paragraph(self, p: etree._Element) -> Paragraph | None:
        ppr = p.find(f"{_W}pPr")
        pstyle = ppr.find(f"{_W}pStyle") if ppr is not None else None
        sid = self.styles.paragraph(str(pstyle.get(f"{_W}val", "")) if pstyle is not None else "")
        style = self.styles.get(sid)
        text, hidden = self._text.paragraph(p, style)
        mark = ppr.find(f"{_W}rPr") if ppr is not None else None
        if mark is not None and (
            mark.find(f"{_W}del") is not None or mark.find(f"{_W}moveFrom") is not None
        ):
            # the paragraph mark is deleted: the text runs on into the next paragraph
            self._carry += text
            self._carry_hidden += hidden
            return None
        text, hidden = self._carry + text, self._carry_hidden + hidden
        self._carry = self._carry_hidden = ""
        num = _num(ppr.find(f"{_W}numPr")) if ppr is not None else None
        label = ""
        if num is not None or style.num is not None:
            label = self.numbering.label(num or style.num)  # type: ignore[arg-type]
        return Paragraph(text, hidden, sid, num, label, self._text.bold)

    def _table(self, tbl: etree._Element) -> Table:
        table = Table()
        for tr in _rows(tbl):
            trpr = tr.find(f"{_W}trPr")
            if trpr is not None and trpr.find(f"{_W}del") is not None:
                self.changes.deletions += 1
                continue
            row = []
            for tc in _cells(tr):
                tcpr = tc.find(f"{_W}tcPr")
                if tcpr is not None and tcpr.find(f"{_W}cellDel") is not None:
                    self.changes.deletions += 1
                    continue
                row.append(list(self.blocks(tc)))
            table.rows.append(row)
        return table


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    """Yield the rows of a table, those inside row-level content controls too."""
    for child in tbl:
        if child.tag == f"{_W}tr":
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                yield from _rows(content)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    """Yield the cells of a row, those inside cell-level content controls too."""
    for child in tr:
        if child.tag == f"{_W}tc":
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                yield from _cells(content)


def _optional(parts: dict[str, bytes], name: str) -> etree._Element | None:
    return ooxml.parse_xml(parts[name], name) if name in parts else None
