"""Word-level comparison of a generated document with a reference text."""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
SECTION_NUMBER = re.compile(r"^\d+(\.\d+)*\.?$")


def docx_text(path: Path) -> str:
    """Return the text of a DOCX body, one line per paragraph, tables row by row."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    lines = []
    for p in root.iter(W + "p"):
        parts = []
        for el in p.iter():
            if el.tag == W + "t" and el.text:
                parts.append(el.text)
            elif el.tag in (W + "tab", W + "br"):
                parts.append(" ")
        lines.append("".join(parts))
    return "\n".join(lines)


def markdown_text(text: str) -> str:
    """Return Markdown with its markup removed."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[#*_`|>\[\]\\]", " ", text)
    return re.sub(r"^\s*[-+]\s", " ", text, flags=re.M)


def words(text: str) -> list[str]:
    """Return the lower-cased words of ``text`` without bare numbers."""
    return [
        w.lower() for w in WORD.findall(text) if not SECTION_NUMBER.match(w) and not w.isdigit()
    ]


def load(path: Path) -> str:
    """Return the comparable text of a .docx, .md or plain text file."""
    if path.suffix == ".docx":
        return docx_text(path)
    text = path.read_text(encoding="utf-8")
    return markdown_text(text) if path.suffix == ".md" else text


def ratio(generated: Path, reference: Path) -> float:
    """Return difflib's similarity of the two word sequences (1.0 = same words)."""
    a, b = words(load(generated)), words(load(reference))
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
