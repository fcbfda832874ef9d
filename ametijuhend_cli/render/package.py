"""Read and write OOXML packages (zip files) deterministically."""

from __future__ import annotations

import io
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: The zip format cannot store dates before 1980; every entry gets this one so
#: that two builds of the same sources are byte-identical.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)

# Readers look for these first; the rest follow in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def entry_order(names: list[str]) -> list[str]:
    """Return package part names in a stable order, the content types first."""
    head = [n for n in _FIRST if n in names]
    return head + sorted(n for n in names if n not in _FIRST)


def write_package(parts: dict[str, bytes]) -> bytes:
    """Return a zip holding ``parts`` with fixed dates, attributes and order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in entry_order(list(parts)):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, parts[name], compresslevel=6)
    return buffer.getvalue()


def read_package(data: bytes) -> dict[str, bytes]:
    """Return the parts of a zip package by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}
