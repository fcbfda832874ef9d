"""Read the general part: its fields by their labels (any order, any form), and its prose."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.importer.extract import Document, Item, Joiner
from ametijuhend_cli.importer.lexicon import Lexicon
from ametijuhend_cli.importer.match import UnitMatch, UnitMatcher
from ametijuhend_cli.importer.outline import ParseError, Section

#: a label's number standing alone, in a cell of its own ("1.1", "1.1.")
_NUMBER_ONLY = re.compile(r"^\d+(?:\.\d+)+\.?$|^\d+\.$")
_LABEL_NUMBER = re.compile(r"^(\d+)\.(\d+)(\.)?\s*")
#: fields whose value may name several people or positions
PEOPLE = ("substituted_by", "substitutes", "subordinates")


@dataclass
class Label:
    """A label as the document writes it."""

    field: str
    written: str
    number: str | None
    #: the value follows on the same line after a colon
    colon: bool = False


@dataclass
class _Group:
    """Labels and the values under (or beside) them."""

    labels: list[Label]
    values: list[Item]
    start: Item
    inline: bool = False
    #: the labels stand one under another, the values after all of them (PDF text order)
    stacked: bool = False


@dataclass
class General:
    """The fields of the general part, as the document writes them, and its form."""

    values: dict[str, str] = field(default_factory=dict)
    unit: UnitMatch | None = None
    notes: list[Message] = field(default_factory=list)
    #: the labels as written, by field, in document order
    labels: dict[str, Label] = field(default_factory=dict)
    #: paragraphs of prose (no label)
    paragraphs: list[str] = field(default_factory=list)
    #: where the paragraphs stand among the labels when they are numbered with them
    #: ('1.3. Ametikoha kood: 4521' between 1.2 and 1.4): how many labels come before
    #: them (their numbers taken off); None: they are not numbered with the labels
    paragraphs_at: int | None = None
    #: fields written as a sentence of a layout ('Töötaja vahetu juht on {value}.')
    prose: dict[str, str] = field(default_factory=dict)
    #: rows (labels over values), table (label beside value), lines ('Label: value')
    form: str = "lines"
    columns: int = 2
    #: how the field order reads: the rows of a 'rows' form
    rows: list[list[str]] = field(default_factory=list)

    @property
    def numbered(self) -> bool:
        """Return whether the labels are numbered (1.1, 1.2 …)."""
        return any(label.number for label in self.labels.values())

    @property
    def item_style(self) -> str | None:
        """Return how the labels are numbered: '{section}.{n}' or '{section}.{n}.'."""
        numbers = [label.number for label in self.labels.values() if label.number]
        if not numbers:
            return None
        dotted = sum(n.endswith(".") for n in numbers)
        return "{section}.{n}." if dotted * 2 > len(numbers) else "{section}.{n}"

    @property
    def line(self) -> str:
        """Return the line template of the 'lines' form: '{label}: {value}' or '{label} {value}'."""
        colons = sum(label.colon for label in self.labels.values())
        return "{label}: {value}" if colons * 2 >= max(1, len(self.labels)) else "{label} {value}"


def _read_labels(text: str, lexicon: Lexicon, seen: set[str]) -> tuple[list[Label], str | None]:
    """Return the labels a line begins with and the value after them on the line, if any.

    "1.1 Ametinimetus 1.2 Struktuuriüksus" is two labels; "Vahetu juht: Juhataja" and
    "1.1. Ametikoha nimetus Lastekaitsespetsialist" a label and its value.
    """
    found: list[Label] = []
    rest = text.strip()
    while rest:
        start = lexicon.label_start(rest)
        if start is None or start[0] in seen or any(f.field == start[0] for f in found):
            break
        key, end = start
        m = _LABEL_NUMBER.match(rest)
        number = m.group(0).strip() if m else None
        written = rest[m.end() if m else 0 : end].strip()
        rest = rest[end:].lstrip()
        label = Label(key, written, number)
        found.append(label)
        if rest.startswith(":"):
            label.colon = True
            value = rest[1:].strip()
            return found, value or None
    if found and rest:
        if len(found) > 1:  # several labels and then text: no labels after all
            return [], None
        return found, rest
    return found, None


def _continues(group: _Group, item: Item, document: Document) -> bool:
    """Return whether ``item`` (no label) continues the value of ``group``."""
    if not group.values:
        return True
    last = group.values[-1]
    if item.cell is not None:
        if last.cell == item.cell:
            return True
        blocks = len({v.cell for v in group.values})
        return blocks < len(group.labels)
    if not document.lines or _LABEL_NUMBER.match(item.text):
        return False  # a line numbered as the fields are ('1.3. Ametikoha kood: …') is new
    if len(group.labels) > 1:
        return True
    return not (last.text.rstrip().endswith((".", "!", "?")) and item.text[:1].isupper())


def _prose(item: Item, lexicon: Lexicon, general: General) -> bool:
    """Read a field written as a layout's sentence ('Töötajat asendab …'); return whether it is."""
    for prose in lexicon.prose:
        m = prose.pattern.fullmatch(item.text.strip())
        if m is not None and prose.field not in general.values:
            general.values[prose.field] = m.group("value").strip()
            general.prose[prose.field] = prose.template
            return True
    return False


class _Reader:
    """Reads the items of a general part into label groups, sentences and paragraphs."""

    def __init__(self, lexicon: Lexicon, document: Document, general: General):
        self.lexicon = lexicon
        self.document = document
        self.general = general
        self.seen: set[str] = set()
        self.groups: list[_Group] = []
        self.prose: list[list[Item]] = []
        #: how many labels came before the first paragraph
        self.prose_at = 0
        #: a label's number read from a cell of its own, for the label in the next cell
        self.number: str | None = None

    def read(self, item: Item) -> None:
        if (item.cell is not None or self.document.lines) and _NUMBER_ONLY.match(item.text):
            self.number = item.text.strip()
            return
        if _prose(item, self.lexicon, self.general):
            return
        labels, inline = _read_labels(item.text, self.lexicon, self.seen)
        if labels:
            self._labels(item, labels, inline)
        else:
            self._text(item)

    def _labels(self, item: Item, labels: list[Label], inline: str | None) -> None:
        if self.number is not None and labels[0].number is None:
            labels[0].number = self.number
        self.number = None
        self.seen.update(label.field for label in labels)
        values = [Item(inline, cell=item.cell, number=item.number)] if inline else []
        last = self.groups[-1] if self.groups else None
        waiting = last is not None and not last.values and not inline
        if waiting and last is not None and _same_row(last.start, item):
            last.labels.extend(labels)  # labels one under another, or in a row of cells
            last.stacked = last.stacked or item.cell is None
        else:
            self.groups.append(_Group(labels, values, item, inline=bool(inline)))

    def _text(self, item: Item) -> None:
        if self.groups and _continues(self.groups[-1], item, self.document):
            self.groups[-1].values.append(item)
        elif (
            self.prose
            and self.document.lines
            and not item.gap
            and _paragraph_goes_on(self.prose[-1], item)
        ):
            self.prose[-1].append(item)
        else:
            if not self.prose:
                self.prose_at = len(self.seen)
            self.prose.append([item])


def _numbered_paragraphs(general: General, at: int) -> None:
    """Take the numbers off paragraphs numbered with the labels ('1.3. Ametikoha kood: 4521'
    among '1.2. Struktuuriüksus: …' and '1.5. Vahetu juht: …'), and note where they stand."""
    numbers = [_LABEL_NUMBER.match(p) for p in general.paragraphs]
    if not general.paragraphs or not general.numbered or None in numbers:
        return
    general.paragraphs = [
        p[m.end() :] for p, m in zip(general.paragraphs, numbers, strict=True) if m
    ]
    general.paragraphs_at = at


def _same_row(first: Item, item: Item) -> bool:
    """Return whether a label-only ``item`` belongs with the labels of ``first`` (the values
    come after all of them): lines of text, or cells of one table row."""
    if item.cell is None:
        return first.cell is None
    return first.cell is not None and first.cell[:2] == item.cell[:2]


def parse_general(
    section: Section, lexicon: Lexicon, document: Document, joiner: Joiner, units: UnitMatcher
) -> General:
    """Return the fields of the general part by their labels, its prose and its form."""
    general = General()
    reader = _Reader(lexicon, document, general)
    for item in section.items:
        reader.read(item)
    general.paragraphs = [joiner.join(i.text for i in p) for p in reader.prose]
    for group in reader.groups:
        _assign(general, group, section, document, joiner, units)
    _numbered_paragraphs(general, reader.prose_at)
    general.form, general.columns = _form(reader.groups, general)
    general.rows = [[label.field for label in g.labels] for g in reader.groups]
    if not general.values and not general.paragraphs:
        raise ParseError(section.title, msg("the general part is empty"), section.start)
    return general


def _paragraph_goes_on(lines: list[Item], item: Item) -> bool:
    """Return whether a line of text continues the paragraph before it."""
    last = lines[-1].text.rstrip()
    if _LABEL_NUMBER.match(item.text):
        return False
    return not (last.endswith((".", "!", "?", ":")) and item.text[:1].isupper())


def _form(groups: list[_Group], general: General) -> tuple[str, int]:
    """Return the form of the general part (rows, table or lines) and its table's columns."""
    if not groups:
        return "lines", 2
    if any(len(g.labels) > 1 for g in groups):
        return "rows", 2
    cells = [g.start.cell for g in groups if g.start.cell is not None]
    if cells:
        numbered = any(
            g.labels[0].number and g.start.text.strip() == g.labels[0].written for g in groups
        )
        return "table", 3 if numbered else 2
    if all(g.inline for g in groups):
        return "lines", 2
    return "table", 3 if general.numbered else 2


def _blocks(items: list[Item], document: Document) -> list[list[Item]]:
    """Return the values cut where a table cell, paragraph or blank line ends them."""
    blocks: list[list[Item]] = []
    for item in items:
        new = not blocks
        if item.cell is not None:
            new = new or blocks[-1][-1].cell != item.cell
        elif document.lines:
            new = new or item.gap
        else:
            new = True
        if new:
            blocks.append([item])
        else:
            blocks[-1].append(item)
    return blocks


def _same_word(a: str, b: str) -> bool:
    a, b = a.casefold().strip(",.;:()"), b.casefold().strip(",.;:()")
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3


def _similarity(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    return sum(_same_word(x, y) for x, y in zip(a, b, strict=False)) / max(len(a), len(b))


def _split_people(
    words: list[str], starts: set[int], breaks: set[int]
) -> tuple[list[list[str]], float] | None:
    """Return manager, substituted_by, substitutes cut from one run of words.

    ``starts`` are word indexes where a table cell or block begins (each must be a cut);
    ``breaks`` where a line begins (a cut there is likelier). "Kes asendab" and "Keda
    asendab" usually name the same people in two grammatical cases, so the cut that
    makes the last two parts most alike wins.
    """
    best: tuple[tuple[float, int, int, int], int, int] | None = None
    for i in range(1, len(words) - 1):
        for j in range(i + 1, len(words)):
            if not starts <= {i, j}:
                continue
            a, b, c = words[:i], words[i:j], words[j:]
            score = (
                _similarity(b, c),
                (i in breaks)
                + (j in breaks)
                + (not a[-1].endswith(","))
                + (not b[-1].endswith(",")),
                -abs(len(b) - len(c)),
                -i,
            )
            if best is None or score > best[0]:
                best = (score, i, j)
    if best is None:  # too few words, or the cells cannot be cut in three
        return None
    _, i, j = best
    return [words[:i], words[i:j], words[j:]], best[0][0]


def _words(blocks: list[list[Item]], joiner: Joiner) -> tuple[list[str], set[int], set[int]]:
    words: list[str] = []
    starts: set[int] = set()
    breaks: set[int] = set()
    for b, block in enumerate(blocks):
        if b:
            starts.add(len(words))
        for line in block:
            breaks.add(len(words))
            words += joiner.join([line.text]).split()
    return words, starts, breaks


def _assign(
    general: General,
    group: _Group,
    section: Section,
    document: Document,
    joiner: Joiner,
    units: UnitMatcher,
) -> None:
    """Give the labels of ``group`` their values (several labels share the lines below them)."""
    keys = [label.field for label in group.labels]
    for label in group.labels:
        general.labels[label.field] = label
    blocks = _blocks(group.values, document)
    lines = [i for b in blocks for i in b]
    if not lines:
        general.notes.append(
            msg(
                "no value for {labels}",
                labels=", ".join(f"'{label.written}'" for label in group.labels),
            )
        )
        return
    if len(keys) == 1:
        parts = [joiner.join(i.text for i in lines)]
    elif len(blocks) == len(keys):
        parts = [joiner.join(i.text for i in b) for b in blocks]
    elif len(lines) == len(keys) and document.lines and group.stacked:
        parts = [joiner.join([i.text]) for i in lines]
    else:
        parts = _split(general, group, blocks, section, joiner, units)
    for key, value in zip(keys, parts, strict=True):
        general.values[key] = value
    if "unit" in keys and general.unit is None:
        general.unit = units.match(general.values["unit"])


def _split(
    general: General,
    group: _Group,
    blocks: list[list[Item]],
    section: Section,
    joiner: Joiner,
    units: UnitMatcher,
) -> list[str]:
    """Return the values of several labels cut from one run of words (a table row's text)."""
    keys = [label.field for label in group.labels]
    names = ", ".join(f"'{label.written}'" for label in group.labels)
    words, starts, breaks = _words(blocks, joiner)
    if keys == ["title", "unit"] and len(words) >= 2:
        return _split_title(words, units, general)
    if keys == ["manager", "substituted_by", "substitutes"] and len(words) >= 3:
        found = _split_people(words, starts, breaks)
        if found is not None:
            cut, alike = found
            parts = [" ".join(p) for p in cut]
            if alike < 0.5:
                general.notes.append(
                    msg(
                        "check {names}: told apart from one table row as {parts}",
                        names=names,
                        parts=" | ".join(repr(p) for p in parts),
                    )
                )
            return parts
    raise ParseError(
        section.title,
        msg("cannot tell the values of {names} apart", names=names),
        group.start,
        msg("put each value in its own table cell or on its own line"),
    )


def _split_title(words: list[str], units: UnitMatcher, general: General) -> list[str]:
    """Return title and unit cut from one run of words by finding the unit's name."""
    best: tuple[int, int] | None = None
    for k in range(1, len(words)):
        found = units.match(" ".join(words[k:]))
        if found is not None and (best is None or found.letters < best[0]):
            best = (found.letters, k)
    if best is None:
        k = next((i for i in range(1, len(words)) if words[i][:1].isupper()), 1)
        general.notes.append(
            msg(
                "check title and unit: no unit of organization.yaml found in '{text}'; read the "
                "title as '{title}'",
                text=" ".join(words),
                title=" ".join(words[:k]),
            )
        )
    else:
        k = best[1]
    return [" ".join(words[:k]), " ".join(words[k:])]
