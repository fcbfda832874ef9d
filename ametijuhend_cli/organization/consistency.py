"""Organization-wide checks of the manager and substitution relations between positions."""

from __future__ import annotations

from collections.abc import Mapping

from ametijuhend_cli.errors import Problem, Severity, msg
from ametijuhend_cli.models import PositionRef
from ametijuhend_cli.organization.summary import PositionSummary
from ametijuhend_cli.sources.project import LoadedPosition

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


def self_references(position: LoadedPosition) -> list[Problem]:
    """Return the errors of a position that is its own manager or substitute.

    They need nothing but the position, so they are found where it is loaded.
    """
    smap = position.source.smap
    problems = []
    if manager_of(position) == position.id:
        problems.append(
            smap.problem(
                ("manager", "position"),
                msg("a position cannot be its own manager"),
                hint=msg("name the position this one reports to"),
            )
        )
    for field in _MUTUAL:
        for i, pid in referenced(position, field):
            if pid == position.id:
                problems.append(
                    smap.problem(
                        (field, i, "position"),
                        msg("a position cannot substitute itself"),
                        hint=msg(
                            "another holder of the same title is not in the data: write the "
                            "title as text"
                        ),
                    )
                )
    return problems


def _manager_cycles(positions: Mapping[str, PositionSummary]) -> list[Problem]:
    managers = {
        pid: manager
        for pid, position in positions.items()
        if (manager := position.manager) in positions and manager != pid
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
        problems.append(
            positions[cycle[0]].problem(
                ("manager", "position"),
                msg(
                    "the chain of managers goes round in a circle: {chain}",
                    chain=" → ".join([*cycle, cycle[0]]),
                ),
                hint=msg(
                    "the head of the chain reports to someone outside the data: write that "
                    "manager as text"
                ),
            )
        )
    return problems


def _mutual(positions: Mapping[str, PositionSummary]) -> list[Problem]:
    problems = []
    for pid, position in sorted(positions.items()):
        for field, other_field in _MUTUAL.items():
            for i, other_id in position.referenced(field):
                other = positions.get(other_id)
                if other is None or other_id == pid:
                    continue  # reported as unknown or as a self-reference
                if any(back == pid for _, back in other.referenced(other_field)):
                    continue
                problems.append(
                    position.problem(
                        (field, i, "position"),
                        msg(
                            "'{other}' does not list '{pid}' under {field} ({label})",
                            other=other_id,
                            pid=pid,
                            field=other_field,
                            label=_LABELS[other_field],
                        ),
                        hint=msg(
                            "add '{{position: {pid}}}' to {field} in {display}, or correct "
                            "this list",
                            pid=pid,
                            field=other_field,
                            display=other.display,
                        ),
                        severity=Severity.WARNING,
                    )
                )
    return problems


def check_relations(positions: Mapping[str, PositionSummary]) -> list[Problem]:
    """Return what is wrong between positions: circles of managers, one-sided substitutes.

    A circle of managers is an error; substitution that is not listed on both
    sides is a warning. A position naming itself is found where it is loaded
    (self_references), a reference to an unknown position where it is resolved.
    """
    return _manager_cycles(positions) + _mutual(positions)
