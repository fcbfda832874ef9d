"""Redlines accepted and rejected by real programs: LibreOffice (UNO) and pandoc.

Every history of the change-history corpus (tests/histories.py) is written as
the old document, the new one and the redline between them. One LibreOffice
process opens them all (tests/office_uno.py, run by the Python that has
LibreOffice's uno module): "Accept all" must give the new document and
"Reject all" the old one, paragraph by paragraph (text, style, list level and
label) and cell by cell, with no change left. pandoc's --track-changes=accept
and =reject must read as pandoc reads the new and the old document.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ametijuhend_cli.render.docx import DocxRenderer
from ametijuhend_cli.render.redline import RedlineRenderer
from ametijuhend_cli.sources.templates import TemplateSet
from conftest import REPO
from histories import History, histories

pytestmark = pytest.mark.office

UNO_SCRIPT = Path(__file__).with_name("office_uno.py")
#: The Python with LibreOffice's uno module (Debian: python3-uno).
UNO_PYTHON = "/usr/bin/python3"


def _uno_available() -> bool:
    done = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[History], Path]:
    """Return the histories and the folder with old, new and redline DOCX of each."""
    folder = tmp_path_factory.mktemp("redlines")
    templates = TemplateSet.for_project(REPO / "templates")
    plain = DocxRenderer(templates)
    redline = RedlineRenderer(templates, author="Amet", date=dt.date(2025, 3, 1))
    found = list(histories())
    for h in found:
        (folder / f"{h.name}-old.docx").write_bytes(plain.render(h.old))
        (folder / f"{h.name}-new.docx").write_bytes(plain.render(h.new))
        (folder / f"{h.name}-red.docx").write_bytes(redline.render(h.old, h.new))
    return found, folder


def _describe(blocks: list[Any], depth: int = 0) -> list[str]:
    """Return blocks as lines: a paragraph's style, list level and label, and text."""
    out = []
    for block in blocks:
        if "table" in block:
            for r, row in enumerate(block["table"]):
                for c, cell in enumerate(row):
                    out += [f"{'  ' * depth}[{r},{c}] {line}" for line in _describe(cell or [])]
        else:
            out.append(f"{block['style']}|{block['list']}|{block['label']}|{block['p']}")
    return out


def _first_difference(got: list[str], want: list[str]) -> str:
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return f"line {i}: got {a!r}, want {b!r}"
    return f"{len(got)} lines, want {len(want)}"


#: The histories are shared among this many tests, each with a LibreOffice of its own,
#: so that the office checks' workers (-n) share them too.
LIBREOFFICE_PARTS = 2


@pytest.mark.parametrize("part", range(LIBREOFFICE_PARTS))
def test_libreoffice_accepts_and_rejects_exactly(
    corpus: tuple[list[History], Path], part: int
) -> None:
    assert shutil.which("soffice"), "soffice is not installed (see .ci/run)"
    assert _uno_available(), f"{UNO_PYTHON} has no uno module (Debian: python3-uno; see .ci/run)"
    found, folder = corpus
    found = found[part::LIBREOFFICE_PARTS]
    assert found, "every part has histories to open"
    jobs: list[dict[str, str]] = []
    index: dict[tuple[bytes, str], int] = {}  # the old version of a form is opened once
    where = []
    for h in found:
        for kind, action in (
            ("red", "accept"),
            ("red", "reject"),
            ("old", "none"),
            ("new", "none"),
        ):
            path = folder / f"{h.name}-{kind}.docx"
            key = (path.read_bytes(), action)
            if key not in index:
                index[key] = len(jobs)
                jobs.append({"path": str(path), "action": action})
            where.append(index[key])
    done = subprocess.run(
        [UNO_PYTHON, str(UNO_SCRIPT)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    opened = json.loads(done.stdout)
    results = [opened[i] for i in where]
    failures = []
    for n, h in enumerate(found):
        accepted, rejected, old, new = (results[4 * n + k] for k in range(4))
        assert not old["changes"] and not new["changes"]
        for label, got, want in (("accept", accepted, new), ("reject", rejected, old)):
            a, b = _describe(got["blocks"]), _describe(want["blocks"])
            if a != b or got["changes"]:
                failures.append(
                    f"{h.name} ({'; '.join(h.edits)}): {label}: {_first_difference(a, b)}"
                )
    assert not failures, f"{len(failures)} of {2 * len(found)}:\n" + "\n".join(failures)


def _words(node: Any) -> list[str]:
    """Return the words of a pandoc document tree, in reading order."""
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return [node["c"]]
        return _words(node.get("c", []))
    if isinstance(node, list):
        return [w for child in node for w in _words(child)]
    return []


def _pandoc(path: Path, mode: str) -> list[str]:
    """Return the words pandoc reads in a DOCX with its changes accepted or rejected.

    pandoc keeps a deleted table row as an empty row and ignores changed
    paragraph properties, so it is held to the words; LibreOffice (above) to
    the structure too.
    """
    done = subprocess.run(
        ["pandoc", f"--track-changes={mode}", "-f", "docx", "-t", "json", str(path)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return _words(json.loads(done.stdout)["blocks"])


def test_pandoc_accepts_and_rejects_exactly(corpus: tuple[list[History], Path]) -> None:
    assert shutil.which("pandoc"), "pandoc is not installed (see .ci/run)"
    found, folder = corpus
    tasks = []
    for h in found:
        tasks += [
            (folder / f"{h.name}-red.docx", "accept"),
            (folder / f"{h.name}-red.docx", "reject"),
            (folder / f"{h.name}-old.docx", "accept"),
            (folder / f"{h.name}-new.docx", "accept"),
        ]
    # the same document in the same mode is read once (an old version of a form recurs)
    keys = [(path.read_bytes(), mode) for path, mode in tasks]
    unique = dict(zip(keys, tasks, strict=True))
    with ThreadPoolExecutor(max_workers=2) as pool:
        words = dict(zip(unique, pool.map(lambda t: _pandoc(*t), unique.values()), strict=True))
    read = [words[key] for key in keys]
    failures = [
        f"{h.name} ({'; '.join(h.edits)}): {label}"
        for n, h in enumerate(found)
        for label, got, want in (
            ("accept", read[4 * n], read[4 * n + 3]),
            ("reject", read[4 * n + 1], read[4 * n + 2]),
        )
        if got != want
    ]
    assert not failures, f"{len(failures)} of {2 * len(found)}:\n" + "\n".join(failures)
