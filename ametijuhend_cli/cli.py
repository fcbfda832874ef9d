"""Command-line interface: parses options, calls the core, turns its errors into messages."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def handle_errors(func: F) -> F:
    """Turn the core's exceptions into messages on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import AmetijuhendError, DataError

        try:
            return func(*args, **kwargs)
        except DataError as exc:
            errors = exc.failing()
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            n = len(errors)
            files = len({p.path for p in errors})
            strict = exc.strict and any(p.severity != "error" for p in errors)
            _fail(
                f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"
                + (" (warnings count under --strict)" if strict else "")
                + "; nothing was written"
            )
        except AmetijuhendError as exc:
            _fail(f"error: {exc}")

    return wrapper  # type: ignore[return-value]


def _paths(data: Path | None) -> Any:
    from .project import find_project

    return find_project(Path.cwd(), data)


data_option = click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    help="The data folder (default: from ametijuhend.yaml, or ./data).",
)


strict_option = click.option(
    "--strict", is_flag=True, help="Fail on warnings too (exit code 1), e.g. in CI."
)
today_option = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date reviews are checked against, YYYY-MM-DD (default: today's date).",
)


def _today(value: Any) -> Any:
    """Return the date given with --today, else the clock's: the only place it is read."""
    import datetime as dt

    return value.date() if value is not None else dt.date.today()


def _warn(warnings: list[Any]) -> None:
    for problem in warnings:
        click.echo(str(problem), err=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ametijuhend")
def cli() -> None:
    """Job descriptions (ametijuhendid) as code: YAML in, Markdown and DOCX out.

    Run the commands in a project folder: one with an ametijuhend.yaml or a
    data/ folder (organization.yaml, library/, positions/).
    """


@cli.command()
@click.argument("position_ids", nargs=-1)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: out/).",
)
@click.option(
    "--format",
    "-f",
    "formats",
    type=click.Choice(["md", "docx", "pdf"]),
    multiple=True,
    help="Format to write; repeat for several (default: md and docx; pdf needs LibreOffice).",
)
@data_option
@strict_option
@today_option
@handle_errors
def build(
    position_ids: tuple[str, ...],
    out: Path | None,
    formats: tuple[str, ...],
    data: Path | None,
    strict: bool,
    today: Any,
) -> None:
    """Write the job descriptions of all (or the given) positions.

    Warnings (see validate) are printed and do not stop the build unless
    --strict is given.

    \b
    Examples:
      ametijuhend build
      ametijuhend build koordinaator-ringist-valja --format docx --out /tmp/aj
      ametijuhend build --strict
    """
    from .build import FORMATS
    from .build import build as run_build
    from .project import display_path

    def report(path: Path, changed: bool) -> None:
        click.echo(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")

    result = run_build(
        _paths(data),
        position_ids or None,
        out=out,
        formats=formats or FORMATS,
        on_write=report,
        today=_today(today),
        strict=strict,
    )
    _warn(result.warnings)
    changed = len(result.written)
    click.echo(
        f"built {_plural(result.positions, 'position')}, {_plural(changed, 'file')}"
        + (f", {_plural(len(result.warnings), 'warning')}" if result.warnings else "")
    )


@cli.command()
@data_option
@strict_option
@today_option
@handle_errors
def validate(data: Path | None, strict: bool, today: Any) -> None:
    """Check every source file and template without writing anything.

    Besides errors, it warns about: substitutes not listed on both sides,
    library entries no position uses, near-identical library texts, and job
    descriptions overdue for review. Warnings fail only with --strict.

    \b
    Examples:
      ametijuhend validate
      ametijuhend validate --strict --today 2025-01-31
    """
    from .build import validate as run_validate

    result = run_validate(_paths(data), today=_today(today), strict=strict)
    _warn(result.warnings)
    n = len(result.warnings)
    click.echo(
        f"ok: {_plural(result.positions, 'position')}, "
        + (_plural(n, "warning") if n else "no problems")
    )


@cli.command("reference-docx")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def reference_docx(output: Path, force: bool) -> None:
    """Write the built-in reference document, to restyle in Word.

    Put the restyled copy in your project's templates/ folder as
    reference.docx; every document then takes its styles from it.

    \b
    Example:
      ametijuhend reference-docx templates/reference.docx
    """
    from .build import write_atomic
    from .errors import OutputError
    from .render.reference import reference_docx as make

    if output.exists() and not force:
        raise OutputError(f"{output} already exists; use --force to overwrite it")
    write_atomic(output, make())
    click.echo(f"wrote {output}")


format_option = click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


def _checked(data: Path | None) -> Any:
    from .build import load_checked

    return load_checked(_paths(data))


def _names(checked: Any) -> Any:
    from .references import PositionNames

    return PositionNames(checked.project, checked.templates.wording.position_with_unit)


@cli.command("list")
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
    from .listing import format_table, position_table

    checked = _checked(data)
    table = position_table(checked.project, _names(checked), unit=unit, manager=manager)
    click.echo(format_table(table, fmt), nl=False)


@cli.command()
@format_option
@today_option
@data_option
@handle_errors
def review(fmt: str, today: Any, data: Path | None) -> None:
    """List the job descriptions overdue for review, oldest first, with their managers.

    A review is due review_period_months (ametijuhend.yaml, default 12) after
    the later of 'reviewed' and the approval date; a position with neither
    has never been reviewed and comes first.

    \b
    Examples:
      ametijuhend review
      ametijuhend review --today 2025-06-30 --format csv
    """
    from .listing import format_table, review_table

    checked = _checked(data)
    table = review_table(checked.project, _names(checked), _today(today))
    months = checked.project.paths.review_period_months
    if fmt != "table":
        click.echo(format_table(table, fmt), nl=False)
    elif not table.rows:
        click.echo(f"no job description is overdue for review (every {_plural(months, 'month')})")
    else:
        click.echo(format_table(table, fmt), nl=False)
        click.echo(
            f"{len(table.rows)} of {_plural(len(checked.project.positions), 'position')} "
            f"overdue for review (every {_plural(months, 'month')})"
        )


@cli.command()
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: out/report/).",
)
@today_option
@data_option
@handle_errors
def report(out: Path | None, today: Any, data: Path | None) -> None:
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
    from .build import write_atomic
    from .errors import OutputError
    from .project import display_path
    from .report import write_report

    checked = _checked(data)
    target = out if out is not None else checked.project.paths.out / "report"

    def write(path: Path, content: bytes) -> bool:
        try:
            return write_atomic(path, content)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None

    result = write_report(checked.project, checked.templates, _today(today), target, write)
    for path, changed in result.written:
        click.echo(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")
    if result.skipped:
        click.echo(result.skipped, err=True)


def main() -> None:
    """Run the command-line interface."""
    cli()
