"""Help texts and click's own messages through the catalog, in the language chosen."""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Iterable
from types import ModuleType
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types
import click.utils

from ametijuhend_cli import i18n

#: click's modules whose messages (``_("Usage:")``, "No such option") go through the catalog.
CLICK_MODULES: tuple[ModuleType, ...] = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.types,
    click.utils,
)

#: what click adds after an option's help: "  [default: github]", "  [required]"
_EXTRA = re.compile(r"^(?P<help>.*?)(?P<extra>  \[[^\[\]]*\])?$", re.DOTALL)


def translate_help(help_text: str) -> str:
    """Return a help text from the catalog, the part click appended kept as it is."""
    found = _EXTRA.match(help_text)
    if found is None or not found.group("help"):
        return i18n.gettext_(help_text)
    return i18n.gettext_(found.group("help")) + (found.group("extra") or "")


class Formatter(click.HelpFormatter):
    """click's help formatter, with the command's and the options' texts translated."""

    def write_text(self, text: str) -> None:
        super().write_text(i18n.gettext_(text))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl([(term, translate_help(d)) for term, d in rows], col_max, col_spacing)


class Context(click.Context):
    """A context whose help is written by the translating formatter."""

    formatter_class = Formatter


class Group(click.Group):
    """The command group: chooses the language first, lists the commands' help translated."""

    context_class = Context

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # the project file is read only once a command looks for the project
        # (cli._common.project_paths); help and usage errors follow the environment
        i18n.set_language(i18n.choose_language(os.environ))
        install_click_messages()
        return super().main(*args, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        listed = [(name, short_help(command, limit)) for name, command in rows]
        with formatter.section(i18n.gettext_("Commands")):
            formatter.write_dl(listed)


def short_help(command: click.Command, limit: int) -> str:
    """Return the first sentence of a command's translated help, cut to ``limit`` characters."""
    if command.short_help:
        return i18n.gettext_(command.short_help)
    if not command.help:
        return ""
    full = i18n.gettext_(inspect.cleandoc(command.help).partition("\f")[0])
    # click's own rule, so that English help stays as click prints it (private from click 8.5)
    clicks = getattr(click.utils, "_make_default_short_help", None) or getattr(
        click.utils, "make_default_short_help", None
    )
    if clicks is not None:
        return str(clicks(full, limit))
    first = " ".join(full.split("\n\n")[0].split())
    sentence = re.split(r"(?<=\.)\s", first, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 3].rsplit(" ", 1)[0] + "..."


def install_click_messages() -> None:
    """Route click's own messages (usage, errors) through the catalog."""
    for module in CLICK_MODULES:
        if hasattr(module, "_"):
            module._ = i18n.gettext_  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def translate_command(command: click.Command) -> None:
    """Let ``command`` write its help through the translating formatter."""
    command.context_class = Context
