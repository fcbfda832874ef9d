"""Shared fixtures: a copy of the sample project in a temporary folder."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import settings

# Fuzzing (tests/test_fuzz.py and the other property tests): "ci" keeps `make
# test` quick; the deadline also checks that no input makes the loader or a
# renderer slow. `make test-quick` tries a fifth of the examples ("quick"),
# `make test` all of "ci". Both draw the same examples on every run
# (derandomize), so that a commit passes or fails CI for what it changed, never
# by the luck of the draw; the search for new examples is the "fuzz" profile's,
# random and long: `pytest tests/test_fuzz.py tests/test_redline.py
# --hypothesis-profile=fuzz`.
settings.register_profile("ci", max_examples=100, deadline=2000, print_blob=True, derandomize=True)
settings.register_profile(
    "quick", max_examples=20, deadline=2000, print_blob=True, derandomize=True
)
settings.register_profile("fuzz", max_examples=3000, deadline=None, print_blob=True)
settings.load_profile("ci")

# Sweeps (marked `no_cover`): tests that run code the other tests already reach
# over a corpus of inputs (every layout, every mutation, 10,000-level nesting,
# every repository YAML file). `make test` does not trace them: tracing made
# them twice as slow and found no branch in them that another test does not
# reach (measured with `pytest --cov --cov-context=test`). They still run, and
# `make coverage-floor` fails if the total or a module falls below its floor.

REPO = Path(__file__).resolve().parent.parent

# The tests read the tool's English messages, whatever the developer's locale
# (LANG=et_EE.UTF-8 would make them Estonian); tests of the Estonian set it.
os.environ["AMETIJUHEND_LANG"] = "en"

# A run started in the background by a script (`make test &`, a CI step's shell
# without job control) inherits Ctrl-C ignored, and so would every process a
# test starts: the tests of Ctrl-C need it as a terminal gives it.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Return to English after each test: the language is a setting of the process."""
    from ametijuhend_cli import i18n

    yield
    i18n.set_language("en")


POSITIONS = sorted(p.stem for p in (REPO / "data" / "positions").glob("*.yaml"))


#: Test modules of what only POSIX has (signals, resource limits): skipped on Windows,
#: where tests/test_windows.py simulates what differs (.github/workflows/tests.yml)
POSIX_ONLY = {"test_signals.py", "test_disk_full.py"}


# The tests make millions of short-lived objects (YAML nodes, XML elements,
# models) and keep few. With Python's defaults (a collection of the youngest
# every 700 allocations, a full one every 100 of those) each worker of the
# quick suite spent 4 s in the collector, 3 s of it in 19 full collections
# going through everything the imports and the collection had built; every
# 10,000 allocations, and with that frozen, 1.5 s (measured with gc.callbacks).
gc.set_threshold(10_000, 10, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.freeze()  # what the imports and the collection built lasts the whole run


def pytest_configure(config: pytest.Config) -> None:
    # pytest-cov (7.1) reads the coordinating process's `-n` in each pytest-xdist
    # worker too, and starts the coordinator's coverage there before the worker's
    # own. The worker's own is the one saved; the other stays started beneath it
    # and takes over whenever the worker's is paused, so a sweep marked no_cover
    # was traced all the same (for nothing: its data is never saved), and so was
    # the collection. Stopping it leaves the worker's coverage alone
    # (tests/test_coverage_setup.py).
    controller = coverage_controller(config)
    if hasattr(config, "workerinput") and controller is not None:
        controller.cov.stop()


def coverage_controller(config: pytest.Config) -> Any:
    """Return pytest-cov's controller of this process's coverage, None where none is measured."""
    return getattr(config.pluginmanager.get_plugin("_cov"), "cov_controller", None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if sys.platform != "win32":
        return
    skip = pytest.mark.skip(reason="needs POSIX (signals, resource limits)")
    for item in items:
        if item.path.name in POSIX_ONLY:
            item.add_marker(skip)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@contextlib.contextmanager
def working_folder(folder: Path) -> Iterator[Path]:
    """Run the body with ``folder`` as the current folder."""
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(old)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """Return a copy of the sample project (data only) and make it the current folder."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    with working_folder(root):
        yield root


def run(*args: str) -> Result:
    """Run the CLI in-process and return the result (stderr kept apart)."""
    from ametijuhend_cli.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def org(tmp_path: Path) -> Iterator[Path]:
    """Return a copy of the small organization in tests/fixtures/org, the current folder."""
    root = tmp_path / "org"
    shutil.copytree(Path(__file__).parent / "fixtures" / "org", root)
    with working_folder(root):
        yield root


def start_project(
    folder: Path, agency: str, *sources: Path | str, formats: tuple[str, ...] = ("docx",)
) -> Result:
    """Start a project in ``folder`` from the documents ``sources`` (init --from-docx) and
    build it in ``formats`` (none: not built); return init's result (its report)."""
    folder.mkdir(parents=True, exist_ok=True)
    with working_folder(folder):
        made = run("init", "--agency", agency, "--ci", "none", "--from-docx", *map(str, sources))
        assert made.exit_code == 0, made.stderr + made.stdout
        if formats:
            built = run("build", *(arg for f in formats for arg in ("--format", f)))
            assert built.exit_code == 0, built.stderr + built.stdout
    return made


def only(folder: Path, pattern: str) -> Path:
    """Return the one file of ``folder`` that matches ``pattern``."""
    (path,) = folder.glob(pattern)
    return path


def read_yaml(path: Path) -> Any:
    """Return the data of a YAML file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur) by ``new`` in the file at ``path``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def position_content(path: Path) -> dict[str, Any]:
    """Return a position file validated and dumped, so that equal content compares equal.

    The partitive title is left out: a document never prints its own (other
    documents use it when they name this position), so no import recovers it.
    """
    from ametijuhend_cli.models import Position

    data = Position.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))).model_dump()
    data.pop("title_partitive")
    return data


@pytest.fixture
def repo(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the sample project as a git repository with one commit."""
    for key, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(project),
        # no housekeeping after each commit (a process of its own, every time)
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "maintenance.auto",
        "GIT_CONFIG_VALUE_0": "false",
    }.items():
        monkeypatch.setenv(key, value)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    return project


def git(folder: Path, *args: str) -> str:
    # git writes UTF-8, whatever the locale (a legacy one too: tests/test_console.py)
    done = subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, encoding="utf-8", check=True
    )
    return done.stdout


def many_positions(root: Path, n: int) -> list[str]:
    """Fill ``root``'s positions folder with ``n`` copies of the sample positions; return ids."""
    folder = root / "data" / "positions"
    sources = [folder / f"{pid}.yaml" for pid in POSITIONS]
    texts = [p.read_bytes() for p in sources]
    for path in sources:
        path.unlink()
    ids = [f"ametikoht-{i:05d}" for i in range(n)]
    for i, pid in enumerate(ids):
        (folder / f"{pid}.yaml").write_bytes(texts[i % len(texts)])
    return ids
