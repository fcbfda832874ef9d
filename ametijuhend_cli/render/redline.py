"""Render the new version of a document as DOCX with its changes as Word tracked changes.

Both versions are laid out by the DOCX renderer; their bodies are then
compared block by block (paragraphs, tables, rows, cells) and the new body
is written with ``w:ins``/``w:del`` revisions: words inside a changed
paragraph, whole rows for added or removed table rows. Accepting every
revision gives the new document, rejecting every one the old.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.render.docx import DocxRenderer
from ametijuhend_cli.render.package import W_NS
from ametijuhend_cli.sources.templates import TemplateSet
from ametijuhend_cli.textdiff import REWORDED, Pair, align, similarity, tokens

_W = f"{{{W_NS}}}"
_El = etree._Element
#: run children that hold text, and what they become in a deleted run
_DELETED_TEXT = {f"{_W}t": f"{_W}delText", f"{_W}instrText": f"{_W}delInstrText"}


def _text(element: _El) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_W}t", f"{_W}delText"))


_SEP = "\x1f"


def _key(element: _El) -> str:
    """Return what identifies a block for the alignment: kind and style, a label, the text."""
    if element.tag == f"{_W}p":
        style = element.find(f"{_W}pPr/{_W}pStyle")
        name = style.get(f"{_W}val", "") if style is not None else ""
        return _SEP.join((f"p:{name}", "", _text(element)))
    if element.tag == f"{_W}tr":
        cells = [_text(c) for c in element.findall(f"{_W}tc")]
        return _SEP.join((f"tr:{len(cells)}", cells[0] if cells else "", " ".join(cells)))
    if element.tag == f"{_W}tbl":  # a table is known by its first cell (a heading, a label)
        first = element.find(f"{_W}tr/{_W}tc")
        return _SEP.join(("tbl", _text(first) if first is not None else "", _text(element)))
    return _SEP.join((etree.QName(element).localname, "", _text(element)))


def _similar(a: str, b: str) -> float:
    """Return how alike two blocks are; 0 for blocks of different kinds."""
    kind_a, label_a, text_a = a.split(_SEP)
    kind_b, label_b, text_b = b.split(_SEP)
    if kind_a.split(":")[0] != kind_b.split(":")[0] or (
        kind_a.startswith("tr:") and kind_a != kind_b
    ):
        return 0.0
    if label_a and label_a == label_b:
        return 1.0  # a row or table keeps its label (Töökogemus): its parts are compared
    if not text_a and not text_b:
        return 1.0 if kind_a == kind_b else 0.0
    return similarity(text_a, text_b)


#: The revision elements, numbered in document order when the body is done.
_REVISIONS = {f"{_W}ins", f"{_W}del", f"{_W}pPrChange"}


class _Marks:
    """Makes revision marks with one author and date, and numbers them in document order."""

    def __init__(self, author: str, date: dt.date):
        self.author = author
        self.day = date
        self.date = self.stamp(0)
        self.next_id = 1

    def stamp(self, minute: int) -> str:
        """Return the date of a revision ``minute`` minutes after the day's start."""
        moment = dt.datetime.combine(self.day, dt.time(0, minute))
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def number(self, body: _El) -> None:
        """Number every revision of ``body`` in document order and date it by its paragraph.

        The revisions of every other paragraph are a minute later: LibreOffice
        joins revisions of one author within one minute that touch, and would
        take the unchanged paragraph break between two changed paragraphs
        into the joined change (rejecting it would join the paragraphs).
        """
        paragraphs = 0
        self.next_id = 1
        for element in body.iter(f"{_W}p", *_REVISIONS):
            if element.tag == f"{_W}p":
                paragraphs += 1
                continue
            element.set(f"{_W}id", str(self.next_id))
            element.set(f"{_W}date", self.stamp(paragraphs % 2))
            self.next_id += 1

    def make(self, kind: str) -> _El:
        element = etree.Element(f"{_W}{kind}")
        element.set(f"{_W}id", str(self.next_id))
        element.set(f"{_W}author", self.author)
        element.set(f"{_W}date", self.date)
        self.next_id += 1
        return element

    def wrap(self, kind: str, runs: list[_El]) -> _El:
        wrapper = self.make(kind)
        for run in runs:
            if kind == "del":
                for child in run.iter():
                    if child.tag in _DELETED_TEXT:
                        child.tag = _DELETED_TEXT[child.tag]
            wrapper.append(run)
        return wrapper

    def paragraph_mark(self, paragraph: _El, kind: str) -> None:
        ppr = paragraph.find(f"{_W}pPr")
        if ppr is None:
            ppr = etree.Element(f"{_W}pPr")
            paragraph.insert(0, ppr)
        rpr = ppr.find(f"{_W}rPr")
        if rpr is None:
            rpr = etree.SubElement(ppr, f"{_W}rPr")
        rpr.append(self.make(kind))

    def whole(self, element: _El, kind: str) -> _El:
        """Return a copy of a paragraph, row or table with all of it inserted or deleted."""
        element = copy.deepcopy(element)
        if element.tag == f"{_W}tr":
            self.row_mark(element, kind)
        for child in list(element.iter(f"{_W}tr", f"{_W}p", f"{_W}r")):
            if child.tag == f"{_W}r" and child.getparent() is not None:
                parent = child.getparent()
                assert parent is not None
                index = parent.index(child)
                parent.insert(index, self.wrap(kind, [child]))
            elif child.tag == f"{_W}p":
                self.paragraph_mark(child, kind)
            elif child is not element:
                self.row_mark(child, kind)
        return element

    def row_mark(self, row: _El, kind: str) -> None:
        trpr = row.find(f"{_W}trPr")
        if trpr is None:
            trpr = etree.Element(f"{_W}trPr")
            row.insert(0, trpr)
        trpr.append(self.make(kind))


def _runs(paragraph: _El) -> list[_El] | None:
    """Return the runs of a paragraph, or None when it holds anything else."""
    content = [c for c in paragraph if c.tag != f"{_W}pPr"]
    return content if all(c.tag == f"{_W}r" for c in content) else None


@dataclass(frozen=True)
class _Token:
    """A word, a space or another run child (a tab, a break) with its run properties."""

    props: bytes
    word: str
    other: bytes = b""
    #: the elements themselves (not compared)
    rpr: _El | None = field(default=None, compare=False)
    element: _El | None = field(default=None, compare=False)

    @property
    def blank(self) -> bool:
        return not self.word.strip() and self.element is None


def _tokens(runs: list[_El]) -> list[_Token]:
    """Return the tokens of the runs of a paragraph."""
    out = []
    for run in runs:
        rpr = run.find(f"{_W}rPr")
        props = etree.tostring(rpr) if rpr is not None else b""
        for child in run:
            if child.tag == f"{_W}t":
                out += [_Token(props, word, rpr=rpr) for word in tokens(child.text or "")]
            elif child.tag != f"{_W}rPr":
                out.append(_Token(props, "", etree.tostring(child), rpr, child))
    return out


def _make_runs(parts: list[_Token]) -> list[_El]:
    """Return runs for consecutive tokens, one run per stretch of equal properties."""
    runs: list[_El] = []
    last: bytes | None = None
    for token in parts:
        if token.props != last or not runs:
            run = etree.Element(f"{_W}r")
            if token.rpr is not None:
                run.append(copy.deepcopy(token.rpr))
            runs.append(run)
            last = token.props
        run = runs[-1]
        if token.element is not None:
            run.append(copy.deepcopy(token.element))
        else:
            t = run[-1] if len(run) and run[-1].tag == f"{_W}t" else None
            if t is None:
                t = etree.SubElement(run, f"{_W}t")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = (t.text or "") + token.word
    return runs


def _word_ops(old: list[_Token], new: list[_Token]) -> list[tuple[str, int, int, int, int]]:
    """Return the word-level opcodes, spaces between two changes joined to them."""
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    merged: list[tuple[str, int, int, int, int]] = []
    for i, (op, a0, a1, b0, b1) in enumerate(ops):
        blank = all(t.blank for t in old[a0:a1])
        between = 0 < i < len(ops) - 1
        if op == "equal" and blank and between:
            op = "replace"
        if merged and op != "equal" and merged[-1][0] != "equal":
            merged[-1] = ("replace", merged[-1][1], a1, merged[-1][3], b1)
        else:
            merged.append((op, a0, a1, b0, b1))
    return merged


def _interleave(pairs: list[Pair]) -> list[Pair]:
    """Return ``pairs`` with each stretch of removed and added blocks taken in turns.

    A paragraph replaced by an unlike one then stands next to it (not after
    the table that follows it), so that the two share one paragraph mark.
    """
    out: list[Pair] = []
    removed: list[Pair] = []
    added: list[Pair] = []

    def flush() -> None:
        for k in range(max(len(removed), len(added))):
            out.extend(p[k] for p in (removed, added) if k < len(p))
        removed.clear()
        added.clear()

    for pair in pairs:
        if pair.kind == "removed":
            removed.append(pair)
        elif pair.kind == "added":
            added.append(pair)
        else:
            flush()
            out.append(pair)
    flush()
    return out


class _Redline:
    """Writes the new body with the changes against the old one marked."""

    def __init__(self, marks: _Marks):
        self.marks = marks

    def blocks(self, old: list[_El], new: list[_El]) -> Iterator[_El]:
        pairs = align([_key(e) for e in old], [_key(e) for e in new], moves=False, similar=_similar)
        for pair in _interleave(pairs):
            yield from self.pair(pair, old, new)

    def pair(self, pair: Pair, old: list[_El], new: list[_El]) -> Iterator[_El]:
        o = old[pair.old] if pair.old is not None else None
        n = new[pair.new] if pair.new is not None else None
        if o is not None and n is not None:
            if pair.kind == "equal" and etree.tostring(o) == etree.tostring(n):
                yield copy.deepcopy(n)
            else:
                yield from self.changed(o, n)
        elif o is not None:
            yield self.marks.whole(o, "del")
        elif n is not None:
            yield self.marks.whole(n, "ins")

    def changed(self, old: _El, new: _El) -> Iterator[_El]:
        if new.tag == f"{_W}p":
            found = self.paragraph(old, new)
            if found is not None:
                yield found
                return
        elif new.tag in (f"{_W}tbl", f"{_W}tr", f"{_W}tc"):
            yield self.container(old, new)
            return
        yield self.marks.whole(old, "del")
        yield self.marks.whole(new, "ins")

    def container(self, old: _El, new: _El) -> _El:
        """Return a table, row or cell: its properties from ``new``, its content compared."""
        out = etree.Element(new.tag)
        head = {f"{_W}tblPr", f"{_W}tblGrid", f"{_W}trPr", f"{_W}tcPr"}
        for child in new:
            if child.tag in head:
                out.append(copy.deepcopy(child))
        if new.tag == f"{_W}tr":  # cells pair by their place (rows pair only with equal counts)
            for o, n in zip(old.findall(f"{_W}tc"), new.findall(f"{_W}tc"), strict=True):
                out.append(self.container(o, n))
            return out
        content = [c for c in new if c.tag not in head]
        before = [c for c in old if c.tag not in head]
        out.extend(settle(list(self.blocks(before, content)), self.marks))
        return out

    def paragraph(self, old: _El, new: _El) -> _El | None:
        old_runs, new_runs = _runs(old), _runs(new)
        if old_runs is None or new_runs is None:
            return None
        if similarity(_text(old), _text(new)) < REWORDED and (_text(old) or _text(new)):
            return None
        out = etree.Element(f"{_W}p")
        new_ppr, old_ppr = new.find(f"{_W}pPr"), old.find(f"{_W}pPr")
        if new_ppr is not None:
            ppr = copy.deepcopy(new_ppr)
            out.append(ppr)
            if old_ppr is not None and etree.tostring(old_ppr) != etree.tostring(new_ppr):
                # the paragraph's style changed too (a clause that became a list item)
                change = self.marks.make("pPrChange")
                change.append(copy.deepcopy(old_ppr))
                ppr.append(change)
        a, b = _tokens(old_runs), _tokens(new_runs)
        for op, a0, a1, b0, b1 in _word_ops(a, b):
            if op == "equal":
                out.extend(_make_runs(b[b0:b1]))
                continue
            if a1 > a0:
                out.append(self.marks.wrap("del", _make_runs(a[a0:a1])))
            if b1 > b0:
                out.append(self.marks.wrap("ins", _make_runs(b[b0:b1])))
        return out


# --- paragraph marks: where a paragraph is inserted or deleted, which mark says so
#
# Word keeps a paragraph's properties in its mark, and removing a mark (accepting
# its deletion, rejecting its insertion) joins the paragraph with the next one.
# The last paragraph of a table cell (or of the body) cannot be joined with
# anything, so its mark must stay in both versions: paragraphs added or removed
# at the end of a cell are marked as Word marks text typed after the paragraph
# before them (that paragraph's mark is the inserted one). And as Word and
# LibreOffice do not agree on whose properties a joined paragraph keeps, every
# paragraph gets the properties of the paragraph it ends up in, in each version.


@dataclass
class _Para:
    """A paragraph of a container: its mark's state and properties in each version."""

    element: _El
    state: str  # keep, ins or del
    new: _El | None  # the properties (pPr without the mark and revisions) in each version
    old: _El | None


def _props(ppr: _El | None) -> _El:
    """Return paragraph properties without the mark's run properties and revisions."""
    out = etree.Element(f"{_W}pPr")
    for child in ppr if ppr is not None else []:
        if child.tag not in (f"{_W}rPr", f"{_W}pPrChange"):
            out.append(copy.deepcopy(child))
    return out


def _para(element: _El) -> _Para:
    ppr = element.find(f"{_W}pPr")
    mark = element.find(f"{_W}pPr/{_W}rPr")
    state = "keep"
    if mark is not None and mark.find(f"{_W}ins") is not None:
        state = "ins"
    elif mark is not None and mark.find(f"{_W}del") is not None:
        state = "del"
    change = element.find(f"{_W}pPr/{_W}pPrChange/{_W}pPr")
    now = _props(ppr)
    before = _props(change) if change is not None else now
    return _Para(
        element, state, now if state != "del" else None, before if state != "ins" else None
    )


def _same(a: _El, b: _El) -> bool:
    return etree.tostring(a, method="c14n") == etree.tostring(b, method="c14n")


def _set_mark(element: _El, state: str, marks: _Marks) -> None:
    ppr = element.find(f"{_W}pPr")
    if ppr is None:
        ppr = etree.Element(f"{_W}pPr")
        element.insert(0, ppr)
    rpr = ppr.find(f"{_W}rPr")
    if rpr is not None:
        for old in rpr.findall(f"{_W}ins") + rpr.findall(f"{_W}del"):
            rpr.remove(old)
    if state != "keep":
        marks.paragraph_mark(element, state)


def _set_props(element: _El, new: _El, old: _El, marks: _Marks) -> None:
    """Give a paragraph the properties ``new``, and ``old`` as its revision where they differ."""
    ppr = element.find(f"{_W}pPr")
    rpr = ppr.find(f"{_W}rPr") if ppr is not None else None
    if ppr is not None:
        element.remove(ppr)
    ppr = copy.deepcopy(new)
    if rpr is not None and len(rpr):
        ppr.append(rpr)
    if not _same(new, old):
        change = marks.make("pPrChange")
        change.append(copy.deepcopy(old))
        ppr.append(change)
    if len(ppr):
        element.insert(0, ppr)


def _merge(deleted: _El, inserted: _El) -> _El:
    """Return one paragraph holding the deleted runs of one and the inserted runs of another."""
    out = etree.Element(f"{_W}p")
    ppr = inserted.find(f"{_W}pPr")
    if ppr is not None:
        out.append(copy.deepcopy(ppr))
    for source in (deleted, inserted):
        out.extend(copy.deepcopy(c) for c in source if c.tag != f"{_W}pPr")
    return out


def _anchor_end(paras: list[_Para]) -> list[_Para] | None:
    """Return ``paras`` with the last mark kept in both versions, or None when it cannot be."""
    tail = len(paras)
    while tail and paras[tail - 1].state != "keep":
        tail -= 1
    if tail == len(paras):
        return paras
    if tail:  # the paragraph before takes the first change's mark, each the next one's
        states = [p.state for p in paras[tail - 1 :]]
        for para, state in zip(paras[tail - 1 :], states[1:] + ["keep"], strict=True):
            para.state = state
        return paras
    last_del = max((i for i, p in enumerate(paras) if p.state == "del"), default=None)
    last_ins = max((i for i, p in enumerate(paras) if p.state == "ins"), default=None)
    if last_del is None or last_ins is None:
        return None
    merged = _Para(
        _merge(paras[last_del].element, paras[last_ins].element),
        "keep",
        paras[last_ins].new,
        paras[last_del].old,
    )
    rest = [p for i, p in enumerate(paras) if i not in (last_del, last_ins)]
    return rest + [merged]


def _views(paras: list[_Para], keeps: tuple[str, str], props: list[_El]) -> list[_El] | None:
    """Return, for each paragraph, the properties of the paragraph it ends up in in one version."""
    out: list[_El] = []
    group = 0
    for para in paras:
        if group >= len(props):
            return None
        out.append(props[group])
        if para.state in keeps:
            group += 1
    return out if group == len(props) else None


def _settle_run(elements: list[_El], marks: _Marks) -> list[_El]:
    """Return a run of paragraphs (between tables) with its marks and properties settled."""
    paras = [_para(e) for e in elements]
    if all(p.state == "keep" for p in paras):
        return elements
    new_props = [p.new for p in paras if p.new is not None]
    old_props = [p.old for p in paras if p.old is not None]
    anchored = _anchor_end(paras)
    if anchored is None:
        return elements
    accepted = _views(anchored, ("keep", "ins"), new_props)
    rejected = _views(anchored, ("keep", "del"), old_props)
    if accepted is None or rejected is None:
        return elements
    for para, new, old in zip(anchored, accepted, rejected, strict=True):
        _set_mark(para.element, para.state, marks)
        _set_props(para.element, new, old, marks)
    return [p.element for p in anchored]


def settle(blocks: list[_El], marks: _Marks) -> list[_El]:
    """Return the blocks of a container (the body, a cell) with their paragraph marks settled.

    Each run of paragraphs between tables is settled on its own: its last
    paragraph, before a table or at the end of the cell, cannot be joined with
    what follows, so it keeps its mark in both versions.
    """
    out: list[_El] = []
    run: list[_El] = []
    for block in blocks:
        if block.tag == f"{_W}p":
            run.append(block)
            continue
        out += _settle_run(run, marks) if run else []
        run = []
        out.append(block)
    out += _settle_run(run, marks) if run else []
    return out


class RedlineRenderer:
    """Render the new version of a document with its changes as tracked changes."""

    def __init__(self, templates: TemplateSet, *, author: str, date: dt.date):
        self.docx = DocxRenderer(templates)
        self.author = author
        self.date = date

    def document_xml(self, old: DocumentView, new: DocumentView) -> bytes:
        """Return word/document.xml of ``new`` with the changes against ``old`` marked."""
        old_root = etree.fromstring(self.docx.document_xml(old))
        new_root = etree.fromstring(self.docx.document_xml(new))
        old_body, new_body = old_root.find(f"{_W}body"), new_root.find(f"{_W}body")
        assert old_body is not None and new_body is not None
        section = new_body.find(f"{_W}sectPr")
        before = [c for c in old_body if c.tag != f"{_W}sectPr"]
        after = [c for c in new_body if c.tag != f"{_W}sectPr"]
        marks = _Marks(self.author, self.date)
        blocks = settle(list(_Redline(marks).blocks(before, after)), marks)
        for child in list(new_body):
            new_body.remove(child)
        new_body.extend(blocks)
        if section is not None:
            new_body.append(section)
        marks.number(new_body)
        return etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def render(self, old: DocumentView, new: DocumentView) -> bytes:
        """Return the DOCX of ``new`` with the changes against ``old`` as Word revisions."""
        return self.docx.package(new, self.document_xml(old, new))
