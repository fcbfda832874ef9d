"""Commands for the git workflow: textconv, diff, impact."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from ametijuhend_cli.cli._common import data_option, handle_errors, project_paths, report_write
from ametijuhend_cli.messages import plural


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
    "empty, as that is elsewhere: none).",
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
    from ametijuhend_cli.build.outputs import write_atomic
    from ametijuhend_cli.gitflow import versions

    ctx = click.get_current_context()
    separated = "diff.ids" in ctx.meta
    request = versions.DiffRequest(
        list(args), list(ctx.meta.get("diff.ids", [])), separated, date.date() if date else None
    )
    if fmt == "docx" and output is None:
        raise click.UsageError("--format docx needs --output FILE")
    render = {"docx": versions.redline_output, "hr": versions.hr_output}.get(
        fmt if fmt == "docx" else audience, versions.notice_output
    )
    if summary == "":  # "$GITHUB_STEP_SUMMARY" outside GitHub Actions
        click.echo("note: --summary is empty (no $GITHUB_STEP_SUMMARY here?): no summary", err=True)
        summary = None
    paths = project_paths(data)
    summaries: list[str] = []

    def both(report: Any, old: Any, new: Any) -> bytes:
        if summary is not None:
            summaries.append(versions.render_hr(report, new.templates))
        return render(report, old, new)

    report = versions.run_diff(paths, request, both)
    if summary is not None and summaries:
        _append_summary(Path(summary), summaries[0])
    if output is not None:
        write_atomic(output, report.rendered)
        report_write(output, True)
    else:
        click.echo(report.rendered.decode("utf-8"), nl=False)
    _exit(report, exit_code, paths.diff_fail_on)


def _append_summary(path: Path, text: str) -> None:
    """Append ``text`` to the summary file ``path``; raise OutputError."""
    from ametijuhend_cli.errors import OutputError
    from ametijuhend_cli.messages import display_path

    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise OutputError(
            f"cannot append the summary to {display_path(path)}: {exc.strerror or exc}"
        ) from None


def _exit(report: Any, exit_code: bool, fail_on: str) -> None:
    consent = sum(1 for p in report.positions if p.needs_consent)
    if exit_code:
        click.echo(
            f"{plural(len(report.positions), 'position')} changed, "
            f"{consent} may need the employee's consent",
            err=True,
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
    n = len(users)
    click.echo(f"{', '.join(matches)}: used by {plural(n, 'position')}", err=True)


#: The commands of this module, added to the group by the package.
COMMANDS = (textconv, diff, impact)
