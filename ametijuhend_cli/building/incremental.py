"""What an incremental build compares: digests of shared inputs, names, leftover outputs."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ametijuhend_cli import __version__
from ametijuhend_cli.building.manifest import Entry, Manifest
from ametijuhend_cli.digests import digest
from ametijuhend_cli.document.records import NameRecord, read_name_record
from ametijuhend_cli.ids import is_slug
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.sources.files import MAX_DOCUMENT_BYTES, read_checked
from ametijuhend_cli.sources.paths import ProjectPaths
from ametijuhend_cli.sources.templates import (
    MARKDOWN_TEMPLATE,
    REFERENCE_DOCX,
    WORDING_FILE,
    TemplateSet,
)


def shared_digest(paths: ProjectPaths, templates: TemplateSet) -> str:
    """Return the digest of what every position depends on: tool, organization, templates."""
    parts = [f"ametijuhend {__version__}".encode()]
    # what cannot be read is refused by name when it is loaded
    parts.append(read_checked(paths.organization, paths.root) or b"")
    for name in (WORDING_FILE, MARKDOWN_TEMPLATE, REFERENCE_DOCX):
        for found in templates.files(name):
            data = read_checked(found, templates.root_of(found), MAX_DOCUMENT_BYTES) or b""
            parts.append(name.encode() + b"\0" + data)
    # the layouts: the project's choice and every layout file a position may name
    parts.append(f"layout {templates.layout}".encode())
    for found in templates.layout_files():
        data = read_checked(found, templates.root_of(found)) or b""
        parts.append(str(found.relative_to(templates.root_of(found))).encode() + b"\0" + data)
    return digest(b"\0\0".join(digest(p).encode() for p in parts))


def sources_digest(paths: ProjectPaths) -> str | None:
    """Return the digest of the organization and library files, as they are on disk.

    A build records it in the manifest once they loaded without a problem, with
    the library entries' digests; the next build that finds the same digest need
    not validate them again. None when something in them is not a plain file
    (then they are always validated).
    """
    parts = [f"ametijuhend {__version__}".encode()]
    organization = read_checked(paths.organization, paths.root)
    if organization is None:
        return None
    parts.append(organization)
    try:
        with os.scandir(paths.library) as entries:
            names = sorted(e.name for e in entries)
    except FileNotFoundError:
        names = []
    except OSError:
        return None
    for name in names:
        content = read_checked(paths.library / name, paths.root)
        if content is None:
            return None
        parts.append(name.encode() + b"\0" + content)
    return digest(b"\0\0".join(digest(p).encode() for p in parts))


def up_to_date(
    entry: Entry | None, inputs: str, target: Path, pid: str, formats: Iterable[str]
) -> bool:
    """Return True when the manifest's ``entry`` was built from ``inputs`` and its outputs
    in every one of ``formats`` are still in ``target`` as written."""
    if entry is None or entry.inputs != inputs:
        return False
    folder = os.fspath(target)
    return all(
        fmt in entry.outputs and entry.outputs[fmt].matches(f"{folder}/{pid}.{fmt}")
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
    for pid, entry in manifest.entries(sorted(files)):
        path = files[pid]
        if entry is not None and entry.title and entry.source == source_digest(path):
            records[pid] = NameRecord(
                entry.title, entry.partitive or None, entry.unit, display_path(path)
            )
        else:
            records[pid] = read_name_record(path, root)
    return {pid: records[pid] for pid in files}


def output_names(target: Path) -> list[str]:
    """Return the names in the output folder, sorted (one scan for the whole build)."""
    try:
        with os.scandir(target) as entries:
            names = [e.name for e in entries]
    except (FileNotFoundError, NotADirectoryError):
        return []
    names.sort()
    return names


@dataclass(frozen=True)
class Orphan:
    """An output-like file of a position that no longer exists."""

    path: Path
    #: the manifest records it as written by the tool, and it is unchanged since
    ours: bool


def orphans(
    target: Path,
    names: Iterable[str],
    known: Iterable[str],
    formats: Iterable[str],
    manifest: Manifest,
) -> list[Orphan]:
    """Return the files in ``target`` (whose entries are ``names``) named like outputs of
    positions not in ``known``.

    Only those the manifest records as the tool's own (and that still hold what
    was written) may be removed; the others are reported and left alone.
    """
    keep = set(known)
    kinds = set(formats)
    found: list[tuple[str, str, Path]] = []
    for name in names:
        pid, dot, fmt = name.rpartition(".")
        if not dot or fmt not in kinds or pid in keep or not is_slug(pid):
            continue  # not a name we could have written, or a position's own output
        path = target / name
        if not path.is_symlink() and path.is_file():
            found.append((pid, fmt, path))
    # the manifest is read once, alongside, for all of them
    entries = dict(manifest.entries(sorted({pid for pid, _, _ in found})))
    out = []
    for pid, fmt, path in found:
        entry = entries[pid]
        recorded = entry.outputs.get(fmt) if entry is not None else None
        out.append(Orphan(path, recorded is not None and recorded.matches(path)))
    return out
