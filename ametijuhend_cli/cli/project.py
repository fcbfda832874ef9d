"""The commands that start a project and show its layouts: init, layout."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ametijuhend_cli.cli._common import (
    CI_CHOICES,
    caution,
    data_option,
    fail,
    handle_errors,
    print_problem,
    project_paths,
    say,
    today_of,
)
from ametijuhend_cli.errors import msg, nmsg

if TYPE_CHECKING:  # imported when the command runs: the CLI starts without the importer
    from ametijuhend_cli.authoring.init import Initialized
    from ametijuhend_cli.importer.firstday import FirstDay


def _first_day(
    folder: Path,
    agency: str,
    files: tuple[Path, ...],
    ci: str,
    force: bool,
    layout: str | None,
    **options: bool,
) -> None:
    """Make the project from the documents ``files``: whole, or nothing and exit 1."""
    from ametijuhend_cli.importer.firstday import first_day
    from ametijuhend_cli.messages import display_path

    day = first_day(
        folder, agency, files, ci=ci, force=force, layout=layout, today=today_of(None), **options
    )
    if not day.done:
        for outcome in day.outcomes:
            for problem in outcome.problems:
                print_problem(problem)
        if len(files) == 1:
            fail(msg("the document could not be imported; no project was made"))
        fail(msg("none of the {n} documents could be imported; no project was made", n=len(files)))
    _report_made(day.made, agency)
    _report_day(day)
    refused = day.refused
    if refused:  # a warning: the project was made
        caution(
            # some were imported: there are two documents or more
            msg(
                "{n} of {total} documents could not be imported (the problems above say why): "
                "{files}; the project holds the others; import the rest with ametijuhend "
                "import FILE",
                n=len(refused),
                total=len(files),
                files=", ".join(display_path(o.source) for o in refused),
            )
        )


def _report_day(day: FirstDay) -> None:
    """Print what the first day learnt, found and imported."""
    from ametijuhend_cli.messages import display_path

    if day.learnt is not None:
        for line in day.learnt.lines:
            say(line)
    for path in day.changed:
        say(msg("updated {path}", path=display_path(path)))
    if day.survey.units:
        say(msg("units from the documents: {units}", units=", ".join(day.survey.units)), indent=2)
    for kind, entries in day.survey.entries.items():
        said = nmsg(
            "{kind}: {n} text shared by several documents",
            "{kind}: {n} texts shared by several documents",
            len(entries),
            kind=kind,
        )
        say(said, indent=2)
    for outcome in day.outcomes:
        for line in outcome.report():
            say(line)
        for problem in [*outcome.warnings, *outcome.problems]:
            print_problem(problem)


def _report_made(made: Initialized, agency: str) -> None:
    from ametijuhend_cli.messages import display_path

    for path in made.replaced:
        say(msg("replaced {path}", path=display_path(path)))
    for path in made.written:
        say(msg("wrote {path}", path=display_path(path)))
    total = len(made.written) + len(made.replaced) + len(made.unchanged)
    agency = " ".join(agency.split())
    say(
        nmsg(
            "started the project of {agency}: {n} file",
            "started the project of {agency}: {n} files",
            total,
            agency=agency,
        )
    )


def _layout_list() -> str:
    """Return the built-in layouts, a line each: the name and what it is for."""
    from ametijuhend_cli.authoring.layouts import builtin_layouts

    layouts = builtin_layouts()
    width = max(len(name) for name in layouts)
    return "\n".join(f"  {name:<{width}}  {about}" for name, about in layouts.items())


class _InitCommand(click.Command):
    """init, whose help ends with the built-in layouts (read only when the help is shown)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the list of built-in layouts after the options."""
        formatter.write("\n" + str(msg("Layouts (--layout NAME):")) + "\n")
        formatter.write(_layout_list() + "\n")


@click.command(cls=_InitCommand)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", required=True, help="The agency's name, e.g. 'Sotsiaalkindlustusamet'.")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Folder of the new project (default: the current folder).",
)
@click.option(
    "--ci",
    type=click.Choice(CI_CHOICES),
    default="github",
    show_default=True,
    help="The CI file to write: GitHub Actions, GitLab CI, or none.",
)
@click.option(
    "--layout",
    default=None,
    metavar="NAME",
    help="The layout of the documents (listed below; 'list' lists them): ametijuhend.yaml "
    "names it, and the example position is one of its kind. Default: standard; with "
    "--from-docx the layout is learnt from the documents unless it is given.",
)
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
@click.option(
    "--from-docx",
    "from_docx",
    is_flag=True,
    help="Import the existing job descriptions FILES (.docx, or text of a PDF) into it.",
)
@click.option(
    "--suggest-library",
    is_flag=True,
    help="With --from-docx: texts two or more documents share become library entries.",
)
@click.option(
    "--adopt-library-wording",
    "adopt",
    is_flag=True,
    help="With --from-docx: a text that nearly matches a library entry takes the library's "
    "wording (by default the document's own is kept, as it was signed).",
)
@handle_errors
def init(
    files: tuple[Path, ...],
    agency: str,
    folder: Path,
    ci: str,
    layout: str | None,
    force: bool,
    from_docx: bool,
    suggest_library: bool,
    adopt: bool,
) -> None:
    """Start a project: everything a new agency needs, ready to build.

    Writes ametijuhend.yaml, data/organization.yaml (the agency and an example
    unit), a starter library of the standard texts (rights, responsibilities,
    work tools, computer skills, competencies, amendment clauses), an example
    position, the JSON Schemas, .gitattributes, .gitignore,
    .pre-commit-config.yaml and a CI file. Every file is commented. A folder
    that is not empty is refused, and --force names what it replaces. With
    --from-docx the FILES are imported instead of the example position: the
    project is made with every document that can be imported (the others
    are listed with the reason), or, when none can, not at all (exit code 1).

    \b
    Examples:
      ametijuhend init --agency "Sotsiaalkindlustusamet"
      ametijuhend init --agency "Maa- ja Ruumiamet" --dir ametijuhendid --ci gitlab
      ametijuhend init --agency "Sotsiaalkindlustusamet" --from-docx vanad/*.docx --suggest-library
      ametijuhend init --agency "Rannametsa Põhikool" --layout kool
    """
    if files and not from_docx:
        raise click.UsageError(str(msg("give --from-docx to import FILES into the new project")))
    if from_docx and not files:
        raise click.UsageError(str(msg("--from-docx needs the documents to import (FILE ...)")))
    if suggest_library and not from_docx:
        raise click.UsageError(str(msg("--suggest-library works with --from-docx FILE ...")))
    if adopt and not from_docx:
        raise click.UsageError(str(msg("--adopt-library-wording works with --from-docx FILE ...")))
    from ametijuhend_cli.authoring.layouts import builtin_layouts

    if layout is not None and layout not in builtin_layouts():
        listing = _layout_list()
        if layout == "list":
            click.echo(listing)
            return
        raise click.UsageError(
            str(
                msg(
                    "unknown layout {name}; the built-in layouts:\n{listing}",
                    name=f"'{layout}'",
                    listing=listing,
                )
            )
        )
    from ametijuhend_cli.authoring.init import init_project
    from ametijuhend_cli.messages import display_path

    if from_docx:
        _first_day(folder, agency, files, ci, force, layout, suggest=suggest_library, adopt=adopt)
    else:
        made = init_project(
            folder, agency, ci=ci, force=force, today=today_of(None), layout=layout or "standard"
        )
        _report_made(made, agency)
    if folder.resolve() == Path.cwd().resolve():
        say(msg("next: ametijuhend build, then open the documents in out/"))
    else:
        shown = display_path(folder)
        say(
            msg(
                "next: cd {folder}; ametijuhend build, then open the documents in out/",
                folder=shown,
            )
        )
    say(msg('for readable DOCX diffs: git config diff.ametijuhend.textconv "ametijuhend textconv"'))


@click.command("layout")
@click.argument("name", required=False)
@data_option
@handle_errors
def layout(name: str | None, data: Path | None) -> None:
    """Print a layout with every key and its value, or list the layouts.

    Without NAME, lists the layouts the project can use: its own (in
    templates/layouts/) and the built-in ones. With NAME, prints that layout as
    the tool reads it (the layouts it extends merged in): copy the keys you
    want to change into a layout of your own that extends it.

    \b
    Examples:
      ametijuhend layout
      ametijuhend layout omavalitsus
      ametijuhend layout omavalitsus > templates/layouts/meie.yaml
    """
    from ametijuhend_cli.authoring.layouts import layout_listing, layout_text
    from ametijuhend_cli.errors import ProjectNotFoundError
    from ametijuhend_cli.sources.templates import TemplateSet

    try:
        paths = project_paths(data)
    except ProjectNotFoundError:
        if data is not None:
            raise
        templates = TemplateSet.for_project(None)  # outside a project: the built-in ones
        default = "standard"
    else:
        templates = TemplateSet.of(paths)
        default = paths.layout
    if name is None:
        found = layout_listing(templates)
        width = max(len(n) for n, _, _, _ in found)
        for n, about, base, own in found:
            if base:
                about = str(msg("(extends: {name})", name=base))
            marks = [
                str(msg("the project's")) if n == default else "",
                str(msg("own")) if own else "",
            ]
            mark = ", ".join(m for m in marks if m)
            click.echo(f"{n:<{width}}  {about}" + (f" ({mark})" if mark else ""))
        return
    try:
        click.echo(layout_text(templates, name), nl=False)
    except KeyError:
        hint = templates.layouts.unknown_hint(name)
        message = msg("unknown layout '{name}'; {hint}", name=name, hint=hint)
        raise click.UsageError(str(message)) from None


#: The commands of this module, added to the group by the package.
COMMANDS = (init, layout)
