"""Command-line interface: parses options, calls the core, turns its errors into messages."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__

F = TypeVar("F", bound=Callable[..., Any])

#: The choices of --employment and --format, spelt out here so that --help
#: need not import the models (tests check they match).
EMPLOYMENT_CHOICES = ("ametnik", "töötaja")
FORMAT_CHOICES = ("md", "docx", "pdf")


@dataclass
class Settings:
    """The global options: -1 quiet, 0 normal, 1 verbose."""

    verbosity: int = 0


def _settings() -> Settings:
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(Settings) if ctx is not None else None
    return found if found is not None else Settings()


def say(message: str) -> None:
    """Print a progress or result line, unless --quiet."""
    if _settings().verbosity >= 0:
        click.echo(message)


def detail(message: str) -> None:
    """Print a line on stderr with --verbose only."""
    if _settings().verbosity > 0:
        click.echo(message, err=True)


def report_write(path: Path, changed: bool) -> None:
    """Print that ``path`` was written or left as it was."""
    from .project import display_path

    say(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")


def _problem(text: str, severity: str) -> None:
    # colour the located first line; click leaves the colour out when stderr
    # is not a terminal, and the group turns it off for NO_COLOR
    first, _, rest = text.partition("\n")
    colour = "red" if severity == "error" else "yellow"
    click.echo(click.style(first, fg=colour) + ("\n" + rest if rest else ""), err=True)


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
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
                _problem(str(problem), problem.severity)
            n = len(errors)
            files = len({p.path for p in errors})
            strict = exc.strict and any(p.severity != "error" for p in errors)
            done = len(getattr(exc, "written", []))
            if done:
                outcome = f"{done} file{'s' if done != 1 else ''} had been written, each complete"
            else:
                outcome = exc.note or "nothing was written"
            _fail(
                f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"
                + (" (warnings count under --strict)" if strict else "")
                + f"; {outcome}"
            )
        except AmetijuhendError as exc:
            _fail(f"error: {exc}")

    return wrapper  # type: ignore[return-value]


def _paths(data: Path | None) -> Any:
    from .project import display_path, find_project

    paths = find_project(Path.cwd(), data)
    detail(f"project: {display_path(paths.root)}")
    for name in ("data", "out", "templates", "schemas"):
        folder = getattr(paths, name)
        note = "" if folder.is_dir() else " (not there)"
        detail(f"  {name}: {display_path(folder)}{note}")
    if paths.formats:
        detail(f"  formats: {', '.join(paths.formats)}")
    return paths


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
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say where the project's folders are (on stderr)."
)
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Job descriptions (ametijuhendid) as code: YAML in, Markdown and DOCX out.

    Run the commands in a project folder: one with an ametijuhend.yaml or a
    data/ folder (organization.yaml, library/, positions/). Problems are
    printed in colour on a terminal; set NO_COLOR=1 to turn colour off.

    \b
    Examples:
      ametijuhend validate
      ametijuhend -q build
      ametijuhend new nounik --unit arendustalitus
    """
    if quiet and verbose:
        raise click.UsageError("give --quiet or --verbose, not both")
    ctx.obj = Settings(-1 if quiet else 1 if verbose else 0)
    if os.environ.get("NO_COLOR"):  # https://no-color.org: set and not empty
        ctx.color = False


def _complete_positions(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from .errors import AmetijuhendError
    from .project import find_project, position_files

    try:
        paths = find_project(Path.cwd(), ctx.params.get("data"))
        files = position_files(paths.positions)
    except (AmetijuhendError, OSError):  # completion stays silent
        return []
    return [f.stem for f in files if f.stem.startswith(incomplete)]


def _complete_units(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from .errors import AmetijuhendError
    from .project import find_project
    from .scaffold import unit_ids

    try:
        units = unit_ids(find_project(Path.cwd(), ctx.params.get("data")))
    except (AmetijuhendError, OSError):
        return []
    return sorted(u for u in units if u.startswith(incomplete))


@cli.command()
@click.argument("position_ids", nargs=-1, shell_complete=_complete_positions)
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
    type=click.Choice(FORMAT_CHOICES),
    multiple=True,
    help="Format to write; repeat for several (default: formats in ametijuhend.yaml, "
    "or md and docx; pdf needs LibreOffice).",
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
@strict_option
@today_option
@handle_errors
def build(
    position_ids: tuple[str, ...],
    out: Path | None,
    formats: tuple[str, ...],
    check: bool,
    force: bool,
    jobs: int | None,
    data: Path | None,
    strict: bool,
    today: Any,
) -> None:
    """Write the job descriptions of all (or the given) positions.

    Only positions whose sources, library entries or templates changed since
    the last build are rendered again; outputs of deleted positions are
    removed. With --check nothing is written: the command lists every output
    that is missing, stale or orphaned and exits 1 if there is any (the CI gate).
    Each position is checked as it is built; with --strict the organization
    is first checked as a whole, as validate does, and warnings fail too.

    \b
    Examples:
      ametijuhend build
      ametijuhend build koordinaator-ringist-valja --format docx --out /tmp/aj
      ametijuhend build --check --format md
      ametijuhend build --strict
    """
    from .build import build as run_build
    from .project import display_path

    shown = {"wrote", "removed", "stale", "missing", "orphaned"}

    def report(kind: str, path: Path) -> None:
        if kind in shown:
            say(f"{kind} {display_path(path)}")

    with _progress() as progress:
        result = run_build(
            _paths(data),
            position_ids or None,
            out=out,
            formats=formats or None,
            force=force,
            check=check,
            jobs=jobs,
            on_event=report,
            on_progress=progress,
            today=_today(today),
            strict=strict,
        )
    _warn(result.warnings)
    for path in result.cleaned:
        say(f"removed {display_path(path)} (left by an interrupted build)")
    n = result.positions
    positions = f"{n} position{'s' if n != 1 else ''}"
    if check:
        bad = result.paths("stale", "missing", "orphaned")
        if bad:
            _fail(
                f"{len(bad)} output{'s are' if len(bad) != 1 else ' is'} out of date; "
                "run ametijuhend build"
            )
        say(f"all outputs of {positions} are current")
        return
    wrote, removed = len(result.paths("wrote")), len(result.paths("removed"))
    summary = f"built {positions}: {wrote} file{'s' if wrote != 1 else ''} written"
    if removed:
        summary += f", {removed} removed"
    summary += f", {result.counts['unchanged']} unchanged"
    if result.warnings:
        summary += f", {_plural(len(result.warnings), 'warning')}"
    say(summary)


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
    say(
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
    say(f"wrote {output}")


@cli.command()
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write to (default: the project's schemas/ folder).",
)
@data_option
@handle_errors
def schema(out: Path | None, data: Path | None) -> None:
    """Write JSON Schemas of the YAML files, for completion and checks in editors.

    One schema per kind of file: position.schema.json, organization.schema.json,
    library-<kind>.schema.json (one per library file) and ametijuhend.schema.json.
    A YAML file names its schema in its first line, e.g.
    "# yaml-language-server: $schema=../../schemas/position.schema.json"; the README
    shows the editor setup.

    \b
    Examples:
      ametijuhend schema
      ametijuhend schema --out /tmp/schemas
    """
    from .project import display_path
    from .schema import write_schemas

    folder = out if out is not None else _paths(data).schemas
    written = write_schemas(folder, on_write=report_write)
    say(f"{len(written)} schemas in {display_path(folder)}")


def _check_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from .models import check_slug

    try:
        return check_slug(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command()
@click.argument("position_id", callback=_check_id)
@click.option(
    "--from",
    "from_id",
    metavar="ID",
    shell_complete=_complete_positions,
    help="Copy this position: all but its title, purpose, tasks and signatory.",
)
@click.option("--unit", metavar="UNIT", shell_complete=_complete_units, help="Id of the unit.")
@click.option("--title", help="The job title (ametinimetus).")
@click.option(
    "--employment",
    type=click.Choice(EMPLOYMENT_CHOICES),
    help="ametnik (official) or töötaja (employee).",
)
@data_option
@handle_errors
def new(
    position_id: str,
    from_id: str | None,
    unit: str | None,
    title: str | None,
    employment: str | None,
    data: Path | None,
) -> None:
    """Write a new position file to fill in.

    The file is data/positions/POSITION_ID.yaml, every field in it,
    commented with what it holds. The library
    references (rights, responsibilities, work tools, competencies, clauses)
    are the ones most positions of the unit share, or those of the --from
    position. Fill in the empty fields; `ametijuhend validate` names them.
    An existing file is never overwritten.

    \b
    Examples:
      ametijuhend new nounik --unit arendustalitus --title Nõunik --employment ametnik
      ametijuhend new koordinaator-2 --from koordinaator-klat
    """
    from .project import display_path
    from .scaffold import new_position
    from .schema import POSITION_SCHEMA

    paths = _paths(data)
    made = new_position(
        paths, position_id, from_id=from_id, unit=unit, title=title, employment=employment
    )
    say(f"wrote {display_path(made.path)}")
    if made.sources and from_id is None:
        say(f"library references from {made.basis}: {', '.join(made.sources)}")
    if made.blanks:
        say("fill in: " + ", ".join(made.blanks))
    say("then check it: ametijuhend validate")
    if not (paths.schemas / POSITION_SCHEMA).is_file():
        say(
            f"note: {display_path(paths.schemas / POSITION_SCHEMA)} is not there yet; "
            "`ametijuhend schema` writes it, for completion and checks in your editor"
        )


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


@cli.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The position file to write (one FILE only; its name is the id).",
)
@click.option(
    "--to",
    "to",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write <id>.yaml into (default: the project's data/positions/).",
)
@click.option("--force", is_flag=True, help="Overwrite existing position files.")
@click.option(
    "--suggest-library",
    is_flag=True,
    help="Propose library entries for the texts that match none.",
)
@data_option
@handle_errors
def import_(
    files: tuple[Path, ...],
    output: Path | None,
    to: Path | None,
    force: bool,
    suggest_library: bool,
    data: Path | None,
) -> None:
    """Turn existing job descriptions (.docx, or text extracted from a PDF) into position files.

    Sections, tasks, lists, requirements and signatures are read from the
    standard layout, in the official's or the employee's wording. Texts that
    match a library entry (exactly or nearly) become references; the report
    lists the near matches with the words that differ. Nothing is
    overwritten without --force, and a file that cannot be read writes
    nothing.

    \b
    Examples:
      ametijuhend import vana/koordinaator.docx
      ametijuhend import vana/*.docx --to data/positions --suggest-library
      ametijuhend import ekspert.txt -o data/positions/ekspert.yaml --force
    """
    if output is not None and (to is not None or len(files) > 1):
        raise click.UsageError("-o/--output takes one FILE and no --to; use --to DIR for several")
    from .importer import import_files

    outcomes = import_files(
        _paths(data), files, output=output, to=to, force=force, suggest=suggest_library
    )
    for outcome in outcomes:
        for line in outcome.report():
            click.echo(line)
        for problem in outcome.problems:
            click.echo(str(problem), err=True)
    failed = sum(not o.ok for o in outcomes)
    if failed:
        _fail(
            f"{failed} of {len(outcomes)} file{'s' if len(outcomes) != 1 else ''} could not be "
            "imported; nothing was written for " + ("it" if failed == 1 else "them")
        )


def main() -> None:
    """Run the command-line interface."""
    # the same name for `python -m ametijuhend_cli`: usage lines and completion
    # (_AMETIJUHEND_COMPLETE) read it
    cli(prog_name="ametijuhend")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def textconv(file: Path) -> None:
    """Print a DOCX job description as plain text, for git diffs.

    One line per paragraph; list items start with "- "; in a table row the
    first cell comes first and the other cells are indented under it.

    \b
    Examples:
      ametijuhend textconv out/teenusejuht-kov.docx
      # once per repository, so that git diff shows DOCX changes as text:
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
