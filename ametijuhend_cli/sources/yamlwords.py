"""What the YAML parser says of a syntax error (libyaml's or PyYAML's words), in the catalog."""

from __future__ import annotations

import re
from collections.abc import Callable

from ametijuhend_cli.errors import Message, msg, verbatim

#: The parser's words that name no value: libyaml's and PyYAML's, problems and contexts.
_FIXED = {
    "found character that cannot start any token": msg(
        "found character that cannot start any token"
    ),
    "mapping values are not allowed in this context": msg(
        "mapping values are not allowed in this context"
    ),
    "mapping values are not allowed here": msg("mapping values are not allowed here"),
    "block sequence entries are not allowed in this context": msg(
        "block sequence entries are not allowed in this context"
    ),
    "sequence entries are not allowed here": msg("sequence entries are not allowed here"),
    "could not find expected ':'": msg("could not find expected ':'"),
    "did not find expected key": msg("did not find expected key"),
    "did not find expected '-' indicator": msg("did not find expected '-' indicator"),
    "did not find expected ',' or ']'": msg("did not find expected ',' or ']'"),
    "did not find expected ',' or '}'": msg("did not find expected ',' or '}}'"),
    "did not find expected node content": msg("did not find expected node content"),
    "did not find expected comment or line break": msg(
        "did not find expected comment or line break"
    ),
    "found unexpected end of stream": msg("found unexpected end of stream"),
    "did not find expected <document start>": msg("did not find expected <document start>"),
    "found undefined alias": msg("found undefined alias"),
    "found unknown escape character": msg("found unknown escape character"),
    "found unexpected ':'": msg("found unexpected ':'"),
    "found a tab character that violates indentation": msg(
        "found a tab character that violates indentation"
    ),
    "found a tab character where an indentation space is expected": msg(
        "found a tab character where an indentation space is expected"
    ),
    "expected a single document in the stream": msg("expected a single document in the stream"),
    "but found another document": msg("but found another document"),
    "while scanning for the next token": msg("while scanning for the next token"),
    "while scanning a simple key": msg("while scanning a simple key"),
    "while scanning a plain scalar": msg("while scanning a plain scalar"),
    "while scanning a quoted scalar": msg("while scanning a quoted scalar"),
    "while parsing a quoted scalar": msg("while parsing a quoted scalar"),
    "while scanning a double-quoted scalar": msg("while scanning a double-quoted scalar"),
    "while scanning a block scalar": msg("while scanning a block scalar"),
    "while scanning an alias": msg("while scanning an alias"),
    "while scanning an anchor": msg("while scanning an anchor"),
    "while scanning a tag": msg("while scanning a tag"),
    "while parsing a block mapping": msg("while parsing a block mapping"),
    "while parsing a block collection": msg("while parsing a block collection"),
    "while parsing a flow sequence": msg("while parsing a flow sequence"),
    "while parsing a flow mapping": msg("while parsing a flow mapping"),
    "while parsing a block node": msg("while parsing a block node"),
    "while parsing a flow node": msg("while parsing a flow node"),
    "while parsing a node": msg("while parsing a node"),
    "while composing a mapping": msg("while composing a mapping"),
}

#: PyYAML's words that name what it found: the pattern, and the message with that value.
_NAMING: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Message]]] = [
    (
        re.compile(r"found character (.+) that cannot start any token"),
        lambda m: msg("found character {char} that cannot start any token", char=m[1]),
    ),
    (
        re.compile(r"found undefined alias (.+)"),
        lambda m: msg("found undefined alias {name}", name=m[1]),
    ),
    (
        re.compile(r"found unknown escape character (.+)"),
        lambda m: msg("found unknown escape character {char}", char=m[1]),
    ),
    (
        re.compile(r"expected <block end>, but found (.+)"),
        lambda m: msg("expected the end of the block, but found {found}", found=m[1]),
    ),
    (
        re.compile(r"expected ',' or ('[\]}]'), but got (.+)"),
        lambda m: msg("expected ',' or {bracket}, but got {found}", bracket=m[1], found=m[2]),
    ),
    (
        re.compile(r"expected '<document start>', but found (.+)"),
        lambda m: msg("expected the start of a document, but found {found}", found=m[1]),
    ),
    (
        re.compile(r"expected the node content, but found (.+)"),
        lambda m: msg("expected the node content, but found {found}", found=m[1]),
    ),
    (
        re.compile(r"expected alphabetic or numeric character, but found (.+)"),
        lambda m: msg("expected alphabetic or numeric character, but found {found}", found=m[1]),
    ),
]


def yaml_words(said: str) -> Message:
    """Return the parser's problem or context ``said`` as a catalog message (its own words
    where the catalog has none)."""
    fixed = _FIXED.get(said)
    if fixed is not None:
        return fixed
    for pattern, message in _NAMING:
        found = pattern.fullmatch(said)
        if found is not None:
            return message(found)
    return verbatim(said)
