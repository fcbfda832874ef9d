"""The annex label of a job description annexed to an approval directive ("Lisa 1").

The one place that decides the label's wording and where it stands. The
wording keys are those of h-layout's layout model (``approval.annex_label``,
``approval.annex_line_untitled`` of the wording): once the layouts land, the
layout's wording and ``layout.annex_label`` take this over.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import string

from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import TemplateError, msg
from ametijuhend_cli.fields import fill as fill_fields

LABEL = "annex_label"
LINE = "annex_line_untitled"


def fill(template: str, key: str, **values: str) -> str:
    """Return a wording template with its {fields} filled; only plain names of ``values``."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise TemplateError(
            msg("wording approval.{key}: {error}", key=key, error=str(exc))
        ) from None
    wrong = [f for f in fields if f not in values]
    if wrong:
        allowed = ", ".join("{" + name + "}" for name in values)
        raise TemplateError(
            msg(
                "wording approval.{key}: {{{field}}} is not one of {allowed}",
                key=key,
                field=wrong[0],
                allowed=allowed,
            )
        )
    return fill_fields(template, **values)


def annexed(
    view: DocumentView,
    number: int,
    *,
    by: str = "",
    date: dt.date | None = None,
    directive: str = "",
) -> DocumentView:
    """Return ``view`` as annex ``number`` of a directive: its label above everything.

    A draft directive has no number yet: the label is "Lisa 1". Once it has
    one (and a date), the line names it: "… 01.03.2025 käskkirja nr 1-2/34 lisa 1".
    """
    wording = view.wording.approval
    if directive and date is not None and LINE in wording:
        day = date.strftime(view.wording.date_format)
        line = fill(wording[LINE], LINE, by=by, date=day, number=directive, annex=str(number))
        return dataclasses.replace(view, annex=[line])
    return dataclasses.replace(view, annex=[fill(wording[LABEL], LABEL, annex=str(number))])
