"""Scaffold a new position file: every field, commented, library references preselected."""

from __future__ import annotations

import collections
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ametijuhend_cli.authoring.schema import POSITION_SCHEMA, modeline
from ametijuhend_cli.authoring.yamlwriter import BLANK, CommentedYaml
from ametijuhend_cli.checking.engine import check_project
from ametijuhend_cli.errors import (
    DataError,
    InvalidIdError,
    Message,
    OutputError,
    UnknownPositionError,
    UnknownUnitError,
    msg,
    nmsg,
    reason_of,
    verbatim,
)
from ametijuhend_cli.estonian.forms import fill_title_forms
from ametijuhend_cli.ids import check_slug
from ametijuhend_cli.layout import needed_title_forms
from ametijuhend_cli.messages import close_matches, display_path, maybe_meant
from ametijuhend_cli.models import CompetencyRef, ItemRef, Organization, Position, Unit
from ametijuhend_cli.sources.paths import ProjectPaths, writable_source_folder
from ametijuhend_cli.sources.project import LoadedPosition, Project
from ametijuhend_cli.sources.templates import TemplateSet
from ametijuhend_cli.sources.validation import validate
from ametijuhend_cli.sources.yamlsource import load_file
from ametijuhend_cli.writing import cannot_write, write_new

#: Position fields whose values come from a library, and the library each uses.
LIBRARY_FIELDS = {
    "rights": "rights",
    "responsibilities": "responsibilities",
    "work_tools": "work_tools",
    "computer_skills": "computer_skills",
    "core_competencies": "competencies",
    "competencies": "competencies",
    "amendment": "clauses",
}


@dataclass
class Scaffold:
    """A new position file, not yet written."""

    id: str
    path: Path
    text: str
    #: the fields left for the user to fill, as `validate` names them
    blanks: list[str]
    #: the positions the library references were taken from
    sources: list[str] = field(default_factory=list)
    #: where the sources come from, for people ("the positions of unit …")
    basis: Message | None = None


def _plain(item: ItemRef | CompetencyRef) -> Any:
    """Return a reference as written in YAML: the bare id where that is all it is."""
    data = item.model_dump(mode="json", exclude_defaults=True)
    return data["ref"] if list(data) == ["ref"] else data


def _unit_parents(organization: Organization | None) -> dict[str, str | None]:
    parents: dict[str, str | None] = {}

    def walk(units: dict[str, Unit], parent: str | None) -> None:
        for uid, unit in units.items():
            parents.setdefault(uid, parent)
            walk(unit.units, uid)

    if organization is not None:
        walk(organization.units, None)
    return parents


def candidates(project: Project, unit: str | None) -> tuple[list[LoadedPosition], Message]:
    """Return the positions to take library references from, and how they were chosen.

    They are the positions in the unit (its sub-units included); if it has
    none, those in the nearest enclosing unit that has some; failing that,
    every position.
    """
    positions = list(project.positions.values())
    if unit is None:
        return positions, msg("from all positions")
    parents = _unit_parents(project.organization)

    def chain(uid: str) -> list[str]:
        out = [uid]
        while parents.get(out[-1]) is not None:
            out.append(parents[out[-1]])  # type: ignore[arg-type]
        return out

    for level, ancestor in enumerate(chain(unit)):
        found = [p for p in positions if ancestor in chain(p.model.unit)]
        if found:
            if level:
                return found, msg(
                    "from the positions of unit {unit}, which contains {inner}",
                    unit=ancestor,
                    inner=unit,
                )
            return found, msg("from the positions of unit {unit}", unit=ancestor)
    return positions, msg("from all positions")


def common_items(lists: list[list[Any]], total: int) -> list[Any]:
    """Return the items at least half of ``total`` positions have, in their usual order.

    Items are compared by value; each list belongs to one position. The order
    is by the mean place an item has in the lists, then by first appearance.
    """
    counts: collections.Counter[str] = collections.Counter()
    places: dict[str, list[float]] = collections.defaultdict(list)
    values: dict[str, Any] = {}
    for items in lists:
        seen = set()
        for i, item in enumerate(items):
            key = json.dumps(item, sort_keys=True, ensure_ascii=False)
            if key in seen:
                continue
            seen.add(key)
            counts[key] += 1
            # the place relative to the list's length, so long lists do not dominate
            places[key].append(i / max(len(items), 1))
            values.setdefault(key, item)
    order = {key: n for n, key in enumerate(values)}
    chosen = [key for key in values if 2 * counts[key] >= total]
    chosen.sort(key=lambda k: (sum(places[k]) / len(places[k]), order[k]))
    return [values[key] for key in chosen]


def most_common(items: list[Any]) -> Any:
    """Return the most common item (the first seen among equals), or None."""
    if not items:
        return None
    keys = [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items]
    counts = collections.Counter(keys)
    best = max(counts.values())
    return items[next(i for i, key in enumerate(keys) if counts[key] == best)]


def _refs(items: list[Any]) -> list[Any]:
    """Return the library references among ``items`` (inline texts belong to one position)."""
    plain = [_plain(item) for item in items]
    return [p for p in plain if isinstance(p, str) or "ref" in p]


def _ref_of(item: ItemRef | None) -> str | None:
    return item.ref if item is not None else None


def _preselect(found: list[LoadedPosition]) -> dict[str, Any]:
    """Return the library references most of ``found`` share, by field."""
    total = len(found)
    models = [p.model for p in found]
    out: dict[str, Any] = {}
    for name in ("rights", "responsibilities", "amendment"):
        out[name] = common_items([_refs(getattr(m, name)) for m in models], total)
    for name in ("core_competencies", "competencies"):
        lists = [_refs(getattr(m.requirements, name)) for m in models]
        out[name] = common_items(lists, total)
    # an inline text is the position's own: it counts as no library text
    out["work_tools"] = most_common([_ref_of(m.work_tools) for m in models])
    out["computer_skills"] = most_common(
        [r for m in models if (r := _ref_of(m.requirements.computer_skills)) is not None]
    )
    # the employer's title is the unit's; the name is a person's, never copied
    employer = most_common(
        [
            m.signatures.employer.model_dump(mode="json", exclude_defaults=True)
            for m in models
            if m.signatures is not None and m.signatures.employer is not None
        ]
    )
    out["employer"] = _unnamed(employer) if employer is not None else None
    return out


def _unnamed(person: dict[str, Any]) -> dict[str, Any]:
    """Return a signatory as written in YAML with the person's name left to fill in."""
    return {**person, "name": BLANK}


def _signatures_without_names(signatures: dict[str, Any]) -> dict[str, Any]:
    """Return the signature block of another position with every person's name blank."""
    out = dict(signatures)
    for role in ("employer", "employee", "approver"):
        if role in out:
            out[role] = _unnamed(out[role]) if role != "employee" else {"name": BLANK}
    if "signers" in out:
        out["signers"] = [_unnamed(signer) for signer in out["signers"]]
    return out


def _preselected(project: Project, unit: str | None) -> tuple[dict[str, Any], list[str], Message]:
    """Return the values of a new position in ``unit``, the sources and how they were chosen."""
    found, basis = candidates(project, unit)
    chosen = _preselect(found) if found else {}

    def pick(name: str, empty: Any = BLANK) -> Any:
        return chosen.get(name) or empty

    values = {
        "employment": BLANK,
        "unit": BLANK,
        "manager": BLANK,
        "substituted_by": BLANK,
        "substitutes": BLANK,
        "rights": pick("rights"),
        "responsibilities": pick("responsibilities"),
        "work_tools": pick("work_tools", None),
        "requirements": {
            "education": BLANK,
            "experience": BLANK,
            "languages": BLANK,
            "computer_skills": pick("computer_skills"),
            "core_competencies": pick("core_competencies"),
            "competencies": pick("competencies", []),
        },
        "amendment": pick("amendment"),
        "signatures": {"employer": pick("employer", {"name": BLANK}), "employee": {"name": BLANK}},
    }
    return values, [p.id for p in found], basis


def _copied(source: Position) -> dict[str, Any]:
    """Return the values copied from ``source``: all but what is the position's own."""
    # the title and its partitive are the new position's own (the title is asked for)
    data = source.model_dump(
        mode="json",
        exclude_defaults=True,
        exclude={"id", "approval", "reviewed", "title_partitive", "extra_sections"},
    )
    for name in ("rights", "responsibilities", "amendment"):
        data[name] = [_plain(item) for item in getattr(source, name)]
    data["work_tools"] = _plain(source.work_tools) if source.work_tools else None
    req = source.requirements
    if req.computer_skills is not None:
        data["requirements"]["computer_skills"] = _plain(req.computer_skills)
    for name in ("core_competencies", "competencies"):
        data["requirements"][name] = [_plain(item) for item in getattr(req, name)]
    if source.approval is not None:  # approved the same way, by another directive
        data["approval"] = {"date": BLANK, "number": BLANK}
        if source.approval.by is not None:
            data["approval"]["by"] = source.approval.by
    data["signatures"] = _signatures_without_names(data["signatures"])
    return data


def _check_unit(project: Project, unit: str) -> None:
    if project.organization is None:
        return  # the organization's own problems are reported by validate
    names = _unit_names(project.organization)
    if unit not in names:
        raise UnknownUnitError(unknown_unit_message(unit, names))


def _unit_names(organization: Organization) -> dict[str, str]:
    """Return the name of every unit by its id."""
    names: dict[str, str] = {}

    def walk(units: dict[str, Unit]) -> None:
        for uid, unit in units.items():
            names.setdefault(uid, unit.name)
            walk(unit.units)

    walk(organization.units)
    return names


def unknown_unit_message(unit: str, names: dict[str, str]) -> Message:
    """Return the message for ``--unit`` naming no unit: the id meant, or the ids there are.

    ``names`` are the units' names by id. A unit is given by its id; its name
    (in any case) or its id in capitals is taken for the unit it names.
    """
    folded = " ".join(unit.split()).casefold()
    meant = [uid for uid, name in names.items() if folded in (uid.casefold(), name.casefold())]
    if meant:
        return msg(
            "unknown unit '{unit}'; --unit takes the id of a unit: did you mean "
            "--unit {id} ({name})?",
            unit=unit,
            id=meant[0],
            name=names[meant[0]],
        )
    lowered = {uid.casefold(): uid for uid in names}
    lowered.update({" ".join(n.split()).casefold(): uid for uid, n in names.items()})
    matches = list(dict.fromkeys(lowered[m] for m in close_matches(folded, lowered)))
    if matches:
        return msg(
            "unknown unit '{unit}' (did you mean {names}?); units are defined in organization.yaml",
            unit=unit,
            names=", ".join(matches),
        )
    known = sorted(names)
    if not known:
        return msg(
            "unknown unit '{unit}'; units are defined in organization.yaml, which has none yet",
            unit=unit,
        )
    listed: Message = verbatim(", ".join(known[:8]))
    if len(known) > 8:
        listed = nmsg("{names} and {n} more", "{names} and {n} more", len(known) - 8, names=listed)
    return msg(
        "unknown unit '{unit}'; units are defined in organization.yaml: {names}",
        unit=unit,
        names=listed,
    )


def _source(project: Project, from_id: str) -> Position:
    if from_id in project.positions:
        return project.positions[from_id].model
    for path in (
        project.paths.positions / f"{from_id}.yaml",
        project.paths.positions / f"{from_id}.yml",
    ):
        if path.is_file():  # it exists but does not load: show why
            shown = display_path(path)
            raise DataError([p for p in project.problems if p.path == shown])
    said = msg("unknown position {ids}", ids=f"'{from_id}'")
    raise UnknownPositionError(maybe_meant(said, from_id, project.positions))


def _wanted_title_forms(paths: ProjectPaths, values: dict[str, object]) -> set[str]:
    """Return the case fields a new position should give: the partitive ("Keda asendab"
    of other positions) and whatever its layout prints (the genitive of "AUTOJUHI
    AMETIJUHEND")."""
    name = values.get("layout")
    layout = TemplateSet.of(paths).layouts.get(name if isinstance(name, str) else None)
    return {"title_partitive", *needed_title_forms(layout.layout)}


def scaffold_position(
    paths: ProjectPaths,
    position_id: str,
    *,
    from_id: str | None = None,
    unit: str | None = None,
    title: str | None = None,
    employment: str | None = None,
) -> Scaffold:
    """Return the text of a new position file; raise if it exists or an option is wrong."""
    try:
        check_slug(position_id)
    except ValueError as exc:
        raise InvalidIdError(reason_of(exc)) from None
    target = paths.positions / f"{position_id}.yaml"
    for existing in (target, target.with_suffix(".yml")):
        if existing.exists():
            raise OutputError(_exists(display_path(existing)))
    project = check_project(paths, keep_positions=True).project
    if unit is not None:
        _check_unit(project, unit)
    if from_id is not None:
        values = _copied(_source(project, from_id))
        sources, basis = [from_id], msg("from position {id}", id=from_id)
    else:
        values, sources, basis = _preselected(project, unit)
    # one line, as the model folds it, so that the text stays plain YAML
    values["title"] = " ".join(title.split()) if title is not None else BLANK
    if title is not None:  # its cases, formed by Vabamorf where the extra keel is installed
        fill_title_forms(values, _wanted_title_forms(paths, values))
    values["purpose"] = BLANK
    values["tasks"] = [{"task": BLANK, "results": BLANK}]
    if unit is not None:
        values["unit"] = unit
    if employment is not None:
        values["employment"] = employment
    header: list[str | Message] = [
        modeline(target, paths.schemas / POSITION_SCHEMA),
        msg(
            "New position {id}, written by `ametijuhend new`. Fill in the empty fields "
            "(`ametijuhend validate` names them), then run `ametijuhend build {id}`. A line "
            "'# key:' is an optional field: remove the '# ' to use it.",
            id=position_id,
        ),
    ]
    if from_id is not None:
        header.append(
            msg(
                "Copied from {id}: all but its title, purpose, tasks and the names of the "
                "signatories.",
                id=from_id,
            )
        )
    elif sources:
        header.append(
            msg("Library references chosen {basis}: {ids}.", basis=basis, ids=", ".join(sources))
        )
    writer = CommentedYaml(_library_ids(project))
    text = writer.document(Position, values, header, skip=("id",), library_fields=LIBRARY_FIELDS)
    return Scaffold(position_id, target, text, writer.blank_fields, sources, basis)


def _library_ids(project: Project) -> dict[str, list[str]]:
    ids = {kind: list(texts) for kind, texts in project.library.texts.items()}
    ids["competencies"] = list(project.library.competencies)
    return ids


def new_position(paths: ProjectPaths, position_id: str, **options: Any) -> Scaffold:
    """Write a new position file (never over an existing one); return what was written."""
    scaffold = scaffold_position(paths, position_id, **options)
    shown = display_path(scaffold.path)
    writable_source_folder(paths, scaffold.path.parent)
    try:
        write_new(scaffold.path, scaffold.text.encode("utf-8"))
    except FileExistsError:
        raise OutputError(_exists(shown)) from None
    except OSError as exc:
        raise cannot_write(scaffold.path, exc) from None
    return scaffold


def _exists(shown: str) -> Message:
    return msg("{path} already exists; choose another id or edit that file", path=shown)


def unit_ids(paths: ProjectPaths) -> list[str]:
    """Return the ids of the organization's units; none if the file does not load."""
    try:
        raw, smap = load_file(paths.organization, display_path(paths.organization), paths.root)
    except DataError:
        return []
    organization, _ = validate(Organization, raw if raw is not None else {}, smap)
    return list(_unit_parents(organization))
