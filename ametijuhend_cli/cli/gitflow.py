"""Commands for the git workflow: textconv, diff, impact."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ametijuhend_cli.cli._common import data_option, handle_errors, project_paths
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

    click.echo(convert(file), nl=False)


@click.command()
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
    from ametijuhend_cli.build.outputs import write_atomic
    from ametijuhend_cli.gitflow.changes import changes_between, render_report
    from ametijuhend_cli.gitflow.revisions import is_revision

    paths = project_paths(data)
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
