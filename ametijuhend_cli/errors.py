"""Problems, the messages they carry, and the exceptions the ametijuhend core raises."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ametijuhend_cli.i18n import gettext_, ngettext


@dataclass(frozen=True)
class Message:
    """A text of the message catalog: its id and the values of its ``{named}`` fields.

    The id is the English text with ``{named}`` fields, as a gettext msgid;
    the values are filled in only when the message is shown, after the id is
    looked up in the catalog (``translate``), so a translation can reorder
    them. Build one with ``msg`` (or ``nmsg`` for a text that has a plural).
    """

    id: str
    args: tuple[tuple[str, str | int | Message], ...] = ()
    #: the plural id (gettext's msgid_plural); the count is the argument ``n``
    plural: str | None = None

    def __str__(self) -> str:
        # always formatted: a literal brace is written doubled, as in str.format
        if not self.id:  # gettext's empty id is the catalog's header
            return ""
        values = {name: str(value) for name, value in self.args}
        if self.plural is None:
            return translate(self.id).format_map(values)
        count = dict(self.args)["n"]
        assert isinstance(count, int)
        return translate_plural(self.id, self.plural, count).format_map(values)


def msg(id: str, /, **args: str | int | Message) -> Message:
    """Return the catalog message ``id`` with ``args`` for its ``{named}`` fields.

    ``id`` must be a string literal (tests check it), so that the catalog's
    extraction finds it: ``msg("unknown unit {unit}", unit=excerpt(uid))``.
    Literal braces in the text are doubled, as in ``str.format``.
    """
    return Message(id, tuple(sorted(args.items())))


def nmsg(singular: str, plural: str, n: int, /, **args: str | int | Message) -> Message:
    """Return the catalog message for the count ``n``: ``singular`` or ``plural`` as the
    language forms it (gettext's ngettext), ``{n}`` and ``args`` filled in.

    ``nmsg("{n} position", "{n} positions", count)``: both ids are string
    literals, extracted together; Estonian and English choose by ``n != 1``.
    """
    return Message(singular, tuple(sorted({**args, "n": n}.items())), plural)


def verbatim(text: str) -> Message:
    """Return a text that is not in the catalog as a message (a library's own words, data)."""
    return Message("{text}", (("text", text),))


def reason_of(exc: BaseException) -> Message:
    """Return the message an exception carries: the Message it was raised with (ours), else
    its text (a library's words)."""
    if isinstance(exc, AmetijuhendError):
        return exc.message
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0]
    return verbatim(str(exc))


def joined(parts: Sequence[Message | str], separator: str = ", ") -> Message:
    """Return ``parts`` one after the other with ``separator`` between them, each part
    shown in the language of the moment it is shown (a list of messages or data)."""
    if not parts:
        return verbatim("")
    names = [f"part{i}" for i in range(len(parts))]
    between = separator.replace("{", "{{").replace("}", "}}")
    return Message(
        between.join("{" + n + "}" for n in names), tuple(zip(names, parts, strict=True))
    )


#: How a message id becomes the text shown: the catalog's lookup in the language
#: chosen (i18n); another with ``use_catalog``.
translate: Callable[[str], str] = gettext_
#: The same for a text with a plural: (singular, plural, n) -> the form for n.
translate_plural: Callable[[str, str, int], str] = ngettext


def use_catalog(
    lookup: Callable[[str], str] | None,
    plural_lookup: Callable[[str, str, int], str] | None = None,
) -> None:
    """Make messages shown through ``lookup`` (a gettext function) and ``plural_lookup``
    (an ngettext function); None: the catalog's."""
    global translate, translate_plural
    translate = lookup if lookup is not None else gettext_
    translate_plural = plural_lookup if plural_lookup is not None else ngettext


def with_hint(text: str | Message, hint: Message | None) -> Message:
    """Return ``text`` with its hint on the next line, the one way hints are shown."""
    shown = text if isinstance(text, Message) else verbatim(text)
    return msg("{text}\n    hint: {hint}", text=shown, hint=hint) if hint else shown


class Severity(enum.Enum):
    """How much a problem weighs: an error fails the run; a warning only under --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with the sources, located as precisely as we can.

    Built with keywords only: ``Problem(path=..., line=..., message=msg(...))``.
    """

    path: str
    line: int | None = None
    column: int | None = None
    field: str = ""
    message: Message
    hint: Message | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        """Return whether the problem is an error (it fails the run whatever the options)."""
        return self.severity is Severity.ERROR

    def location(self) -> str:
        """Return ``path:line:col`` (as much of it as is known)."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        where = self.location() + ": " if self.path else ""
        body = f"{self.field}: {self.message}" if self.field else str(self.message)
        if not self.is_error:
            body = str(msg("warning: {problem}", problem=body))
        return where + str(with_hint(body, self.hint))

    def sort_key(self) -> tuple[str, int, int]:
        """Return a key that orders problems by file and position."""
        return (self.path, self.line or 0, self.column or 0)

    def as_warning(self) -> Problem:
        """Return this problem as a warning (it does not fail the run)."""
        return Problem(
            path=self.path,
            line=self.line,
            column=self.column,
            field=self.field,
            message=self.message,
            hint=self.hint,
            severity=Severity.WARNING,
        )


@dataclass
class Findings:
    """The problems a run found, errors and warnings, and the one place that stops it."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, found: Iterable[Problem]) -> None:
        """Take in more problems."""
        self.problems.extend(found)

    @property
    def errors(self) -> list[Problem]:
        """Return the errors, in the order found."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Return the warnings, by file and position."""
        return sorted((p for p in self.problems if not p.is_error), key=Problem.sort_key)

    def stop(self, *, strict: bool = False, note: Message | None = None) -> None:
        """Raise DataError when a problem fails the run: an error, or a warning under ``strict``.

        Errors come first, then the warnings (by place).
        """
        errors, warnings = self.errors, self.warnings
        if errors or (strict and warnings):
            raise DataError(errors + warnings, note=note, strict=strict)


class AmetijuhendError(Exception):
    """Base of every error the core raises on purpose; its text is a catalog ``Message``,
    shown in the language of the moment it is printed."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class DataError(AmetijuhendError):
    """The sources have problems; ``problems`` lists every one of them."""

    def __init__(
        self, problems: list[Problem], note: Message | None = None, *, strict: bool = False
    ):
        self.problems = sorted(problems, key=Problem.sort_key)
        #: what became of the outputs, for the summary line ("2 positions not built")
        self.note = note
        #: warnings count as problems (``--strict``)
        self.strict = strict
        super().__init__(nmsg("{n} problem", "{n} problems", len(self.problems)))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self) -> tuple[object, ...]:
        return (DataError, (self.problems, self.note), {"strict": self.strict})

    def failing(self) -> list[Problem]:
        """Return the problems that fail the run: errors, and warnings under --strict."""
        return [p for p in self.problems if self.strict or p.is_error]


class ProjectNotFoundError(AmetijuhendError):
    """No project (an ``ametijuhend.yaml`` or a ``data/`` folder) was found."""


class TemplateError(AmetijuhendError):
    """A template or the reference document is broken; ``problem`` locates it."""

    def __init__(self, problem: Problem | Message):
        if isinstance(problem, Message):
            problem = Problem(path="", message=problem)
        super().__init__(problem.message)
        self.problem = problem

    def __str__(self) -> str:
        return str(self.problem)

    def __reduce__(self) -> tuple[object, ...]:
        return (TemplateError, (self.problem,))


class OutputError(AmetijuhendError):
    """An output could not be written."""


class UnknownPositionError(AmetijuhendError):
    """A position id given on the command line does not exist."""


class UnknownUnitError(AmetijuhendError):
    """A unit id given on the command line is not in organization.yaml."""


class InvalidIdError(AmetijuhendError):
    """An id given on the command line is not a safe slug."""


class InitError(AmetijuhendError):
    """A project cannot be started as asked (no agency name, a folder that is not empty)."""
