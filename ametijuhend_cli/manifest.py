"""The build manifest: content hashes of each position's inputs and outputs.

It lives in the output folder (``.ametijuhend-manifest.json``) and lets a build
skip every position whose inputs (its file, the library entries it uses, the
organization, the templates and the tool's version) and outputs are as they
were, without parsing or rendering anything.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = ".ametijuhend-manifest.json"
_FORMAT = 1


def digest(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``, shortened: enough to tell versions apart."""
    return hashlib.sha256(data).hexdigest()[:32]


def value_digest(value: Any) -> str:
    """Return the digest of a YAML value, independent of key order and layout."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return digest(text.encode("utf-8"))


def inputs_digest(shared: str, source: str, deps: dict[str, str]) -> str:
    """Return one digest over a position's shared inputs, its file and its library entries."""
    parts = [shared, source] + [f"{key}={value}" for key, value in sorted(deps.items())]
    return digest("\n".join(parts).encode("utf-8"))


@dataclass
class Entry:
    """What the manifest remembers of one position."""

    inputs: str
    deps: list[str]
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    """The manifest of one output folder."""

    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Return the manifest in ``folder`` (empty when missing or unreadable)."""
        try:
            raw = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
            if raw.get("format") != _FORMAT:
                return cls()
            return cls(
                {
                    pid: Entry(e["inputs"], list(e["deps"]), dict(e["outputs"]))
                    for pid, e in raw["positions"].items()
                }
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # a damaged manifest only costs a full rebuild
            return cls()

    def dumps(self) -> bytes:
        """Return the manifest as stable JSON."""
        positions = {
            pid: {
                "inputs": e.inputs,
                "deps": sorted(e.deps),
                "outputs": dict(sorted(e.outputs.items())),
            }
            for pid, e in sorted(self.entries.items())
        }
        text = json.dumps({"format": _FORMAT, "positions": positions}, indent=1, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
