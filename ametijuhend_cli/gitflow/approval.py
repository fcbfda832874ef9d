"""Record an approval (date, directive number, signer) in a position file, keeping the rest."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from ametijuhend_cli.errors import AmetijuhendError, msg
from ametijuhend_cli.sources.paths import ProjectPaths
from ametijuhend_cli.writing import write_atomic

#: The top-level approval key and the lines indented under it.
_BLOCK = re.compile(r"^approval:[^\n]*\n(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*", re.MULTILINE)
_BY = re.compile(r"^[ \t]+by:[ \t]*(.+?)[ \t]*$|\bby:[ \t]*([^,}\n]+)", re.MULTILINE)


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def approval_block(date: dt.date, number: str, signed_by: str, by: str = "") -> str:
    """Return the YAML of an approval block."""
    lines = ["approval:", f"  date: {date.isoformat()}", f"  number: {_quoted(number)}"]
    if by:
        lines.append(f"  by: {by}")
    lines.append(f"  signed_by: {_quoted(signed_by)}")
    return "\n".join(lines) + "\n"


def set_approval(
    paths: ProjectPaths, position: str, date: dt.date, number: str, signed_by: str
) -> Path:
    """Write ``approval:`` into a position's file (replacing one there); return the file.

    Only the approval block changes: comments and the rest of the file stay as
    they are. An existing ``by:`` is kept.
    """
    path = paths.positions / f"{position}.yaml"
    if not path.is_file() or path.is_symlink():
        said = msg("{path}: no position file to record the approval in", path=str(path))
        raise AmetijuhendError(said)
    text = path.read_text(encoding="utf-8")
    found = _BLOCK.search(text)
    by = ""
    if found is not None:
        old = _BY.search(found.group(0))
        by = (old.group(1) or old.group(2) or "").strip() if old is not None else ""
        block = approval_block(date, number, signed_by, by)
        text = text[: found.start()] + block + text[found.end() :]
    else:
        text = text.rstrip("\n") + "\n" + approval_block(date, number, signed_by)
    write_atomic(path, text.encode("utf-8"))
    return path
