"""The change-history corpus: old and new versions of job descriptions, for redlines and notices.

From each sample position and from the forms of tests/test_variants.py, draw
random edits of the kinds agencies make (a task added, left out, reworded or
moved; a result or a part of a task added or left out at the start, in the
middle or at the end of its cell; a right reworded or added; the purpose, the
work tools, a requirement, a competency, the knowledge, the amendment
clauses, the signatures changed) and apply one to four of them. Each history
is a pair of document views; the redline of the pair must accept into the new
document and reject into the old one. The draws are seeded, so the corpus is
the same on every run.

``python tests/histories.py`` prints the histories and their edits.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ametijuhend_cli.checking.engine import checked_project
from ametijuhend_cli.document.resolve import resolve_position
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.models import Position
from ametijuhend_cli.sources.paths import find_project
from ametijuhend_cli.sources.project import LoadedPosition, Project
from ametijuhend_cli.sources.templates import TemplateSet
from conftest import REPO
from test_variants import BASE, VARIANTS

Data = dict[str, Any]
Edit = Callable[[Data, random.Random, Project], str]

#: The forms of tests/test_variants.py that change what a redline must handle.
FORMS = ("task-lists", "languages", "extra-section", "signatures-three", "no-optional-sections")


@dataclass(frozen=True)
class History:
    """One change of one position: its name, the edits made, and both versions."""

    name: str
    edits: tuple[str, ...]
    old: DocumentView
    new: DocumentView


def _pick(rng: random.Random, items: list[Any]) -> int:
    return rng.randrange(len(items))


def _own(item: Any, project: Project, kind: str) -> Data:
    """Return a library reference as the position's own text (to reword it)."""
    if isinstance(item, str):
        return {"text": project.library.texts[kind][item]}
    if "ref" in item:
        return {"text": project.library.texts[kind][item["ref"]]}
    return dict(item)


def _task_add(data: Data, rng: random.Random, project: Project) -> str:
    at = rng.randrange(len(data["tasks"]) + 1)
    n = rng.randrange(1, 4)
    task: Data = {
        "task": "Andmekogu pidamine ja selle andmete kvaliteedi tagamine.",
        "results": [f"Andmekogu {i + 1}. osa on ajakohane." for i in range(n)],
    }
    if rng.random() < 0.3:
        task["subtasks"] = ["andmete kogumine", "andmete kontroll"]
    data["tasks"].insert(at, task)
    return f"task added at {at + 1}"


def _task_remove(data: Data, rng: random.Random, project: Project) -> str:
    if len(data["tasks"]) < 2:
        return "no task removed"
    i = _pick(rng, data["tasks"])
    del data["tasks"][i]
    return f"task {i + 1} removed"


def _task_reword(data: Data, rng: random.Random, project: Project) -> str:
    i = _pick(rng, data["tasks"])
    text = data["tasks"][i]["task"].rstrip(".")
    data["tasks"][i]["task"] = rng.choice(
        [text + " vajaduse korral.", "Vajadusel " + text[0].lower() + text[1:] + "."]
    )
    return f"task {i + 1} reworded"


def _task_move(data: Data, rng: random.Random, project: Project) -> str:
    i, j = _pick(rng, data["tasks"]), _pick(rng, data["tasks"])
    data["tasks"].insert(j, data["tasks"].pop(i))
    return f"task {i + 1} moved to {j + 1}"


def _result(data: Data, rng: random.Random, project: Project) -> str:
    i = _pick(rng, data["tasks"])
    results = data["tasks"][i].setdefault("results", [])
    where = rng.choice(["start", "end", "middle"]) if results else "end"
    at = {"start": 0, "end": len(results), "middle": len(results) // 2}[where]
    what = rng.choice(["add", "remove", "reword"]) if results else "add"
    if what == "add":
        results.insert(at, "Tulemused on kokku võetud ja juhile esitatud.")
    elif what == "remove" and len(results) > 1:
        del results[min(at, len(results) - 1)]
    else:
        k = min(at, len(results) - 1)
        text = results[k] if isinstance(results[k], str) else results[k]["text"]
        results[k] = text.rstrip(".") + " õigeaegselt."
    return f"result {what} at the {where} of task {i + 1}"


def _subtasks(data: Data, rng: random.Random, project: Project) -> str:
    i = _pick(rng, data["tasks"])
    task = data["tasks"][i]
    parts = task.setdefault("subtasks", [])
    if parts and rng.random() < 0.5:
        parts.pop(rng.randrange(len(parts)))
        return f"part of task {i + 1} removed"
    parts.insert(rng.randrange(len(parts) + 1), "ülevaadete koostamine")
    return f"part of task {i + 1} added"


def _details(data: Data, rng: random.Random, project: Project) -> str:
    i = _pick(rng, data["tasks"])
    details = data["tasks"][i].setdefault("details", [])
    if details:
        details.pop()
        return f"paragraph of task {i + 1} removed"
    details.append("Ülesanne hõlmab ka koostööd teiste asutustega.")
    return f"paragraph of task {i + 1} added"


def _list(key: str, kind: str) -> Edit:
    def edit(data: Data, rng: random.Random, project: Project) -> str:
        items = data.setdefault(key, [])
        what = rng.choice(["add", "remove", "reword"]) if items else "add"
        if what == "add":
            at = rng.choice([0, len(items), len(items) // 2])
            items.insert(at, {"text": "kasutada ameti raamatukogu teenuseid"})
        elif what == "remove" and len(items) > 1:
            items.pop(rng.choice([0, len(items) - 1]))
        else:
            k = rng.choice([0, len(items) - 1])
            own = _own(items[k], project, kind)
            own["text"] = own["text"] + " ka kaugelt"
            items[k] = own
        return f"{key}: {what}"

    return edit


def _purpose(data: Data, rng: random.Random, project: Project) -> str:
    if rng.random() < 0.5:
        # the purpose is a list of paragraphs (one here)
        data["purpose"] = [data["purpose"][0].rstrip(".") + " kogu ameti ulatuses."]
        return "purpose reworded"
    data["purpose"] = ["Ametikoha eesmärk on andmekogude pidamine."]
    return "purpose replaced"


def _work_tools(data: Data, rng: random.Random, project: Project) -> str:
    if data.get("work_tools") and rng.random() < 0.4:
        data.pop("work_tools")
        return "work tools dropped"
    data["work_tools"] = {"text": "Sülearvuti, mobiiltelefon ja ameti sõiduk."}
    return "work tools changed"


def _requirements(data: Data, rng: random.Random, project: Project) -> str:
    req = data["requirements"]
    what = rng.choice(["experience", "education", "knowledge", "competency"])
    if what == "experience":
        req["experience"] = "Vähemalt 7-aastane töökogemus valdkonnas."
    elif what == "education":
        req["education"] = "Magistrikraad või sellega võrdsustatud kvalifikatsioon."
    elif what == "knowledge":
        knowledge = req.setdefault("knowledge", [])
        if knowledge and rng.random() < 0.5:
            knowledge.pop()
        else:
            knowledge.append("Teadmised riigihangete korraldamisest.")
    elif req.get("competencies"):
        req["competencies"].pop(rng.randrange(len(req["competencies"])))
    return f"requirements: {what}"


def _amendment(data: Data, rng: random.Random, project: Project) -> str:
    clauses = data.setdefault("amendment", [])
    if len(clauses) > 1 and rng.random() < 0.5:
        clauses.pop()
        return "amendment clause removed"
    clauses.append({"text": "Ametijuhendit muudetakse ka struktuuri muutumisel."})
    return "amendment clause added"


def _signatures(data: Data, rng: random.Random, project: Project) -> str:
    data["signatures"] = {
        "employer": {"name": "Jaan Tamm", "title": "Peadirektor"},
        "employee": {"name": "Kadri Kask"},
    }
    return "signatures changed"


EDITS: tuple[Edit, ...] = (
    _task_add,
    _task_remove,
    _task_reword,
    _task_move,
    _result,
    _result,
    _subtasks,
    _details,
    _list("rights", "rights"),
    _list("responsibilities", "responsibilities"),
    _purpose,
    _work_tools,
    _requirements,
    _amendment,
    _signatures,
)


def _view(
    project: Project, templates: TemplateSet, pid: str, data: Data, source: Any
) -> DocumentView | None:
    try:
        model = Position.model_validate(data)
    except ValueError:
        return None
    view, problems = resolve_position(
        project, templates.layouts, LoadedPosition(pid, model, source)
    )
    return None if problems else view


def _bases(project: Project) -> Iterator[tuple[str, Data]]:
    for pid, loaded in sorted(project.positions.items()):
        yield pid, loaded.model.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    base = project.positions[BASE].model.model_dump(
        mode="json", exclude_none=True, exclude_defaults=True
    )
    for form in FORMS:
        data = copy.deepcopy(base)
        VARIANTS[form](data)
        yield form, data


def histories(per_base: int = 8, seed: int = 26) -> Iterator[History]:
    """Yield ``per_base`` histories of each base position, the same on every run."""
    checked = checked_project(find_project(REPO))
    project, templates = checked.project, checked.templates
    rng = random.Random(seed)
    for name, base in _bases(project):
        source = project.positions[BASE].source
        old = _view(project, templates, BASE, base, source)
        assert old is not None, name
        made = 0
        while made < per_base:
            data = copy.deepcopy(base)
            edits = tuple(rng.choice(EDITS)(data, rng, project) for _ in range(rng.randint(1, 4)))
            new = _view(project, templates, BASE, data, source)
            if new is None:
                continue
            yield History(f"{name}-{made + 1}", edits, old, new)
            made += 1


if __name__ == "__main__":
    for history in histories():
        print(history.name, "; ".join(history.edits))
