"""The fast path of YAML loading: plain values and no positions, anything unusual refused."""

from __future__ import annotations

from typing import Any, ClassVar

import yaml

from ametijuhend_cli.sources.yamlhints import ODD_SPACES

try:  # the C parser is several times faster; fall back where libyaml is missing
    LOADER: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    LOADER = yaml.SafeLoader

#: Nesting deeper than this is no job description; refuse it before Python's
#: recursion limit turns it into a crash.
MAX_DEPTH = 40
#: A bound on the values a file expands to, so that alias chains ("billion
#: laughs") are refused quickly instead of expanding in memory. The largest
#: library holds a few thousand.
MAX_NODES = 100_000

#: What fast_value returns for a text it does not take: the careful path reads it.
REFUSED: Any = object()
#: What fast_read returns for a text that nests too deeply or holds too many values:
#: the careful path's event scan says where, without composing the whole text again.
TOO_BIG: Any = object()

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


class _ResolvingLoader(LOADER):  # type: ignore[misc]
    """The C loader with a cheaper resolver: the same tags for plain YAML, where no path
    resolvers and no wildcard implicit resolvers are registered (the parser calls it for
    every node, and PyYAML's own spends a third of the parse)."""

    _implicit: ClassVar[dict[str, tuple[tuple[str, Any], ...]]] = {
        first: tuple(found) for first, found in LOADER.yaml_implicit_resolvers.items()
    }

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Do nothing: no path resolvers."""

    def ascend_resolver(self) -> None:
        """Do nothing: no path resolvers."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """Return the tag of a node written without one."""
        if kind is yaml.ScalarNode:
            if implicit[0]:  # a plain scalar: a number, a date, true, null …?
                for tag, regexp in self._implicit.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _MAP if kind is yaml.MappingNode else _SEQ


def _fast_loader() -> Any:
    """Return the loader of the fast path: the cheap resolver where it gives the same tags."""
    if LOADER.yaml_path_resolvers or None in LOADER.yaml_implicit_resolvers:
        return LOADER  # pragma: no cover - nobody registers these
    return _ResolvingLoader


class _Refused(Exception):
    """Something the careful path would look at (or report): not for the fast path."""


class _OverBounds(_Refused):
    """Nesting or values beyond the bounds: the careful path reports it."""


class _Values:
    """Turn a composed node tree into plain values, as the careful builder does."""

    def __init__(self, loader: Any):
        self.loader = loader
        self.count = 0

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            raise _OverBounds
        kind = node.__class__
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR else self._scalar(node)
        if kind is yaml.MappingNode and node.tag == _MAP:
            return self._mapping(node, depth)
        if kind is yaml.SequenceNode and node.tag == _SEQ:
            return [self.build(item, depth + 1) for item in node.value]
        raise _Refused  # a tag on a list or mapping, or a node of another kind

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except Exception:  # an invalid date, an unknown tag …: the careful path says what
            raise _Refused from None
        if isinstance(value, (bytes, bytearray)):
            raise _Refused
        return value

    def _mapping(self, node: yaml.Node, depth: int) -> dict[str, Any]:
        if node.value and depth + 1 > MAX_DEPTH:  # keys count as a level
            raise _OverBounds
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            # a list or mapping as a key, a merge key (<<), a key given twice
            if key_node.__class__ is not yaml.ScalarNode or key_node.tag == _MERGE:
                raise _Refused
            key = str(key_node.value)  # keys are names: keep '2024' or 'yes' as written
            if key in result or key[:1] in ODD_SPACES:  # ODD_SPACES: a no-break space before it
                raise _Refused
            result[key] = self.build(value_node, depth + 1)
        return result


def fast_value(text: str) -> Any:
    """Return the value of the YAML document ``text``, or REFUSED.

    Only for a text the careful path's event scan would not look at (no
    anchor, little nesting; see yamlsource): whatever the careful path would
    report, and whatever it would do differently, is refused here, so that a
    value returned is the careful path's value.
    """
    read = fast_read(text)
    return REFUSED if read is REFUSED or read is TOO_BIG else read[0]


def fast_read(text: str) -> Any:
    """Return the value of ``text`` and its node tree (see fast_value), or REFUSED (TOO_BIG
    when it nests too deeply or holds too many values).

    The node tree is what a problem found later is located on (marks_along).
    """
    loader = _fast_loader()(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            return REFUSED
        if node is None:
            return None, None
        return _Values(loader).build(node, 0), node
    except _OverBounds:
        return TOO_BIG
    except _Refused:
        return REFUSED
    finally:
        loader.dispose()


def compose(text: str) -> Any:
    """Return the node tree of a text the fast path read, with the marks of its nodes."""
    loader = _fast_loader()(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def marks_along(node: Any, loc: tuple[str | int, ...]) -> tuple[list[Any], Any]:
    """Return the marks of the values from the root down ``loc`` (as far as it goes),
    and the mark of its last key when the whole of ``loc`` was found in mappings.

    For a text the fast path read (plain mappings and lists, each key once),
    these are the marks the careful path records for the same places.
    """
    values = [node.start_mark] if node is not None else []
    key_mark = None
    for part in loc:
        key_mark = None
        if node.__class__ is yaml.MappingNode:
            pair = _keyed(node).get(str(part))
            if pair is None or isinstance(part, int):
                break
            key_mark, node = pair[0].start_mark, pair[1]
        elif node.__class__ is yaml.SequenceNode and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
        else:
            break
        values.append(node.start_mark)
    return values, key_mark


def _keyed(node: Any) -> dict[str, Any]:
    """Return the pairs of a mapping node by key (the first of equal keys), made once: a
    library of 20,000 entries is located 20,000 times (each unused entry is a warning)."""
    index: dict[str, Any] | None = getattr(node, "_pairs_by_key", None)
    if index is None:
        index = {}
        for pair in node.value:
            index.setdefault(str(pair[0].value), pair)
        node._pairs_by_key = index
    return index
