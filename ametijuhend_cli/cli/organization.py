"""Commands about the organization as a whole: list, review, report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ametijuhend_cli.cli._common import (
    data_option,
    handle_errors,
    project_paths,
    quiet,
    say,
    show,
    today_of,
    today_option,
)
from ametijuhend_cli.errors import msg, nmsg

if TYPE_CHECKING:
    from ametijuhend_cli.checking.engine import Checked

format_option = click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


def _checked(data: Path | None) -> Checked:
    from ametijuhend_cli.checking.engine import checked_project

    # list, review and report read the positions, not their documents
    return checked_project(project_paths(data))


@click.command("list")
@click.option("--unit", help="Only positions of this unit (by id) and its sub-units.")
@click.option("--manager", help="Only positions with this manager (a position id or a name).")
@format_option
@data_option
@handle_errors
def list_positions(unit: str | None, manager: str | None, fmt: str, data: Path | None) -> None:
    """List the positions: id, title, unit, manager, employment, last review.

    Rows are in Estonian alphabetical order of the titles.

    \b
    Examples:
      ametijuhend list
      ametijuhend list --unit ennetustalitus --format csv > ametikohad.csv
      ametijuhend list --manager Tiimijuht --format json
    """
    from ametijuhend_cli.organization.listing import format_table, position_table

    checked = _checked(data)
    table = position_table(checked.project, checked.names, unit=unit, manager=manager)
    _echo_table(format_table(table, fmt, checked.wording.spreadsheet), fmt)


def _echo_table(text: str, fmt: str) -> None:
    """Print a table: CSV and JSON as their UTF-8 bytes (the CSV's byte-order mark says so),
    whatever the console's encoding, so that `> file.csv` is the file a spreadsheet reads."""
    click.echo(text.encode("utf-8") if fmt in ("csv", "json") else text, nl=False)


@click.command()
@format_option
@today_option
@data_option
@handle_errors
def review(fmt: str, today: dt.datetime | None, data: Path | None) -> None:
    """List the job descriptions overdue for review, oldest first, with their managers.

    A review is due review_period_months (ametijuhend.yaml, default 12) after
    the later of 'reviewed' and the approval date; a position with neither
    has never been reviewed and comes first.

    \b
    Examples:
      ametijuhend review
      ametijuhend review --today 2025-06-30 --format csv
    """
    from ametijuhend_cli.organization.listing import format_table, review_table

    checked = _checked(data)
    table = review_table(checked.project, checked.names, today_of(today))
    months = checked.project.paths.review_period_months
    if fmt != "table":
        _echo_table(format_table(table, fmt, checked.wording.spreadsheet), fmt)
    elif not table.rows:
        said = nmsg(
            "no job description is overdue for review (every {n} month)",
            "no job description is overdue for review (every {n} months)",
            months,
        )
        show(said)
    else:
        click.echo(format_table(table, fmt), nl=False)
        every = nmsg("every {n} month", "every {n} months", months)
        said = nmsg(
            "{overdue} of {n} position overdue for review ({every})",
            "{overdue} of {n} positions overdue for review ({every})",
            len(checked.project.positions),
            overdue=len(table.rows),
            every=every,
        )
        show(said)


@click.command()
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: out/report/).",
)
@today_option
@data_option
@handle_errors
def report(out: Path | None, today: dt.datetime | None, data: Path | None) -> None:
    """Write an overview of the organization: report.md, report.csv, orgchart.svg.

    report.md lists the positions per unit, which competencies and rights each
    position uses, the job descriptions overdue for review, and an organization
    chart (a Mermaid diagram). report.csv has one row per position. The SVG
    chart needs Graphviz (dot); without it, it is skipped.

    \b
    Examples:
      ametijuhend report
      ametijuhend report --out /tmp/ulevaade
    """
    from ametijuhend_cli.messages import display_path
    from ametijuhend_cli.organization.report import write_report
    from ametijuhend_cli.sources.paths import writable_folder

    checked = _checked(data)
    target = writable_folder(
        checked.project.paths,
        out if out is not None else checked.project.paths.out / "report",
        given=out is not None,
    )
    result = write_report(checked.project, checked.templates, today_of(today), target)
    for path, changed in result.files:
        shown = display_path(path)
        say(msg("wrote {path}", path=shown) if changed else msg("unchanged {path}", path=shown))
    if result.skipped is not None and not quiet():
        click.echo(str(result.skipped), err=True)


#: The commands of this module, added to the group by the package.
COMMANDS = (list_positions, review, report)
