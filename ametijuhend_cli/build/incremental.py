"""What an incremental build compares: digests of shared inputs, names, leftover outputs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ametijuhend_cli import __version__
from ametijuhend_cli.build.manifest import Entry, Manifest
from ametijuhend_cli.digests import digest
from ametijuhend_cli.document.references import NameRecord, read_name_record
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.sources.files import MAX_DOCUMENT_BYTES, read_checked
from ametijuhend_cli.sources.project import ProjectPaths
from ametijuhend_cli.sources.templates import (
    MARKDOWN_TEMPLATE,
    REFERENCE_DOCX,
    WORDING_FILE,
    TemplateSet,
)
from ametijuhend_cli.texts import check_slug


def shared_digest(paths: ProjectPaths, templates: TemplateSet) -> str:
    """Return the digest of what every position depends on: tool, organization, templates."""
    parts = [f"ametijuhend {__version__}".encode()]
    # what cannot be read is refused by name when it is loaded
    parts.append(read_checked(paths.organization, paths.root) or b"")
    for name in (WORDING_FILE, MARKDOWN_TEMPLATE, REFERENCE_DOCX):
        for found in templates.files(name):
            data = read_checked(found, templates.root_of(found), MAX_DOCUMENT_BYTES) or b""
            parts.append(name.encode() + b"\0" + data)
    return digest(b"\0\0".join(digest(p).encode() for p in parts))


def up_to_date(
    entry: Entry | None, inputs: str, target: Path, pid: str, formats: Iterable[str]
) -> bool:
    """Return True when the manifest's ``entry`` was built from ``inputs`` and its outputs
    in every one of ``formats`` are still in ``target`` as written."""
    if entry is None or entry.inputs != inputs:
        return False
    return all(
        fmt in entry.outputs and entry.outputs[fmt].matches(target / f"{pid}.{fmt}")
        for fmt in formats
    )


def name_records(
    files: dict[str, Path],
    root: Path,
    manifest: Manifest,
    source_digest: Callable[[Path], str],
) -> dict[str, NameRecord | None]:
    """Return how every position is named, for references between positions.

    The manifest has the names of the files that did not change; the others
    are read quickly (three keys). ``files`` are every position file by id,
    inside the project folder ``root``.
    """
    records: dict[str, NameRecord | None] = {}
    for pid, path in files.items():
        entry = manifest.get(pid)
        if entry is not None and entry.title and entry.source == source_digest(path):
            records[pid] = NameRecord(
                entry.title, entry.partitive or None, entry.unit, display_path(path)
            )
        else:
            records[pid] = read_name_record(path, root)
    return records


@dataclass(frozen=True)
class Orphan:
    """An output-like file of a position that no longer exists."""

    path: Path
    #: the manifest records it as written by the tool, and it is unchanged since
    ours: bool


def orphans(
    target: Path, known: Iterable[str], formats: Iterable[str], manifest: Manifest
) -> list[Orphan]:
    """Return the files in ``target`` named like outputs of positions not in ``known``.

    Only those the manifest records as the tool's own (and that still hold what
    was written) may be removed; the others are reported and left alone.
    """
    if not target.is_dir():
        return []
    keep = set(known)
    kinds = set(formats)
    out = []
    for path in sorted(target.iterdir()):
        fmt = path.suffix[1:]
        if fmt not in kinds or path.stem in keep or path.is_symlink() or not path.is_file():
            continue
        try:
            check_slug(path.stem)
        except ValueError:
            continue  # not a name we could have written
        entry = manifest.get(path.stem)
        recorded = entry.outputs.get(fmt) if entry is not None else None
        out.append(Orphan(path, recorded is not None and recorded.matches(path)))
    return out
