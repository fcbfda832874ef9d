"""The YAML mistakes people make first, told as their cause and their fix."""

from __future__ import annotations

import re
from typing import Any

from ametijuhend_cli.errors import Message, Problem, msg
from ametijuhend_cli.messages import character_name, excerpt

#: Characters that look like a space (or nothing) but that YAML takes for part of
#: a text: at the start of a line they are no indentation, before a key they
#: become part of its name. Word and web pages bring the no-break spaces; a
#: byte-order mark inside a file comes from two files joined into one.
ODD_SPACES = frozenset(
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\ufeff"
)
#: Line breaks YAML 1.1 knows but editors show inside a line (decode.ODD_BREAKS).
_ODD_BREAKS = "\x85\u2028\u2029"
#: Typographic quotes: in YAML they are letters, not quotes.
_TYPOGRAPHIC_QUOTES = "„“”«»‚‘’"
_LINES = re.compile(r"\r\n|\r|\n")
#: ``key:value`` at the start of a line (after '- '), not a URL's ``http://``
_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):(?!//)(?=\S)")
#: ``key: value`` at the start of a line, after its indentation and any '- '
_KEY_VALUE = re.compile(r"^( *(?:-\s+)*)([^\s#:'\"\[{][^:#]*?):(?:\s+|$)(.*)$")


def odd_space_problem(key: str, display: str, line: int, column: int, field: str) -> Problem:
    """Return the problem of a key that starts with one of ODD_SPACES."""
    name = key.lstrip("".join(ODD_SPACES) + " ")
    return Problem(
        path=display,
        line=line,
        column=column,
        field=field,
        message=(
            msg(
                "the key {key} starts with a byte-order mark ({char}), which editors write "
                "only at the very start of a file (were two files joined?)",
                key=excerpt(name),
                char=character_name(key[0]),
            )
            if key[0] == "\ufeff"
            else msg(
                "the key {key} starts with {char}, which YAML does not take for a space "
                "(copied from Word or a web page?)",
                key=excerpt(name),
                char=character_name(key[0]),
            )
        ),
        hint=_odd_space_hint(key[0]),
    )


def _odd_space_hint(char: str) -> Message:
    if char == "\ufeff":
        return msg("delete it: retype the beginning of the line")
    return msg("replace it with ordinary spaces: retype the beginning of the line")


def explain(exc: Any, display: str, text: str, original: str) -> Problem | None:
    """Return the cause of the YAML syntax error ``exc`` in plain words, or None.

    ``text`` is what the parser read (the odd line breaks turned into spaces),
    ``original`` the file's text. PyYAML notices several mistakes only on the
    line after them (a missing space after ':', a no-break space that starts
    a line), so the line before the reported one is looked at too.
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return None
    lines = _LINES.split(text)
    if not 0 <= mark.line < len(lines):
        return None
    candidates = [n for n in (mark.line - 1, mark.line) if n >= 0]
    for check in (_odd_break, _odd_start, _no_space_after_colon):
        found = check(_LINES.split(original) if check is _odd_break else lines, candidates)
        if found is not None:
            line, column, message, hint = found
            return Problem(path=display, line=line, column=column, message=message, hint=hint)
    problem = str(getattr(exc, "problem", "") or "")
    if problem.startswith("mapping values are not allowed"):
        return _colon_problem(lines, mark, display)
    context = str(getattr(exc, "context", "") or "")
    start = getattr(exc, "context_mark", None)
    if start is not None and problem.startswith("did not find expected"):
        if "block mapping" in context:
            return _indent_problem(lines, mark, start, display, item=False)
        if "block collection" in context:
            return _indent_problem(lines, mark, start, display, item=True)
    return None


_Found = tuple[int, int, Message, Message]


def _odd_break(lines: list[str], candidates: list[int]) -> _Found | None:
    for n in reversed(candidates):
        if n >= len(lines):
            continue
        for i, char in enumerate(lines[n]):
            if char in _ODD_BREAKS:
                name = "U+0085 NEXT LINE (NEL)" if char == "\x85" else character_name(char)
                return (
                    n + 1,
                    i + 1,
                    msg(
                        "the line contains {char}, a line break that editors do not show: "
                        "YAML starts a new line there (pasted from another program?)",
                        char=name,
                    ),
                    msg("delete it (retype the text around it), or press Enter there"),
                )
    return None


def _odd_start(lines: list[str], candidates: list[int]) -> _Found | None:
    for n in candidates:
        line = lines[n]
        stripped = line.lstrip(" ")
        if stripped[:1] in ODD_SPACES:
            column = len(line) - len(stripped) + 1
            char = stripped[0]
            key = _KEY_VALUE.match(stripped[1:])
            if key is not None:  # name the key, as a problem found on the parsed file does
                problem = odd_space_problem(char + key.group(2), "", n + 1, column, "")
                return n + 1, column, problem.message, _odd_space_hint(char)
            message = (
                msg(
                    "the line starts with a byte-order mark ({char}), which editors write only "
                    "at the very start of a file (were two files joined?)",
                    char=character_name(char),
                )
                if char == "\ufeff"
                else msg(
                    "the line starts with {char}, which YAML does not take for a space (copied "
                    "from Word or a web page?)",
                    char=character_name(char),
                )
            )
            return n + 1, column, message, _odd_space_hint(char)
    return None


def _no_space_after_colon(lines: list[str], candidates: list[int]) -> _Found | None:
    for n in candidates:
        found = _NO_SPACE.match(lines[n])
        if found is None:
            continue
        key = found.group(2)
        rest = lines[n][found.end() :].rstrip()
        return (
            n + 1,
            found.end(),
            msg("'{key}:' needs a space after the ':'", key=key),
            msg("write {fix}", fix=excerpt(f"{key}: {rest}")),
        )
    return None


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_of(line: str) -> str | None:
    found = _KEY_VALUE.match(line)
    return found.group(2).strip() if found else None


def _spaces(n: int) -> Message:
    return msg("1 space") if n == 1 else msg("{n} spaces", n=n)


def _colon_problem(lines: list[str], mark: Any, display: str) -> Problem | None:
    """Explain "mapping values are not allowed": a key indented too far, or ': ' in a text."""
    line = lines[mark.line]
    found = _KEY_VALUE.match(line)
    key = _key_of(line)
    if found is None or key is None:
        return None
    colon = len(found.group(1)) + len(found.group(2))
    if colon == mark.column:  # the line's own key: it continues the text of the line above
        above = _previous_key_line(lines, mark.line)
        if above is None:
            return None
        n, sibling = above
        indent = _indentation(lines[n])
        if _indentation(line) <= indent:
            return None
        hint = (
            msg(
                "indent '{key}' by {spaces}, like '{sibling}'",
                key=key,
                spaces=_spaces(indent),
                sibling=sibling,
            )
            if indent
            else msg(
                "start '{key}' at the beginning of the line, like '{sibling}'",
                key=key,
                sibling=sibling,
            )
        )
        return Problem(
            path=display,
            line=mark.line + 1,
            column=_indentation(line) + 1,
            message=msg(
                "'{key}' is indented further than '{sibling}' (line {line}), so YAML reads it "
                "as more of the text of '{sibling}'",
                key=key,
                sibling=sibling,
                line=n + 1,
            ),
            hint=hint,
        )
    value = found.group(3).rstrip()
    quoted = "'" + value.replace("'", "''") + "'"
    fix = f"{found.group(1).strip()} {key}: {quoted}".strip()
    if any(q in value for q in _TYPOGRAPHIC_QUOTES):
        return Problem(
            path=display,
            line=mark.line + 1,
            column=mark.column + 1,
            message=msg(
                "the text contains ': ', which YAML reads as the start of a key; "
                "„ and ” are letters to YAML, not quotes"
            ),
            hint=msg("put the whole text in straight quotes: {fix}", fix=fix),
        )
    return Problem(
        path=display,
        line=mark.line + 1,
        column=mark.column + 1,
        message=msg("the text contains ': ', which YAML reads as the start of a key"),
        hint=msg("put the whole text in quotes: {fix}", fix=fix),
    )


def _previous_key_line(lines: list[str], n: int) -> tuple[int, str] | None:
    """Return the nearest line above ``n`` that holds a key, and the key."""
    for m in range(n - 1, -1, -1):
        if not lines[m].strip() or lines[m].lstrip().startswith("#"):
            continue
        key = _key_of(lines[m])
        if key is not None:
            return m, key
        if _indentation(lines[m]) <= _indentation(lines[n]):
            return None  # a line of text, not a key: something else is wrong
    return None


def _indent_problem(
    lines: list[str], mark: Any, start: Any, display: str, *, item: bool
) -> Problem | None:
    """Explain "did not find expected key" (or '-'): a key indented between two levels.

    ``start`` is where the mapping (or, ``item``, the list) that ended begins.
    """
    line = lines[mark.line]
    have = _indentation(line)
    key = _key_of(line.lstrip(" -")) or excerpt(line.strip(), 30)[1:-1]
    inner = _key_above(lines, mark.line, start.line, lambda n: n > have)
    if item:
        outer: tuple[int, str, int] | None = (start.line, "-", start.column)
    else:
        outer = _key_above(lines, mark.line, start.line, lambda n: n == start.column)
    if outer is None:
        return None
    levels = [found for found in (inner, outer) if found is not None]
    compared = [_compared(have, *found) for found in sorted(levels, key=lambda f: f[2])]
    choices = [
        msg("by {spaces} like '{name}'", spaces=_spaces(indent), name=name)
        if name != "-"
        else msg("start a new item with '- ' at {spaces}", spaces=_spaces(indent))
        for _, name, indent in levels
    ]
    message = msg(
        "'{key}' is indented by {spaces}: {compared}",
        key=key,
        spaces=_spaces(have),
        compared=_joined(compared, "and"),
    )
    hint = msg(
        "indent '{key}' like the key it belongs with: {choices}",
        key=key,
        choices=_joined(choices, "or"),
    )
    return Problem(path=display, line=mark.line + 1, column=have + 1, message=message, hint=hint)


def _joined(parts: list[Message], word: str) -> Message:
    """Return one or two messages as one: "A and B" (``word``: and, or)."""
    if len(parts) == 1:
        return parts[0]
    if word == "and":
        return msg("{first} and {second}", first=parts[0], second=parts[1])
    return msg("{first} or {second}", first=parts[0], second=parts[1])


def _compared(have: int, n: int, name: str, indent: int) -> Message:
    """Return "more than 'education' (line 15, 2 spaces)" and the like."""
    spaces, line = _spaces(indent), n + 1
    if name == "-":
        if indent < have:
            return msg("more than the '-' of line {line} ({spaces})", line=line, spaces=spaces)
        if indent > have:
            return msg("less than the '-' of line {line} ({spaces})", line=line, spaces=spaces)
        return msg("as far as the '-' of line {line} ({spaces})", line=line, spaces=spaces)
    if indent < have:
        return msg(
            "more than '{name}' (line {line}, {spaces})", name=name, line=line, spaces=spaces
        )
    if indent > have:
        return msg(
            "less than '{name}' (line {line}, {spaces})", name=name, line=line, spaces=spaces
        )
    return msg("as far as '{name}' (line {line}, {spaces})", name=name, line=line, spaces=spaces)


def _key_above(lines: list[str], n: int, first: int, indented: Any) -> tuple[int, str, int] | None:
    """Return the nearest line from ``first`` to above ``n`` holding a key whose column
    passes ``indented``: the line, the key, its column (after any '- ')."""
    for m in range(n - 1, first - 1, -1):
        found = _KEY_VALUE.match(lines[m])
        if found is not None and indented(len(found.group(1))):
            return m, found.group(2).strip(), len(found.group(1))
    return None
