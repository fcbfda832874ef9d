"""The unit tree of organization.yaml as a flat index: names, parents, sub-units."""

from __future__ import annotations

from dataclasses import dataclass, field

from ametijuhend_cli.models import Organization, Unit
from ametijuhend_cli.sources.yamlsource import Loc


@dataclass
class UnitInfo:
    """One structural unit and its place in the tree."""

    id: str
    name: str
    parent: str | None
    depth: int
    path: list[str]
    children: list[str] = field(default_factory=list)
    #: the unit's name in full as the documents print it, where organization.yaml gives one
    full_name: str | None = None
    #: the names of ``path`` in the genitive (a name where organization.yaml gives none)
    genitives: list[str] = field(default_factory=list)


@dataclass
class UnitTree:
    """Every unit by id in the order of organization.yaml (depth first), and repeated ids."""

    units: dict[str, UnitInfo] = field(default_factory=dict)
    #: where an id already used higher up or earlier is used again (the first one wins)
    repeated: list[tuple[Loc, str]] = field(default_factory=list)


def unit_tree(organization: Organization | None) -> UnitTree:
    """Return the unit tree of ``organization``: the one walk of it a project makes.

    A repeated id is recorded where it occurs again; it and the units below it
    stay out of the index (the first one wins, and the repeat is an error).
    """
    tree = UnitTree()
    seen: set[str] = set()

    # the depth is bounded by the YAML loader's nesting limit
    def walk(
        units: dict[str, Unit],
        parent: str | None,
        names: list[tuple[str, str]],
        loc: Loc,
        index: bool,
    ) -> None:
        for uid, unit in units.items():
            repeated = uid in seen
            seen.add(uid)
            if repeated:
                tree.repeated.append((loc + (uid,), uid))
            keep = index and not repeated
            path = [*names, (unit.name, unit.genitive or unit.name)]
            if keep:
                tree.units[uid] = UnitInfo(
                    uid,
                    unit.name,
                    parent,
                    len(names),
                    [name for name, _ in path],
                    [],
                    unit.full_name,
                    [genitive for _, genitive in path],
                )
                if parent is not None:
                    tree.units[parent].children.append(uid)
            walk(unit.units, uid, path, loc + (uid, "units"), keep)

    if organization is not None:
        walk(organization.units, None, [], ("units",), True)
    return tree


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
