"""The text types of every schema: one-paragraph texts, ids, lists of texts."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator

from ametijuhend_cli.errors import msg
from ametijuhend_cli.ids import check_slug
from ametijuhend_cli.messages import BIDI_CONTROLS, INVISIBLE, character_name

# C0/C1 control characters other than tab and newline, lone surrogates and the
# non-characters U+FFFE/U+FFFF cannot be written into WordprocessingML (the
# DOCX would not open) and are never intended in a text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The characters of the two sets as classes: one search instead of a loop in Python
# (every text of every position passes here).
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
_INVISIBLE = re.compile("[" + re.escape("".join(sorted(INVISIBLE))) + "]")
#: A letter or digit of ASCII prints: most texts hold one near their start.
_PRINTS = re.compile("[A-Za-z0-9]")


#: A field is one paragraph; a longer text is a whole document pasted into
#: one field by mistake (and would make a table row longer than a page).
MAX_TEXT = 10_000


def no_control(value: str) -> str:
    """Return ``value``; raise ValueError if it holds a control or direction character."""
    match = _CONTROL.search(value)
    if match:
        raise ValueError(
            msg(
                "contains the control character {char}, which cannot appear in a document "
                "(pasted from another program?)",
                char=f"U+{ord(match.group()):04X}",
            )
        )
    found = _BIDI.search(value)
    if found is not None:
        bidi = found.group()
        raise ValueError(
            msg(
                "contains {char}, which turns the text around it so that it reads differently "
                "from what is stored; delete it (retype the text around it)",
                char=character_name(bidi),
            )
        )
    return value


# The same texts pass again and again (shared library entries in every position, a
# project loaded again by a later command in one process): each is checked once.
@functools.lru_cache(maxsize=1 << 15)
def _text(value: str) -> str:
    no_control(value)
    # A field is one paragraph: line breaks from YAML block scalars and doubled
    # spaces pasted from Word are folded into single spaces.
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if not visible(value):
        raise ValueError(
            msg("must not be empty (it holds only invisible characters)")
            if value
            else msg("must not be empty")
        )
    found = _INVISIBLE.search(value)
    if found is not None:
        invisible = found.group()
        raise ValueError(
            msg(
                "contains {char}, an invisible character that makes the text differ from one "
                "that looks the same; delete it (retype the text around it)",
                char=character_name(invisible),
            )
        )
    if len(value) > MAX_TEXT:
        raise ValueError(
            msg(
                "the text is {length} characters long; a field holds at most {n} (one paragraph)",
                length=len(value),
                n=MAX_TEXT,
            )
        )
    return value


def visible(value: str) -> bool:
    """Return whether ``value`` holds a character that prints (not only spaces or format marks)."""
    if _PRINTS.search(value):
        return True
    return any(unicodedata.category(c)[0] not in "ZC" and c not in INVISIBLE for c in value)


def one_or_many(value: Any) -> Any:
    """Return ``value`` as a list: one text given alone stands for a list of one.

    Another single value (a date, a number) is a list of one too, so that the
    message says what is wrong with it as a text.
    """
    return value if isinstance(value, (list, dict)) or value is None else [value]


Text = Annotated[str, AfterValidator(_text)]
#: Text kept exactly as written (separators of the wording), control characters refused.
PlainText = Annotated[str, AfterValidator(no_control)]
Slug = Annotated[str, AfterValidator(check_slug)]
TextList = Annotated[list[Text], BeforeValidator(one_or_many)]


def _level_case(value: Any) -> Any:
    """Return a CEFR level in capitals ('c1' → 'C1'): the level is known whatever its case."""
    return value.strip().upper() if isinstance(value, str) and len(value.strip()) == 2 else value


Cefr = Annotated[Literal["A1", "A2", "B1", "B2", "C1", "C2"], BeforeValidator(_level_case)]
EmploymentType = Literal["ametnik", "töötaja"]
