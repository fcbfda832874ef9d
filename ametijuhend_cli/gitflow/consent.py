"""The facts a consent rule turns on: what kind of change a new version is."""

from __future__ import annotations

from dataclasses import dataclass, field

from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.textdiff import align

#: The requirements whose change may need consent (keys of wording.requirements).
REQUIREMENT_KEYS = ("education", "experience", "languages", "computer_skills")


@dataclass(frozen=True)
class Fact:
    """One structural fact of a change; the templates word it.

    ``key`` is employment, purpose, task_added, task_removed, duties_grown or
    requirements; ``items`` are task numbers or requirement labels; ``old`` and
    ``new`` the values before and after; for duties_grown ``counts`` holds the
    number of tasks and of their parts (sub-tasks) before and after, counted
    apart (expected results are no duties and are not counted).
    """

    key: str
    items: list[str] = field(default_factory=list)
    old: str = ""
    new: str = ""
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)


def _duties(view: DocumentView) -> tuple[int, int]:
    return len(view.tasks), sum(len(t.subtasks) for t in view.tasks)


def _task_facts(old: DocumentView, new: DocumentView) -> list[Fact]:
    pairs = align([t.text for t in old.tasks], [t.text for t in new.tasks])
    added = [new.tasks[p.new].number for p in pairs if p.kind == "added" and p.new is not None]
    removed = [old.tasks[p.old].number for p in pairs if p.kind == "removed" and p.old is not None]
    out = []
    if added:
        out.append(Fact("task_added", sorted(added, key=_number_key)))
    if removed:
        out.append(Fact("task_removed", sorted(removed, key=_number_key)))
    (tasks_before, parts_before), (tasks_after, parts_after) = _duties(old), _duties(new)
    if tasks_after + parts_after > tasks_before + parts_before:
        counts = {"tasks": (tasks_before, tasks_after), "subtasks": (parts_before, parts_after)}
        out.append(Fact("duties_grown", counts=counts))
    return out


def _number_key(number: str) -> list[int]:
    return [int(x) for x in number.split(".") if x.isdigit()]


def _requirement_facts(old: DocumentView, new: DocumentView) -> list[Fact]:
    labels = [new.wording.requirements[k] for k in REQUIREMENT_KEYS]
    before = {f.label: f.value for f in old.requirements}
    changed = [
        f.label for f in new.requirements if f.label in labels and before.get(f.label) != f.value
    ]
    return [Fact("requirements", changed)] if changed else []


def consent_facts(old: DocumentView, new: DocumentView) -> list[Fact]:
    """Return the facts of the change from ``old`` to ``new`` that may need consent.

    Only the structure of the change counts: the employment type, the
    purpose, tasks added or removed (a reworded task is neither), the number
    of tasks and their parts, the requirements. Wording, order, rights, work
    tools and competencies are no such fact.
    """
    out = []
    if old.employment != new.employment:
        out.append(Fact("employment", old=old.employment, new=new.employment))
    if old.purpose != new.purpose:
        out.append(Fact("purpose"))
    return out + _task_facts(old, new) + _requirement_facts(old, new)


def rule_clauses(view: DocumentView) -> list[str]:
    """Return the amendment clauses of ``view`` that speak of consent."""
    words = [w.casefold() for w in view.wording.notice.consent_words]
    return [c for c in view.amendment if any(w in c.casefold() for w in words)]
