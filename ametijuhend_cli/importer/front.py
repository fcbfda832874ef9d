"""Read what comes before the first section: the approval note, the banner, the title."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ametijuhend_cli.errors import msg
from ametijuhend_cli.fields import fill as fill_fields
from ametijuhend_cli.importer.extract import Item, Joiner
from ametijuhend_cli.importer.lexicon import Lexicon, norm
from ametijuhend_cli.importer.outline import Kept
from ametijuhend_cli.messages import excerpt

# "(töökoha nr 12)", "(põhitöö nr 586)": a position number under the title
_NUMBERED = re.compile(r"^\((?P<before>.*?\bnr\.?\s*)(?P<number>[\w/-]+)(?P<after>\))$", re.I)
# "põhitöö nr 586": the same without the parentheses (a few words, then the number)
_BARE_NUMBERED = re.compile(
    r"^(?P<before>[^\W\d_][^\W\d]*(?: [^\W\d]+){0,3} nr\.? ?)(?P<number>\d[\w/-]*)$", re.I
)


@dataclass
class Front:
    """The front matter as the document writes it."""

    #: the approval notes in the document's order: block (KINNITATUD and the directive's
    #: line), line (the directive's line alone), annex (a line naming the directive),
    #: label ('Lisa 3'); none: no note
    approval_forms: list[str] = field(default_factory=list)
    #: the approval's fields: by, date, number, annex, directive
    approval: dict[str, object] = field(default_factory=dict)
    #: the lines above the title (the agency, its units)
    banner: list[str] = field(default_factory=list)
    #: the title line as written ("JÄRELEVALVEINSPEKTORI AMETIJUHEND"), if found
    title_line: str = ""
    #: the document title as written ("AMETIJUHEND", "ametijuhend")
    document_title: str = ""
    #: the words before the document title: the position's title in the genitive
    title_genitive: str = ""
    #: the line under the title: its text, and the template it follows
    subtitle: str = ""
    subtitle_template: str = ""
    position_number: str = ""
    #: the template of the approval line or annex line as written (its act's word)
    approval_line: str = ""
    #: lines not read (reported)
    unread: list[Item] = field(default_factory=list)
    #: text kept as written where it reads as no known part
    kept: list[Kept] = field(default_factory=list)


def _title(text: str, lexicon: Lexicon) -> tuple[str, str] | None:
    """Return (genitive, document title) of a title line ('KORISTAJA AMETIJUHEND'), or None."""
    folded = norm(text)
    for title in sorted(lexicon.titles, key=len, reverse=True):
        if folded == title:
            return "", text.strip()
        if folded.endswith(" " + title) and len(folded.split()) <= 8:
            cut = len(text.rstrip()) - len(title)
            return text[:cut].strip(), text[cut:].strip()
    return None


def _approval_block(items: list[Item], start: int, lexicon: Lexicon, joiner: Joiner) -> int:
    """Return the index after the lines of a KINNITATUD block starting at ``start``."""
    end = start + 1
    while end < len(items) and _title(items[end].text, lexicon) is None:
        if lexicon.approval(joiner.join(i.text for i in items[start + 1 : end + 1])):
            return end + 1
        end += 1
    return end


def parse_front(items: list[Item], lexicon: Lexicon, joiner: Joiner) -> Front:
    """Return the front matter among the items before the first section."""
    front = Front()
    title_at = next((i for i, item in enumerate(items) if _title(item.text, lexicon)), None)
    used: set[int] = set()
    #: the approval notes found: where each starts, and its form
    notes: list[tuple[int, str]] = []
    start = next(
        (i for i, item in enumerate(items) if norm(item.text) == lexicon.approval_heading), None
    )
    if start is not None:
        end = _approval_block(items, start, lexicon, joiner)
        text = joiner.join(i.text for i in items[start + 1 : end])
        found = lexicon.approval(text)
        if found is None:  # its lines stand above the title as they are
            front.kept.append(
                Kept(
                    items[start],
                    msg(
                        "the approval note {text} names no date and number as '{example}' does: "
                        "its lines are kept as written, above the title",
                        text=excerpt(text),
                        example=fill_fields(
                            lexicon.wording.approval["line"],
                            by="…",
                            date=dt.date(2024, 2, 12).strftime(lexicon.wording.date_format),
                            number="23",
                        ),
                    ),
                )
            )
        else:
            notes.append((start, "block"))
            front.approval = {"by": found.by, "date": found.date, "number": found.number}
            front.approval_line = found.template
            used |= set(range(start, end))
    before_title = items[:title_at] if title_at is not None else items[:6]
    annex = _annex(items, lexicon, front, used)
    if annex is not None:
        notes.append(annex)
    if not any(form in ("block", "annex") for _, form in notes):
        alone = _approval_alone(before_title, lexicon, front, used)
        if alone is not None:
            notes.append(alone)
    front.approval_forms = [form for _, form in sorted(notes)]
    if title_at is not None:
        used.add(title_at)
        front.title_line = items[title_at].text
        front.title_genitive, front.document_title = _title(items[title_at].text, lexicon) or (
            "",
            "",
        )
        _subtitle(items, title_at, front, used)
        front.banner = [
            item.text
            for i, item in enumerate(items[:title_at])
            if i not in used and not item.bullet
        ]
        used |= {i for i in range(title_at) if i not in used and not items[i].bullet}
    front.unread = [item for i, item in enumerate(items) if i not in used]
    return front


#: the letters an Estonian word in the genitive singular ends in
_VOWELS = frozenset("aeiouõäöüy")


def _common_start(a: str, b: str) -> int:
    """Return how many letters ``a`` and ``b`` begin with alike."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def title_over_two_lines(front: Front, title: str | None) -> None:
    """Read the line over a title line that holds the document's title alone ('AMETIJUHEND')
    as the position in the genitive ('AUTOJUHI'), as a banner ends with it: when it is the
    genitive of ``title`` (the general part's), or, where the general part names none, a
    few words ending in a vowel, as every genitive does."""
    if front.title_genitive or not front.banner or not front.document_title:
        return
    above = " ".join(front.banner[-1].split())
    folded = norm(above)
    if not folded or len(folded.split()) > 3 or folded[-1] not in _VOWELS:
        return
    if title:
        named = norm(title)
        common = _common_start(folded, named)
        if common < 3 or common < min(len(folded), len(named)) - 2:
            return
    front.banner.pop()
    front.title_genitive = above
    front.title_line = f"{above} {front.title_line}"


def _annex(
    items: list[Item], lexicon: Lexicon, front: Front, used: set[int]
) -> tuple[int, str] | None:
    """Read an annex line ('… käskkirja nr 5 „…“ lisa 8') or label ('Lisa 8') among the
    first lines, if there is one; return where it is and its form."""
    for i, size in ((i, size) for i in range(min(6, len(items))) for size in (1, 2, 3, 4)):
        lines = range(i, min(i + size, len(items)))
        if used.intersection(lines):
            continue
        found = lexicon.annex(" ".join(item.text for item in items[i : i + size]))
        if found is None:  # the line may run over several (right-aligned in a narrow box)
            continue
        used.update(lines)
        form = "annex" if "number" in found else "label"
        template = found.pop("template", "")
        approval: dict[str, object] = dict(found)
        if "date" in found:
            try:
                approval["date"] = dt.datetime.strptime(
                    found["date"], lexicon.wording.date_format
                ).date()
            except ValueError:
                form = "label"
                approval = {"annex": found["annex"]}
        if form == "annex":
            front.approval_line = template
        front.approval.update(approval)
        return i, form
    return None


def _approval_alone(
    items: list[Item], lexicon: Lexicon, front: Front, used: set[int]
) -> tuple[int, str] | None:
    """Read the directive's approval line standing alone among the first lines
    ('Kinnitatud … käskkirjaga nr 5'), if there is one; return where it is and its form."""
    for i, item in enumerate(items[:6]):
        found = None if i in used else lexicon.approval_alone(item.text)
        if found is not None:
            used.add(i)
            front.approval.update({"by": found.by, "date": found.date, "number": found.number})
            front.approval_line = found.template
            return i, "line"
    return None


def _subtitle(items: list[Item], title_at: int, front: Front, used: set[int]) -> None:
    """Read the line in parentheses under the title: a subtitle or the position's number."""
    if title_at + 1 >= len(items):
        return
    text = items[title_at + 1].text.strip()
    bare = _BARE_NUMBERED.match(" ".join(text.split()))
    if bare is not None:
        used.add(title_at + 1)
        front.position_number = bare.group("number")
        front.subtitle_template = f"{bare.group('before')}{{position_number}}"
        return
    if not (text.startswith("(") and text.endswith(")")):
        return
    used.add(title_at + 1)
    m = _NUMBERED.match(text)
    if m is not None:
        front.position_number = m.group("number")
        front.subtitle_template = f"({m.group('before')}{{position_number}})"
    else:
        front.subtitle = text[1:-1].strip()
        front.subtitle_template = "({subtitle})"
