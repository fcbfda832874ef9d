"""YAML loading that can tell the line and column of every node."""

from __future__ import annotations

import marshal
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ametijuhend_cli.errors import DataError, Message, Problem, Severity, msg
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.sources.decode import ODD_BREAKS, character_problems, decode
from ametijuhend_cli.sources.files import read_project_file
from ametijuhend_cli.sources.yamlfast import (
    LOADER,
    MAX_DEPTH,
    MAX_NODES,
    REFUSED,
    TOO_BIG,
    compose,
    fast_read,
    marks_along,
)
from ametijuhend_cli.sources.yamlhints import ODD_SPACES, explain, odd_space_problem
from ametijuhend_cli.sources.yamlwords import yaml_words

#: The fastest safe loader available, for quick reads that need no positions.
FAST_LOADER = LOADER
_Loader = LOADER


class _EventLoader(yaml.SafeLoader):
    """PyYAML's pure-Python loader, linear where its scanner is quadratic in the open brackets.

    The scanner keeps one possible simple key per open flow level and, for
    every token, looks through all of them twice (for the nearest and for
    those gone stale): a line of thousands of ``[`` costs seconds. The keys
    are kept in the order they were saved, which is the order of their
    levels, tokens and positions (a key is saved only on the innermost level
    open, the keys of deeper levels being removed when those close), so the
    nearest is the first and the stale ones are a run from the first. The
    same tokens, errors and marks as PyYAML's (tests/test_yaml_scanner.py).
    """

    def next_possible_simple_key(self) -> int | None:
        for key in self.possible_simple_keys.values():
            return int(key.token_number)
        return None

    def stale_possible_simple_keys(self) -> None:
        keys = self.possible_simple_keys
        while keys:
            level = next(iter(keys))
            key = keys[level]
            if key.line == self.line and self.index - key.index <= 1024:
                return
            if key.required:
                raise yaml.scanner.ScannerError(
                    "while scanning a simple key",
                    key.mark,
                    "could not find expected ':'",
                    self.get_mark(),
                )
            del keys[level]


Loc = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Line and column (1-based) of each value and each mapping key of a file.

    A file read without problems keeps only its text (``text``): a position is
    found on its node tree, composed again when a problem first needs one.
    """

    path: str
    # the parser's marks (0-based), turned into lines and columns only when asked
    values: dict[Loc, Any] = field(default_factory=dict)
    keys: dict[Loc, Any] = field(default_factory=dict)
    #: values and keys packed (see pack), to cross a process boundary cheaply
    packed: bytes | None = None
    #: the text of a file read by the fast path, composed again on first use
    text: str | None = None
    #: its node tree (from the fast path, or composed again after pack)
    _node: Any = field(default=None, repr=False, compare=False)

    def pack(self) -> None:
        """Store the positions as one compact blob, unpacked when a problem needs one."""
        if self.text is not None:  # the text is smaller than its positions
            self._node = None
            return
        table = (
            {loc: (m.line, m.column) for loc, m in self.values.items()},
            {loc: (m.line, m.column) for loc, m in self.keys.items()},
        )
        self.packed = marshal.dumps(table)
        self.values, self.keys = {}, {}

    def _unpack(self) -> None:
        if self.packed is not None:
            values, keys = marshal.loads(self.packed)
            self.values, self.keys, self.packed = values, keys, None

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        """Return the position of ``loc`` or of its nearest known ancestor."""
        loc = tuple(loc)
        if self.text is not None:
            # a file the fast path read: walk down to ``loc`` alone, on the node tree
            # (a fraction of a careful parse; the same marks, see marks_along)
            if self._node is None:  # dropped by pack (it crossed a process boundary)
                self._node = compose(self.text)
            values, key_mark = marks_along(self._node, loc)
            if key and key_mark is not None and len(values) == len(loc) + 1:
                return _position(key_mark)
            return _position(values[-1]) if values else (None, None)
        self._unpack()
        if key and loc in self.keys:
            return _position(self.keys[loc])
        while True:
            if loc in self.values:
                return _position(self.values[loc])
            if not loc:
                return (None, None)
            loc = loc[:-1]

    def problem(
        self,
        loc: Loc,
        message: Message,
        *,
        hint: Message | None = None,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        """Return a problem located at ``loc`` in this file."""
        line, col = self.locate(loc, key=key)
        return Problem(
            path=self.path,
            line=line,
            column=col,
            field=format_loc(loc),
            message=message,
            hint=hint,
            severity=severity,
        )


def format_loc(loc: Loc) -> str:
    """Return ``tasks[2].results`` for ``("tasks", 2, "results")``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:  # a key read from the file: escaped and short
            out += ("." if out else "") + excerpt(str(part))[1:-1]
    return out


def _position(mark: Any) -> tuple[int, int]:
    if isinstance(mark, tuple):  # unpacked (line, column)
        return (mark[0] + 1, mark[1] + 1)
    return (mark.line + 1, mark.column + 1)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return _position(node.start_mark)


_STR_TAG = "tag:yaml.org,2002:str"


_PLAIN = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_TAG_HINT = msg("a text that starts with '!' must be in quotes; tags are not used in these files")


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
            raise _TooBig(node, _expands(anchors=False))
        if depth > MAX_DEPTH:
            raise _TooBig(node, _nested())
        self.smap.values.setdefault(loc, node.start_mark)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN:
            # a tag on a list or mapping would otherwise pass unnoticed
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                self.smap.problem(
                    loc, msg("unknown YAML tag {tag}", tag=excerpt(tag)), hint=_TAG_HINT
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:  # most values: skip the constructor machinery
            return node.value
        try:
            value = self.loader.construct_object(node, deep=True)
        except ValueError as exc:  # e.g. 2024-02-30 looks like a date but is none
            what = "date" if node.tag.endswith(":timestamp") else "value"
            self.problems.append(
                self.smap.problem(
                    loc,
                    msg(
                        "{value} is not a valid {what} ({exc})",
                        value=excerpt(str(node.value)),
                        what=what,
                        exc=str(exc),
                    ),
                    hint=msg("write dates as YYYY-MM-DD; quote the value if it is meant as text"),
                )
            )
            return None
        if isinstance(value, (bytes, bytearray)):
            self.problems.append(self.smap.problem(loc, msg("binary values are not supported")))
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
        result: dict[str, Any] = {}
        seen: dict[str, tuple[int, int]] = {}
        new_item = False  # a key repeated the item's first key: a '- ' is missing
        for key_node, value_node in node.value:
            if depth + 1 > MAX_DEPTH:  # keys count as a level, as in the event scan
                raise _TooBig(key_node, _nested())
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                self.problems.append(
                    Problem(
                        path=self.smap.path,
                        line=line,
                        column=col,
                        field=format_loc(loc),
                        message=msg("a key must be a plain name, not a list or mapping"),
                        hint=msg("a text that starts with '[' or '{{' must be in quotes"),
                    )
                )
                continue
            key = str(key_node.value)  # keys are names: keep '2024' or 'yes' as written
            if key[:1] in ODD_SPACES:
                line, col = _mark(key_node)
                self.problems.append(
                    odd_space_problem(key, self.smap.path, line, col, format_loc(loc))
                )
                continue
            if key in seen:
                if new_item:  # the keys after a missing '- ' belong to the item it misses
                    continue
                new_item = bool(loc) and isinstance(loc[-1], int) and key == next(iter(seen))
                self.problems.append(self._duplicate(key, key_node, seen, loc, new_item))
                continue
            seen[key] = _mark(key_node)
            self.smap.keys[loc + (key,)] = key_node.start_mark
            result[key] = self.build(value_node, loc + (key,), depth + 1)
        return result

    def _duplicate(
        self, key: str, key_node: yaml.Node, seen: dict[str, tuple[int, int]], loc: Loc, item: bool
    ) -> Problem:
        """Return the problem of a key given twice; ``item``: it repeats the first key of
        a list item, which is a new item without its '- '."""
        line, col = _mark(key_node)
        first = seen[key]
        if item:
            return Problem(
                path=self.smap.path,
                line=line,
                column=col,
                field=format_loc(loc),
                message=msg(
                    "{key} appears a second time in the same list item (first at line "
                    "{first}): the '- ' that starts a new item is missing",
                    key=excerpt(key),
                    first=first[0],
                ),
                hint=msg(
                    "write '- {key}:' at line {line}, with the '-' under the '-' of line {first}",
                    key=key,
                    line=line,
                    first=first[0],
                ),
            )
        return Problem(
            path=self.smap.path,
            line=line,
            column=col,
            field=format_loc(loc + (key,)),
            message=msg(
                "duplicate key {key} (first defined at line {first})",
                key=excerpt(key),
                first=first[0],
            ),
            hint=msg("each key may appear once in a mapping; merge the two entries"),
        )


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: Message):
        self.node = node
        self.message = message


_SYNTAX_HINTS = {
    "mapping values are not allowed": msg(
        "a text containing ': ' must be in quotes, or a line is indented wrongly"
    ),
    "scanning an alias": msg("a text that starts with '*' or '&' must be in quotes"),
    "scanning an anchor": msg("a text that starts with '*' or '&' must be in quotes"),
    "scanning a tag": msg("a text that starts with '!' must be in quotes"),
    "could not find expected ':'": msg(
        "each line of a mapping needs 'key: value'; check the indentation and quotes"
    ),
    "found unexpected end of stream": msg("a quote or bracket is not closed"),
    "found undefined alias": msg("a text that starts with '*' or '&' must be in quotes"),
    "that cannot start any token": msg("a text that starts with '@', '`' or '%' must be in quotes"),
    "expected a single document": msg(
        "'---' starts a second document; remove it (one position per file)"
    ),
}


def _syntax_problem(
    exc: yaml.YAMLError, display: str, text: str = "", original: str | None = None
) -> Problem:
    explained = explain(exc, display, text, text if original is None else original)
    if explained is not None:
        return explained
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return Problem(
            path=display,
            line=line,
            column=col,
            message=msg("YAML syntax error: a tab character is used for indentation"),
            hint=msg("indent with spaces; YAML does not allow tabs there"),
        )
    bom = text.find("\ufeff", 1)  # a mark inside the file, not the one that may open it
    if bom != -1 and (mark is None or bom <= mark.index):
        # YAML takes it for the start of a new stream: its own message names something else
        word = re.match(r"[^\s:\ufeff]*", text[bom + 1 :])
        message = msg("a byte-order mark (U+FEFF, an invisible character) stands inside the file")
        if word and word.group(0):
            message = msg(
                "a byte-order mark (U+FEFF, an invisible character) stands inside the file "
                "before {word}",
                word=excerpt(word.group(0)),
            )
        return Problem(
            path=display,
            line=text.count("\n", 0, bom) + 1,
            column=bom - text.rfind("\n", 0, bom),
            message=message,
            hint=msg(
                "delete it (it often comes with text pasted from a file saved as "
                "'UTF-8 with BOM'); retype the start of the line if you cannot see it"
            ),
        )
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    start = getattr(exc, "context_mark", None)
    if context == "while scanning a quoted scalar" and start is not None:
        # the end of the file is no help: point at the quote that is not closed
        return Problem(
            path=display,
            line=start.line + 1,
            column=start.column + 1,
            message=msg("YAML syntax error: the quoted text that starts here is not closed"),
            hint=msg("add the closing quote; inside '…' write a ' as '', inside \"…\" write \\\""),
        )
    if context in ("while parsing a flow sequence", "while parsing a flow mapping") and start:
        bracket = "[" if "sequence" in context else "{"
        return Problem(
            path=display,
            line=line,
            column=col,
            message=msg(
                "YAML syntax error: {problem} ({context})",
                problem=yaml_words(problem),
                context=yaml_words(context),
            ),
            hint=msg(
                "the '{bracket}' at line {line}, column {column} is not closed, "
                "or a text in it contains ',' or ': ' and must be in quotes",
                bracket=bracket,
                line=start.line + 1,
                column=start.column + 1,
            ),
        )
    if problem.startswith("could not determine a constructor for the tag"):
        tag = problem.split("'")[1].replace("tag:yaml.org,2002:", "!!")
        return Problem(
            path=display,
            line=line,
            column=col,
            message=msg("unknown YAML tag {tag}", tag=excerpt(tag)),
            hint=_TAG_HINT,
        )
    message = (
        msg(
            "YAML syntax error: {problem} ({context})",
            problem=yaml_words(problem),
            context=yaml_words(context),
        )
        if context
        else msg("YAML syntax error: {problem}", problem=yaml_words(problem))
    )
    hint = next((h for k, h in _SYNTAX_HINTS.items() if k in str(exc)), None)
    return Problem(path=display, line=line, column=col, message=message, hint=hint)


_TOO_BIG_HINT = msg(
    "a job description needs no deep nesting or repeated aliases; write the values out"
)


def _nested() -> Message:
    return msg("values are nested more than {depth} levels deep", depth=MAX_DEPTH)


def _expands(*, anchors: bool) -> Message:
    if anchors:
        return msg(
            "the file expands to more than {count} values (anchors and aliases repeated too "
            "often?)",
            count=MAX_NODES,
        )
    return msg("the file expands to more than {count} values", count=MAX_NODES)


def _may_be_hostile(text: str) -> bool:
    """Return False when ``text`` can neither nest deeply nor expand aliases.

    The event scan below costs as much as parsing again; a file with no anchor
    and few brackets or deep indents cannot hold what it looks for.
    """
    if "&" in text or text.count("[") + text.count("{") > _SCAN_BRACKETS:
        return True
    return any(len(line) - len(line.lstrip(" -?:")) > _SCAN_INDENT for line in text.splitlines())


#: Below these, nesting cannot exceed MAX_DEPTH by much and the builder's own
#: depth check reports it; above them the recursive composer could crash.
_SCAN_BRACKETS = 200
_SCAN_INDENT = 200


def _shape_problem(text: str, display: str, loader: type = _Loader) -> Problem | None:
    """Return a problem if the document nests too deeply or expands to too many values.

    Runs over the parser's events, which needs neither recursion nor the
    expanded document, so a million nested brackets or an alias bomb are
    refused at once instead of crashing the (recursive) composer or filling
    memory. A syntax error is left to the composer, which reports it.

    Some builds of libyaml refuse deep flow nesting themselves, with their own
    wording and before the event that crosses our limit: when the C parser
    fails, the events are scanned again by the pure-Python parser (no limit of
    its own, no recursion; made linear by _EventLoader), so the tool's own
    located message is the same whichever libyaml is underneath.
    """
    try:
        return _scan_shape(text, display, loader)
    except yaml.YAMLError:
        if loader in (yaml.SafeLoader, _EventLoader):
            return None
    try:
        return _scan_shape(text, display, _EventLoader)
    except yaml.YAMLError:
        return None


def _scan_shape(text: str, display: str, loader: type) -> Problem | None:
    """Return the first nesting or expansion problem in the events; raise YAMLError."""
    # anchor -> (values it expands to, levels below it)
    anchors: dict[str, tuple[int, int]] = {}
    # open collections: [anchor, values before it, its level, deepest level inside]
    stack: list[list[Any]] = []
    total = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, before, level, deepest = stack.pop()
            if anchor is not None:
                anchors[anchor] = (total - before, deepest - level)
            if stack:
                stack[-1][3] = max(stack[-1][3], deepest)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        level = len(stack)
        size, below = (
            anchors.get(event.anchor or "", (1, 0))
            if isinstance(event, yaml.AliasEvent)
            else (1, 0)
        )
        message = None
        if level + below > MAX_DEPTH:
            message = _nested()
        elif total + size > MAX_NODES:
            message = _expands(anchors=bool(anchors))
        if message is not None:
            line, col = (m.line + 1, m.column + 1) if (m := event.start_mark) else (None, None)
            return Problem(path=display, line=line, column=col, message=message, hint=_TOO_BIG_HINT)
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append([event.anchor, total, level, level])
        else:
            if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
                anchors[event.anchor] = (1, 0)
            if stack:
                stack[-1][3] = max(stack[-1][3], level + below)
        total += size
    return None


def load_text(text: str, display: str) -> tuple[Any, SourceMap]:
    """Return the value of one YAML document and its source map; raise DataError.

    The usual file (no anchor, nothing nested deeply, no problem) is read by
    the fast path: values only, its positions found again when a problem
    needs one. Anything the fast path does not take as plainly fine is read
    again by the careful one, which says what is wrong and where.
    """
    bad_characters = character_problems(text, display)
    if bad_characters:
        raise DataError(bad_characters)
    original = text
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = text.translate(ODD_BREAKS)
    hostile = _may_be_hostile(text)
    if not hostile:
        read = fast_read(text)
        # too big after all: the event scan finds where (a fifth of composing it again)
        hostile = read is TOO_BIG
        if read is not REFUSED and not hostile:
            smap = SourceMap(display, text=text)
            smap._node = read[1]  # kept while the value is in use; dropped by pack
            return read[0], smap
    return _careful(text, display, hostile=hostile, original=original)


def _careful(
    text: str, display: str, *, hostile: bool, original: str | None = None
) -> tuple[Any, SourceMap]:
    """Return the value and every position of ``text``, whose characters were checked;
    raise DataError. ``hostile``: the text could nest deeply or expand aliases;
    ``original``: the text before the odd line breaks became spaces."""
    smap = SourceMap(display)
    too_big = _shape_problem(text, display) if hostile else None
    if too_big is not None:
        raise DataError([too_big])
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise DataError([_syntax_problem(exc, display, text, original)]) from None
        if node is None:
            return None, smap
        builder = _Builder(loader, smap)
        try:
            value = builder.build(node, (), 0)
        except _TooBig as exc:  # a second line of defence: the event scan catches these
            line, col = _mark(exc.node)
            raise DataError(
                [
                    Problem(
                        path=display,
                        line=line,
                        column=col,
                        message=exc.message,
                        hint=_TOO_BIG_HINT,
                    )
                ]
            ) from None
        except yaml.YAMLError as exc:  # e.g. an invalid timestamp or an unknown tag
            raise DataError([_syntax_problem(exc, display, text, original)]) from None
        if builder.problems:
            raise DataError(builder.problems)
        return value, smap
    finally:
        loader.dispose()


def load_file(path: Path, display: str, root: Path) -> tuple[Any, SourceMap]:
    """Return the value of the YAML file at ``path`` (a regular file inside ``root``)."""
    return load_bytes(read_project_file(path, root), display)


def load_bytes(data: bytes, display: str) -> tuple[Any, SourceMap]:
    """Return the value of a YAML file's bytes and its source map; raise DataError."""
    return load_text(decode(data, display), display)
