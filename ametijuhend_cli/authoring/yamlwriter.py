"""Write YAML source files for people: one writer for scaffolded and imported positions.

Both fold long texts the same way (``>-`` with lines of at most WIDTH
columns) and quote only where YAML needs it, so a file written by `new`
and one written by `import` look alike. CommentedYaml writes every field of
a model with its description as a comment; dump writes plain data in the
order given.
"""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
import typing
from collections.abc import Iterable, Sequence
from typing import Any

import yaml
from pydantic import BaseModel

from ametijuhend_cli.errors import Message, msg
from ametijuhend_cli.i18n import gettext_
from ametijuhend_cli.models import CompetencyRef, ItemRef, Language
from ametijuhend_cli.sources.yamlsource import Loc, format_loc

#: Longest line written; a longer text is folded (``>-``) into lines this long.
WIDTH = 88
#: The narrowest a folded text gets, however deep it is indented.
_MIN_FOLD = 40
#: Models written on one line ({language: eesti, level: C1}) without comments.
COMPACT = (ItemRef, CompetencyRef, Language)
_MAX_IDS = 12


class _Blank:
    """The value of a field the user must fill in: written as an empty value."""

    def __repr__(self) -> str:
        return "BLANK"


BLANK: Any = _Blank()


def scalar(value: Any, *, in_flow: bool = False) -> str:
    """Return ``value`` as a YAML scalar, quoted only where YAML needs it.

    ``in_flow``: the scalar stands inside ``[...]`` or ``{...}``, where a comma
    also needs quotes.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value)
    if in_flow or isinstance(value, str):
        return _text_scalar(str(value), in_flow=in_flow)
    return _dumped(value)


@functools.lru_cache(maxsize=1 << 14)
def _text_scalar(text: str, *, in_flow: bool) -> str:
    """Return a text as a YAML scalar (the same texts recur: one library, many positions)."""
    if in_flow:
        return yaml.safe_dump(
            [text], allow_unicode=True, width=10**9, default_flow_style=True
        ).strip()[1:-1]
    return _dumped(text)


def _dumped(value: Any) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, width=10**9)
    return text.removesuffix("\n...\n").rstrip("\n")


def fold(text: str, indent: int) -> list[str]:
    """Return ``text`` in lines indented by ``indent``, each at most WIDTH columns."""
    width = max(_MIN_FOLD, WIDTH - indent)
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return [" " * indent + line for line in lines]


def flow(value: Any) -> str:
    """Return a list or mapping as a one-line YAML flow collection."""
    return yaml.safe_dump(
        value, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10**9
    ).strip()


def model_of(annotation: Any) -> type[BaseModel] | None:
    """Return the model an annotation holds (also inside Optional, list or Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is None:
        return (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel)
            else None
        )
    if origin is dict:
        return None
    for arg in typing.get_args(annotation):
        found = model_of(arg)
        if found is not None:
            return found
    return None


def comment_lines(text: str, column: int = 0, width: int = WIDTH) -> list[str]:
    """Return ``text`` as YAML comment lines at ``column``, folded to ``width`` columns."""
    room = max(40, width - column - 2)
    lines = textwrap.wrap(text, room, break_long_words=False, break_on_hyphens=False)
    return [" " * column + "# " + line for line in lines]


def _ids_line(kind: str, others: list[str], used: bool) -> Message:
    """Return the sentence that lists a library's other ids (a long library in part)."""
    cut = others if len(others) <= _MAX_IDS + 4 else others[:_MAX_IDS]
    more = len(others) - len(cut)
    ids = ", ".join(cut)
    path = f"library/{kind}.yaml"
    if more:
        if used:
            return msg("Other ids in {path}: {ids} and {more} more.", path=path, ids=ids, more=more)
        return msg("Ids in {path}: {ids} and {more} more.", path=path, ids=ids, more=more)
    if used:
        return msg("Other ids in {path}: {ids}.", path=path, ids=ids)
    return msg("Ids in {path}: {ids}.", path=path, ids=ids)


class CommentedYaml:
    """Writes one YAML document; ``blanks`` collects where BLANK values were written."""

    def __init__(self, library_ids: dict[str, list[str]] | None = None):
        self.library_ids = library_ids or {}
        self.library_fields: dict[str, str] = {}
        self.lines: list[str] = []
        self.blanks: list[Loc] = []
        self._used: dict[str, set[str]] = {}

    @property
    def blank_fields(self) -> list[str]:
        """Return the places of the blanks as `validate` names them (``tasks[0].task``)."""
        return [format_loc(loc) for loc in self.blanks]

    def document(
        self,
        model: type[BaseModel],
        values: dict[str, Any],
        header: Iterable[str | Message],
        *,
        skip: Iterable[str] = (),
        library_fields: dict[str, str] | None = None,
    ) -> str:
        """Return the document: the header comments (a Message is a paragraph of them), then
        every field of ``model``."""
        self.lines = []
        for line in header:
            if isinstance(line, Message):
                self._comment(str(line), 0, WIDTH - 10)
            else:
                self.lines.append(line)
        self.lines.append("")
        self.blanks = []
        self.library_fields = library_fields or {}
        self._used = {}
        self._collect_used(values)
        self._mapping(model, values, 0, (), skip=tuple(skip))
        return "\n".join(self.lines) + "\n"

    def _collect_used(self, values: Any) -> None:
        if isinstance(values, dict):
            for key, value in values.items():
                kind = self.library_fields.get(key)
                if kind is not None:
                    items = value if isinstance(value, list) else [value]
                    used = self._used.setdefault(kind, set())
                    for item in items:
                        ref = item.get("ref") if isinstance(item, dict) else item
                        if isinstance(ref, str):
                            used.add(ref)
                else:
                    self._collect_used(value)

    def _comment(self, text: str, column: int, width: int = WIDTH) -> None:
        self.lines += comment_lines(text, column, width)

    def _describe(self, name: str, description: str | None, column: int) -> None:
        # the description in the language of the messages (the catalog has every
        # description of the models written here: .ci/messages.py)
        text = gettext_(description) if description else ""
        kind = self.library_fields.get(name)
        if kind is not None:
            used = self._used.get(kind, set())
            others = [i for i in self.library_ids.get(kind, []) if i not in used]
            if others:
                text += " " + str(_ids_line(kind, others, bool(used)))
        if text:
            self._comment(text.strip(), column)

    def _mapping(
        self,
        model: type[BaseModel],
        values: dict[str, Any],
        indent: int,
        loc: Loc,
        *,
        skip: tuple[str, ...] = (),
        dash: bool = False,
    ) -> None:
        """Write every field of ``model``; with ``dash`` the first key starts a list item."""
        first = True
        for name, info in model.model_fields.items():
            if name in skip:
                continue
            lead = " " * indent
            comment_column = indent
            if dash and first:
                lead = " " * (indent - 2) + "- "
                comment_column = indent - 2
            first = False
            self._describe(name, info.description, comment_column)
            if name in values:
                value = values[name]
            elif info.is_required():
                value = BLANK
            else:
                value = info.get_default(call_default_factory=True)
                if value is None:
                    self._commented(lead, name, info.annotation, indent)
                    continue
                if value == [] or value is False:  # an empty list or a switch left off
                    self.lines.append(lead + "# " + name + ":")
                    continue
            self._entry(lead, name, value, info.annotation, indent, loc + (name,))

    def _commented(self, lead: str, name: str, annotation: Any, indent: int) -> None:
        """Write an optional field that is not set as a comment, ready to uncomment."""
        self.lines.append(lead + "# " + name + ":")
        sub = model_of(annotation)
        if sub is not None and sub not in COMPACT:
            for sub_name in sub.model_fields:
                self.lines.append(" " * indent + "#   " + sub_name + ":")

    def _entry(
        self, lead: str, name: str, value: Any, annotation: Any, indent: int, loc: Loc
    ) -> None:
        key = lead + name + ":"
        sub = model_of(annotation)
        if value is BLANK:
            self.blanks.append(loc)
            self.lines.append(key)
        elif value is None:
            self.lines.append(key)
        elif isinstance(value, list):
            if not value:
                self.lines.append(key + " []")
                return
            self.lines.append(key)
            for i, item in enumerate(value):
                self._item(item, sub, indent + 2, loc + (i,))
        elif isinstance(value, dict):
            if list(value) == ["ref"]:
                self.lines.append(key + " " + scalar(value["ref"]))
            elif sub is None or sub in COMPACT:
                self._block(key, value, indent)
            else:
                self.lines.append(key)
                self._mapping(sub, value, indent + 2, loc)
        else:
            self._text(key, value, indent)

    def _item(self, item: Any, sub: type[BaseModel] | None, indent: int, loc: Loc) -> None:
        dash = " " * indent + "-"
        if item is BLANK:
            self.blanks.append(loc)
            self.lines.append(dash)
        elif isinstance(item, dict):
            if list(item) == ["ref"]:
                self.lines.append(dash + " " + scalar(item["ref"]))
            elif sub is not None and sub not in COMPACT:
                self._mapping(sub, item, indent + 2, loc, dash=True)
            else:
                line = dash + " " + flow(item)
                if len(line) <= WIDTH:
                    self.lines.append(line)
                else:
                    self._block(dash, item, indent, dash=True)
        else:
            self._text(dash, item, indent)

    def _block(self, key: str, value: dict[str, Any], indent: int, *, dash: bool = False) -> None:
        """Write a mapping without comments, key by key."""
        first = True
        for name, item in value.items():
            lead = key + " " if dash and first else (" " * (indent + 2))
            if not dash and first:
                self.lines.append(key)
            first = False
            if isinstance(item, (list, dict)):
                self.lines.append(lead + name + ": " + flow(item))
            else:
                self._text(lead + name + ":", item, indent + 2)

    def _text(self, key: str, value: Any, indent: int) -> None:
        """Write ``key: value``, folding a long text over several lines."""
        line = key + " " + scalar(value)
        if len(line) <= WIDTH or not isinstance(value, str):
            self.lines.append(line)
            return
        self.lines.append(key + " >-")
        self.lines.extend(fold(value, indent + 2))


# Plain data, in the order given (what `import` writes)


class Flow(list[Any]):
    """A list written on one line, ``[a, b]``, when it fits."""


class FlowMap(dict[str, Any]):
    """A mapping written on one line, ``{ref: x, variant: y}``, when it fits."""


def _inline(value: Any, *, flow: bool = False) -> str | None:
    """Return ``value`` written on one line, or None when it is written as a block."""
    if isinstance(value, FlowMap):
        return "{" + ", ".join(f"{k}: {_inline(v, flow=True)}" for k, v in value.items()) + "}"
    if isinstance(value, Flow):
        return "[" + ", ".join(str(_inline(v, flow=True)) for v in value) + "]"
    if isinstance(value, (dict, list)):
        return None
    return scalar(value, in_flow=flow)


def _value(head: str, value: Any, indent: int) -> list[str]:
    """Return the lines of a value after ``head`` (``key:`` or ``-``); nested at ``indent``."""
    inline = _inline(value)
    if inline is not None and len(head) + 1 + len(inline) <= WIDTH:
        return [f"{head} {inline}"]
    if isinstance(value, str):
        return [f"{head} >-", *fold(value, indent)]
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


def dump(data: dict[str, Any], comments: Sequence[str | Message]) -> str:
    """Return the YAML text of ``data`` (keys in the given order) under comment lines (a
    Message is a paragraph of them, folded)."""
    head: list[str] = []
    for line in comments:
        if isinstance(line, Message):
            head += comment_lines(str(line), 0, WIDTH - 10)
        else:
            head.append(f"# {line}" if line else "#")
    return "\n".join([*head, *_block(data, 0)]) + "\n"
