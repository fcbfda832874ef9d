"""Write a job description as plain paragraphs (no tables) with python-docx, for import tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx

from ametijuhend_cli.document.view import DocumentView


def plain_docx(doc: DocumentView, path: Path) -> None:
    """Write ``doc`` as a hand-made Word file might be: headings, "Label: value", lists."""
    d = docx.Document()
    w = doc.wording
    if doc.approval:
        d.add_paragraph().add_run(doc.approval[0]).bold = True
        d.add_paragraph(doc.approval[1])
    d.add_heading(w.document_title, 0)
    s = doc.sections
    d.add_heading(s["general"].title, 1)
    for row in doc.general:
        for f in row:
            d.add_paragraph(f"{f.label}: {f.value}")
    d.add_heading(s["purpose"].title, 1)
    d.add_paragraph(doc.purpose)
    _tasks(d, doc)
    _lists(d, doc)
    if doc.work_tools:
        d.add_heading(s["work_tools"].title, 1)
        d.add_paragraph(doc.work_tools)
    _requirements(d, doc)
    d.add_heading(s["amendment"].title, 1)
    for clause in doc.amendment:
        d.add_paragraph(clause)
    _signatures(d, doc)
    d.save(str(path))


def _tasks(d: Any, doc: DocumentView) -> None:
    d.add_heading(doc.sections["tasks"].title, 1)
    for task in doc.tasks:
        d.add_paragraph(f"{task.number}. {task.text}")
        for part in task.subtasks:
            d.add_paragraph(part, style="List Bullet 2")
        d.add_paragraph(doc.wording.tasks_table["results"] + ":")
        for result in task.results:
            d.add_paragraph(result, style="List Bullet")


def _lists(d: Any, doc: DocumentView) -> None:
    lists = (
        ("rights", doc.vocabulary.rights_intro, doc.rights),
        ("responsibilities", doc.vocabulary.responsibilities_intro, doc.responsibilities),
    )
    for key, intro, items in lists:
        d.add_heading(doc.sections[key].title, 1)
        d.add_paragraph(intro)
        for item in items:
            d.add_paragraph(item, style="List Bullet")


def _requirements(d: Any, doc: DocumentView) -> None:
    w = doc.wording
    d.add_heading(doc.sections["requirements"].title, 1)
    for f in doc.requirements:
        p = d.add_paragraph()
        p.add_run(f.label + ":").bold = True
        p.add_run(" " + f.value)
    d.add_heading(w.requirements["core_competencies"], 2)
    for comp in doc.core_competencies:
        d.add_paragraph().add_run(comp.name + ":").bold = True
        for indicator in comp.indicators:
            d.add_paragraph(indicator, style="List Bullet")
    d.add_heading(w.requirements["competencies"], 2)
    for comp in doc.competencies:
        d.add_paragraph(f"{comp.name}: {comp.text}", style="List Bullet")
    for item in doc.knowledge:
        d.add_paragraph(item, style="List Bullet")


def _signatures(d: Any, doc: DocumentView) -> None:
    if doc.signatures_heading:
        d.add_paragraph(doc.signatures_heading)
    for sig in doc.signatories:
        if sig.label:
            first = f", {sig.title[0]}" if sig.title else ""
            d.add_paragraph(f"{sig.label} {sig.name}{first}")
            for line in sig.title[1:]:
                d.add_paragraph(line)
        else:
            d.add_paragraph(doc.signed)
            d.add_paragraph(sig.name)
            for line in sig.title:
                d.add_paragraph(line)
