"""One row per position (list) or per overdue review, as a terminal table, CSV or JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.errors import Message, UnknownUnitError, msg
from ametijuhend_cli.messages import maybe_meant
from ametijuhend_cli.organization.collation import estonian_key
from ametijuhend_cli.organization.consistency import manager_of
from ametijuhend_cli.organization.review import overdue, review_status
from ametijuhend_cli.organization.spreadsheet import write_csv
from ametijuhend_cli.sources.project import LoadedPosition, Project
from ametijuhend_cli.sources.units import subtree

FORMATS = ("table", "csv", "json")
Value = str | dt.date | None


@dataclass(frozen=True)
class Column:
    """A column: its key in CSV and JSON, and its heading in the terminal table."""

    key: str
    heading: Message
    in_table: bool = True


@dataclass(frozen=True)
class Table:
    """Rows of values under named columns."""

    columns: Sequence[Column]
    rows: list[dict[str, Value]]


# the headings of the terminal table (the CSV's are the wording's)
_ID = Column("id", msg("ID"))
_TITLE = Column("title", msg("TITLE"))
_UNIT = Column("unit_name", msg("UNIT"))
_MANAGER = Column("manager", msg("MANAGER"))
_MANAGER_ID = Column("manager_id", msg("MANAGER ID"), in_table=False)
_LAST_REVIEW = Column("last_review", msg("LAST REVIEW"))
LIST_COLUMNS = (
    _ID,
    _TITLE,
    Column("unit", msg("UNIT ID"), in_table=False),
    _UNIT,
    _MANAGER,
    _MANAGER_ID,
    Column("employment", msg("EMPLOYMENT")),
    _LAST_REVIEW,
)
REVIEW_COLUMNS = (
    _ID,
    _TITLE,
    _UNIT,
    _MANAGER,
    _MANAGER_ID,
    _LAST_REVIEW,
    Column("due", msg("DUE")),
)


def _base_row(project: Project, names: PositionNames, position: LoadedPosition) -> dict[str, Value]:
    units = project.units
    model = position.model
    return {
        "id": position.id,
        "title": model.title,
        "unit": model.unit,
        "unit_name": units[model.unit].name if model.unit in units else model.unit,
        "manager": names.display(model.manager) if model.manager is not None else "",
        "manager_id": manager_of(position),
    }


def _sort_key(row: dict[str, Value]) -> tuple[object, ...]:
    return (
        estonian_key(str(row["title"])),
        estonian_key(str(row["unit_name"])),
        str(row["id"]),
    )


def position_table(
    project: Project,
    names: PositionNames,
    *,
    unit: str | None = None,
    manager: str | None = None,
) -> Table:
    """Return one row per position in Estonian alphabetical order of titles.

    ``unit`` keeps the positions of that unit and its sub-units; ``manager``
    those whose manager is that position id or has that name.
    """
    units = project.units
    keep: set[str] | None = None
    if unit is not None:
        if unit not in units:
            unknown = msg("unknown unit {unit}", unit=f"'{unit}'")
            raise UnknownUnitError(maybe_meant(unknown, unit, units))
        keep = subtree(units, unit)
    rows = []
    for position in project.positions.values():
        row = _base_row(project, names, position)
        if keep is not None and position.model.unit not in keep:
            continue
        named = manager is None or manager == row["manager_id"]
        if not named and str(row["manager"]).casefold() != str(manager).casefold():
            continue
        status = review_status(position, project.paths.review_period_months)
        row.update(employment=position.model.employment, last_review=status.last)
        rows.append(row)
    return Table(LIST_COLUMNS, sorted(rows, key=_sort_key))


def review_table(project: Project, names: PositionNames, today: dt.date) -> Table:
    """Return the positions overdue for review on ``today``, oldest review first."""
    rows = []
    for status in overdue(project, today, project.paths.review_period_months):
        row = _base_row(project, names, project.positions[status.id])
        row.update(last_review=status.last, due=status.due)
        rows.append(row)
    return Table(REVIEW_COLUMNS, rows)


def _text(value: Value, empty: str = "") -> str:
    if value is None:
        return empty
    return value.isoformat() if isinstance(value, dt.date) else value


def format_table(table: Table, fmt: str, headings: dict[str, str] | None = None) -> str:
    """Return ``table`` as a terminal table, CSV or JSON (``fmt``: table, csv or json).

    The CSV is for spreadsheets (see spreadsheet.write_csv), with ``headings``
    (the wording's, by column key) over the columns; JSON keeps the keys.
    """
    if fmt == "json":
        records = [
            {c.key: (_text(row.get(c.key)) or None) for c in table.columns} for row in table.rows
        ]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        names = headings or {}
        return write_csv(
            [names.get(c.key, c.key) for c in table.columns],
            ([_text(row.get(c.key)) for c in table.columns] for row in table.rows),
        )
    if fmt != "table":
        raise ValueError(fmt)
    columns = [c for c in table.columns if c.in_table]
    cells = [[str(c.heading) for c in columns]] + [
        [_text(row.get(c.key), "-") for c in columns] for row in table.rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        + "\n"
        for line in cells
    )
