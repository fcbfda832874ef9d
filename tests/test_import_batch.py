"""Import batches (issue 13): each file on its own, the summary counts what was written."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ametijuhend_cli.errors import DataError, Problem, msg
from ametijuhend_cli.importer import run as importer
from ametijuhend_cli.importer.extract import read_document
from ametijuhend_cli.messages import display_path
from conftest import REPO, run

REFERENCE = REPO / "tests" / "reference"
SOURCES = ["ekspert-kriisiabi", "koordinaator-klat", "teenusejuht-kov"]


@pytest.fixture
def sources(tmp_path: Path) -> list[Path]:
    out = []
    for name in SOURCES:
        shutil.copy(REFERENCE / f"{name}.txt", tmp_path / f"{name}.txt")
        out.append(tmp_path / f"{name}.txt")
    return out


def written(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def crash_on(monkeypatch: pytest.MonkeyPatch, name: str, error: BaseException) -> None:
    """Make reading the file called ``name`` fail with ``error``."""
    real = read_document

    def read(path: Path) -> Any:
        if path.name == name:
            raise error
        return real(path)

    monkeypatch.setattr(importer, "read_document", read)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RecursionError("maximum recursion depth exceeded"), "could not be read (RecursionError"),
        # a bug is called one, not a file that could not be read; the other files go on
        (ValueError("invalid literal for int()"), "failed on this file (ValueError: invalid"),
        (KeyError("w:val"), "failed on this file (KeyError: 'w:val'); this is a bug"),
        (TypeError("NoneType"), "failed on this file (TypeError: NoneType); this is a bug"),
        (
            DataError([Problem(path="data/positions/x.yaml", line=3, message=msg("kaput"))]),
            "kaput (in the text imported from it; nothing was written)",
        ),
    ],
    ids=["recursion", "value", "key", "type", "data-error"],
)
@pytest.mark.parametrize("bad", [0, 1, 2], ids=["first", "middle", "last"])
def test_one_bad_file_stops_no_other(
    project: Path,
    sources: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    message: str,
    bad: int,
) -> None:
    crash_on(monkeypatch, sources[bad].name, error)
    result = run("import", *map(str, sources), "--to", "imported")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert len(written(project / "imported")) == 2
    lines = result.stderr.splitlines()
    where = display_path(sources[bad])
    assert any(line.startswith(f"{where}: ") and message in line for line in lines), lines
    # the YAML that was not written is never named
    assert "data/positions/x.yaml" not in result.stderr
    assert lines[-1] == (
        "1 of 3 files could not be imported; nothing was written for it; 2 position files written"
    )
    assert result.stdout.count("imported ") == 2


def test_problem_in_the_converted_yaml_is_located_at_the_source(
    project: Path, sources: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def check(self: Any, converted: Any, text: str, display: str) -> list[Problem]:
        return [Problem(path=display, line=12, column=3, field="tasks[0]", message=msg("too long"))]

    monkeypatch.setattr(importer.Importer, "_check", check)
    result = run("import", str(sources[0]), "--to", "imported")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{display_path(sources[0])}: tasks[0]: too long "
        "(in the text imported from it; nothing was written)"
    )
    assert ".yaml" not in result.stderr.splitlines()[0]
    assert written(project / "imported") == []


def test_every_file_failing_writes_nothing_and_says_so(
    project: Path, sources: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in sources:
        path.write_text("pole ametijuhend\n", encoding="utf-8")
    result = run("import", *map(str, sources), "--to", "imported")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "3 of 3 files could not be imported; nothing was written for them"
    )
    assert written(project / "imported") == []


def test_summary_counts_the_files_written(project: Path, sources: list[Path]) -> None:
    result = run("import", *map(str, sources), "--to", "imported")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "imported 3 files"
    assert len(written(project / "imported")) == 3


def test_existing_file_is_counted_as_not_written(project: Path, sources: list[Path]) -> None:
    assert run("import", str(sources[1]), "--to", "imported").exit_code == 0
    result = run("import", *map(str, sources), "--to", "imported")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "1 of 3 files could not be imported; nothing was written for it; 2 position files written"
    )
    assert len(written(project / "imported")) == 3


def test_unwritable_target_is_one_failure(project: Path, sources: list[Path]) -> None:
    assert run("import", str(sources[0]), "--to", "imported").exit_code == 0
    (target,) = (project / "imported").iterdir()
    target.unlink()
    target.mkdir()  # a folder where the file goes
    result = run("import", *map(str, sources), "--to", "imported", "--force")
    assert result.exit_code == 1
    assert f"cannot write imported/{target.name}" in result.stderr
    assert result.stderr.splitlines()[-1].endswith("; 2 position files written")
