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


def main() -> None:
    """Run the command-line interface."""
    cli()
