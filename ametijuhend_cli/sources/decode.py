"""Decode source files: the encoding, binary files and characters YAML refuses."""

from __future__ import annotations

import re

from ametijuhend_cli.errors import DataError, Message, Problem, msg
from ametijuhend_cli.messages import character_name

#: Characters YAML refuses in a file (C0 and C1 controls except tab and line
#: breaks, lone surrogates, U+FFFE/U+FFFF); text pasted from Word brings some.
_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: YAML 1.1 breaks lines at these too, but editors show them inside a line; as
#: spaces they keep YAML's line numbers equal to the editor's (a text field
#: folds every run of white space into one space anyway).
ODD_BREAKS = str.maketrans({"\x85": " ", "\u2028": " ", "\u2029": " "})
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SAVE_AS_UTF8 = msg("save the file with UTF-8 encoding (in Notepad: Save as → Encoding: UTF-8)")
#: At most this many bad characters are reported per file.
MAX_CHARACTER_PROBLEMS = 10


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Return line and column (1-based, in characters) of byte ``offset``."""
    start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def _legacy_meaning(byte: int) -> str:
    """Return what ``byte`` means in the Windows encodings Estonian files are saved in."""
    meanings = []
    for codec in ("cp1257", "cp1252"):
        try:
            char = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            continue
        if char.isprintable() and char not in meanings:
            meanings.append(char)
    return " or ".join(f"'{c}'" for c in meanings)


def decode(data: bytes, display: str) -> str:
    """Return the text of a source file; raise DataError naming the encoding problem."""

    def fail(
        line: int | None, col: int | None, message: Message, hint: Message = _SAVE_AS_UTF8
    ) -> None:
        raise DataError([Problem(path=display, line=line, column=col, message=message, hint=hint)])

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        fail(1, 1, msg("the file is saved as UTF-16, not UTF-8"))
    if data.startswith(b"PK\x03\x04"):
        fail(
            None,
            None,
            msg("the file is a zip archive (a Word or Excel document?), not YAML text"),
            msg("write the YAML in a text editor; see the README for the format"),
        )
    if b"\x00" in data:
        line, col = _position(data, data.index(b"\x00"))
        fail(
            line,
            col,
            msg("the file is not text: it contains zero bytes"),
            msg("is it a document saved under a .yaml name? {hint}", hint=_SAVE_AS_UTF8),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        byte = data[exc.start]
        meaning = _legacy_meaning(byte)
        fail(
            line,
            col,
            msg(
                "the file is not valid UTF-8: byte 0x{byte} cannot be decoded "
                "(in the Windows encodings it is {meaning})",
                byte=f"{byte:02X}",
                meaning=meaning,
            )
            if meaning
            else msg(
                "the file is not valid UTF-8: byte 0x{byte} cannot be decoded", byte=f"{byte:02X}"
            ),
        )
    return text


def _character_problem(text: str, offset: int, display: str, message: Message) -> Problem:
    start = text.rfind("\n", 0, offset) + 1
    return Problem(
        path=display,
        line=text.count("\n", 0, offset) + 1,
        column=offset - start + 1,
        message=message,
        hint=msg("delete the invisible character here (retype the text around it)"),
    )


def character_problems(text: str, display: str) -> list[Problem]:
    """Return a problem for each character YAML refuses (up to a limit)."""
    problems = []
    for match in _BIDI.finditer(text):
        # a comment or key turned around can make a line read as something else
        problems.append(
            _character_problem(
                text,
                match.start(),
                display,
                msg(
                    "the file contains {char}, which turns the text "
                    "around it so that it reads differently from what is stored",
                    char=character_name(match.group()),
                ),
            )
        )
        if len(problems) == MAX_CHARACTER_PROBLEMS:
            return problems
    for match in _FORBIDDEN.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        problems.append(
            Problem(
                path=display,
                line=text.count("\n", 0, match.start()) + 1,
                column=match.start() - start + 1,
                message=msg(
                    "the file contains the control character U+{code}, "
                    "which cannot appear in a document (pasted from another program?)",
                    code=f"{ord(match.group()):04X}",
                ),
                hint=msg("delete the invisible character here (retype the text around it)"),
            )
        )
        if len(problems) == MAX_CHARACTER_PROBLEMS:
            break
    return problems
