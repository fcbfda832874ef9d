"""Exceptions and problem records raised by the ametijuhend core."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with the sources, located as precisely as we can.

    Built with keywords only: ``Problem(path=..., line=..., message=...)``.
    """

    path: str
    line: int | None = None
    column: int | None = None
    field: str = ""
    message: str = ""
    hint: str = ""
    severity: str = "error"

    def location(self) -> str:
        """Return ``path:line:col`` (as much of it as is known)."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        text = self.location() + ": " if self.path else ""
        if self.severity != "error":
            text += f"{self.severity}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def sort_key(self) -> tuple[str, int, int]:
        """Return a key that orders problems by file and position."""
        return (self.path, self.line or 0, self.column or 0)


class AmetijuhendError(Exception):
    """Base of every error the core raises on purpose."""


class DataError(AmetijuhendError):
    """The sources have problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem], note: str = "", *, strict: bool = False):
        self.problems = sorted(problems, key=Problem.sort_key)
        #: what became of the outputs, for the summary line ("2 positions not built")
        self.note = note
        #: warnings count as problems (``--strict``)
        self.strict = strict
        super().__init__("\n".join(str(p) for p in self.problems))

    def failing(self) -> list[Problem]:
        """Return the problems that fail the run: errors, and warnings under --strict."""
        return [p for p in self.problems if self.strict or p.severity == "error"]


class ProjectNotFoundError(AmetijuhendError):
    """No project (an ``ametijuhend.yaml`` or a ``data/`` folder) was found."""


class TemplateError(AmetijuhendError):
    """A template or the reference document is broken; ``problem`` locates it."""

    def __init__(self, message: str, problem: Problem | None = None):
        super().__init__(message)
        self.problem = problem or Problem(path="", message=message)


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
