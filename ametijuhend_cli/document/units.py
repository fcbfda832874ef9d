"""The unit tree of organization.yaml as a flat index: names, parents, sub-units."""

from __future__ import annotations

from dataclasses import dataclass, field

from ametijuhend_cli.models import Organization, Unit


@dataclass
class UnitInfo:
    """One structural unit and its place in the tree."""

    id: str
    name: str
    parent: str | None
    depth: int
    path: list[str]
    children: list[str] = field(default_factory=list)


def unit_index(organization: Organization | None) -> dict[str, UnitInfo]:
    """Return every unit by id, in the order of organization.yaml (depth first)."""
    out: dict[str, UnitInfo] = {}

    def walk(units: dict[str, Unit], parent: str | None, names: list[str]) -> None:
        for uid, unit in units.items():
            if uid in out:  # a duplicate id is reported by resolve; the first one wins
                continue
            out[uid] = UnitInfo(uid, unit.name, parent, len(names), names + [unit.name])
            if parent is not None:
                out[parent].children.append(uid)
            walk(unit.units, uid, names + [unit.name])

    if organization is not None:
        walk(organization.units, None, [])
    return out


def subtree(units: dict[str, UnitInfo], uid: str) -> set[str]:
    """Return ``uid`` and the ids of all its sub-units."""
    found = {uid}
    stack = [uid]
    while stack:
        for child in units[stack.pop()].children:
            if child not in found:
                found.add(child)
                stack.append(child)
    return found
