"""Start a project from existing documents: the units they name and the texts they share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import comment_lines, dump
from ametijuhend_cli.i18n import tr
from ametijuhend_cli.importer.convert import Converted
from ametijuhend_cli.importer.extract import ReadError, read_document
from ametijuhend_cli.importer.infer import unit_genitive
from ametijuhend_cli.importer.outline import ParseError
from ametijuhend_cli.importer.references import slugify
from ametijuhend_cli.importer.run import Importer
from ametijuhend_cli.sources.paths import ProjectPaths
from ametijuhend_cli.writing import cannot_write, write_atomic

#: A text becomes a library entry when this many documents have it.
SHARED_BY = 2


@dataclass
class Survey:
    """What a first reading of the documents found."""

    #: units the organization lacks, nested as in organization.yaml
    units: dict[str, Any] = field(default_factory=dict)
    #: library kind → id → entry, for texts that several documents share
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: every document that could be read, as read
    read: dict[Path, Converted] = field(default_factory=dict)


def _key(value: Any) -> str:
    """Return what makes two suggested entries the same text (whitespace aside)."""
    if isinstance(value, dict):
        value = " ".join([value["name"], *value["indicators"]])
    return " ".join(str(value).split())


def _add_unit(units: dict[str, Any], converted: Converted, separator: str) -> None:
    """Add the units a document names to ``units``, each with its genitive where the banner
    prints it so ('FINANTSOSAKONNA')."""
    assert converted.unit_text is not None
    parts = [p.strip() for p in converted.unit_text.split(separator) if p.strip()]
    banner = converted.reading.front.banner if converted.reading is not None else []
    level = units
    for i, part in enumerate(parts):
        uid = str(converted.data["unit"]) if i == len(parts) - 1 else slugify(part)
        node = level.setdefault(uid, {"name": part, "units": {}})
        genitive = next(filter(None, (unit_genitive(line, part) for line in banner)), None)
        if genitive is not None:
            node.setdefault("genitive", genitive)
        level = node["units"]


def _shared(seen: dict[tuple[str, str], tuple[set[int], str, Any]]) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for (kind, _), (documents, uid, value) in seen.items():
        if len(documents) < SHARED_BY:
            continue
        ids = entries.setdefault(kind, {})
        base, n = uid, 2
        while uid in ids:
            uid, n = f"{base}-{n}", n + 1
        ids[uid] = value
    return entries


def survey(paths: ProjectPaths, files: Iterable[Path], *, shared_texts: bool) -> Survey:
    """Return the units the documents name and, with ``shared_texts``, the texts they share.

    A document that names no unit is the agency's own: the agency becomes a unit.
    A document that cannot be read is skipped here: the import reports it.
    """
    importer = Importer(paths)
    separator = importer.wording.unit_separator.strip()
    organization = importer.project.organization
    assert organization is not None
    found = Survey()
    seen: dict[tuple[str, str], tuple[set[int], str, Any]] = {}
    for number, source in enumerate(files):
        try:
            converted = importer.converter.convert(read_document(source))
        except (ReadError, ParseError):
            continue
        found.read[source] = converted
        if not converted.unit_known and converted.unit_text:
            _add_unit(found.units, converted, separator)
        reading = converted.reading
        if (
            reading is not None
            and not reading.general.values.get("unit")
            and not converted.banner_units
        ):
            agency = organization.agency
            found.units.setdefault(slugify(agency), {"name": agency, "units": {}})
        if not shared_texts:
            continue
        for kind, entries in converted.suggestions.items():
            for uid, value in entries.items():
                documents, _, _ = seen.setdefault((kind, _key(value)), (set(), uid, value))
                documents.add(number)
    found.entries = _shared(seen)
    return found


def _tree(units: dict[str, Any]) -> dict[str, Any]:
    """Return the units as organization.yaml writes them (no empty ``units``)."""
    return {
        uid: {
            "name": node["name"],
            **({"genitive": node["genitive"]} if "genitive" in node else {}),
            **({"units": _tree(node["units"])} if node["units"] else {}),
        }
        for uid, node in units.items()
    }


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise cannot_write(path, exc) from None


def apply_survey(paths: ProjectPaths, found: Survey) -> list[Path]:
    """Put the survey's units in place of the organization's and append its library entries.

    The organization file is the one `init` wrote: its units, the last key,
    are replaced; return the files changed.
    """
    changed = []
    if found.units:
        text = paths.organization.read_text(encoding="utf-8")
        head, marker, _ = text.partition("\nunits:\n")
        units = "".join("  " + line + "\n" for line in dump(_tree(found.units), []).splitlines())
        _write(paths.organization, head + (marker or "\nunits:\n") + units)
        changed.append(paths.organization)
    for kind, entries in found.entries.items():
        path = paths.library / f"{kind}.yaml"
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        note = "".join(
            line + "\n"
            for line in comment_lines(
                tr("Texts that several of the imported documents share (init --suggest-library).")
            )
        )
        _write(path, old + note + dump(entries, []))
        changed.append(path)
    return changed
