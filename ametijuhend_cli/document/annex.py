"""The annex label of a job description annexed to an approval directive ("Lisa 1").

The one place that decides the label's wording and where it stands: the
wording file's ``annex`` (h-layout's layout file will take this over).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ametijuhend_cli.document.view import DocumentView


def annexed(
    view: DocumentView,
    number: int,
    *,
    by: str = "",
    date: dt.date | None = None,
    directive: str = "",
) -> DocumentView:
    """Return ``view`` as annex ``number`` of a directive (its label above everything)."""
    wording = view.wording.annex
    lines = [wording.label.format(number=number)]
    if directive and date is not None:
        day = date.strftime(view.wording.date_format)
        lines.append(wording.line.format(by=by, date=day, directive=directive))
    return dataclasses.replace(view, annex=lines)
