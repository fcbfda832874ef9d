"""Open DOCX files in one LibreOffice process (UNO), accept or reject their tracked changes.

Run by the Python that has LibreOffice's ``uno`` module (Debian: python3-uno,
/usr/bin/python3), not by the project's virtual environment:

    /usr/bin/python3 tests/office_uno.py < jobs.json > results.json

Each job is ``{"path": "...", "action": "none" | "accept" | "reject"}``; the
result of each is the document as LibreOffice holds it afterwards: its blocks
(paragraphs with their text, style and list level; tables with their rows
and cells) and the number of tracked changes left.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
from com.sun.star.container import NoSuchElementException  # type: ignore[import-not-found]

ACTIONS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def _prop(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


#: A paragraph's properties, read in one call (each call crosses to LibreOffice and back;
#: XMultiPropertySet takes the names in alphabetical order)
_PARAGRAPH = ("ListLabelString", "NumberingIsNumber", "NumberingLevel", "ParaStyleName")


def _paragraph(para: Any) -> dict[str, Any]:
    label, numbered, level, style = para.getPropertyValues(_PARAGRAPH)
    return {
        "p": para.getString(),
        "style": style,
        "list": level if numbered else None,
        "label": label if numbered else "",
    }


def _items(text: Any) -> Any:
    """Yield the paragraphs and tables of a text (one call each, not two)."""
    items = text.createEnumeration()
    while True:
        try:
            yield items.nextElement()
        except NoSuchElementException:
            return


def _blocks(text: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in _items(text):
        kind = item.getImplementationName()
        if kind == "SwXTextTable":
            rows = []
            for row in range(item.getRows().getCount()):
                cells = []
                for col in range(item.getColumns().getCount()):
                    cell = item.getCellByPosition(col, row)
                    cells.append(_blocks(cell.getText()) if cell is not None else None)
                rows.append(cells)
            out.append({"table": rows})
        elif kind == "SwXParagraph":
            out.append(_paragraph(item))
        else:
            raise ValueError(f"a text holds {kind}, neither a paragraph nor a table")
    return out


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
            for job in jobs:
                url = Path(job["path"]).resolve().as_uri()
                doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
                try:
                    action = ACTIONS.get(job["action"])
                    if action is not None:
                        frame = doc.getCurrentController().getFrame()
                        dispatcher.executeDispatch(frame, action, "", 0, ())
                    results.append(
                        {
                            "blocks": _blocks(doc.getText()),
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
