"""Job descriptions of agencies the importer has never seen, made as Word users make them.

Each document of tests/unseen/ is a JSON file (our own words): the agency, the
structure a reader sees in it ("expect") and its blocks in order:

- ``["p", text, flags]``: a paragraph; flags "b" bold, "c" centred, "r" right-aligned;
- ``["h", text, level]``: a paragraph in Word's style "Heading <level>" ("Title" for 0);
- ``["list", [texts], style]``: a paragraph per text in a list style ("List Bullet" by
  default; "List Number" is Word's automatic numbering);
- ``["ol", [[level, text] or [level, text, style], …], name]``: paragraphs of a
  multilevel list Word numbers itself ("1.", "1.1.", "1.1.1."), counted on across
  blocks of the same name (headings numbered by the list, as Word users link them);
- ``["table", rows]``: a plain table; a cell is a text or a list of paragraphs, where
  "• text" is a bulleted paragraph.

``build_docx`` writes the DOCX, ``reference_text`` the text a reader sees (Word's
numbers included), as a PDF of it would give it. The PDF texts of some documents
(pdftotext -layout and -raw of the PDF LibreOffice makes of the DOCX) are kept in
tests/unseen/pdf/; ``python tests/unseen_docx.py`` writes them again.
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from officetools import pdftotext, soffice

FOLDER = Path(__file__).resolve().parent / "unseen"
PDF_FOLDER = FOLDER / "pdf"
Block = list[Any]


def documents() -> list[str]:
    """Return the names of the documents in tests/unseen/."""
    return sorted(p.stem for p in FOLDER.glob("*.json"))


def spec(name: str) -> dict[str, Any]:
    """Return the document ``name`` as written in its JSON file."""
    data: dict[str, Any] = json.loads((FOLDER / f"{name}.json").read_text("utf-8"))
    return data


def cut(blocks: list[Block], at: int) -> list[Block]:
    """Return the first ``at`` blocks (a document that stops in the middle)."""
    return copy.deepcopy(blocks[:at])


class _Lists:
    """Word's multilevel lists of one document: one numbering definition per list name."""

    def __init__(self, document: Any):
        self.numbering = document.part.numbering_part.element
        self.ids: dict[str, int] = {}
        self.counters: dict[str, list[int]] = {}

    def num_id(self, name: str) -> int:
        if name not in self.ids:
            abstract_id = 90 + len(self.ids)
            abstract = OxmlElement("w:abstractNum")
            abstract.set(qn("w:abstractNumId"), str(abstract_id))
            kind = OxmlElement("w:multiLevelType")
            kind.set(qn("w:val"), "multilevel")
            abstract.append(kind)
            for level in range(3):
                abstract.append(_level(level))
            # abstract definitions come before the w:num elements
            first_num = self.numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self.numbering.append(abstract)
            num_id = 90 + len(self.ids)
            num = OxmlElement("w:num")
            num.set(qn("w:numId"), str(num_id))
            ref = OxmlElement("w:abstractNumId")
            ref.set(qn("w:val"), str(abstract_id))
            num.append(ref)
            self.numbering.append(num)
            self.ids[name] = num_id
        return self.ids[name]

    def label(self, name: str, level: int) -> str:
        """Return the number Word draws for the next paragraph of ``name`` at ``level``."""
        counters = self.counters.setdefault(name, [0, 0, 0])
        counters[level] += 1
        for deeper in range(level + 1, 3):
            counters[deeper] = 0
        return ".".join(str(max(n, 1)) for n in counters[: level + 1]) + "."


def _level(level: int) -> Any:
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), str(level))
    for tag, value in (
        ("w:start", "1"),
        ("w:numFmt", "decimal"),
        ("w:lvlText", ".".join(f"%{k + 1}" for k in range(level + 1)) + "."),
        ("w:lvlJc", "left"),
    ):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        lvl.append(element)
    ppr = OxmlElement("w:pPr")
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(360 + 432 * level))
    ind.set(qn("w:hanging"), "432")
    ppr.append(ind)
    lvl.append(ppr)
    return lvl


def _number(paragraph: Any, num_id: int, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(nid)
    ppr.append(numpr)


_ALIGN = {"c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}


def _paragraph(d: Any, text: str, flags: str = "") -> None:
    p = d.add_paragraph()
    run = p.add_run(text)
    run.bold = "b" in flags or None
    for flag, align in _ALIGN.items():
        if flag in flags:
            p.alignment = align


def _cell(cell: Any, value: str | list[str]) -> None:
    texts = [value] if isinstance(value, str) else value
    for i, text in enumerate(texts):
        bullet = text.startswith("• ")
        body = text[2:] if bullet else text
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.text = body
        if bullet:
            p.style = "List Bullet"


def build_docx(blocks: list[Block], path: Path) -> Path:
    """Write ``blocks`` as a Word user would have made them; return ``path``."""
    d = docx.Document()
    lists = _Lists(d)
    for block in blocks:
        kind = block[0]
        if kind == "p":
            _paragraph(d, block[1], block[2] if len(block) > 2 else "")
        elif kind == "h":
            d.add_heading(block[1], block[2])
        elif kind == "list":
            style = block[2] if len(block) > 2 else "List Bullet"
            for text in block[1]:
                d.add_paragraph(text, style=style)
        elif kind == "ol":
            num_id = lists.num_id(block[2] if len(block) > 2 else "list")
            for entry in block[1]:
                level, text = entry[0], entry[1]
                style = entry[2] if len(entry) > 2 else "List Paragraph"
                p = d.add_paragraph(text, style=style)
                _number(p, num_id, level)
        elif kind == "table":
            rows = block[1]
            table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    _cell(table.cell(r, c), value)
        else:
            raise ValueError(f"unknown block {kind!r}")
    d.core_properties.author = "unseen"
    d.save(str(path))
    return path


def reference_text(blocks: list[Block]) -> str:
    """Return the text a reader sees in the document: a line per paragraph, Word's numbers."""
    lines: list[str] = []
    counters: dict[str, list[int]] = {}
    for block in blocks:
        kind = block[0]
        if kind in ("p", "h"):
            lines.append(block[1])
        elif kind == "list":
            style = block[2] if len(block) > 2 else "List Bullet"
            for i, text in enumerate(block[1], 1):
                lines.append(f"{i}. {text}" if "Number" in style else f"• {text}")
        elif kind == "ol":
            name = block[2] if len(block) > 2 else "list"
            count = counters.setdefault(name, [0, 0, 0])
            for entry in block[1]:
                level = entry[0]
                count[level] += 1
                for deeper in range(level + 1, 3):
                    count[deeper] = 0
                number = ".".join(str(max(n, 1)) for n in count[: level + 1]) + "."
                lines.append(f"{number} {entry[1]}")
        elif kind == "table":
            for row in block[1]:
                for value in row:
                    texts = [value] if isinstance(value, str) else value
                    lines += [t.replace("• ", "", 1) if t.startswith("• ") else t for t in texts]
    return "\n".join(lines) + "\n"


def pdf_texts(name: str, folder: Path) -> dict[str, str]:
    """Return the text pdftotext gives of the PDF LibreOffice makes of document ``name``
    (-layout and -raw); needs soffice and pdftotext."""
    source = build_docx(spec(name)["blocks"], folder / f"{name}.docx")
    soffice(["--convert-to", "pdf", "--outdir", str(folder), str(source)], folder)
    return {mode: pdftotext(folder / f"{name}.pdf", mode) for mode in ("layout", "raw")}


def main() -> None:
    """Write the PDF texts of the documents that have them (tests/unseen/pdf/)."""
    PDF_FOLDER.mkdir(exist_ok=True)
    names = sys.argv[1:] or [n for n in documents() if spec(n).get("pdf")]
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            for mode, text in pdf_texts(name, Path(tmp)).items():
                (PDF_FOLDER / f"{name}.{mode}.txt").write_text(text, "utf-8")
                print(f"wrote {PDF_FOLDER / f'{name}.{mode}.txt'}")


if __name__ == "__main__":
    main()
