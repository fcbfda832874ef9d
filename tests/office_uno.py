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

ACTIONS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def _prop(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _paragraph(para: Any) -> dict[str, Any]:
    numbered = bool(para.getPropertyValue("NumberingIsNumber"))
    return {
        "p": para.getString(),
        "style": para.getPropertyValue("ParaStyleName"),
        "list": para.getPropertyValue("NumberingLevel") if numbered else None,
        "label": para.getPropertyValue("ListLabelString") if numbered else "",
    }


def _blocks(text: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    items = text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.TextTable"):
            rows = []
            for row in range(item.getRows().getCount()):
                cells = []
                for col in range(item.getColumns().getCount()):
                    cell = item.getCellByPosition(col, row)
                    cells.append(_blocks(cell.getText()) if cell is not None else None)
                rows.append(cells)
            out.append({"table": rows})
        elif item.supportsService("com.sun.star.text.Paragraph"):
            out.append(_paragraph(item))
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
