"""What other positions need of a position to name it, read quickly from its file."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ametijuhend_cli.messages import display_path


@dataclass(frozen=True)
class NameRecord:
    """What others need of a position to name it: title, partitive, unit, its file."""

    title: str
    partitive: str | None
    unit: str
    source: str


def read_name_record(path: Path, root: Path) -> NameRecord | None:
    """Return the name record of a position file, or None when it cannot be read.

    A quick read of three top-level keys, for builds that render only some
    positions; the file's own problems are reported when it is built.
    """
    import yaml

    from ametijuhend_cli.sources.files import read_checked
    from ametijuhend_cli.sources.yamlsource import FAST_LOADER

    raw = read_checked(path, root)  # a link out of the project or a pipe: not read
    if raw is None:
        return None
    try:
        data = yaml.load(raw.decode("utf-8-sig"), Loader=FAST_LOADER)
    except (UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    title, partitive, unit = data.get("title"), data.get("title_partitive"), data.get("unit")
    if not isinstance(title, str) or not isinstance(unit, str):
        return None

    def fold(text: str) -> str:  # as models.Text folds white space
        return " ".join(unicodedata.normalize("NFC", text).split())

    return NameRecord(
        fold(title),
        fold(partitive) if isinstance(partitive, str) else None,
        fold(unit),
        display_path(path),
    )
