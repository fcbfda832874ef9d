"""Tell the lines of a job description's end: signatures, labels, names, the acknowledgement."""

from __future__ import annotations

import re

from ametijuhend_cli.importer.extract import Item
from ametijuhend_cli.importer.lexicon import Lexicon, norm

#: A label over a signature or a line to fill in is a few words ending in a colon.
_LABEL_WORDS = 6
#: A person's name: two to four words, each capitalized ("Mari Tamm", "Ann-Mari Kask").
_NAME = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*(?:\s+[^\W\d_][^\W\d_'’-]*){1,3}$")
#: An acknowledgement is a sentence, not a page.
_ACKNOWLEDGEMENT_WORDS = 30
#: The kinds of end lines the end block may begin with.
ANCHORS = ("mark", "acknowledgement", "label", "name")


def is_mark(item: Item, lexicon: Lexicon) -> bool:
    """Return whether ``item`` begins with fixed wording of an end block (the parties' heading,
    a party's label, the digital signature's mark, the known acknowledgement)."""
    folded = " ".join(item.text.casefold().split())
    return any(folded.startswith(label) for label in lexicon.signature_marks)


def is_acknowledgement(text: str, lexicon: Lexicon) -> bool:
    """Return whether ``text`` is the employee's acknowledgement, however worded."""
    folded = norm(text.rstrip(" _.…"))
    if folded in {a.rstrip(" .") for a in lexicon.acknowledgements}:
        return True
    words = folded.split()
    return len(words) <= _ACKNOWLEDGEMENT_WORDS and any(
        stem in word for word in words for stem in lexicon.acknowledgement_words
    )


def label_of(text: str) -> str | None:
    """Return the label a line begins with ('Tööandja:' of 'Tööandja: Mari Tamm'), or None."""
    head, colon, _ = text.partition(":")
    words = head.split()
    if not colon or not words or len(words) > _LABEL_WORDS or any(c.isdigit() for c in head):
        return None
    return head.strip() + ":"


def is_name(text: str) -> bool:
    """Return whether ``text`` reads as a person's name."""
    words = text.split()
    return bool(_NAME.match(text.strip())) and all(w[:1].isupper() for w in words)


def end_kind(item: Item, lexicon: Lexicon) -> str | None:
    """Return what line of an end block ``item`` can be: a mark, the acknowledgement, a label,
    a name, a title (a few words without a full stop), or None (it is body text)."""
    text = item.text.strip()
    if item.bullet or not text:
        return None
    if is_mark(item, lexicon):
        return "mark"
    if is_acknowledgement(text, lexicon):
        return "acknowledgement"
    if _signature_label(text, lexicon):
        return "label"
    if text.endswith((".", ";", ",", "!", "?")) or re.match(r"^\d", text):
        return None
    if is_name(text):
        return "name"
    return "title" if len(text.split()) <= _LABEL_WORDS else None


def _signature_label(text: str, lexicon: Lexicon) -> bool:
    """Return whether ``text`` is a label over a signature or a line to fill in ('Linnapea:',
    'Tööandja: Mari Tamm, direktor'); the labels of the general part and of the requirements
    are no such labels."""
    label = label_of(text)
    if label is None or lexicon.label_start(text) is not None:
        return False
    if any(norm(label) == norm(known) for labels in lexicon.requirement_labels.values()
           for known in labels):  # fmt: skip
        return False
    value = text[len(label) :].strip()
    if not value:
        return True
    name = value.split(",")[0].strip()
    # the name, or a title before it ('Kinnitan: direktor Jaan Tamm')
    tail = " ".join(name.split()[-2:])
    titled = len(name.split()) > 2 and is_name(tail) and name[:1].islower()
    return is_name(name) or titled or lexicon.signed_mark in value.casefold()


def end_start(items: list[Item], lexicon: Lexicon) -> int | None:
    """Return where the end block begins among the last items of a document (None: none).

    The end block is the run of end lines the document ends with, from its
    first mark, acknowledgement, label or name: what comes before it (a title
    line, the last row of a table) is the body's.
    """
    start = len(items)
    while start > 0 and end_kind(items[start - 1], lexicon) is not None:
        start -= 1
    for i in range(start, len(items)):
        kind = end_kind(items[i], lexicon)
        if kind in ANCHORS:
            row = _row_start(items, i)
            # the signature table's row above, its parties' labels without a colon
            # ('Tööandja esindaja' | 'Teenistuja'), is the end block's too
            above = _row_start(items, row - 1) if row > start else row
            if above >= start and _same_table_row_before(items, above, row):
                return above
            # and in text, the line of those labels over the marks of a two-column table
            # run into lines ('(allkirjastatud digitaalselt) (allkirjastatud digitaalselt)')
            twice = " ".join(items[row].text.casefold().split()).count(lexicon.signed_mark) == 2
            if twice and row > start and _labels_line(items[row - 1], lexicon):
                return row - 1
            return row
    return None


def _labels_line(item: Item, lexicon: Lexicon) -> bool:
    """Return whether ``item`` is a line of a few words, no label with a value, that can
    head the signatures ('Tööandja esindaja Teenistuja')."""
    return item.cell is None and ":" not in item.text and end_kind(item, lexicon) == "title"


def _same_table_row_before(items: list[Item], above: int, row: int) -> bool:
    """Return whether the items from ``above`` to ``row`` are the table row right before
    the row starting at ``row``."""
    first, cell = items[above].cell, items[row].cell
    return (
        above < row
        and first is not None
        and cell is not None
        and first[0] == cell[0]
        and first[1] == cell[1] - 1
    )


def _row_start(items: list[Item], i: int) -> int:
    """Return where the table row of ``items[i]`` begins (a signature table from its start)."""
    cell = items[i].cell
    if cell is None:
        return i
    while i > 0:
        before = items[i - 1].cell
        if before is None or before[:2] != cell[:2]:
            break
        i -= 1
    return i
