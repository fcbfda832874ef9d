"""Find the sections of a job description by their headings."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ametijuhend_cli.errors import AmetijuhendError
from ametijuhend_cli.importer.extract import Document, Item
from ametijuhend_cli.importer.lexicon import SECTION_KEYS, Lexicon

_REQUIRED = tuple(k for k in SECTION_KEYS if k != "work_tools")
# an unknown heading: a section number and a text in capitals ("3. TÖÖÜLESANDED")
_CAPITALS = re.compile(r"^\d+\.?\s+[^\W\d_][^a-zõäöüšž]*$")


class ParseError(AmetijuhendError):
    """The importer lost track of the document; says where."""

    def __init__(self, where: str, message: str, item: Item | None = None, hint: str = ""):
        self.where = where
        self.item = item
        self.hint = hint
        super().__init__(message)


@dataclass
class Section:
    """The items under one heading."""

    key: str
    number: str | None
    heading: str
    items: list[Item]
    start: Item

    @property
    def title(self) -> str:
        """Return the heading as the document writes it, e.g. '4. ÕIGUSED'."""
        return f"{self.number}. {self.heading}" if self.number else self.heading


@dataclass
class Layout:
    """A document cut into its parts."""

    front: list[Item]
    sections: dict[str, Section]
    signatures: list[Item]
    #: which vocabulary (ametnik / töötaja) the wording of the headings belongs to
    votes: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def _is_heading(item: Item, lexicon: Lexicon) -> tuple[str | None, str, str | None, str | None]:
    """Return (number, heading, key, employment) when ``item`` is a section heading."""
    number, text, known = lexicon.heading(item.text)
    if known is not None and (number is not None or item.heading or not item.bullet):
        return number, text, known.key, known.employment
    if item.bullet or len(text) > 80:
        return number, text, None, None
    if (number is not None or item.heading) and _CAPITALS.match(f"{number or 0}. {text}"):
        return number, text, "", None
    return number, text, None, None


def _next_key(seen: list[str]) -> str | None:
    last = SECTION_KEYS.index(seen[-1]) if seen else -1
    for key in SECTION_KEYS[last + 1 :]:
        if key not in seen:
            return key
    return None


def split_sections(document: Document, lexicon: Lexicon) -> Layout:
    """Return the document cut into front matter, sections and the signature block."""
    front: list[Item] = []
    sections: dict[str, Section] = {}
    order: list[str] = []
    votes: Counter[str] = Counter()
    notes: list[str] = []
    current: Section | None = None
    for item in document.items:
        number, text, key, employment = _is_heading(item, lexicon)
        if key == "":  # an unknown heading takes the next section's place
            key = _next_key(order) if current is not None else None
            if key is not None and key != "tasks":  # the tasks keep their own heading
                wanted = " or ".join(f"'{h}'" for h in lexicon.heading_texts(key))
                notes.append(f"the heading '{item.text}' was read as {wanted}, by its place")
        if key is not None and item.cell is None:
            if key in sections:
                raise ParseError(
                    sections[key].title,
                    f"the heading '{item.text}' appears a second time",
                    item,
                    "a job description has each section once",
                )
            if employment:
                votes[employment] += 1
            current = Section(key, number, text, [], item)
            sections[key] = current
            order.append(key)
            continue
        if current is None:
            front.append(item)
        else:
            current.items.append(item)
    missing = [k for k in _REQUIRED if k not in sections]
    if missing:
        before = [k for k in order if SECTION_KEYS.index(k) < SECTION_KEYS.index(missing[0])]
        wanted = " or ".join(f"'{h}'" for h in lexicon.heading_texts(missing[0]))
        raise ParseError(
            sections[before[-1]].title if before else "start of the document",
            f"lost track after this heading: the next section, {wanted}, is not there"
            if before
            else f"no section headings found: expected {wanted} first",
            sections[before[-1]].start if before else None,
            "the importer reads the standard layout (1. ÜLDOSA … AMETIJUHENDI MUUTMINE); "
            "headings found: " + (", ".join(sections[k].title for k in order) or "none"),
        )
    signatures = _cut_signatures(sections["amendment"], lexicon)
    return Layout(front, sections, signatures, votes, notes)


def is_signature_start(item: Item, lexicon: Lexicon) -> bool:
    """Return whether ``item`` begins the signature block."""
    folded = " ".join(item.text.casefold().split())
    return any(folded.startswith(label) for label in lexicon.signature_marks)


def _cut_signatures(section: Section, lexicon: Lexicon) -> list[Item]:
    for i, item in enumerate(section.items):
        if is_signature_start(item, lexicon):
            signatures = section.items[i:]
            section.items = section.items[:i]
            return signatures
    raise ParseError(
        section.title,
        "no signatures found after the clauses",
        section.start,
        f"the signature block starts with '{lexicon.wording.signatures['parties']}', "
        f"'{lexicon.wording.signatures['employer']}' or "
        f"'{lexicon.wording.signatures['signed']}'",
    )
