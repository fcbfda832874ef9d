"""Command-line interface: parses options, calls the core, turns its errors into messages."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
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
            _fail(
                f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"
                f"; {exc.note or 'nothing was written'}"
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
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any output is out of date.")
@click.option("--force", is_flag=True, help="Render every position, changed or not.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to render with (default: one per core).",
)
@data_option
@handle_errors
def build(
    position_ids: tuple[str, ...],
    out: Path | None,
    formats: tuple[str, ...],
    check: bool,
    force: bool,
    jobs: int | None,
    data: Path | None,
) -> None:
    """Write the job descriptions of all (or the given) positions.

    Only positions whose sources, library entries or templates changed since
    the last build are rendered again; outputs of deleted positions are
    removed. With --check nothing is written: the command lists every output
    that is missing, stale or orphaned and exits 1 if there is any (the CI gate).

    \b
    Examples:
      ametijuhend build
      ametijuhend build koordinaator-ringist-valja --format docx --out /tmp/aj
      ametijuhend build --check --format md
    """
    from .build import FORMATS
    from .build import build as run_build
    from .project import display_path

    shown = {"wrote", "removed", "stale", "missing", "orphaned"}

    def report(kind: str, path: Path) -> None:
        if kind in shown:
            click.echo(f"{kind} {display_path(path)}")

    with _progress() as progress:
        result = run_build(
            _paths(data),
            position_ids or None,
            out=out,
            formats=formats or FORMATS,
            force=force,
            check=check,
            jobs=jobs,
            on_event=report,
            on_progress=progress,
        )
    n = result.positions
    positions = f"{n} position{'s' if n != 1 else ''}"
    if check:
        bad = result.paths("stale", "missing", "orphaned")
        if bad:
            _fail(
                f"{len(bad)} output{'s are' if len(bad) != 1 else ' is'} out of date; "
                "run ametijuhend build"
            )
        click.echo(f"all outputs of {positions} are current")
        return
    wrote, removed = len(result.paths("wrote")), len(result.paths("removed"))
    summary = f"built {positions}: {wrote} file{'s' if wrote != 1 else ''} written"
    if removed:
        summary += f", {removed} removed"
    click.echo(summary + f", {result.counts['unchanged']} unchanged")


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """Yield a progress callback drawing a bar on a terminal, or None elsewhere."""
    if not sys.stderr.isatty():
        yield None
        return
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            if total < 50:  # small builds finish before a bar is worth drawing
                return
            bar = click.progressbar(length=total, label="rendering", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


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


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def textconv(file: Path) -> None:
    """Print a DOCX job description as plain text, for git diffs.

    One line per paragraph; list items start with "- "; in a table row the
    first cell comes first and the other cells are indented under it.

    \b
    Example (once per repository):
      git config diff.ametijuhend.textconv "ametijuhend textconv"
      echo "*.docx diff=ametijuhend" >> .gitattributes
    """
    from .textconv import textconv as convert

    click.echo(convert(file), nl=False)


@cli.command()
@click.argument("args", nargs=-1)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes, like git diff.")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
@data_option
@handle_errors
def diff(args: tuple[str, ...], exit_code: bool, output: Path | None, data: Path | None) -> None:
    """Summarize what changed in each job description between two git revisions.

    ARGS are up to two revisions (default: HEAD and the working tree) and then
    position ids to limit the report. The Markdown it prints names, in the
    documents' own terms, the sections, tasks (by number), rights,
    responsibilities, requirements and competencies that changed, and the
    shared library texts behind them: a notice for the employee.

    \b
    Examples:
      ametijuhend diff
      ametijuhend diff HEAD~3 HEAD teenusejuht-kov
      ametijuhend diff main --exit-code
    """
    from .build import write_atomic
    from .changes import changes_between, render_report
    from .gitrev import is_revision

    paths = _paths(data)
    revisions: list[str] = []
    rest = list(args)
    while rest and len(revisions) < 2 and is_revision(paths.root, rest[0]):
        revisions.append(rest.pop(0))
    old = revisions[0] if revisions else "HEAD"
    new = revisions[1] if len(revisions) > 1 else None
    report, templates = changes_between(paths, old, new, rest or None)
    text = render_report(report, templates)
    if output is not None:
        write_atomic(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)
    if exit_code and report.changed:
        sys.exit(1)


@cli.command()
@click.argument("entry")
@data_option
@handle_errors
def impact(entry: str, data: Path | None) -> None:
    """List the positions that use a library entry (and change when it is edited).

    ENTRY is an id ("kaugtoo") or kind/id ("rights/kaugtoo").

    \b
    Example:
      ametijuhend impact konfidentsiaalsus
    """
    from .impact import impact as find_users

    matches, users = find_users(_paths(data), entry)
    for pid, title in users:
        click.echo(f"{pid}\t{title}")
    n = len(users)
    click.echo(f"{', '.join(matches)}: used by {n} position{'s' if n != 1 else ''}", err=True)
