"""Commands for the git workflow: textconv, diff, impact."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ametijuhend_cli.cli._common import (
    data_option,
    handle_errors,
    note,
    project_paths,
    report_write,
    say,
    show,
)
from ametijuhend_cli.errors import Message, joined, msg, nmsg, verbatim

if TYPE_CHECKING:
    from ametijuhend_cli.gitflow.changes import ChangeReport
    from ametijuhend_cli.gitflow.signed import Match, SignedReport
    from ametijuhend_cli.gitflow.versions import DiffRequest
    from ametijuhend_cli.sources.asice import Signature


@click.command()
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
    from ametijuhend_cli.gitflow.textconv import textconv as convert

    # git reads the text as UTF-8 bytes, whatever the console's encoding
    click.echo(convert(file).encode("utf-8"), nl=False)


class _DiffCommand(click.Command):
    """A command that keeps the arguments after '--' apart, as git does."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            ctx.meta["diff.ids"] = args[cut + 1 :]
            args = args[:cut]
        return super().parse_args(ctx, args)


@click.command(cls=_DiffCommand)
@click.argument("args", nargs=-1)
@click.option(
    "--exit-code",
    is_flag=True,
    help="Exit 1 when there are changes, like git diff (with 'diff: {fail_on: consent}' in "
    "ametijuhend.yaml: only when a change may need the employee's consent).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "docx"]),
    default="md",
    show_default=True,
    help="md: the notice (or the overview); docx: the new document with the changes as "
    "Word tracked changes (one position; needs -o).",
)
@click.option(
    "--for",
    "audience",
    type=click.Choice(["employee", "hr"]),
    default="employee",
    show_default=True,
    help="employee: a notice to each employee; hr: the overview by position and library entry.",
)
@click.option(
    "--date",
    "date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date of the new version, YYYY-MM-DD (default: the position's approval or review).",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
@click.option(
    "--summary",
    metavar="FILE",
    help='Append the overview for HR to this file (in GitHub Actions: "$GITHUB_STEP_SUMMARY"; '
    "empty, as that is outside GitHub Actions: no summary).",
)
@data_option
@handle_errors
def diff(
    args: tuple[str, ...],
    exit_code: bool,
    fmt: str,
    audience: str,
    date: dt.datetime | None,
    output: Path | None,
    summary: str | None,
    data: Path | None,
) -> None:
    """Tell what changed in job descriptions between two git revisions.

    ARGS are up to two revisions (default: HEAD and the working tree), then
    position ids; after '--' everything is a position id. The Markdown it
    prints is a notice to each employee whose job description changed: the
    changes section by section in the document's own numbering, and whether
    the change may need the employee's consent. `--for hr` prints the
    overview instead (positions, the library entries behind the changes).
    `--format docx` writes the new document of one position with every change
    as a Word tracked change.

    \b
    Examples:
      ametijuhend diff
      ametijuhend diff v2024 HEAD teenusejuht-kov -o teade.md
      ametijuhend diff v2024 HEAD -- teenusejuht-kov --format docx -o muudatused.docx
      ametijuhend diff main --for hr --exit-code
    """
    from ametijuhend_cli.gitflow import versions
    from ametijuhend_cli.writing import NOT_WRITTEN, write_file

    ctx = click.get_current_context()
    separated = "diff.ids" in ctx.meta
    request = versions.DiffRequest(
        list(args), list(ctx.meta.get("diff.ids", [])), separated, date.date() if date else None
    )
    if fmt == "docx" and output is None:
        raise click.UsageError(str(msg("--format docx needs --output FILE")))
    render = {"docx": versions.redline_output, "hr": versions.hr_output}.get(
        fmt if fmt == "docx" else audience, versions.notice_output
    )
    if summary == "":  # "$GITHUB_STEP_SUMMARY" outside GitHub Actions
        note(msg("note: --summary is empty (no $GITHUB_STEP_SUMMARY here?): no summary"))
        summary = None
    paths = project_paths(data)
    with versions.compared(paths, request) as comparison:
        rendered = comparison.render(render)
        overview = comparison.render(versions.hr_output) if summary is not None else b""
    report = comparison.report
    if summary is not None:
        _append(Path(summary), overview.decode("utf-8"))
    if output is not None:
        report_write(output, write_file(output, rendered, note=NOT_WRITTEN))
    else:
        click.echo(rendered.decode("utf-8"), nl=False)
    _exit(report, exit_code, paths.diff_fail_on)


def _append(path: Path, text: str) -> None:
    """Add ``text`` to the end of the file ``path`` (a CI job's summary)."""
    from ametijuhend_cli.writing import cannot_write

    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise cannot_write(path, exc) from None


def _exit(report: ChangeReport, exit_code: bool, fail_on: str) -> None:
    consent = sum(1 for p in report.positions if p.needs_consent)
    if exit_code:
        note(
            nmsg(
                "{n} position changed, {consent} may need the employee's consent",
                "{n} positions changed, {consent} may need the employee's consent",
                len(report.positions),
                consent=consent,
            )
        )
    failing = report.needs_consent if fail_on == "consent" else report.changed
    if exit_code and failing:
        sys.exit(1)


@click.command()
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
    from ametijuhend_cli.gitflow.impact import impact as find_users

    matches, users = find_users(project_paths(data), entry)
    for pid, title in users:
        click.echo(f"{pid}\t{title}")
    entries = ", ".join(matches)
    note(
        nmsg(
            "{entries}: used by {n} position",
            "{entries}: used by {n} positions",
            len(users),
            entries=entries,
        )
    )


def _request(args: tuple[str, ...], date: dt.datetime | None) -> DiffRequest:
    from ametijuhend_cli.gitflow.versions import DiffRequest

    ctx = click.get_current_context()
    return DiffRequest(
        list(args),
        list(ctx.meta.get("diff.ids", [])),
        "diff.ids" in ctx.meta,
        date.date() if date else None,
    )


def _write_all(folder: Path, files: dict[str, bytes]) -> None:
    from ametijuhend_cli.writing import write_atomic

    for name, data in files.items():
        path = folder / name
        report_write(path, write_atomic(path, data))


_DATE = click.option(
    "--date",
    "date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date, YYYY-MM-DD (default: the day the new revision was committed).",
)
_FORMATS = click.option(
    "--format",
    "formats",
    type=click.Choice(["md", "docx", "pdf"]),
    multiple=True,
    help="What to write; repeat for more (default: docx). pdf needs LibreOffice.",
)


@click.command(cls=_DiffCommand)
@click.argument("args", nargs=-1)
@click.option(
    "--out",
    "-o",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("teated"),
    show_default=True,
    help="The folder the letters are written to.",
)
@_FORMATS
@_DATE
@data_option
@handle_errors
def notice(
    args: tuple[str, ...],
    out: Path,
    formats: tuple[str, ...],
    date: dt.datetime | None,
    data: Path | None,
) -> None:
    """Write a letter to each employee whose job description changed.

    ARGS are revisions and position ids, as for `ametijuhend diff`. Each
    letter (teade-<id>.docx, .pdf with --format pdf) is addressed to the
    employee by name (or to the position), comes from the sender in
    ametijuhend.yaml (notice: sender, contact), is dated by the new
    revision's commit, shows every changed text with its inserted and
    deleted words marked and, where the change may need the employee's
    consent, asks for a reply by a date. Its wording is templates/notice.md.j2.

    \b
    Examples:
      ametijuhend notice v2024 HEAD -o teated
      ametijuhend notice HEAD~1 HEAD -- teenusejuht-kov --format docx --format pdf
    """
    from ametijuhend_cli.gitflow.letters import run_notices

    files = run_notices(project_paths(data), _request(args, date), formats or ("docx",))
    if not files:
        say(msg("no job description changed: no letters"))
    _write_all(out, files)


@click.command(cls=_DiffCommand)
@click.argument("args", nargs=-1)
@click.option(
    "--out",
    "-o",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("kaskkiri"),
    show_default=True,
    help="The folder for the register: the directive and its annexes.",
)
@click.option(
    "--zip",
    "archive",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one archive (.zip) instead of a folder.",
)
@click.option("--number", default="", help="The directive's number, once the register gives it.")
@_FORMATS
@_DATE
@data_option
@handle_errors
def directive(
    args: tuple[str, ...],
    out: Path,
    archive: Path | None,
    number: str,
    formats: tuple[str, ...],
    date: dt.datetime | None,
    data: Path | None,
) -> None:
    """Write the draft directive (käskkiri) approving new and changed job descriptions.

    ARGS are revisions and position ids, as for `ametijuhend diff`: the
    positions new or changed between the two revisions, or those named. The
    folder holds 00-kaskkiri.docx (title, legal basis and approver from
    ametijuhend.yaml's directive:, each position as an annex, "Teatavaks
    teha" with the employees concerned, the compiler) and each job description
    with its annex label (01-lisa-1-<id>.docx …), named so they sort. The
    wording is templates/directive.md.j2.

    \b
    Examples:
      ametijuhend directive v2024 HEAD -o kaskkiri
      ametijuhend directive -- teenusejuht-kov koordinaator-klat --zip kaskkiri.zip
    """
    from ametijuhend_cli.gitflow.directive import run_directive

    files = run_directive(
        project_paths(data), _request(args, date), number=number, formats=formats or ("docx",)
    )
    if archive is not None:
        from ametijuhend_cli.render.package import write_package
        from ametijuhend_cli.writing import write_atomic

        report_write(archive, write_atomic(archive, write_package(files)))
    else:
        _write_all(out, files)


@click.command()
@click.argument(
    "containers", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--check",
    is_flag=True,
    help="For CI: compare with the sources as they are and exit 1 when a signed job "
    "description no longer matches them.",
)
@click.option(
    "--record",
    is_flag=True,
    help="Record the approval (the day signed, --number, the signers) in each position "
    "whose signed document matches its sources.",
)
@click.option("--number", default="", help="The number of the approving directive.")
@click.option(
    "--revisions",
    "depth",
    type=click.IntRange(1, 1000),
    default=30,
    show_default=True,
    help="How many commits back a signed document is looked for.",
)
@data_option
@handle_errors
def signed(
    containers: tuple[Path, ...],
    check: bool,
    record: bool,
    number: str,
    depth: int,
    data: Path | None,
) -> None:
    """Tell who signed a container (.asice, .bdoc) and which revision each document in it is.

    For each signature: the signer, the signing time, and whether the
    container proves it (the files' digests and the signature value; the
    certificate's validity and revocation are DigiDoc4's to check). For each
    job description inside: its position and the revision whose sources build
    it byte for byte (as built, or as the annex its name says), or how it
    differs from what the sources build now.

    \b
    Examples:
      ametijuhend signed kaskkiri.asice
      ametijuhend signed --record --number 1-2/34 kaskkiri.asice
      ametijuhend signed --check allkirjastatud/*.asice     # in CI
    """
    from ametijuhend_cli.gitflow.signed import check_container, record_approval
    from ametijuhend_cli.sources.asice import read_container_file

    if record and not number:
        raise click.UsageError(str(msg("--record needs --number (the directive's number)")))
    paths = project_paths(data)
    stale = 0
    for path in containers:
        report = check_container(
            paths, read_container_file(path), number=number, depth=depth, latest=check
        )
        _print_signed(path, report)
        stale += len(report.stale)
        if record:
            for written in record_approval(paths, report, number):
                report_write(written, True)
    if check and stale:
        note(
            nmsg(
                "{n} signed job description no longer matches the sources",
                "{n} signed job descriptions no longer match the sources",
                stale,
            )
        )
        sys.exit(1)


def _print_signed(path: Path, report: SignedReport) -> None:
    from ametijuhend_cli.messages import display_path

    shown = display_path(path)
    count = len(report.signatures)
    show(nmsg("{path}: {n} signature", "{path}: {n} signatures", count, path=shown))
    for s in report.signatures:
        show(_signature(s))
    for m in report.matches:
        if m.note is not None:
            show(msg("  {file}: {note}", file=m.file, note=m.note))
        elif m.identical:
            show(_identical(m))
        else:
            show(
                msg(
                    "  {file}: {position}: no revision builds it; against the sources now:",
                    file=m.file,
                    position=m.position,
                )
            )
            for line in m.differences:
                show(line, indent=6)


def _signature(s: Signature) -> Message:
    """Return the line of one signature: who, when, and whether the container proves it."""
    when = (
        verbatim(s.signing_time.strftime("%Y-%m-%d %H:%M %Z").strip())
        if s.signing_time
        else msg("no time")
    )
    signer = f"{s.signer} ({s.serial})" if s.serial else s.signer
    state = (
        msg("proved by the container")
        if s.valid
        else msg("NOT VALID: {problems}", problems=joined(s.problems, "; "))
    )
    return msg("  signed by {signer} at {when}: {state}", signer=signer, when=when, state=state)


def _identical(m: Match) -> Message:
    """Return the line of a signed file that a revision of the sources builds as it is."""
    where = msg("the working tree") if m.revision is None else verbatim(m.revision[:12])
    if m.date:
        return msg(
            "  {file}: {position} as built from {where} ({date}): identical",
            file=m.file,
            position=m.position,
            where=where,
            date=m.date.isoformat(),
        )
    return msg(
        "  {file}: {position} as built from {where}: identical",
        file=m.file,
        position=m.position,
        where=where,
    )


#: The commands of this module, added to the group by the package.
COMMANDS = (textconv, diff, impact, notice, directive, signed)
