"""Console output that no legacy encoding can crash (Windows code pages, ISO-8859 locales)."""

from __future__ import annotations

import codecs
import io
import sys
import unicodedata
from typing import IO

#: The error handler set on stdout and stderr when their encoding is not UTF-8.
FALLBACK = "ametijuhend-console"
#: Typographic characters the tool prints (arrows, ellipses, Estonian quotes)
#: and what a code page without them shows instead.
_SPELLED = {
    "→": "->",
    "←": "<-",
    "…": "...",
    "„": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "•": "*",
    "\u00a0": " ",
    "\ufeff": "",
}


def _fallback(error: UnicodeError) -> tuple[str, int]:
    """Return what an encoding that lacks the characters of ``error`` writes for them.

    The spelled-out table first, then the letter without its accents ("Š" is
    "S" in ISO-8859-1), then "?": a message stays readable and never crashes.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        if char in _SPELLED:
            out.append(_SPELLED[char])
            continue
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
        out.append(base or "?")
    return "".join(out), error.end


codecs.register_error(FALLBACK, _fallback)


def _is_utf(encoding: str | None) -> bool:
    return (encoding or "").lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")


def make_safe(stream: IO[str] | None) -> None:
    """Let ``stream`` write any text: characters its encoding lacks are spelled out."""
    if isinstance(stream, io.TextIOWrapper) and not _is_utf(stream.encoding):
        stream.reconfigure(errors=FALLBACK)


def setup() -> None:
    """Make stdout and stderr safe for any text (a redirected Windows console writes cp1257
    or cp1252, a legacy Linux locale ISO-8859-15; neither has '→')."""
    make_safe(sys.stdout)
    make_safe(sys.stderr)
