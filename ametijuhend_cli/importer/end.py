"""Read the end of a job description: the signatures and the employee's acknowledgement."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import Flow
from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.importer.closing import end_kind, is_acknowledgement, is_name, label_of
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


def parse_signatures(items: list[Item], lexicon: Lexicon) -> tuple[dict[str, Any], list[Message]]:
    """Return the signatories and report notes.

    They are employer and employee, the approver alone, a list of labelled
    signers (a signature table), or none named (only the digital-signature mark);
    labels of the document's own, and labels without a name under them, are read
    as signers.
    """
    side = _side_by_side(items, lexicon)
    if side is not None:
        return side, []
    try:
        return _signatures(items, lexicon)
    except ParseError:
        lines = _signature_lines(items, lexicon)
        return _labelled([line.text for line in lines]), []


def _labelled(lines: list[str]) -> dict[str, Any]:
    """Return the signers of lines where each label ('Linnapea:') begins one: the name after
    it or on the next line, then the title; lines before any label are the approver's."""
    signers: list[dict[str, Any]] = []
    approver: list[str] = []
    for line in lines:
        label = label_of(line)
        if label is not None:
            signers.append({"label": label, "lines": []})
            rest = line[len(label) :].strip()
            if rest:
                signers[-1]["lines"] += [part.strip() for part in rest.split(", ", 1)]
        elif signers:
            signers[-1]["lines"].append(line)
        else:
            approver.append(line)
    if not signers:
        person: dict[str, Any] = {"name": approver[0]}
        if approver[1:]:
            person["title"] = _person_title(approver[1:])
        return {"approver": person}
    out = []
    for i, signer in enumerate(signers):
        lines_ = (approver if i == 0 else []) + signer["lines"]
        entry: dict[str, Any] = {"label": signer["label"]}
        if lines_:
            entry["name"] = lines_[0]
        if lines_[1:]:
            entry["title"] = _person_title(lines_[1:])
        out.append(entry)
    return {"signers": out}


def _signatures(items: list[Item], lexicon: Lexicon) -> tuple[dict[str, Any], list[Message]]:
    """Return the signatories of the forms the layouts print; raise ParseError for others."""
    notes: list[Message] = []
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
    if not has_labels and sum(label_of(i.text) is not None for i in lines) >= 2:
        return _labelled([i.text for i in lines]), notes  # 'Koostas:', 'Kinnitas:' …
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


def _side_by_side(items: list[Item], lexicon: Lexicon) -> dict[str, Any] | None:
    """Return the two signers of a signature table of two columns that text extraction ran
    into lines: their labels ('Tööandja esindaja Teenistuja', each from a capital), the
    digital signature's mark twice, their names (half the words each); else None."""
    if len(items) != 3 or any(i.cell is not None for i in items):
        return None
    labels, marks, names = (i.text for i in items)
    if " ".join(marks.casefold().split()) != " ".join([lexicon.signed_mark] * 2):
        return None
    runs = re.findall(r"[A-ZÕÄÖÜŠŽ][^A-ZÕÄÖÜŠŽ]*", " ".join(labels.split()))
    words = names.split()
    if len(runs) != 2 or len(words) not in (4, 6) or not is_name(names):
        return None
    half = len(words) // 2
    return {
        "signers": [
            {"label": runs[0].strip(), "name": " ".join(words[:half])},
            {"label": runs[1].strip(), "name": " ".join(words[half:])},
        ]
    }


def _interleaved(rest: list[str], items: list[Item], notes: list[Message]) -> dict[str, Any]:
    """Return employer and employee from two columns that text extraction ran together."""
    if not rest or any(label_of(line) == line.strip() for line in rest):
        raise ParseError("signatures", msg("no names under the signature labels"), items[0])
    names = rest[0].split()
    if len(names) >= 4 or len(rest) == 1:  # both names on one line
        half = (len(names) + 1) // 2
        first, second, titles = " ".join(names[:half]), " ".join(names[half:]), rest[1:]
        if len(names) % 2:
            notes.append(
                msg("check the signatures: '{line}' was cut after word {n}", line=rest[0], n=half)
            )
    else:
        first, second, titles = rest[0], rest[1], rest[2:]
    if titles:
        notes.append(
            msg(
                "signatures: '{title}' read as the employer's title",
                title=_shown(_person_title(titles)),
            )
        )
    return _people([[first, *titles], [second]], items)


def _is_label(text: str) -> bool:
    """Return whether a signature table cell is a label ('Personalijuht:')."""
    return text.rstrip().endswith(":") and len(text.split()) <= 4


def _header_row(cols: list[list[str]]) -> bool:
    """Return whether the first row of a signature table of two columns or more is its
    header: a few words in each cell, none a name, and a name under each."""
    return len(cols) > 1 and all(
        len(col) >= 2 and len(col[0].split()) <= 4 and not is_name(col[0]) and is_name(col[1])
        for col in cols
    )


def _columns(lines: list[Item], items: list[Item], lexicon: Lexicon) -> dict[str, Any]:
    """Return the signatories of a signature table: one column each, a label on top."""
    columns: dict[int, list[str]] = {}
    for i in lines:
        columns.setdefault(i.cell[2] if i.cell else 0, []).append(i.text)
    cols = [col for _, col in sorted(columns.items())]
    labels = [col[0] if col and _is_label(col[0]) else "" for col in cols]
    if not any(labels) and _header_row(cols):  # 'Tööandja esindaja' | 'Teenistuja', no colons
        labels = [col[0] for col in cols]
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
                msg("expected a label and a name in each column of the signature table"),
                items[0] if items else None,
            )
        signer: dict[str, Any] = {"label": label, "name": people[0]}
        if people[1:]:
            signer["title"] = _person_title(people[1:])
        signers.append(signer)
    return {"signers": signers}


def _people(people: list[list[str]], items: list[Item]) -> dict[str, Any]:
    """Return employer and employee from their lines: the name, then the title."""
    if len(people) != 2 or not all(lines and lines[0] for lines in people):
        raise ParseError(
            "signatures",
            msg("expected the names of the employer and the employee"),
            items[0] if items else None,
        )
    out: dict[str, Any] = {}
    for key, lines in zip(("employer", "employee"), people, strict=True):
        person: dict[str, Any] = {"name": lines[0]}
        if lines[1:]:
            person["title"] = _person_title(lines[1:])
        out[key] = person
    return out


@dataclass
class End:
    """The end of a document as written: signatures, the acknowledgement, their marks."""

    #: the signatories (None: the document names none)
    signatures: dict[str, Any] | None = None
    #: the employee's acknowledgement as written and the lines it leaves to fill in
    acknowledgement: str = ""
    fields: list[str] = field(default_factory=list)
    #: the parties' heading ('Poolte allkirjad:') and the digital signature's mark are there
    heading: bool = False
    signed: bool = False
    #: how two or more signatories stand: 'columns' (side by side), 'lines' (one under
    #: another); None: one signatory, or none, shows neither
    form: str | None = None
    notes: list[Message] = field(default_factory=list)


def _acknowledgement(items: list[Item], lexicon: Lexicon, end: End) -> list[Item]:
    """Return the end block without the employee's acknowledgement, read into ``end``.

    The acknowledgement is its sentence ('Olen ametijuhendiga tutvunud …', however
    worded) and the lines left to fill in after it ('Nimi:', 'Kuupäev:', 'Allkiri:').
    """
    kept: list[Item] = []
    found = False
    for item in items:
        text = item.text.strip()
        if not found and is_acknowledgement(text, lexicon):
            found = True
            end.acknowledgement = " ".join(text.split())
            continue
        if found and not kept and _field(item, lexicon):
            end.fields.append(" ".join(text.rstrip(" _.…:").split()))
            continue
        if found and not kept and (row := _field_row(text, lexicon)):
            end.fields += row  # 'Nimi   Kuupäev   Allkiri': a table's row in text
            continue
        kept.append(item)
    return kept


def _field_row(text: str, lexicon: Lexicon) -> list[str]:
    """Return the lines to fill in that a row of a table names in text ('Nimi Kuupäev
    Allkiri'): two or more, each a field the wording knows; else none."""
    parts = re.split(r"\s{2,}", text) if re.search(r"\s{2,}", text) else text.split()
    parts = [part.strip(" _.…:") for part in parts if part.strip(" _.…:")]
    known = len(parts) >= 2 and all(norm(part) in lexicon.acknowledgement_fields for part in parts)
    return parts if known else []


def _field(item: Item, lexicon: Lexicon) -> bool:
    """Return whether ``item`` is a line to fill in under the acknowledgement ('Nimi:')."""
    text = item.text.strip().rstrip(" _.…")
    if norm(text) in lexicon.acknowledgement_fields:
        return True
    # the line as a label, without the room left to fill in ('Töötaja nimi: ______')
    kind = end_kind(dataclasses.replace(item, text=text), lexicon)
    label = label_of(text)
    return (kind == "label" and label is not None and text == label) or (
        kind == "title" and ":" not in text
    )


def parse_end(items: list[Item], lexicon: Lexicon) -> End:
    """Return the end block read: the signatories, the acknowledgement and their marks."""
    end = End()
    signed = lexicon.signed_mark
    parties = " ".join(lexicon.wording.signatures["parties"].casefold().split())
    folded = [" ".join(i.text.casefold().split()) for i in items]
    end.signed = any(signed in f for f in folded)
    end.heading = any(f.startswith(parties.rstrip(":")) for f in folded)
    kept = _acknowledgement(items, lexicon, end)
    if kept:
        end.signatures, end.notes = parse_signatures(kept, lexicon)
        end.form = _form(kept, _labels(end.signatures, lexicon))
    return end


def _labels(signatures: dict[str, Any], lexicon: Lexicon) -> list[str]:
    """Return the labels of two or more signatories (none for one)."""
    if "employer" in signatures:
        return [lexicon.wording.signatures[key] for key in ("employer", "employee")]
    labels = [s.get("label", "") for s in signatures.get("signers", [])]
    return labels if len(labels) >= 2 and all(labels) else []


def _form(items: list[Item], labels: list[str]) -> str | None:
    """Return how the signatories of the end block ``items`` stand: 'columns' (a table, or
    their labels on one line), 'lines' (each label begins their own lines: the name, the
    mark or the title follow it before the next), None (one signatory)."""
    if not labels:
        return None
    if any(item.cell is not None for item in items):
        return "columns"
    folded = [norm(label) for label in labels]
    starts = []
    for k, item in enumerate(items):
        text = norm(item.text)
        if sum(label in text for label in folded) > 1:
            return "columns"  # 'Tööandja: Töötaja:': the columns' labels run together
        if any(text.startswith(label) for label in folded):
            starts.append((k, text in folded))
    if len(starts) < 2:
        return None
    lines = [items[k].number for k, _ in starts]
    if len(set(lines)) < len(lines):
        return "columns"  # two labels from one line of text laid out in columns (-layout)
    bare_then_label = any(bare and after == k + 1 for (k, bare), (after, _) in pairwise(starts))
    return "columns" if bare_then_label else "lines"
