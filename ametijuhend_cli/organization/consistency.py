"""Organization-wide checks of the manager and substitution relations between positions."""

from __future__ import annotations

from ametijuhend_cli.errors import Problem
from ametijuhend_cli.models import PositionRef
from ametijuhend_cli.sources.project import LoadedPosition, Project

#: The two substitution fields and, for each, the field of the other position
#: that must name this one back.
_MUTUAL = {"substituted_by": "substitutes", "substitutes": "substituted_by"}
_LABELS = {"substituted_by": "Kes asendab", "substitutes": "Keda asendab"}


def referenced(position: LoadedPosition, field: str) -> list[tuple[int, str]]:
    """Return the (index, id) of every position reference in a substitution field."""
    return [
        (i, item.position)
        for i, item in enumerate(getattr(position.model, field))
        if isinstance(item, PositionRef)
    ]


def manager_of(position: LoadedPosition) -> str | None:
    """Return the id of the position's manager when it is a reference, else None."""
    manager = position.model.manager
    return manager.position if isinstance(manager, PositionRef) else None


def _self_references(position: LoadedPosition) -> list[Problem]:
    smap = position.source.smap
    problems = []
    if manager_of(position) == position.id:
        problems.append(
            smap.problem(
                ("manager", "position"),
                "a position cannot be its own manager",
                hint="name the position this one reports to",
            )
        )
    for field in _MUTUAL:
        for i, pid in referenced(position, field):
            if pid == position.id:
                problems.append(
                    smap.problem(
                        (field, i, "position"),
                        "a position cannot substitute itself",
                        hint="another holder of the same title is not in the data: "
                        "write the title as text",
                    )
                )
    return problems


def _manager_cycles(project: Project) -> list[Problem]:
    managers = {
        pid: manager
        for pid, position in project.positions.items()
        if (manager := manager_of(position)) in project.positions and manager != pid
    }
    problems = []
    done: set[str] = set()
    for start in sorted(managers):
        chain: list[str] = []
        pid: str | None = start
        while pid is not None and pid not in done and pid not in chain:
            chain.append(pid)
            pid = managers.get(pid)
        done.update(chain)
        if pid is None or pid not in chain:
            continue
        cycle = chain[chain.index(pid) :]
        # report once, at the member that sorts first, starting the circle there
        first = cycle.index(min(cycle))
        cycle = cycle[first:] + cycle[:first]
        position = project.positions[cycle[0]]
        problems.append(
            position.source.smap.problem(
                ("manager", "position"),
                "the chain of managers goes round in a circle: " + " → ".join([*cycle, cycle[0]]),
                hint="the head of the chain reports to someone outside the data: "
                "write that manager as text",
            )
        )
    return problems


def _mutual(project: Project) -> list[Problem]:
    problems = []
    for pid, position in sorted(project.positions.items()):
        for field, other_field in _MUTUAL.items():
            for i, other_id in referenced(position, field):
                other = project.positions.get(other_id)
                if other is None or other_id == pid:
                    continue  # reported as unknown or as a self-reference
                if any(back == pid for _, back in referenced(other, other_field)):
                    continue
                problems.append(
                    position.source.smap.problem(
                        (field, i, "position"),
                        f"'{other_id}' does not list '{pid}' under {other_field} "
                        f"({_LABELS[other_field]})",
                        hint=f"add '{{position: {pid}}}' to {other_field} in "
                        f"{other.source.display}, or correct this list",
                        severity="warning",
                    )
                )
    return problems


def check_relations(project: Project) -> list[Problem]:
    """Return what is wrong between positions: self-references, circles, one-sided substitutes.

    A position that substitutes itself and a circle of managers are errors;
    substitution that is not listed on both sides is a warning. References to
    unknown positions are reported where the documents are resolved.
    """
    problems: list[Problem] = []
    for _, position in sorted(project.positions.items()):
        problems.extend(_self_references(position))
    problems.extend(_manager_cycles(project))
    problems.extend(_mutual(project))
    return problems
