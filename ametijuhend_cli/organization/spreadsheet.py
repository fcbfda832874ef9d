"""CSV for spreadsheets: ';'-separated, UTF-8 with a byte order mark, no formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

#: A cell starting with one of these is a formula in Excel, LibreOffice and
#: Google Sheets ('=HYPERLINK(…)', '+1', '-1', '@SUM(…)'), also after a tab or
#: a carriage return; OWASP: prefix a single quote so that it stays text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Excel in an Estonian (and most European) locale splits a CSV at ';': the
#: comma is the decimal separator there.
SEPARATOR = ";"


def cell(value: str) -> str:
    """Return ``value`` safe to open in a spreadsheet: a formula turned into text."""
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Return the CSV text (a byte order mark first) of ``header`` and ``rows``.

    Every field is quoted and every cell neutralised, headers too (they come
    from the wording, which a project may override).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    # a byte order mark, so that spreadsheet programs read the file as UTF-8
    return "\ufeff" + buffer.getvalue()
