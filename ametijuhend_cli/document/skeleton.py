"""The mechanics of a layout: numbers, the order of sections, the banner and title lines."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence

from ametijuhend_cli.document.view import Section
from ametijuhend_cli.fields import fill as fill_fields
from ametijuhend_cli.layout import Layout, Numbering, SectionSpec, roman
from ametijuhend_cli.models import ExtraSection


def section_label(numbering: Numbering, n: int) -> str:
    """Return the printed number of section ``n`` ("3.", "III", "")."""
    return fill_fields(numbering.sections, n=n, roman=roman(n)) if n else ""


def item_number(numbering: Numbering, section: int, n: int) -> str:
    """Return the number of item ``n`` of section ``section`` ("3.1").

    In a section without a number (0) the section's part is left out ("1.").
    """
    template = numbering.items
    if not section:
        template = template.replace("{section}.", "").replace("{roman}.", "")
    return fill_fields(template, section=section, roman=roman(section) if section else "", n=n)


def subitem_number(numbering: Numbering, section: int, item: str, n: int) -> str:
    """Return the number of part ``n`` of item ``item`` ("3.1.1")."""
    return fill_fields(numbering.subitems, section=section, item=item.rstrip("."), n=n)


def order_sections(
    layout: Layout,
    headings: Mapping[str, str],
    present: Mapping[str, bool],
    own_order: list[str],
    extras: list[ExtraSection],
) -> dict[str, Section]:
    """Return the document's sections in order, numbered; an absent one is left out.

    The layout's order, changed by a position's own ``section_order`` (those it
    names first, in its order); a section of the agency's own follows the
    standard section it names (where that one is absent, it stands in its
    place), the others come last.
    """
    specs: dict[str, SectionSpec] = {spec.key: spec for spec in layout.sections}
    keys = [spec.key for spec in layout.sections]
    if own_order:
        rank = {key: i for i, key in enumerate(own_order)}
        keys.sort(key=lambda key: rank.get(key, len(rank)))
    slots: list[str] = []
    for key in keys:
        slots.append(key)
        slots += [f"extra{i}" for i, extra in enumerate(extras) if extra.after == key]
    slots += [
        f"extra{i}"
        for i, extra in enumerate(extras)
        if extra.after is None or extra.after not in keys
    ]
    sections: dict[str, Section] = {}
    count = 0
    previous = ""
    for slot in slots:
        joined = False
        if slot.startswith("extra"):
            own = extras[int(slot[5:])].heading
            # paragraphs kept without a heading go on under the section before them
            spec_numbered, show, run_in = own is not None, own is not None, False
            heading = own or ""
        else:
            if not present.get(slot, False):
                continue
            spec = specs[slot]
            show, run_in = spec.show_heading, spec.run_in
            # by default a section printed without a heading has no number to show either;
            # numbered: true counts it all the same (its items are numbered 1.1 …)
            spec_numbered = (show or run_in) if spec.numbered is None else spec.numbered
            heading = spec.heading or headings[slot]
            # it continues the section before it, where that one stands right before it
            joined = spec.join and previous != "" and _before(keys, slot) == previous
        if joined:
            last = sections[previous]
            sections[slot] = Section(last.number, slot, "", "", joined=True)
            previous = slot
            continue
        number = 0
        if spec_numbered:
            count += 1
            number = count
        sections[slot] = Section(
            number,
            slot,
            heading if show else "",
            # counted without a heading line: the number shows only in its items (1.1 …)
            section_label(layout.numbering, number) if show or run_in else "",
            run_in,
        )
        previous = slot
    return sections


def _before(keys: Sequence[str], key: str) -> str:
    """Return the section before ``key`` in the order ``keys`` ("" for the first)."""
    i = keys.index(key)
    return keys[i - 1] if i else ""


#: Fields of a position a layout may print as sections of their own.
FIELD_SECTIONS = ("work_area", "special_conditions")

#: A sentence ending in one of these keeps it.
_SENTENCE_END = frozenset(".!?…")


def sentence(text: str) -> str:
    """Return ``text`` as a sentence: its first letter a capital, '.' at its end."""
    text = text.rstrip(" ;,")
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in _SENTENCE_END else text + "."


def item_starts(sections: Mapping[str, Section], counts: Mapping[str, int]) -> dict[str, int]:
    """Return, for each section that continues another, how many items come before its own.

    ``counts`` holds the numbered items of each section; a section that joins
    the one before counts on from it ("Õigused ja vastutus": 3.1, 3.2 rights,
    3.3 responsibilities).
    """
    starts: dict[str, int] = {}
    previous = ""
    for key, section in sections.items():
        if section.joined and previous:
            starts[key] = starts.get(previous, 0) + counts.get(previous, 0)
        previous = key
    return starts


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def fill(template: str, values: Mapping[str, str]) -> str | None:
    """Return ``template`` filled in, or None when every field it uses is empty."""
    used = _fields(template)
    if used and not any(values.get(name) for name in used):
        return None
    return fill_fields(template, **{name: values.get(name, "") for name in used})


def banner_lines(
    layout: Layout, values: Mapping[str, str], units: list[str], genitives: list[str]
) -> list[str]:
    """Return the banner: each template filled in; '{units}' gives a line per unit,
    '{units_genitive}' a line per unit in the genitive (``genitives``)."""
    lines: list[str] = []
    for template in layout.front.banner:
        fields = _fields(template)
        if "units" in fields or "units_genitive" in fields:
            for unit, genitive in zip(units, genitives, strict=False):
                line = fill(template, {**values, "units": unit, "units_genitive": genitive})
                if line:
                    lines.append(line)
        else:
            line = fill(template, values)
            if line:
                lines.append(line)
    if layout.front.banner_case == "upper":
        lines = [line.upper() for line in lines]
    return lines
