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
from ametijuhend_cli.i18n import N_, tr
from ametijuhend_cli.messages import plural

if TYPE_CHECKING:
    from types import FrameType

    from ametijuhend_cli.errors import Problem
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


def say(message: str) -> None:
    """Print a progress or result line, unless --quiet."""
    if settings().verbosity >= 0:
        click.echo(message)


def quiet() -> bool:
    """Return True with --quiet."""
    return settings().verbosity < 0


def verbose() -> bool:
    """Return True with --verbose."""
    return settings().verbosity > 0


def detail(message: str) -> None:
    """Print a line on stderr with --verbose only."""
    if settings().verbosity > 0:
        click.echo(message, err=True)


def report_write(path: Path, changed: bool) -> None:
    """Print that ``path`` was written or left as it was."""
    from ametijuhend_cli.messages import display_path

    say(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")


def print_problem(problem: Problem) -> None:
    """Print a problem on stderr, its located first line red (an error) or yellow."""
    # click leaves the colour out when stderr is not a terminal, and the group
    # turns it off for NO_COLOR
    first, _, rest = str(problem).partition("\n")
    colour = "red" if problem.is_error else "yellow"
    click.echo(click.style(first, fg=colour) + ("\n" + rest if rest else ""), err=True)


def fail(message: str) -> NoReturn:
    click.secho(message, fg="red", err=True)
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
        _stopped("interrupted (Ctrl-C)", 128 + signal.SIGINT)
    except Terminated:
        _stopped("terminated (SIGTERM)", 128 + signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stopped(what: str, code: int) -> None:
    # a Ctrl-C on a terminal leaves the cursor after "^C": start a new line
    start = "\n" if sys.stderr.isatty() else ""
    click.secho(f"{start}{what}: stopped, no file left half-written", fg="red", err=True)
    sys.exit(code)


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
            "error: the current folder no longer exists (it was deleted or moved)\n"
            "    hint: change into the project folder again (cd), then run the command"
        )
    try:
        return func(*args, **kwargs)
    except DataError as exc:
        errors = exc.failing()
        for problem in exc.problems:
            print_problem(problem)
        n = len(errors)
        files = len({p.path for p in errors})
        strict = exc.strict and any(not p.is_error for p in errors)
        fail(
            f"{plural(n, 'problem')} in {plural(files, 'file')}"
            + (" (warnings count under --strict)" if strict else "")
            + f"; {exc.note or 'nothing was written'}"
        )
    except AmetijuhendError as exc:
        fail(f"error: {exc}")
    except OSError as exc:  # the machine, not the sources: a full disk, too many open files
        streams.silence()
        if exc.errno == errno.EPIPE:
            raise  # the reader went away (| head): click ends quietly
        fail(streams.message(exc))


def project_paths(data: Path | None) -> ProjectPaths:
    from ametijuhend_cli.messages import display_path
    from ametijuhend_cli.sources.paths import find_project

    paths = find_project(Path.cwd(), data)
    i18n.set_language(i18n.choose_language(os.environ, paths.messages_language, paths.messages_ci))
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
            raise click.UsageError(tr("give --quiet or --verbose, not both"), ctx)
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
