"""Bad input beyond the corpus: limits of the loader, safe output paths, exit codes.

The broken sources themselves, each with its exact message, are the corpus
in tests/corpus/ (run by test_corpus.py).
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
import yaml

from ametijuhend_cli.building.outputs import output_path
from ametijuhend_cli.errors import DataError, OutputError
from ametijuhend_cli.sources.yamlfast import MAX_DEPTH
from ametijuhend_cli.sources.yamlsource import _shape_problem, load_text
from conftest import run


def nested(levels: int) -> str:
    return "title: " + "[" * levels + "]" * levels + "\n"


def alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (nested(10_000), f"values are nested more than {MAX_DEPTH} levels deep"),
        (alias_bomb(12), "the file expands to more than 100000 values"),
    ],
    ids=["nesting-10000", "alias-bomb-10^12"],
)
def test_hostile_yaml_is_refused_without_recursion_or_memory(text: str, message: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as caught:
            load_text(text, "x.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value.problems[0].message).startswith(message)
    assert peak < 2_000_000, f"the loader used {peak} bytes"


def test_a_million_nested_brackets_do_not_crash_the_process() -> None:
    # libyaml's composer recurses in C: without the event scan this is a segfault
    code = (
        "from ametijuhend_cli.sources.yamlsource import load_text\n"
        "from ametijuhend_cli.errors import DataError\n"
        "try:\n    load_text('a: ' + '[' * 1_000_000, 'x.yaml')\n"
        "except DataError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("x.yaml:1:44: values are nested more than 40 levels deep")


class _RefusesDeepFlow(yaml.SafeLoader):
    """A pure-Python loader that refuses deep flow nesting as some libyaml builds do."""

    def fetch_flow_collection_start(self, token_class: type) -> None:
        if self.flow_level >= 10:
            raise yaml.scanner.ScannerError(None, None, "nesting limit of this parser", None)
        super().fetch_flow_collection_start(token_class)


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.parametrize(
    "loader",
    [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader), _RefusesDeepFlow],
    ids=["pure-python", "libyaml", "parser-with-its-own-limit"],
)
@pytest.mark.parametrize("levels", [41, 1_000, 5_000])
def test_deep_nesting_gets_the_tools_own_message_whichever_parser(
    loader: type, levels: int
) -> None:
    problem = _shape_problem("a: " + "[" * levels + "]" * levels + "\n", "x.yaml", loader)
    assert problem is not None
    assert (problem.line, problem.column) == (1, 4 + MAX_DEPTH)
    assert str(problem.message) == f"values are nested more than {MAX_DEPTH} levels deep"


def test_nesting_up_to_the_limit_is_accepted() -> None:
    value, _ = load_text("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", "x.yaml")
    for _ in range(MAX_DEPTH):
        value = value["a"] if isinstance(value, dict) else value[0]
    assert value == []


@pytest.mark.parametrize(
    "pid", ["../x", "../../etc/passwd", "/etc/passwd", "a/b", "C:\\x", "con", "", ".", "..", "X"]
)
def test_output_paths_never_leave_the_output_folder(tmp_path: Path, pid: str) -> None:
    with pytest.raises(OutputError, match="refusing to write outside"):
        output_path(tmp_path, pid, "md")


def test_output_path_of_a_valid_id(tmp_path: Path) -> None:
    assert output_path(tmp_path, "noustaja-2", "docx") == tmp_path / "noustaja-2.docx"


def test_build_refuses_an_id_that_slipped_past_validation(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # validation refuses such ids (see the corpus); this is the second line of defence
    from ametijuhend_cli.building import run as build
    from ametijuhend_cli.building.select import Selection, select_positions

    real = select_positions

    def select_hostile_ids(*args: object, **kwargs: object) -> Selection:
        selection = real(*args, **kwargs)  # type: ignore[arg-type]
        selection.wanted = {"../../escaped": next(iter(selection.every.values()))}
        return selection

    monkeypatch.setattr(build, "select_positions", select_hostile_ids)
    result = run("build", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refusing to write outside out: '../../escaped'")
    assert sorted(p.name for p in project.parent.rglob("escaped*")) == []
    assert not list((project / "out").iterdir())


def test_no_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: no project here: neither ametijuhend.yaml nor a data/ folder in "
    )


def test_unknown_position_on_command_line(project: Path) -> None:
    result = run("build", "ekspert-kriisabi")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unknown position 'ekspert-kriisabi' (did you mean ekspert-kriisiabi?)\n"
    )


def test_usage_error_exit_code(project: Path) -> None:
    assert run("build", "--format", "pdfx").exit_code == 2
    assert run("build", "--no-such-option").exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_build_id_does_not_read_other_positions(project: Path) -> None:
    # building one position needs its own file and the shared ones only; a
    # broken draft of another position blocks nobody (validate reports it)
    (project / "data/positions/katki.yaml").write_text("title: [\n", encoding="utf-8")
    one = run("build", "teenusejuht-kov", "--format", "md")
    assert (one.exit_code, one.stderr) == (0, "")
    assert (project / "out/teenusejuht-kov.md").is_file()
    every = run("build", "--format", "md")
    assert every.exit_code == 1
    assert every.stderr.endswith("1 problem in 1 file; 1 position not built\n")
    assert run("validate").exit_code == 1
