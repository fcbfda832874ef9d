"""Write an imported position as readable YAML: the fields in a fixed order, long texts folded."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import yaml

#: Longest line a value is written on; longer texts are folded (``>-``) …
WIDTH = 100
#: … into lines of at most this many columns.
FOLD = 80


class Flow(list[Any]):
    """A list written on one line, ``[a, b]``, when it fits."""


class FlowMap(dict[str, Any]):
    """A mapping written on one line, ``{ref: x, variant: y}``, when it fits."""


def scalar(value: Any, *, flow: bool = False) -> str:
    """Return ``value`` as a YAML scalar, quoted only where YAML needs it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value)
    dumped = yaml.safe_dump(
        [str(value)], allow_unicode=True, width=10**9, default_flow_style=flow
    ).strip()
    return dumped[1:-1] if flow else dumped[2:]


def _inline(value: Any, *, flow: bool = False) -> str | None:
    """Return ``value`` written on one line, or None when it is written as a block."""
    if isinstance(value, FlowMap):
        return "{" + ", ".join(f"{k}: {_inline(v, flow=True)}" for k, v in value.items()) + "}"
    if isinstance(value, Flow):
        return "[" + ", ".join(str(_inline(v, flow=True)) for v in value) + "]"
    if isinstance(value, (dict, list)):
        return None
    return scalar(value, flow=flow)


def _fold(text: str, indent: int) -> list[str]:
    width = max(FOLD - indent, 30)
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return [" " * indent + line for line in lines]


def _value(head: str, value: Any, indent: int) -> list[str]:
    """Return the lines of a value after ``head`` (``key:`` or ``-``); nested at ``indent``."""
    inline = _inline(value)
    if inline is not None and len(head) + 1 + len(inline) <= WIDTH:
        return [f"{head} {inline}"]
    if isinstance(value, str):
        return [f"{head} >-", *_fold(value, indent)]
    plain: Any = dict(value) if isinstance(value, dict) else list(value)
    lines = _block(plain, indent)
    if head.endswith("-") and isinstance(plain, dict):  # "- key: …" on the dash's line
        return [f"{head} {lines[0].lstrip()}", *lines[1:]]
    return [head, *lines]


def _block(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            lines += _value(f"{pad}{key}:", item, indent + 2)
    else:
        for item in value:
            lines += _value(f"{pad}-", item, indent + 2)
    return lines


def dump(data: dict[str, Any], comments: list[str]) -> str:
    """Return the YAML text of ``data`` (keys in the given order) under comment lines."""
    head = [f"# {line}" if line else "#" for line in comments]
    return "\n".join([*head, *_block(data, 0)]) + "\n"
