"""Find the sections of a job description: by their headings, however numbered and written."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ametijuhend_cli.errors import AmetijuhendError, Message, msg, verbatim
from ametijuhend_cli.importer.closing import end_start, is_mark
from ametijuhend_cli.importer.extract import Document, Item
from ametijuhend_cli.importer.lexicon import SECTION_KEYS, Lexicon, norm
from ametijuhend_cli.messages import excerpt

#: Without these a document is not read at all: the fields of the general part
#: (or their labels) and the tasks. The other sections may be missing (a
#: document cut short, a small institution's): the report names them.
REQUIRED = ("general", "tasks")
#: The sections a complete job description of the standard kind has.
USUAL = ("general", "purpose", "tasks", "requirements")
# "2.", "2", "2.Üldsätted": an arabic section number (never "2.1")
_ARABIC = re.compile(r"^(\d{1,2})(\.)?(?=\s|[^\W\d_])\s*")
# "II ", "II.": a Roman section number before a word
_ROMAN = re.compile(r"^([IVX]{1,5})(?:(\.)\s*|\s+)(?=[^\W\d_a-zõäöüšž])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
#: A paragraph all in bold of at most this many words is a heading as Word users make one.
_BOLD_HEADING_WORDS = 12
# a run of words in capitals at the start of a line ("TEENISTUSKOHA EESMÄRK 2.1. …")
_CAPITALS = re.compile(r"^[^\W\da-zõäöüšž]+(?:[ -]+[^\W\da-zõäöüšž]+)*(?=$|[\s:.])")


class ParseError(AmetijuhendError):
    """The importer lost track of the document; says where."""

    def __init__(
        self, where: str, message: Message, item: Item | None = None, hint: Message | None = None
    ):
        self.where = where
        self.item = item
        self.hint = hint
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (ParseError, (self.where, self.message, self.item, self.hint))


@dataclass(frozen=True)
class Kept:
    """Text kept as written where it reads as no known part: where it stands, what became of
    it and why (the import reports it as a warning)."""

    item: Item | None
    message: Message


@dataclass
class Section:
    """The items under one heading."""

    key: str
    number: str | None
    heading: str
    items: list[Item]
    start: Item
    #: how the number is written, as a layout writes it: "{n}.", "{n}", "{roman}" …
    style: str = ""
    #: the heading and the first text share a line ("2. TEENISTUSKOHA EESMÄRK 2.1. …")
    run_in: bool = False
    #: the heading is a line of its own or runs in; False: its words begin the first
    #: sentence ("2. Teenistuskoha eesmärk on …", which is the purpose's text)
    shows_heading: bool = True
    #: how the heading was known: "name", "word" (a word of it), "capitals" (unknown),
    #: "lead-in", "labels" (no heading: the general part's labels), "place"
    how: str = "name"

    @property
    def title(self) -> str:
        """Return the heading as the document writes it, e.g. '4. ÕIGUSED'."""
        if not self.number:
            return self.heading or self.start.text
        dot = "." if self.style.endswith(".") else ""
        return f"{self.number}{dot} {self.heading}"


@dataclass
class Outline:
    """A document cut into its parts."""

    front: list[Item]
    sections: dict[str, Section]
    signatures: list[Item]
    #: sections of the agency's own (key "extra"), in document order
    extras: list[Section] = field(default_factory=list)
    #: which vocabulary (ametnik / töötaja) the wording of the headings belongs to
    votes: Counter[str] = field(default_factory=Counter)
    notes: list[Message] = field(default_factory=list)
    #: the standard sections not there, when the document seems to stop before its end
    cut: list[str] = field(default_factory=list)
    #: text kept as written where it reads as no known part
    kept: list[Kept] = field(default_factory=list)

    def ordered(self) -> list[Section]:
        """Return every section, the agency's own too, in document order."""
        return sorted([*self.sections.values(), *self.extras], key=lambda s: s.start.number)


@dataclass(frozen=True)
class Heading:
    """A line found to be a section heading."""

    number: str | None
    value: int | None
    style: str
    heading: str
    #: the section, "" for a heading of the agency's own
    key: str
    employment: str | None
    #: the text after the heading on the same line
    rest: str
    how: str
    #: the heading's words begin a sentence that goes on ("Teenistuskoha eesmärk on …")
    sentence: bool = False


#: The sections a table's first-column cell may head, its list beside it.
_CELL_SECTIONS = frozenset({"tasks", "rights", "responsibilities", "work_tools", "amendment"})


def _same_row(cell: tuple[int, int, int] | None, other: tuple[int, int, int]) -> bool:
    """Return whether ``cell`` stands in the table row of ``other``."""
    return cell is not None and cell[:2] == other[:2]


def roman_value(text: str) -> int | None:
    """Return the value of a Roman number ('XIV' → 14), or None when it is not one."""
    values = [_ROMAN_VALUES.get(c) for c in text]
    if not values or None in values:
        return None
    total = 0
    for i, v in enumerate(values):
        assert v is not None
        nxt = values[i + 1] if i + 1 < len(values) else 0
        total += -v if nxt is not None and v < nxt else v
    return total if 0 < total < 40 else None


def section_number(item: Item) -> tuple[str | None, int | None, str, str]:
    """Return the section number of a line as written, its value, its style and the rest."""
    text = item.text
    m = _ARABIC.match(text)
    if m is not None:
        return m.group(1), int(m.group(1)), "{n}." if m.group(2) else "{n}", text[m.end() :]
    m = _ROMAN.match(text)
    if m is not None and (value := roman_value(m.group(1))) is not None:
        return m.group(1), value, "{roman}." if m.group(2) else "{roman}", text[m.end() :]
    label = item.label.strip()
    if label:  # a number Word draws from its list numbering
        m = re.fullmatch(r"(\d{1,2})(\.)?", label)
        if m is not None:
            return m.group(1), int(m.group(1)), "{n}." if m.group(2) else "{n}", text
        m = re.fullmatch(r"([IVX]{1,5})(\.)?", label)
        if m is not None and (value := roman_value(m.group(1))) is not None:
            return m.group(1), value, "{roman}." if m.group(2) else "{roman}", text
    return None, None, "", text


@dataclass(frozen=True)
class _Line:
    """A line read for a heading: its number and what follows it."""

    number: str | None
    value: int | None
    style: str
    body: str
    #: the line is numbered as the next section
    next: bool
    #: a list item (a bullet, not a numbered heading) or styled as a heading in Word
    listed: bool
    styled: bool
    #: the next line is the first item numbered under it ('5. Lõppsätted', then '5.1. …')
    opens: bool = False
    #: a line of text with a blank line before and after it
    alone: bool = False

    def heading(
        self, written: str, key: str, rest: str, how: str, employment: str | None = None
    ) -> Heading:
        """Return the heading this line is, as ``written``, of section ``key``."""
        after = self.body[len(written) :].lstrip()
        sentence = bool(rest) and rest[:1].islower() and not after.startswith(":")
        return Heading(
            self.number, self.value, self.style, written, key, employment, rest, how, sentence
        )


def find_heading(
    item: Item, lexicon: Lexicon, expected: int, following: Item | None = None
) -> Heading | None:
    """Return the heading ``item`` is (or begins with), or None.

    A line is a heading when it begins with a heading the wording knows (numbered,
    styled as a heading, or standing alone), when its first words in capitals or,
    numbered as the next section, its first words hold a word of a section's
    heading ("2. Teenistuskoha eesmärk on …"), or when it is a numbered line in
    capitals, or a short one numbered as the next section, styled as a heading or
    followed by its first item ('5. Lõppsätted', then '5.1. …'): a section of the
    agency's own. ``following`` is the line after ``item``.
    """
    if item.cell is not None or len(item.text) > 2000:
        return None
    number, value, style, body = section_number(item)
    if not body.strip():
        return None
    line = _Line(
        number,
        value,
        style,
        body,
        number is not None and value == expected,
        item.bullet and number is None,
        item.heading or (item.bold and len(item.text.split()) <= _BOLD_HEADING_WORDS),
        following is not None
        and number is not None
        and following.text.lstrip().startswith(f"{number}.1")
        and following.text.lstrip()[len(number) + 2 : len(number) + 3] in (".", " ", ""),
        item.gap and following is not None and following.gap,
    )
    found = _known(line, lexicon)
    if found is None and (line.styled or not line.listed):
        found = _capitals(line, lexicon) or _sentence(line, lexicon) or _styled(line)
    return found


#: A heading of the document's own is a few words.
_OWN_HEADING_WORDS = 6


def _styled(line: _Line) -> Heading | None:
    """Return the heading of the agency's own a short line is that is numbered as the next
    section and bold, styled as a heading in Word or followed by its first item ('5
    Lõppsätted', then '5.1. …'); an unnumbered one is a heading inside a section ('Tööks
    vajalikud kompetentsid' in the requirements)."""
    body = line.body.strip()
    words = body.split()
    if not ((line.styled or line.opens) and line.next) or not words:
        return None
    if len(words) > _OWN_HEADING_WORDS or not body[:1].isupper():
        return None
    if body.endswith((".", ":", ";", ",")):
        return None
    return line.heading(body, "", "", "capitals")


def _known(line: _Line, lexicon: Lexicon) -> Heading | None:
    """Return the heading of a line that begins with a heading the wording knows."""
    known = lexicon.heading_start(line.body)
    if known is None:
        return None
    end, heading = known
    body = line.body
    run = _CAPITALS.match(body)
    if run is not None and run.end() > end:  # "VASTUTUS JA VOLITUSED": the whole of it
        end = len(run.group().rstrip(" -"))
    rest = body[end:].lstrip(" .:;,")
    if _joined_heading(body[end:], lexicon):  # 'Õigused ja vastutus': the whole line heads it
        end, rest = len(body.rstrip()), ""
    written = body[:end]
    colon = body[end:].lstrip()[:1] == ":"
    caps = written.upper() == written and any(c.isalpha() for c in written)
    if (not rest and not line.listed) or (rest and (line.next or line.styled or caps or colon)):
        return line.heading(written, heading.key, rest, "name", heading.employment)
    return None


def _joined_heading(after: str, lexicon: Lexicon) -> bool:
    """Return whether ``after`` (what follows a known heading) ends a heading that names more
    sections ('… ja vastutus', '…, kohustused ja vastutus')."""
    listed = after.lstrip().startswith(",")
    rest = after.lstrip(" .:;,")
    words = rest.split()
    if not 2 <= len(words) <= 4 or (words[0].casefold() != "ja" and not listed):
        return False
    if rest.rstrip().endswith((".", ":", ";", ",")):
        return False
    return lexicon.section_word(" ".join(words[1:])) is not None


def _capitals(line: _Line, lexicon: Lexicon) -> Heading | None:
    """Return the heading of a line that begins in capitals: a section's by a word of it,
    or, numbered or styled and alone on its line, a section of the agency's own."""
    run = _CAPITALS.match(line.body)
    if run is None or len(run.group()) < 3:
        return None
    written = run.group().rstrip(" -")
    rest = line.body[run.end() :].lstrip(" .:;,")
    found = lexicon.section_word(written)
    if found is not None:
        return line.heading(written, found[0], rest, "word")
    # numbered, styled, or in text a line of its own between blank lines ('TÖÖAEG')
    if (line.number is not None or line.styled or line.alone) and len(written) <= 80 and not rest:
        return line.heading(written, "", "", "capitals")
    return None


def _sentence(line: _Line, lexicon: Lexicon) -> Heading | None:
    """Return the heading of the next section's numbered line whose first words hold a word
    of a section's heading ("2. Teenistuskoha eesmärk on …")."""
    if not (line.next or line.styled):
        return None
    words = line.body.split()
    for i, word in enumerate(words[:4]):
        found = lexicon.section_word(word)
        if found is not None:
            written = " ".join(words[: i + 1]).rstrip(":.")
            rest = " ".join(words[i + 1 :]).lstrip(" :")
            return line.heading(written, found[0], rest, "word")
    return None


def _unknown_key(order: list[str]) -> str:
    """Return what an unknown heading is: the tasks by their place, else a section of its own.

    The tasks section has many names (TEENISTUSKOHUSTUSED, TÖÖ- VÕI
    TEENISTUSÜLESANDED …) and comes right after the purpose or the general part.
    """
    if "tasks" not in order and order and order[-1] in ("general", "purpose"):
        return "tasks"
    return "extra"


class _Splitter:
    """Cuts the items of a document at its section headings."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.front: list[Item] = []
        self.sections: dict[str, Section] = {}
        self.extras: list[Section] = []
        self.order: list[str] = []
        self.votes: Counter[str] = Counter()
        self.notes: list[Message] = []
        self.kept: list[Kept] = []
        self.current: Section | None = None
        self.last_number = 0
        #: the table row whose first cell is the current section's heading ('Tööülesanded'
        #: beside its list, in a document written as one table of labels and contents)
        self.cell_row: tuple[int, int] | None = None

    def _in_cell_section(self, item: Item, following: Item | None) -> bool:
        """Read a table row whose first cell is a list section's heading ('Tööülesanded',
        'Õigused' beside their items): the heading, then the row's other cells as the
        section's paragraphs; return whether ``item`` was read so."""
        assert item.cell is not None
        if self.cell_row is not None and item.cell[:2] == self.cell_row and item.cell[2] > 0:
            assert self.current is not None
            self.current.items.append(dataclasses.replace(item, cell=None))
            return True
        self.cell_row = None
        beside = following.cell if following is not None else None
        if item.cell[2] != 0 or beside is None or beside[:2] != item.cell[:2]:
            return False
        text = " ".join(item.text.split()).rstrip(":")
        known = self.lexicon.heading_start(text)
        if known is None or known[0] != len(text) or known[1].key not in _CELL_SECTIONS:
            return False
        key = known[1].key
        if key in self.sections:
            return False
        self.current = Section(key, None, text, [], item, how="cell")
        self.sections[key] = self.current
        self.order.append(key)
        self.cell_row = item.cell[:2]
        return True

    def _field(self, item: Item) -> bool:
        """Return whether ``item`` is a labelled field of the general part ('Eesmärk: …'),
        read before the first section or in the general part."""
        current = self.current
        general = current is None or current.key == "general"
        return general and self.lexicon.label_start(item.text) is not None

    def _again(self, found: Heading | None, item: Item) -> Heading | None:
        """Return ``found``, or None (text) for a word of a heading met before; raise for a
        section's heading met again."""
        if found is None or found.key not in self.sections:
            return found
        earlier = self.sections[found.key]
        if earlier.how == "place" and found.how != "place":
            # an unknown heading was taken for the tasks' by its place: it is a section of
            # the agency's own, and this one is the tasks'
            earlier.key, earlier.how = "extra", "capitals"
            self.extras.append(earlier)
            del self.sections[found.key]
            return found
        same = self.current is not None and self.current.key == found.key
        if same and found.number is None:  # 'Põhiülesanded' heads a column of the tasks
            return None
        if found.how == "name" and self.current is not None:
            # each section once: the second is one of the agency's own, kept as written
            self.kept.append(
                Kept(
                    item,
                    msg(
                        "the heading '{heading}' appears a second time: its section is kept as "
                        "written, as a section of the document's own (extra_sections)",
                        heading=item.text,
                    ),
                )
            )
            return replace(found, key="extra", how="capitals")
        return None

    def read(self, item: Item, following: Item | None = None) -> None:
        if item.cell is not None and self._in_cell_section(item, following):
            return
        found = find_heading(item, self.lexicon, self.last_number + 1, following)
        found = self._again(found, item)
        # "Eesmärk: …" in the general part is its field, not a heading, and so is
        # "5. Eesmärk: …" numbered as a field (5), not as the next section (II)
        if (
            found is not None
            and found.rest
            and (found.number is None or found.value != self.last_number + 1)
            and self._field(item)
        ):
            found = None
        if found is None:
            if self._lead_in(item):
                return
            (self.current.items if self.current is not None else self.front).append(item)
            return
        key = found.key
        if key == "":
            key = _unknown_key(self.order) if self.current is not None else ""
            if not key:  # capitals before the first section: a banner line
                self.front.append(item)
                return
            how = "place" if key == "tasks" else "capitals"
        else:
            how = found.how
        if found.employment:
            self.votes[found.employment] += 1
        if found.value is not None:
            self.last_number = found.value
        section = Section(
            key,
            found.number,
            found.heading.strip(),
            [],
            item,
            style=found.style,
            run_in=bool(found.rest),
            how=how,
        )
        if found.rest:  # the text that shares the heading's line begins the section
            sentence = found.sentence  # "Teenistuskoha eesmärk on …"
            text = f"{found.heading} {found.rest}" if sentence else found.rest
            section.shows_heading = not sentence
            section.items.append(Item(text, cell=item.cell, number=item.number))
        self.current = section
        if key == "extra":
            self.extras.append(section)
        else:
            self.sections[key] = section
            if how == "word":
                self.notes.append(
                    msg(
                        "the heading '{heading}' was read as {names}, by the word it holds",
                        heading=section.title,
                        names=_names(self.lexicon.heading_texts(key)),
                    )
                )
        self.order.append(key)

    def _lead_in(self, item: Item) -> bool:
        """Start the rights or responsibilities at their lead-in, the requirements at their
        first row ('Haridus'), when their heading is missing."""
        if self._requirements(item):
            return True
        intro = self.lexicon.intros.get(norm(item.text))
        if intro is None or self.current is None or item.cell is not None or item.bullet:
            return False
        key = intro[0]
        if key in self.sections or self.current.key == key or not self.current.items:
            return False
        if key in self.lexicon.combined(self.current.heading):
            # 'ÕIGUSED JA VASTUTUS': the second list continues the section its heading names
            self.current = Section(key, None, "", [item], item, how="joined", shows_heading=False)
            self.sections[key] = self.current
            self.order.append(key)
            return True
        heading = self.lexicon.heading_texts(key)[0]
        self.current = Section(key, None, heading, [item], item, how="lead-in", shows_heading=False)
        self.sections[key] = self.current
        self.order.append(key)
        self.notes.append(_found_by(heading, item))
        return True

    def _requirements(self, item: Item) -> bool:
        current = self.current
        if "requirements" in self.sections or current is None:
            return False
        # a table's cell only in a document written as one table ('Haridus' | 'keskharidus')
        if item.cell is not None and (current.how != "cell" or item.cell[2] != 0):
            return False
        if current.key in ("general", "tasks", "requirements") or not current.items:
            return False
        first = norm(item.text)
        labels = [norm(label) for label in self.lexicon.requirement_labels.get("education", [])]
        if not any(first == label or first.startswith(label + " ") for label in labels):
            return False
        heading = self.lexicon.heading_texts("requirements")[0]
        self.current = Section(
            "requirements", None, heading, [item], item, how="lead-in", shows_heading=False
        )
        self.sections["requirements"] = self.current
        self.order.append("requirements")
        self.notes.append(_found_by(heading, item))
        return True

    def by_lead_in(self) -> None:
        """Read an unknown section that opens with the rights' or responsibilities' lead-in."""
        for extra in list(self.extras):
            first = norm(extra.items[0].text) if extra.items else ""
            intro = self.lexicon.intros.get(first)
            if intro is not None and intro[0] not in self.sections:
                key = intro[0]
                self.extras.remove(extra)
                extra.key = key
                self.sections[key] = extra
                wanted = _names(self.lexicon.heading_texts(key))
                self.notes.append(
                    msg(
                        "the heading '{heading}' was read as {names}, by its lead-in",
                        heading=extra.title,
                        names=wanted,
                    )
                )

    def general_by_labels(self) -> None:
        """Read the labels before the first section as the general part when it has no heading.

        Documents without headings start with "Ametinimetus: …" lines.
        """
        if "general" in self.sections:
            return
        start = next(
            (i for i, item in enumerate(self.front) if self.lexicon.label_start(item.text)),
            None,
        )
        if start is None:
            return
        # a table's row starts with the label's number ("1.1." | Ametikoht | …): the row's
        # cells before the label are the general part's too
        cell = self.front[start].cell
        while start and cell is not None and _same_row(self.front[start - 1].cell, cell):
            start -= 1
        items = self.front[start:]
        del self.front[start:]
        self.sections["general"] = Section("general", None, "", items, items[0], how="labels")
        self.order.insert(0, "general")

    def missing(self, document: Document) -> None:
        """Raise ParseError when a section without which nothing can be read is not there."""
        missing = [k for k in REQUIRED if k not in self.sections]
        if not missing:
            return
        found = [s.title for s in sorted(self._all(), key=lambda s: s.start.number)]
        key = missing[0]
        wanted = _names(self.lexicon.heading_texts(key))
        end = _ends_at(document)
        if key == "general":
            message = (
                msg("no section headings found: expected {names} first", names=wanted)
                if not found
                else msg(
                    "neither the section {names} nor the labels of its fields found", names=wanted
                )
            )
        else:
            message = msg(
                "no tasks found: the section {names} is not there{end}", names=wanted, end=end
            )
        raise ParseError(
            found[0] if found else str(msg("start of the document")),
            message,
            min(self._all(), key=lambda s: s.start.number).start if found else None,
            msg(
                "the importer finds the sections by their headings, numbered (1., 1, I) or "
                "not, or the general part by its labels ({labels} …); headings found: {found}; "
                "a heading of the agency's own goes in templates/wording.yaml under "
                "importer.headings (e.g. tasks: [AMETIKOHA ÜLESANDED])",
                labels=", ".join(self.lexicon.labels.get("title", [])[:2]),
                found=", ".join(found) if found else msg("none"),
            ),
        )

    def _all(self) -> list[Section]:
        return [*self.sections.values(), *self.extras]


def _names(headings: list[str]) -> Message:
    """Return the headings as alternatives: "'A' or 'B' or 'C'"."""
    if len(headings) < 2:
        return verbatim("".join(f"'{h}'" for h in headings))
    return msg("{names} or {last}", names=_names(headings[:-1]), last=f"'{headings[-1]}'")


def _found_by(heading: str, item: Item) -> Message:
    """Return the note of a section found by its first line, its heading missing."""
    return msg(
        "the section '{heading}' has no heading: found by '{text}'", heading=heading, text=item.text
    )


def _ends_at(document: Document) -> Message | str:
    """Return ' (the text ends at line N: '…')' for messages about a document cut short."""
    if not document.items:
        return ""
    last = document.items[-1]
    if document.lines:
        return msg(" (the text ends at line {n}: {text})", n=last.number, text=excerpt(last.text))
    return msg(" (the text ends at paragraph {n}: {text})", n=last.number, text=excerpt(last.text))


def split_sections(document: Document, lexicon: Lexicon) -> Outline:
    """Return the document cut into front matter, sections and the end block.

    The sections may come in any order and any of them but the general part
    and the tasks may be missing: the outline's notes name those missing and,
    when the document stops before its end, where its text ends. A heading of
    the agency's own is kept as an extra section.
    """
    splitter = _Splitter(lexicon)
    items = document.items
    for item, following in zip(items, [*items[1:], None], strict=True):
        splitter.read(item, following)
    splitter.by_lead_in()
    splitter.general_by_labels()
    splitter.missing(document)
    last = max(splitter._all(), key=lambda s: s.start.number)
    signatures = _cut_signatures(last, lexicon)
    outline = Outline(
        splitter.front,
        splitter.sections,
        signatures,
        extras=splitter.extras,
        votes=splitter.votes,
        notes=splitter.notes,
        kept=splitter.kept,
    )
    _note_missing(outline, document, lexicon)
    return outline


def _note_missing(outline: Outline, document: Document, lexicon: Lexicon) -> None:
    """Say where the text ends if the document seems cut short, and what is not there (the
    sections a layout has and a document lacks are named where its layout is known)."""
    standard = max(outline.sections.values(), key=lambda s: s.start.number)
    after = [
        k for k in SECTION_KEYS[SECTION_KEYS.index(standard.key) + 1 :] if k not in outline.sections
    ]
    if after and not outline.signatures and any(k in USUAL for k in after):
        last = max(outline.ordered(), key=lambda s: s.start.number)
        outline.cut = after
        names = ", ".join(f"'{lexicon.heading_texts(k)[0]}'" for k in after)
        outline.notes.append(
            msg(
                "the document seems to stop in the middle: its text ends in '{title}'{end}; "
                "not there: {names}",
                title=last.title,
                end=_ends_at(document),
                names=names,
            )
        )
        return


def is_signature_start(item: Item, lexicon: Lexicon) -> bool:
    """Return whether ``item`` begins the end block (signatures, acknowledgement)."""
    return is_mark(item, lexicon)


def _cut_signatures(section: Section, lexicon: Lexicon) -> list[Item]:
    """Return the end block cut from the last section (empty when the document has none):
    from its first fixed mark ('Poolte allkirjad:'), or from where the lines the document
    ends with read as an end block (labels, names, an acknowledgement worded otherwise)."""
    marked = next(
        (i for i, item in enumerate(section.items) if is_signature_start(item, lexicon)), None
    )
    found = end_start(section.items, lexicon)
    starts = [i for i in (marked, found) if i is not None]
    if not starts:
        return []
    i = min(starts)
    signatures = section.items[i:]
    section.items = section.items[:i]
    return signatures


def require(outline: Outline, key: str, lexicon: Lexicon) -> Section:
    """Return the section ``key``; raise ParseError saying where it was looked for."""
    if key in outline.sections:
        return outline.sections[key]
    sections = outline.sections
    found = [s.title for s in outline.ordered()]
    wanted = _names(lexicon.heading_texts(key))
    before = [sections[k] for k in SECTION_KEYS[: SECTION_KEYS.index(key)] if k in sections]
    first = min(sections.values(), key=lambda s: s.start.number)
    anchor, where = (before[-1], "after") if before else (first, "before")
    expected = (
        msg(
            "the section {names}, which every job description has, is not there (expected "
            "after this heading)",
            names=wanted,
        )
        if where == "after"
        else msg(
            "the section {names}, which every job description has, is not there (expected "
            "before this heading)",
            names=wanted,
        )
    )
    raise ParseError(
        anchor.title,
        expected,
        anchor.start,
        msg(
            "the importer finds the sections by their headings; headings found: {found}; a "
            "heading of the agency's own goes in templates/wording.yaml under importer.headings "
            "(e.g. purpose: [TEENISTUSKOHA EESMÄRK])",
            found=", ".join(found),
        ),
    )
