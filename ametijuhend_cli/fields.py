"""Format strings of project files ('{title} ({unit})'): plain fields only, filled safely."""

from __future__ import annotations

import string

from ametijuhend_cli.errors import Message, msg, verbatim
from ametijuhend_cli.messages import excerpt

#: What Python's str.format says of a format string it cannot read, in the catalog.
_FORMAT_ERRORS = {
    "Single '}' encountered in format string": msg("Single '}}' encountered in format string"),
    "Single '{' encountered in format string": msg("Single '{{' encountered in format string"),
    "expected '}' before end of string": msg("expected '}}' before end of string"),
    "unmatched '{' in format spec": msg("unmatched '{{' in format spec"),
}


def _said(exc: ValueError) -> Message:
    """Return what str.format says of a format string it cannot read, in the catalog's words."""
    return _FORMAT_ERRORS.get(str(exc)) or verbatim(str(exc))


def field_names(value: str, what: str = "") -> list[str]:
    """Return the names of the fields of a format string; raise ValueError for one that is
    more than a plain name in braces (an index, an attribute, a conversion, a format)."""
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError as exc:
        raise ValueError(
            msg("{what}{value}: {error}", what=what, value=excerpt(value), error=_said(exc))
        ) from None
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise ValueError(
                msg(
                    "{what}{value}: the field {field} is not a plain name in braces (write "
                    "'{{{{' and '}}}}' for braces that are text)",
                    what=what,
                    value=excerpt(value),
                    field=excerpt(shown),
                )
            )
        names.append(name)
    return names


def fill(template: str, **values: object) -> str:
    """Return the format string ``template`` of a project file with its fields filled in.

    Only plain fields ("{level}") are filled, never an index, an attribute or a
    format: a project file is validated when it is read, and a field that has
    no value here raises ValueError instead of reaching into anything.
    """
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            if name not in values:
                raise ValueError(
                    msg(
                        "the wording {wording} has no value for {field}",
                        wording=excerpt(template),
                        field="{" + name + "}",
                    )
                )
            out.append(str(values[name]))
    return "".join(out)
