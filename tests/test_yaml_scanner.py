"""The linear scanner of the event scan reads every text as PyYAML's own pure-Python scanner.

``_EventLoader`` (sources/yamlsource.py) replaces two methods of PyYAML's
scanner that look through every open flow level for each token. These tests
compare the two token by token (kind, value, start and end) and error by
error (wording and marks) on the repository's YAML files, on texts written to
reach each way a possible simple key ends, and on generated ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ametijuhend_cli.sources.yamlsource import _EventLoader
from conftest import REPO


def _trace(items: Iterator[Any]) -> list[Any]:
    """Return the tokens or events (kind, value, start, end), then the error if any."""
    out: list[Any] = []
    try:
        for item in items:
            start, end = item.start_mark, item.end_mark
            value = getattr(item, "value", None)
            out.append((type(item).__name__, value, start and start.index, end and end.index))
    except yaml.YAMLError as exc:
        out.append(("error", str(exc)))
    return out


def _same(text: str) -> None:
    for read in (yaml.scan, yaml.parse):
        assert _trace(read(text, Loader=_EventLoader)) == _trace(read(text, Loader=yaml.SafeLoader))


LONG = "x" * 1030

CASES = {
    "block-mapping": "a: 1\nb:\n  - c\n  - d: e\n",
    "flow-keys": "[a: b, {c: d, e}, [f]: g]\n",
    "nested-flow-keys": "a: [[[b]: c]: d]\n",
    "key-over-lines": "{a\n: b}\n",
    "block-key-without-colon": "a: 1\nb\nc: 2\n",
    "block-key-without-colon-at-end": "a: 1\nb",
    "required-key-stale-by-length": LONG + ": 1\n",
    "flow-key-stale-by-length": "[" + LONG + ": 1]\n",
    "keys-stale-by-length-at-several-levels": "[[" + LONG + "[" + LONG + "]: 1]]\n",
    "keys-stale-by-line": "[[a\n, [b\n]]: c]\n",
    "anchors-tags-aliases-as-keys": "- &a x: 1\n- !!str y: 2\n- {*a : 3}\n",
    "explicit-keys": "? a\n: b\n? [c]\n: d\n",
    "block-scalars": "a: |\n  x\nb: >\n  y\n",
    "documents": "---\na: 1\n...\n---\n[b]\n",
    "unclosed-flow": "a: [b, {c: d\n",
    "deep-flow": "a: " + "[" * 300 + "]" * 300 + "\n",
    "deep-flow-stale-by-length": "a: " + "[" * 300 + LONG + "]" * 300 + "\n",
    "deep-flow-unclosed": "a: " + "[" * 300 + LONG,
    "deep-flow-key": "a: " + "[" * 50 + "b: c" + "]" * 50 + "\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_the_same_tokens_events_and_errors(text: str) -> None:
    _same(text)


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
def test_the_same_tokens_for_every_repository_yaml_file() -> None:
    paths = sorted(REPO.glob("data/**/*.yaml"))
    assert len(paths) > 10
    for path in paths:
        _same(path.read_text(encoding="utf-8", errors="replace"))


_PIECES = st.sampled_from(
    ["[", "]", "{", "}", ",", ": ", ":", "- ", "? ", "a", "bc", " ", "\n", "\n  ", "&x ", "*x",
     "!t ", '"q"', "'r'", "#c", "|\n ", LONG[:600]]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=60).map("".join))
def test_the_same_tokens_events_and_errors_on_generated_texts(text: str) -> None:
    _same(text)


class _CountingDict(dict):  # type: ignore[type-arg]
    """The scanner's possible simple keys, counting the entries its loops are handed."""

    handed = 0

    def __iter__(self) -> Any:
        for level in super().__iter__():
            _CountingDict.handed += 1
            yield level

    def values(self) -> Any:
        return (dict.__getitem__(self, level) for level in self)


def _keys_looked_at(loader: type, text: str) -> int:
    class Counting(loader):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.possible_simple_keys = _CountingDict()

    _CountingDict.handed = 0
    list(yaml.scan(text, Loader=Counting))
    return _CountingDict.handed


def test_a_line_of_brackets_scans_in_linear_time() -> None:
    # counted, not timed: 600 tokens, up to 300 of them possible keys at once
    text = "[" * 300 + "]" * 300
    assert _keys_looked_at(yaml.SafeLoader, text) > 50_000
    assert _keys_looked_at(_EventLoader, text) < 5 * 600
