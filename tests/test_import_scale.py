"""Oversized import input (issue 13): refused early, with a located message (no timing here:
benchmarks/import_scale.py measures the time)."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from ametijuhend_cli.importer.extract import (
    MAX_ITEMS,
    MAX_TEXT_FILE,
    Joiner,
    ReadError,
    TextTooLong,
    read_document,
)
from ametijuhend_cli.messages import display_path
from conftest import REPO, run

REFERENCE = REPO / "tests" / "reference" / "teenusejuht-kov.txt"


def continued(n: int) -> str:
    lines = REFERENCE.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("3.1"))
    return "\n".join(lines[: at + 1] + [f"jätkub sõnaga {k}" for k in range(n)] + lines[at + 1 :])


class Counting:
    """An iterable of ``n`` lines that counts how many were taken."""

    def __init__(self, line: str, n: int):
        self.line, self.n, self.taken = line, n, 0

    def __iter__(self) -> Iterator[str]:
        for _ in range(self.n):
            self.taken += 1
            yield self.line


@pytest.mark.parametrize("line", ["sõna", "poolitatud sõ-", "a", "x" * 5000, "üle-"])
def test_joiner_stops_at_the_limit_not_at_the_end(line: str) -> None:
    parts = Counting(line, 1_000_000)
    with pytest.raises(TextTooLong, match="more than 10,000 characters"):
        Joiner([], []).join(parts)
    assert parts.taken <= 10_001 // max(1, len(line) // 2) + 2  # stopped right after the limit


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["poolita-", "tud sõna"], "poolitatud sõna"),
        (["üle-", "eestiline"], "üle-eestiline"),
        (["KOV-", "ide"], "KOV-ide"),
        (["a-", "ja b"], "a- ja b"),
        (["", "  x ", "", "y"], "x y"),
        (["lõpp-"], "lõpp-"),
        (["sõ-", "na-", "de-", "ga"], "sõnadega"),
    ],
)
def test_joiner_joins_as_before(parts: list[str], expected: str) -> None:
    assert Joiner(["üle-eestiline"], ["ja", "ning"]).join(parts) == expected


def test_joiner_is_exact_at_the_limit() -> None:
    assert len(Joiner([], []).join(["x" * 10_000])) == 10_000
    with pytest.raises(TextTooLong):
        Joiner([], []).join(["x" * 5_000, "y" * 5_000])  # with the space: 10,001


@pytest.mark.parametrize("n", [600, 3_000, 15_000])
def test_task_going_on_past_the_limit_is_refused(project: Path, n: int) -> None:
    path = project / "pikk.txt"
    path.write_text(continued(n), encoding="utf-8")
    result = run("import", str(path), "--to", "imported")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        f"{display_path(path)}: a paragraph of more than 10,000 characters (after "
    )
    assert not (project / "imported").exists()


def test_huge_text_file_is_refused_before_reading(project: Path) -> None:
    path = project / "suur.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_TEXT_FILE + 1)  # sparse: nothing is written, the size is there
    with pytest.raises(ReadError, match=r"too large for a job description \(5,000,001 bytes"):
        read_document(path)
    result = run("import", str(path), "--to", "imported")
    assert result.exit_code == 1
    assert "too large for a job description" in result.stderr


def test_text_file_of_too_many_lines_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "read.txt"
    path.write_text("\n".join(f"rida {i}" for i in range(MAX_ITEMS + 1)), encoding="utf-8")
    with pytest.raises(ReadError, match=r"more than 20,000 paragraphs"):
        read_document(path)


@pytest.mark.slow
@pytest.mark.parametrize("empty", [True, False])
def test_docx_of_too_many_paragraphs_is_refused(tmp_path: Path, empty: bool) -> None:
    import docx
    from docx.oxml.ns import qn

    # the document python-docx makes with add_paragraph for each (the same document.xml),
    # twenty times faster: the first paragraph copied, the section's properties kept last
    document = docx.Document()
    body = document.element.body
    first = document.add_paragraph("" if empty else "lõik 0")._p
    section = body.sectPr
    assert section is not None
    body.remove(section)
    for i in range(1, MAX_ITEMS + 1):
        paragraph = copy.deepcopy(first)
        text = paragraph.find(f"{qn('w:r')}/{qn('w:t')}")
        assert (text is None) == empty  # an empty paragraph has no run
        if text is not None:
            text.text = f"lõik {i}"
        body.append(paragraph)
    body.append(section)
    path = tmp_path / "pikk.docx"
    document.save(str(path))
    with pytest.raises(ReadError, match=r"more than 20,000 paragraphs and table cells"):
        read_document(path)


def test_docx_row_of_many_cells_reads_each_cell_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3000)
    for i, cell in enumerate(itertools.islice(table.rows[0].cells, 0, 3000, 500)):
        cell.text = f"lahter {i}"
    path = tmp_path / "rida.docx"
    document.save(str(path))
    items = read_document(path).items
    assert [i.text for i in items] == [f"lahter {i}" for i in range(6)]
    assert [i.cell for i in items] == [(0, 0, c) for c in range(0, 3000, 500)]
