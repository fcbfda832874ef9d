"""The layout variants (tests/layout_variants.py): every position in every layout, mutated.

Each document must print every text of its position, in the DOCX and in the
Markdown, and show the same headings in both, numbered as its layout says.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from layout_variants import (
    BUILTIN,
    content_texts,
    handwritten_layouts,
    heading_numbers_match,
    library_of,
    sources,
    write_project,
)

from conftest import run, working_folder
from wordmatch import W, docx_text, load, words

SOURCES = dict(sources())


def _joined(words_: list[str]) -> str:
    """Return words as one string to search in, each between spaces."""
    return f" {' '.join(words_)} "


def _docx_headings(path: Path) -> list[str]:
    """Return the texts of the body's paragraphs in the style named 'heading 1' (Word's own)."""
    with zipfile.ZipFile(path) as package:
        styles = ET.fromstring(package.read("word/styles.xml"))
        body = ET.fromstring(package.read("word/document.xml")).find(f"{W}body")
    heading = {
        style.get(f"{W}styleId")
        for style in styles.iter(f"{W}style")
        if (name := style.find(f"{W}name")) is not None
        and (name.get(f"{W}val") or "").lower() == "heading 1"
    }
    assert body is not None
    return [
        "".join(
            {f"{W}t": t.text or "", f"{W}tab": "\t", f"{W}br": "\n"}.get(t.tag, "")
            for t in p.iter()
        )
        for p in body.findall(f"{W}p")
        if (style := p.find(f"{W}pPr/{W}pStyle")) is not None and style.get(f"{W}val") in heading
    ]


def check_project(
    name: str, data_folder: Path, root: Path, layouts: list[str] | None = None
) -> int:
    """Build the variants of one source project and check each; return how many."""
    found = write_project(name, data_folder, root, layouts)
    library = library_of(data_folder)
    with working_folder(root):
        result = run("build")
    assert result.exit_code == 0, result.stderr
    failures = []
    needed: dict[str, str] = {}  # the words of a text (the variants share their texts)
    for variant in found:
        docx_file = root / "out" / f"{variant.pid}.docx"
        md_file = docx_file.with_suffix(".md")
        in_docx = _joined(words(docx_text(docx_file)))
        in_md = _joined(words(load(md_file)))
        data = variant.data
        for text in content_texts(data, library):
            if text not in needed:
                needed[text] = _joined(words(text))
            need = needed[text]
            if text == data["title"] and need not in in_docx:
                need = _joined(words(data.get("title_genitive", text)))
            for where, have in (("docx", in_docx), ("md", in_md)):
                if need not in have:
                    failures.append(f"{variant.pid}: {where} lacks {text[:50]!r}")
        md_headings = [
            line[3:] for line in md_file.read_text("utf-8").splitlines() if line.startswith("## ")
        ]
        docx_headings = _docx_headings(docx_file)
        if md_headings != docx_headings:
            failures.append(f"{variant.pid}: headings {md_headings} / {docx_headings}")
        if not heading_numbers_match(docx_headings, variant.numbering):
            failures.append(
                f"{variant.pid}: numbers of {docx_headings} are not {variant.numbering!r}"
            )
    assert failures == []
    return len(found)


def test_every_source_in_every_layout_is_generated() -> None:
    from layout_variants import variants

    names = [v.pid for v in variants("sample", SOURCES["sample"])]
    assert len(names) == len(set(names))
    layouts = {n.split("--")[1] for n in names}
    assert layouts == set(BUILTIN)
    kinds = {n.split("--")[2].split("-")[0] for n in names if n.count("--") == 2}
    assert kinds == {"drop", "extra", "arabic", "roman", "none"}


#: The source whose variants `make test-quick` checks too (the others take a minute).
QUICK = "ministeerium"


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.parametrize(
    "name",
    [n if n == QUICK else pytest.param(n, marks=pytest.mark.slow) for n in sorted(SOURCES)],
)
def test_variants_across_layouts(name: str, tmp_path: Path) -> None:
    assert check_project(name, SOURCES[name], tmp_path / name) >= len(BUILTIN)


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.parametrize(
    "name",
    [n if n == QUICK else pytest.param(n, marks=pytest.mark.slow) for n in sorted(SOURCES)],
)
def test_variants_across_handwritten_layouts(name: str, tmp_path: Path) -> None:
    # the layouts new users wrote for other agencies' documents (tests/layouts-handwritten/)
    layouts = sorted(handwritten_layouts())
    assert check_project(name, SOURCES[name], tmp_path / name, layouts) >= len(layouts)
