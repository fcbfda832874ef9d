"""The release: sdist and wheel build and pass twine check, the sdist's tests run, and the
wheel installed into a fresh environment outside the repository builds a whole project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from ametijuhend_cli import __version__
from ametijuhend_cli.authoring.init import LIBRARY_KINDS
from conftest import REPO, run, working_folder

pytestmark = pytest.mark.release
BIN = Path(sys.executable).parent
NAME = f"ametijuhend-{__version__}"


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder with the sdist and the wheel, as `make dist` builds them."""
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [str(BIN / "python"), "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
    )
    said = built.stdout + built.stderr
    assert built.returncode == 0, said
    # a folder setuptools finds importable but pyproject's list does not name is
    # packed today and dropped by a later setuptools (a new folder of data, say)
    assert "is absent from the `packages` configuration" not in said, said
    return out


def test_twine_check_passes(dist: Path) -> None:
    output = _run(BIN / "twine", "check", "--strict", *sorted(dist.iterdir()))
    assert output.count("PASSED") == 2


def test_the_wheel_has_the_licence_templates_and_starter_files(dist: Path) -> None:
    with zipfile.ZipFile(dist / f"{NAME}-py3-none-any.whl") as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"{NAME}.dist-info/METADATA").decode()
        licence = wheel.read(f"{NAME}.dist-info/licenses/LICENSE").decode()
    assert licence == (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Copyright (c) 2026 ametijuhend contributors" in licence
    assert "\nLicense-Expression: MIT\n" in metadata
    assert "\nLicense-File: LICENSE\n" in metadata
    assert "\nProject-URL: Changelog, " in metadata
    for template in sorted((REPO / "templates").rglob("*")):
        if template.is_file():  # the built-in layouts (templates/layouts/) too
            name = template.relative_to(REPO / "templates").as_posix()
            assert f"ametijuhend_cli/templates/{name}" in names
    for kind in LIBRARY_KINDS:
        assert f"ametijuhend_cli/authoring/starter/library/{kind}.yaml" in names
    # the Estonian messages (without the catalog every message would be English)
    assert "ametijuhend_cli/locale/et/LC_MESSAGES/ametijuhend.mo" in names
    # every module of every package (a package left out of pyproject's list is missed)
    modules = sorted(
        p.relative_to(REPO).as_posix() for p in (REPO / "ametijuhend_cli").rglob("*.py")
    )
    assert [m for m in modules if m not in names] == []
    assert not [n for n in names if n.startswith(("tests/", "data/")) or "__pycache__" in n]


def _sdist_files(dist: Path) -> set[str]:
    with tarfile.open(dist / f"{NAME}.tar.gz") as sdist:
        return {m.name.removeprefix(f"{NAME}/") for m in sdist.getmembers() if m.isfile()}


def test_the_sdist_has_every_file_git_has(dist: Path) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = _run("git", "ls-files", "-z", cwd=REPO).split("\0")
    files = _sdist_files(dist)
    missing = sorted(f for f in tracked if f and f not in files)
    assert missing == []
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]


def test_the_tests_run_in_the_unpacked_sdist(dist: Path, tmp_path: Path) -> None:
    with tarfile.open(dist / f"{NAME}.tar.gz") as sdist:
        sdist.extractall(tmp_path, filter="data")
    root = tmp_path / NAME
    env = {**os.environ, "PYTHONPATH": str(root)}
    where = _run(
        BIN / "python",
        "-c",
        "import ametijuhend_cli; print(ametijuhend_cli.__file__)",
        cwd=root,
        env=env,
    )
    assert Path(where.strip()).is_relative_to(root)
    # the tests that need the corpus, the fixtures, the golden files, the
    # reference texts and the sample data with its Markdown
    tests = ["test_corpus.py", "test_markdown.py", "test_review.py", "test_init.py", "test_docs.py"]
    output = _run(
        BIN / "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *(f"tests/{t}" for t in tests),
        cwd=root,
        env=env,
    )
    assert " passed" in output and "failed" not in output and "error" not in output


def test_the_wheel_builds_a_project_outside_the_repository(dist: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    pip: list[str | Path] = [
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    # the runtime lock, exactly (no dependency resolved at install time)
    _run(REPO / ".ci" / "install-lock", venv / "bin" / "python", REPO / "requirements.txt")
    _run(*pip, "--no-deps", dist / f"{NAME}-py3-none-any.whl")
    tool = venv / "bin" / "ametijuhend"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    site = _run(
        venv / "bin" / "python",
        "-c",
        "from ametijuhend_cli.sources.templates import builtin_dir; print(builtin_dir())",
        cwd=tmp_path,
        env=env,
    )
    assert Path(site.strip()).is_relative_to(venv), "the templates come from the wheel"
    assert _run(tool, "--version", env=env).strip() == f"ametijuhend, version {__version__}"
    # a new project, started and built by the installed tool
    project = tmp_path / "amet"
    _run(tool, "init", "--agency", "Sotsiaalkindlustusamet", "--dir", project, env=env)
    _run(tool, "validate", "--strict", cwd=project, env=env)
    built = _run(tool, "build", cwd=project, env=env)
    assert built.endswith("built 1 position: 2 files written, 0 unchanged\n")
    # the sample project: the same bytes as this checkout writes
    sample = tmp_path / "sample"
    shutil.copytree(REPO / "data", sample / "data")
    _run(tool, "build", cwd=sample, env=env)
    here = tmp_path / "here"
    shutil.copytree(REPO / "data", here / "data")
    with working_folder(here):
        assert run("build").exit_code == 0
    outputs = sorted(p.name for p in (here / "out").iterdir() if not p.name.startswith("."))
    assert len(outputs) == 8
    for name in outputs:
        assert (sample / "out" / name).read_bytes() == (here / "out" / name).read_bytes(), name
    for md in (REPO / "out").glob("*.md"):
        assert (sample / "out" / md.name).read_bytes() == md.read_bytes()
