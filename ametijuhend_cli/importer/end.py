"""Read the end of a job description: the signatures and the employee's acknowledgement."""

from __future__ import annotations

import re
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import Flow
from ametijuhend_cli.importer.extract import Item
from ametijuhend_cli.importer.lexicon import Lexicon, literal, norm
from ametijuhend_cli.importer.outline import ParseError


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
    later = any(only_labels.fullmatch(line.text) for line in lines[header:])
    if header and not later:  # "Tööandja: Töötaja:" above two columns run together
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


def _acknowledgement(items: list[Item], lexicon: Lexicon) -> tuple[list[Item], bool]:
    """Return the end block without the employee's acknowledgement, and whether it had one.

    The acknowledgement is its sentence ('Olen ametijuhendiga tutvunud …') and the
    lines left to fill in ('Nimi:', 'Kuupäev:', 'Allkiri:').
    """
    kept: list[Item] = []
    found = False
    sentences = {a.rstrip(" .") for a in lexicon.acknowledgements}
    for item in items:
        folded = norm(item.text.rstrip(" _.…"))
        if folded in sentences:
            found = True
        elif found and folded in lexicon.acknowledgement_fields:
            continue
        else:
            kept.append(item)
    return kept, found


def parse_end(items: list[Item], lexicon: Lexicon) -> tuple[dict[str, Any] | None, bool, list[str]]:
    """Return the signatories (None: the document names none), whether the document ends
    with the employee's acknowledgement, and report notes."""
    kept, acknowledgement = _acknowledgement(items, lexicon)
    if not kept:
        return None, acknowledgement, []
    signatures, notes = parse_signatures(kept, lexicon)
    return signatures, acknowledgement, notes
