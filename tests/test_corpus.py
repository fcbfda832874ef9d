"""The corpus of broken sources: each case ends with its exact messages and exit code.

tests/corpus-base/ is a small valid project. Each folder in tests/corpus/ is
one case: the files it holds replace (or add to) the base project's, and

- ``expected.txt`` is the exact stderr of the command;
- ``case.yaml`` (optional) sets ``args`` (the command line, default
  ``validate --today 2026-06-01``), ``exit`` (default 1), ``remove`` (base files to delete),
  ``output_contains`` (output file → lines it must contain), ``links`` (path → where the
  symbolic link made there points), ``fifos`` (paths where named pipes are made) and
  ``not_printed`` (texts that must appear in neither stdout nor stderr nor any output: the
  content of a file a link points to).

Links and pipes are made by the test, not committed: git would store a link
to /etc/passwd, but a pipe not at all.

``pytest --update-golden`` rewrites the expected.txt files from the current
messages; review the diff like code.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run, working_folder

HERE = Path(__file__).resolve().parent
BASE = HERE / "corpus-base"
CORPUS = HERE / "corpus"
CONTROL_FILES = ("expected.txt", "case.yaml")
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
#: validate on a fixed day, so that no message depends on when the tests run
DEFAULT_ARGS = ["validate", "--today", "2026-06-01"]


def make_project(case: Path, root: Path, settings: dict[str, Any]) -> None:
    """Copy the base project to ``root`` and lay the case's files over it."""
    shutil.copytree(BASE, root)
    for rel in settings.get("remove", []):
        (root / rel).unlink()
    for source in sorted(case.rglob("*")):
        rel = source.relative_to(case)
        if source.is_dir() or str(rel) in CONTROL_FILES:
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    # last, so that no file of the case is written through a link
    for rel, target in settings.get("links", {}).items():
        _clear(root / rel)
        (root / rel).symlink_to(target)
    for rel in settings.get("fifos", []):
        _clear(root / rel)
        os.mkfifo(root / rel)


def _clear(path: Path) -> None:
    """Remove what is at ``path`` (a file or a folder of the base) and make its folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)


def test_the_base_project_is_valid(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "project")
    with working_folder(tmp_path / "project"):
        result = run(*DEFAULT_ARGS)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "ok: 1 position, no problems\n",
        "",
    )


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 50


@pytest.mark.parametrize("name", CASES)
def test_case(name: str, tmp_path: Path, update_golden: bool) -> None:
    case = CORPUS / name
    control = case / "case.yaml"
    settings = yaml.safe_load(control.read_text(encoding="utf-8")) if control.exists() else {}
    known = {"args", "exit", "remove", "output_contains", "links", "fifos", "not_printed"}
    assert set(settings) <= known, settings
    if settings.get("fifos") and not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    for target in settings.get("links", {}).values():
        if Path(target).is_absolute() and not os.path.lexists(target):
            pytest.skip(f"{target} does not exist on this system")
    root = tmp_path / "project"
    make_project(case, root, settings)
    with working_folder(root):
        result = run(*settings.get("args", DEFAULT_ARGS))
    expected = case / "expected.txt"
    if update_golden:
        expected.write_text(result.stderr, encoding="utf-8")
    assert result.stderr == expected.read_text(encoding="utf-8")
    assert result.exit_code == settings.get("exit", 1)
    if result.stderr.endswith("; nothing was written\n"):
        assert not (root / "out").exists() or not any((root / "out").iterdir())
    for secret in settings.get("not_printed", []):
        assert secret not in result.stdout + result.stderr
        for made in (root / "out").rglob("*") if (root / "out").is_dir() else []:
            assert made.is_dir() or secret.encode() not in made.read_bytes()
    for path, lines in settings.get("output_contains", {}).items():
        written = (root / path).read_text(encoding="utf-8").splitlines()
        for line in lines:
            assert line in written
