"""What every command shares: output levels, error handling, common options, completion."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import click

from ametijuhend_cli import i18n
from ametijuhend_cli.errors import Message, msg, nmsg, with_hint
from ametijuhend_cli.i18n import N_

if TYPE_CHECKING:
    from types import FrameType

    from ametijuhend_cli.errors import DataError, Problem
    from ametijuhend_cli.sources.paths import ProjectPaths

P = ParamSpec("P")
R = TypeVar("R")

#: The choices of --employment and --format, spelt out here so that --help
#: need not import the models (tests check they match).
EMPLOYMENT_CHOICES = ("ametnik", "töötaja")
FORMAT_CHOICES = ("md", "docx", "pdf")
CI_CHOICES = ("github", "gitlab", "none")


@dataclass
class Settings:
    """The global options: -1 quiet, 0 normal, 1 verbose."""

    verbosity: int = 0
    #: the level given after the command, if any (0: none)
    explicit_after: int = 0


def settings() -> Settings:
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(Settings) if ctx is not None else None
    return found if found is not None else Settings()


# What the commands print to a person is a catalog Message (errors.msg, nmsg), never
# a str: mypy rejects an f-string here. The text is made in the language chosen when
# it is printed.


def say(message: Message, *, indent: int = 0) -> None:
    """Print a progress or result line (``indent`` spaces first), unless --quiet."""
    if settings().verbosity >= 0:
        click.echo(" " * indent + str(message))


def show(message: Message, *, indent: int = 0) -> None:
    """Print a line of the command's result on stdout (``indent`` spaces first), even under
    --quiet."""
    click.echo(" " * indent + str(message))


def note(message: Message) -> None:
    """Print a line on stderr whatever the level (a summary beside data on stdout)."""
    click.echo(str(message), err=True)


def caution(message: Message) -> None:
    """Print a warning line on stderr, yellow on a terminal."""
    click.secho(str(message), fg="yellow", err=True)


def quiet() -> bool:
    """Return True with --quiet."""
    return settings().verbosity < 0


def verbose() -> bool:
    """Return True with --verbose."""
    return settings().verbosity > 0


def detail(message: Message) -> None:
    """Print a line on stderr with --verbose only."""
    if settings().verbosity > 0:
        click.echo(str(message), err=True)


def report_write(path: Path, changed: bool) -> None:
    """Print that ``path`` was written or left as it was."""
    from ametijuhend_cli.messages import display_path

    shown = display_path(path)
    say(msg("wrote {path}", path=shown) if changed else msg("unchanged {path}", path=shown))


def print_problem(problem: Problem) -> None:
    """Print a problem on stderr, its located first line red (an error) or yellow."""
    # click leaves the colour out when stderr is not a terminal, and the group
    # turns it off for NO_COLOR
    first, _, rest = str(problem).partition("\n")
    colour = "red" if problem.is_error else "yellow"
    click.echo(click.style(first, fg=colour) + ("\n" + rest if rest else ""), err=True)


def fail(message: Message) -> NoReturn:
    """Print ``message`` on stderr, red on a terminal, and exit 1."""
    click.secho(str(message), fg="red", err=True)
    sys.exit(1)


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C does (a BaseException, so no handler eats it)."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _OWNER[0]:
        # a process forked meanwhile (a worker) inherited this handler: end it as
        # SIGTERM does by default, unwinding nothing (its parent cleans up)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated()


#: the process that installed the SIGTERM handler
_OWNER = [0]


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Turn SIGTERM into an exception while a command runs, so that cleanup runs.

    Ctrl-C and SIGTERM print one line and exit 130 and 143, as shells do for a
    process stopped by the signal; temporary files and folders are removed on
    the way out, and outputs are replaced atomically, so none is half-written.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _OWNER[0] = os.getpid()
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    except KeyboardInterrupt:
        _stopped(msg("interrupted (Ctrl-C): stopped, no file left half-written"), signal.SIGINT)
    except Terminated:
        _stopped(msg("terminated (SIGTERM): stopped, no file left half-written"), signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stopped(message: Message, signum: int) -> None:
    # a Ctrl-C on a terminal leaves the cursor after "^C": start a new line
    start = "\n" if sys.stderr.isatty() else ""
    click.secho(start + str(message), fg="red", err=True)
    sys.exit(128 + signum)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the core's exceptions into messages on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _interruptible():
            return _reported(func, *args, **kwargs)

    return wrapper


def _reported(func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Return ``func(*args, **kwargs)``, its errors printed and exiting 1."""
    from ametijuhend_cli.cli import streams
    from ametijuhend_cli.errors import AmetijuhendError, DataError

    try:
        os.getcwd()
    except OSError:
        fail(
            with_hint(
                msg(
                    "error: {text}",
                    text=msg("the current folder no longer exists (it was deleted or moved)"),
                ),
                msg("change into the project folder again (cd), then run the command"),
            )
        )
    try:
        return func(*args, **kwargs)
    except DataError as exc:
        for problem in exc.problems:
            print_problem(problem)
        fail(_summary(exc))
    except AmetijuhendError as exc:
        fail(msg("error: {text}", text=str(exc)))
    except OSError as exc:  # the machine, not the sources: a full disk, too many open files
        streams.silence()
        if exc.errno == errno.EPIPE:
            raise  # the reader went away (| head): click ends quietly
        fail(streams.message(exc))


def _summary(exc: DataError) -> Message:
    """Return the last line of a run the sources stopped: how many problems, and what became
    of the outputs."""
    errors = exc.failing()
    problems = nmsg("{n} problem", "{n} problems", len(errors))
    files = nmsg("in {n} file", "in {n} files", len({p.path for p in errors}))
    outcome = exc.note or msg("nothing was written")
    if exc.strict and any(not p.is_error for p in errors):
        return msg(
            "{problems} {files} (warnings count under --strict); {outcome}",
            problems=problems,
            files=files,
            outcome=outcome,
        )
    return msg("{problems} {files}; {outcome}", problems=problems, files=files, outcome=outcome)


def project_paths(data: Path | None) -> ProjectPaths:
    from ametijuhend_cli.messages import display_path
    from ametijuhend_cli.sources.paths import find_project

    paths = find_project(Path.cwd(), data)
    i18n.set_language(i18n.choose_language(os.environ, paths.messages_language, paths.messages_ci))
    detail(msg("project: {folder}", folder=display_path(paths.root)))
    for name in ("data", "out", "templates", "schemas"):
        folder = getattr(paths, name)
        shown = display_path(folder)
        if folder.is_dir():
            detail(msg("  {name}: {folder}", name=name, folder=shown))
        else:
            detail(msg("  {name}: {folder} (not there)", name=name, folder=shown))
    if paths.formats:
        detail(msg("  formats: {formats}", formats=", ".join(paths.formats)))
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


def today_of(value: dt.datetime | None) -> dt.date:
    """Return the date given with --today, else the clock's: the only place it is read."""
    return value.date() if value is not None else dt.date.today()


def warn(warnings: list[Problem]) -> None:
    """Print warnings on stderr, the located line in yellow on a terminal."""
    for problem in warnings:
        print_problem(problem)


def _set_verbosity(level: int) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if not value:
            return
        found = ctx.find_object(Settings)
        if found is None:
            found = ctx.ensure_object(Settings)
        if found.verbosity not in (0, level) or found.explicit_after not in (0, level):
            raise click.UsageError(str(msg("give --quiet or --verbose, not both")), ctx)
        found.verbosity = found.explicit_after = level

    return callback


def add_verbosity_options(command: click.Command) -> None:
    """Let -q/--quiet and -v/--verbose also follow the command (`ametijuhend build -q`)."""
    names = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for level, short, long, text in (
        (-1, "-q", "--quiet", N_("Print nothing but problems.")),
        (1, "-v", "--verbose", N_("Also say where the project's folders are (on stderr).")),
    ):
        if short in names or long in names:
            continue
        command.params.append(
            click.Option(
                [short, long],
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_set_verbosity(level),
                help=text,
            )
        )


def complete_positions(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from ametijuhend_cli.errors import AmetijuhendError
    from ametijuhend_cli.sources.paths import find_project, position_files

    try:
        paths = find_project(Path.cwd(), ctx.params.get("data"))
        files = position_files(paths.positions)
    except (AmetijuhendError, OSError):  # completion stays silent
        return []
    return [f.stem for f in files if f.stem.startswith(incomplete)]


def complete_units(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from ametijuhend_cli.authoring.scaffold import unit_ids
    from ametijuhend_cli.errors import AmetijuhendError
    from ametijuhend_cli.sources.paths import find_project

    try:
        units = unit_ids(find_project(Path.cwd(), ctx.params.get("data")))
    except (AmetijuhendError, OSError):
        return []
    return sorted(u for u in units if u.startswith(incomplete))
