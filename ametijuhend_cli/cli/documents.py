"""Commands that write or check documents: build, validate, new, import, schema, reference-docx."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ametijuhend_cli.cli._common import (
    EMPLOYMENT_CHOICES,
    FORMAT_CHOICES,
    complete_positions,
    complete_units,
    data_option,
    fail,
    handle_errors,
    note,
    project_paths,
    report_write,
    say,
    strict_option,
    today_of,
    today_option,
    verbose,
    warn,
)
from ametijuhend_cli.errors import Message, joined, msg, nmsg
from ametijuhend_cli.i18n import N_

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


@click.command()
@click.argument("position_ids", nargs=-1, shell_complete=complete_positions)
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
    today: dt.datetime | None,
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
    from ametijuhend_cli.building.run import build as run_build
    from ametijuhend_cli.messages import display_path

    def report(kind: str, path: Path) -> None:
        # under a progress bar on the same terminal, the count in the summary
        # line stands for the written files (-v lists them all the same)
        if kind == "wrote" and progress.active and sys.stdout.isatty() and not verbose():
            return
        said = _event(kind, display_path(path))
        if said is not None:
            say(said)

    with _progress() as progress:
        result = run_build(
            project_paths(data),
            position_ids or None,
            out=out,
            formats=formats or None,
            force=force,
            check=check,
            jobs=jobs,
            on_event=report,
            on_progress=progress.update,
            today=today_of(today),
            strict=strict,
            on_wait=lambda folder, who: note(
                msg(
                    "waiting for {folder}: {who} is building into it",
                    folder=display_path(folder),
                    who=who,
                )
            ),
        )
    warn(result.warnings)  # what the templates left out (the reference document's)
    for path in result.cleaned:
        say(msg("removed {path} (left by an interrupted build)", path=display_path(path)))
    n = result.positions
    if check:
        bad = sum(result.counts[kind] for kind in ("stale", "missing", "orphaned"))
        if bad:
            fail(
                nmsg(
                    "{n} output is out of date; run ametijuhend build",
                    "{n} outputs are out of date; run ametijuhend build",
                    bad,
                )
            )
        say(
            nmsg(
                "all outputs of {n} position are current",
                "all outputs of {n} positions are current",
                n,
            )
        )
        return
    counts = [nmsg("{n} file written", "{n} files written", result.counts["wrote"])]
    if result.counts["removed"]:
        counts.append(msg("{n} removed", n=result.counts["removed"]))
    kept = len(result.paths("kept"))
    if kept:
        counts.append(msg("{n} kept", n=kept))
    counts.append(msg("{n} unchanged", n=result.counts["unchanged"]))
    built = nmsg(
        "built {n} position: {counts}", "built {n} positions: {counts}", n, counts=joined(counts)
    )
    say(built)


def _event(kind: str, path: str) -> Message | None:
    """Return the line that says what became of an output (None: not shown)."""
    if kind == "kept":
        return msg(
            "kept {path} (its position is gone, but ametijuhend did not write this file or it "
            "was changed since; delete it by hand if it is obsolete)",
            path=path,
        )
    shown = {
        "wrote": msg("wrote {path}", path=path),
        "removed": msg("removed {path}", path=path),
        "stale": msg("stale {path}", path=path),
        "missing": msg("missing {path}", path=path),
        "orphaned": msg("orphaned {path}", path=path),
    }
    return shown.get(kind)


class _Progress:
    """A progress bar on stderr for long builds, drawn only on a terminal."""

    #: fewer positions than this finish before a bar is worth drawing
    MINIMUM = 50

    def __init__(self) -> None:
        self.bar: ProgressBar[int] | None = None
        self.done = 0

    @property
    def active(self) -> bool:
        """Return True while a bar is drawn."""
        return self.bar is not None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < self.MINIMUM or not sys.stderr.isatty():
                return
            label = str(msg("rendering"))
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@contextlib.contextmanager
def _progress() -> Iterator[_Progress]:
    """Yield the progress bar of a build, closed at the end."""
    progress = _Progress()
    try:
        yield progress
    finally:
        progress.close()


@click.command()
@data_option
@strict_option
@today_option
@click.option(
    "--spelling/--no-spelling",
    default=None,
    help=N_(
        "Check the spelling of every Estonian text (default: spelling.check of "
        "ametijuhend.yaml); needs pip install 'ametijuhend[keel]'."
    ),
)
@handle_errors
def validate(
    data: Path | None, strict: bool, today: dt.datetime | None, spelling: bool | None
) -> None:
    """Check every source file and template without writing anything.

    Besides errors, it warns about: substitutes not listed on both sides,
    library entries no position uses, near-identical library texts, and job
    descriptions overdue for review. Warnings fail only with --strict.

    With --spelling, every Estonian text of the positions, the libraries and
    organization.yaml is checked by Vabamorf, the Estonian speller: each
    unknown word is an error, located, with suggestions. The project's word
    list (data/words.txt: one word a line) accepts acronyms, names and terms.

    \b
    Examples:
      ametijuhend validate
      ametijuhend validate --strict --today 2025-01-31
      ametijuhend validate --spelling
    """
    from ametijuhend_cli.checking.engine import validate_project

    paths = project_paths(data)
    result = validate_project(
        paths,
        today=today_of(today),
        strict=strict,
        spelling=paths.spelling if spelling is None else spelling,
    )
    warn(result.warnings)
    n = len(result.warnings)
    say(
        msg(
            "ok: {positions}, {found}",
            positions=nmsg("{n} position", "{n} positions", result.positions),
            found=nmsg("{n} warning", "{n} warnings", n) if n else msg("no problems"),
        )
    )


@click.command("reference-docx")
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
    from ametijuhend_cli.errors import OutputError
    from ametijuhend_cli.messages import display_path
    from ametijuhend_cli.render.reference import reference_docx as make
    from ametijuhend_cli.writing import NOT_WRITTEN, write_file

    if os.path.lexists(output) and not force:
        raise OutputError(
            msg("{path} already exists; use --force to overwrite it", path=display_path(output))
        )
    write_file(output, make(), note=NOT_WRITTEN)
    say(msg("wrote {path}", path=display_path(output)))


@click.command()
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
    from ametijuhend_cli.authoring.schema import write_schemas
    from ametijuhend_cli.messages import display_path
    from ametijuhend_cli.sources.paths import writable_folder

    if out is not None:
        folder = out
    else:
        paths = project_paths(data)
        folder = writable_folder(paths, paths.schemas)
    written = write_schemas(folder, on_write=report_write)
    shown = display_path(folder)
    say(nmsg("{n} schema in {folder}", "{n} schemas in {folder}", len(written), folder=shown))


def _check_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from ametijuhend_cli.ids import check_slug

    try:
        return check_slug(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("position_id", callback=_check_id)
@click.option(
    "--from",
    "from_id",
    metavar="ID",
    shell_complete=complete_positions,
    help="Copy this position: all but its title, purpose, tasks and signatory.",
)
@click.option("--unit", metavar="UNIT", shell_complete=complete_units, help="Id of the unit.")
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
    from ametijuhend_cli.authoring.scaffold import new_position
    from ametijuhend_cli.authoring.schema import POSITION_SCHEMA
    from ametijuhend_cli.messages import display_path

    paths = project_paths(data)
    made = new_position(
        paths, position_id, from_id=from_id, unit=unit, title=title, employment=employment
    )
    say(msg("wrote {path}", path=display_path(made.path)))
    if made.sources and from_id is None and made.basis is not None:
        sources = ", ".join(made.sources)
        say(msg("library references {basis}: {sources}", basis=made.basis, sources=sources))
    if made.blanks:
        say(msg("fill in: {fields}", fields=", ".join(made.blanks)))
    say(msg("then check it: ametijuhend validate"))
    if not (paths.schemas / POSITION_SCHEMA).is_file():
        say(
            msg(
                "note: {path} is not there yet; `ametijuhend schema` writes it, for completion "
                "and checks in your editor",
                path=display_path(paths.schemas / POSITION_SCHEMA),
            )
        )


@click.command("import")
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
@click.option(
    "--adopt-library-wording",
    "adopt",
    is_flag=True,
    help="A text that nearly matches a library entry takes the library's wording "
    "(by default the document's own wording is kept, as it was signed).",
)
@click.option(
    "--layout",
    metavar="NAME",
    help="Read the documents as documents of this layout and write positions of it "
    "(default: the project's layout).",
)
@data_option
@handle_errors
def import_(
    files: tuple[Path, ...],
    output: Path | None,
    to: Path | None,
    force: bool,
    suggest_library: bool,
    adopt: bool,
    layout: str | None,
    data: Path | None,
) -> None:
    """Turn existing job descriptions (.docx, or text extracted from a PDF) into position files.

    The sections, the general part's fields, tasks, lists, requirements and
    the end are read by the project's layout (or --layout's), and documents
    of the other layouts the project knows are read too. Texts that
    match a library entry become references; a near match keeps the
    document's wording (--adopt-library-wording takes the library's), and the
    report lists the words that differ. Nothing is
    overwritten without --force, and a file that cannot be read writes
    nothing.

    \b
    Examples:
      ametijuhend import vana/koordinaator.docx
      ametijuhend import vana/*.docx --to data/positions --suggest-library
      ametijuhend import ekspert.txt -o data/positions/ekspert.yaml --force
    """
    if output is not None and (to is not None or len(files) > 1):
        raise click.UsageError(
            str(msg("-o/--output takes one FILE and no --to; use --to DIR for several"))
        )
    from ametijuhend_cli.importer.run import import_files

    outcomes = import_files(
        project_paths(data),
        files,
        output=output,
        to=to,
        force=force,
        suggest=suggest_library,
        adopt=adopt,
        layout=layout,
    )
    for outcome in outcomes:
        for line in outcome.report():
            say(line)
        for problem in [*outcome.warnings, *outcome.problems]:
            click.echo(str(problem), err=True)
    failed = sum(not o.ok for o in outcomes)
    written = len(outcomes) - failed
    if failed:
        said = [_not_imported(failed, len(outcomes))]
        if written:
            said.append(nmsg("{n} position file written", "{n} position files written", written))
        fail(joined(said, "; "))
    if len(outcomes) > 1:
        say(nmsg("imported {n} file", "imported {n} files", written))


def _not_imported(failed: int, total: int) -> Message:
    """Return the line that says how many of ``total`` files could not be imported."""
    if total == 1:
        return msg(
            "{n} of {total} file could not be imported; nothing was written for it",
            n=failed,
            total=total,
        )
    return nmsg(
        "{n} of {total} files could not be imported; nothing was written for it",
        "{n} of {total} files could not be imported; nothing was written for them",
        failed,
        total=total,
    )


#: The commands of this module, added to the group by the package.
COMMANDS = (build, validate, reference_docx, schema, new, import_)
