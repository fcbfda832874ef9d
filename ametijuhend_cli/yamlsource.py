"""YAML loading that keeps the line and column of every node."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem

try:  # the C parser is several times faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

#: The fastest safe loader available, for quick reads that need no positions.
FAST_LOADER = _Loader

Loc = tuple[str | int, ...]

#: Nesting deeper than this is no job description; refuse it before Python's
#: recursion limit turns it into a crash.
MAX_DEPTH = 40
#: A bound on constructed nodes, so that alias chains ("billion laughs")
#: are refused quickly instead of expanding in memory.
MAX_NODES = 200_000


@dataclass
class SourceMap:
    """Line and column (1-based) of each value and each mapping key of a file."""

    path: str
    # the parser's marks (0-based), turned into lines and columns only when asked
    values: dict[Loc, Any] = field(default_factory=dict)
    keys: dict[Loc, Any] = field(default_factory=dict)

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        """Return the position of ``loc`` or of its nearest known ancestor."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return _position(self.keys[loc])
        while True:
            if loc in self.values:
                return _position(self.values[loc])
            if not loc:
                return (None, None)
            loc = loc[:-1]

    def problem(
        self, loc: Loc, message: str, *, hint: str = "", key: bool = False, severity: str = "error"
    ) -> Problem:
        """Return a problem located at ``loc`` in this file."""
        line, col = self.locate(loc, key=key)
        return Problem(self.path, line, col, format_loc(loc), message, hint, severity)


def format_loc(loc: Loc) -> str:
    """Return ``tasks[2].results`` for ``("tasks", 2, "results")``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _position(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return _position(node.start_mark)


_STR_TAG = "tag:yaml.org,2002:str"


class _Builder:
    """Turn a composed YAML node tree into plain Python values and a SourceMap."""

    def __init__(self, loader: Any, smap: SourceMap):
        self.loader = loader
        self.smap = smap
        self.count = 0
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(
                node,
                "the file expands to too many values (anchors and aliases repeated too often?)",
            )
        if depth > MAX_DEPTH:
            raise _TooBig(node, f"values are nested more than {MAX_DEPTH} levels deep")
        self.smap.values.setdefault(loc, node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:  # most values: skip the constructor machinery
            return node.value
        try:
            value = self.loader.construct_object(node, deep=True)
        except ValueError as exc:  # e.g. 2024-02-30 looks like a date but is none
            self.problems.append(
                self.smap.problem(
                    loc,
                    f"'{node.value}' is not a valid value ({exc})",
                    hint="write dates as YYYY-MM-DD; quote the value if it is meant as text",
                )
            )
            return None
        if isinstance(value, (bytes, bytearray)):
            self.problems.append(self.smap.problem(loc, "binary values are not supported"))
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
        result: dict[str, Any] = {}
        seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                self.problems.append(
                    Problem(
                        self.smap.path,
                        line,
                        col,
                        format_loc(loc),
                        "a key must be a plain name, not a list or mapping",
                    )
                )
                continue
            key = str(key_node.value)  # keys are names: keep '2024' or 'yes' as written
            if key in seen:
                line, col = _mark(key_node)
                first = seen[key]
                self.problems.append(
                    Problem(
                        self.smap.path,
                        line,
                        col,
                        format_loc(loc + (key,)),
                        f"duplicate key '{key}' (first defined at line {first[0]})",
                        "each key may appear once in a mapping; merge the two entries",
                    )
                )
                continue
            seen[key] = _mark(key_node)
            self.smap.keys[loc + (key,)] = key_node.start_mark
            result[key] = self.build(value_node, loc + (key,), depth + 1)
        return result


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str):
        self.node = node
        self.message = message


def _decode(data: bytes, display: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise DataError(
            [
                Problem(
                    display,
                    line,
                    col,
                    "",
                    f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02X} cannot be decoded)",
                    "save the file with UTF-8 encoding (in Notepad: Save as → Encoding: UTF-8)",
                )
            ]
        ) from None
    return text


_SYNTAX_HINTS = {
    "mapping values are not allowed here": "a value containing ': ' must be quoted, "
    "or a line is indented wrongly",
    "could not find expected ':'": "each line of a mapping needs 'key: value'; "
    "check the indentation and quotes",
    "found unexpected end of stream": "a quote or bracket is not closed",
}


def _syntax_problem(exc: yaml.YAMLError, display: str, text: str = "") -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return Problem(
            display,
            line,
            col,
            "",
            "YAML syntax error: a tab character is used for indentation",
            "indent with spaces; YAML does not allow tabs there",
        )
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context})"
    hint = next((h for k, h in _SYNTAX_HINTS.items() if k in str(exc)), "")
    return Problem(display, line, col, "", message, hint)


def load_text(text: str, display: str) -> tuple[Any, SourceMap]:
    """Return the value of one YAML document and its source map; raise DataError."""
    smap = SourceMap(display)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise DataError(
                [
                    Problem(
                        display,
                        None,
                        None,
                        "",
                        f"values are nested more than {MAX_DEPTH} levels deep",
                    )
                ]
            ) from None
        except yaml.YAMLError as exc:
            raise DataError([_syntax_problem(exc, display, text)]) from None
        if node is None:
            return None, smap
        builder = _Builder(loader, smap)
        try:
            value = builder.build(node, (), 0)
        except _TooBig as exc:
            line, col = _mark(exc.node)
            raise DataError(
                [
                    Problem(
                        display,
                        line,
                        col,
                        "",
                        exc.message,
                        "a job description needs no deep nesting or repeated "
                        "aliases; write the values out",
                    )
                ]
            ) from None
        except yaml.YAMLError as exc:  # e.g. an invalid timestamp or an unknown tag
            raise DataError([_syntax_problem(exc, display, text)]) from None
        if builder.problems:
            raise DataError(builder.problems)
        return value, smap
    finally:
        loader.dispose()


def load_file(path: Path, display: str) -> tuple[Any, SourceMap]:
    """Return the value of the YAML file at ``path`` and its source map."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem = Problem(display, None, None, "", f"cannot read the file: {exc.strerror}")
        raise DataError([problem]) from None
    return load_text(_decode(data, display), display)
