"""What changed in each job description between two versions of the sources."""

from __future__ import annotations

import difflib
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ametijuhend_cli.build.checks import load
from ametijuhend_cli.document.view import CompetencyView, DocumentView, TaskView
from ametijuhend_cli.errors import DataError, ProjectNotFoundError, TemplateError
from ametijuhend_cli.gitflow.revisions import export, repository_root
from ametijuhend_cli.sources.project import Project, ProjectPaths, find_project
from ametijuhend_cli.sources.templates import TemplateSet

CHANGES_TEMPLATE = "changes.md.j2"
#: Two task texts at least this similar are one task reworded, not one removed and one added.
REWORDED = 0.6


@dataclass
class Change:
    """One change: ``kind`` is added, removed, changed or reworded."""

    kind: str
    label: str = ""
    old: str = ""
    new: str = ""
    details: list[Change] = field(default_factory=list)
    #: the number a reworded task had before
    was: str = ""


@dataclass
class SectionChanges:
    """The changes in one section of a document."""

    key: str
    title: str
    changes: list[Change]


@dataclass
class PositionChanges:
    """The changes of one position; ``status`` is added, removed or changed."""

    id: str
    title: str
    status: str
    sections: list[SectionChanges] = field(default_factory=list)
    library: list[Change] = field(default_factory=list)


@dataclass
class ChangeReport:
    """All changes between two versions of a project."""

    old_label: str
    new_label: str
    positions: list[PositionChanges]

    @property
    def changed(self) -> bool:
        """Return True when any position changed."""
        return bool(self.positions)


def _items(old: list[str], new: list[str]) -> list[Change]:
    def bare(item: str) -> str:
        return item.rstrip(" ;.,")

    before, after = [bare(i) for i in old], [bare(i) for i in new]
    out = [Change("removed", new=i) for i in before if i not in after]
    out += [Change("added", new=i) for i in after if i not in before]
    return out


def _text(label: str, old: str | None, new: str | None) -> list[Change]:
    if old == new:
        return []
    if not old:
        return [Change("added", label, new=new or "")]
    if not new:
        return [Change("removed", label, old=old)]
    return [Change("changed", label, old, new)]


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def _task_details(old: TaskView, new: TaskView) -> list[Change]:
    return _items(old.results, new.results) + _items(old.subtasks, new.subtasks)


def _tasks(old: list[TaskView], new: list[TaskView]) -> list[Change]:
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(
        None, [t.text for t in old], [t.text for t in new], autojunk=False
    )
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        olds, news = old[a0:a1], new[b0:b1]
        if op == "equal":
            # a task that only moved to another number is no change of content
            for o, n in zip(olds, news, strict=True):
                details = _task_details(o, n)
                if details:
                    out.append(Change("changed", n.number, o.number, n.text, details))
            continue
        # pair the most similar tasks of a replaced block as rewordings
        unmatched = list(news)
        for o in olds:
            best = max(unmatched, key=lambda n: _similar(o.text, n.text), default=None)
            if best is not None and _similar(o.text, best.text) >= REWORDED:
                unmatched.remove(best)
                out.append(
                    Change(
                        "reworded", best.number, o.text, best.text, _task_details(o, best), o.number
                    )
                )
            else:
                out.append(Change("removed", o.number, o.text))
        out.extend(Change("added", n.number, new=n.text) for n in unmatched)
    return sorted(out, key=lambda c: [int(x) for x in c.label.split(".") if x.isdigit()])


def _competencies(old: list[CompetencyView], new: list[CompetencyView]) -> list[Change]:
    before = {c.name: c for c in old}
    after = {c.name: c for c in new}
    out = [Change("removed", name) for name in before if name not in after]
    out += [Change("added", name, new=after[name].text) for name in after if name not in before]
    for name in after:
        if name in before and before[name].indicators != after[name].indicators:
            out.append(
                Change(
                    "changed", name, details=_items(before[name].indicators, after[name].indicators)
                )
            )
    return out


def _fields(old: list, new: list) -> list[Change]:
    before = {f.label: f.value for f in old}
    return [c for f in new for c in _text(f.label, before.get(f.label), f.value)]


def compare_views(old: DocumentView, new: DocumentView) -> list[SectionChanges]:
    """Return the changes from ``old`` to ``new``, section by section in document order."""
    found: dict[str, list[Change]] = {
        "general": _fields(
            [f for row in old.general for f in row], [f for row in new.general for f in row]
        ),
        "purpose": _text("", old.purpose, new.purpose),
        "tasks": _tasks(old.tasks, new.tasks),
        "rights": _items(old.rights, new.rights),
        "responsibilities": _items(old.responsibilities, new.responsibilities),
        "work_tools": _text("", old.work_tools, new.work_tools),
        "requirements": _fields(old.requirements, new.requirements)
        + _competencies(old.core_competencies, new.core_competencies)
        + _competencies(old.competencies, new.competencies)
        + _items(old.knowledge, new.knowledge),
        "amendment": _items(old.amendment, new.amendment),
    }
    out = []
    for key, changes in found.items():
        if changes:
            section = new.sections.get(key) or old.sections[key]
            out.append(SectionChanges(key, section.title, changes))
    return out


def _library_text(project: Project, ref: str) -> str | None:
    kind, _, entry = ref.partition("/")
    if kind == "competencies":
        comp = project.library.competencies.get(entry)
        return comp.model_dump_json() if comp is not None else None
    return project.library.texts.get(kind, {}).get(entry)


def _library_changes(old: Project, new: Project, view: DocumentView) -> list[Change]:
    out = []
    for ref in sorted(view.library_refs):
        before, after = _library_text(old, ref), _library_text(new, ref)
        if before is not None and after is not None and before != after:
            if ref.startswith("competencies/"):
                out.append(Change("changed", ref))
            else:
                out.append(Change("changed", ref, before, after))
    return out


def compare(
    old: tuple[Project, dict[str, DocumentView]],
    new: tuple[Project, dict[str, DocumentView]],
    labels: tuple[str, str],
    ids: Iterable[str] | None = None,
) -> ChangeReport:
    """Return the changes between two loaded versions of a project."""
    (old_project, old_views), (new_project, new_views) = old, new
    wanted = set(ids) if ids else None
    positions = []
    for pid in sorted(set(old_views) | set(new_views)):
        if wanted is not None and pid not in wanted:
            continue
        before, after = old_views.get(pid), new_views.get(pid)
        if before is None and after is not None:
            positions.append(PositionChanges(pid, after.title, "added"))
        elif after is None and before is not None:
            positions.append(PositionChanges(pid, before.title, "removed"))
        elif before is not None and after is not None:
            sections = compare_views(before, after)
            library = _library_changes(old_project, new_project, after)
            if sections or library:
                positions.append(PositionChanges(pid, after.title, "changed", sections, library))
    return ChangeReport(labels[0], labels[1], positions)


def _load_version(paths: ProjectPaths) -> tuple[Project, dict[str, DocumentView], TemplateSet]:
    project, templates, views = load(paths)
    return project, views, templates


def changes_between(
    paths: ProjectPaths, old_rev: str, new_rev: str | None, ids: Iterable[str] | None = None
) -> tuple[ChangeReport, TemplateSet]:
    """Return the changes between ``old_rev`` and ``new_rev`` (None: the working tree)."""
    root = repository_root(paths.root)
    sub = paths.root.resolve().relative_to(root.resolve()).as_posix()
    with tempfile.TemporaryDirectory(prefix="ametijuhend-diff-") as tmp:
        versions = []
        for i, rev in enumerate((old_rev, new_rev)):
            if rev is None:
                version_paths = paths
            else:
                folder = export(root, rev, sub, Path(tmp) / str(i))
                try:
                    version_paths = find_project(folder)
                except ProjectNotFoundError:
                    version_paths = find_project(folder, _relocate(paths, folder))
            try:
                versions.append(_load_version(version_paths))
            except DataError as exc:
                label = rev or "the working tree"
                raise DataError(
                    exc.problems, note=f"the sources at {label} have problems"
                ) from None
        (old_project, old_views, _), (new_project, new_views, templates) = versions
        report = compare(
            (old_project, old_views),
            (new_project, new_views),
            (old_rev, new_rev or ""),
            ids,
        )
    return report, templates


def _relocate(paths: ProjectPaths, folder: Path) -> Path:
    """Return where the data folder of ``paths`` is in an exported copy at ``folder``."""
    try:
        return folder / paths.data.resolve().relative_to(paths.root.resolve())
    except ValueError:
        return folder / "data"


def render_report(report: ChangeReport, templates: TemplateSet) -> str:
    """Return the change report as Markdown, through the template changes.md.j2."""
    from ametijuhend_cli.render.markdown import environment

    try:
        template = environment(templates).get_template(CHANGES_TEMPLATE)
        text = template.render(report=report, w=templates.wording)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{CHANGES_TEMPLATE}: {exc}") from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
