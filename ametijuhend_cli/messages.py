"""Words shared by every message: file paths as shown, "did you mean", plurals."""

from __future__ import annotations

import difflib
import os
import typing
import unicodedata
from pathlib import Path

#: Messages quote at most this many characters of a value or key read from a file.
EXCERPT = 40


def display_path(path: Path) -> str:
    """Return ``path`` relative to the current folder where that is shorter."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith(".." + os.sep + "..") else str(path)


def close_matches(word: str, choices: typing.Iterable[str]) -> list[str]:
    """Return up to three known names close to ``word``, best first."""
    return difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """Return a 'did you mean' hint, or an empty string when nothing is close."""
    matches = close_matches(word, choices)
    return f"did you mean {' or '.join(repr(m) for m in matches)}?" if matches else ""


def plural(n: int, word: str) -> str:
    """Return ``n`` and ``word``, with an English plural -s unless ``n`` is 1."""
    return f"{n} {word}{'s' if n != 1 else ''}"


def escaped(text: str) -> str:
    """Return ``text`` with control, invisible and direction characters as escapes (\\u202e)."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() and unicodedata.category(c) != "Cf" else ascii(c)[1:-1] for c in text
    )


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """Return ``text`` quoted for a message: escaped, cut to ``limit`` characters ('abc…')."""
    shown = escaped(text)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"'{shown}'"
