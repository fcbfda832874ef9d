"""Content hashes: of bytes, of files and of YAML values, independent of layout."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def digest(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``, shortened: enough to tell versions apart."""
    return hashlib.sha256(data).hexdigest()[:32]


def value_digest(value: Any) -> str:
    """Return the digest of a YAML value, independent of key order and layout."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return digest(text.encode("utf-8"))


def inputs_digest(shared: str, source: str, deps: list[str]) -> str:
    """Return one digest over a position's shared inputs, its file and its library entries.

    ``deps`` are ``"<kind/id>=<digest>"`` of each entry (or position named), sorted.
    """
    return digest("\n".join([shared, source, *deps]).encode("utf-8"))
