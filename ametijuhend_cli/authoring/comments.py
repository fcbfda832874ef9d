"""The comments of the starter files, in the language shown: each a catalog message."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ametijuhend_cli.i18n import SOURCE_LANGUAGE, gettext_, language

#: A comment line: its indentation and its text after "# " ("#" alone: an empty line of it).
_FULL = re.compile(r"^(?P<indent>[ \t]*)#(?: (?P<text>.*))?$")
#: A comment after a value: at least one space, then "# " (the starter files put no '#'
#: in their values).
_TRAILING = re.compile(r"^(?P<code>.*?\S)(?P<gap>[ \t]+)# (?P<text>.*)$")
#: Comment lines that are directives to a program, not to people: never translated.
_DIRECTIVES = ("yaml-language-server:",)


@dataclass(frozen=True)
class _Comment:
    """A comment of a starter file: the lines it takes, the text people read."""

    start: int
    end: int
    text: str
    #: the line's value before a trailing comment and the gap to it; None: whole lines
    code: str | None = None
    indent: str = ""


def _comments(lines: list[str]) -> Iterator[_Comment]:
    """Yield the comments of ``lines``: runs of whole comment lines at one indentation (one
    paragraph each), and comments after a value."""
    i = 0
    while i < len(lines):
        full = _FULL.match(lines[i])
        if full is None:
            trailing = _TRAILING.match(lines[i])
            if trailing is not None:
                code = trailing.group("code") + trailing.group("gap")
                yield _Comment(i, i + 1, trailing.group("text"), code)
            i += 1
            continue
        indent, start, texts = full.group("indent"), i, []
        while i < len(lines):
            line = _FULL.match(lines[i])
            if line is None or line.group("indent") != indent:
                break
            text = line.group("text") or ""
            if text.startswith(_DIRECTIVES):
                break
            texts.append(text)
            i += 1
        if not texts:  # a directive: as it is
            i += 1
            continue
        yield _Comment(start, i, "\n".join(texts), indent=indent)


def starter_comments(text: str) -> list[str]:
    """Return the comments of a starter file as catalog ids (for the catalog's extraction)."""
    return [c.text for c in _comments(text.split("\n"))]


def translated(text: str, lookup: Callable[[str], str] | None = None) -> str:
    """Return the starter file ``text`` with its comments in the language shown now (the
    text itself in English); a comment keeps its place and its column."""
    if lookup is None:
        if language() == SOURCE_LANGUAGE:
            return text
        lookup = gettext_
    lines = text.split("\n")
    out: list[str] = []
    done = 0
    for comment in _comments(lines):
        out += lines[done : comment.start]
        said = lookup(comment.text)
        if comment.code is not None:
            out.append(comment.code + "# " + said)
        else:
            out += [comment.indent + ("# " + line if line else "#") for line in said.split("\n")]
        done = comment.end
    out += lines[done:]
    return "\n".join(out)
