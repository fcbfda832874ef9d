"""The YAML loader's fast path: the careful path's values, and its positions when asked.

A file is read without source positions when nothing about it is unusual;
they are found by parsing it again when a problem needs one. These tests
check that the fast path takes nothing the careful path would refuse or
read differently, and that a problem found later (by the schema, a
reference, an organization check) gets the same line and column either way.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ametijuhend_cli.errors import DataError, Problem
from ametijuhend_cli.models import Position
from ametijuhend_cli.sources.decode import ODD_BREAKS, decode
from ametijuhend_cli.sources.validation import validate
from ametijuhend_cli.sources.yamlfast import (
    LOADER,
    MAX_DEPTH,
    MAX_NODES,
    REFUSED,
    TOO_BIG,
    _ResolvingLoader,
    fast_read,
    fast_value,
)
from ametijuhend_cli.sources.yamlsource import SourceMap, _careful, _may_be_hostile, load_text

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
#: Every YAML file the repository holds: the sample project, the corpus of broken inputs.
YAML_FILES = sorted(
    p
    for folder in (REPO / "data", REPO / "templates", TESTS / "corpus", TESTS / "corpus-base")
    for p in folder.rglob("*.y*ml")
    if p.is_file() and not p.is_symlink()
)


def same(a: Any, b: Any) -> bool:
    """Return whether ``a`` and ``b`` are equal and of the same types throughout (1 is not
    True, and the order of keys counts)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def careful(text: str) -> tuple[Any, SourceMap] | list[Problem]:
    """Return what the careful path alone makes of ``text``: a value and its positions, or
    the problems."""
    try:
        return load_text_careful(text)
    except DataError as exc:
        return exc.problems


def load_text_careful(text: str) -> tuple[Any, SourceMap]:
    # what load_text did before the fast path: the characters, then the careful path
    from ametijuhend_cli.sources.decode import ODD_BREAKS, character_problems

    found = character_problems(text, "x.yaml")
    if found:
        raise DataError(found)
    translated = text.translate(ODD_BREAKS)
    return _careful(translated, "x.yaml", hostile=_may_be_hostile(translated), original=text)


def locations(smap: SourceMap) -> dict[tuple[Any, ...], tuple[int | None, int | None]]:
    """Return the line and column of every value and key ``smap`` knows."""
    found = {("value", *loc): smap.locate(loc) for loc in list(smap.values)}
    found.update({("key", *loc): smap.locate(loc, key=True) for loc in list(smap.keys)})
    return found


def assert_agree(text: str) -> None:
    """Assert that load_text gives what the careful path gives, positions included."""
    expected = careful(text)
    try:
        value, smap = load_text(text, "x.yaml")
    except DataError as exc:
        assert exc.problems == expected
        return
    assert not isinstance(expected, list), expected
    assert same(value, expected[0])
    fast = fast_value(text.translate(ODD_BREAKS))  # as load_text reads it
    assert fast is REFUSED or same(fast, expected[0])
    # every position the careful path knows is found again the same
    wanted = locations(expected[1])
    assert {loc: smap.locate(loc[1:], key=loc[0] == "key") for loc in wanted} == wanted
    # and a place that is not there is located at its nearest ancestor, the same
    missing = [(*loc, extra) for loc in expected[1].values for extra in ("zz-none", 10**6, 0)]
    missing += [("zz-none", "a"), ()]
    for loc in missing:
        for key in (False, True):
            assert smap.locate(loc, key=key) == expected[1].locate(loc, key=key), loc


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
def test_the_repository_yaml_files_read_the_same() -> None:
    assert len(YAML_FILES) > 100
    for path in YAML_FILES:
        try:
            text = decode(path.read_bytes(), "x.yaml")
        except DataError:
            continue  # not UTF-8: refused before either path
        assert_agree(text)


def test_the_usual_position_takes_the_fast_path_and_keeps_only_its_text() -> None:
    text = (REPO / "data" / "positions").glob("*.yaml").__next__().read_text(encoding="utf-8")
    assert fast_value(text) is not REFUSED
    _, smap = load_text(text, "x.yaml")
    assert smap.text == text and not smap.values and not smap.keys
    line, _ = smap.locate(("title",))
    assert line is not None and text.splitlines()[line - 1].startswith("title:")
    # found on the node tree, composed once: no careful parse, no table of every place
    assert smap.text == text and not smap.values and smap._node is not None
    assert smap.locate(("tasks", 0, "text")) == smap.locate(("tasks", 0, "text"))


DEEP = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"

#: What the careful path reports (or reads its own way); the fast path must refuse each.
REFUSED_TEXTS = {
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "merge key": "a: 1\n<<: {b: 2}\n",
    "list as a key": "? [a, b]\n: 1\n",
    "mapping as a key": "? {a: 1}\n: 1\n",
    "tag on a mapping": "a: !!set {b: null}\n",
    "tag on a list": "a: !foo [1, 2]\n",
    "tag on a mapping under a list": "- !!omap {a: 1}\n",
    "unknown tag": "a: !foo x\n",
    "python tag": "a: !!python/object:os.system x\n",
    "binary": "a: !!binary aGVsbG8=\n",
    "impossible date": "review: 2024-02-30\n",
    "syntax error": "a: b: c\n",
    "unclosed quote": "a: 'b\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "undefined alias": "a: *x\n",
    "one level too deep": "a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
    "keys one level too deep": "a: " + "[" * MAX_DEPTH + "{b: 1}" + "]" * MAX_DEPTH + "\n",
    "keys at the deepest level": "a: "
    + "[" * (MAX_DEPTH - 1)
    + "{b: 1}"
    + "]" * (MAX_DEPTH - 1)
    + "\n",
    "too many values": "".join(f"- {i}\n" for i in range(MAX_NODES + 1)),
}


@pytest.mark.parametrize(
    "text",
    [
        # a hundred thousand values parse for seconds
        pytest.param(text, id=name, marks=[pytest.mark.slow] if name == "too many values" else [])
        for name, text in REFUSED_TEXTS.items()
    ],
)
def test_the_fast_path_refuses_what_the_careful_path_looks_at(text: str) -> None:
    assert not _may_be_hostile(text)  # these reach the fast path
    assert fast_value(text) is REFUSED
    assert_agree(text)


@pytest.mark.parametrize(
    "name", ["one level too deep", "keys one level too deep", "keys at the deepest level"]
)
def test_what_is_too_big_for_the_fast_path_is_located_by_the_event_scan(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the careful path would compose the whole text again to find where: its scan of the
    # parser's events finds the same place (for 100,001 values, 0.2 s instead of 0.8 s)
    text = REFUSED_TEXTS[name]
    assert fast_read(text) is TOO_BIG and fast_value(text) is REFUSED
    expected = careful(text)
    assert isinstance(expected, list) and len(expected) == 1

    def composed(text: str) -> None:
        raise AssertionError("the text was composed again")

    monkeypatch.setattr("ametijuhend_cli.sources.yamlsource._Loader", composed)
    with pytest.raises(DataError) as caught:
        load_text(text, "x.yaml")
    assert caught.value.problems == expected


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1]\nb: *x\n",  # an anchor: the event scan of the careful path
        "a: " + "[" * 300 + "]" * 300 + "\n",  # many brackets
        "a:\n" + " " * 250 + "b: 1\n",  # a deep indent
        "a: \u202eb\n",  # a direction character: refused before either path
        "a: b\x07\n",  # a control character
    ],
    ids=["anchor", "brackets", "indent", "direction", "control"],
)
def test_what_could_be_hostile_never_reaches_the_fast_path(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(text: str) -> Any:
        raise AssertionError("the fast path was taken")

    expected = careful(text)
    monkeypatch.setattr("ametijuhend_cli.sources.yamlsource.fast_read", fail)
    try:
        value, _ = load_text(text, "x.yaml")
    except DataError as exc:
        assert exc.problems == expected
    else:
        assert not isinstance(expected, list) and same(value, expected[0])


def test_the_deepest_nesting_allowed_reads_the_same_either_way() -> None:
    assert fast_value(DEEP) is not REFUSED
    assert_agree(DEEP)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 1.5\nc: true\nd: null\ne: 2024-02-29\nf: ~\ng: yes\nh: 0x1F\ni: 1_000\n",
        "2024: x\nyes: y\nnull: z\n1.5: w\n'=': v\n",  # keys stay as written
        "a: '1'\nb: \"true\"\nc: !!str 5\nd: !!int '7'\ne: ''\nf:\n",
        "a: |\n  two\n  lines\nb: >\n  folded\n  text\n",
        "a: [1, {b: c}, [d]]\n",
        "- .inf\n- -.nan_not\n- +1\n- 'x'\n- 2001-12-14t21:59:43.10-05:00\n",
    ],
)
def test_values_of_every_kind_read_the_same_either_way(text: str) -> None:
    assert fast_value(text) is not REFUSED
    assert_agree(text)


def test_a_schema_problem_is_located_the_same_through_the_lazy_parse() -> None:
    base = (TESTS / "corpus-base" / "data" / "positions" / "noustaja.yaml").read_text("utf-8")
    text = base.replace("title:", "title_oops:", 1) + "tasks_extra: 1\n"
    raw, smap = load_text(text, "x.yaml")
    assert smap.text is not None  # read by the fast path
    expected_raw, expected_smap = load_text_careful(text)
    found = validate(Position, raw, smap)[1]
    assert found and found == validate(Position, expected_raw, expected_smap)[1]
    assert all(p.line is not None for p in found)


def test_a_lazy_source_map_crosses_a_process_boundary_as_its_text() -> None:
    text = "a:\n  b: 1\n"
    _, smap = load_text(text, "x.yaml")
    smap.pack()  # what a worker process does before sending a position
    assert smap.packed is None and smap.text == text
    copy = pickle.loads(pickle.dumps(smap))
    assert copy.locate(("a", "b")) == (2, 6) and copy.locate(("a",), key=True) == (1, 1)


PLAIN_SAMPLES = [
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nul",
    "true",
    "True",
    "yes",
    "No",
    "on",
    "Off",
    "y",
    "n",
    "1",
    "-1",
    "+1",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1:30",
    "1.5",
    ".5",
    "-.inf",
    ".NaN",
    "1e3",
    "2024-02-29",
    "2024-02-30",
    "2001-12-14 21:59:43.10 -5",
    "<<",
    "=",
    "!x",
    "&x",
    "*x",
    "Tallinn",
    "õpe",
]


@given(st.one_of(st.sampled_from(PLAIN_SAMPLES), st.text(max_size=20)), st.booleans())
def test_the_cheap_resolver_gives_pyyamls_tags(value: str, plain: bool) -> None:
    ours, theirs = _ResolvingLoader(""), LOADER("")
    try:
        for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
            implicit = (plain, not plain)
            assert ours.resolve(kind, value, implicit) == theirs.resolve(kind, value, implicit)
    finally:
        ours.dispose()
        theirs.dispose()


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(), st.dates()
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
).flatmap(
    lambda value: st.builds(
        lambda flow, width: yaml.safe_dump(
            value, default_flow_style=flow, allow_unicode=True, width=width
        ),
        st.sampled_from([False, True, None]),
        st.sampled_from([20, 80]),
    )
)
MARKS = ["\t", ": ", "- ", "'", '"', "[", "{", "*", "!", "#", "|", ">", "\n  ", "<<: ", "? "]


@st.composite
def slips(draw: st.DrawFn) -> str:
    """Return a random document with a few of the slips a person makes."""
    text = draw(documents)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(MARKS)) + text[at:]
    return text


@given(st.one_of(st.text(), documents, slips()))
def test_the_fast_and_the_careful_path_agree_on_random_documents(text: str) -> None:
    assert_agree(text)
