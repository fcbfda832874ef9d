"""Find the sections of a job description by their headings."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ametijuhend_cli.errors import AmetijuhendError
from ametijuhend_cli.importer.extract import Document, Item
from ametijuhend_cli.importer.lexicon import SECTION_KEYS, Lexicon, norm

#: What every job description has; the other sections may be left out.
REQUIRED = ("general", "purpose", "tasks", "requirements")
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
    #: sections of the agency's own (key "extra"), in document order
    extras: list[Section] = field(default_factory=list)
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
        self.notes: list[str] = []
        self.current: Section | None = None

    def read(self, item: Item) -> None:
        number, text, key, employment = _is_heading(item, self.lexicon)
        if key == "":
            key = _unknown_key(self.order) if self.current is not None else None
        if key is None and self._lead_in(item):
            return
        if key is None or item.cell is not None:
            (self.current.items if self.current is not None else self.front).append(item)
            return
        if key in self.sections:
            raise ParseError(
                self.sections[key].title,
                f"the heading '{item.text}' appears a second time",
                item,
                "a job description has each section once",
            )
        if employment:
            self.votes[employment] += 1
        self.current = Section(key, number, text.rstrip(" ."), [], item)
        if key == "extra":
            self.extras.append(self.current)
        else:
            self.sections[key] = self.current
        self.order.append(key)

    def _lead_in(self, item: Item) -> bool:
        """Start the rights or responsibilities at their lead-in when their heading is missing."""
        intro = self.lexicon.intros.get(norm(item.text))
        if intro is None or self.current is None or item.cell is not None or item.bullet:
            return False
        key = intro[0]
        if key in self.sections or self.current.key == key or not self.current.items:
            return False
        heading = self.lexicon.heading_texts(key)[0]
        self.current = Section(key, None, heading, [item], item)
        self.sections[key] = self.current
        self.order.append(key)
        self.notes.append(f"the section '{heading}' has no heading: found by '{item.text}'")
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
                wanted = " or ".join(f"'{h}'" for h in self.lexicon.heading_texts(key))
                self.notes.append(
                    f"the heading '{extra.title}' was read as {wanted}, by its lead-in"
                )

    def missing(self) -> None:
        """Raise ParseError naming the first section every document has that is not there."""
        missing = [k for k in REQUIRED if k not in self.sections]
        if not missing:
            return
        sections = self.sections
        found = [
            s.title
            for s in sorted([*sections.values(), *self.extras], key=lambda s: s.start.number)
        ]
        wanted = " or ".join(f"'{h}'" for h in self.lexicon.heading_texts(missing[0]))
        # where it was looked for: after the section that comes before it, if there is one
        before = [
            sections[k] for k in SECTION_KEYS[: SECTION_KEYS.index(missing[0])] if k in sections
        ]
        first = min(sections.values(), key=lambda s: s.start.number, default=None)
        anchor, where = (before[-1], "after") if before else (first, "before")
        raise ParseError(
            anchor.title if anchor else "start of the document",
            f"the section {wanted}, which every job description has, is not there "
            f"(expected {where} this heading)"
            if anchor
            else f"no section headings found: expected {wanted} first",
            anchor.start if anchor else None,
            "the importer finds the sections by their headings; every job description has "
            + ", ".join(self.lexicon.heading_texts(k)[0] for k in REQUIRED)
            + "; headings found: "
            + (", ".join(found) or "none"),
        )


def split_sections(document: Document, lexicon: Lexicon) -> Layout:
    """Return the document cut into front matter, sections and the signature block.

    The sections may come in any order and any of them but the ones every job
    description has (REQUIRED) may be missing; a heading of the agency's own is
    kept as an extra section.
    """
    splitter = _Splitter(lexicon)
    for item in document.items:
        splitter.read(item)
    splitter.by_lead_in()
    splitter.missing()
    last = splitter.current
    assert last is not None
    signatures = _cut_signatures(last, lexicon)
    return Layout(
        splitter.front,
        splitter.sections,
        signatures,
        extras=splitter.extras,
        votes=splitter.votes,
        notes=splitter.notes,
    )


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
        "no signatures found after the last section",
        section.start,
        f"the signature block starts with '{lexicon.wording.signatures['parties']}', "
        f"'{lexicon.wording.signatures['employer']}' or "
        f"'{lexicon.wording.signatures['signed']}'",
    )
