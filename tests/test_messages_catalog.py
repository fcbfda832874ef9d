"""Problems in one shape: catalog messages with named arguments, a severity, one hint format."""

from __future__ import annotations

import ast
import pickle
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from ametijuhend_cli import errors
from ametijuhend_cli.errors import (
    DataError,
    Findings,
    Message,
    Problem,
    Severity,
    msg,
    use_catalog,
    verbatim,
    with_hint,
)

PACKAGE = Path(__file__).resolve().parent.parent / "ametijuhend_cli"


def _msg_calls() -> Iterator[tuple[str, ast.Call]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id in ("msg", "nmsg"):
                yield f"{path.relative_to(PACKAGE)}:{node.lineno}", node


def _call_problems(where: str, call: ast.Call) -> list[str]:
    """What is wrong with one msg()/nmsg() call: the catalog's extraction reads the id from
    the source (no f-string, no variable); nmsg(singular, plural, n, ...) has two ids and
    the count {n}."""
    plural = isinstance(call.func, ast.Name) and call.func.id == "nmsg"
    ids = call.args[:2] if plural else call.args
    if len(call.args) != (3 if plural else 1):
        return [f"{where}: {len(call.args)} positional arguments"]
    fields: set[str] = set()
    for first in ids:
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return [f"{where}: the id is not a string literal"]
        fields |= {name for _, name, _, _ in string.Formatter().parse(first.value) if name}
    given = {k.arg for k in call.keywords} | ({"n"} if plural else set())
    problems = []
    if None in given:
        problems.append(f"{where}: arguments are named, never **spread")
    # an nmsg's ids may leave the count out ("unknown positions {ids}")
    if not (fields == given or (plural and fields == given - {"n"})):
        problems.append(f"{where}: fields {sorted(fields)} but arguments {sorted(map(str, given))}")
    # a field is a plain name: no attribute, index or format in the id
    if not all(name.isidentifier() for name in fields):
        problems.append(f"{where}: a field that is not a plain name: {sorted(fields)}")
    return problems


def test_a_message_id_is_a_literal_whose_fields_are_the_arguments() -> None:
    # every call in the package, checked in one test (one test each made 900 tests of 1 ms)
    calls = list(_msg_calls())
    assert len(calls) > 150
    assert [p for where, call in calls for p in _call_problems(where, call)] == []


@pytest.mark.parametrize(
    ("source", "problems"),
    [
        ('msg(f"x {a}", a=1)', ["the id is not a string literal"]),
        ("msg(name)", ["the id is not a string literal"]),
        ('msg("x {a}", b=1)', ["fields ['a'] but arguments ['b']"]),
        (
            'msg("x {a}", **kw)',
            ["arguments are named, never **spread", "fields ['a'] but arguments ['None']"],
        ),
        (
            'msg("x {a.b}", a=1)',
            ["fields ['a.b'] but arguments ['a']", "a field that is not a plain name: ['a.b']"],
        ),
        ('msg("x {a}", "y", a=1)', ["2 positional arguments"]),
        ('nmsg("{n} file", "{n} files", n)', []),
        ('nmsg("a file", "files {ids}", n, ids=1)', []),
        ('nmsg("a file", "{n} files", n, ids=1)', ["fields ['n'] but arguments ['ids', 'n']"]),
    ],
)
def test_the_message_check_finds_what_it_looks_for(source: str, problems: list[str]) -> None:
    call = ast.parse(source).body[0]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
    assert _call_problems("here:1", call.value) == [f"here:1: {p}" for p in problems]


def test_a_message_is_shown_through_the_catalog_with_its_arguments() -> None:
    inner = msg("contains {char}", char="U+200B")
    outer = msg("unknown unit {unit}: it {odd}", unit="'x'", odd=inner)
    assert str(outer) == "unknown unit 'x': it contains U+200B"
    catalog = {
        "unknown unit {unit}: it {odd}": "tundmatu üksus {unit}: see {odd}",
        "contains {char}": "sisaldab märki {char}",
    }
    use_catalog(lambda text: catalog.get(text, text))
    try:
        assert str(outer) == "tundmatu üksus 'x': see sisaldab märki U+200B"
        # a translation may put the arguments in another order
        catalog["a {one} b {two}"] = "{two} - {one}"
        assert str(msg("a {one} b {two}", one="1", two=2)) == "2 - 1"
    finally:
        use_catalog(None)
    assert errors.translate("x") == "x"  # English: the ids themselves


def test_braces_are_doubled_in_an_id_and_verbatim_text_is_left_alone() -> None:
    assert str(msg("starts with '[' or '{{'")) == "starts with '[' or '{'"
    assert str(verbatim("a {raw} text")) == "a {raw} text"


def test_messages_and_problems_compare_hash_and_cross_a_process_boundary() -> None:
    problem = Problem(
        path="x.yaml",
        line=2,
        column=3,
        field="tasks[0]",
        message=msg("expected {what}", what=msg("a list")),
        hint=msg("did you mean {names}?", names="'a'"),
        severity=Severity.WARNING,
    )
    again = pickle.loads(pickle.dumps(problem))
    assert again == problem and hash(again.message) == hash(problem.message)
    assert msg("a {x} {y}", y=1, x="2") == msg("a {x} {y}", x="2", y=1)


def test_a_problem_is_shown_one_way_with_its_hint_on_the_next_line() -> None:
    problem = Problem(
        path="x.yaml",
        line=2,
        column=3,
        field="tasks[0]",
        message=msg("expected a list"),
        hint=msg("indent it"),
        severity=Severity.WARNING,
    )
    assert str(problem) == "x.yaml:2:3: warning: tasks[0]: expected a list\n    hint: indent it"
    assert not problem.is_error and problem.as_warning() == problem
    error = Problem(path="x.yaml", message=msg("broken"))
    assert str(error) == "x.yaml: broken" and error.is_error
    assert error.as_warning().severity is Severity.WARNING
    assert str(with_hint("cannot", msg("try again"))) == "cannot\n    hint: try again"
    assert str(with_hint("cannot", None)) == "cannot"


def test_findings_stop_on_errors_and_on_warnings_only_under_strict() -> None:
    warning = Problem(path="b.yaml", line=1, message=msg("w"), severity=Severity.WARNING)
    other = Problem(path="a.yaml", line=9, message=msg("w2"), severity=Severity.WARNING)
    findings = Findings([warning, other])
    findings.stop()  # warnings alone do not stop a run
    assert findings.warnings == [other, warning]
    with pytest.raises(DataError) as caught:
        findings.stop(strict=True, note=msg("n"))
    assert caught.value.strict and caught.value.note == msg("n")
    assert caught.value.failing() == [other, warning]
    error = Problem(path="c.yaml", message=msg("e"))
    findings.add([error])
    assert findings.errors == [error]
    with pytest.raises(DataError) as caught:
        findings.stop()
    assert caught.value.failing() == [error]
    assert caught.value.problems == [other, warning, error]


def test_a_template_error_carries_its_problem() -> None:
    problem = Problem(path="t.j2", line=3, message=msg("bad"))
    assert errors.TemplateError(problem).problem is problem
    bare = errors.TemplateError(msg("wording.yaml not found"))
    assert bare.problem == Problem(path="", message=msg("wording.yaml not found"))
    assert str(bare) == "wording.yaml not found"


def test_message_ids_are_plain_strings() -> None:
    assert isinstance(msg("x").id, str) and isinstance(Message("y"), Message)


def test_errors_that_carry_a_message_cross_a_process_boundary() -> None:
    from ametijuhend_cli.importer.extract import Item, ReadError, TextTooLong
    from ametijuhend_cli.importer.outline import ParseError
    from ametijuhend_cli.render.sandbox import TemplateLimitError
    from ametijuhend_cli.writing import held_open

    parse = pickle.loads(pickle.dumps(ParseError("x", msg("no tasks found"), Item("a"), msg("h"))))
    assert (parse.where, parse.message, parse.item, parse.hint) == (
        "x",
        msg("no tasks found"),
        Item("a"),
        msg("h"),
    )
    assert pickle.loads(pickle.dumps(ReadError(msg("r")))).message == msg("r")
    long = pickle.loads(pickle.dumps(TextTooLong(20000)))
    assert long.length == 20000 and "after 20,000 the rest" in str(long)
    limit = TemplateLimitError(msg("the template ran longer than {seconds} seconds", seconds="2"))
    assert pickle.loads(pickle.dumps(limit)).reason == limit.reason
    held = held_open(PermissionError(13, "Permission denied"), Path("a.docx"))
    assert pickle.loads(pickle.dumps(held)).reason == held.reason
