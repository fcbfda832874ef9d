"""Documents of agencies the importer has never seen: imported as a new agency would, built back.

tests/unseen/ holds job descriptions in our own words, each in another mix of
the shapes real agencies use (tests/unseen_docx.py makes the DOCX as a Word
user would: bold paragraphs or Word's heading styles, plain tables, Word's own
list numbering). Each is imported on a first day (`init --from-docx`), as the
text of its PDF (pdftotext -layout and -raw, kept in tests/unseen/pdf/), the
-raw text also into the project its DOCX started (`import`), and cut short;
the built DOCX must read back as the original, word for word
(tests/wordmatch.py, >= 0.95; the -layout text too, whose tables are read
cell by cell), and the parts a reader sees must be the parts of the
position (the tasks are tasks, the rights rights, the
acknowledgement the end of the document).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from unseen_docx import build_docx, cut, documents, reference_text, spec

from ametijuhend_cli.sources.layouts import Layouts
from ametijuhend_cli.sources.paths import find_project
from ametijuhend_cli.sources.templates import TemplateSet
from conftest import run, start_project, working_folder
from wordmatch import ratio

MIN_RATIO = 0.95
DOCUMENTS = documents()
PDF_DOCUMENTS = [n for n in DOCUMENTS if spec(n).get("pdf")]


def sources(name: str, folder: Path, blocks: list[Any] | None = None) -> tuple[Path, Path]:
    """Write document ``name`` (or ``blocks`` of it) as DOCX and its text; return both."""
    blocks = spec(name)["blocks"] if blocks is None else blocks
    source = build_docx(blocks, folder / f"{name}.docx")
    reference = folder / f"{name}.txt"
    reference.write_text(reference_text(blocks), "utf-8")
    return source, reference


def first_day(folder: Path, agency: str, source: Path) -> tuple[Path, str]:
    """Start a project from ``source`` in ``folder`` and build it; return it and the report."""
    return folder, start_project(folder, agency, source).stdout


def position(project: Path) -> dict[str, Any]:
    """Return the one position of ``project`` as its YAML file gives it."""
    (path,) = (project / "data" / "positions").glob("*.yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


def built(project: Path) -> Path:
    """Return the one DOCX built in ``project``."""
    (docx,) = (project / "out").glob("*.docx")
    return docx


def _layouts(project: Path) -> Layouts:
    return TemplateSet.of(find_project(project)).layouts


def _tasks(data: dict[str, Any]) -> tuple[list[Any], int]:
    """Return the tasks of a position, those of groups too, and the number of groups."""
    tasks: list[Any] = []
    groups = 0
    for item in data.get("tasks", []):
        if isinstance(item, dict) and "group" in item:
            groups += 1
            tasks += item["tasks"]
        else:
            tasks.append(item)
    return tasks, groups


def _signatures(data: dict[str, Any]) -> str:
    sig = data.get("signatures")
    if not sig:
        return "none"
    if sig.get("unnamed"):
        return "unnamed"
    for key in ("approver", "signers"):
        if key in sig:
            return key
    return "parties" if "employer" in sig else "other"


def structure(project: Path, expect: dict[str, Any]) -> list[str]:
    """Return how the imported position differs from what a reader sees in the document."""
    data = position(project)
    layout = _layouts(project).get(data.get("layout")).layout
    tasks, groups = _tasks(data)
    found: dict[str, Any] = {
        "approval": "block"
        if "approval" in data and layout.approval == "block"
        else "annex"
        if "approval" in data
        else "label"
        if "annex" in data
        else "none",
        "annex": str(data.get("annex")),
        "title": str(data.get("title", "")).casefold(),
        "tasks": len(tasks),
        "groups": groups,
        "subtasks_of": [
            i for i, t in enumerate(tasks, 1) if isinstance(t, dict) and t.get("subtasks")
        ],
        "results_of": [
            i for i, t in enumerate(tasks, 1) if isinstance(t, dict) and t.get("results")
        ],
        "rights": len(data.get("rights", [])),
        "responsibilities": len(data.get("responsibilities", [])),
        "purpose": bool(data.get("purpose")),
        "extra_sections": len(data.get("extra_sections", [])),
        "acknowledgement": layout.end.acknowledgement,
        "signatures": _signatures(data),
        "amendment": len(data.get("amendment", [])),
        "subtitle": bool(data.get("subtitle")),
        "position_number": str(data.get("position_number")),
    }
    wanted: dict[str, Any] = {
        "groups": 0,
        "extra_sections": 0,
        "acknowledgement": False,
        "signatures": "none",
    }
    wanted.update(expect)
    title = wanted.get("title")
    if isinstance(title, str):
        wanted["title"] = title.casefold()
    return [
        f"{key}: expected {value!r}, found {found[key]!r}"
        for key, value in wanted.items()
        if key in found and found[key] != value
    ]


#: Documents whose structure the importer does not read yet, and why (strict: a fix shows).
NOT_YET: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[n]))
        if n in NOT_YET
        else n
        for n in DOCUMENTS
    ],
)
def test_a_first_day_reads_the_document_and_builds_it_back(tmp_path: Path, name: str) -> None:
    document = spec(name)
    source, reference = sources(name, tmp_path)
    project, _ = first_day(tmp_path / "project", document["agency"], source)
    assert ratio(built(project), reference) >= MIN_RATIO
    assert structure(project, document["expect"]) == []


def test_the_documents_are_our_own_and_varied() -> None:
    assert len(DOCUMENTS) >= 12
    abouts = [spec(n)["about"] for n in DOCUMENTS]
    assert len(set(abouts)) == len(abouts)


#: PDF texts whose structure the importer does not read yet, and why (strict: a fix shows).
#: The -raw text has no columns, so the results of a table's tasks run on from the tasks
#: there: only the -layout text, whose tables are read cell by cell, is held to the structure.
PDF_NOT_YET: dict[str, str] = {}


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "mode"),
    [
        pytest.param(n, m, marks=pytest.mark.xfail(strict=True, reason=PDF_NOT_YET[n]))
        if m == "layout" and n in PDF_NOT_YET
        else (n, m)
        for n in PDF_DOCUMENTS
        for m in ("raw", "layout")
    ],
)
def test_the_text_of_its_pdf_is_imported(tmp_path: Path, name: str, mode: str) -> None:
    document = spec(name)
    _, reference = sources(name, tmp_path)
    text = Path(__file__).parent / "unseen" / "pdf" / f"{name}.{mode}.txt"
    project, _ = first_day(tmp_path / "project", document["agency"], text)
    # the -layout text puts a table's cells side by side: they are read cell by cell
    assert ratio(built(project), reference) >= MIN_RATIO
    if mode == "layout":  # its tasks with their results, its labels with their values
        assert structure(project, document["expect"]) == []


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_document_cut_short_is_imported_as_far_as_it_goes(tmp_path: Path, name: str) -> None:
    document = spec(name)
    blocks = document["blocks"]
    # it stops somewhere in its last third (after its first tasks in each of these)
    at = random.Random(name).randrange(len(blocks) * 2 // 3, len(blocks))
    source, reference = sources(name, tmp_path, cut(blocks, at))
    project, _ = first_day(tmp_path / "project", document["agency"], source)
    assert ratio(built(project), reference) >= MIN_RATIO


@pytest.mark.slow
@pytest.mark.parametrize("name", PDF_DOCUMENTS)
def test_the_project_it_started_imports_the_text_of_its_pdf(tmp_path: Path, name: str) -> None:
    document = spec(name)
    source, reference = sources(name, tmp_path)
    project, _ = first_day(tmp_path / "project", document["agency"], source)
    text = Path(__file__).parent / "unseen" / "pdf" / f"{name}.raw.txt"
    with working_folder(project):
        made = run("import", str(text), "-o", "data/positions/from-pdf.yaml")
        assert made.exit_code == 0, made.stderr + made.stdout
        assert run("build", "from-pdf", "--format", "docx").exit_code == 0
    assert ratio(project / "out" / "from-pdf.docx", reference) >= MIN_RATIO
