"""Benchmark: import of oversized documents, which must be linear and refused early.

Run: .venv/bin/python benchmarks/import_scale.py [--scale 1.0]

Each case is one `ametijuhend import` process on a generated file, timed
(wall seconds) with its exit code; every case must end with a located error
(exit 1), quickly. The sizes are those of issue 13 (at --scale 1):

- paragraphs: a DOCX whose task 3.1 goes on for 200,000 paragraphs;
- row: a DOCX with a table row of 20,000 cells;
- continued: a text file whose task 3.1 goes on for 8,000 lines (one paragraph
  of 150,000 characters, far over the limit of 10,000);
- text: 50 MB of text.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "tests" / "reference" / "teenusejuht-kov.txt"


def _lines_with_task_continued(n: int) -> list[str]:
    lines = REFERENCE.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("3.1"))
    return lines[: at + 1] + [f"jätkub sõnaga {k}" for k in range(n)] + lines[at + 1 :]


def _docx(path: Path, paragraphs: list[str], row: int = 0) -> None:
    """Write a DOCX of ``paragraphs`` (and a table row of ``row`` cells), XML written directly."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)  # a valid package with styles; its body is replaced
    body = "".join(f"<w:p><w:r><w:t>{escape(t)}</w:t></w:r></w:p>" for t in paragraphs)
    if row:
        cells = "<w:tc><w:p><w:r><w:t>lahter</w:t></w:r></w:p></w:tc>" * row
        body += f"<w:tbl><w:tr>{cells}</w:tr></w:tbl>"
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for name in source.namelist():
            data = source.read(name)
            out.writestr(name, xml.encode("utf-8") if name == "word/document.xml" else data)


def cases(folder: Path, scale: float) -> dict[str, Path]:
    """Write the oversized inputs into ``folder``; return them by name."""
    out = {}
    out["paragraphs"] = folder / "paragraphs.docx"
    _docx(out["paragraphs"], _lines_with_task_continued(int(200_000 * scale)))
    out["row"] = folder / "row.docx"
    _docx(out["row"], REFERENCE.read_text(encoding="utf-8").split("\n"), int(20_000 * scale))
    out["continued"] = folder / "continued.txt"
    out["continued"].write_text(
        "\n".join(_lines_with_task_continued(int(8_000 * scale))), encoding="utf-8"
    )
    out["text"] = folder / "text.txt"
    line = "Teenistuja täidab talle pandud ülesandeid korrektselt ja õigeaegselt. " * 10 + "\n"
    with out["text"].open("w", encoding="utf-8") as fh:
        fh.write(line * int(50_000_000 * scale / len(line.encode())))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "data", root / "data")
        inputs = cases(root, args.scale)
        env = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", str(REPO)))
        for name, path in inputs.items():
            start = time.perf_counter()
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "ametijuhend_cli", "import", str(path), "--to", "o"],
                    cwd=root,
                    capture_output=True,
                    text=True,
                    timeout=args.timeout,
                    env=env,
                )
                code, first = done.returncode, (done.stderr.splitlines() or [""])[0]
            except subprocess.TimeoutExpired:
                code, first = None, f"did not finish in {args.timeout:.0f} s"
            seconds = time.perf_counter() - start
            size = path.stat().st_size
            print(f"{name:11} {size / 1e6:7.1f} MB {seconds:8.2f} s  exit {code}  {first[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
