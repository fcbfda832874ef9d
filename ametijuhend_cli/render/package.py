"""Read and write OOXML packages (zip files) deterministically."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from ametijuhend_cli.sources import ooxml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Readers look for these first; the rest follow in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")

# Every entry is dated 1980-01-01 00:00 (the zip format's epoch, in MS-DOS
# form) so that two builds of the same sources are byte-identical.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_VERSION = 20  # 2.0: deflate
_MADE_BY = (3 << 8) | _VERSION  # Unix, so the permissions below are read
_MODE = (0o100644 << 16) & 0xFFFFFFFF


@dataclass(frozen=True)
class _Entry:
    crc: int
    size: int
    data: bytes  # deflated


def _deflate(data: bytes) -> _Entry:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return _Entry(zlib.crc32(data), len(data), packed)


def entry_order(names: list[str]) -> list[str]:
    """Return package part names in a stable order, the content types first."""
    head = [n for n in _FIRST if n in names]
    return head + sorted(n for n in names if n not in _FIRST)


class PackageWriter:
    """Write zip packages whose static parts are compressed once, not per document."""

    def __init__(self, static: dict[str, bytes]):
        self._static = {name: _deflate(data) for name, data in static.items()}

    def write(self, parts: dict[str, bytes]) -> bytes:
        """Return the zip of the static parts plus ``parts`` (which win on equal names)."""
        entries = dict(self._static)
        for name, data in parts.items():
            entries[name] = _deflate(data)
        out = bytearray()
        central = bytearray()
        names = entry_order(list(entries))
        for name in names:
            entry = entries[name]
            encoded = name.encode("ascii")
            offset = len(out)
            fields = (_DOS_TIME, _DOS_DATE, entry.crc, len(entry.data), entry.size)
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, 0, 8, *fields, len(encoded), 0)
            out += encoded
            out += entry.data
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                _MADE_BY,
                _VERSION,
                0,
                8,
                *fields,
                len(encoded),
                0,
                0,
                0,
                0,
                _MODE,
                offset,
            )
            central += encoded
        start = len(out)
        out += central
        out += struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(names), len(names), len(central), start, 0
        )
        return bytes(out)


def write_package(parts: dict[str, bytes]) -> bytes:
    """Return a zip holding ``parts`` with fixed dates, attributes and order."""
    return PackageWriter({}).write(parts)


def read_package(data: bytes) -> dict[str, bytes]:
    """Return the parts of a zip package by name; raise PackageError for a hostile one."""
    return ooxml.read_package(data)
