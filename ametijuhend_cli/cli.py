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
            errors = [p for p in exc.problems if p.severity == "error"]
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            n = len(errors)
            files = len({p.path for p in errors})
            done = len(getattr(exc, "written", []))
            _fail(
                f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"
                + (
                    f"; {done} file{'s' if done != 1 else ''} had been written, each complete"
                    if done
                    else "; nothing was written"
                )
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
@handle_errors
def build(
    position_ids: tuple[str, ...], out: Path | None, formats: tuple[str, ...], data: Path | None
) -> None:
    """Write the job descriptions of all (or the given) positions.

    \b
    Examples:
      ametijuhend build
      ametijuhend build koordinaator-ringist-valja --format docx --out /tmp/aj
    """
    from .build import FORMATS
    from .build import build as run_build
    from .project import display_path

    def report(path: Path, changed: bool) -> None:
        click.echo(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")

    result = run_build(
        _paths(data), position_ids or None, out=out, formats=formats or FORMATS, on_write=report
    )
    for problem in result.warnings:  # problems of positions not asked for
        click.echo(str(problem), err=True)
    for path in result.cleaned:
        click.echo(f"removed {display_path(path)} (left by an interrupted build)")
    changed = len(result.written)
    click.echo(
        f"built {result.positions} position{'s' if result.positions != 1 else ''}, "
        f"{changed} file{'s' if changed != 1 else ''}"
    )


@cli.command()
@data_option
@handle_errors
def validate(data: Path | None) -> None:
    """Check every source file and template without writing anything.

    \b
    Example:
      ametijuhend validate
    """
    from .build import validate as run_validate

    n = run_validate(_paths(data))
    click.echo(f"ok: {n} position{'s' if n != 1 else ''}, no problems")


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
