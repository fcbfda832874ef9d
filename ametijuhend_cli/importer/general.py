"""Read the approval block, the general part (ÜLDOSA) and the signatures."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import Flow
from ametijuhend_cli.importer.extract import Document, Item, Joiner
from ametijuhend_cli.importer.layout import ParseError, Section
from ametijuhend_cli.importer.lexicon import Lexicon, literal, norm
from ametijuhend_cli.importer.match import UnitMatch, UnitMatcher
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.sources.wording import fill

_FIELDS = ("title", "unit", "manager", "substituted_by", "substitutes")
_LABEL_NUMBER = r"(?:\d+(?:\.\d+)*\.?\s*)?"


@dataclass
class General:
    """The fields of the general part, as the document writes them."""

    values: dict[str, str] = field(default_factory=dict)
    unit: UnitMatch | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Approval:
    """The KINNITATUD block."""

    by: str
    date: dt.date
    number: str


def parse_front(items: list[Item], lexicon: Lexicon, joiner: Joiner) -> Approval | None:
    """Return the approval block among the items before the first section, if there is one."""
    start = next(
        (i for i, item in enumerate(items) if norm(item.text) == lexicon.approval_heading), None
    )
    if start is None:
        return None
    lines = []
    for item in items[start + 1 :]:
        if norm(item.text) == lexicon.title:
            break
        lines.append(item.text)
    text = joiner.join(lines)
    found = lexicon.approval(text)
    if found is None:
        raise ParseError(
            lexicon.wording.approval["heading"],
            f"cannot read the approval line {excerpt(text)}",
            items[start],
            "expected it worded as '"
            + fill(
                lexicon.wording.approval["line"],
                by="…",
                date=dt.date(2024, 2, 12).strftime(lexicon.wording.date_format),
                number="23",
            )
            + "'",
        )
    return Approval(*found)


def unread_front(items: list[Item], lexicon: Lexicon) -> list[Item]:
    """Return the items before the first section that are neither the title nor the approval."""
    used: set[int] = set()
    start = next(
        (i for i, item in enumerate(items) if norm(item.text) == lexicon.approval_heading), None
    )
    if start is not None:
        used.add(start)
        for k in range(start + 1, len(items)):
            if norm(items[k].text) == lexicon.title:
                break
            used.add(k)
    used |= {k for k, item in enumerate(items) if norm(item.text) == lexicon.title}
    return [item for k, item in enumerate(items) if k not in used]


def _label_patterns(lexicon: Lexicon) -> dict[str, re.Pattern[str]]:
    return {
        key: re.compile(_LABEL_NUMBER + literal(lexicon.wording.general[key]) + r"\b\s*", re.I)
        for key in _FIELDS
    }


def _labels(
    text: str, patterns: dict[str, re.Pattern[str]], seen: set[str]
) -> tuple[list[str], str | None]:
    """Return the labels a line consists of, and an inline value ('Vahetu juht: …')."""
    found: list[str] = []
    rest = text.strip()
    while rest:
        for key, pattern in patterns.items():
            m = pattern.match(rest)
            if m and key not in seen and key not in found:
                found.append(key)
                rest = rest[m.end() :]
                break
        else:
            break
        if rest.startswith(":"):
            value = rest[1:].strip()
            if value:
                return found, value
            rest = ""
    return (found, None) if found and not rest else ([], None)


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


def parse_general(
    section: Section, lexicon: Lexicon, document: Document, joiner: Joiner, units: UnitMatcher
) -> General:
    """Return the title, unit, manager and substitutes of the general part."""
    patterns = _label_patterns(lexicon)
    seen: set[str] = set()
    groups: list[tuple[list[str], list[Item], Item]] = []
    for item in section.items:
        labels, inline = _labels(item.text, patterns, seen)
        if labels:
            seen.update(labels)
            values = [Item(inline, cell=item.cell, number=item.number)] if inline else []
            if groups and not groups[-1][1]:  # labels in a row of cells, values below
                groups[-1][0].extend(labels)
                groups[-1][1].extend(values)
            else:
                groups.append((labels, values, item))
        elif groups:
            groups[-1][1].append(item)
        else:
            raise ParseError(
                section.title,
                f"expected the label '{lexicon.wording.general['title']}', found '{item.text}'",
                item,
            )
    general = General()
    for labels, values, item in groups:
        blocks = _blocks(values, document)
        _assign(general, labels, blocks, item, section, lexicon, joiner, units)
    missing = [k for k in _FIELDS if not general.values.get(k)]
    if missing:
        raise ParseError(
            section.title,
            f"no value for '{lexicon.wording.general[missing[0]]}'",
            section.start,
        )
    return general


def _assign(
    general: General,
    labels: list[str],
    blocks: list[list[Item]],
    item: Item,
    section: Section,
    lexicon: Lexicon,
    joiner: Joiner,
    units: UnitMatcher,
) -> None:
    names = [lexicon.wording.general[k] for k in labels]
    if len(labels) == 1 or len(blocks) == len(labels):
        parts = (
            [joiner.join(i.text for b in blocks for i in b)]
            if len(labels) == 1
            else [joiner.join(i.text for i in b) for b in blocks]
        )
    else:
        words, starts, breaks = _words(blocks, joiner)
        if labels == ["title", "unit"] and len(words) >= 2:
            parts = _split_title(words, units, general)
        elif labels == ["manager", "substituted_by", "substitutes"] and len(words) >= 3:
            found = _split_people(words, starts, breaks)
            if found is None:
                raise ParseError(
                    section.title, f"cannot tell the values of {', '.join(names)} apart", item
                )
            cut, alike = found
            parts = [" ".join(p) for p in cut]
            if alike < 0.5:
                general.notes.append(
                    f"check {', '.join(names)}: told apart from one table row as "
                    + " | ".join(repr(p) for p in parts)
                )
        else:
            raise ParseError(
                section.title,
                f"cannot tell the values of {', '.join(names)} apart",
                item,
                "put each value in its own table cell or on its own line",
            )
    for key, value in zip(labels, parts, strict=True):
        general.values[key] = value
    if "unit" in labels and general.unit is None:
        general.unit = units.match(general.values["unit"])


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
            f"check title and unit: no unit of organization.yaml found in "
            f"'{' '.join(words)}'; read the title as '{' '.join(words[:k])}'"
        )
    else:
        k = best[1]
    return [" ".join(words[:k]), " ".join(words[k:])]


def _person_title(lines: list[str]) -> str | Flow:
    """Return title lines as a title: one text, or its lines when it runs over several.

    A line that starts in lower case continues the one before (a wrapped cell); one in
    upper case is a line of its own: "Talitusejuhataja" + "Osakonnajuhataja
    ülesannetes" → [Talitusejuhataja, Osakonnajuhataja ülesannetes].
    """
    out: list[str] = []
    for line in lines:
        if out and line[:1].islower():
            out[-1] += " " + line
        else:
            out.append(line)
    return out[0] if len(out) == 1 else Flow(out)


def _shown(title: str | Flow) -> str:
    return title if isinstance(title, str) else " / ".join(title)


def _signature_lines(items: list[Item], lexicon: Lexicon) -> list[Item]:
    """Return the lines of the signature block without the fixed marks (heading, signed)."""
    signed = lexicon.wording.signatures["signed"]
    parties = lexicon.wording.signatures["parties"]
    lines: list[Item] = []
    for item in items:
        text = re.sub(re.escape(signed), " ", item.text, flags=re.I)
        text = re.sub(re.escape(parties), " ", text, flags=re.I)
        text = " ".join(text.split())
        if text:
            lines.append(Item(text, cell=item.cell, number=item.number))
    return lines


def parse_signatures(items: list[Item], lexicon: Lexicon) -> tuple[dict[str, Any], list[str]]:
    """Return the signatories and report notes.

    They are employer and employee, the approver alone, a list of labelled
    signers (a signature table), or none named (only the digital-signature mark).
    """
    notes: list[str] = []
    employer_label = lexicon.wording.signatures["employer"]
    employee_label = lexicon.wording.signatures["employee"]
    lines = _signature_lines(items, lexicon)
    if not lines:  # the names are in the digital signature container only
        return {"unnamed": True}, notes
    if any(i.cell is not None for i in lines):
        return _columns(lines, items, lexicon), notes
    has_labels = any(
        i.text.casefold().startswith((employer_label.casefold(), employee_label.casefold()))
        for i in lines
    )
    if not has_labels:
        person: dict[str, Any] = {"name": lines[0].text}
        if len(lines) > 1:
            person["title"] = _person_title([i.text for i in lines[1:]])
        return {"approver": person}, notes
    only_labels = re.compile(
        rf"(?:{literal(employer_label)}\s*)?(?:{literal(employee_label)}\s*)?", re.I
    )
    header = 0
    while header < len(lines) and only_labels.fullmatch(lines[header].text):
        header += 1
    if header:  # "Tööandja: Töötaja:" above two columns, which text extraction interleaves
        return _interleaved([i.text for i in lines[header:]], items, notes), notes
    people: list[list[str]] = []
    for line in lines:
        for label in (employer_label, employee_label):
            m = re.match(literal(label) + r"\s*(.*)$", line.text, re.I)
            if m:
                people.append([part for part in m.group(1).split(", ", 1) if part])
                break
        else:
            if people:
                people[-1].append(line.text)
    return _people(people, items), notes


def _interleaved(rest: list[str], items: list[Item], notes: list[str]) -> dict[str, Any]:
    """Return employer and employee from two columns that text extraction ran together."""
    if not rest:
        raise ParseError("signatures", "no names under the signature labels", items[0])
    names = rest[0].split()
    if len(names) >= 4 or len(rest) == 1:  # both names on one line
        half = (len(names) + 1) // 2
        first, second, titles = " ".join(names[:half]), " ".join(names[half:]), rest[1:]
        if len(names) % 2:
            notes.append(f"check the signatures: '{rest[0]}' was cut after word {half}")
    else:
        first, second, titles = rest[0], rest[1], rest[2:]
    if titles:
        notes.append(f"signatures: '{_shown(_person_title(titles))}' read as the employer's title")
    return _people([[first, *titles], [second]], items)


def _is_label(text: str) -> bool:
    """Return whether a signature table cell is a label ('Personalijuht:')."""
    return text.rstrip().endswith(":") and len(text.split()) <= 4


def _columns(lines: list[Item], items: list[Item], lexicon: Lexicon) -> dict[str, Any]:
    """Return the signatories of a signature table: one column each, a label on top."""
    columns: dict[int, list[str]] = {}
    for i in lines:
        columns.setdefault(i.cell[2] if i.cell else 0, []).append(i.text)
    cols = [col for _, col in sorted(columns.items())]
    labels = [col[0] if col and _is_label(col[0]) else "" for col in cols]
    pair = [norm(lexicon.wording.signatures[k]) for k in ("employer", "employee")]
    if len(cols) == 1 and not labels[0] and cols[0]:  # the approver alone, in one column
        approver: dict[str, Any] = {"name": cols[0][0]}
        if cols[0][1:]:
            approver["title"] = _person_title(cols[0][1:])
        return {"approver": approver}
    if not any(labels) or [norm(label) for label in labels] == pair:
        return _people(
            [col[1:] if label else col for col, label in zip(cols, labels, strict=True)], items
        )
    signers = []
    for col, label in zip(cols, labels, strict=True):
        people = col[1:] if label else col
        if not label or not people:
            raise ParseError(
                "signatures",
                "expected a label and a name in each column of the signature table",
                items[0] if items else None,
            )
        signer: dict[str, Any] = {"label": label, "name": people[0]}
        if people[1:]:
            signer["title"] = _person_title(people[1:])
        signers.append(signer)
    return {"signers": signers}


def _people(people: list[list[str]], items: list[Item]) -> dict[str, Any]:
    """Return employer and employee from their lines: the name, then the title."""
    if len(people) != 2 or not all(people):
        raise ParseError(
            "signatures",
            "expected the names of the employer and the employee",
            items[0] if items else None,
        )
    out: dict[str, Any] = {}
    for key, lines in zip(("employer", "employee"), people, strict=True):
        person: dict[str, Any] = {"name": lines[0]}
        if lines[1:]:
            person["title"] = _person_title(lines[1:])
        out[key] = person
    return out
