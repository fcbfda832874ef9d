"""Command-line interface: parses options, calls the core, turns its errors into messages."""

# The only package that imports click; each command imports the core lazily,
# so that ``--help`` stays fast.

from __future__ import annotations

import os
import sys

import click

from ametijuhend_cli import __version__
from ametijuhend_cli.cli import streams
from ametijuhend_cli.cli._common import Settings, add_verbosity_options
from ametijuhend_cli.cli.translate import Group, translate_command
from ametijuhend_cli.i18n import N_, tr


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ametijuhend")
@click.option("-q", "--quiet", is_flag=True, help=N_("Print nothing but problems."))
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help=N_("Also say where the project's folders are (on stderr)."),
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
      ametijuhend build -q
      ametijuhend new nounik --unit arendustalitus
    """
    if quiet and verbose:
        raise click.UsageError(tr("give --quiet or --verbose, not both"))
    ctx.obj = Settings(-1 if quiet else 1 if verbose else 0)
    if os.environ.get("NO_COLOR"):  # https://no-color.org: set and not empty
        ctx.color = False


def main() -> None:
    """Run the command-line interface."""
    from ametijuhend_cli.cli import console

    console.setup()  # before guard, which keeps the streams' error handler
    streams.guard()
    try:
        # the same name for `python -m ametijuhend_cli`: usage lines and completion
        # (_AMETIJUHEND_COMPLETE) read it
        cli(prog_name="ametijuhend")
    except SystemExit as done:
        sys.exit(streams.finish(done.code))
    except OSError as exc:  # printing failed where no command caught it (click's own help)
        streams.lost(exc)
        sys.exit(1)


from ametijuhend_cli.cli import documents, gitflow, organization, project  # noqa: E402

for _module in (project, documents, gitflow, organization):
    for _command in _module.COMMANDS:
        add_verbosity_options(_command)
        translate_command(_command)
        cli.add_command(_command)
