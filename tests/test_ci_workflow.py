"""The CI that `init` writes, run step by step on pull requests in a test repository.

A module fixture makes the agency's repository once: `init`, the Markdown
built and committed on main, pushed to a bare "origin". Each test clones it
as actions/checkout does (the whole history), makes a pull request's change
on a branch, and runs the `run:` steps of the generated workflow (or the
script of the GitLab job) with bash, as the runner does, with the tool
installed from this checkout on PATH; the steps stop at the first failure.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ametijuhend_cli import __version__
from ametijuhend_cli.authoring.init import ci_text
from conftest import edit

BIN = Path(sys.executable).parent
TASK = "Andmete kogumine, analüüsimine ja tulemuste esitamine."
POSITION = "data/positions/analuutik.yaml"
#: the expressions the workflow may use, and what they are in a pull request into main
EXPRESSIONS = {"github.base_ref": "main"}
PULL_REQUEST = "github.event_name == 'pull_request'"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=HR", "-c", "user.email=hr@example.org", *args],
        cwd=repo,
        capture_output=True,
        encoding="utf-8",
        check=True,
    )
    return done.stdout


def _tool(repo: Path, *args: str) -> None:
    done = subprocess.run(
        [str(BIN / "ametijuhend"), *args],
        cwd=repo,
        capture_output=True,
        encoding="utf-8",
        env=_env(),
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a bare repository whose main branch holds a new project with its Markdown."""
    base = tmp_path_factory.mktemp("agency")
    work = base / "ametijuhendid"
    _tool(base, "init", "--agency", "Sotsiaalkindlustusamet", "--dir", str(work))
    _tool(work, "build", "--format", "md")
    _git(work, "init", "-q", "-b", "main")
    _git(work, "add", "-A")
    _git(work, "commit", "-qm", "Ametijuhendid")
    _git(base, "clone", "-q", "--bare", str(work), str(base / "origin.git"))
    return base / "origin.git"


def _pull_request(origin: Path, tmp_path: Path, change: Callable[[Path], None]) -> Path:
    """Return the checkout of a pull request into main that makes ``change``."""
    clone = tmp_path / "checkout"
    _git(tmp_path, "clone", "-q", str(origin), str(clone))
    _git(clone, "checkout", "-q", "-b", "muudatus")
    change(clone)
    _git(clone, "add", "-A")
    _git(clone, "commit", "-qm", "Muudatus")
    return clone


def reword_a_task(repo: Path) -> None:
    edit(repo / POSITION, TASK, "Andmete kogumine ja analüüsimine ning tulemuste esitamine.")
    _tool(repo, "build", "--format", "md")


def add_a_task(repo: Path) -> None:
    new = "  - task: Andmekogude pidamine.\n    results:\n      - Andmekogud on korras.\n"
    edit(repo / POSITION, "  - task: Vahetu juhi", new + "  - task: Vahetu juhi")
    _tool(repo, "build", "--format", "md")


def misspell_a_field(repo: Path) -> None:
    edit(repo / POSITION, "\npurpose:", "\npurpouse:")


def forget_the_markdown(repo: Path) -> None:
    edit(repo / POSITION, TASK, "Andmete kogumine ja analüüsimine ning tulemuste esitamine.")


def _expand(text: str) -> str:
    """Return ``text`` with the workflow's ${{ … }} expressions filled in."""

    def value(found: re.Match[str]) -> str:
        assert found.group(1) in EXPRESSIONS, found.group(0)
        return EXPRESSIONS[found.group(1)]

    return re.sub(r"\$\{\{\s*([^}]*?)\s*\}\}", value, text)


def _github_steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(ci_text("github"))
    [job] = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _run(script: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # GitHub's and GitLab's shell for a step: bash, stopping at the first failure
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo,
        env=env,
        capture_output=True,
        encoding="utf-8",
    )


def run_github(repo: Path, summary: str) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run the workflow's steps in ``repo`` as a pull request; return each step run, by
    name, up to the first that fails (the runner skips the rest)."""
    env = _env(GITHUB_EVENT_NAME="pull_request", GITHUB_STEP_SUMMARY=summary)
    done: dict[str, subprocess.CompletedProcess[str]] = {}
    for step in _github_steps():
        if "uses" in step:
            continue  # checkout (the clone), setup-python (this Python), the artifact
        if step["name"] == "Install ametijuhend":
            # the tool installed from this checkout is on PATH instead
            assert step["run"] == f"pip install ametijuhend=={__version__}"
            continue
        assert step.get("if", PULL_REQUEST) == PULL_REQUEST, step
        step_env = {name: _expand(str(value)) for name, value in step.get("env", {}).items()}
        assert "${{" not in step["run"], "expressions in a script: pass them through env"
        done[step["name"]] = result = _run(step["run"], repo, {**env, **step_env})
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode != 0:
            break
    return done


STEPS = [s["name"] for s in _github_steps() if "run" in s and s["name"] != "Install ametijuhend"]


def _failed(done: dict[str, subprocess.CompletedProcess[str]]) -> list[str]:
    return [name for name, result in done.items() if result.returncode != 0]


@pytest.mark.slow
def test_a_reworded_task_passes_and_the_summary_shows_it(origin: Path, tmp_path: Path) -> None:
    repo = _pull_request(origin, tmp_path, reword_a_task)
    summary = tmp_path / "summary.md"
    done = run_github(repo, str(summary))
    assert list(done) == STEPS and _failed(done) == [], {k: v.stderr for k, v in done.items()}
    shown = summary.read_text(encoding="utf-8")
    assert "Analüütik" in shown and "<ins>ning</ins>" in shown
    assert "1 position changed, 0 may need the employee's consent" in done[STEPS[-1]].stderr
    assert (repo / "changes.md").is_file()
    assert [p.name for p in (repo / "dist").glob("*.docx")] == ["analuutik.docx"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "failing", "says"),
    [
        (add_a_task, "Changed job descriptions", "1 may need the employee's consent"),
        (misspell_a_field, "Validate", "unknown field 'purpouse'"),
        (forget_the_markdown, "Committed Markdown is current", "stale"),
    ],
)
def test_a_pull_request_fails_only_on_what_should_stop_a_merge(
    origin: Path, tmp_path: Path, change: Callable[[Path], None], failing: str, says: str
) -> None:
    repo = _pull_request(origin, tmp_path, change)
    summary = tmp_path / "summary.md"
    done = run_github(repo, str(summary))
    assert _failed(done) == [failing]
    assert says in done[failing].stdout + done[failing].stderr
    if failing == "Changed job descriptions":  # the summary is there when the step fails
        assert "Andmekogude pidamine" in summary.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_steps_run_outside_github_with_no_summary_file(origin: Path, tmp_path: Path) -> None:
    repo = _pull_request(origin, tmp_path, reword_a_task)
    done = run_github(repo, "")  # $GITHUB_STEP_SUMMARY is empty outside GitHub Actions
    assert _failed(done) == []
    assert "note: --summary is empty" in done[STEPS[-1]].stderr


@pytest.mark.slow
@pytest.mark.parametrize(("change", "status"), [(reword_a_task, 0), (add_a_task, 1)])
def test_the_gitlab_job_on_a_merge_request(
    origin: Path, tmp_path: Path, change: Callable[[Path], None], status: int
) -> None:
    repo = _pull_request(origin, tmp_path, change)
    job = yaml.safe_load(ci_text("gitlab"))["ametijuhendid"]
    install, *script = job["script"]
    assert install == f"pip install ametijuhend=={__version__}"
    base = _git(repo, "rev-parse", "origin/main").strip()
    result = _run("\n".join(script), repo, _env(CI_MERGE_REQUEST_DIFF_BASE_SHA=base))
    assert result.returncode == status, result.stdout + result.stderr
    assert "# Muudatused ametijuhendites" in result.stdout  # the overview, in the log
    assert (repo / "muudatused.md").is_file() and (repo / "dist" / "analuutik.docx").is_file()
