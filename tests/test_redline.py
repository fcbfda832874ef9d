"""Change notices and redlines of generated variants: consent facts, accept all, reject all."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ametijuhend_cli.checking.engine import checked_project
from ametijuhend_cli.document.resolve import resolve_position
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.gitflow.changes import compare_views
from ametijuhend_cli.gitflow.consent import consent_facts
from ametijuhend_cli.models import ItemRef, Task, TaskGroup
from ametijuhend_cli.render.docx import DocxRenderer
from ametijuhend_cli.render.package import W_NS
from ametijuhend_cli.render.redline import RedlineRenderer
from ametijuhend_cli.sources.paths import find_project
from ametijuhend_cli.sources.project import LoadedPosition, Project
from ametijuhend_cli.sources.templates import TemplateSet
from conftest import POSITIONS, REPO, edit, git, run

W = f"{{{W_NS}}}"
DATE = dt.date(2025, 3, 1)
AUTHOR = "Sotsiaalkindlustusamet"


@dataclass(frozen=True)
class Edits:
    """A generated change of a position (indices into its original lists)."""

    removed: frozenset[int]
    reworded: frozenset[int]
    added: tuple[int, ...]
    moved: tuple[int, int] | None
    new_result: int | None
    rights_removed: frozenset[int]
    rights_reworded: frozenset[int]
    rights_added: int
    purpose: str  # "", "reword" or "new"
    experience: bool
    employment: bool = False

    def reorders(self, tasks: int) -> bool:
        """Return True when the move changes the order of the tasks that remain."""
        order = list(range(tasks))
        if self.moved is not None:
            order.insert(self.moved[1], order.pop(self.moved[0]))
        kept = [i for i in order if i not in self.removed]
        return kept != sorted(kept)

    def needs_consent(self) -> bool:
        return bool(
            self.removed or self.added or self.purpose or self.experience or self.employment
        )


class Sample(NamedTuple):
    """The repository's project, checked, with its views and the renderers."""

    project: Project
    templates: TemplateSet
    views: dict[str, DocumentView]
    renderers: tuple[RedlineRenderer, DocxRenderer]


@pytest.fixture(scope="module")
def sample() -> Sample:
    checked = checked_project(find_project(REPO), views=True)
    project, templates, views = checked.project, checked.templates, checked.views
    # the renderers are made once, as a build makes them once for every document (reading
    # the reference document is most of what making one costs)
    renderers = RedlineRenderer(templates, author=AUTHOR, date=DATE), DocxRenderer(templates)
    return Sample(project, templates, views, renderers)


@st.composite
def edits(draw: st.DrawFn, tasks: int, rights: int) -> Edits:
    indices = st.integers(0, tasks - 1)
    removed = draw(st.frozensets(indices, max_size=2))
    reworded = draw(st.frozensets(indices, max_size=2)) - removed
    moved = draw(st.none() | st.tuples(indices, indices))
    if moved is not None and (moved[0] in removed | reworded or moved[0] == moved[1]):
        moved = None
    right_indices = st.integers(0, rights - 1)
    rights_removed = draw(st.frozensets(right_indices, max_size=1))
    return Edits(
        removed=removed,
        reworded=reworded,
        added=tuple(draw(st.lists(st.integers(0, tasks), max_size=2))),
        moved=moved,
        new_result=draw(st.none() | indices),
        rights_removed=rights_removed,
        rights_reworded=draw(st.frozensets(right_indices, max_size=1)) - rights_removed,
        rights_added=draw(st.integers(0, 1)),
        purpose=draw(st.sampled_from(["", "", "reword", "new"])),
        experience=draw(st.booleans()),
        employment=draw(st.booleans()),
    )


def apply(position: LoadedPosition, e: Edits) -> LoadedPosition:
    """Return a copy of ``position`` with the edits made."""
    model = position.model.model_copy(deep=True)
    plain = [task for task in model.tasks if isinstance(task, Task)]
    assert len(plain) == len(model.tasks)  # the samples have no groups of tasks
    tasks: list[tuple[int, Task]] = list(enumerate(plain))
    for i, task in list(tasks):
        if i in e.reworded:
            tasks[i] = (i, task.model_copy(update={"task": task.task.rstrip(".") + " vajadusel."}))
        if i == e.new_result:
            results = [*task.results, "Tulemused on kokku võetud."]
            tasks[i] = (i, tasks[i][1].model_copy(update={"results": results}))
    if e.moved is not None:
        tasks.insert(e.moved[1], tasks.pop(e.moved[0]))
    survivors: list[Task | TaskGroup] = [task for i, task in tasks if i not in e.removed]
    for n, where in enumerate(e.added):
        task = Task(
            task=f"Lisaülesanne {n + 1}: andmekogu pidamine.",
            results=[f"Andmekogu {n + 1} on peetud."],
        )
        survivors.insert(min(where, len(survivors)), task)
    model.tasks = survivors
    rights = [
        ItemRef(ref=None, text=f"{r.text} ka kaugelt") if i in e.rights_reworded else r
        for i, r in enumerate(model.rights)
        if i not in e.rights_removed
    ]
    model.rights = rights + [ItemRef(ref=None, text="kasutada ameti raamatukogu")] * e.rights_added
    if e.purpose == "reword":
        model.purpose = [model.purpose[0].rstrip(".") + " kogu ameti ulatuses."]
    elif e.purpose == "new":
        model.purpose = ["Ametikoha eesmärk on andmekogude pidamine."]
    if e.experience:
        model.requirements = model.requirements.model_copy(
            update={"experience": "Vähemalt 7-aastane töökogemus valdkonnas."}
        )
    if e.employment:
        model.employment = "töötaja" if model.employment == "ametnik" else "ametnik"
    return LoadedPosition(position.id, model, position.source)


def views_of(sample: Sample, pid: str, e: Edits) -> tuple[DocumentView, DocumentView]:
    project, templates, views, _ = sample
    old = views[pid]
    # texts of library rights are resolved from the library; reworded library
    # rights become the position's own text
    position = project.positions[pid]
    library = project.library.texts["rights"]
    own = position.model.model_copy(deep=True)
    own.rights = [
        ItemRef(ref=None, text=library.get(r.ref, "")) if r.ref else r for r in own.rights
    ]
    base = LoadedPosition(pid, own, position.source)
    new, problems = resolve_position(project, templates.layouts, apply(base, e))
    assert not problems, problems
    return old, new


# --- accepting and rejecting revisions, written independently of the renderer


def _is_mark(el: etree._Element) -> bool:
    parent = el.getparent()
    return parent is not None and parent.tag in (f"{W}rPr", f"{W}trPr")


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    assert parent is not None
    index = parent.index(el)
    for child in reversed(list(el)):
        parent.insert(index, child)
    parent.remove(el)


def _merge_into_next(p: etree._Element) -> None:
    parent = p.getparent()
    assert parent is not None
    following = p.getnext()
    runs = [c for c in p if c.tag != f"{W}pPr"]
    if following is not None and following.tag == f"{W}p":
        at = 1 if following.find(f"{W}pPr") is not None else 0
        for run in reversed(runs):
            following.insert(at, run)
    parent.remove(p)


def _resolve_style_changes(body: etree._Element, accept: bool) -> None:
    """Keep the new paragraph properties (accept) or put back the old ones (reject)."""
    for change in list(body.iter(f"{W}pPrChange")):
        ppr = change.getparent()
        assert ppr is not None
        if accept:
            ppr.remove(change)
        else:
            old = change[0]
            for child in list(ppr):
                ppr.remove(child)
            ppr.extend(list(old))


def resolve_all(xml: bytes, accept: bool) -> etree._Element:
    """Return the body with every revision accepted (or rejected)."""
    body = etree.fromstring(xml).find(f"{W}body")
    assert body is not None
    gone, kept = ("del", "ins") if accept else ("ins", "del")
    for row in [r for r in body.iter(f"{W}tr") if r.find(f"{W}trPr/{W}{gone}") is not None]:
        row.getparent().remove(row)  # type: ignore[union-attr]
    for table in [t for t in body.iter(f"{W}tbl") if t.find(f"{W}tr") is None]:
        table.getparent().remove(table)  # type: ignore[union-attr]
    for el in [e for e in body.iter(f"{W}{gone}") if not _is_mark(e)]:
        el.getparent().remove(el)  # type: ignore[union-attr]
    for p in [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{W}{gone}") is not None]:
        _merge_into_next(p)
    for el in [e for e in body.iter(f"{W}{kept}") if not _is_mark(e)]:
        _unwrap(el)
    for el in list(body.iter(f"{W}{kept}", f"{W}{gone}")):
        el.getparent().remove(el)  # type: ignore[union-attr]
    for t in body.iter(f"{W}delText"):
        t.tag = f"{W}t"
    _resolve_style_changes(body, accept)
    for rpr in list(body.iter(f"{W}rPr")):
        if len(rpr) == 0:
            rpr.getparent().remove(rpr)  # type: ignore[union-attr]
    return body


def shape(element: etree._Element) -> list[tuple[object, ...]]:
    """Return blocks as comparable values: properties and runs merged by formatting."""
    out: list[tuple[object, ...]] = []
    for child in element:
        if child.tag == f"{W}p":
            ppr = child.find(f"{W}pPr")
            runs: list[tuple[bytes, str]] = []
            for run in child.iter(f"{W}r"):
                rpr = run.find(f"{W}rPr")
                props = etree.tostring(rpr, method="c14n") if rpr is not None else b""
                text = "".join(t.text or "" for t in run.iter(f"{W}t"))
                if runs and runs[-1][0] == props:
                    runs[-1] = (props, runs[-1][1] + text)
                elif text:
                    runs.append((props, text))
            props = etree.tostring(ppr, method="c14n") if ppr is not None else b""
            out.append(("p", props, [r for r in runs if r[1]]))
        elif child.tag in (f"{W}tbl", f"{W}tr", f"{W}tc"):
            out.append((child.tag, shape(child)))
        else:
            out.append((child.tag, etree.tostring(child, method="c14n")))
    return out


def body_text(body: etree._Element) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))


def check_redline(sample: Sample, old: DocumentView, new: DocumentView) -> bytes:
    redline, plain = sample[3]
    xml = redline.document_xml(old, new)
    new_body = etree.fromstring(plain.document_xml(new)).find(f"{W}body")
    old_body = etree.fromstring(plain.document_xml(old)).find(f"{W}body")
    assert new_body is not None and old_body is not None
    accepted, rejected = resolve_all(xml, True), resolve_all(xml, False)
    assert body_text(accepted) == body_text(new_body)
    assert body_text(rejected) == body_text(old_body)
    assert shape(accepted) == shape(new_body)
    assert shape(rejected) == shape(old_body)
    marks = [e for e in etree.fromstring(xml).iter(f"{W}ins", f"{W}del", f"{W}pPrChange")]
    assert [int(e.get(f"{W}id", "0")) for e in marks] == list(range(1, len(marks) + 1))
    # every other paragraph's revisions a minute later (LibreOffice joins touching ones)
    assert {(e.get(f"{W}author"), e.get(f"{W}date")) for e in marks} <= {
        (AUTHOR, "2025-03-01T00:00:00Z"),
        (AUTHOR, "2025-03-01T00:01:00Z"),
    }
    return xml


# two fifths of the profile's examples: 40 in make test (ci), 8 in make test-quick
@settings(
    max_examples=settings().max_examples * 2 // 5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_generated_variants(sample: Sample, data: st.DataObject) -> None:
    pid = data.draw(st.sampled_from(POSITIONS))
    position = sample[0].positions[pid].model
    e = data.draw(edits(len(position.tasks), len(position.rights)))
    old, new = views_of(sample, pid, e)
    assert bool(consent_facts(old, new)) == e.needs_consent(), e
    sections = {s.key: s for s in compare_views(old, new)}
    tasks = sections["tasks"].changes if "tasks" in sections else []
    assert sum(c.kind == "added" for c in tasks) == len(e.added), (e, tasks)
    assert sum(c.kind == "removed" for c in tasks) == len(e.removed)
    assert sum(c.kind == "reworded" for c in tasks) == len(e.reworded)
    for c in tasks:
        if c.kind == "added":
            assert c.results and c.results[0].startswith("Andmekogu")
    rights = sections["rights"].changes if "rights" in sections else []
    assert sum(c.kind == "reworded" for c in rights) == len(e.rights_reworded)
    xml = check_redline(sample, old, new)
    root = etree.fromstring(xml)
    inserted_rows = [r for r in root.iter(f"{W}tr") if r.find(f"{W}trPr/{W}ins") is not None]
    deleted_rows = [r for r in root.iter(f"{W}tr") if r.find(f"{W}trPr/{W}del") is not None]
    if not e.reorders(len(position.tasks)):
        assert (len(inserted_rows), len(deleted_rows)) == (len(e.added), len(e.removed)), e
    else:  # a task moved up may also show as the tasks in between moved down
        assert len(inserted_rows) - len(deleted_rows) == len(e.added) - len(e.removed), e
        # a moved task is a row deleted and one inserted, or, where it is like the task
        # it changed places with (3.9 and 3.10 of teenusejuht-kov), both rows reworded;
        # the tasks in between are renumbered, unless an added task evens the numbers
        # out (test_a_move_evened_out_by_an_added_task)
        changed = [r for r in root.iter(f"{W}tr") if r.find(f".//{W}ins") is not None]
        assert len(changed) >= 1 + len(e.added), e
        assert len(inserted_rows) > len(e.added) or len(changed) > len(inserted_rows), e


def test_a_move_evened_out_by_an_added_task(sample: Sample) -> None:
    # 3.1 moved below 3.2, 3.3 removed, a task added first: 3.2 keeps its number, and the
    # moved task is a row deleted and one inserted (found by test_generated_variants)
    e = Edits(
        removed=frozenset({2}),
        reworded=frozenset(),
        added=(0,),
        moved=(0, 1),
        new_result=None,
        rights_removed=frozenset(),
        rights_reworded=frozenset(),
        rights_added=0,
        purpose="",
        experience=False,
    )
    old, new = views_of(sample, "ekspert-kriisiabi", e)
    root = etree.fromstring(check_redline(sample, old, new))
    rows = [
        ("ins" if r.find(f"{W}trPr/{W}ins") is not None else "")
        + ("del" if r.find(f"{W}trPr/{W}del") is not None else "")
        + ("~" if r.find(f"{W}trPr/{W}ins") is None and r.find(f".//{W}ins") is not None else "")
        for r in root.iter(f"{W}tr")
    ]
    first = sample.project.positions["ekspert-kriisiabi"].model.tasks[0]
    assert isinstance(first, Task)
    assert rows.count("ins") == 2 and rows.count("del") == 2 and "~" not in rows
    texts = ["".join(t.text or "" for t in r.iter(f"{W}t")) for r in root.iter(f"{W}tr")]
    moved = next(
        t for t, kind in zip(texts, rows, strict=True) if kind == "ins" and "Lisa" not in t
    )
    assert moved.startswith("3.3 ") and first.task[:30] in moved


def test_word_level_inside_a_changed_paragraph(sample: Sample) -> None:
    e = Edits(frozenset(), frozenset({1}), (), None, None, frozenset(), frozenset(), 0, "", True)
    old, new = views_of(sample, "teenusejuht-kov", e)
    root = etree.fromstring(check_redline(sample, old, new))
    deleted = ["".join(t.text or "" for t in d.iter(f"{W}delText")) for d in root.iter(f"{W}del")]
    inserted = ["".join(t.text or "" for t in i.iter(f"{W}t")) for i in root.iter(f"{W}ins")]
    assert "3" in deleted and "7" in inserted  # "Vähemalt 3-aastane" → "Vähemalt 7-aastane"
    assert " vajadusel" in inserted
    assert not any(r.find(f"{W}trPr/{W}ins") is not None for r in root.iter(f"{W}tr"))


def test_the_redline_is_the_same_on_every_run(repo: Path) -> None:
    edit(repo / "data/positions/teenusejuht-kov.yaml", "level: B2", "level: C1")
    git(repo, "commit", "-q", "-am", "level")
    args = ["diff", "HEAD~1", "HEAD", "teenusejuht-kov", "--format", "docx", "--date", "2025-03-01"]
    assert run(*args, "-o", "a.docx").exit_code == 0
    assert run(*args, "-o", "b.docx").exit_code == 0
    assert (repo / "a.docx").read_bytes() == (repo / "b.docx").read_bytes()
    with zipfile.ZipFile(repo / "a.docx") as zf:
        xml = zf.read("word/document.xml")
        core = zf.read("docProps/core.xml").decode()
    assert re.search(rb'w:author="Sotsiaalkindlustusamet" w:date="2025-03-01T00:0[01]:00Z"', xml)
    # the position's title, never its id
    assert "teenusejuht-kov" not in core and "<dc:title>Ametijuhend: Teenusejuht (" in core


@pytest.mark.office
def test_libreoffice_shows_the_changes(repo: Path, tmp_path: Path) -> None:
    assert shutil.which("soffice"), "soffice is not installed (see .ci/run)"
    position = repo / "data/positions/teenusejuht-kov.yaml"
    edit(
        position,
        "  - task: Avalikkuse teavitamiseks informatiivsete materjalide kavandite koostamine.\n"
        "    results:\n      - Informatiivsete materjalide kavandid on välja töötatud.\n",
        "",
    )
    edit(position, "level: B2", "level: C1")
    edit(
        position, "tasks:\n", "tasks:\n  - task: Koolituste korraldamine.\n    results: [Tehtud.]\n"
    )
    result = run(
        "diff", "teenusejuht-kov", "--format", "docx", "-o", "m.docx", "--date", "2025-03-01"
    )
    assert result.exit_code == 0, result.stderr
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(repo / "m.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with zipfile.ZipFile(tmp_path / "m.odt") as zf:
        content = zf.read("content.xml").decode("utf-8")
    assert "<text:tracked-changes" in content
    regions = content.count("<text:changed-region")
    assert regions >= 4
    assert content.count("<text:deletion>") >= 2 and content.count("<text:insertion>") >= 2
    assert "<dc:creator>Sotsiaalkindlustusamet</dc:creator><dc:date>2025-03-01" in content
    assert "Avalikkuse teavitamiseks" in content  # the deleted row is still shown


def test_the_change_histories(sample: Sample) -> None:
    """Every history of the corpus accepts and rejects exactly, as Word joins paragraphs,
    and the last paragraph of a cell keeps its mark (an editor cannot remove it)."""
    from histories import histories

    for history in histories(per_base=3):
        root = etree.fromstring(check_redline(sample, history.old, history.new))
        for row in root.iter(f"{W}tr"):
            if row.find(f"{W}trPr/{W}ins") is None and row.find(f"{W}trPr/{W}del") is None:
                for cell in row.findall(f"{W}tc"):
                    mark = cell.findall(f"{W}p")[-1].find(f"{W}pPr/{W}rPr")
                    assert mark is None or len(mark) == 0, history.name
