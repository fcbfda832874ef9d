"""Words shared by every message: file paths as shown, "did you mean", plurals."""

from __future__ import annotations

import difflib
import errno
import os
import typing
import unicodedata
from pathlib import Path

from ametijuhend_cli.errors import Message, msg, verbatim

#: Messages quote at most this many characters of a value or key read from a file.
EXCERPT = 40


def display_path(path: Path) -> str:
    """Return ``path`` relative to the current folder where that is shorter.

    Control, invisible and direction characters in a file name are shown as
    escapes (``nou\\u200bnik.yaml``): a name must not turn a message around.
    """
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return escaped(str(path))
    return escaped(rel if not rel.startswith(".." + os.sep + "..") else str(path))


def close_matches(word: str, choices: typing.Iterable[str]) -> list[str]:
    """Return up to three known names close to ``word``, best first."""
    return difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)


def did_you_mean(word: str, choices: typing.Iterable[str]) -> Message | None:
    """Return a 'did you mean' hint, or None when nothing is close."""
    matches = close_matches(word, choices)
    if not matches:
        return None
    return msg("did you mean {names}?", names=either([repr(m) for m in matches]))


def either(names: typing.Sequence[str]) -> Message:
    """Return the alternatives ``names`` as one phrase: "'a', 'b' or 'c'" in the language shown."""
    if len(names) < 2:
        return verbatim("".join(names))
    return msg("{names} or {last}", names=", ".join(names[:-1]), last=names[-1])


def maybe_meant(message: Message, word: str, choices: typing.Iterable[str]) -> Message:
    """Return ``message`` followed by "(did you mean a, b?)" when known names are close."""
    matches = close_matches(word, choices)
    if not matches:
        return message
    return msg("{message} (did you mean {names}?)", message=message, names=", ".join(matches))


#: The system's reasons for the errors of the machine, in the catalog (Python gives them
#: in English whatever the locale): an errno missing here is shown as the system says it.
_OS_REASONS = {
    errno.ENOENT: msg("No such file or directory"),
    errno.EACCES: msg("Permission denied"),
    errno.EPERM: msg("Operation not permitted"),
    errno.ENOSPC: msg("No space left on device"),
    errno.EDQUOT: msg("Disk quota exceeded"),
    errno.EROFS: msg("Read-only file system"),
    errno.EFBIG: msg("File too large"),
    errno.EMFILE: msg("Too many open files"),
    errno.ENFILE: msg("Too many open files in system"),
    errno.EBADF: msg("Bad file descriptor"),
    errno.EIO: msg("Input/output error"),
    errno.EISDIR: msg("Is a directory"),
    errno.ENOTDIR: msg("Not a directory"),
    errno.EEXIST: msg("File exists"),
    errno.ENAMETOOLONG: msg("File name too long"),
    errno.ENOTEMPTY: msg("Directory not empty"),
    errno.EBUSY: msg("Device or resource busy"),
    errno.ELOOP: msg("Too many levels of symbolic links"),
    errno.EPIPE: msg("Broken pipe"),
    errno.EXDEV: msg("Invalid cross-device link"),
    errno.ETXTBSY: msg("Text file busy"),
    errno.EINVAL: msg("Invalid argument"),
}


def os_reason(exc: OSError) -> Message:
    """Return why the system refused (``exc``'s reason) as a message: the catalog's words for
    the common errors, else the system's own."""
    said = exc.strerror or ""
    known = _OS_REASONS.get(exc.errno or 0)
    if known is not None and said == os.strerror(exc.errno or 0):
        return known
    return OWN_REASONS.get(said) or verbatim(said or str(exc))


#: The reasons the tool gives an OSError of its own (streams, writing).
OWN_REASONS = {
    "standard output is closed": msg("standard output is closed"),
    "no free temporary file name": msg("no free temporary file name"),
}


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


#: Characters that change the direction of the text after them (Trojan Source).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Characters that print as nothing: two texts differing only in them look identical.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
    # letters and symbols that print as blanks (Hangul fillers, the Braille blank)
    "\u115f\u1160\u2800\u3164\uffa0"
)
#: Cyrillic and Greek letters that look like a Latin letter of an id.
LOOK_ALIKES = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ɡ": "g", "ı": "i",
}  # fmt: skip


def naming_odd_character(message: Message, text: str) -> Message:
    """Return ``message`` followed by what makes ``text`` look like another, if anything."""
    odd = odd_character(text)
    return msg("{message}: it {odd}", message=message, odd=odd) if odd else message


def character_name(char: str) -> str:
    """Return 'U+200B ZERO WIDTH SPACE' for a character."""
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "UNNAMED CHARACTER")
    return f"U+{ord(char):04X} {name}"


#: Names of the control characters a file name or key is likeliest to hold (Unicode names none).
_CONTROL_NAMES = {"\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}


def odd_character(text: str) -> Message | None:
    """Return what makes ``text`` look like another (an invisible or look-alike character).

    "contains U+200B ZERO WIDTH SPACE, an invisible character"; "contains
    U+043E CYRILLIC SMALL LETTER O, which looks like the Latin 'o'".
    """
    for char in text:
        if char in BIDI_CONTROLS:
            return msg("contains {char}, which turns the text around it", char=character_name(char))
        if char in INVISIBLE or unicodedata.category(char) == "Cf":
            return msg("contains {char}, an invisible character", char=character_name(char))
        if char in LOOK_ALIKES:
            return msg(
                "contains {char}, which looks like the Latin '{latin}'",
                char=character_name(char),
                latin=LOOK_ALIKES[char],
            )
        if unicodedata.category(char) == "Cc":
            return msg("contains {char}, a control character", char=character_name(char))
    return None
