"""The general part of a document: its fields in the layout's order, form and numbering."""

from __future__ import annotations

from collections.abc import Mapping

from ametijuhend_cli.document.skeleton import item_number
from ametijuhend_cli.document.view import Field
from ametijuhend_cli.fields import fill
from ametijuhend_cli.layout import Layout

#: The pseudo-field that places the position's general paragraphs among the fields.
PARAGRAPHS = "paragraphs"


def general_fields(
    layout: Layout,
    number: int,
    values: Mapping[str, str],
    labels: Mapping[str, str],
    paragraphs: list[str],
    sentence: Mapping[str, str],
) -> tuple[list[list[Field]], list[str]]:
    """Return the rows of fields of the general part, and the paragraphs that follow them.

    ``values`` holds each field's printed value, ``labels`` their labels and
    ``sentence`` the further fields a line may use ({title} …). The position's
    paragraphs stand where the layout lists ``paragraphs`` (in the forms that
    print the fields as lines), numbered with the fields; else after the fields.
    """
    spec = layout.general
    placed = spec.form in ("lines", "paragraph") and PARAGRAPHS in layout.general_keys()
    rows: list[list[Field]] = []
    count = 0
    for row in spec.fields:
        fields = []
        for entry in row:
            if entry.field == PARAGRAPHS:
                entries = [(PARAGRAPHS, "", text, "{value}") for text in paragraphs]
                if not placed:
                    continue
            else:
                value = values.get(entry.field, "")
                name = entry.label or labels.get(entry.field, entry.field)
                entries = [(entry.field, name, value, entry.text or spec.line)] if value else []
            for key, name, value, template in entries:
                count += 1
                num = item_number(layout.numbering, number, count) if spec.numbered else ""
                line = fill(template, label=name, value=value, number=num, **sentence)
                if num and "{number}" not in template:
                    line = f"{num} {line}"
                label = f"{num} {name}" if num else name
                fields.append(Field(label, value, key, name, num, line))
        if fields:
            rows.append(fields)
    return rows, [] if placed else list(paragraphs)
