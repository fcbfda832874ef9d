"""Open DOCX files in one LibreOffice process (UNO), accept or reject their tracked changes.

Run by the Python that has LibreOffice's ``uno`` module (Debian: python3-uno,
/usr/bin/python3), not by the project's virtual environment:

    /usr/bin/python3 tests/office_uno.py < jobs.json > results.json

Each job is ``{"path": "...", "action": "none" | "accept" | "reject"}``; the
result of each is the document as LibreOffice holds it afterwards: its blocks
(paragraphs with their text, style, list level and label; tables with their
rows and cells), read from LibreOffice's Flat ODF export of it, and whether
tracked changes are left.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

ACTIONS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def _prop(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


# The document is read from LibreOffice's own Flat ODF export of it, as it holds
# it after the action: one call. Reading it paragraph by paragraph through UNO
# asked LibreOffice once for each property, a millisecond or more each: about a
# second a document. The two gave the same blocks for every document compared (the
# old, new, accepted and rejected ones of the corpus's first 13 change histories);
# only a redline read with its changes still in it differs (the export keeps a
# deleted table row), and the checks read none.
NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}
TX, TB, OF, ST = (f"{{{NS[k]}}}" for k in ("text", "table", "office", "style"))
#: not the paragraph's text: its list label, changes, comments, a footnote's body
_NOT_TEXT = {f"{TX}number", f"{TX}tracked-changes", f"{OF}annotation", f"{TX}note-body"}
_FLAT_ODF = "OpenDocument Text Flat XML"


def _style_name(encoded: str) -> str:
    """Return a style's name as LibreOffice shows it ("Heading_20_1" is "Heading 1")."""
    return re.sub(r"_([0-9a-fA-F]{2,4})_", lambda m: chr(int(m.group(1), 16)), encoded)


def _text(element: ET.Element) -> str:
    """Return a paragraph's text as LibreOffice's getString() gives it."""
    out = [element.text or ""]
    for child in element:
        if child.tag == f"{TX}s":
            out.append(" " * int(child.get(f"{TX}c", "1")))
        elif child.tag == f"{TX}tab":
            out.append("\t")
        elif child.tag == f"{TX}line-break":
            out.append("\n")
        elif child.tag not in _NOT_TEXT:
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _repeated(element: ET.Element, attribute: str) -> int:
    return int(element.get(f"{TB}{attribute}", "1"))


class _Reader:
    """The blocks of a Flat ODF document: paragraphs (text, style, list level, label)
    and tables (rows of cells; a cell merged into the one before it is None)."""

    def __init__(self, root: ET.Element) -> None:
        self.parents = {
            s.get(f"{ST}name"): s.get(f"{ST}parent-style-name")
            for s in root.iter(f"{ST}style")
            if s.get(f"{ST}family") == "paragraph"
        }
        automatic = root.find(f"{OF}automatic-styles")
        styles = automatic.iter(f"{ST}style") if automatic is not None else iter(())
        self.automatic = {s.get(f"{ST}name") for s in styles}

    def style(self, paragraph: ET.Element) -> str:
        name = paragraph.get(f"{TX}style-name") or "Standard"
        if name in self.automatic:  # the paragraph's own formatting over its style
            name = self.parents.get(name) or "Standard"
        return _style_name(name)

    def paragraph(
        self, paragraph: ET.Element, lists: int, item: ET.Element | None
    ) -> dict[str, Any]:
        numbered = item is not None and item.tag == f"{TX}list-item"
        number = item.find(f"{TX}number") if numbered and item is not None else None
        return {
            "p": _text(paragraph),
            "style": self.style(paragraph),
            "list": lists - 1 if numbered else None,
            "label": (number.text or "") if number is not None else "",
        }

    def rows(self, table: ET.Element) -> Iterator[ET.Element]:
        for child in table:
            if child.tag == f"{TB}table-row":
                for _ in range(_repeated(child, "number-rows-repeated")):
                    yield child
            elif child.tag in (f"{TB}table-header-rows", f"{TB}table-rows", f"{TB}table-row-group"):
                yield from self.rows(child)

    def table(self, table: ET.Element) -> dict[str, Any]:
        grid = []
        for row in self.rows(table):
            cells: list[list[dict[str, Any]] | None] = []
            for cell in row:
                if cell.tag in (f"{TB}table-cell", f"{TB}covered-table-cell"):
                    held = self.blocks(cell) if cell.tag == f"{TB}table-cell" else None
                    cells += [held] * _repeated(cell, "number-columns-repeated")
            grid.append(cells)
        return {"table": grid}

    def blocks(
        self, container: ET.Element, lists: int = 0, item: ET.Element | None = None
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for child in container:
            if child.tag in (f"{TX}p", f"{TX}h"):
                out.append(self.paragraph(child, lists, item))
            elif child.tag == f"{TX}list":
                for entry in child:
                    if entry.tag in (f"{TX}list-item", f"{TX}list-header"):
                        out += self.blocks(entry, lists + 1, entry)
            elif child.tag == f"{TB}table":
                out.append(self.table(child))
            elif child.tag in (f"{TX}section", f"{TX}soft-page-break"):
                out += self.blocks(child, lists, item)
        return out


def _blocks(path: Path) -> list[dict[str, Any]]:
    root = ET.parse(path).getroot()
    body = root.find(f"{OF}body/{OF}text")
    if body is None:
        raise ValueError(f"{path}: no text body in LibreOffice's export")
    return _Reader(root).blocks(body)


def _connect(pipe: str) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def run(jobs: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Return the blocks of each job's document after its action."""
    with tempfile.TemporaryDirectory(prefix="lo-uno-") as profile:
        pipe = f"ametijuhend-{os.getpid()}"
        office = subprocess.Popen(
            [
                "soffice",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            ctx = _connect(pipe)
            smgr = ctx.ServiceManager
            desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
            results = []
            for n, job in enumerate(jobs):
                url = Path(job["path"]).resolve().as_uri()
                doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
                try:
                    action = ACTIONS.get(job["action"])
                    if action is not None:
                        frame = doc.getCurrentController().getFrame()
                        dispatcher.executeDispatch(frame, action, "", 0, ())
                    flat = Path(profile) / f"{n}.fodt"
                    doc.storeToURL(flat.as_uri(), (_prop("FilterName", _FLAT_ODF),))
                    results.append(
                        {
                            "blocks": _blocks(flat),
                            "changes": doc.getRedlines().createEnumeration().hasMoreElements(),
                        }
                    )
                finally:
                    doc.close(True)
            with contextlib.suppress(Exception):  # the bridge goes down as LibreOffice quits
                desktop.terminate()
        finally:
            try:
                office.wait(timeout=30)
            except subprocess.TimeoutExpired:
                office.kill()
    return results


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout, ensure_ascii=False)
