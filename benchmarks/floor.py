"""The floor of a DOCX build: what the least a renderer of these documents must do costs.

Usage: python benchmarks/floor.py PROJECT OUT

Reads every position of PROJECT/data/positions with libyaml (no validation,
no source positions kept), looks its library references up in
PROJECT/data/library, renders a WordprocessingML body with one Jinja
template (title, purpose, the tasks table, the lists, competencies) and
writes each document as a zip whose static parts (styles, numbering,
settings, footer … of templates/reference.docx) were compressed once. No
Markdown, no checks, no manifest, plain writes: a cold build of ametijuhend
is compared with it in the same rounds (benchmarks/run.py --only floor).

Prints the cost per document in this process, with the reading and parsing
of the position files and without it (all files are parsed first, then
rendered and written, and the two phases are timed apart).
"""

from __future__ import annotations

import os
import struct
import sys
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jinja2
import yaml

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

BODY = jinja2.Template(
    """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{{ w }}"><w:body>
<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>{{ p.title | e }}</w:t></w:r></w:p>
<w:p><w:r><w:t>{{ p.purpose | e }}</w:t></w:r></w:p>
<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr>
{%- for task in p.tasks %}
<w:tr><w:tc><w:p><w:r><w:t>{{ loop.index }}. {{ task.text | e }}</w:t></w:r></w:p></w:tc>
<w:tc>{% for r in task.results %}<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>
<w:r><w:t>{{ r | e }}</w:t></w:r></w:p>{% endfor %}</w:tc></w:tr>
{%- endfor %}</w:tbl>
{%- for heading, items in lists %}
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{{ heading }}</w:t></w:r></w:p>
{%- for item in items %}
<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t>{{ item | e }}</w:t></w:r></w:p>
{%- endfor %}{% endfor %}
</w:body></w:document>"""
)


def _text(library: dict[str, dict[str, Any]], kind: str, item: Any) -> str:
    """Return the text of a library reference or an inline text."""
    if isinstance(item, dict):
        ref = item.get("ref")
        entry = library.get(kind, {}).get(ref, item.get("text", ""))
        return str(entry.get("text", "") if isinstance(entry, dict) else entry)
    return str(library.get(kind, {}).get(item, item))


def _lists(p: dict[str, Any], library: dict[str, dict[str, Any]]) -> list[tuple[str, list[str]]]:
    out = []
    for kind in ("rights", "responsibilities", "work_tools", "computer_skills", "competencies"):
        items = p.get(kind) or []
        if isinstance(items, list):
            out.append((kind, [_text(library, kind, i) for i in items]))
    return out


class Zip:
    """A zip writer whose static members were deflated once."""

    def __init__(self, parts: dict[str, bytes]):
        self.static = [(name.encode(), *self._deflate(data)) for name, data in parts.items()]

    @staticmethod
    def _deflate(data: bytes) -> tuple[bytes, int, int]:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)

    def write(self, path: Path, body: bytes) -> None:
        members = [*self.static, (b"word/document.xml", *self._deflate(body))]
        out, central = bytearray(), bytearray()
        for name, packed, crc, size in members:
            offset = len(out)
            out += struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(packed), size, len(name), 0
            )
            out += name + packed
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(packed),
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            central += name
        end = struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
        )
        path.write_bytes(bytes(out + central + end))


def main() -> None:
    project, out = Path(sys.argv[1]), Path(sys.argv[2])
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    library = {
        f.stem: yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader) or {}
        for f in sorted((project / "data" / "library").glob("*.yaml"))
    }
    with zipfile.ZipFile(ROOT / "templates" / "reference.docx") as reference:
        parts = {n: reference.read(n) for n in reference.namelist() if n != "word/document.xml"}
    writer = Zip(parts)
    files = sorted(os.scandir(project / "data" / "positions"), key=lambda e: e.name)
    setup = time.perf_counter()
    # read and parse every position first, then render and write them: the
    # two costs are timed apart (the floor was the second alone)
    positions = [
        (entry.name, yaml.load(Path(entry.path).read_bytes(), Loader=yaml.CSafeLoader))
        for entry in files
    ]
    parsed = time.perf_counter()
    for name, p in positions:
        body = BODY.render(w=W, p=p, lists=_lists(p, library))
        writer.write(out / (name.rsplit(".", 1)[0] + ".docx"), body.encode())
    done = time.perf_counter()
    n = max(len(files), 1)
    # one line a benchmark reads: documents, then ms per document with the
    # YAML reading, without it, and the set-up (imports not included)
    print(
        f"{len(files)} documents, "
        f"{(done - setup) / n * 1000:.3f} ms each with the YAML read, "
        f"{(done - parsed) / n * 1000:.3f} ms without it (in-process; "
        f"set-up {(setup - start) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
